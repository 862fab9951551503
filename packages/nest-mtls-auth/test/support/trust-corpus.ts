import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { afterAll, beforeAll } from 'vitest';
import { createCrl, createRootCa, issue } from '../../src/testing/pki.js';

type Issued = Awaited<ReturnType<typeof issue>>;

const DAY = 24 * 60 * 60 * 1000;
const EC = { name: 'ECDSA', namedCurve: 'P-256' };
const UNKNOWN_OID = '1.3.6.1.4.1.55555.1';
const KU = x509.KeyUsageFlags;

/** One certificate of the corpus, the chain it presents, and what the policy adds to OpenSSL. */
export interface CorpusCase {
  readonly name: string;
  readonly certPem: string;
  readonly keyPem: string;
  /** CA certificates the client sends in the handshake after its leaf (PEM). */
  readonly presented: string;
  /**
   * What the service asks beyond `openssl verify -purpose sslclient`: a clientAuth (or any)
   * extended key usage on the leaf, and no CA certificate as a client.
   */
  readonly policyAllows: boolean;
}

/** The corpus, its CA bundle and CRLs on disk, and nginx-style proxy credentials. */
export interface TrustCorpus {
  readonly dir: string;
  readonly bundleFile: string;
  readonly crlFile: string;
  readonly serverCertFile: string;
  readonly serverKeyFile: string;
  readonly proxy: { readonly certPem: string; readonly keyPem: string };
  readonly cases: readonly CorpusCase[];
  /** Writes a file into the corpus folder; returns its path. */
  write(name: string, content: string): string;
  cleanup(): void;
}

/**
 * Builds, per run, a corpus of client certificates for the differential test against OpenSSL:
 * KeyUsage and extended key usage combinations, unknown critical extensions, CA certificates as
 * clients, expired and not-yet-valid leaves, intermediates that are expired, carry a critical
 * unknown extension, restrict usage or break a pathLenConstraint, a rogue root with the trusted
 * root's name, a link chained by name but signed by another key, ten same-name self-made CAs sent
 * along, a revoked leaf, and a self-signed one. No key leaves the temporary folder.
 */
