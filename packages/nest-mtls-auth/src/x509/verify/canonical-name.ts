import { Asn1Error, Tag, UNIVERSAL, type Element } from './openssl-asn1.js';

/** One attribute of a Name as OpenSSL's decoder reads it: its type, value tag and contents. */
export interface NameEntry {
  /** The OBJECT IDENTIFIER element, whole. */
  readonly type: Uint8Array;
  readonly tag: number;
  /** The value element, whole (for values kept as they are). */
  readonly value: Uint8Array;
  /** The value's contents (a constructed string's pieces joined). */
  readonly content: Uint8Array;
}

/**
 * Decodes a Name element as `x509_name_ex_d2i` does (`SEQUENCE OF SET OF SEQUENCE { OBJECT,
 * value }`, each value one of the types OpenSSL allows in a Name), RDN by RDN.
 *
 * @throws {Asn1Error} when OpenSSL's decoder would refuse it.
 */
export function readName(name: Element): NameEntry[][] {
  if (!name.is(UNIVERSAL, Tag.sequence)) throw new Asn1Error('a Name is a SEQUENCE');
  const rdns: NameEntry[][] = [];
  for (const rdn of name.children()) {
    if (!rdn.is(UNIVERSAL, Tag.set)) throw new Asn1Error('an RDN is a SET');
    rdns.push([...rdn.children()].map(readNameEntry));
  }
  return rdns;
}

/** `X509_NAME_ENTRY`: `SEQUENCE { OBJECT IDENTIFIER, ASN1_PRINTABLE }`. */
export function readNameEntry(entry: Element): NameEntry {
  if (!entry.is(UNIVERSAL, Tag.sequence)) throw new Asn1Error('an attribute is a SEQUENCE');
  const fields = entry.children();
  const type = fields.expect(UNIVERSAL, Tag.oid);
  type.primitive(Tag.oid);
  const value = fields.next();
  fields.done();
  if (value?.cls !== UNIVERSAL || !PRINTABLE_TAGS.has(value.tag)) {
    throw new Asn1Error('a Name value of a type OpenSSL does not allow');
  }
  if (value.tag === Tag.sequence && !value.constructed) throw new Asn1Error('type not constructed');
  // A SEQUENCE value is kept encoded; any other is a string (pieces of a constructed one joined).
  const content = value.tag === Tag.sequence ? value.encoding : value.primitive(value.tag);
  return { type: type.encoding, tag: value.tag, value: value.encoding, content };
}

/**
 * OpenSSL's canonical encoding of a Name's decoded RDNs (`x509_name_canon` in crypto/x509/x_name.c): every
 * attribute value of a string type converted to UTF-8, leading and trailing white space removed,
 * inner runs of white space collapsed to one space, ASCII letters lower-cased (nothing else is
 * folded), each RDN's attributes in DER `SET OF` order, and the outer SEQUENCE header left out.
 *
 * OpenSSL compares Names by this encoding (`X509_NAME_cmp`): when it looks for a certificate's
 * issuer, and when it matches a directoryName name constraint (a prefix of the encoding). The
 * chain verifier compares them the same way, so that `CN=Dev CA` written as a PrintableString and
 * `CN=dev  ca` written as a UTF8String name the same issuer here as in the handshake.
 *
 * @throws {Asn1Error} when a string value does not convert to UTF-8 (OpenSSL then refuses the
 *   whole Name).
 */
export function canonicalOf(rdns: readonly (readonly NameEntry[])[]): Uint8Array {
  const out: Uint8Array[] = [];
  for (const rdn of rdns) {
    const entries = rdn.map((e) => wrap(SEQUENCE, [e.type, canonicalValue(e)]));
    // DER orders a SET OF by the encodings, shorter first on a common prefix (OpenSSL's der_cmp).
    entries.sort(compareEncodings);
    out.push(wrap(SET, entries));
  }
  return Buffer.concat(out);
}

/** Bytes as a string key (one character per byte), for maps and equality: canonical Names, say. */
export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('latin1');
}

const SEQUENCE = 0x30;
const SET = 0x31;
const UTF8_STRING = 0x0c;

