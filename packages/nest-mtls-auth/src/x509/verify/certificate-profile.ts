import type { KeyObject, X509Certificate } from 'node:crypto';
import { readCertificateParts } from '../certificate-parts.js';
import { contentStart, decodeOid, elementEnd } from '../der/der.js';
import {
  id_at_commonName,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_cRLDistributionPoints,
  id_ce_certificatePolicies,
  id_ce_extKeyUsage,
  id_ce_inhibitAnyPolicy,
  id_ce_issuerAltName,
  id_ce_keyUsage,
  id_ce_nameConstraints,
  id_ce_policyConstraints,
  id_ce_policyMappings,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  id_emailAddress,
  id_kp_clientAuth,
  id_netscape_certType,
  id_pe_autonomousSysIds,
  id_pe_ipAddrBlocks,
  id_pe_proxyCertInfo,
  id_pkix_ocsp_nocheck,
} from '../oids.js';
import type { RawExtension, TbsParts } from '../tbs-certificate.js';
import {
  canonicalOf,
  latin1,
  readName,
  readNameEntry,
  toUtf8,
  type NameEntry,
} from './canonical-name.js';
import { GeneralNameType, readGeneralNames, type GeneralName } from './general-names.js';
import {
  Asn1Error,
  CONTEXT,
  firstElement,
  integerValue,
  oidOf,
  Tag,
  UNIVERSAL,
  type Element,
} from './openssl-asn1.js';
import {
  readNameConstraints,
  type ConstrainedNames,
  type NameConstraints,
} from './name-constraints.js';
import {
  keyMatchesSignature,
  keySecurityBits,
  RSASSA_PSS,
  signatureSecurityBits,
  signatureStrengthIsKeys,
} from './security-bits.js';

/** keyUsage bits as OpenSSL holds them (`ex_kusage`: first content byte, second byte << 8). */
export const KeyUsageBit = {
  digitalSignature: 0x0080,
  keyAgreement: 0x0008,
  keyCertSign: 0x0004,
  cRLSign: 0x0002,
} as const;

/** Netscape certificate type bits (`ex_nscert`). */
export const NetscapeCertType = {
  sslClient: 0x80,
  sslCa: 0x04,
  anyCa: 0x07,
} as const;

/** The authorityKeyIdentifier's fields, as `X509_check_akid` compares them. */
export interface AuthorityKeyId {
  readonly keyId: Uint8Array | undefined;
  /** Canonical key of the first directoryName of authorityCertIssuer. */
  readonly issuer: string | undefined;
  readonly serial: bigint | undefined;
}

/** Reason flags a distribution point covers when it names none (`CRLDP_ALL_REASONS`). */
export const ALL_REASONS = 0x807f;

/**
 * A DistributionPointName as OpenSSL holds it once set up (`DIST_POINT_set_dpname`): the full
 * names, or the relative name appended to its CRL issuer's Name, as a canonical key. OpenSSL
 * appends each attribute of the relative name as an RDN of its own; `undefined` when that Name
 * does not encode (it then matches nothing).
 */
export type DistributionPointName =
  | { readonly kind: 'full'; readonly names: readonly GeneralName[] }
  | { readonly kind: 'relative'; readonly name: string | undefined };

/** One point of a certificate's cRLDistributionPoints, as `setup_dp` leaves it. */
export interface DistributionPoint {
  readonly name: DistributionPointName | undefined;
  /** `dp_reasons`: the reasons it covers (all when it names none). */
  readonly reasons: number;
  /** The cRLIssuer names, `undefined` when absent. */
  readonly crlIssuer: readonly GeneralName[] | undefined;
}

/**
 * Extensions OpenSSL's verifier understands (`X509_supported_extension`): a critical extension
 * outside this set refuses the certificate (`X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION`). Note that
 * subjectKeyIdentifier and authorityKeyIdentifier are not in it: marked critical, they refuse.
 */
