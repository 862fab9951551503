import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../support/app-launcher.js';
import { startSample } from './sample-app.js';
import { call } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import { useTestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';

const pki = useTestPki();
const root = new URL('../../', import.meta.url).pathname;
const text = readFileSync(`${root}requests.http`, 'utf8');

/** `GET {{baseUrl}}/path` lines of requests.http, and the paths of the curl lines beside them. */
const requests = [...text.matchAll(/^(GET|POST|PUT|DELETE) \{\{baseUrl\}\}(\S+)$/gm)].map((m) => ({
  method: m[1] as string,
  path: m[2] as string,
}));
const curls = [...text.matchAll(/^# curl .* https:\/\/localhost:8443(\S+)$/gm)].map((m) => m[1]);

describe('requests.http', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startSample(pki, 'express');
  });
  afterAll(() => app.close());

  it('names only routes the app serves, each with the curl line it mirrors', async () => {
    expect(requests.length).toBeGreaterThanOrEqual(7);
    expect(curls).toEqual(requests.map((r) => r.path));
    for (const { method, path } of requests) {
      const res = await call(pki, `${app.url}${path}`, { method, client: pki.clients.billing });
      expect(res.status, `${method} ${path}`).not.toBe(404);
      // /api/relay answers 502 RELAY_NOT_CONFIGURED until EXAMPLE_RELAY_URL is set: a route that exists.
      if (res.status >= 500)
        expect(res.body.code, `${method} ${path}`).toBe('RELAY_NOT_CONFIGURED');
    }
  });

  it('points its client configurations at development certificates that npm run certs makes', () => {
    const dev = readFileSync(`${root}scripts/dev-certs.mjs`, 'utf8');
    const env = readFileSync(`${root}http-client.env.json`, 'utf8');
    const vscode = readFileSync(`${root}.vscode/settings.json`, 'utf8');
    const files = [...`${env}${vscode}`.matchAll(/certs\/dev\/([\w-]+)\.(crt|key)/g)].map(
      (m) => m[1],
    );
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const name of files) expect(dev).toContain(`'${name}'`);
  });
});
