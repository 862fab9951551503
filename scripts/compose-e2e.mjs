#!/usr/bin/env node
/**
 * The docker-compose e2e runner: calls the app through nginx with the development certificates and
 * exits non-zero unless every answer is the expected one. TARGET (https://nginx:9443) and CERTS
 * (/certs) come from docker-compose.yml; it waits up to 60 s for nginx.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';

const target = process.env.TARGET ?? 'https://localhost:9443';
const dir = process.env.CERTS ?? 'certs/dev';
const ca = readFileSync(`${dir}/ca.crt`);
const client = (name) => ({ cert: readFileSync(`${dir}/${name}.crt`), key: readFileSync(`${dir}/${name}.key`) });

/** @returns {Promise<{status: number, body: any}>} */
function get(path, creds = {}) {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, target), { ca, servername: 'localhost', agent: false, ...creds }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || '{}') }));
    });
    req.on('error', reject);
    req.end();
  });
}

for (let i = 0; ; i++) {
  try {
    await get('/health');
    break;
  } catch (error) {
    if (i >= 60) throw error;
    await new Promise((r) => setTimeout(r, 1000));
  }
}
const cases = [
  ['health without certificate', await get('/health'), 200, undefined],
  ['whoami without certificate', await get('/api/whoami'), 401, 'MTLS_CERT_MISSING'],
  ['whoami billing via nginx', await get('/api/whoami', client('billing-service')), 200, undefined],
  ['invoices notification', await get('/api/invoices', client('notification-service')), 403, 'MTLS_SERVICE_FORBIDDEN'],
];
let failed = 0;
for (const [name, res, status, code] of cases) {
  const ok = res.status === status && (code === undefined || res.body.code === code);
  if (!ok) failed++;
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${res.status} ${res.body.code ?? res.body.source ?? ''}\n`);
}
const who = (await get('/api/whoami', client('billing-service'))).body;
if (who.source !== 'forwarded') {
  failed++;
  process.stdout.write(`FAIL identity source: ${who.source}\n`);
}
process.stdout.write(`${cases.length + 1 - failed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
