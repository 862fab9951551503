import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWithCaller } from '../../packages/nest-mtls-auth/src/propagation/caller-context.js';
import { buildClientIdentity } from '../../packages/nest-mtls-auth/src/x509/client-identity.js';
import { parseXfcc, xfccValue } from '../../packages/nest-mtls-auth/src/forwarded/xfcc.js';
import { MtlsHttpClient } from '../../packages/nest-mtls-auth/src/propagation/mtls-http-client.js';
import { OutboundRequestError } from '../../packages/nest-mtls-auth/src/propagation/outbound-request.error.js';
import { useTestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';

const pki = useTestPki();

describe('MtlsHttpClient against a real HTTPS server', () => {
  let server: Server;
  let url: string;
  const seen: { xfcc?: string; clientCn?: string }[] = [];
  let client: MtlsHttpClient;

  beforeAll(async () => {
    server = createServer(
      {
        cert: readFileSync(pki.server.certFile),
        key: readFileSync(pki.server.keyFile),
        ca: readFileSync(pki.caFile),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => {
        const peer = (req.socket as TLSSocket).getPeerX509Certificate();
        seen.push({
          xfcc: req.headers['x-forwarded-client-cert'] as string | undefined,
          clientCn: peer?.subject,
        });
        const status = req.url === '/teapot' ? 418 : 200;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(status === 200 ? { ok: true } : { code: 'I_AM_A_TEAPOT' }));
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    client = new MtlsHttpClient({
      cert: pki.clients.gateway.certPem,
      key: pki.clients.gateway.keyPem,
      ca: readFileSync(pki.caFile),
      timeoutMs: 3000,
    });
  });
  afterAll(async () => {
    await client.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it("presents this service's certificate and sends no XFCC outside a caller's context", async () => {
    expect(await client.getJson(`${url}/`)).toEqual({ ok: true });
    expect(seen.at(-1)?.clientCn).toContain('CN=gateway-service');
    expect(seen.at(-1)?.xfcc).toBeUndefined();
  });

  it('appends an element for the caller after the chain the caller arrived with', async () => {
    const original = buildClientIdentity(pki.clients.billing.x509, 'tls');
    const immediate = Object.freeze({
      ...buildClientIdentity(pki.clients.notification.x509, 'tls'),
      forwardedFor: [
        {
          by: 'edge',
          hash: 'aa'.repeat(32),
          subject: original.subject,
          uris: [...original.uris],
          dnsNames: [],
        },
      ],
    });
    await runWithCaller({ identity: immediate }, () => client.getJson(`${url}/`));
    const elements = parseXfcc(seen.at(-1)?.xfcc ?? '');
    expect(elements.map((e) => xfccValue(e, 'Subject'))).toEqual([
      original.subject,
      'CN=notification-service,OU=services,O=Test',
    ]);
    expect(xfccValue(elements[0] ?? [], 'By')).toBe('edge');
    expect(xfccValue(elements[1] ?? [], 'By')).toBe('gateway-service');
    expect(xfccValue(elements[1] ?? [], 'Hash')).toBe(
      pki.clients.notification.x509.fingerprint256.replaceAll(':', '').toLowerCase(),
    );
  });

  it('throws a coded error with the downstream status and code for HTTP errors', async () => {
    const error = await client.getJson(`${url}/teapot`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutboundRequestError);
    expect(error).toMatchObject({
      code: 'DOWNSTREAM_HTTP_ERROR',
      details: { status: 418, downstreamCode: 'I_AM_A_TEAPOT' },
    });
  });

  it('fails fast and clearly when nothing listens', async () => {
    const error = await client.getJson('https://127.0.0.1:1/').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DOWNSTREAM_UNREACHABLE' });
  });
});
