import { Module } from '@nestjs/common';

/**
 * The service's own modules, one folder each under src/features/: `nest g resource <name>` (or
 * `nest g module <name>`) writes src/features/<name>/ and imports its module here (src/features.ts
 * lists this module). Every route requires a client certificate unless marked `@Public()`.
 */
@Module({
  imports: [],
})
export class FeaturesModule {}