export async function createTrustCorpus(): Promise<TrustCorpus> {
  const dir = mkdtempSync(join(tmpdir(), 'mtls-corpus-'));
  const root = await createRootCa('root', 'O=Corpus, CN=Corpus Root');
  const rogue = await createRootCa('rogue', 'O=Corpus, CN=Corpus Root');
  const ca = (name: string, issuer: Issued, extra: Record<string, unknown> = {}) =>
    issue(name, issuer, { subject: `O=Corpus, CN=${name}`, ca: true, ...extra });
  const inter = await ca('Corpus Intermediate', root);
  const interServerOnly = await ca('Corpus Server-only CA', root, { eku: ['serverAuth'] });
  const interExpired = await ca('Corpus Expired CA', root, {
    notBefore: new Date(Date.now() - 400 * DAY),
    notAfter: new Date(Date.now() - DAY),
  });
  const interCritical = await ca('Corpus Critical CA', root, {
    extensions: [new x509.Extension(UNKNOWN_OID, true, new Uint8Array([5, 0]))],
  });
  const interPathZero = await ca('Corpus PathLen0 CA', root, { pathLen: 0 });
  const interBelowZero = await ca('Corpus Below-PathLen0 CA', interPathZero);
  const bundleCas = [
    root,
    inter,
    interServerOnly,
    interExpired,
    interCritical,
    interPathZero,
    interBelowZero,
  ];

  const cases: CorpusCase[] = [];
  const leaf = async (
    name: string,
    issuer: Issued | null,
    opts: Record<string, unknown> = {},
    { policyAllows = true, presented = '' } = {},
  ) => {
    const item = await issue(name, issuer, { subject: `O=Corpus, CN=${name}`, ...opts });
    cases.push({ name, certPem: item.certPem, keyPem: item.keyPem, presented, policyAllows });
    return item;
  };

  await leaf('good', root);
  await leaf('ku-key-encipherment-only', root, { keyUsage: KU.keyEncipherment });
  await leaf('ku-key-agreement-only', root, { keyUsage: KU.keyAgreement });
  await leaf('no-key-usage', root, { keyUsage: null });
  await leaf('ku-cert-sign-only', root, { keyUsage: KU.keyCertSign });
  await leaf('eku-server-only', root, { eku: ['serverAuth'] });
  await leaf('eku-client-and-server', root, { eku: ['clientAuth', 'serverAuth'] });
  await leaf('no-eku', root, { eku: null }, { policyAllows: false });
  await leaf('eku-any', root, {
    eku: null,
    extensions: [new x509.ExtendedKeyUsageExtension(['2.5.29.37.0'])],
  });
  await leaf('unknown-critical-extension', root, {
    extensions: [new x509.Extension(UNKNOWN_OID, true, new Uint8Array([5, 0]))],
  });
  await leaf('unknown-noncritical-extension', root, {
    extensions: [new x509.Extension(UNKNOWN_OID, false, new Uint8Array([5, 0]))],
  });
  await leaf('expired', root, {
    notBefore: new Date(Date.now() - 400 * DAY),
    notAfter: new Date(Date.now() - DAY),
  });
  await leaf('not-yet-valid', root, {
    notBefore: new Date(Date.now() + DAY),
    notAfter: new Date(Date.now() + 400 * DAY),
  });
  await leaf('ca-as-client', root, { ca: true, eku: ['clientAuth'] }, { policyAllows: false });
  await leaf(
    'ca-as-client-with-digital-signature',
    root,
    { ca: true, eku: ['clientAuth'], keyUsage: KU.digitalSignature | KU.keyCertSign },
    { policyAllows: false },
  );
  const revoked = await leaf('revoked', root);
  await leaf('via-intermediate', inter);
  await leaf('via-server-only-intermediate', interServerOnly);
  await leaf('via-expired-intermediate', interExpired);
  await leaf('via-critical-intermediate', interCritical);
  await leaf('path-length-exceeded', interBelowZero);
  await leaf('rogue-root', rogue);
  await leaf('rogue-root-and-expired', rogue, {
    notBefore: new Date(Date.now() - 400 * DAY),
    notAfter: new Date(Date.now() - DAY),
  });
  const otherKeys = await webcrypto.subtle.generateKey({ ...EC, hash: 'SHA-256' }, true, [
    'sign',
    'verify',
  ]);
  await leaf('name-chained-wrong-signature', inter, { signingKey: otherKeys.privateKey });
  await leaf('self-signed', null);

  // Ten self-made CAs that share one subject, issuer and key, sent along with their leaf.
  const loopKeys = await webcrypto.subtle.generateKey({ ...EC, hash: 'SHA-256' }, true, [
    'sign',
    'verify',
  ]);
  const loop: Issued[] = [];
  for (let i = 0; i < 10; i++) {
    loop.push(
      await issue(`loop-${i}`, null, { subject: 'O=Corpus, CN=Loop CA', ca: true, keys: loopKeys }),
    );
  }
  await leaf(
    'ten-same-name-cas',
    loop[0] as Issued,
    {},
    {
      presented: loop.map((c) => c.certPem).join(''),
    },
  );

  const server = await issue('server', root, {
    subject: 'O=Corpus, CN=localhost',
    dns: ['localhost'],
    ips: ['127.0.0.1'],
    eku: ['serverAuth'],
  });
  const proxy = await issue('proxy', root, {
    subject: 'O=Corpus, CN=nginx-proxy',
    dns: ['nginx-proxy'],
  });

  const write = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  };
  const crls: string[] = [];
  for (const c of bundleCas) crls.push(await createCrl(c, c === root ? [revoked] : []));
  return {
    dir,
    bundleFile: write('bundle.crt', bundleCas.map((c) => c.certPem).join('')),
    crlFile: write('bundle.crl', crls.join('')),
    serverCertFile: write('server.crt', server.certPem),
    serverKeyFile: write('server.key', server.keyPem),
    proxy: { certPem: proxy.certPem, keyPem: proxy.keyPem },
    cases,
    write,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** One corpus for the calling test file (made before its tests, removed after). */
export function useTrustCorpus(): TrustCorpus {
  const corpus = {} as TrustCorpus;
  beforeAll(async () => {
    Object.assign(corpus, await createTrustCorpus());
  }, 60_000);
  afterAll(() => corpus.cleanup());
  return corpus;
}
