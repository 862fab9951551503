import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import { useTestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app-launcher.js';
import { redoclyLint } from '../support/redocly.js';

const pki = useTestPki();

type Operation = {
  security?: Record<string, unknown>[];
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
  description?: string;
  summary?: string;
  operationId?: string;
};
type Document = {
  openapi: string;
  servers: { url: string; description?: string }[];
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
    // Named schemas are there when an operation refers to them (whoami answers a ClientIdentity).
    expect(document.components.schemas.ClientIdentity).toBeDefined();
  });
});

/** The JSON body of `/openapi.json`. */
async function fetchDocument(app: RunningApp): Promise<Document> {
  const res = await call(pki, `${app.url}/openapi.json`);
  expect(res.status).toBe(200);
  return res.body as unknown as Document;
}

/** Every operation of a document, as `METHOD /path`. */
const operations = (document: Document) =>
  Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      route: `${method.toUpperCase()} ${path}`,
      operation,
    })),
  );

describe.each(ADAPTERS)('the OpenAPI document of the service itself on %s', (adapter) => {
  // No feature module: what the service is once `npm run remove-sample` has run (the sample's own
  // document is checked with the sample's tests).
  let app: RunningApp;
  let document: Document;
  beforeAll(async () => {
    app = await startApp(pki, adapter, {}, []);
    document = await fetchDocument(app);
  });
  afterAll(() => app.close());

  it('passes @redocly/cli lint with its recommended rules, without an error', async () => {
    const { errors } = await redoclyLint(document);
    expect(errors).toEqual([]);
  });

  it('names the URL the service listens on as its server, and how to set another', () => {
    expect(document.servers).toEqual([
      { url: app.url, description: expect.stringContaining('OPENAPI_SERVER_URL') as string },
    ]);
  });

  it('gives every probe, /metrics and /callers a summary, a unique operationId and a schema for each answer', () => {
    const all = operations(document);
    expect(all.map((o) => o.route).sort()).toEqual([
      'GET /callers',
      'GET /health',
      'GET /health/live',
      'GET /health/ready',
      'GET /metrics',
    ]);
    for (const { route, operation } of all) expect(operation.summary, route).toBeTruthy();
    expect(all.map((o) => o.operation.operationId).sort()).toEqual([
      'getCallers',
      'getHealth',
      'getLiveness',
      'getMetrics',
      'getReadiness',
    ]);
    const schema = (path: string, status: string) =>
      document.paths[path]?.get?.responses[status]?.content?.['application/json']?.schema?.$ref;
    expect(schema('/health/live', '200')).toBe('#/components/schemas/HealthStatus');
    expect(schema('/health/ready', '200')).toBe('#/components/schemas/Readiness');
    expect(schema('/health/ready', '503')).toBe('#/components/schemas/Readiness');
    expect(schema('/health', '503')).toBe('#/components/schemas/HealthReport');
    expect(schema('/metrics', '404')).toBe('#/components/schemas/HttpError');
    // Nothing is guarded here, so the refusal bodies and ClientIdentity are left out.
    expect(Object.keys(document.components.schemas).sort()).toEqual([
      'HealthReport',
      'HealthStatus',
      'HttpError',
      'Readiness',
      'ReadinessNote',
    ]);
  });
});

describe('the OpenAPI server URL with OPENAPI_SERVER_URL', () => {
  it('is that URL, without its trailing slash', async () => {
    const app = await startApp(pki, 'express', {
      OPENAPI_SERVER_URL: 'https://billing.internal.example/',
    });
    try {
      expect((await fetchDocument(app)).servers).toEqual([
        {
          url: 'https://billing.internal.example',
          description: 'This service (OPENAPI_SERVER_URL).',
        },
      ]);
    } finally {
      await app.close();
    }
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
