/**
 * A small PKI toolkit for development and tests: CAs, leaf certificates (good and deliberately
 * bad), CRLs and PKCS#12 bundles. Built on @peculiar/x509 (WebCrypto), so it needs no openssl
 * binary, except for `.p12` files, which it asks openssl to pack when openssl is installed.
 *
 * Used by `npm run certs` (scripts/dev-certs.mjs) and by the tests' per-run PKI. Private keys it
 * makes are written to disk only by those callers, into ignored folders.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { randomBytes, webcrypto } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(/** @type {Crypto} */ (/** @type {unknown} */ (webcrypto)));

const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const DAY = 24 * 60 * 60 * 1000;

/**
 * @typedef {object} Issued
 * @property {string} name        file-friendly name
 * @property {string} certPem     the certificate, PEM
 * @property {string} keyPem      the private key, PKCS#8 PEM
 * @property {x509.X509Certificate} cert
 * @property {CryptoKeyPair} keys
 * @property {string} serialNumber hex
 */

/**
 * @typedef {object} LeafOptions
 * @property {string} subject            e.g. 'CN=billing-service, O=Acme' (written in this order)
 * @property {string[]} [dns]
 * @property {string[]} [uris]
 * @property {string[]} [ips]
 * @property {string[]} [emails]
 * @property {('clientAuth'|'serverAuth')[]|null} [eku]  null: no EKU extension
 * @property {boolean} [ca]               a CA certificate (basicConstraints CA:TRUE)
 * @property {Date} [notBefore]
 * @property {Date} [notAfter]
 * @property {number} [days]              validity from now (default 365)
 * @property {number|null} [keyUsage]     x509.KeyUsageFlags bits; null: no keyUsage extension
 * @property {number} [pathLen]           a CA's pathLenConstraint (default 0 for issued CAs)
 * @property {x509.Extension[]} [extensions] more extensions (e.g. an unknown critical one)
 * @property {CryptoKeyPair} [keys]       the subject's key pair (default: a new one)
 * @property {CryptoKey} [signingKey]     sign with this key instead of the issuer's (a forged link)
 */

function serial() {
  // Positive, 16 bytes, as CAs do (RFC 5280 4.1.2.2 allows up to 20).
  const b = randomBytes(16);
  b[0] = ((b[0] ?? 0) & 0x7f) | 0x10;
  return b.toString('hex');
}

/** @param {CryptoKey} key */
async function keyToPem(key) {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return `${x509.PemConverter.encode(der, 'PRIVATE KEY')}\n`;
}

/**
 * A self-signed root CA.
 * @param {string} name file-friendly name
 * @param {string} subject
 * @param {{days?: number}} [opts]
 * @returns {Promise<Issued>}
 */
export async function createRootCa(name, subject, opts = {}) {
  const keys = /** @type {CryptoKeyPair} */ (
    await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])
  );
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
  return {
    name,
    cert,
    keys,
    serialNumber,
    certPem: `${cert.toString('pem')}\n`,
    keyPem: await keyToPem(keys.privateKey),
  };
}

/**
 * A certificate signed by `issuer` (or self-signed when `issuer` is null).
 * @param {string} name
 * @param {Issued | null} issuer
 * @param {LeafOptions} opts
 * @returns {Promise<Issued>}
 */
export async function issue(name, issuer, opts) {
  const keys =
    opts.keys ??
    /** @type {CryptoKeyPair} */ (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']));
  const serialNumber = serial();
  const notBefore = opts.notBefore ?? new Date(Date.now() - 60 * 60 * 1000);
  const notAfter = opts.notAfter ?? new Date(Date.now() + (opts.days ?? 365) * DAY);
  /** @type {x509.Extension[]} */
  const keyUsage =
    opts.keyUsage === undefined
      ? opts.ca
        ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign
        : x509.KeyUsageFlags.digitalSignature
      : opts.keyUsage;
  const extensions = [
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
  const eku = opts.eku === undefined ? (opts.ca ? null : ['clientAuth']) : opts.eku;
  if (eku)
    extensions.push(new x509.ExtendedKeyUsageExtension(eku.map((e) => x509.ExtendedKeyUsage[e])));
  /** @type {x509.JsonGeneralName[]} */
  const sans = [
    ...(opts.dns ?? []).map((value) => ({ type: /** @type {const} */ ('dns'), value })),
    ...(opts.uris ?? []).map((value) => ({ type: /** @type {const} */ ('url'), value })),
    ...(opts.ips ?? []).map((value) => ({ type: /** @type {const} */ ('ip'), value })),
    ...(opts.emails ?? []).map((value) => ({ type: /** @type {const} */ ('email'), value })),
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
  return {
    name,
    cert,
    keys,
    serialNumber,
    certPem: `${cert.toString('pem')}\n`,
    keyPem: await keyToPem(keys.privateKey),
  };
}

/**
 * A CRL from `ca` revoking `revoked`, PEM with the `X509 CRL` label Node's `crl` option wants.
 * @param {Issued} ca
 * @param {Issued[]} revoked
 * @param {{ nextUpdateDays?: number, thisUpdate?: Date, nextUpdate?: Date }} [opts]
 *   `thisUpdate` (default: a minute ago) and `nextUpdate` (default: `nextUpdateDays`, 30, from
 *   now) make CRLs that are out of date, or not valid yet.
 */
export async function createCrl(ca, revoked, opts = {}) {
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
export function hasOpenssl() {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Packs certificate + key (+ CA) into a passphrase-protected PKCS#12 file with openssl
 * (AES-256, PBKDF2, SHA-256 MAC: what OpenSSL 3 writes by default and Node, curl and .NET read).
 * @param {string} p12Path @param {string} certPath @param {string} keyPath @param {string} caPath
 * @param {string} passphrase
 */
export function writePkcs12(p12Path, certPath, keyPath, caPath, passphrase) {
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

/**
 * Writes `<dir>/<name>.crt` and `<dir>/<name>.key` (key mode 0600).
 * @param {string} dir @param {Issued} item
 */
export function writeIssued(dir, item) {
  writeFileSync(`${dir}/${item.name}.crt`, item.certPem);
  writeFileSync(`${dir}/${item.name}.key`, item.keyPem, { mode: 0o600 });
}
