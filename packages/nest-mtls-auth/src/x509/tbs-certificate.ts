import { derElementLength, derHeaderLength } from './der.js';

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

/** The names of a subjectAltName extension's value that identities carry, by kind. */
export interface RawGeneralNames {
  readonly dns: string[];
  readonly uris: string[];
  readonly emails: string[];
  /** Dotted IPv4, or IPv6 as 8 groups of hex (callers compress it). */
  readonly ips: string[];
}

/**
 * Reads rfc822Name [1], dNSName [2], uniformResourceIdentifier [6] and iPAddress [7] from
 * GeneralNames; other kinds (otherName, directoryName, ...) are skipped.
 *
 * @throws {Error} when the DER is not GeneralNames.
 * @see RFC 5280 section 4.2.1.6
 */
export function readGeneralNames(der: Uint8Array): RawGeneralNames {
  const names: RawGeneralNames = { dns: [], uris: [], emails: [], ips: [] };
  const end = checkedLength(der, 0);
  if (der[0] !== SEQUENCE) throw new Error('GeneralNames is not a SEQUENCE');
  for (let p = derHeaderLength(der, 0); p < end; p += checkedLength(der, p)) {
    const tag = der[p];
    if (tag === 0x82) names.dns.push(latin1(content(der, p)));
    else if (tag === 0x86) names.uris.push(latin1(content(der, p)));
    else if (tag === 0x81) names.emails.push(latin1(content(der, p)));
    else if (tag === 0x87) names.ips.push(ipText(content(der, p)));
  }
  return names;
}

const SET = 0x31;
const INTEGER = 0x02;
const BIT_STRING = 0x03;

/**
 * The pathLenConstraint of a basicConstraints extension's value, if it sets one.
 *
 * @throws {Error} when the DER is not BasicConstraints.
 */
export function readPathLenConstraint(der: Uint8Array): number | undefined {
  for (const at of children(der, 0, SEQUENCE)) {
    if (der[at] !== INTEGER) continue;
    const bytes = content(der, at);
    if (bytes.length === 0 || bytes.length > 4 || ((bytes[0] as number) & 0x80) !== 0) {
      throw new Error('pathLenConstraint out of range');
    }
    return bytes.reduce((n, b) => n * 256 + b, 0);
  }
  return undefined;
}

/**
 * basicConstraints cA of a basicConstraints extension's value (DEFAULT FALSE).
 *
 * @throws {Error} when the DER is not BasicConstraints.
 */
export function readBasicConstraintsCa(der: Uint8Array): boolean {
  const first = children(der, 0, SEQUENCE)[0];
  if (first === undefined || der[first] !== BOOLEAN) return false;
  const value = content(der, first);
  return value.length === 1 && value[0] !== 0;
}

/**
 * The purposes of an extKeyUsage extension's value, dotted OIDs.
 *
 * @throws {Error} when the DER is not a SEQUENCE of OIDs.
 */
export function readExtendedKeyUsage(der: Uint8Array): string[] {
  return children(der, 0, SEQUENCE).map((at) => {
    if (der[at] !== OID) throw new Error('extKeyUsage holds a non-OID');
    return decodeOid(content(der, at));
  });
}

/**
 * A keyUsage extension's value as flags: RFC 5280 bit n (digitalSignature is bit 0) is 2^n.
 *
 * @throws {Error} when the DER is not a BIT STRING.
 */
export function readKeyUsageFlags(der: Uint8Array): number {
  if (der[0] !== BIT_STRING) throw new Error('keyUsage is not a BIT STRING');
  const bytes = content(der, 0).subarray(1); // the first content byte counts unused bits
  let flags = 0;
  for (let bit = 0; bit < Math.min(bytes.length * 8, 16); bit++) {
    if (((bytes[bit >> 3] as number) & (0x80 >> (bit & 7))) !== 0) flags |= 1 << bit;
  }
  return flags;
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

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('latin1');
}

function ipText(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (bytes.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) {
      groups.push((((bytes[i] as number) << 8) | (bytes[i + 1] as number)).toString(16));
    }
    return groups.join(':');
  }
  return Buffer.from(bytes).toString('hex');
}

/** Offsets of the elements inside the constructed element at `at`, which must have `tag`. */
function children(der: Uint8Array, at: number, tag: number): number[] {
  if (der[at] !== tag) throw new Error(`expected tag 0x${tag.toString(16)} at ${at}`);
  const end = at + checkedLength(der, at);
  const out: number[] = [];
  for (let p = at + derHeaderLength(der, at); p < end; p += checkedLength(der, p)) {
    out.push(p);
    if (out.length > 64) throw new Error('too many elements');
  }
  return out;
}

function checkedLength(der: Uint8Array, at: number): number {
  const length = derElementLength(der, at);
  if (length < 2 || at + length > der.length) throw new Error(`malformed DER length at ${at}`);
  return length;
}

function element(der: Uint8Array, at: number): Uint8Array {
  return der.subarray(at, at + checkedLength(der, at));
}

function content(der: Uint8Array, at: number): Uint8Array {
  return der.subarray(at + derHeaderLength(der, at), at + checkedLength(der, at));
}

/** Dotted form of an OID's content bytes. */
function decodeOid(bytes: Uint8Array): string {
  const arcs: number[] = [];
  let value = 0;
  for (const byte of bytes) {
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      if (arcs.length === 0)
        arcs.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      else arcs.push(value);
      value = 0;
    }
  }
  return arcs.join('.');
}