/**
 * Universal tags a Name value may have (`B_ASN1_PRINTABLE`): Numeric, Printable, T61, IA5, BIT
 * STRING, Universal, BMP, UTF8String, SEQUENCE, and the tags OpenSSL marks unknown. A value of
 * any other type (an INTEGER, a VisibleString) makes OpenSSL refuse the Name.
 */
const PRINTABLE_TAGS: ReadonlySet<number> = new Set([
  Tag.numericString,
  Tag.printableString,
  Tag.t61String,
  Tag.ia5String,
  Tag.bitString,
  Tag.universalString,
  Tag.bmpString,
  Tag.utf8String,
  Tag.sequence,
  7,
  8,
  9,
  11,
  13,
  14,
  15,
  29,
]);

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

function canonicalValue(entry: NameEntry): Uint8Array {
  if (!CANON_TYPES.has(entry.tag)) return entry.value;
  return wrap(UTF8_STRING, [canonicalText(toUtf8(entry.tag, entry.content))]);
}

/**
 * `ASN1_STRING_to_UTF8` of a string value with ASN.1 `tag`: one-byte types are Latin-1,
 * BMPString two bytes and UniversalString four bytes per character, big-endian, each value
 * written as UTF-8 (OpenSSL writes a lone surrogate as it is; so does this).
 */
export function toUtf8(tag: number, bytes: Uint8Array): Uint8Array {
  if (tag === UTF8_STRING) {
    checkUtf8(bytes);
    return bytes;
  }
  const width = tag === 0x1e ? 2 : tag === 0x1c ? 4 : 1;
  if (bytes.length % width !== 0) throw new Asn1Error('string of a wrong length');
  const out: number[] = [];
  for (let i = 0; i + width <= bytes.length; i += width) {
    let value = 0;
    for (let j = 0; j < width; j++) value = value * 256 + (bytes[i + j] as number);
    putUtf8(out, value);
  }
  return Uint8Array.from(out);
}

/** `UTF8_putc`: no surrogates, nothing past U+10FFFF. */
function putUtf8(out: number[], v: number): void {
  if (v < 0x80) out.push(v);
  else if (v < 0x800) out.push(0xc0 | (v >> 6), 0x80 | (v & 0x3f));
  else if (v < 0x10000) {
    if (v >= 0xd800 && v < 0xe000) throw new Asn1Error('a surrogate code point');
    out.push(0xe0 | (v >> 12), 0x80 | ((v >> 6) & 0x3f), 0x80 | (v & 0x3f));
  } else if (v < 0x110000) {
    out.push(
      0xf0 | (v >> 18),
      0x80 | ((v >> 12) & 0x3f),
      0x80 | ((v >> 6) & 0x3f),
      0x80 | (v & 0x3f),
    );
  } else {
    throw new Asn1Error('a code point past U+10FFFF');
  }
}

/** `UTF8_getc` over the whole string: no overlong forms, surrogates, or values past U+10FFFF. */
function checkUtf8(b: Uint8Array): void {
  for (let i = 0; i < b.length;) {
    const c = b[i] as number;
    let n: number;
    let value: number;
    let min: number;
    if (c < 0x80) {
      i++;
      continue;
    } else if ((c & 0xe0) === 0xc0) {
      n = 2;
      value = c & 0x1f;
      min = 0x80;
    } else if ((c & 0xf0) === 0xe0) {
      n = 3;
      value = c & 0x0f;
      min = 0x800;
    } else if ((c & 0xf8) === 0xf0) {
      n = 4;
      value = c & 0x07;
      min = 0x10000;
    } else {
      throw new Asn1Error('invalid UTF-8');
    }
    if (i + n > b.length) throw new Asn1Error('truncated UTF-8');
    for (let k = 1; k < n; k++) {
      const cc = b[i + k] as number;
      if ((cc & 0xc0) !== 0x80) throw new Asn1Error('invalid UTF-8');
      value = value * 64 + (cc & 0x3f);
    }
    if (value < min || value >= 0x110000 || (value >= 0xd800 && value < 0xe000)) {
      throw new Asn1Error('invalid UTF-8');
    }
    i += n;
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
