import type { X509Certificate } from 'node:crypto';
import { readTime } from './tbs-certificate.js';
import {
  akidOf,
  ALL_REASONS,
  checkAkid,
  CertificateProfile,
  KeyUsageBit,
  readBitString,
  readDpName,
  reasonBits,
  setDpName,
  type AuthorityKeyId,
  type DistributionPoint,
  type DistributionPointName,
} from './verify/certificate-profile.js';
import { canonicalOf, latin1, readName } from './verify/canonical-name.js';
import { GeneralNameType, readGeneralNames, type GeneralName } from './verify/general-names.js';
import {
  Asn1Error,
  CONTEXT,
  firstElement,
  integerValue,
  oidOf,
  Tag,
  UNIVERSAL,
  type Element,
} from './verify/openssl-asn1.js';
import { verifySignedData } from './verify/signed-data.js';

const PEM_CRL = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/g;

/** Each `X509 CRL` block of a PEM text, whole, in order. */
export function splitPemCrls(pem: string): string[] {
  return [...pem.matchAll(PEM_CRL)].map((match) => match[0]);
}

/** When a loaded CRL was issued and until when it is current, and the trusted CA that signed it. */
export interface CrlInfo {
  readonly issuer: X509Certificate;
  readonly thisUpdate: Date;
  /** `undefined` when the CRL names none (RFC 5280 requires one; OpenSSL then never expires it). */
  readonly nextUpdate: Date | undefined;
}

/** `CRL_REASON_REMOVE_FROM_CRL`: an entry of a delta CRL that means "no longer revoked". */
const REMOVE_FROM_CRL = 8n;

/** `get_crl_score` bits (crypto/x509/x509_vfy.c). */
const Score = {
  noCritical: 0x100,
  scope: 0x080,
  time: 0x040,
  issuerName: 0x020,
  issuerCert: 0x018,
  samePath: 0x008,
  akid: 0x004,
} as const;

/** One CRL as OpenSSL reads it (`crl_cb`, `setup_idp`, `crl_set_issuers`). */
interface LoadedCrl {
  readonly issuerKey: string;
  /** Epoch seconds; `undefined` for a time not in RFC 5280's form. */
  readonly lastUpdate: number | undefined;
  readonly lastUpdateDate: Date;
  /** `null` when absent, `undefined` when not in RFC 5280's form. */
  readonly nextUpdate: number | null | undefined;
  readonly nextUpdateDate: Date | undefined;
  /** A time not in RFC 5280's form, named with its text (`thisUpdate "2605011200+0130"`). */
  readonly malformedTime: string | undefined;
  /** An unhandled critical extension, of the CRL or of an entry (`EXFLAG_CRITICAL`). */
  readonly critical: boolean;
  readonly akid: AuthorityKeyId | undefined;
  readonly idp: IssuingDistributionPoint | undefined;
  readonly delta: boolean;
  /** The revoked certificates, by serial, in the CRL's order. */
  readonly revoked: ReadonlyMap<bigint, readonly RevokedEntry[]>;
  readonly tbs: Uint8Array;
  readonly algorithm: Uint8Array;
  readonly innerAlgorithm: Uint8Array;
  readonly signature: Uint8Array;
}

/** One revokedCertificates entry as `crl_set_issuers` leaves it. */
interface RevokedEntry {
  /** `CRLReason`, `undefined` when the entry gives none. */
  readonly reason: bigint | undefined;
  /** The certificateIssuer names in force for it (an indirect CRL's), canonical directoryName keys. */
  readonly issuers: readonly string[] | undefined;
}

interface IssuingDistributionPoint {
  readonly onlyUser: boolean;
  readonly onlyCa: boolean;
  readonly onlyAttributes: boolean;
  /** More than one of the three "only" flags (`IDP_INVALID`). */
  readonly invalid: boolean;
  readonly indirect: boolean;
  /** onlySomeReasons present (`IDP_REASONS`), and the reasons (`idp_reasons`). */
  readonly someReasons: boolean;
  readonly reasons: number;
  readonly distributionPoint: DistributionPointName | undefined;
}

