import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS, type RunningApp } from '../support/app-launcher.js';
import { startSample } from './sample-app.js';
import { call, keepAliveAgent } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import {
  useTestPki,
  type ClientName,
} from '../../packages/nest-mtls-auth/test/support/test-pki.js';

const pki = useTestPki();

interface Relayed {
  caller: { commonName: string };
  downstream: {
    commonName: string;
    forwardedFor?: { subject: string; hash: string; uris: string[]; by: string }[];
  };
}

describe.each(ADAPTERS)('calling other services on %s: X -> A (gateway) -> B', (adapter) => {
  let a: RunningApp;
  let b: RunningApp;
  const apps: RunningApp[] = [];
  const gatewayAs = (relayTo: string, extra: Record<string, string> = {}) =>
    startSample(pki, adapter, {
      OUTBOUND_CERT_FILE: pki.clients.gateway.certFile,
      OUTBOUND_KEY_FILE: pki.clients.gateway.keyFile,
      OUTBOUND_CA_FILE: pki.caFile,
      EXAMPLE_RELAY_URL: relayTo,
      ...extra,
    }).then((app) => (apps.push(app), app));

  beforeAll(async () => {
    b = await startSample(pki, adapter, { MTLS_TRUSTED_FORWARDERS: 'gateway-service' });
    apps.push(b);
    a = await gatewayAs(b.url);
  });
  afterAll(() => Promise.all(apps.map((app) => app.close())));

  const relay = (app: RunningApp, client: ClientName) =>
    call(pki, `${app.url}/api/relay`, { client: pki.clients[client] });

  it('B sees A as the caller and X as the original caller', async () => {
    const res = await relay(a, 'billing');
    expect(res.status).toBe(200);
    const body = res.body as unknown as Relayed;
    expect(body.caller.commonName).toBe('billing-service');
    expect(body.downstream.commonName).toBe('gateway-service');
    expect(body.downstream.forwardedFor).toEqual([
      {
        by: 'gateway-service',
        hash: pki.clients.billing.x509.fingerprint256.replaceAll(':', '').toLowerCase(),
        subject: 'CN=billing-service,OU=services,O=Test',
        uris: ['spiffe://example.test/ns/prod/sa/billing'],
        dnsNames: ['billing-service'],
      },
    ]);
  });

  it('ignores, and logs, the same header from a caller that is not a trusted forwarder', async () => {
    const res = await call(pki, `${b.url}/api/whoami`, {
      client: pki.clients.notification,
      headers: {
        'x-forwarded-client-cert': 'By=x;Hash=00;Subject="CN=billing-service";DNS=billing-service',
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.commonName).toBe('notification-service');
    expect(res.body.forwardedFor).toBeUndefined();
    expect(
      b.logs().some((l) => l.event === 'mtls.xfcc_ignored' && l.cn === 'notification-service'),
    ).toBe(true);
  });

  it('judges XFCC per request on one keep-alive connection of a trusted forwarder', async () => {
    const agent = keepAliveAgent(pki, pki.clients.gateway);
    const xfcc = (cn: string) => `By=gw;Hash=00;Subject="CN=${cn},O=Test";DNS=${cn}`;
    const whoami = (headers: Record<string, string> = {}) =>
      call(pki, `${b.url}/api/whoami`, { agent, headers });
    try {
      for (let round = 0; round < 3; round++) {
        const onBehalf = await whoami({ 'x-forwarded-client-cert': xfcc('billing-service') });
        expect(onBehalf.status).toBe(200);
        expect(onBehalf.body.forwardedFor).toMatchObject([
          { subject: 'CN=billing-service,O=Test' },
        ]);
        const itself = await whoami();
        expect(itself.body.commonName).toBe('gateway-service');
        expect(itself.body.forwardedFor).toBeUndefined();
        const other = await whoami({ 'x-forwarded-client-cert': xfcc('notification-service') });
        expect(other.body.forwardedFor).toMatchObject([
          { subject: 'CN=notification-service,O=Test' },
        ]);
        const malformed = await whoami({ 'x-forwarded-client-cert': 'Subject="unterminated' });
        expect(malformed.status).toBe(401);
        expect(malformed.body.code).toBe('MTLS_CERT_MALFORMED');
      }
    } finally {
      agent.destroy();
    }
  });

  it('never mixes callers of concurrent requests through A (AsyncLocalStorage isolation)', async () => {
    const callers = ['billing', 'notification'] as const;
    const expected = {
      billing: 'CN=billing-service,OU=services,O=Test',
      notification: 'CN=notification-service,OU=services,O=Test',
    };
    const results = await Promise.all(
      Array.from({ length: 120 }, async (_, i) => {
        const who = callers[i % 2] as (typeof callers)[number];
        const res = await relay(a, who);
        return [
          who,
          (res.body as unknown as Relayed).downstream.forwardedFor?.[0]?.subject,
        ] as const;
      }),
    );
    for (const [who, subject] of results) expect(subject).toBe(expected[who]);
  });

  it('surfaces a downstream that refuses A at the HTTP level as a clear 502', async () => {
    const strict = await startSample(pki, adapter, { MTLS_ALLOWED_SERVICES: 'billing-service' });
    apps.push(strict);
    const gw = await gatewayAs(strict.url);
    const res = await relay(gw, 'billing');
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({
      code: 'DOWNSTREAM_HTTP_ERROR',
      downstreamStatus: 403,
      downstreamCode: 'MTLS_SERVICE_FORBIDDEN',
    });
  });

  it("surfaces a downstream that refuses A's certificate in the handshake as a clear, fast 502", async () => {
    const distrustful = await startSample(pki, adapter, {
      MTLS_CLIENT_CERT_MODE: 'require',
      MTLS_CA_FILE: pki.rogueCaFile,
    });
    apps.push(distrustful);
    const gw = await gatewayAs(distrustful.url);
    const started = Date.now();
    const res = await relay(gw, 'billing');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(res.status).toBe(502);
    // TLS 1.3: the client's handshake completes, then the server's alert closes the connection.
    expect(['DOWNSTREAM_CLOSED', 'DOWNSTREAM_TLS_FAILED']).toContain(res.body.code);
    expect(res.body.message).toMatch(/client certificate|TLS handshake/);
  });

  it('refuses to talk to a downstream whose server certificate it cannot verify', async () => {
    const gw = await gatewayAs(b.url, { OUTBOUND_CA_FILE: pki.rogueCaFile });
    const res = await relay(gw, 'billing');
    expect(res.status).toBe(502);
    expect(res.body.code).toBe('DOWNSTREAM_TLS_FAILED');
  });
});
