import {
  children,
  content,
  contentStart,
  decodeOid,
  element,
  elementEnd,
  text,
} from './der/der.js';

/** One extension of a certificate, its value still DER. */
export interface RawExtension {
  /** Dotted OID. */
  readonly oid: string;
  readonly critical: boolean;
  /** The extnValue OCTET STRING's content: the extension's own DER. */
  readonly value: Uint8Array;
}

/** The parts of a TBSCertificate that identity extraction and chain validation read. */
export interface TbsParts {
  /** The version field: 0 for v1 (absent), 2 for v3. */
  readonly version: number;
  /**
   * The serial number as Node prints it (uppercase hex, leading zero bytes dropped), or
   * `undefined` for a negative one (not allowed by RFC 5280; callers ask Node then).
   */
  readonly serialNumber: string | undefined;
  /** The serialNumber INTEGER's content bytes. */
  readonly serial: Uint8Array;
  /**
   * Validity in epoch ms, or `undefined` when a time is not in RFC 5280's form (which OpenSSL
   * refuses too: "format error in certificate's notBefore field").
   */
  readonly notBeforeMs: number | undefined;
  readonly notAfterMs: number | undefined;
  /** The same times in ISO 8601 (`toISOString()`'s form), `undefined` exactly when the ms are. */
  readonly notBefore: string | undefined;
  readonly notAfter: string | undefined;
  /** The issuer Name, DER. */
  readonly issuer: Uint8Array;
  /** The subject Name, DER. */
  readonly subject: Uint8Array;
  /** The subjectPublicKeyInfo, DER. */
  readonly spki: Uint8Array;
  /** The TBSCertificate's signature AlgorithmIdentifier, DER. */
  readonly signature: Uint8Array;
  readonly extensions: readonly RawExtension[];
}

const SEQUENCE = 0x30;
const EXPLICIT_0 = 0xa0;
const EXPLICIT_3 = 0xa3;
const BOOLEAN = 0x01;
const OID = 0x06;
const OCTET_STRING = 0x04;

const SET = 0x31;
const INTEGER = 0x02;

/**
 * Locates the issuer, the subject and the extensions in a certificate's DER, reading only
 * element headers, so that the ASN.1 library decodes a few small pieces instead of the whole
 * certificate (measured on Node 24: ~0.8 ms per certificate for a full decode with
 * `@peculiar/asn1-schema`, which every new caller paid on its first request).
 *
 * Only called on DER that Node's `X509Certificate` has already parsed, but still bounds-checked.
 *
 * @throws {Error} when the DER is not a certificate.
 * @see RFC 5280 section 4.1
 */
export function readTbsParts(der: Uint8Array): TbsParts {
  const certificate = children(der, 0, SEQUENCE);
  const tbsStart = certificate[0];
  if (tbsStart === undefined) throw new Error('not a certificate');
  const tbs = children(der, tbsStart, SEQUENCE);
  // version [0] is optional; serialNumber, signature, issuer, validity, subject, spki follow.
  const versioned = der[tbs[0] ?? -1] === EXPLICIT_0;
  let i = versioned ? 1 : 0;
  const serial = tbs[i];
  const signature = tbs[i + 1];
  const issuer = tbs[i + 2];
  const validity = tbs[i + 3];
  const subject = tbs[i + 4];
  const spki = tbs[i + 5];
  if (
    serial === undefined ||
    signature === undefined ||
    issuer === undefined ||
    validity === undefined ||
    subject === undefined ||
    spki === undefined
  ) {
    throw new Error('truncated TBSCertificate');
  }
  if (der[serial] !== INTEGER) throw new Error('serialNumber is not an INTEGER');
  const times = children(der, validity, SEQUENCE);
  const notBefore = times[0];
  const notAfter = times[1];
  i += 6;
  const extensions: RawExtension[] = [];
  for (; i < tbs.length; i++) {
    const at = tbs[i] as number;
    if (der[at] !== EXPLICIT_3) continue;
    const list = contentStart(der, at);
    if (list >= elementEnd(der, at) || der[list] !== SEQUENCE) break;
    // No cap on the count: OpenSSL reads any number of extensions, and so must this.
    const listEnd = elementEnd(der, list);
    for (let ext = contentStart(der, list); ext < listEnd; ext = elementEnd(der, ext)) {
      extensions.push(readExtension(der, ext));
    }
  }
  const from = notBefore === undefined ? undefined : readTime(der, notBefore);
  const to = notAfter === undefined ? undefined : readTime(der, notAfter);
  return {
    version: versioned ? readVersion(der, tbs[0] as number) : 0,
    serialNumber: serialHex(der, serial),
    serial: content(der, serial),
    notBeforeMs: from?.ms,
    notAfterMs: to?.ms,
    notBefore: from?.iso,
    notAfter: to?.iso,
    issuer: element(der, issuer),
    subject: element(der, subject),
    spki: element(der, spki),
    signature: element(der, signature),
    extensions,
  };
}

