import { signatureAlgorithm, signWith, type SignatureChoice } from './algorithms.js';
import { bitStringBytes, context, integer, namedBits, sequence, TAG, tlv } from './der.js';
import {
  encodeExtension,
  encodeGeneralName,
  type ExtensionSpec,
  type GeneralName,
} from './extensions.js';
import type { ForgeKey } from './keys.js';
import { encodeAttribute, encodeName, type NameInput, type RdnSpec } from './names.js';
import { encodeTime, type TimeSpec } from './time.js';

/** CRL extension OIDs (RFC 5280 section 5.2 and 5.3). */
export const CRL_OIDS = {
  cRLNumber: '2.5.29.20',
  reasonCode: '2.5.29.21',
  invalidityDate: '2.5.29.24',
  deltaCRLIndicator: '2.5.29.27',
  issuingDistributionPoint: '2.5.29.28',
  certificateIssuer: '2.5.29.29',
  cRLDistributionPoints: '2.5.29.31',
  authorityKeyIdentifier: '2.5.29.35',
  freshestCRL: '2.5.29.46',
} as const;

/** CRLReason values (RFC 5280 5.3.1); 7 is unused, 8 means "no longer revoked" in a delta CRL. */
export const CRL_REASONS = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
} as const;

/**
 * A DistributionPointName: `fullName` GeneralNames, or `nameRelativeToCRLIssuer`, one RDN whose
 * attributes the reader appends to the CRL issuer's Name.
 */
export type DistributionPointNameSpec =
  { readonly fullName: readonly GeneralName[] } | { readonly relativeName: RdnSpec };

/** One DistributionPoint of a cRLDistributionPoints (or freshestCRL) extension. */
export interface DistributionPointSpec {
  readonly name?: DistributionPointNameSpec;
  /** ReasonFlags bit numbers (1 keyCompromise ... 8 aACompromise; 0 is unused). */
  readonly reasons?: readonly number[];
  readonly crlIssuer?: readonly GeneralName[];
}

/** `[0] EXPLICIT DistributionPointName`, as DistributionPoint and IssuingDistributionPoint hold it. */
function distributionPointName(name: DistributionPointNameSpec): Buffer {
  const choice =
    'fullName' in name
      ? tlv(context(0, true), ...name.fullName.map(encodeGeneralName))
      : tlv(context(1, true), ...name.relativeName.map(encodeAttribute));
  return tlv(context(0, true), choice);
}

/** A ReasonFlags BIT STRING with an IMPLICIT context tag (DER-minimal, as `namedBits`). */
function reasonFlags(tag: number, bits: readonly number[]): Buffer {
  const universal = namedBits(bits);
  return Buffer.concat([Buffer.from([context(tag, false)]), universal.subarray(1)]);
}

/** DER of one DistributionPoint. */
export function encodeDistributionPoint(dp: DistributionPointSpec): Buffer {
  const parts: Buffer[] = [];
  if (dp.name) parts.push(distributionPointName(dp.name));
  if (dp.reasons) parts.push(reasonFlags(1, dp.reasons));
  if (dp.crlIssuer) parts.push(tlv(context(2, true), ...dp.crlIssuer.map(encodeGeneralName)));
  return sequence(...parts);
}

/** cRLDistributionPoints of any shape (full or relative names, reasons, cRLIssuer). */
export function distributionPoints(
  points: readonly DistributionPointSpec[],
  critical = false,
): ExtensionSpec {
  return {
    oid: CRL_OIDS.cRLDistributionPoints,
    critical,
    value: sequence(...points.map(encodeDistributionPoint)),
  };
}

/**
 * A BOOLEAN DEFAULT FALSE of an issuingDistributionPoint: `true` is written TRUE (FF); `false` an
 * explicit FALSE, which DER forbids (it is the DEFAULT); bytes are its content octets verbatim (a
 * BER TRUE `01`, a wrong length); absent is not written.
 */
export type IdpFlag = boolean | Uint8Array;