/**
 * The CRLs of the trusted CAs, for checking certificates no handshake has checked (forwarded
 * ones), as Node's `crl` option makes OpenSSL check them (`X509_V_FLAG_CRL_CHECK_ALL`, without
 * delta CRLs or extended CRL support): for each certificate of a path, the CRLs named for its
 * issuer are scored as `get_crl_score` does (unhandled critical extensions, times, the issuer
 * found by key identifier on the path, the issuing distribution point's scope), the best one (the
 * latest of equal ones) checked (the issuer's cRLSign, scope, times, signature) and the
 * certificate looked up in it by serial number (a `removeFromCRL` entry revokes nothing).
 * Without a CRL for an issuer a certificate reads "unable to get CRL", which refuses it.
 *
 * @throws {Error} at construction when a CRL does not parse, has a time not in RFC 5280's form
 *   (never current for OpenSSL), no trusted CA signed it, or a CA of the bundle has none (Node
 *   would fail every handshake through it later).
 * @see RFC 5280 section 5
 */
export class CrlSet {
  private readonly crls: LoadedCrl[] = [];
  private readonly infos: CrlInfo[] = [];

  constructor(pem: string, cas: readonly X509Certificate[]) {
    const profiles = cas.map((ca) => new CertificateProfile(ca));
    const covered = new Set<number>();
    const deltas = new Set<X509Certificate>();
    let index = 0;
    for (const match of pem.matchAll(PEM_CRL)) {
      index++;
      const der = Buffer.from((match[1] ?? '').replace(/\s+/g, ''), 'base64');
      let crl: LoadedCrl;
      try {
        crl = readCrl(der);
      } catch (cause) {
        throw new Error(`CRL ${index} is not a valid X.509 CRL`, { cause });
      }
      // check_crl_time: X509_cmp_time refuses any other form (ERROR_IN_CRL_LAST_UPDATE_FIELD,
      // ERROR_IN_CRL_NEXT_UPDATE_FIELD), so OpenSSL never takes such a CRL as current; nor can it
      // be listed with its dates. Say so now.
      if (crl.malformedTime !== undefined) {
        throw new Error(
          `CRL ${index}: its ${crl.malformedTime} is not a time in RFC 5280's form (YYMMDDHHMMSSZ, or YYYYMMDDHHMMSSZ): OpenSSL never takes this CRL as current; reissue it`,
        );
      }
      const signers = profiles
        .map((p, i) => ({ p, i }))
        .filter(({ p }) => p.subjectKey === crl.issuerKey && crlVerifies(crl, p));
      const first = signers[0];
      if (!first) throw new Error(`CRL ${index} is not signed by any CA in the trusted bundle`);
      // A delta CRL on its own is no CRL for Node's OpenSSL: it does not cover its CA.
      for (const { p, i } of signers) {
        if (crl.delta) deltas.add(p.cert);
        else covered.add(i);
      }
      this.crls.push(crl);
      this.infos.push({
        issuer: first.p.cert,
        thisUpdate: crl.lastUpdateDate,
        nextUpdate: crl.nextUpdateDate,
      });
    }
    if (index === 0) throw new Error('holds no "BEGIN X509 CRL" block');
    // Node's `crl` option checks every certificate in a chain: a CA without a CRL would fail every
    // handshake it is part of later, as a puzzling UNABLE_TO_GET_CRL. Say so now instead.
    const missing = cas.filter((_, i) => !covered.has(i));
    const deltaOnly = missing.filter((ca) => deltas.has(ca));
    if (deltaOnly.length > 0) {
      throw new Error(
        `only a delta CRL from ${deltaOnly.map((ca) => `"${ca.subject.replaceAll('\n', ', ')}"`).join(' and ')}: Node's OpenSSL does not use a delta CRL on its own; add the full CRL it extends`,
      );
    }
    if (missing.length > 0) {
      throw new Error(
        `no CRL from ${missing.map((ca) => `"${ca.subject.replaceAll('\n', ', ')}"`).join(' and ')}: Node needs a current CRL from every CA of the trusted bundle; add one per CA`,
      );
    }
  }

  /** How many CRLs were loaded. */
  get size(): number {
    return this.crls.length;
  }

  /** Each loaded CRL, in the order of the file: its issuer and dates. */
  get lists(): readonly CrlInfo[] {
    return this.infos;
  }