const SUPPORTED_EXTENSIONS: ReadonlySet<string> = new Set([
  id_netscape_certType,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_basicConstraints,
  id_ce_certificatePolicies,
  id_ce_cRLDistributionPoints,
  id_ce_extKeyUsage,
  id_pe_ipAddrBlocks,
  id_pe_autonomousSysIds,
  id_pkix_ocsp_nocheck,
  id_ce_policyConstraints,
  id_pe_proxyCertInfo,
  id_ce_nameConstraints,
  id_ce_policyMappings,
  id_ce_inhibitAnyPolicy,
]);

/** Extensions OpenSSL decodes when it reads a certificate: one that fails, or repeats, invalidates it. */
const DECODED_EXTENSIONS: ReadonlySet<string> = new Set([
  id_ce_basicConstraints,
  id_pe_proxyCertInfo,
  id_ce_keyUsage,
  id_ce_extKeyUsage,
  id_netscape_certType,
  id_ce_subjectKeyIdentifier,
  id_ce_authorityKeyIdentifier,
  id_ce_subjectAltName,
  id_ce_nameConstraints,
  id_ce_cRLDistributionPoints,
  id_pe_ipAddrBlocks,
  id_pe_autonomousSysIds,
]);

const ID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';

/**
 * What OpenSSL's verifier knows of one certificate once it has read it (`ossl_x509v3_cache_extensions`
 * in crypto/x509/v3_purp.c: its `ex_flags`, key usages, key identifiers, names), plus its validity,
 * key and signature strength: everything the {@link ChainVerifier} asks, computed once per
 * certificate (for the bundle, once per trust load).
 */
export class CertificateProfile {
  readonly der: Buffer;
  readonly fingerprint: string;
  /** Canonical keys of the subject and issuer Names ({@link canonicalOf}). */
  readonly subjectKey: string;
  readonly issuerKey: string;
  /** The subject Name's canonical encoding, and its attributes as OpenSSL decodes them. */
  readonly subjectCanonical: Uint8Array;
  readonly subjectEntries: readonly NameEntry[];
  readonly tbs: TbsParts;
  readonly serial: bigint;
  /** `EXFLAG_INVALID`: an extension OpenSSL decodes did not decode, repeats, or says nonsense. */
  readonly invalid: boolean;
  /** A critical extension OpenSSL does not support (`EXFLAG_CRITICAL`), by OID. */
  readonly unhandledCritical: string | undefined;
  readonly version: number;
  /** basicConstraints present (`EXFLAG_BCONS`), its cA, its pathLenConstraint (-1: none). */
  readonly hasBasicConstraints: boolean;
  readonly ca: boolean;
  readonly pathLen: number;
  /** keyUsage as `ex_kusage`, `undefined` without the extension. */
  readonly keyUsage: number | undefined;
  /** extendedKeyUsage OIDs, `undefined` without the extension. */
  readonly extKeyUsage: readonly string[] | undefined;
  /** Netscape cert type bits, `undefined` without the extension. */
  readonly netscapeCertType: number | undefined;
  readonly proxy: boolean;
  /** RFC 3779 address or AS delegation, which this verifier does not evaluate. */
  readonly rfc3779: boolean;
  readonly subjectKeyId: Uint8Array | undefined;
  readonly authorityKeyId: AuthorityKeyId | undefined;
  readonly altNames: readonly GeneralName[] | undefined;
  readonly nameConstraints: NameConstraints | undefined;
  /** cRLDistributionPoints, empty without the extension (`x->crldp`). */
  readonly distributionPoints: readonly DistributionPoint[];
  /** Subject and issuer Names are equal (`EXFLAG_SI`). */
  readonly selfIssued: boolean;
  /** Self-issued, its AKID matching itself and its signature algorithm its key (`EXFLAG_SS`). */
  readonly selfSigned: boolean;
  /** Validity in epoch seconds; `undefined` when the time is not in RFC 5280's form. */
  readonly notBefore: number | undefined;
  readonly notAfter: number | undefined;
  /** The public key, `undefined` when OpenSSL cannot decode it. */
  readonly publicKey: KeyObject | undefined;
  readonly keyBits: number;
  /** An EC key given by explicit curve parameters (refused in chains of two or more). */
  readonly explicitCurve: boolean;
  /** The TBSCertificate's signature algorithm (dotted), and the strength of the signature. */
  readonly signatureAlgorithm: string;
  readonly signatureBits: number;

