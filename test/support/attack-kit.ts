import { X509Certificate, type KeyObject } from 'node:crypto';
import { mtlsServerOptions } from 'nest-mtls-auth';
import { securityLevelOf } from '../../packages/nest-mtls-auth/src/tls/security-level.js';
import {
  createServer as createTlsServer,
  connect as tlsConnect,
  type TLSSocket as TlsSocket,
} from 'node:tls';
import { CertificateExplainer } from '../../packages/nest-mtls-auth/src/diagnose/explain-certificate.js';
import { splitPemCrls } from '../../packages/nest-mtls-auth/src/x509/crl-set.js';
import {
  basicConstraints,
  dn,
  encodeExtension,
  encodeName,
  encodeTime,
  extKeyUsage,
  forgeCertificate,
  keyIdentifier,
  keyUsage,
  sequence,
  tlv,
  TAG,
  context,
  integer,
  bitStringBytes,
  neededChain,
  signatureAlgorithm,
  signWith,
  type CertificateSpec,
  type ExtensionSpec,
  toForgeKey,
  type ForgeKey,
  type ForgedCertificate,
  type KeyKind,
  type NameInput,
  type TimeSpec,
  type World,
  type WorldCa,
} from '../../packages/nest-mtls-auth/test/support/forge/index.js';
import {
  presentDirect,
  presentForwarded,
  type Presented,
  type Verdict,
  type WorldServers,
} from './trust-parity.js';

/**
 * Attack kit: leaves and CAs with every byte under control (custom signature algorithms, raw
 * extension values), and one call that asks all ways (direct with the chain, direct leaf alone,
 * forwarded, the doctor's two predictions).
 */

export const HOUR = 3600_000;
export const DAY = 24 * HOUR;

/** The plain client-auth extensions of a leaf. */
export const clientAuth = (...more: ExtensionSpec[]): ExtensionSpec[] => [
  basicConstraints({ ca: false }),
  keyUsage(['digitalSignature']),
  extKeyUsage(['clientAuth']),
  ...more,
];

/** An extension with a raw value (hex or bytes). */
export function rawExt(oid: string, value: string | Uint8Array, critical = false): ExtensionSpec {
  return {
    oid,
    critical,
    value: typeof value === 'string' ? Buffer.from(value.replace(/\s+/g, ''), 'hex') : value,
  };
}

export const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

export interface LeafOptions {
  readonly subject?: NameInput;
  readonly key?: ForgeKey;
  readonly notBefore?: TimeSpec;
  readonly notAfter?: TimeSpec;
  readonly extensions?: ExtensionSpec[];
  readonly signature?: CertificateSpec['signature'];
  readonly sent?: readonly string[];
  readonly spec?: Partial<CertificateSpec>;
}

/** A leaf under world CA `label` (billing-service, clientAuth unless told), signed by the forge. */
export function leafUnder(world: World, label: string, o: LeafOptions = {}): Presented {
  const ca: WorldCa = world.ca(label);
  const key = o.key ?? world.keys.get('p-256', 0);
  const leaf = forgeCertificate({
    subject: o.subject ?? dn('O=Forge, CN=billing-service'),
    subjectKey: key,
    issuer: { certificate: ca.certificate, key: ca.key },
    notBefore: o.notBefore ?? new Date(Date.now() - HOUR),
    notAfter: o.notAfter ?? new Date(Date.now() + 30 * DAY),
    signature: o.signature,
    extensions: o.extensions ?? clientAuth(),
    ...o.spec,
  });
  return {
    leafPem: leaf.pem,
    keyPem: key.privatePem,
    sentPems: o.sent ?? neededChain(ca).map((c) => c.certificate.pem),
  };
}

/** A key of any type Node makes, as a ForgeKey (its `kind` only says how the forge would sign). */
export function customKey(
  kind: KeyKind,
  pair: { publicKey: KeyObject; privateKey: KeyObject },
  slot = 99,
): ForgeKey {
  return toForgeKey(kind, slot, pair);
}

/** A ForgeKey whose SubjectPublicKeyInfo is written as given (explicit curve parameters, say). */
export function keyWithSpki(base: ForgeKey, spki: Buffer): ForgeKey {
  return {
    ...base,
    spki,
    keyId: keyIdentifier(spki),
    get privatePem() {
      return base.privatePem;
    },
  };
}

