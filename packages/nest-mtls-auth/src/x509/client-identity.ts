import { id_at_commonName, id_ce_subjectAltName } from './oids.js';
import type { X509Certificate } from 'node:crypto';
import { asciiLower } from './ascii-case.js';
import { dnMatchKey, formatRfc4514, nameAttributes } from './distinguished-name.js';
import { readCertificateParts } from './certificate-parts.js';
import { spiffeIdOf } from './spiffe-id.js';
import { readName, type RawAttribute, type TbsParts } from './tbs-certificate.js';
import { readGeneralNames } from './extension-values.js';

/** How the certificate reached the service: on this TLS connection, or in a trusted proxy's header. */
export type IdentitySource = 'tls' | 'forwarded';

/**
 * The authenticated caller, one model for every source. This is what `@ClientIdentity()` injects
 * and what a `whoami` route would return.
 */
export interface ClientIdentity {
  /** The subject's CN, or `null` when the subject has none or several (never matched then). */
  readonly commonName: string | null;
  /** Subject DN, RFC 4514 (`CN=billing-service,O=Acme`). */
  readonly subject: string;
  /** Issuer DN, RFC 4514. */
  readonly issuer: string;
  /** Serial number, uppercase hex. */
  readonly serialNumber: string;
  /** SHA-256 fingerprint, uppercase hex with colons, as Node and OpenSSL print it. */
  readonly fingerprint256: string;
  /** SHA-1 fingerprint (the .NET "thumbprint"), uppercase hex with colons. */
  readonly fingerprint: string;
  readonly dnsNames: readonly string[];
  readonly uris: readonly string[];
  readonly emails: readonly string[];
  readonly ips: readonly string[];
  /**
   * The certificate's SPIFFE ID: its one URI SAN when that is a valid SPIFFE ID with a path;
   * `null` when it has no URI SAN, several (of any scheme: not an X.509-SVID), or an invalid one.
   * `spiffe://` patterns match this, and nothing else.
   */
  readonly spiffeId: string | null;
  /** ISO 8601. */
  readonly notBefore: string;
  /** ISO 8601. */
  readonly notAfter: string;
  readonly source: IdentitySource;
  /**
   * The original callers on whose behalf the immediate caller acts (original caller first), when
   * a trusted forwarder passed them on in `x-forwarded-client-cert`.
   */
  readonly forwardedFor?: readonly ForwardedCaller[];
}

/**
 * What a refusal's log line and metrics say about the certificate: read from Node's own view of
 * it, without parsing its extensions (a refused certificate may carry thousands of names).
 */
export interface RefusedCertificate {
  readonly commonName: string | null;
  readonly fingerprint256: string;
  readonly source: IdentitySource;
}

/** {@link RefusedCertificate} of `cert`. */
export function refusedCertificate(
  cert: X509Certificate,
  source: IdentitySource,
): RefusedCertificate {
  // Node prints the subject one attribute per line; a CN given twice names nobody.
  const cns = cert.subject.split('\n').filter((line) => line.startsWith('CN='));
  return {
    commonName: cns.length === 1 ? (cns[0] as string).slice(3) : null,
    fingerprint256: cert.fingerprint256,
    source,
  };
}

/** A caller named in a trusted forwarder's XFCC header: what the header says, nothing more. */
export interface ForwardedCaller {
  readonly hash: string | null;
  readonly subject: string | null;
  readonly uris: readonly string[];
  readonly dnsNames: readonly string[];
  readonly by: string | null;
}

/**
 * Pre-computed values that identity patterns match against, names with their ASCII letters
 * lower-cased (and nothing else: see {@link asciiLower}). Kept under a symbol so it never appears
 * in JSON.
 */
export interface IdentityMatchKeys {
  readonly commonName: string | null;
  readonly dnsNames: readonly string[];
  readonly uris: readonly string[];
  readonly dnKey: string;
  /** Lower-case hex without colons. */
  readonly sha256: string;
  readonly sha1: string;
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
}

/** Where the matching keys of an identity live. */
export const MATCH_KEYS: unique symbol = Symbol('mtls.identity.matchKeys');

/** A {@link ClientIdentity} with its matching keys attached. */
export type CertificateIdentity = ClientIdentity & { readonly [MATCH_KEYS]: IdentityMatchKeys };

/**
 * Reads everything an authorization decision needs from a certificate, once. Callers cache the
 * result (per TLS connection, or per forwarded header), so no request parses a certificate twice.
 *
 * @param commonNameAllowed whether the CN may stand for an identity (see `CertificatePolicy`): when
 *   it says no, `commonName` is null and no pattern matches it.
 * @throws {Error} when the DER cannot be parsed (only possible for forwarded input).
 */
