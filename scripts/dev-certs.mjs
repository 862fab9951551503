#!/usr/bin/env node
/**
 * Makes the development PKI in certs/dev/ (ignored by git):
 *   ca.crt/.key                     the development client (and server) CA
 *   server.crt/.key                 localhost, 127.0.0.1, ::1
 *   billing-service, notification-service, gateway-service   client certificates (.crt/.key,
 *                                   and .p12 with passphrase "changeit" when openssl is installed)
 *   outbound.crt/.key               this service's own client certificate for outbound calls
 *   proxy.crt/.key                  nginx's client certificate towards the app (identity nginx-proxy:
 *                                   MTLS_TRUSTED_PROXY_IDENTITIES=nginx-proxy trusts it)
 *
 * Usage: node scripts/dev-certs.mjs           make it only when certs/dev/ca.crt is missing
 *        node scripts/dev-certs.mjs --force   make it anew (npm run certs)
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createRootCa, hasOpenssl, issue, writeIssued, writePkcs12 } from 'nest-mtls-auth/testing';

const DIR = 'certs/dev';
const PASSPHRASE = 'changeit';
const force = process.argv.includes('--force');

if (!force && existsSync(`${DIR}/ca.crt`)) process.exit(0);
mkdirSync(DIR, { recursive: true });

const ca = await createRootCa('ca', 'O=nest-mtls-starter dev, CN=nest-mtls-starter Dev CA', {
  days: 3650,
});
const server = await issue('server', ca, {
  subject: 'O=nest-mtls-starter dev, CN=localhost',
  dns: ['localhost'],
  ips: ['127.0.0.1', '::1'],
  eku: ['serverAuth'],
  days: 825,
});
const clients = await Promise.all(
  ['billing-service', 'notification-service', 'gateway-service'].map((name) =>
    issue(name, ca, {
      subject: `O=nest-mtls-starter dev, OU=services, CN=${name}`,
      dns: [name],
      uris: [`spiffe://dev.local/ns/default/sa/${name}`],
    }),
  ),
);
const outbound = await issue('outbound', ca, {
  subject: 'O=nest-mtls-starter dev, OU=services, CN=nest-mtls-starter',
  dns: ['nest-mtls-starter'],
  uris: ['spiffe://dev.local/ns/default/sa/nest-mtls-starter'],
});
const proxy = await issue('proxy', ca, {
  subject: 'O=nest-mtls-starter dev, OU=proxies, CN=nginx-proxy',
  dns: ['nginx-proxy'],
  uris: ['spiffe://dev.local/ns/default/sa/nginx-proxy'],
});

for (const item of [ca, server, ...clients, outbound, proxy]) writeIssued(DIR, item);
const p12 = hasOpenssl();
if (p12) {
  for (const c of clients)
    writePkcs12(
      `${DIR}/${c.name}.p12`,
      `${DIR}/${c.name}.crt`,
      `${DIR}/${c.name}.key`,
      `${DIR}/ca.crt`,
      PASSPHRASE,
    );
}
process.stdout.write(
  `Development PKI written to ${DIR}/ (CA, localhost server, ${clients.map((c) => c.name).join(', ')}, outbound, proxy)` +
    (p12 ? `; .p12 passphrase: ${PASSPHRASE}\n` : '; no openssl found, so no .p12 files\n'),
);
