import { contentStart, elementEnd } from '../der.js';

/**
 * OpenSSL's canonical encoding of a Name (`x509_name_canon` in crypto/x509/x_name.c): every
 * attribute value of a string type converted to UTF-8, leading and trailing white space removed,
 * inner runs of white space collapsed to one space, ASCII letters lower-cased (nothing else is
 * folded), each RDN's attributes in DER `SET OF` order, and the outer SEQUENCE header left out.
 *
 * OpenSSL compares Names by this encoding (`X509_NAME_cmp`): when it looks for a certificate's
 * issuer, and when it matches a directoryName name constraint (a prefix of the encoding). The
 * chain verifier compares them the same way, so that `CN=Dev CA` written as a PrintableString and
 * `CN=dev  ca` written as a UTF8String name the same issuer here as in the handshake.
 *
 * @param der a whole Name element (`SEQUENCE OF RelativeDistinguishedName`).
 * @throws {Error} when the DER is not a Name.
 */
export function canonicalName(der: Uint8Array, at = 0): Uint8Array {
  if (der[at] !== SEQUENCE) throw new Error('a Name is a SEQUENCE');
  const end = elementEnd(der, at);
  const rdns: Uint8Array[] = [];
  for (let rdn = contentStart(der, at); rdn < end; rdn = elementEnd(der, rdn)) {
    if (der[rdn] !== SET) throw new Error('an RDN is a SET');
    const rdnEnd = elementEnd(der, rdn);
    const entries: Uint8Array[] = [];
    for (let atv = contentStart(der, rdn); atv < rdnEnd; atv = elementEnd(der, atv)) {
      if (der[atv] !== SEQUENCE) throw new Error('an attribute is a SEQUENCE');
      const oidAt = contentStart(der, atv);
      const valueAt = elementEnd(der, oidAt);
      if (der[oidAt] !== OID || valueAt >= elementEnd(der, atv)) {
        throw new Error('malformed attribute');
      }
      const oid = der.subarray(oidAt, valueAt);
      entries.push(wrap(SEQUENCE, [oid, canonicalValue(der, valueAt)]));
    }
    // DER orders a SET OF by the encodings, shorter first on a common prefix (OpenSSL's der_cmp).
    entries.sort(compareEncodings);
    rdns.push(wrap(SET, entries));
  }
  return Buffer.concat(rdns);
}

/** The canonical encoding as a string key (one character per byte), for maps and equality. */
export function canonicalNameKey(der: Uint8Array, at = 0): string {
  return Buffer.from(canonicalName(der, at)).toString('latin1');
}

const SEQUENCE = 0x30;
const SET = 0x31;
const OID = 0x06;
const UTF8_STRING = 0x0c;

/** The string types OpenSSL canonicalizes (`ASN1_MASK_CANON`): every other type is kept as is. */
const CANON_TYPES: ReadonlySet<number> = new Set([
  0x0c, // UTF8String
  0x13, // PrintableString
  0x14, // T61String
  0x16, // IA5String
  0x1a, // VisibleString
  0x1c, // UniversalString
  0x1e, // BMPString
]);

function canonicalValue(der: Uint8Array, at: number): Uint8Array {
  const tag = der[at] as number;
  const end = elementEnd(der, at);
  if (!CANON_TYPES.has(tag)) return der.subarray(at, end);
  return wrap(UTF8_STRING, [canonicalText(toUtf8(tag, der.subarray(contentStart(der, at), end)))]);
}

/**
 * `ASN1_STRING_to_UTF8` of a string value with ASN.1 `tag`: one-byte types are Latin-1,
 * BMPString two bytes and UniversalString four bytes per character, big-endian, each value
 * written as UTF-8 (OpenSSL writes a lone surrogate as it is; so does this).
 */
export function toUtf8(tag: number, bytes: Uint8Array): Uint8Array {
  if (tag === UTF8_STRING) return bytes;
  const width = tag === 0x1e ? 2 : tag === 0x1c ? 4 : 1;
  const out: number[] = [];
  for (let i = 0; i + width <= bytes.length; i += width) {
    let value = 0;
    for (let j = 0; j < width; j++) value = value * 256 + (bytes[i + j] as number);
    putUtf8(out, value);
  }
  return Uint8Array.from(out);
}

function putUtf8(out: number[], v: number): void {
  if (v < 0x80) out.push(v);
  else if (v < 0x800) out.push(0xc0 | (v >> 6), 0x80 | (v & 0x3f));
  else if (v < 0x10000) out.push(0xe0 | (v >> 12), 0x80 | ((v >> 6) & 0x3f), 0x80 | (v & 0x3f));
  else {
    // Past U+10FFFF OpenSSL cannot convert and refuses the Name; such a certificate never parses.
    const c = Math.min(v, 0x10ffff);
    out.push(
      0xf0 | (c >> 18),
      0x80 | ((c >> 12) & 0x3f),
      0x80 | ((c >> 6) & 0x3f),
      0x80 | (c & 0x3f),
    );
  }
}

/** C's `isspace` in the "C" locale: space, \t, \n, \v, \f, \r. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** Trim, collapse white space, lower-case ASCII letters; other bytes are copied (`asn1_string_canon`). */
function canonicalText(utf8: Uint8Array): Uint8Array {
  let start = 0;
  let end = utf8.length;
  while (start < end && isSpace(utf8[start] as number)) start++;
  while (end > start && isSpace(utf8[end - 1] as number)) end--;
  const out: number[] = [];
  for (let i = start; i < end;) {
    const c = utf8[i] as number;
    if (c >= 0x80) {
      out.push(c);
      i++;
    } else if (isSpace(c)) {
      out.push(0x20);
      while (i < end && isSpace(utf8[i] as number)) i++;
    } else {
      out.push(c >= 0x41 && c <= 0x5a ? c + 0x20 : c);
      i++;
    }
  }
  return Uint8Array.from(out);
}

/** A DER element with `tag` around the concatenated `parts`. */
function wrap(tag: number, parts: readonly Uint8Array[]): Uint8Array {
  const body = Buffer.concat(parts);
  return Buffer.concat([Uint8Array.of(tag), derLength(body.length), body]);
}

function derLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

function compareEncodings(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}
