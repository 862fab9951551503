/**
 * A small PKI toolkit for development and tests: CAs, leaf certificates (good and deliberately
 * bad), CRLs and PKCS#12 bundles. Built on @peculiar/x509 (WebCrypto), so it needs no openssl
 * binary, except for `.p12` files, which it asks openssl to pack when openssl is installed.
 *
 * Used by `npm run certs` (scripts/dev-certs.mjs), by the tests' per-run PKI and by
 * {@link createTestPki}. Private keys it makes are written to disk only by those callers, into
 * ignored or temporary folders.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { randomBytes, webcrypto } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as x509 from '@peculiar/x509';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

// Node's WebCrypto, typed by @types/node rather than the DOM lib @peculiar/x509 is typed with.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 24 * 60 * 60 * 1000;

/** A certificate with its key pair, as {@link createRootCa} and {@link issue} make them. */
export interface Issued {
  /** File-friendly name (`writeIssued` writes `<name>.crt` and `<name>.key`). */
  readonly name: string;
  /** The certificate, PEM. */
  readonly certPem: string;
  /** The private key, PKCS#8 PEM. */
  readonly keyPem: string;
  readonly cert: x509.X509Certificate;
  readonly keys: CryptoKeyPair;
  /** Hex. */
  readonly serialNumber: string;
}

/** What {@link issue} puts in a certificate. */
export interface LeafOptions {
  /** E.g. `'CN=billing-service, O=Acme'` (written in this order). */
  readonly subject: string;
  readonly dns?: readonly string[];
  readonly uris?: readonly string[];
  readonly ips?: readonly string[];
  readonly emails?: readonly string[];
  /** `null`: no EKU extension. @default ['clientAuth'] (none for a CA) */
  readonly eku?: readonly ('clientAuth' | 'serverAuth')[] | null;
  /** A CA certificate (basicConstraints CA:TRUE). */
  readonly ca?: boolean;
  /** @default an hour ago */
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  /** Validity from now, when `notAfter` is not given. @default 365 */
  readonly days?: number;
  /** `x509.KeyUsageFlags` bits; `null`: no keyUsage extension. */
  readonly keyUsage?: number | null;
  /** A CA's pathLenConstraint. @default 0 */
  readonly pathLen?: number;
  /** More extensions (e.g. an unknown critical one). */
  readonly extensions?: readonly x509.Extension[];
  /** The subject's key pair. @default a new P-256 pair */
  readonly keys?: CryptoKeyPair;
  /** Sign with this key instead of the issuer's (a forged link). */
  readonly signingKey?: CryptoKey;
}

function serial(): string {
  // Positive, 16 bytes, as CAs do (RFC 5280 4.1.2.2 allows up to 20).
  const b = randomBytes(16);
  b[0] = ((b[0] ?? 0) & 0x7f) | 0x10;
  return b.toString('hex');
}

async function newKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
}

/** The record of a certificate just made, with its PEM and its key's. */
async function issued(
  name: string,
  cert: x509.X509Certificate,
  keys: CryptoKeyPair,
  serialNumber: string,
): Promise<Issued> {
  return {
    name,
    cert,
    keys,
    serialNumber,
    certPem: `${cert.toString('pem')}\n`,
    keyPem: await keyToPem(keys.privateKey),
  };
}

async function keyToPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return `${x509.PemConverter.encode(der, 'PRIVATE KEY')}\n`;
}

/**
 * A self-signed root CA (P-256, valid from a day ago).
 *
 * @param name file-friendly name
 * @param subject e.g. `'O=Acme, CN=Acme Root CA'`
 * @example const ca = await createRootCa('ca', 'O=Dev, CN=Dev CA', { days: 3650 });
 */
export async function createRootCa(
  name: string,
  subject: string,
  opts: { readonly days?: number } = {},
): Promise<Issued> {
  const keys = await newKeys();
  const serialNumber = serial();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber,
    name: subject,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + (opts.days ?? 3650) * DAY),
    signingAlgorithm: EC,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return issued(name, cert, keys, serialNumber);
}

/**
 * A certificate signed by `issuer` (or self-signed when `issuer` is `null`): a client
 * certificate (clientAuth) unless the options say otherwise.
 *
 * @example await issue('billing', ca, { subject: 'CN=billing-service', dns: ['billing-service'] })
 */
