/**
 * A benchmark server: the shipped app as users run it (the built `dist/app.factory.js`: its
 * configuration from the environment, default logging, health and metrics) with the benchmarks'
 * routes (fixtures/fixture-routes.module.ts) instead of the service's own. Listens on a port of
 * its own on 127.0.0.1; answers over IPC (lib/server-usage.ts). Run `npm run build` first.
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:https';
import { FixtureRoutesModule } from '../fixtures/fixture-routes.module.js';
import { importBuiltApp } from '../lib/built-app.js';
import { answerOverIpc } from '../lib/server-usage.js';

const { loadAppConfig, createApp } = await importBuiltApp();
const config = loadAppConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1' });
const app = await createApp(config, { features: [FixtureRoutesModule] });
await app.listen(0, '127.0.0.1');
const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
answerOverIpc(port, () => app.close());
