import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { AUTH_STRATEGY } from './auth.js';
import { bootstrap, exitOnStartupError } from './bootstrap.js';
import { FEATURES } from './features.js';

// The service: its routes (src/features.ts) and its callers (src/auth.ts). Variables set in the
// environment win over the same ones in .env.
if (existsSync('.env')) process.loadEnvFile('.env');
bootstrap(process.env, { features: FEATURES, strategy: AUTH_STRATEGY }).catch(exitOnStartupError);
