import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS, type RunningApp } from '../support/app-launcher.js';
import { redoclyLint } from '../support/redocly.js';
import { call } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import { useTestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';
import { startSample } from './sample-app.js';

const pki = useTestPki();

type Response = { content?: Record<string, { schema?: Record<string, unknown> }> };
type Operation = { summary?: string; operationId?: string; responses: Record<string, Response> };
type Document = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
};

describe.each(ADAPTERS)('the OpenAPI document of the sample service on %s', (adapter) => {
  let app: RunningApp;
  let document: Document;
  beforeAll(async () => {
    app = await startSample(pki, adapter);
    const res = await call(pki, `${app.url}/openapi.json`);
    expect(res.status).toBe(200);
    document = res.body as unknown as Document;
  });
  afterAll(() => app.close());

  it('passes @redocly/cli lint with its recommended rules, without an error', async () => {
    const { errors } = await redoclyLint(document);
    expect(errors).toEqual([]);
  });

  it('gives every operation a summary and a unique operationId', () => {
    const all = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        route: `${method} ${path}`,
        operation,
      })),
    );
    expect(all.length).toBeGreaterThanOrEqual(9);
    for (const { route, operation } of all) {
      expect(operation.summary, route).toBeTruthy();
      expect(operation.operationId, route).toMatch(/^[a-z][A-Za-z]+$/);
    }
    const ids = all.map((o) => o.operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("describes /api/whoami's answer as ClientIdentity and its refusals with their code", () => {
    const responses = document.paths['/api/whoami']?.get?.responses ?? {};
    const schema = (status: string) => responses[status]?.content?.['application/json']?.schema;
    expect(schema('200')).toEqual({ $ref: '#/components/schemas/ClientIdentity' });
    expect(schema('401')).toEqual({ $ref: '#/components/schemas/MtlsUnauthorized' });
    expect(schema('403')).toEqual({ $ref: '#/components/schemas/MtlsForbidden' });
    for (const name of ['MtlsUnauthorized', 'MtlsForbidden']) {
      expect(document.components.schemas[name]?.properties, name).toHaveProperty('code');
    }
    expect(document.components.schemas.ClientIdentity?.properties).toHaveProperty('spiffeId');
  });
});
