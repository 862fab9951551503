import type { KeyObject, X509Certificate } from 'node:crypto';
import { readCertificateParts } from '../certificate-parts.js';
import { contentStart, decodeOid, elementEnd } from '../der.js';
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
import { canonicalName, toUtf8 } from './canonical-name.js';
import { GeneralNameType, readGeneralNameList, type GeneralName } from './general-names.js';
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
} from './security-bits.js';

/** keyUsage bits as OpenSSL holds them (`ex_kusage`: first content byte, second byte << 8). */
export const KeyUsageBit = {
  digitalSignature: 0x0080,
  keyAgreement: 0x0008,
  keyCertSign: 0x0004,
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
  /** Canonical keys of the subject and issuer Names ({@link canonicalName}). */
  readonly subjectKey: string;
  readonly issuerKey: string;
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
    this.subjectKey = latin1(canonicalName(tbs.subject));
    this.issuerKey = latin1(canonicalName(tbs.issuer));
    this.notBefore = tbs.notBeforeMs === undefined ? undefined : tbs.notBeforeMs / 1000;
    this.notAfter = tbs.notAfterMs === undefined ? undefined : tbs.notAfterMs / 1000;

    const ext = readExtensions(tbs.extensions);
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
    const outer = outerSignatureAlgorithm(this.der);
    this.signatureBits = signatureSecurityBits(outer.oid, outer.pssHash);

    this.selfIssued = this.subjectKey === this.issuerKey;
    this.selfSigned =
      this.selfIssued && !this.invalid && akidMatches(this, this) && this.signatureMatchesKey(this);
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
    const attributes = subjectAttributes(this.tbs.subject);
    return {
      subject: this.tbs.subject,
      subjectAttributeCount: attributes.length,
      subjectEmails: attributes.filter((a) => a.oid === id_emailAddress),
      altNames: this.altNames ?? [],
    };
  }

  /** The UTF-8 of each commonName attribute of the subject, as `cn2dnsid` converts it. */
  get commonNames(): Uint8Array[] {
    return subjectAttributes(this.tbs.subject)
      .filter((a) => a.oid === id_at_commonName)
      .map((a) => toUtf8(a.tag, a.value));
  }
}

/**
 * `X509_check_akid(issuer, subject's AKID)`: the key identifier, serial and issuer name the
 * subject's authorityKeyIdentifier gives, where given, are the issuer's.
 */
export function akidMatches(issuer: CertificateProfile, subject: CertificateProfile): boolean {
  const akid = subject.authorityKeyId;
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
}

function readExtensions(extensions: readonly RawExtension[]): ExtensionFacts {
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
      if (!decodeExtension(ext.oid, ext.value, facts)) facts.invalid = true;
    } catch {
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

/** Decodes one extension into `facts`; `false` when its value is one OpenSSL calls invalid. */
function decodeExtension(oid: string, v: Uint8Array, facts: ExtensionFacts): boolean {
  switch (oid) {
    case id_ce_basicConstraints:
      return readBasicConstraints(v, facts);
    case id_ce_keyUsage: {
      const bits = readBitString(v);
      facts.keyUsage = (bits[0] ?? 0) | ((bits[1] ?? 0) << 8);
      // RFC 5280 4.2.1.3: a keyUsage with no bit set is invalid.
      return facts.keyUsage !== 0;
    }
    case id_ce_extKeyUsage:
      facts.extKeyUsage = readOidSequence(v);
      return true;
    case id_netscape_certType:
      facts.netscapeCertType = readBitString(v)[0] ?? 0;
      return true;
    case id_ce_subjectKeyIdentifier:
      expect(v, 0, 0x04);
      facts.subjectKeyId = v.subarray(contentStart(v, 0), elementEnd(v, 0));
      return true;
    case id_ce_authorityKeyIdentifier:
      facts.authorityKeyId = readAuthorityKeyId(v);
      return true;
    case id_ce_subjectAltName:
      facts.altNames = readGeneralNameList(v, 0);
      return true;
    case id_ce_nameConstraints:
      facts.nameConstraints = readNameConstraints(v.subarray(0, elementEnd(v, 0)));
      return true;
    case id_ce_cRLDistributionPoints:
      return readDistributionPoints(v);
    case id_pe_proxyCertInfo:
      expect(v, 0, 0x30);
      facts.proxy = true;
      return true;
    default:
      // RFC 3779 blocks: read by OpenSSL's path validation, which this verifier does not do.
      expect(v, 0, 0x30);
      facts.rfc3779 = true;
      return true;
  }
}

function readBasicConstraints(v: Uint8Array, facts: ExtensionFacts): boolean {
  expect(v, 0, 0x30);
  const end = elementEnd(v, 0);
  let p = contentStart(v, 0);
  facts.hasBasicConstraints = true;
  if (p < end && v[p] === 0x01) {
    const content = v.subarray(contentStart(v, p), elementEnd(v, p));
    if (content.length !== 1) throw new Error('BOOLEAN of length other than 1');
    facts.ca = content[0] !== 0;
    p = elementEnd(v, p);
  }
  if (p < end && v[p] === 0x02) {
    const value = signedInteger(v.subarray(contentStart(v, p), elementEnd(v, p)));
    // A negative pathLenConstraint invalidates; one beyond a C long reads as "none" (-1).
    if (value < 0n) return false;
    facts.pathLen = value > 0x7fffffffffffffffn ? -1 : Number(value);
    p = elementEnd(v, p);
  }
  if (p !== end) throw new Error('unexpected element in BasicConstraints');
  return true;
}

function readAuthorityKeyId(v: Uint8Array): AuthorityKeyId {
  expect(v, 0, 0x30);
  const end = elementEnd(v, 0);
  let p = contentStart(v, 0);
  let keyId: Uint8Array | undefined;
  let issuer: string | undefined;
  let serial: bigint | undefined;
  if (p < end && v[p] === 0x80) {
    keyId = v.subarray(contentStart(v, p), elementEnd(v, p));
    p = elementEnd(v, p);
  }
  if (p < end && v[p] === 0xa1) {
    const names = readGeneralNameList(v, p, 0xa1);
    const dir = names.find((n) => n.type === GeneralNameType.directoryName);
    if (dir) issuer = latin1(canonicalName(dir.value));
    p = elementEnd(v, p);
  }
  if (p < end && v[p] === 0x82) {
    serial = signedInteger(v.subarray(contentStart(v, p), elementEnd(v, p)));
    p = elementEnd(v, p);
  }
  if (p !== end) throw new Error('unexpected element in AuthorityKeyIdentifier');
  return { keyId, issuer, serial };
}

/** CRLDistributionPoints: each point must name a distribution point or a CRL issuer (`setup_dp`). */
function readDistributionPoints(v: Uint8Array): boolean {
  expect(v, 0, 0x30);
  const end = elementEnd(v, 0);
  for (let dp = contentStart(v, 0); dp < end; dp = elementEnd(v, dp)) {
    expect(v, dp, 0x30);
    const dpEnd = elementEnd(v, dp);
    let p = contentStart(v, dp);
    let hasName = false;
    let issuers = 0;
    if (p < dpEnd && v[p] === 0xa0) {
      const inner = contentStart(v, p);
      if (v[inner] === 0xa0) readGeneralNameList(v, inner, 0xa0);
      else if (v[inner] !== 0xa1) throw new Error('malformed DistributionPointName');
      hasName = true;
      p = elementEnd(v, p);
    }
    if (p < dpEnd && v[p] === 0x81) p = elementEnd(v, p);
    if (p < dpEnd && v[p] === 0xa2) {
      issuers = readGeneralNameList(v, p, 0xa2).length;
      p = elementEnd(v, p);
    }
    if (p !== dpEnd) throw new Error('unexpected element in DistributionPoint');
    if (!hasName && issuers === 0) return false;
  }
  return true;
}

/** A BIT STRING's bytes with its unused bits cleared (`c2i_ASN1_BIT_STRING`). */
function readBitString(v: Uint8Array): Uint8Array {
  expect(v, 0, 0x03);
  const start = contentStart(v, 0);
  const end = elementEnd(v, 0);
  if (end - start < 1) throw new Error('empty BIT STRING');
  const unused = v[start] as number;
  if (unused > 7) throw new Error('BIT STRING with more than 7 unused bits');
  const bytes = Uint8Array.from(v.subarray(start + 1, end));
  if (bytes.length > 0)
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) & (0xff << unused);
  return bytes;
}