export function buildClientIdentity(
  cert: X509Certificate,
  source: IdentitySource,
  tbs: TbsParts = readCertificateParts(cert),
  commonNameAllowed?: (commonName: string) => boolean,
): CertificateIdentity {
  // Read from the DER walk the policy has already made: each of Node's X509Certificate getters is
  // a native call that formats its answer (measured in the running service: ~45 µs per new
  // certificate for validity, serial and fingerprints through getters). Node answers only what
  // the walk leaves undefined (a negative serial, a time not in RFC 5280's form).
  const subjectName = readName(tbs.subject);
  let commonName: string | null = null;
  let cnCount = 0;
  for (const rdn of subjectName) {
    for (const a of rdn) {
      if (a.oid === id_at_commonName) {
        commonName = a.value;
        cnCount++;
      }
    }
  }
  // Several CNs name nobody; nor does a CN that the name constraints of its path rule out.
  if (cnCount !== 1 || (commonName !== null && commonNameAllowed?.(commonName) === false)) {
    commonName = null;
  }

  const sanExtension = tbs.extensions.find((e) => e.oid === id_ce_subjectAltName);
  const san = sanExtension
    ? readGeneralNames(sanExtension.value)
    : { dns: [], uris: [], emails: [], ips: [] };
  const dnsNames = san.dns;
  const uris = san.uris;
  const ips = san.ips.map(normalizeIp);
  const notBeforeMs = tbs.notBeforeMs ?? Date.parse(cert.validFrom);
  const notAfterMs = tbs.notAfterMs ?? Date.parse(cert.validTo);
  const fingerprint256 = cert.fingerprint256;
  const fingerprint = cert.fingerprint;

  const identity: CertificateIdentity = {
    commonName,
    subject: formatRfc4514(subjectName),
    issuer: formatRfc4514(readName(tbs.issuer)),
    serialNumber: tbs.serialNumber ?? cert.serialNumber.toUpperCase(),
    fingerprint256,
    fingerprint,
    dnsNames,
    uris,
    emails: san.emails,
    ips,
    spiffeId: spiffeIdOf(uris),
    notBefore: tbs.notBefore ?? new Date(notBeforeMs).toISOString(),
    notAfter: tbs.notAfter ?? new Date(notAfterMs).toISOString(),
    source,
    [MATCH_KEYS]: new MatchKeys(
      commonName,
      dnsNames,
      uris,
      subjectName,
      fingerprint256,
      fingerprint,
      notBeforeMs,
      notAfterMs,
    ),
  };
  return Object.freeze(identity);
}

/**
 * The match keys of a certificate's identity, each derived on first use: most identities are
 * matched against a few kinds of pattern, or none (no allowlist), and a new caller's first
 * request should not pay for the keys nobody reads. Values never change once derived.
 */
class MatchKeys implements IdentityMatchKeys {
  #commonName: string | null | undefined;
  #dnsNames: readonly string[] | undefined;
  #dnKey: string | undefined;
  #sha256: string | undefined;
  #sha1: string | undefined;

  constructor(
    private readonly cn: string | null,
    private readonly dns: readonly string[],
    readonly uris: readonly string[],
    private readonly subject: readonly (readonly RawAttribute[])[],
    private readonly fingerprint256: string,
    private readonly fingerprint: string,
    readonly notBeforeMs: number,
    readonly notAfterMs: number,
  ) {}

  get commonName(): string | null {
    if (this.#commonName === undefined) {
      this.#commonName = this.cn === null ? null : asciiLower(this.cn);
    }
    return this.#commonName;
  }

  get dnsNames(): readonly string[] {
    return (this.#dnsNames ??= this.dns.map(asciiLower));
  }

  get dnKey(): string {
    return (this.#dnKey ??= dnMatchKey(nameAttributes(this.subject)));
  }

  get sha256(): string {
    return (this.#sha256 ??= asciiLower(this.fingerprint256.replaceAll(':', '')));
  }

  get sha1(): string {
    return (this.#sha1 ??= asciiLower(this.fingerprint.replaceAll(':', '')));
  }
}

/** IPv6 in its compressed form (`::1`), through the WHATWG URL parser rather than by hand. */
function normalizeIp(ip: string): string {
  if (!ip.includes(':')) return ip;
  try {
    return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  } catch (cause) {
    throw new Error(`invalid IP address in subjectAltName: ${ip}`, { cause });
  }
}
