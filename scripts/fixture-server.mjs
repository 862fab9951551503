#!/usr/bin/env node
/**
 * The built service (dist/bootstrap.js: configuration, TLS, health, metrics, the management port,
 * graceful shutdown) with the fixture routes (scripts/lib/fixture-routes.mjs) and the package's
 * own strategy, configured by the environment alone (no .env). The tests that start a process
 * and the compose e2e (npm run test:compose) run it instead of dist/main.js, so they depend
 * neither on the service's routes (src/features.ts) nor on its strategy (src/auth.ts).
 * Run `npm run build` first.
 */
import { bootstrap, exitOnStartupError } from '../dist/bootstrap.js';
import { FIXTURE_FEATURE } from './lib/fixture-routes.mjs';

bootstrap(process.env, { features: [FIXTURE_FEATURE] }).catch(exitOnStartupError);