  /**
   * The revocation errors of the certificate at `index` of `chain` (`check_cert`), named as
   * OpenSSL names them; none when a current CRL in scope says it is not revoked.
   *
   * @param now epoch seconds.
   */
  check(chain: readonly CertificateProfile[], index: number, now: number): string[] {
    const x = chain[index] as CertificateProfile;
    const errors: string[] = [];
    if (x.proxy) return errors;
    let reasons = 0;
    while (reasons !== ALL_REASONS) {
      const last = reasons;
      const best = this.bestCrl(chain, index, reasons, now);
      if (!best) {
        errors.push('UNABLE_TO_GET_CRL');
        break;
      }
      reasons = best.reasons;
      this.checkCrl(best, chain, now, errors);
      // cert_crl
      if (best.crl.critical) errors.push('UNHANDLED_CRITICAL_CRL_EXTENSION');
      const entry = best.crl.revoked
        .get(x.serial)
        ?.find((e) => revokedIssuerMatches(e, x, best.crl));
      if (entry && entry.reason !== REMOVE_FROM_CRL) errors.push('CERT_REVOKED');
      if (last === reasons) {
        errors.push('UNABLE_TO_GET_CRL');
        break;
      }
    }
    return errors;
  }

  /** `get_crl_sk` over the CRLs named for the certificate's issuer: the best score, the latest. */
  private bestCrl(
    chain: readonly CertificateProfile[],
    index: number,
    reasons: number,
    now: number,
  ): { crl: LoadedCrl; score: number; reasons: number; issuer: number } | undefined {
    const x = chain[index] as CertificateProfile;
    let best: { crl: LoadedCrl; score: number; reasons: number; issuer: number } | undefined;
    for (const crl of this.crls) {
      if (crl.issuerKey !== x.issuerKey) continue;
      const scored = score(crl, chain, index, reasons, now);
      if (!scored || scored.score < (best?.score ?? 0)) continue;
      if (best && scored.score === best.score) {
        const [a, b] = [best.crl.lastUpdate, crl.lastUpdate];
        if (a === undefined || b === undefined || b <= a) continue;
      }
      best = { crl, ...scored };
    }
    return best;
  }

  /** `check_crl`: the issuer may sign CRLs, the CRL is in scope, current and signed by it. */
  private checkCrl(
    best: { crl: LoadedCrl; score: number; issuer: number },
    chain: readonly CertificateProfile[],
    now: number,
    errors: string[],
  ): void {
    const { crl, score: value } = best;
    const issuer = chain[best.issuer] as CertificateProfile;
    if (issuer.keyUsage !== undefined && (issuer.keyUsage & KeyUsageBit.cRLSign) === 0) {
      errors.push('KEYUSAGE_NO_CRL_SIGN');
    }
    if ((value & Score.scope) === 0) errors.push('DIFFERENT_CRL_SCOPE');
    if ((value & Score.time) === 0) errors.push(...crlTimeErrors(crl, now));
    if (issuer.publicKey === undefined) errors.push('UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY');
    else if (!crlVerifies(crl, issuer)) errors.push('CRL_SIGNATURE_FAILURE');
  }
}

/** `get_crl_score` (no extended CRL support), with the index of the CRL's issuer on the path. */
function score(
  crl: LoadedCrl,
  chain: readonly CertificateProfile[],
  index: number,
  reasons: number,
  now: number,
): { score: number; reasons: number; issuer: number } | undefined {
  const idp = crl.idp;
  // Without extended CRL support: no indirect CRLs, none limited to some reasons, and (as the
  // OpenSSL Node runs decides, measured in test/e2e/trust-findings) no delta CRL on its own.
  if (idp?.invalid || idp?.indirect || idp?.someReasons || crl.delta) return undefined;
  let value = Score.issuerName;
  if (!crl.critical) value |= Score.noCritical;
  if (crlTimeErrors(crl, now).length === 0) value |= Score.time;
  // crl_akid_check: the certificate's issuer on the path, else another of the CRL's name.
  let issuer = index === chain.length - 1 ? index : index + 1;
  if (checkAkid(chain[issuer] as CertificateProfile, crl.akid)) {
    value |= Score.akid | Score.issuerCert;
  } else {
    let found = false;
    for (issuer++; issuer < chain.length; issuer++) {
      const candidate = chain[issuer] as CertificateProfile;
      if (candidate.subjectKey !== crl.issuerKey) continue;
      if (checkAkid(candidate, crl.akid)) {
        value |= Score.akid | Score.samePath;
        found = true;
        break;
      }
    }
    if (!found) return undefined;
  }
  const scope = crldpCheck(chain[index] as CertificateProfile, crl, value);
  let newReasons = reasons;
  if (scope !== undefined) {
    if ((scope & ~reasons) === 0) return undefined;
    newReasons = reasons | scope;
    value |= Score.scope;
  }
  return { score: value, reasons: newReasons, issuer };
}

