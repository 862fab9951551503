import type { Feature } from './feature.js';
import { EXAMPLE_FEATURE } from './example/example.feature.js'; // sample

/**
 * The service's own routes, by feature module. Add yours here. `npm run remove-sample` deletes
 * `src/example`, its tests, and the two lines marked "sample".
 */
export const FEATURES: readonly Feature[] = [
  EXAMPLE_FEATURE, // sample
];
