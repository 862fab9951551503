import { Module } from '@nestjs/common';
import { ApiController } from './api.controller.js';
import { InfoController } from './info.controller.js';
import { RelayController } from './relay.controller.js';

/** The sample routes of the starter (README.md, "Routes of the sample service"). */
@Module({ controllers: [ApiController, InfoController, RelayController] })
export class ExampleModule {}
