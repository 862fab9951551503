import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CertificatePolicy } from '../../packages/nest-mtls-auth/src/x509/certificate-policy.js';
import { ClientCertAuthenticator } from '../../packages/nest-mtls-auth/src/nest/client-cert.authenticator.js';
import { COARSE_CLOCK_RESOLUTION_MS } from '../../packages/nest-mtls-auth/src/records/coarse-clock.js';
import { ClientCertStrategy } from '../../packages/nest-mtls-auth/src/nest/client-cert.strategy.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app-launcher.js';
import { call, keepAliveAgent } from '../../packages/nest-mtls-auth/test/support/https-client.js';
import { useTestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';

const pki = useTestPki();

describe.each(ADAPTERS)('connection-scoped identity cache on %s', (adapter) => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(pki, adapter);
  });
  afterAll(() => app.close());

  // First in the file: its first connection shakes hands under the trust the app started with.
  it('judges every open connection again, in TypeScript, after each trust change', async () => {
    const authenticator = app.app.get(ClientCertAuthenticator);
    const before = keepAliveAgent(pki, pki.clients.billing);
    expect((await call(pki, `${app.url}/api/data`, { agent: before })).status).toBe(200);
    const forwarded = vi.spyOn(CertificatePolicy.prototype, 'evaluateForwarded');
    const handshake = vi.spyOn(CertificatePolicy.prototype, 'evaluateHandshake');
    try {
      // The handshake's verdict predates the change: the certificate is judged against the new trust.
      authenticator.invalidate();
      expect((await call(pki, `${app.url}/api/data`, { agent: before })).status).toBe(200);
      expect(forwarded).toHaveBeenCalledTimes(1);
      // A connection opened since is judged by its own handshake's verdict...
      const after = keepAliveAgent(pki, pki.clients.billing);
      expect((await call(pki, `${app.url}/api/data`, { agent: after })).status).toBe(200);
      expect(handshake).toHaveBeenCalledTimes(1);
      expect(forwarded).toHaveBeenCalledTimes(1);
      // ... until the next change, which makes it stale in turn.
      authenticator.invalidate();
      expect((await call(pki, `${app.url}/api/data`, { agent: after })).status).toBe(200);
      expect(forwarded).toHaveBeenCalledTimes(2);
      after.destroy();
    } finally {
      forwarded.mockRestore();
      handshake.mockRestore();
      before.destroy();
    }
  });

  it('judges a keep-alive connection once, however many requests it carries', async () => {
    const evaluate = vi.spyOn(CertificatePolicy.prototype, 'evaluateHandshake');
    const agent = keepAliveAgent(pki, pki.clients.billing);
    for (let i = 0; i < 50; i++) {
      const res = await call(pki, `${app.url}/api/whoami`, { agent });
      expect(res.body.commonName).toBe('billing-service');
    }
    agent.destroy();
    expect(evaluate).toHaveBeenCalledTimes(1);
    evaluate.mockRestore();
  });

  it('keeps refusing a refused connection without judging it again', async () => {
    const evaluate = vi.spyOn(CertificatePolicy.prototype, 'evaluateHandshake');
    const agent = keepAliveAgent(pki, pki.clients.expired);
    for (let i = 0; i < 10; i++) {
      const res = await call(pki, `${app.url}/api/data`, { agent });
      expect(res.body.code).toBe('MTLS_CERT_EXPIRED');
    }
    agent.destroy();
    expect(evaluate).toHaveBeenCalledTimes(1);
    evaluate.mockRestore();
  });

  it('judges a caller that reconnects with a known certificate by one lookup', async () => {
    const evaluate = vi.spyOn(CertificatePolicy.prototype, 'evaluateHandshake');
    for (let i = 0; i < 5; i++) {
      const agent = keepAliveAgent(pki, pki.clients.notification);
      expect((await call(pki, `${app.url}/api/whoami`, { agent })).body.commonName).toBe(
        'notification-service',
      );
      agent.destroy();
    }
    expect(evaluate).toHaveBeenCalledTimes(1);
    evaluate.mockRestore();
  });

  it("runs the strategy's validate() once per certificate, not once per connection", async () => {
    const validate = vi.spyOn(ClientCertStrategy.prototype, 'validate');
    for (let i = 0; i < 5; i++) {
      const agent = keepAliveAgent(pki, pki.clients.gateway);
      expect((await call(pki, `${app.url}/api/whoami`, { agent })).body.commonName).toBe(
        'gateway-service',
      );
      agent.destroy();
    }
    expect(validate).toHaveBeenCalledTimes(1);
    // ... and again after a trust change: what validate() made of it is forgotten with the trust.
    app.app.get(ClientCertAuthenticator).invalidate();
    const agent = keepAliveAgent(pki, pki.clients.gateway);
    expect((await call(pki, `${app.url}/api/whoami`, { agent })).status).toBe(200);
    agent.destroy();
    expect(validate).toHaveBeenCalledTimes(2);
    validate.mockRestore();
  });

  it('refuses a remembered identity on an open connection once its certificate expires', async () => {
    const agent = keepAliveAgent(pki, pki.clients.expiresSoon);
    expect((await call(pki, `${app.url}/api/data`, { agent })).status).toBe(200);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 11 * 24 * 60 * 60 * 1000 });
    try {
      // Remembered identities are checked against a clock read every 250 ms (coarse-clock.ts).
      await new Promise((resolve) => setTimeout(resolve, COARSE_CLOCK_RESOLUTION_MS * 3));
      const res = await call(pki, `${app.url}/api/data`, { agent });
      expect(res.body.code).toBe('MTLS_CERT_EXPIRED');
    } finally {
      vi.useRealTimers();
      agent.destroy();
    }
  });

  it("never lets one connection see another connection's identity", async () => {
    const a = keepAliveAgent(pki, pki.clients.billing);
    const b = keepAliveAgent(pki, pki.clients.gateway);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        call(pki, `${app.url}/api/whoami`, { agent: i % 2 ? a : b }).then(
          (r) => [i % 2, r.body.commonName] as const,
        ),
      ),
    );
    a.destroy();
    b.destroy();
    for (const [odd, cn] of results) expect(cn).toBe(odd ? 'billing-service' : 'gateway-service');
  });
});