/** The value of the `[0] EXPLICIT Version` at `at` (0 when it does not read as a small INTEGER). */
function readVersion(der: Uint8Array, at: number): number {
  const inner = contentStart(der, at);
  if (der[inner] !== INTEGER) return 0;
  const bytes = content(der, inner);
  return bytes.length === 1 ? (bytes[0] as number) : 0;
}

/**
 * The INTEGER at `at` in uppercase hex without leading zero bytes, as Node prints it; `undefined`
 * when negative.
 */
function serialHex(der: Uint8Array, at: number): string | undefined {
  const end = elementEnd(der, at);
  let start = contentStart(der, at);
  if (start === end || ((der[start] as number) & 0x80) !== 0) return undefined;
  while (start < end && der[start] === 0) start++;
  if (start === end) return '0';
  return text(der, start, end, 'hex').toUpperCase();
}

const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;
const ZULU = 0x5a;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A Time in RFC 5280's DER form (section 4.1.2.5: `YYMMDDHHMMSSZ`, years 50-99 being 19xx, or
 * `YYYYMMDDHHMMSSZ`), as epoch ms and ISO 8601; `undefined` for any other form, exactly where
 * OpenSSL's `X509_cmp_time` reports a format error (no offsets, no fractions, no leap second, a
 * real calendar day). Read from the bytes: a new caller's first request pays for every `Date`
 * and regular expression on its way.
 */
