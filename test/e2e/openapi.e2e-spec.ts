import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import { useTestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app-launcher.js';

const pki = useTestPki();

type Operation = {
  security?: Record<string, unknown>[];
  responses: Record<string, unknown>;
  description?: string;
};
type Document = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: {
    securitySchemes: Record<string, { type: string }>;
    schemas: Record<string, unknown>;
  };
};

describe.each(ADAPTERS)('the OpenAPI document on %s', (adapter) => {
  let app: RunningApp;
  let document: Document;
  beforeAll(async () => {
    app = await startApp(pki, adapter);
    const res = await call(pki, `${app.url}/openapi.json`);
    expect(res.status).toBe(200);
    document = res.body as unknown as Document;
  });
  afterAll(() => app.close());

  it('is valid OpenAPI 3.1', async () => {
    expect(document.openapi).toMatch(/^3\.1\./);
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('declares mutualTLS on exactly the protected routes, with their 401/403 codes and who may call', () => {
    expect(document.components.securitySchemes.mutualTLS?.type).toBe('mutualTLS');
    const secured = (path: string) =>
      (document.paths[path]?.get?.security ?? []).some((s) => 'mutualTLS' in s);
    for (const open of ['/info', '/health', '/metrics']) expect(secured(open), open).toBe(false);
    for (const guarded of ['/api/whoami', '/api/data', '/api/invoices'])
      expect(secured(guarded), guarded).toBe(true);
    const invoices = document.paths['/api/invoices']?.get;
    expect(invoices?.description).toContain('`billing-service`');
    expect(Object.keys(invoices?.responses ?? {})).toEqual(expect.arrayContaining(['401', '403']));
    expect(JSON.stringify(document.components.schemas.MtlsUnauthorized)).toContain(
      'MTLS_CERT_MISSING',
    );
    expect(document.components.schemas.ClientIdentity).toBeDefined();
  });
});

describe('the OpenAPI document in production', () => {
  it('is not served unless OPENAPI_PATH asks for it', async () => {
    const app = await startApp(pki, 'express', { NODE_ENV: 'production' });
    try {
      expect((await call(pki, `${app.url}/openapi.json`)).status).toBe(404);
    } finally {
      await app.close();
    }
  });
});
