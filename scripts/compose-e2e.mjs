#!/usr/bin/env node
/**
 * The docker-compose e2e runner: calls the stack through nginx (TARGET, https://nginx:9443) and
 * straight at the app (APP_TARGET, https://<service>:8443) with the development certificates in CERTS,
 * and exits 0 only when every answer is the expected one. The app serves the test routes
 * (scripts/lib/fixture-routes.mjs; see scripts/compose-e2e.override.yml), not the service's. It first waits (up to WAIT_SECONDS, 90)
 * until nginx answers /health with a 200, so a stack that is still starting reads as "not yet",
 * never as a crash; an answer that is not JSON (nginx's HTML 502) is reported, not thrown.
 *
 * Ends with the line "N passed, M failed". Run by `npm run test:compose` (scripts/compose-test.sh).
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';

const target = process.env.TARGET ?? 'https://localhost:9443';
const appTarget = process.env.APP_TARGET;
const dir = process.env.CERTS ?? 'certs/dev';
const waitSeconds = Number(process.env.WAIT_SECONDS ?? 90);
const ca = readFileSync(`${dir}/ca.crt`);
/** @param {string} name */
const client = (name) => ({
  cert: readFileSync(`${dir}/${name}.crt`),
  key: readFileSync(`${dir}/${name}.key`),
});

/**
 * @typedef {{ status: number, body: Record<string, unknown>, text: string }} Answer
 * @param {string} base
 * @param {string} path
 * @param {{ cert?: Buffer, key?: Buffer, headers?: Record<string, string> }} [options]
 * @returns {Promise<Answer>}
 */
function get(base, path, { headers, ...creds } = {}) {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, base),
      { ca, servername: 'localhost', agent: false, timeout: 5_000, headers, ...creds },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => {
          let body = {};
          try {
            body = JSON.parse(text || '{}');
          } catch {
            body = { notJson: text.slice(0, 80).replace(/\s+/g, ' ') };
          }
          resolve({ status: res.statusCode ?? 0, body, text });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${base}${path} in 5 s`)));
    req.on('error', reject);
    req.end();
  });
}

/** Waits until nginx (and so the app behind it) answers /health with a 200. */
async function waitForStack() {
  const deadline = Date.now() + waitSeconds * 1000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await get(target, '/health');
      if (res.status === 200) return;
      last = `${res.status} ${JSON.stringify(res.body)}`;
    } catch (error) {
      last = /** @type {Error} */ (error).message;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`the stack did not become healthy in ${waitSeconds} s (last: ${last})`);
}

/** @type {[string, () => Promise<Answer>, (a: Answer) => boolean][]} */
const cases = [
  ['health without a certificate', () => get(target, '/health'), (a) => a.status === 200],
  [
    'whoami without a certificate: 401 MTLS_CERT_MISSING',
    () => get(target, '/api/whoami'),
    (a) => a.status === 401 && a.body.code === 'MTLS_CERT_MISSING',
  ],
  [
    'whoami as billing-service through nginx: 200, source forwarded',
    () => get(target, '/api/whoami', client('billing-service')),
    (a) =>
      a.status === 200 && a.body.commonName === 'billing-service' && a.body.source === 'forwarded',
  ],
  [
    'invoices as notification-service: 403 MTLS_SERVICE_FORBIDDEN',
    () => get(target, '/api/invoices', client('notification-service')),
    (a) => a.status === 403 && a.body.code === 'MTLS_SERVICE_FORBIDDEN',
  ],
  [
    "a client's own certificate header through nginx is replaced: 401",
    () => get(target, '/api/whoami', { headers: spoofed() }),
    (a) => a.status === 401 && a.body.code === 'MTLS_CERT_MISSING',
  ],
];
if (appTarget) {
  cases.push(
    [
      'the forwarded header sent straight to the app from this container: refused (401)',
      () => get(appTarget, '/api/whoami', { headers: spoofed() }),
      (a) => a.status === 401 && a.body.code === 'MTLS_CERT_MISSING',
    ],
    [
      'the same header with a valid certificate that is not the proxy: judged as itself',
      () => get(appTarget, '/api/whoami', { ...client('gateway-service'), headers: spoofed() }),
      (a) => a.status === 200 && a.body.commonName === 'gateway-service' && a.body.source === 'tls',
    ],
  );
}

/** The header nginx would send for billing-service, made up by a caller that is not nginx. */
function spoofed() {
  const pem = readFileSync(`${dir}/billing-service.crt`, 'utf8');
  return { 'x-ssl-client-cert': encodeURIComponent(pem), 'x-ssl-client-verify': 'SUCCESS' };
}

let failed = 0;
try {
  await waitForStack();
} catch (error) {
  process.stdout.write(`FAIL ${/** @type {Error} */ (error).message}\n`);
  process.stdout.write(`0 passed, ${cases.length} failed\n`);
  process.exit(1);
}
for (const [name, run, ok] of cases) {
  let line;
  try {
    const answer = await run();
    const good = ok(answer);
    if (!good) failed++;
    const detail = answer.body.code ?? answer.body.source ?? answer.body.notJson ?? '';
    line = `${good ? 'ok  ' : 'FAIL'} ${name}: ${answer.status} ${String(detail)}`;
  } catch (error) {
    failed++;
    line = `FAIL ${name}: ${/** @type {Error} */ (error).message}`;
  }
  process.stdout.write(`${line}\n`);
}
process.stdout.write(`${cases.length - failed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