export function readTime(der: Uint8Array, at: number): { ms: number; iso: string } | undefined {
  const long = der[at] === GENERALIZED_TIME;
  if (!long && der[at] !== UTC_TIME) return undefined;
  const start = contentStart(der, at);
  const end = elementEnd(der, at);
  if (end - start !== (long ? 15 : 13) || der[end - 1] !== ZULU) return undefined;
  for (let i = start; i < end - 1; i++) {
    const c = der[i] as number;
    if (c < 0x30 || c > 0x39) return undefined;
  }
  const o = start + (long ? 4 : 2);
  const yy = twoDigits(der, start);
  const year = long ? yy * 100 + twoDigits(der, start + 2) : yy + (yy < 50 ? 2000 : 1900);
  const month = twoDigits(der, o);
  const day = twoDigits(der, o + 2);
  const hour = twoDigits(der, o + 4);
  const minute = twoDigits(der, o + 6);
  const second = twoDigits(der, o + 8);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  if (days === undefined || day < 1 || day > days || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  // Date.UTC reads years 0-99 as 19xx; a GeneralizedTime may name them.
  let ms = Date.UTC(year, month - 1, day, hour, minute, second);
  if (year < 100) ms = new Date(ms).setUTCFullYear(year);
  // ISO 8601 as toISOString() writes it, from the DER's own digits; joined into one flat string.
  const t = text(der, o, end - 1, 'latin1');
  const iso = [
    long ? text(der, start, start + 4, 'latin1') : String(year),
    '-',
    t.slice(0, 2),
    '-',
    t.slice(2, 4),
    'T',
    t.slice(4, 6),
    ':',
    t.slice(6, 8),
    ':',
    t.slice(8, 10),
    '.000Z',
  ].join('');
  return { ms, iso };
}

/** The number written in the two ASCII digits at `at`. */
function twoDigits(der: Uint8Array, at: number): number {
  return ((der[at] as number) - 0x30) * 10 + ((der[at + 1] as number) - 0x30);
}

/** An extension whose value is cut out of the certificate only when read. */
class Extension implements RawExtension {
  constructor(
    private readonly der: Uint8Array,
    readonly oid: string,
    readonly critical: boolean,
    private readonly valueAt: number,
  ) {}

  get value(): Uint8Array {
    return content(this.der, this.valueAt);
  }
}

function readExtension(der: Uint8Array, at: number): RawExtension {
  if (der[at] !== SEQUENCE) throw new Error('malformed extension');
  const end = elementEnd(der, at);
  const oidAt = contentStart(der, at);
  if (oidAt >= end || der[oidAt] !== OID) throw new Error('malformed extension');
  let critical = false;
  let valueAt = elementEnd(der, oidAt);
  if (valueAt < end && der[valueAt] === BOOLEAN) {
    critical = der[valueAt + 2] !== 0;
    valueAt = elementEnd(der, valueAt);
  }
  if (valueAt >= end || der[valueAt] !== OCTET_STRING || elementEnd(der, valueAt) > end) {
    throw new Error('malformed extension');
  }
  const oid = decodeOid(der, contentStart(der, oidAt), elementEnd(der, oidAt));
  return new Extension(der, oid, critical, valueAt);
}

/** One attribute of a Name as stored: its type OID and its value as text. */
export interface RawAttribute {
  readonly oid: string;
  readonly value: string;
}

/**
 * The relative distinguished names of a DER Name, most significant first, each a list of
 * attributes. String types are decoded (UTF8String, PrintableString, IA5String, T61String as
 * Latin-1, BMPString, UniversalString); any other value reads as RFC 4514's `#` + hex of its DER.
 *
 * @throws {Error} when the DER is not a Name.
 */
export function readName(der: Uint8Array): RawAttribute[][] {
  if (der[0] !== SEQUENCE) throw new Error('a Name is a SEQUENCE');
  const end = elementEnd(der, 0);
  const rdns: RawAttribute[][] = [];
  for (let rdn = contentStart(der, 0); rdn < end; rdn = elementEnd(der, rdn)) {
    if (der[rdn] !== SET) throw new Error('malformed name');
    const rdnEnd = elementEnd(der, rdn);
    const attributes: RawAttribute[] = [];
    for (let atv = contentStart(der, rdn); atv < rdnEnd; atv = elementEnd(der, atv)) {
      const atvEnd = elementEnd(der, atv);
      const oidAt = contentStart(der, atv);
      const valueAt = oidAt < atvEnd ? elementEnd(der, oidAt) : atvEnd;
      if (
        der[atv] !== SEQUENCE ||
        der[oidAt] !== OID ||
        valueAt >= atvEnd ||
        elementEnd(der, valueAt) > atvEnd
      ) {
        throw new Error('malformed attribute');
      }
      const oid = decodeOid(der, contentStart(der, oidAt), elementEnd(der, oidAt));
      attributes.push({ oid, value: decodeString(der, valueAt) });
    }
    rdns.push(attributes);
  }
  return rdns;
}

function decodeString(der: Uint8Array, at: number): string {
  const start = contentStart(der, at);
  const end = elementEnd(der, at);
  switch (der[at]) {
    case 0x0c: // UTF8String
      return text(der, start, end, 'utf8');
    case 0x13: // PrintableString
    case 0x16: // IA5String
    case 0x14: // T61String, read as Latin-1 as OpenSSL does
      return text(der, start, end, 'latin1');
    case 0x1e: // BMPString: UCS-2, big-endian
      return Buffer.from(der.subarray(start, end)).swap16().toString('utf16le');
    case 0x1c: {
      // UniversalString: UCS-4, big-endian
      let out = '';
      for (let i = start; i + 3 < end; i += 4) {
        const point =
          (((der[i] as number) << 24) |
            ((der[i + 1] as number) << 16) |
            ((der[i + 2] as number) << 8) |
            (der[i + 3] as number)) >>>
          0;
        // Past U+10FFFF there is no character: the replacement character stands for it.
        out += String.fromCodePoint(point > 0x10ffff ? 0xfffd : point);
      }
      return out;
    }
    default:
      return `#${text(der, at, end, 'hex')}`;
  }
}