/** The fields of an issuingDistributionPoint (see {@link IdpFlag} for the flags). */
export interface IssuingDistributionPointSpec {
  readonly distributionPoint?: DistributionPointNameSpec;
  readonly onlyContainsUserCerts?: IdpFlag;
  readonly onlyContainsCACerts?: IdpFlag;
  /** ReasonFlags bit numbers. */
  readonly onlySomeReasons?: readonly number[];
  readonly indirectCRL?: IdpFlag;
  readonly onlyContainsAttributeCerts?: IdpFlag;
  /** Elements written after the fields (the syntax has none: a decoder must refuse them). */
  readonly trailing?: readonly Uint8Array[];
}

/** issuingDistributionPoint (critical, as RFC 5280 wants, unless told). */
export function issuingDistributionPoint(
  idp: IssuingDistributionPointSpec,
  critical = true,
): ExtensionSpec {
  const flag = (tag: number, value: IdpFlag | undefined): Buffer[] => {
    if (value === undefined) return [];
    const content = value instanceof Uint8Array ? value : Buffer.from([value ? 0xff : 0]);
    return [tlv(context(tag, false), content)];
  };
  const parts: Buffer[] = [];
  if (idp.distributionPoint) parts.push(distributionPointName(idp.distributionPoint));
  parts.push(...flag(1, idp.onlyContainsUserCerts), ...flag(2, idp.onlyContainsCACerts));
  if (idp.onlySomeReasons) parts.push(reasonFlags(3, idp.onlySomeReasons));
  parts.push(...flag(4, idp.indirectCRL), ...flag(5, idp.onlyContainsAttributeCerts));
  parts.push(...(idp.trailing ?? []).map((e) => Buffer.from(e)));
  return { oid: CRL_OIDS.issuingDistributionPoint, critical, value: sequence(...parts) };
}

/** cRLNumber. */
export function crlNumber(n: bigint | number, critical = false): ExtensionSpec {
  return { oid: CRL_OIDS.cRLNumber, critical, value: integer(n) };
}

/** deltaCRLIndicator (BaseCRLNumber): a delta CRL. Critical, as RFC 5280 wants, unless told. */
export function deltaCrlIndicator(base: bigint | number, critical = true): ExtensionSpec {
  return { oid: CRL_OIDS.deltaCRLIndicator, critical, value: integer(base) };
}

/** freshestCRL: where the delta CRLs are (the syntax of cRLDistributionPoints). */
export function freshestCrl(points: readonly DistributionPointSpec[]): ExtensionSpec {
  return {
    oid: CRL_OIDS.freshestCRL,
    critical: false,
    value: sequence(...points.map(encodeDistributionPoint)),
  };
}

/**
 * reasonCode of a CRL entry: an ENUMERATED (a number encoded minimally, or bytes as its content
 * octets verbatim: non-minimal, empty), or with `asInteger` an INTEGER (which OpenSSL's decoder
 * refuses).
 */
export function reasonCode(
  reason: number | Uint8Array,
  o: { critical?: boolean; asInteger?: boolean } = {},
): ExtensionSpec {
  const value = integer(reason);
  if (!o.asInteger) value[0] = TAG.enumerated;
  return { oid: CRL_OIDS.reasonCode, critical: o.critical ?? false, value };
}

/** certificateIssuer of a CRL entry (an indirect CRL's): critical, as RFC 5280 wants, unless told. */
export function certificateIssuer(names: readonly GeneralName[], critical = true): ExtensionSpec {
  return {
    oid: CRL_OIDS.certificateIssuer,
    critical,
    value: sequence(...names.map(encodeGeneralName)),
  };
}

/** invalidityDate of a CRL entry (a GeneralizedTime). */
export function invalidityDate(date: Date, critical = false): ExtensionSpec {
  return {
    oid: CRL_OIDS.invalidityDate,
    critical,
    value: encodeTime({ date, encoding: 'generalized' }),
  };
}

