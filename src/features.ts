import type { Feature } from './feature.js';
import { FeaturesModule } from './features/features.module.js';
import { EXAMPLE_FEATURE } from './example/example.feature.js'; // sample

/**
 * The service's own routes, by feature. `nest g resource <name>` adds its module to
 * src/features/features.module.ts. `npm run remove-sample` deletes the lines marked "sample".
 */
export const FEATURES: readonly Feature[] = [
  // A feature with settings or start-up lines of its own (see src/feature.ts) is listed here.
  { module: () => FeaturesModule },
  EXAMPLE_FEATURE, // sample
];