  /** @throws {Error} only when the certificate cannot be read at all (Node could not either). */
  constructor(readonly cert: X509Certificate) {
    this.der = cert.raw;
    this.fingerprint = cert.fingerprint256;
    const tbs = readCertificateParts(cert);
    this.tbs = tbs;
    this.version = tbs.version;
    this.serial = signedInteger(tbs.serial);
    const subject = readName(firstElement(tbs.subject));
    this.subjectEntries = subject.flat();
    this.subjectCanonical = canonicalOf(subject);
    this.subjectKey = latin1(this.subjectCanonical);
    this.issuerKey = latin1(canonicalOf(readName(firstElement(tbs.issuer))));
    this.notBefore = tbs.notBeforeMs === undefined ? undefined : tbs.notBeforeMs / 1000;
    this.notAfter = tbs.notAfterMs === undefined ? undefined : tbs.notAfterMs / 1000;

    const ext = readExtensions(tbs.extensions, this.issuerKey);
    this.invalid = ext.invalid;
    this.unhandledCritical = ext.unhandledCritical;
    this.hasBasicConstraints = ext.hasBasicConstraints;
    this.ca = ext.ca;
    this.pathLen = ext.pathLen;
    this.keyUsage = ext.keyUsage;
    this.extKeyUsage = ext.extKeyUsage;
    this.netscapeCertType = ext.netscapeCertType;
    this.proxy = ext.proxy;
    this.rfc3779 = ext.rfc3779;
    this.subjectKeyId = ext.subjectKeyId;
    this.authorityKeyId = ext.authorityKeyId;
    this.altNames = ext.altNames;
    this.nameConstraints = ext.nameConstraints;
    this.distributionPoints = ext.distributionPoints;

    let publicKey: KeyObject | undefined;
    try {
      publicKey = cert.publicKey;
    } catch {
      // A key OpenSSL cannot decode: no signature by it verifies, and it meets no level.
      publicKey = undefined;
    }
    this.publicKey = publicKey;
    this.keyBits = keySecurityBits(publicKey);
    this.explicitCurve = hasExplicitCurve(tbs.spki);
    this.signatureAlgorithm = algorithmOid(tbs.signature);
    // ML-DSA and SLH-DSA signatures are as strong as the certificate's own key, for OpenSSL.
    this.signatureBits = signatureStrengthIsKeys(algorithmOid(outerAlgorithm(this.der)))
      ? this.keyBits
      : signatureBitsOf(this.der);

    this.selfIssued = this.subjectKey === this.issuerKey;
    this.selfSigned =
      this.selfIssued &&
      !this.invalid &&
      checkAkid(this, this.authorityKeyId) &&
      this.signatureMatchesKey(this);
  }

  /** `check_sig_alg_match`: `issuer`'s key is of the type this certificate's signature needs. */
  signatureMatchesKey(issuer: CertificateProfile): boolean {
    return keyMatchesSignature(issuer.publicKey?.asymmetricKeyType, this.signatureAlgorithm);
  }

  /** `true` when extendedKeyUsage, if present, allows clientAuth (`xku_reject` inverted). */
  get allowsClientAuthUsage(): boolean {
    return this.extKeyUsage === undefined || this.extKeyUsage.includes(id_kp_clientAuth);
  }

  /** `true` when keyUsage, if present, has one of `bits` (`ku_reject` inverted). */
  keyUsageAllows(bits: number): boolean {
    return this.keyUsage === undefined || (this.keyUsage & bits) !== 0;
  }

  /** `true` when a DNS subjectAltName is present (`has_san_id(x, GEN_DNS)`). */
  get hasDnsAltName(): boolean {
    return this.altNames?.some((n) => n.type === GeneralNameType.dNSName) === true;
  }