export interface RawCertSpec {
  readonly subject: NameInput;
  readonly issuerName: Buffer;
  readonly spki: Buffer;
  readonly notBefore?: TimeSpec;
  readonly notAfter?: TimeSpec;
  /** AlgorithmIdentifier DER inside and outside the TBS. */
  readonly algorithm: Buffer;
  readonly outerAlgorithm?: Buffer;
  readonly extensions: readonly ExtensionSpec[];
  readonly sign: (tbs: Buffer) => Buffer;
  readonly serial?: Buffer;
  readonly version?: 1 | 2 | 3;
}

/** A certificate signed by `sign` under any AlgorithmIdentifier. */
export function rawCertificate(spec: RawCertSpec): ForgedCertificate {
  const version = spec.version ?? 3;
  const subjectName = encodeName(spec.subject);
  const serial =
    spec.serial ??
    Buffer.from([0x01, ...Array.from({ length: 15 }, () => Math.floor(Math.random() * 256))]);
  const parts: Buffer[] = [];
  if (version !== 1) parts.push(tlv(context(0, true), integer(version - 1)));
  parts.push(
    tlv(TAG.integer, serial),
    spec.algorithm,
    spec.issuerName,
    sequence(
      encodeTime(spec.notBefore ?? new Date(Date.now() - HOUR)),
      encodeTime(spec.notAfter ?? new Date(Date.now() + 30 * DAY)),
    ),
    subjectName,
    spec.spki,
  );
  if (spec.extensions.length > 0) {
    parts.push(tlv(context(3, true), sequence(...spec.extensions.map(encodeExtension))));
  }
  const tbs = sequence(...parts);
  const der = sequence(tbs, spec.outerAlgorithm ?? spec.algorithm, bitStringBytes(spec.sign(tbs)));
  let x509: X509Certificate | undefined;
  try {
    x509 = new X509Certificate(der);
  } catch {
    x509 = undefined;
  }
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return {
    der,
    pem: `-----BEGIN CERTIFICATE-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END CERTIFICATE-----\n`,
    x509,
    subjectName,
    issuerName: spec.issuerName,
    serial,
    subjectKeyId: undefined,
  };
}

/** What every way answered. */
export interface Answers {
  direct: Verdict;
  directLeaf: Verdict;
  forwarded: Verdict;
  doctorDirect: Verdict;
  doctorForwarded: Verdict;
  openssl: string;
  bodies: { direct: Record<string, unknown>; forwarded: Record<string, unknown> };
}

/**
 * The doctor as the service is configured for `world`'s bundle.
 *
 * @param securityLevel the server's (read from OpenSSL unless given: a caller asking for many
 *   doctors reads it once).
 */
export function doctorFor(
  bundlePem: string,
  crl?: string,
  securityLevel: number = securityLevelOf(),
): CertificateExplainer {
  return new CertificateExplainer({
    trustedCa: bundlePem,
    ...(crl ? { crl } : {}),
    trustedProxyIdentities: ['trusted-proxy'],
    securityLevel,
  });
}

/** Asks the running service (directly, twice, and through the proxy) and the doctor. */
export async function askAll(
  servers: WorldServers,
  doctor: CertificateExplainer,
  presented: Presented,
  path = '/api/whoami',
): Promise<Answers> {
  const { app, proxy } = servers.apps[0] as WorldServers['apps'][number];
  const world = servers.world;
  const direct = await presentDirect(world, app, presented, path);
  const directLeaf =
    presented.sentPems.length > 0
      ? await presentDirect(world, app, { ...presented, sentPems: [] }, path)
      : direct;
  const forwarded = await presentForwarded(app, proxy, presented.leafPem, path);
  let doctorDirect: Verdict = 'unreadable';
  let doctorForwarded: Verdict = 'unreadable';
  try {
    const leaf = new X509Certificate(presented.leafPem);
    const sent = presented.sentPems.map((p) => new X509Certificate(p));
    doctorDirect = (await doctor.explain(leaf, sent)).verdicts.direct;
    doctorForwarded = (await doctor.explain(leaf, [])).verdicts.forwarded;
  } catch (e) {
    doctorDirect = `doctor threw: ${(e as Error).message}` as Verdict;
  }
  return {
    direct: direct.verdict,
    directLeaf: directLeaf.verdict,
    forwarded: forwarded.verdict,
    doctorDirect,
    doctorForwarded,
    openssl: direct.openssl,
    bodies: { direct: direct.body, forwarded: forwarded.body },
  };
}