/** `crl_crldp_check`: the reasons a CRL covers for `x`, `undefined` when it is out of its scope. */
function crldpCheck(x: CertificateProfile, crl: LoadedCrl, value: number): number | undefined {
  const idp = crl.idp;
  if (idp?.onlyAttributes) return undefined;
  if (x.ca ? idp?.onlyUser : idp?.onlyCa) return undefined;
  const reasons = idp?.reasons ?? ALL_REASONS;
  for (const dp of x.distributionPoints) {
    if (crlIssuerMatches(dp, crl, value) && (!idp || sameDpName(dp.name, idp.distributionPoint))) {
      return reasons & dp.reasons;
    }
  }
  return (!idp || !idp.distributionPoint) && (value & Score.issuerName) !== 0 ? reasons : undefined;
}

/** `crldp_check_crlissuer`. */
function crlIssuerMatches(dp: DistributionPoint, crl: LoadedCrl, value: number): boolean {
  if (!dp.crlIssuer) return (value & Score.issuerName) !== 0;
  return dp.crlIssuer.some(
    (n) => n.type === GeneralNameType.directoryName && latin1(n.value) === crl.issuerKey,
  );
}

/** `idp_check_dp`: the two distribution point names name the same thing. */
function sameDpName(
  a: DistributionPointName | undefined,
  b: DistributionPointName | undefined,
): boolean {
  if (!a || !b) return true;
  if (a.kind === 'relative' && b.kind === 'relative') {
    return a.name !== undefined && a.name === b.name;
  }
  if (a.kind === 'relative' || b.kind === 'relative') {
    const [relative, full] = a.kind === 'relative' ? [a, b] : [b, a];
    if (relative.kind !== 'relative' || full.kind !== 'full' || relative.name === undefined) {
      return false;
    }
    const name = relative.name;
    return full.names.some(
      (n) => n.type === GeneralNameType.directoryName && latin1(n.value) === name,
    );
  }
  return a.names.some((x) => b.names.some((y) => sameGeneralName(x, y)));
}

/** `crl_revoked_issuer_match`: the entry is for `x`'s issuer. */
function revokedIssuerMatches(entry: RevokedEntry, x: CertificateProfile, crl: LoadedCrl): boolean {
  if (entry.issuers === undefined) return x.issuerKey === crl.issuerKey;
  return entry.issuers.includes(x.issuerKey);
}

function sameGeneralName(a: GeneralName, b: GeneralName): boolean {
  return a.type === b.type && Buffer.from(a.value).equals(Buffer.from(b.value));
}

/** `check_crl_time`'s errors at `now` (epoch seconds). */
function crlTimeErrors(crl: LoadedCrl, now: number): string[] {
  const errors: string[] = [];
  if (crl.lastUpdate === undefined) errors.push('ERROR_IN_CRL_LAST_UPDATE_FIELD');
  else if (crl.lastUpdate > now) errors.push('CRL_NOT_YET_VALID');
  if (crl.nextUpdate === undefined) errors.push('ERROR_IN_CRL_NEXT_UPDATE_FIELD');
  else if (crl.nextUpdate !== null && crl.nextUpdate <= now) errors.push('CRL_HAS_EXPIRED');
  return errors;
}

/** `X509_CRL_verify`: both algorithm identifiers alike, the signature by `issuer`'s key. */
function crlVerifies(crl: LoadedCrl, issuer: CertificateProfile): boolean {
  if (!issuer.publicKey || !Buffer.from(crl.algorithm).equals(Buffer.from(crl.innerAlgorithm))) {
    return false;
  }
  return verifySignedData(crl.algorithm, crl.tbs, crl.signature, issuer.publicKey);
}

const ID_CE_CRL_REASONS = '2.5.29.21';
const ID_CE_DELTA_CRL = '2.5.29.27';
const ID_CE_ISSUING_DP = '2.5.29.28';
const ID_CE_CERTIFICATE_ISSUER = '2.5.29.29';
const ID_CE_AKID = '2.5.29.35';