  /** The names `NAME_CONSTRAINTS_check` reads: subject, its emailAddress attributes, its SANs. */
  get constrainedNames(): ConstrainedNames {
    return {
      subject: this.subjectCanonical,
      subjectAttributeCount: this.subjectEntries.length,
      subjectEmails: this.subjectEntries
        .filter((a) => oidOf(firstElement(a.type)) === id_emailAddress)
        .map((a) => ({ tag: a.tag, value: a.content })),
      altNames: this.altNames ?? [],
    };
  }

  /** The UTF-8 of each commonName attribute of the subject, as `cn2dnsid` converts it. */
  get commonNames(): Uint8Array[] {
    return this.subjectEntries
      .filter((a) => oidOf(firstElement(a.type)) === id_at_commonName)
      .map((a) => toUtf8(a.tag, a.content));
  }
}

/**
 * `X509_check_akid`: the key identifier, serial and issuer name an authorityKeyIdentifier gives,
 * where given, are `issuer`'s; `true` without one.
 */
export function checkAkid(issuer: CertificateProfile, akid: AuthorityKeyId | undefined): boolean {
  if (akid === undefined) return true;
  if (akid.keyId && issuer.subjectKeyId && !sameBytes(akid.keyId, issuer.subjectKeyId)) {
    return false;
  }
  if (akid.serial !== undefined && akid.serial !== issuer.serial) return false;
  if (akid.issuer !== undefined && akid.issuer !== issuer.issuerKey) return false;
  return true;
}

interface ExtensionFacts {
  invalid: boolean;
  unhandledCritical: string | undefined;
  hasBasicConstraints: boolean;
  ca: boolean;
  pathLen: number;
  keyUsage: number | undefined;
  extKeyUsage: string[] | undefined;
  netscapeCertType: number | undefined;
  proxy: boolean;
  rfc3779: boolean;
  subjectKeyId: Uint8Array | undefined;
  authorityKeyId: AuthorityKeyId | undefined;
  altNames: GeneralName[] | undefined;
  nameConstraints: NameConstraints | undefined;
  distributionPoints: DistributionPoint[];
}

function readExtensions(extensions: readonly RawExtension[], issuerKey: string): ExtensionFacts {
  const facts: ExtensionFacts = {
    invalid: false,
    unhandledCritical: undefined,
    hasBasicConstraints: false,
    ca: false,
    pathLen: -1,
    keyUsage: undefined,
    extKeyUsage: undefined,
    netscapeCertType: undefined,
    proxy: false,
    rfc3779: false,
    subjectKeyId: undefined,
    authorityKeyId: undefined,
    altNames: undefined,
    nameConstraints: undefined,
    distributionPoints: [],
  };
  const seen = new Map<string, number>();
  for (const ext of extensions) seen.set(ext.oid, (seen.get(ext.oid) ?? 0) + 1);
  for (const ext of extensions) {
    if (
      facts.unhandledCritical === undefined &&
      ext.critical &&
      !SUPPORTED_EXTENSIONS.has(ext.oid)
    ) {
      facts.unhandledCritical = ext.oid;
    }
    if (!DECODED_EXTENSIONS.has(ext.oid)) continue;
    // OpenSSL's X509_get_ext_d2i refuses an extension given twice: the certificate is invalid.
    if ((seen.get(ext.oid) ?? 0) > 1) {
      facts.invalid = true;
      continue;
    }
    try {
      if (!decodeExtension(ext.oid, ext.value, facts, issuerKey)) facts.invalid = true;
    } catch (error) {
      if (!(error instanceof Asn1Error)) throw error;
      // A value that does not decode: OpenSSL marks the certificate invalid, and so does this.
      facts.invalid = true;
    }
  }
  if (
    facts.proxy &&
    (facts.ca || seen.has(id_ce_subjectAltName) || seen.has(id_ce_issuerAltName))
  ) {
    facts.invalid = true;
  }
  return facts;
}

/**
 * Decodes one extension into `facts` as OpenSSL's `X509_get_ext_d2i` does; `false` when the
 * value decodes but is one OpenSSL calls invalid.
 *
 * @throws {Asn1Error} when it does not decode.
 */
