/**
 * A benchmark server, Node's floor: a raw `node:https` server with the shipped app's TLS options
 * (lib/baseline-https-options.ts) answering every request with a small JSON body. Listens on a
 * port of its own on 127.0.0.1; answers over IPC (lib/server-usage.ts).
 */
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { baselineHttpsOptions } from '../lib/baseline-https-options.js';
import { answerOverIpc } from '../lib/server-usage.js';

const server = createServer(baselineHttpsOptions(process.env), (_request, response) => {
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.end(JSON.stringify({ name: 'raw', version: '0' }));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;
answerOverIpc(port, () => new Promise((resolve) => server.close(resolve)));
