// The check (scripts/check-package-install.sh): the app of ./app.ts on each adapter, called as its
// callers would call it, with a throwaway PKI of nest-mtls-auth/testing. Exits 1 on a wrong answer.
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createTestPki, type TestCertificate, type TestPki } from 'nest-mtls-auth/testing';
import { startApp } from './app.js';

interface Answer {
  readonly status: number;
  readonly body: { code?: string; servedTo?: string };
}

/** GET over a TLS connection of its own, presenting `caller`'s certificate when given. */
function get(pki: TestPki, port: number, caller?: TestCertificate): Promise<Answer> {
  const tls = pki.tlsOptions(caller);
  return new Promise((resolve, reject) => {
    const options = { host: '127.0.0.1', port, path: '/payments', agent: false, ...tls };
    const req = request(options, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end();
  });
}

function expectAnswer(what: string, answer: Answer, status: number, said: string): void {
  const got = `${answer.status} ${answer.body.code ?? answer.body.servedTo ?? ''}`;
  if (got !== `${status} ${said}`) throw new Error(`${what}: ${got}, not ${status} ${said}`);
  console.log(`ok ${what}: ${got}`);
}

const pki = await createTestPki();
try {
  const billing = await pki.issue('billing-service');
  const notification = await pki.issue('notification-service');
  const files = {
    trustedCa: pki.caPem,
    cert: pki.server.certPem,
    key: readFileSync(pki.server.keyFile, 'utf8'),
  };
  for (const adapter of ['express', 'fastify'] as const) {
    const app = await startApp(adapter, files);
    try {
      const { port } = (app.getHttpServer() as { address(): AddressInfo }).address();
      const say = (caller: string) => `${adapter}: GET /payments ${caller}`;
      expectAnswer(say('without a certificate'), await get(pki, port), 401, 'MTLS_CERT_MISSING');
      expectAnswer(
        say('as billing-service'),
        await get(pki, port, billing),
        200,
        'billing-service',
      );
      expectAnswer(
        say('as notification-service (outside allowedServices)'),
        await get(pki, port, notification),
        403,
        'MTLS_SERVICE_FORBIDDEN',
      );
    } finally {
      await app.close();
    }
  }
} finally {
  pki.cleanup();
}