function decodeExtension(
  oid: string,
  v: Uint8Array,
  facts: ExtensionFacts,
  issuerKey: string,
): boolean {
  const e = firstElement(v);
  switch (oid) {
    case id_ce_basicConstraints:
      return readBasicConstraints(e, facts);
    case id_ce_keyUsage: {
      const bits = readBitString(e);
      facts.keyUsage = (bits[0] ?? 0) | ((bits[1] ?? 0) << 8);
      // RFC 5280 4.2.1.3: a keyUsage with no bit set is invalid.
      return facts.keyUsage !== 0;
    }
    case id_ce_extKeyUsage:
      if (!e.is(UNIVERSAL, Tag.sequence)) throw new Asn1Error('extKeyUsage is a SEQUENCE');
      facts.extKeyUsage = [...e.children()].map((purpose) => oidOf(purpose));
      return true;
    case id_netscape_certType:
      facts.netscapeCertType = readBitString(e)[0] ?? 0;
      return true;
    case id_ce_subjectKeyIdentifier:
      if (!e.is(UNIVERSAL, Tag.octetString))
        throw new Asn1Error('keyIdentifier is an OCTET STRING');
      facts.subjectKeyId = e.primitive(Tag.octetString);
      return true;
    case id_ce_authorityKeyIdentifier:
      facts.authorityKeyId = akidOf(e);
      return true;
    case id_ce_subjectAltName:
      facts.altNames = readGeneralNames(e);
      return true;
    case id_ce_nameConstraints:
      facts.nameConstraints = readNameConstraints(v);
      return true;
    case id_ce_cRLDistributionPoints:
      return readDistributionPoints(e, issuerKey, facts.distributionPoints);
    case id_pe_proxyCertInfo:
      readProxyCertInfo(e);
      facts.proxy = true;
      return true;
    default:
      // RFC 3779 address and AS blocks: decoded, then refused on any path (see ChainVerifier).
      if (!e.is(UNIVERSAL, Tag.sequence)) throw new Asn1Error('an RFC 3779 block is a SEQUENCE');
      facts.rfc3779 = true;
      return true;
  }
}

/** `BASIC_CONSTRAINTS`: `SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }`. */
function readBasicConstraints(e: Element, facts: ExtensionFacts): boolean {
  if (!e.is(UNIVERSAL, Tag.sequence)) throw new Asn1Error('BasicConstraints is a SEQUENCE');
  const fields = e.children();
  facts.hasBasicConstraints = true;
  const ca = fields.optional(UNIVERSAL, Tag.boolean);
  if (ca) facts.ca = ca.primitive(Tag.boolean)[0] !== 0;
  const pathLen = fields.optional(UNIVERSAL, Tag.integer);
  fields.done();
  if (pathLen) {
    const value = integerValue(pathLen.primitive(Tag.integer));
    // A negative pathLenConstraint invalidates; one beyond a C long reads as "none" (-1).
    if (value < 0n) return false;
    facts.pathLen = value > 0x7fffffffffffffffn ? -1 : Number(value);
  }
  return true;
}

/**
 * `AUTHORITY_KEYID`: `SEQUENCE { [0] keyIdentifier, [1] GeneralNames, [2] serial }`, each optional.
 *
 * @throws {Asn1Error} when OpenSSL's decoder would refuse it.
 */
export function akidOf(e: Element): AuthorityKeyId {
  if (!e.is(UNIVERSAL, Tag.sequence)) throw new Asn1Error('AuthorityKeyIdentifier is a SEQUENCE');
  const fields = e.children();
  const keyId = fields.optional(CONTEXT, 0)?.primitive(Tag.octetString);
  const issuers = fields.optional(CONTEXT, 1);
  const serial = fields.optional(CONTEXT, 2);
  fields.done();
  const names = issuers ? readGeneralNames(issuers, CONTEXT, 1) : [];
  const dir = names.find((n) => n.type === GeneralNameType.directoryName);
  return {
    keyId,
    issuer: dir ? latin1(dir.value) : undefined,
    serial: serial ? integerValue(serial.primitive(Tag.integer)) : undefined,
  };
}