function readOidSequence(v: Uint8Array): string[] {
  expect(v, 0, 0x30);
  const end = elementEnd(v, 0);
  const out: string[] = [];
  for (let p = contentStart(v, 0); p < end; p = elementEnd(v, p)) {
    expect(v, p, 0x06);
    out.push(decodeOid(v, contentStart(v, p), elementEnd(v, p)));
  }
  return out;
}

/** The subject's attributes, walked without decoding: OID, value tag and value content. */
function subjectAttributes(
  name: Uint8Array,
): { readonly oid: string; readonly tag: number; readonly value: Uint8Array }[] {
  const out: { oid: string; tag: number; value: Uint8Array }[] = [];
  const end = elementEnd(name, 0);
  for (let rdn = contentStart(name, 0); rdn < end; rdn = elementEnd(name, rdn)) {
    const rdnEnd = elementEnd(name, rdn);
    for (let atv = contentStart(name, rdn); atv < rdnEnd; atv = elementEnd(name, atv)) {
      const oidAt = contentStart(name, atv);
      const valueAt = elementEnd(name, oidAt);
      out.push({
        oid: decodeOid(name, contentStart(name, oidAt), valueAt),
        tag: name[valueAt] as number,
        value: name.subarray(contentStart(name, valueAt), elementEnd(name, valueAt)),
      });
    }
  }
  return out;
}

/** The OID of an AlgorithmIdentifier element. */
function algorithmOid(alg: Uint8Array): string {
  const oidAt = contentStart(alg, 0);
  return decodeOid(alg, contentStart(alg, oidAt), elementEnd(alg, oidAt));
}

/** The certificate's own (outer) signatureAlgorithm, and for RSASSA-PSS the hash it names. */
function outerSignatureAlgorithm(der: Uint8Array): { oid: string; pssHash?: string } {
  const tbs = contentStart(der, 0);
  const alg = elementEnd(der, tbs);
  const oidAt = contentStart(der, alg);
  const oid = decodeOid(der, contentStart(der, oidAt), elementEnd(der, oidAt));
  if (oid !== RSASSA_PSS) return { oid };
  // RSASSA-PSS-params ::= SEQUENCE { hashAlgorithm [0] EXPLICIT AlgorithmIdentifier DEFAULT sha1, ... }
  const params = elementEnd(der, oidAt);
  if (params >= elementEnd(der, alg) || der[params] !== 0x30) return { oid };
  const first = contentStart(der, params);
  if (first >= elementEnd(der, params) || der[first] !== 0xa0) return { oid };
  const hashAlg = contentStart(der, first);
  const hashOid = contentStart(der, hashAlg);
  return { oid, pssHash: decodeOid(der, contentStart(der, hashOid), elementEnd(der, hashOid)) };
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

function expect(der: Uint8Array, at: number, tag: number): void {
  if (der[at] !== tag) throw new Error(`expected tag 0x${tag.toString(16)}`);
  elementEnd(der, at);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('latin1');
}
