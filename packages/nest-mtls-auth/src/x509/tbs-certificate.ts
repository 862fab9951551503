import { children, content, decodeOid, element, latin1 } from './der.js';

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
  /**
   * The serial number as Node prints it (uppercase hex, leading zero bytes dropped), or
   * `undefined` for a negative one (not allowed by RFC 5280; callers ask Node then).
   */
  readonly serialNumber: string | undefined;
  /**
   * Validity in epoch ms, or `undefined` when a time is not in RFC 5280's form: callers ask
   * Node then.
   */
  readonly notBeforeMs: number | undefined;
  readonly notAfterMs: number | undefined;
  /** The issuer Name, DER. */
  readonly issuer: Uint8Array;
  /** The subject Name, DER. */
  readonly subject: Uint8Array;
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
  let i = der[tbs[0] ?? -1] === EXPLICIT_0 ? 1 : 0;
  const [serial, , issuer, validity, subject] = tbs.slice(i, i + 5);
  if (
    serial === undefined ||
    issuer === undefined ||
    validity === undefined ||
    subject === undefined
  ) {
    throw new Error('truncated TBSCertificate');
  }
  if (der[serial] !== INTEGER) throw new Error('serialNumber is not an INTEGER');
  const [notBefore, notAfter] = children(der, validity, SEQUENCE);
  i += 6;
  const extensions: RawExtension[] = [];
  for (; i < tbs.length; i++) {
    const at = tbs[i] as number;
    if (der[at] !== EXPLICIT_3) continue;
    const list = children(der, at, EXPLICIT_3)[0];
    if (list === undefined) break;
    for (const ext of children(der, list, SEQUENCE)) extensions.push(readExtension(der, ext));
  }
  return {
    serialNumber: serialHex(content(der, serial)),
    notBeforeMs: notBefore === undefined ? undefined : readTime(der, notBefore),
    notAfterMs: notAfter === undefined ? undefined : readTime(der, notAfter),
    issuer: element(der, issuer),
    subject: element(der, subject),
    extensions,
  };
}

/** Uppercase hex without leading zero bytes, as Node prints it; `undefined` when negative. */
function serialHex(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0 || ((bytes[0] as number) & 0x80) !== 0) return undefined;
  let start = 0;
  while (start < bytes.length && bytes[start] === 0) start++;
  if (start === bytes.length) return '0';
  return Buffer.from(bytes.subarray(start)).toString('hex').toUpperCase();
}

const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;
const DIGITS = /^\d+$/;

/**
 * A Time in RFC 5280's DER form (section 4.1.2.5: `YYMMDDHHMMSSZ`, years 50-99 being 19xx, or
 * `YYYYMMDDHHMMSSZ`), as epoch ms; `undefined` for any other form.
 */
function readTime(der: Uint8Array, at: number): number | undefined {
  const long = der[at] === GENERALIZED_TIME;
  if (!long && der[at] !== UTC_TIME) return undefined;
  const text = latin1(content(der, at));
  const digits = text.slice(0, -1);
  if (text.length !== (long ? 15 : 13) || !text.endsWith('Z') || !DIGITS.test(digits)) {
    return undefined;
  }
  const yearDigits = long ? 4 : 2;
  const two = (i: number) => Number(digits.slice(yearDigits + i, yearDigits + i + 2));
  const y = Number(digits.slice(0, yearDigits));
  const year = long ? y : y + (y < 50 ? 2000 : 1900);
  const [month, day, hour, minute, second] = [two(0), two(2), two(4), two(6), two(8)];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls over (month 13, day 32, second 60): such a time is not in the form.
  const back = new Date(ms);
  const exact =
    back.getUTCFullYear() === year &&
    back.getUTCMonth() === month - 1 &&
    back.getUTCDate() === day &&
    back.getUTCHours() === hour &&
    back.getUTCMinutes() === minute &&
    back.getUTCSeconds() === second;
  return exact ? ms : undefined;
}

function readExtension(der: Uint8Array, at: number): RawExtension {
  const parts = children(der, at, SEQUENCE);
  const [oidAt, second, third] = parts;
  if (oidAt === undefined || der[oidAt] !== OID) throw new Error('malformed extension');
  let critical = false;
  let valueAt = second;
  if (second !== undefined && der[second] === BOOLEAN) {
    critical = der[second + 2] !== 0;
    valueAt = third;
  }
  if (valueAt === undefined || der[valueAt] !== OCTET_STRING)
    throw new Error('malformed extension');
  return { oid: decodeOid(content(der, oidAt)), critical, value: content(der, valueAt) };
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
  return children(der, 0, SEQUENCE).map((rdn) =>
    children(der, rdn, SET).map((atv) => {
      const [oidAt, valueAt] = children(der, atv, SEQUENCE);
      if (oidAt === undefined || valueAt === undefined || der[oidAt] !== OID) {
        throw new Error('malformed attribute');
      }
      return { oid: decodeOid(content(der, oidAt)), value: decodeString(der, valueAt) };
    }),
  );
}

function decodeString(der: Uint8Array, at: number): string {
  const bytes = content(der, at);
  switch (der[at]) {
    case 0x0c: // UTF8String
      return Buffer.from(bytes).toString('utf8');
    case 0x13: // PrintableString
    case 0x16: // IA5String
    case 0x14: // T61String, read as Latin-1 as OpenSSL does
      return latin1(bytes);
    case 0x1e: // BMPString: UCS-2, big-endian
      return Buffer.from(bytes).swap16().toString('utf16le');
    case 0x1c: {
      // UniversalString: UCS-4, big-endian
      let out = '';
      for (let i = 0; i + 3 < bytes.length; i += 4) {
        out += String.fromCodePoint(
          (((bytes[i] as number) << 24) |
            ((bytes[i + 1] as number) << 16) |
            ((bytes[i + 2] as number) << 8) |
            (bytes[i + 3] as number)) >>>
            0,
        );
      }
      return out;
    }
    default:
      return `#${Buffer.from(element(der, at)).toString('hex')}`;
  }
}