/**
 * `CRL_DIST_POINTS` and `setup_crldp`: each point's name (`[0]` full GeneralNames or `[1]` an
 * RDN relative to the CRL issuer), reasons and CRL issuers, into `out`; `false` when a point names
 * neither a distribution point nor a CRL issuer (`setup_dp`, which stops there).
 *
 * @param issuerKey the certificate's issuer Name (canonical key), which a relative name extends
 *   unless the point names a directoryName CRL issuer.
 */
function readDistributionPoints(e: Element, issuerKey: string, out: DistributionPoint[]): boolean {
  if (!e.is(UNIVERSAL, Tag.sequence)) throw new Asn1Error('CRLDistributionPoints is a SEQUENCE');
  const points = [...e.children()].map((dp) => {
    if (!dp.is(UNIVERSAL, Tag.sequence)) throw new Asn1Error('DistributionPoint is a SEQUENCE');
    const fields = dp.children();
    const name = fields.optional(CONTEXT, 0);
    const reasons = fields.optional(CONTEXT, 1);
    const issuers = fields.optional(CONTEXT, 2);
    fields.done();
    return {
      name: name ? readDpName(name) : undefined,
      reasons: reasons ? readBitString(reasons, CONTEXT, 1) : undefined,
      crlIssuer: issuers ? readGeneralNames(issuers, CONTEXT, 2) : undefined,
    };
  });
  for (const point of points) {
    if (!point.name && (point.crlIssuer?.length ?? 0) === 0) return false;
    const dir = point.crlIssuer?.find((n) => n.type === GeneralNameType.directoryName);
    out.push({
      name: point.name && setDpName(point.name, dir ? latin1(dir.value) : issuerKey),
      reasons: point.reasons ? reasonBits(point.reasons) : ALL_REASONS,
      crlIssuer: point.crlIssuer,
    });
  }
  return true;
}

/** A DistributionPointName before it is set up: full names, or the relative name's attributes. */
export type RawDpName =
  | { readonly kind: 'full'; readonly names: readonly GeneralName[] }
  | { readonly kind: 'relative'; readonly entries: readonly NameEntry[] };

/**
 * `DIST_POINT_NAME` inside its explicit `[0]`: `CHOICE { [0] GeneralNames, [1] RDN }`.
 *
 * @throws {Asn1Error} when OpenSSL's decoder would refuse it.
 */
export function readDpName(explicit: Element): RawDpName {
  const inner = explicit.children();
  const choice = inner.next();
  inner.done();
  if (choice?.is(CONTEXT, 0)) return { kind: 'full', names: readGeneralNames(choice, CONTEXT, 0) };
  if (choice?.is(CONTEXT, 1) && choice.constructed) {
    return { kind: 'relative', entries: [...choice.children()].map(readNameEntry) };
  }
  throw new Asn1Error('no matching DistributionPointName choice');
}

/**
 * `DIST_POINT_set_dpname`: a relative name becomes `base` (a canonical key) with each of its
 * attributes appended as an RDN of its own (as `X509_NAME_add_entry` appends them).
 */
export function setDpName(name: RawDpName, base: string): DistributionPointName {
  if (name.kind === 'full') return name;
  try {
    return { kind: 'relative', name: base + latin1(canonicalOf(name.entries.map((e) => [e]))) };
  } catch (error) {
    if (!(error instanceof Asn1Error)) throw error;
    return { kind: 'relative', name: undefined };
  }
}

/** Reason flags from a ReasonFlags BIT STRING's first two bytes (`setup_dp`, `setup_idp`). */
export function reasonBits(bytes: Uint8Array, none = 0): number {
  if (bytes.length === 0) return none;
  return ((bytes[0] as number) | ((bytes[1] ?? 0) << 8)) & ALL_REASONS;
}