/** Reads a DER CRL as OpenSSL's `X509_CRL` decoder and its callback do. */
function readCrl(der: Uint8Array): LoadedCrl {
  const outer = firstElement(der);
  if (!outer.is(UNIVERSAL, Tag.sequence)) throw new Asn1Error('a CRL is a SEQUENCE');
  const parts = outer.children();
  const tbsElement = parts.expect(UNIVERSAL, Tag.sequence);
  const algorithm = parts.expect(UNIVERSAL, Tag.sequence);
  const signature = parts.expect(UNIVERSAL, Tag.bitString).primitive(Tag.bitString);
  parts.done();
  const tbs = tbsElement.children();
  tbs.optional(UNIVERSAL, Tag.integer)?.primitive(Tag.integer);
  const innerAlgorithm = tbs.expect(UNIVERSAL, Tag.sequence);
  const issuer = readName(tbs.expect(UNIVERSAL, Tag.sequence));
  const thisUpdate = timeElement(tbs);
  if (!thisUpdate) throw new Asn1Error('a CRL needs a thisUpdate');
  const nextUpdate = timeElement(tbs);
  const revoked = new Map<bigint, RevokedEntry[]>();
  let critical = false;
  // crl_set_issuers: a certificateIssuer holds for the entries after it; an extension of an
  // entry that does not decode stops the reading of the rest (reason 0, no certificate issuer).
  let issuers: string[] | undefined;
  let stopped = false;
  const list = tbs.optional(UNIVERSAL, Tag.sequence);
  for (const item of list?.children() ?? []) {
    const fields = item.children();
    const serial = integerValue(fields.expect(UNIVERSAL, Tag.integer).primitive(Tag.integer));
    if (!timeElement(fields)) throw new Asn1Error('a CRL entry needs a revocationDate');
    const extensions = fields.optional(UNIVERSAL, Tag.sequence);
    fields.done();
    const exts = extensions ? readExtensions(extensions) : [];
    let entry: RevokedEntry = { reason: 0n, issuers: undefined };
    if (!stopped) {
      const names = decodeOnce(exts, ID_CE_CERTIFICATE_ISSUER, (e) =>
        readGeneralNames(e)
          .filter((n) => n.type === GeneralNameType.directoryName)
          .map((n) => latin1(n.value)),
      );
      if (names === null) stopped = true;
      else {
        issuers = names ?? issuers;
        const reason = decodeOnce(exts, ID_CE_CRL_REASONS, (e) => {
          if (!e.is(UNIVERSAL, Tag.enumerated)) throw new Asn1Error('CRLReason is ENUMERATED');
          return integerValue(e.primitive(Tag.enumerated));
        });
        if (reason === null) {
          stopped = true;
          entry = { reason: 0n, issuers };
        } else {
          entry = { reason, issuers };
          if (exts.some((ext) => ext.critical && ext.oid !== ID_CE_CERTIFICATE_ISSUER)) {
            critical = true;
          }
        }
      }
    }
    const entries = revoked.get(serial) ?? [];
    entries.push(entry);
    revoked.set(serial, entries);
  }
  let akid: AuthorityKeyId | undefined;
  let idp: IssuingDistributionPoint | undefined;
  let delta = false;
  const extensionsElement = tbs.optional(CONTEXT, 0);
  tbs.done();
  if (extensionsElement) {
    const inner = extensionsElement.children();
    const sequence = inner.expect(UNIVERSAL, Tag.sequence);
    inner.done();
    const exts = readExtensions(sequence);
    const issuerKey = latin1(canonicalOf(issuer));
    // X509_CRL_get_ext_d2i: an extension that repeats or does not decode is as good as absent.
    idp = decodeOnce(exts, ID_CE_ISSUING_DP, (e) => readIdp(e, issuerKey)) ?? undefined;
    akid = decodeOnce(exts, ID_CE_AKID, akidOf) ?? undefined;
    delta =
      decodeOnce(exts, ID_CE_DELTA_CRL, (e) => {
        if (!e.is(UNIVERSAL, Tag.integer)) throw new Asn1Error('BaseCRLNumber is an INTEGER');
        e.primitive(Tag.integer);
        return true;
      }) === true;
    for (const ext of exts) {
      if (ext.critical && ![ID_CE_ISSUING_DP, ID_CE_AKID, ID_CE_DELTA_CRL].includes(ext.oid)) {
        critical = true;
      }
    }
  }
  const thisTime = readTime(thisUpdate.bytes, thisUpdate.start);
  const nextTime = nextUpdate ? readTime(nextUpdate.bytes, nextUpdate.start) : undefined;
  const text = (e: Element) => `"${latin1(e.bytes.subarray(e.contentStart, e.contentEnd))}"`;
  return {
    issuerKey: latin1(canonicalOf(issuer)),
    lastUpdate: thisTime === undefined ? undefined : thisTime.ms / 1000,
    lastUpdateDate: new Date(thisTime?.ms ?? Number.NaN),
    nextUpdate: nextUpdate ? (nextTime === undefined ? undefined : nextTime.ms / 1000) : null,
    nextUpdateDate: nextTime ? new Date(nextTime.ms) : undefined,
    malformedTime: !thisTime
      ? `thisUpdate ${text(thisUpdate)}`
      : nextUpdate && !nextTime
        ? `nextUpdate ${text(nextUpdate)}`
        : undefined,
    critical,
    akid,
    idp,
    delta,
    revoked,
    tbs: tbsElement.encoding,
    algorithm: algorithm.encoding,
    innerAlgorithm: innerAlgorithm.encoding,
    signature: signature.subarray(1),
  };
}