export async function issue(
  name: string,
  issuer: Issued | null,
  opts: LeafOptions,
): Promise<Issued> {
  const keys = opts.keys ?? (await newKeys());
  const serialNumber = serial();
  const notBefore = opts.notBefore ?? new Date(Date.now() - 60 * 60 * 1000);
  const notAfter = opts.notAfter ?? new Date(Date.now() + (opts.days ?? 365) * DAY);
  const keyUsage =
    opts.keyUsage === undefined
      ? opts.ca
        ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign
        : x509.KeyUsageFlags.digitalSignature
      : opts.keyUsage;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(
      Boolean(opts.ca),
      opts.ca ? (opts.pathLen ?? 0) : undefined,
      true,
    ),
    ...(keyUsage === null ? [] : [new x509.KeyUsagesExtension(keyUsage, true)]),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ...(opts.extensions ?? []),
  ];
  if (issuer)
    extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey));
  const eku = opts.eku === undefined ? (opts.ca ? null : ['clientAuth' as const]) : opts.eku;
  if (eku)
    extensions.push(new x509.ExtendedKeyUsageExtension(eku.map((e) => x509.ExtendedKeyUsage[e])));
  const sans: x509.JsonGeneralName[] = [
    ...(opts.dns ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(opts.uris ?? []).map((value) => ({ type: 'url' as const, value })),
    ...(opts.ips ?? []).map((value) => ({ type: 'ip' as const, value })),
    ...(opts.emails ?? []).map((value) => ({ type: 'email' as const, value })),
  ];
  if (sans.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(sans));
  const common = { serialNumber, notBefore, notAfter, signingAlgorithm: EC, extensions };
  const cert = issuer
    ? await x509.X509CertificateGenerator.create({
        ...common,
        subject: opts.subject,
        issuer: issuer.cert.subject,
        publicKey: keys.publicKey,
        signingKey: opts.signingKey ?? issuer.keys.privateKey,
      })
    : await x509.X509CertificateGenerator.createSelfSigned({ ...common, name: opts.subject, keys });
  return issued(name, cert, keys, serialNumber);
}

/**
 * A CRL from `ca` revoking `revoked`, PEM with the `X509 CRL` label Node's `crl` option wants.
 * `thisUpdate` (default: a minute ago) and `nextUpdate` (default: `nextUpdateDays`, 30, from now)
 * make CRLs that are out of date, or not valid yet.
 */
export async function createCrl(
  ca: Issued,
  revoked: readonly Pick<Issued, 'serialNumber'>[],
  opts: {
    readonly nextUpdateDays?: number;
    readonly thisUpdate?: Date;
    readonly nextUpdate?: Date;
  } = {},
): Promise<string> {
  const crl = await x509.X509CrlGenerator.create({
    issuer: ca.cert.subject,
    thisUpdate: opts.thisUpdate ?? new Date(Date.now() - 60 * 1000),
    nextUpdate: opts.nextUpdate ?? new Date(Date.now() + (opts.nextUpdateDays ?? 30) * DAY),
    signingAlgorithm: EC,
    signingKey: ca.keys.privateKey,
    extensions: [await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey)],
    entries: revoked.map((r) => ({
      serialNumber: r.serialNumber,
      revocationDate: new Date(Date.now() - 60 * 1000),
    })),
  });
  return `${crl.toString('pem').replace(/-----(BEGIN|END) CRL-----/g, '-----$1 X509 CRL-----')}\n`;
}

/** `true` when an openssl binary answers. */
export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    // Not installed (or not runnable): the caller skips what needs it.
    return false;
  }
}

/**
 * Packs certificate + key (+ CA) into a passphrase-protected PKCS#12 file with openssl
 * (AES-256, PBKDF2, SHA-256 MAC: what OpenSSL 3 writes by default and Node, curl and .NET read).
 */
export function writePkcs12(
  p12Path: string,
  certPath: string,
  keyPath: string,
  caPath: string,
  passphrase: string,
): void {
  execFileSync(
    'openssl',
    [
      'pkcs12',
      '-export',
      '-in',
      certPath,
      '-inkey',
      keyPath,
      '-certfile',
      caPath,
      '-out',
      p12Path,
      '-passout',
      'env:P12_PASSPHRASE',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, P12_PASSPHRASE: passphrase } },
  );
}

/** Writes `<dir>/<name>.crt` and `<dir>/<name>.key` (key mode 0600). */
export function writeIssued(dir: string, item: Issued): void {
  writeFileSync(`${dir}/${item.name}.crt`, item.certPem);
  writeFileSync(`${dir}/${item.name}.key`, item.keyPem, { mode: 0o600 });
}