/** `PROXY_CERT_INFO_EXTENSION`: `SEQUENCE { pcPathLengthConstraint INTEGER OPTIONAL, proxyPolicy }`. */
function readProxyCertInfo(e: Element): void {
  if (!e.is(UNIVERSAL, Tag.sequence)) throw new Asn1Error('ProxyCertInfo is a SEQUENCE');
  const fields = e.children();
  fields.optional(UNIVERSAL, Tag.integer)?.primitive(Tag.integer);
  const policy = fields.expect(UNIVERSAL, Tag.sequence);
  fields.done();
  const parts = policy.children();
  oidOf(parts.expect(UNIVERSAL, Tag.oid));
  parts.optional(UNIVERSAL, Tag.octetString)?.primitive(Tag.octetString);
  parts.done();
}

/**
 * A BIT STRING's bytes with its unused bits cleared (`c2i_ASN1_BIT_STRING`).
 *
 * @throws {Asn1Error} when OpenSSL's decoder would refuse it.
 */
export function readBitString(
  e: Element,
  cls = UNIVERSAL,
  tag: number = Tag.bitString,
): Uint8Array {
  if (!e.is(cls, tag)) throw new Asn1Error('a BIT STRING is expected');
  const content = e.primitive(Tag.bitString);
  const unused = content[0] as number;
  const bytes = Uint8Array.from(content.subarray(1));
  if (bytes.length > 0)
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) & (0xff << unused);
  return bytes;
}

/** The OID of an AlgorithmIdentifier element. */
function algorithmOid(alg: Uint8Array): string {
  try {
    const oidAt = contentStart(alg, 0);
    return decodeOid(alg, contentStart(alg, oidAt), elementEnd(alg, oidAt));
  } catch {
    // An AlgorithmIdentifier that does not read names no algorithm: none matches a key.
    return '';
  }
}

/**
 * The security bits of the certificate's own (outer) signature algorithm, for RSASSA-PSS from the
 * hash its parameters name; -1 (no level met) when the algorithm cannot be read, as OpenSSL's
 * `x509_sig_info_init` fails then.
 */
/** The outer AlgorithmIdentifier element of a certificate (`new Uint8Array()` when unreadable). */
function outerAlgorithm(der: Uint8Array): Uint8Array {
  try {
    const at = elementEnd(der, contentStart(der, 0));
    return der.subarray(at, elementEnd(der, at));
  } catch {
    return new Uint8Array();
  }
}

function signatureBitsOf(der: Uint8Array): number {
  try {
    const tbs = contentStart(der, 0);
    const alg = elementEnd(der, tbs);
    const oidAt = contentStart(der, alg);
    const oid = decodeOid(der, contentStart(der, oidAt), elementEnd(der, oidAt));
    if (oid !== RSASSA_PSS) return signatureSecurityBits(oid);
    // RSASSA-PSS-params ::= SEQUENCE { hashAlgorithm [0] EXPLICIT AlgorithmIdentifier DEFAULT sha1, ... }
    const params = elementEnd(der, oidAt);
    if (params >= elementEnd(der, alg) || der[params] !== 0x30) return signatureSecurityBits(oid);
    const first = contentStart(der, params);
    if (first >= elementEnd(der, params) || der[first] !== 0xa0) return signatureSecurityBits(oid);
    const hashAlg = contentStart(der, first);
    const hashOid = contentStart(der, hashAlg);
    const hash = decodeOid(der, contentStart(der, hashOid), elementEnd(der, hashOid));
    return signatureSecurityBits(oid, hash);
  } catch {
    return -1;
  }
}

/** `true` for an EC key whose SubjectPublicKeyInfo spells out the curve's parameters. */
function hasExplicitCurve(spki: Uint8Array): boolean {
  try {
    const alg = contentStart(spki, 0);
    const oidAt = contentStart(spki, alg);
    if (decodeOid(spki, contentStart(spki, oidAt), elementEnd(spki, oidAt)) !== ID_EC_PUBLIC_KEY) {
      return false;
    }
    const params = elementEnd(spki, oidAt);
    return params < elementEnd(spki, alg) && spki[params] === 0x30;
  } catch {
    return false;
  }
}

/** An INTEGER's content as a signed big integer (two's complement). */
function signedInteger(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  if (((bytes[0] as number) & 0x80) !== 0) value -= 1n << BigInt(bytes.length * 8);
  return value;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