/** One revokedCertificates entry. */
export interface RevokedSpec {
  /** A bigint (encoded minimally, may be negative) or the content octets verbatim. */
  readonly serial: bigint | Uint8Array;
  /** revocationDate (default 2025-01-01; OpenSSL does not read it). */
  readonly date?: TimeSpec;
  readonly extensions?: readonly ExtensionSpec[];
}

/** Everything about one CRL; the issuer's Name and key sign it unless told otherwise. */
export interface CrlSpec {
  /** The CA whose Name the CRL carries and whose key signs it. */
  readonly issuer: {
    readonly certificate: { readonly subjectName: Buffer };
    readonly key: ForgeKey;
  };
  /** The issuer Name written, instead of a byte copy of the issuer's subject. */
  readonly issuerName?: NameInput;
  /** Signs with this key instead of the issuer's. */
  readonly signingKey?: ForgeKey;
  readonly signature?: SignatureChoice;
  /** The AlgorithmIdentifier inside the TBS, DER, instead of the one matching the signer. */
  readonly innerAlgorithm?: Uint8Array;
  /** The AlgorithmIdentifier outside the TBS, DER, instead of the one matching the signer. */
  readonly outerAlgorithm?: Uint8Array;
  /** The version INTEGER written (default 1: v2); `null` writes none (v1). */
  readonly version?: number | null;
  readonly thisUpdate: TimeSpec;
  readonly nextUpdate?: TimeSpec;
  /** revokedCertificates, in this order; absent or empty writes none. */
  readonly revoked?: readonly RevokedSpec[];
  /** crlExtensions, in this order (duplicates kept). */
  readonly extensions?: readonly ExtensionSpec[];
  /** Writes revokedCertificates and crlExtensions even when empty (empty SEQUENCEs). */
  readonly emptyLists?: boolean;
}

/** A CRL as bytes and PEM. */
export interface ForgedCrl {
  readonly der: Buffer;
  readonly pem: string;
}

/**
 * Builds and signs a CRL byte by byte from `spec` (RFC 5280 section 5), so that every field can
 * be set, including encodings DER forbids.
 */
export function forgeRevocationList(spec: CrlSpec): ForgedCrl {
  const signer = spec.signingKey ?? spec.issuer.key;
  const choice = spec.signature ?? {};
  const algorithm = signatureAlgorithm(signer, choice);
  const parts: Buffer[] = [];
  const version = spec.version === undefined ? 1 : spec.version;
  if (version !== null) parts.push(integer(version));
  parts.push(
    Buffer.from(spec.innerAlgorithm ?? algorithm),
    spec.issuerName !== undefined
      ? encodeName(spec.issuerName)
      : Buffer.from(spec.issuer.certificate.subjectName),
    encodeTime(spec.thisUpdate),
  );
  if (spec.nextUpdate !== undefined) parts.push(encodeTime(spec.nextUpdate));
  if ((spec.revoked && spec.revoked.length > 0) || spec.emptyLists) {
    parts.push(
      sequence(
        ...(spec.revoked ?? []).map((r) =>
          sequence(
            r.serial instanceof Uint8Array ? tlv(TAG.integer, r.serial) : integer(r.serial),
            encodeTime(r.date ?? new Date(Date.UTC(2025, 0, 1))),
            ...(r.extensions && r.extensions.length > 0
              ? [sequence(...r.extensions.map(encodeExtension))]
              : []),
          ),
        ),
      ),
    );
  }
  if ((spec.extensions && spec.extensions.length > 0) || spec.emptyLists) {
    parts.push(tlv(context(0, true), sequence(...(spec.extensions ?? []).map(encodeExtension))));
  }
  const tbs = sequence(...parts);
  const der = sequence(
    tbs,
    Buffer.from(spec.outerAlgorithm ?? algorithm),
    bitStringBytes(signWith(signer, tbs, choice)),
  );
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return {
    der,
    pem: `-----BEGIN X509 CRL-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END X509 CRL-----\n`,
  };
}
