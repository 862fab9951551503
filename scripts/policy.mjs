#!/usr/bin/env node
/**
 * npm run policy: who may call what. Prints the matrix of known callers by route, as the guards
 * decide it (the service's configuration, .env included, its routes and its strategy, judged by
 * the package's own code): public, allowed, allowed + bound token, 401/403 with the reason code, or
 * allowed in report-only with the refusal enforcement would give.
 *
 *   npm run policy                                   the dev callers (certs/dev/*-service.crt)
 *   npm run policy -- --cert a.crt --cert b.pem      callers by certificate (PEM, chain after the leaf)
 *   npm run policy -- --identity billing-service --identity spiffe://example.org/ns/prod/sa/x
 *                                                    callers by name (certificates made up for the
 *                                                    occasion: a CN, a SPIFFE ID, or dn:CN=x,O=y)
 *   add --json for the matrix as JSON
 *
 * The test kit compares the same text to a committed file: nest-mtls-auth/testing, accessPolicy().
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const USAGE = 'npm run policy [-- [--cert <file>]... [--identity <name>]... [--json]]';
let values;
try {
  ({ values } = parseArgs({
    options: {
      cert: { type: 'string', multiple: true, default: [] },
      identity: { type: 'string', multiple: true, default: [] },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  process.stderr.write(`${error.message}\n${USAGE}\n`);
  process.exit(2);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (existsSync('.env')) process.loadEnvFile('.env');

const { parsePemCertificates } = await import('nest-mtls-auth');
const { servicePolicy } = await import('../dist/policy/service-policy.js');
const { ConfigurationError } = await import('../dist/config/configuration.error.js');
const [{ FEATURES }, { AUTH_STRATEGY }] = await Promise.all([
  import('../dist/features.js'),
  import('../dist/auth.js'),
]);

/** A caller from a certificate file: its CN (or file name) for the column. */
function fromFile(path) {
  const [leaf, ...presented] = parsePemCertificates(readFileSync(path, 'latin1'));
  if (!leaf) throw new Error(`${path}: no PEM certificate`);
  const cn = leaf.subject.split('\n').find((l) => l.startsWith('CN='));
  return { name: cn ? cn.slice(3) : path, certificate: leaf, presented };
}

/** Callers made up from names, issued by a throwaway CA (the matrix trusts it for them). */
async function fromNames(names) {
  const { createRootCa, issue } = await import('nest-mtls-auth/testing');
  const ca = await createRootCa('policy-ca', 'O=npm run policy, CN=made-up callers');
  const callers = [];
  for (const name of names) {
    const options = name.startsWith('spiffe://')
      ? { subject: `CN=${name.split('/').pop() || 'spiffe'}`, uris: [name] }
      : name.startsWith('dn:')
        ? { subject: name.slice(3) }
        : { subject: `CN=${name}`, dns: [name] };
    const item = await issue(`id-${callers.length}`, ca, options);
    callers.push({ name, certificate: new X509Certificate(item.certPem), trustedCa: ca.certPem });
  }
  return callers;
}

const DEV = ['billing-service', 'gateway-service', 'notification-service'].map(
  (n) => `certs/dev/${n}.crt`,
);
const files =
  values.cert.length > 0 || values.identity.length > 0 ? values.cert : DEV.filter(existsSync);
if (files.length === 0 && values.identity.length === 0) {
  process.stderr.write(`No callers: run npm run certs, or name them (${USAGE}).\n`);
  process.exit(2);
}

const app = { features: FEATURES.map((f) => f.module(process.env)), strategy: AUTH_STRATEGY };
try {
  const named = values.identity.length > 0 ? await fromNames(values.identity) : [];
  const matrix = await servicePolicy(process.env, app, [...files.map(fromFile), ...named]);
  process.stdout.write(
    values.json ? `${JSON.stringify({ ...matrix, text: undefined }, null, 2)}\n` : matrix.text,
  );
} catch (error) {
  process.stderr.write(
    `${error instanceof ConfigurationError ? error.message : `npm run policy failed: ${error.stack ?? error}`}\n`,
  );
  process.exit(2);
}