/** The next element of `fields` if it is a UTCTime or GeneralizedTime. */
function timeElement(fields: {
  peek(): Element | undefined;
  next(): Element | undefined;
}): Element | undefined {
  const e = fields.peek();
  if (e?.is(UNIVERSAL, Tag.utcTime) || e?.is(UNIVERSAL, Tag.generalizedTime)) {
    e.primitive(e.tag);
    return fields.next();
  }
  return undefined;
}

/** `Extensions`: each `SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue }`. */
function readExtensions(
  e: Element,
): { readonly oid: string; readonly critical: boolean; readonly value: Uint8Array }[] {
  return [...e.children()].map((ext) => {
    const fields = ext.children();
    const oid = oidOf(fields.expect(UNIVERSAL, Tag.oid));
    const flag = fields.optional(UNIVERSAL, Tag.boolean);
    const value = fields.expect(UNIVERSAL, Tag.octetString).primitive(Tag.octetString);
    fields.done();
    return { oid, critical: flag ? flag.primitive(Tag.boolean)[0] !== 0 : false, value };
  });
}

/**
 * The value of the extension `oid` decoded by `decode` (`X509_CRL_get_ext_d2i`): `undefined` when
 * absent, `null` when it repeats or does not decode.
 */
function decodeOnce<T>(
  exts: readonly { readonly oid: string; readonly value: Uint8Array }[],
  oid: string,
  decode: (e: Element) => T,
): T | undefined | null {
  const found = exts.filter((ext) => ext.oid === oid);
  if (found.length === 0) return undefined;
  if (found.length > 1) return null;
  try {
    return decode(firstElement((found[0] as { value: Uint8Array }).value));
  } catch (error) {
    if (!(error instanceof Asn1Error)) throw error;
    return null;
  }
}

/**
 * `ISSUING_DIST_POINT` and `setup_idp`.
 *
 * @param issuerKey the CRL issuer's Name (canonical key), which a relative name extends.
 * @throws {Asn1Error} when OpenSSL's decoder would refuse it.
 */
function readIdp(e: Element, issuerKey: string): IssuingDistributionPoint {
  if (!e.is(UNIVERSAL, Tag.sequence)) throw new Asn1Error('IssuingDistributionPoint is a SEQUENCE');
  const fields = e.children();
  const dp = fields.optional(CONTEXT, 0);
  const flag = (tag: number) => {
    const field = fields.optional(CONTEXT, tag);
    return field ? (field.primitive(Tag.boolean)[0] as number) > 0 : false;
  };
  const onlyUser = flag(1);
  const onlyCa = flag(2);
  const someReasons = fields.optional(CONTEXT, 3);
  const reasons = someReasons ? readBitString(someReasons, CONTEXT, 3) : undefined;
  const indirect = flag(4);
  const onlyAttributes = flag(5);
  fields.done();
  const name = dp ? readDpName(dp) : undefined;
  const only = [onlyUser, onlyCa, onlyAttributes].filter(Boolean).length;
  return {
    onlyUser,
    onlyCa,
    onlyAttributes,
    // More than one "only", or nothing at all: RFC 5280 5.2.5, as setup_idp reads it.
    invalid: only > 1 || (only === 0 && !indirect && !reasons && !name),
    indirect,
    someReasons: reasons !== undefined,
    reasons: reasons ? reasonBits(reasons, ALL_REASONS) : ALL_REASONS,
    distributionPoint: name && setDpName(name, issuerKey),
  };
}
