import { Module, type DynamicModule } from '@nestjs/common';
import { ApiController } from './api.controller.js';
import { InfoController } from './info.controller.js';
import { RelayController } from './relay.controller.js';
import { EXAMPLE_SETTINGS, type ExampleSettings } from './example.settings.js';

/** The sample routes of the starter (README.md, "Make it yours"). Delete with `npm run remove-sample`. */
@Module({ controllers: [ApiController, InfoController, RelayController] })
export class ExampleModule {
  static register(settings: ExampleSettings): DynamicModule {
    return {
      module: ExampleModule,
      providers: [{ provide: EXAMPLE_SETTINGS, useValue: settings }],
    };
  }
}