export function line(name: string, a: Answers): string {
  return `${name}\n    direct=${a.direct} (${a.openssl}) directLeaf=${a.directLeaf} forwarded=${a.forwarded} doctorDirect=${a.doctorDirect} doctorForwarded=${a.doctorForwarded}`;
}

/**
 * What OpenSSL itself says of a presented chain: a bare Node TLS server with the service's own
 * server options (bundle, CRLs, requestCert, no rejection), reporting `authorizationError`.
 *
 * @param unchecked give Node the CRLs as the service would, without the service's own start-up
 *   checks of them: Node's verdict on a configuration the service refuses to start with.
 */
export async function opensslSays(
  world: World,
  bundlePem: string,
  presented: Presented,
  crlPem?: string,
  { unchecked = false }: { unchecked?: boolean } = {},
): Promise<string> {
  const options = unchecked
    ? {
        ...mtlsServerOptions({ trustedCa: bundlePem }),
        ...(crlPem ? { crl: splitPemCrls(crlPem) } : {}),
      }
    : mtlsServerOptions({ trustedCa: bundlePem, ...(crlPem ? { crl: crlPem } : {}) });
  let seen = 'no certificate';
  const server = createTlsServer(
    { ...options, cert: world.server.certPem, key: world.server.keyPem },
    (socket: TlsSocket) => {
      seen = socket.authorized ? 'OK' : String(socket.authorizationError);
      socket.end();
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  try {
    for (const maxVersion of ['TLSv1.3', 'TLSv1.2'] as const) {
      seen = 'no certificate';
      const result = await new Promise<string>((resolve) => {
        const s = tlsConnect({
          host: '127.0.0.1',
          port,
          cert: presented.leafPem + presented.sentPems.join(''),
          key: presented.keyPem,
          ciphers: 'DEFAULT@SECLEVEL=0',
          rejectUnauthorized: false,
          servername: 'localhost',
          maxVersion,
        });
        s.on('error', (e: Error) => resolve(`tls-failure: ${e.message.split('\n')[0]}`));
        s.on('close', () => resolve(seen));
        s.on('data', () => undefined);
      });
      if (result !== 'no certificate') return result;
    }
    return seen;
  } finally {
    server.close();
  }
}

/** One revoked entry of a forged CRL. */
export interface RevokedEntry {
  /** The serial's content octets as the certificate carries them. */
  readonly serial: Uint8Array;
  readonly date?: Date;
  /** crlEntryExtensions, as whole Extension DER elements. */
  readonly extensions?: readonly Buffer[];
}

/** A CRL (v2) signed by `issuer`, PEM. */
export function forgeCrl(o: {
  issuer: { certificate: ForgedCertificate; key: ForgeKey };
  thisUpdate: Date;
  nextUpdate?: Date;
  revoked?: readonly RevokedEntry[];
  /** crlExtensions, as whole Extension DER elements. */
  extensions?: readonly Buffer[];
}): string {
  const alg = signatureAlgorithm(o.issuer.key);
  const parts: Buffer[] = [
    integer(1),
    alg,
    o.issuer.certificate.subjectName,
    encodeTime(o.thisUpdate),
  ];
  if (o.nextUpdate) parts.push(encodeTime(o.nextUpdate));
  if (o.revoked && o.revoked.length > 0) {
    parts.push(
      sequence(
        ...o.revoked.map((r) =>
          sequence(
            tlv(TAG.integer, r.serial),
            encodeTime(r.date ?? new Date(o.thisUpdate.getTime() - 60_000)),
            ...(r.extensions && r.extensions.length > 0 ? [sequence(...r.extensions)] : []),
          ),
        ),
      ),
    );
  }
  if (o.extensions && o.extensions.length > 0) {
    parts.push(tlv(context(0, true), sequence(...o.extensions)));
  }
  const tbs = sequence(...parts);
  const der = sequence(tbs, alg, bitStringBytes(signWith(o.issuer.key, tbs)));
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN X509 CRL-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END X509 CRL-----\n`;
}

/** An Extension element (for CRLs): OID, critical, DER value. */
export function extensionDer(oidText: string, critical: boolean, value: Uint8Array): Buffer {
  return encodeExtension({ oid: oidText, critical, value });
}
