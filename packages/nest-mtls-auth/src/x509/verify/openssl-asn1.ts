import { decodeOid } from '../der/der.js';

/**
 * A reader of BER with the acceptance rules of OpenSSL's ASN.1 decoder (crypto/asn1/asn1_lib.c,
 * tasn_dec.c, a_int.c, a_object.c, a_bitstr.c): what it accepts, this accepts; what it refuses,
 * this refuses. OpenSSL decodes a certificate's extensions when it first reads the certificate,
 * and one that does not decode makes the certificate invalid (no path is ever built through it),
 * so the verifier of forwarded certificates must decode them exactly as strictly, and no more.
 *
 * Its rules, each OpenSSL's:
 * - headers: high tag numbers; lengths short, long (leading zero bytes skipped, at most 8) or
 *   indefinite (constructed only, closed by end-of-contents); an element must fit its parent;
 * - string types may come constructed: their universal-class pieces are joined (5 levels deep);
 *   INTEGER, ENUMERATED, OBJECT IDENTIFIER, BOOLEAN and NULL must be primitive;
 * - INTEGER: at least one byte, no redundant leading 00 or FF byte;
 * - OBJECT IDENTIFIER: at least one byte, the last without its top bit, no 0x80 starting a
 *   sub-identifier;
 * - BOOLEAN one byte, NULL none, BIT STRING an unused-bit count of 0-7 first, BMPString an even
 *   length, UniversalString a multiple of four, times at least 13 or 15 bytes;
 * - a SEQUENCE's fields in order, optional ones skipped by tag, nothing left over; an explicit
 *   tag holding exactly one element.
 *
 * Contents are not required to end where a top-level value ends: OpenSSL's `X509V3_EXT_d2i`
 * reads one value from an extension and ignores what follows it.
 */
export class Asn1Error extends Error {}

/** ASN.1 classes, as the top two bits of a tag. */
export const UNIVERSAL = 0x00;
export const CONTEXT = 0x80;

/** Universal tags used here. */
export const Tag = {
  boolean: 1,
  integer: 2,
  bitString: 3,
  octetString: 4,
  null: 5,
  oid: 6,
  enumerated: 10,
  utf8String: 12,
  sequence: 16,
  set: 17,
  numericString: 18,
  printableString: 19,
  t61String: 20,
  ia5String: 22,
  utcTime: 23,
  generalizedTime: 24,
  visibleString: 26,
  universalString: 28,
  bmpString: 30,
} as const;

/** One element: where its header and contents are. */
export class Element {
  constructor(
    readonly bytes: Uint8Array,
    /** Where the element starts (its header). */
    readonly start: number,
    readonly cls: number,
    readonly constructed: boolean,
    readonly tag: number,
    /** Where the contents start. */
    readonly contentStart: number,
    /** Where the contents end (before the end-of-contents of an indefinite length). */
    readonly contentEnd: number,
    /** Where the element ends. */
    readonly end: number,
    readonly indefinite: boolean,
  ) {}

  /** `true` when this element has class `cls` and number `tag`. */
  is(cls: number, tag: number): boolean {
    return this.cls === cls && this.tag === tag;
  }

  /** The elements inside a constructed one. */
  children(): Cursor {
    if (!this.constructed) throw new Asn1Error('a constructed element is needed');
    return new Cursor(this.bytes, this.contentStart, this.contentEnd);
  }

  /**
   * The contents of a value of universal type `utype`, decoded as OpenSSL's
   * `asn1_d2i_ex_primitive` does (a constructed string's pieces joined), and checked as its
   * `asn1_ex_c2i` checks them.
   */
  primitive(utype: number): Uint8Array {
    let content: Uint8Array;
    if (this.constructed) {
      if (
        utype === Tag.null ||
        utype === Tag.boolean ||
        utype === Tag.oid ||
        utype === Tag.integer ||
        utype === Tag.enumerated
      ) {
        throw new Asn1Error('type not primitive');
      }
      const pieces: Uint8Array[] = [];
      collect(this, pieces, 0);
      content = Buffer.concat(pieces);
    } else {
      content = this.bytes.subarray(this.contentStart, this.contentEnd);
    }
    checkContent(utype, content);
    return content;
  }

  /** This element's encoding, whole. */
  get encoding(): Uint8Array {
    return this.bytes.subarray(this.start, this.end);
  }
}

/**
 * Up to 5 levels of constructed string pieces (`asn1_collect`, which is called with tag -1: a
 * piece of any class and tag is taken, only its contents count).
 */
function collect(e: Element, out: Uint8Array[], depth: number): void {
  if (depth > 5) throw new Asn1Error('nested too deep');
  for (const piece of e.children()) {
    if (piece.constructed) collect(piece, out, depth + 1);
    else out.push(piece.bytes.subarray(piece.contentStart, piece.contentEnd));
  }
}

/** `asn1_ex_c2i`'s checks of a universal type's contents. */
function checkContent(utype: number, c: Uint8Array): void {
  switch (utype) {
    case Tag.oid:
      checkOid(c);
      return;
    case Tag.null:
      if (c.length !== 0) throw new Asn1Error('NULL with contents');
      return;
    case Tag.boolean:
      if (c.length !== 1) throw new Asn1Error('BOOLEAN of wrong length');
      return;
    case Tag.bitString:
      if (c.length < 1) throw new Asn1Error('BIT STRING too short');
      if ((c[0] as number) > 7) throw new Asn1Error('BIT STRING with more than 7 unused bits');
      return;
    case Tag.integer:
    case Tag.enumerated:
      checkInteger(c);
      return;
    case Tag.bmpString:
      if (c.length % 2 !== 0) throw new Asn1Error('BMPString of odd length');
      return;
    case Tag.universalString:
      if (c.length % 4 !== 0) throw new Asn1Error('UniversalString of wrong length');
      return;
    case Tag.generalizedTime:
      if (c.length < 15) throw new Asn1Error('GeneralizedTime too short');
      return;
    case Tag.utcTime:
      if (c.length < 13) throw new Asn1Error('UTCTime too short');
      return;
    default:
      return;
  }
}

/** `c2i_ibuf`: no empty INTEGER, no redundant sign byte. */
function checkInteger(c: Uint8Array): void {
  if (c.length === 0) throw new Asn1Error('INTEGER with no contents');
  if (c.length === 1) return;
  const negative = ((c[0] as number) & 0x80) !== 0;
  let pad = false;
  if (c[0] === 0) pad = true;
  else if (c[0] === 0xff) {
    // 0xFF 0x00... (the most negative number of a length) is not padding; anything else is.
    for (let i = 1; i < c.length; i++) if (c[i] !== 0) pad = true;
  }
  if (pad && negative === (((c[1] as number) & 0x80) !== 0)) {
    throw new Asn1Error('INTEGER with illegal padding');
  }
}

/** `ossl_c2i_ASN1_OBJECT`'s checks. */
function checkOid(c: Uint8Array): void {
  if (c.length === 0 || ((c[c.length - 1] as number) & 0x80) !== 0) {
    throw new Asn1Error('invalid OBJECT IDENTIFIER');
  }
  for (let i = 0; i < c.length; i++) {
    if (c[i] === 0x80 && (i === 0 || ((c[i - 1] as number) & 0x80) === 0)) {
      throw new Asn1Error('invalid OBJECT IDENTIFIER');
    }
  }
}

/** The value of an INTEGER's (checked) contents, two's complement. */
export function integerValue(c: Uint8Array): bigint {
  let value = 0n;
  for (const b of c) value = (value << 8n) | BigInt(b);
  if (c.length > 0 && ((c[0] as number) & 0x80) !== 0) value -= 1n << BigInt(c.length * 8);
  return value;
}

/** The dotted form of an OBJECT IDENTIFIER element's (checked) contents. */
export function oidOf(e: Element, cls = UNIVERSAL, tag: number = Tag.oid): string {
  if (!e.is(cls, tag)) throw new Asn1Error('expected an OBJECT IDENTIFIER');
  const c = e.primitive(Tag.oid);
  return decodeOid(c);
}

/** The elements of a run of bytes, one by one, with OpenSSL's header rules. */
export class Cursor implements Iterable<Element> {
  private at: number;
  private peeked: Element | undefined | null = null;

  constructor(
    private readonly bytes: Uint8Array,
    start: number,
    private readonly limit: number,
  ) {
    this.at = start;
  }

  /** The next element without taking it; `undefined` at the end. */
  peek(): Element | undefined {
    if (this.peeked === null) {
      this.peeked =
        this.at >= this.limit ? undefined : readElement(this.bytes, this.at, this.limit);
    }
    return this.peeked;
  }

  /** The next element, taken; `undefined` at the end. */
  next(): Element | undefined {
    const e = this.peek();
    if (e) {
      this.at = e.end;
      this.peeked = null;
    }
    return e;
  }

  /** The next element if it has `cls` and `tag` (an optional field), else `undefined`. */
  optional(cls: number, tag: number): Element | undefined {
    const e = this.peek();
    return e?.is(cls, tag) ? this.next() : undefined;
  }

  /** The next element, which must have `cls` and `tag` (a required field). */
  expect(cls: number, tag: number): Element {
    const e = this.next();
    if (!e?.is(cls, tag)) throw new Asn1Error(`expected [${cls}:${tag}]`);
    return e;
  }

  /** Throws unless every element was read (`ASN1_R_SEQUENCE_LENGTH_MISMATCH`). */
  done(): void {
    if (this.peek() !== undefined) throw new Asn1Error('unexpected element');
  }

  *[Symbol.iterator](): Iterator<Element> {
    for (let e = this.next(); e; e = this.next()) yield e;
  }
}

/** The first element of `bytes` (what OpenSSL's d2i of an extension reads). */
export function firstElement(bytes: Uint8Array): Element {
  if (bytes.length === 0) throw new Asn1Error('no element');
  return readElement(bytes, 0, bytes.length);
}

/** `ASN1_get_object` and, for an indefinite length, `asn1_find_end`. */
function readElement(b: Uint8Array, at: number, limit: number): Element {
  const header = readHeader(b, at, limit);
  let contentEnd: number;
  let end: number;
  if (header.indefinite) {
    end = findEnd(b, header.contentStart, limit);
    contentEnd = end - 2;
  } else {
    contentEnd = header.contentStart + header.length;
    end = contentEnd;
  }
  return new Element(
    b,
    at,
    header.cls,
    header.constructed,
    header.tag,
    header.contentStart,
    contentEnd,
    end,
    header.indefinite,
  );
}

interface Header {
  readonly cls: number;
  readonly constructed: boolean;
  readonly tag: number;
  readonly contentStart: number;
  readonly length: number;
  readonly indefinite: boolean;
}

function readHeader(b: Uint8Array, at: number, limit: number): Header {
  let p = at;
  const byte = (): number => {
    if (p >= limit) throw new Asn1Error('header too long');
    return b[p++] as number;
  };
  const first = byte();
  const cls = first & 0xc0;
  const constructed = (first & 0x20) !== 0;
  let tag = first & 0x1f;
  if (tag === 0x1f) {
    tag = 0;
    for (let c = byte(); ; c = byte()) {
      tag = tag * 128 + (c & 0x7f);
      if (tag > 0x7fffffff >> 7 && (c & 0x80) !== 0) throw new Asn1Error('tag too large');
      if ((c & 0x80) === 0) break;
    }
  }
  const lengthByte = byte();
  let length = 0;
  let indefinite = false;
  if (lengthByte === 0x80) {
    indefinite = true;
  } else if ((lengthByte & 0x80) !== 0) {
    let count = lengthByte & 0x7f;
    if (limit - p < count) throw new Asn1Error('header too long');
    while (count > 0 && b[p] === 0) {
      p++;
      count--;
    }
    if (count > 8) throw new Asn1Error('length too long');
    for (; count > 0; count--) length = length * 256 + byte();
    if (length > Number.MAX_SAFE_INTEGER) throw new Asn1Error('length too long');
  } else {
    length = lengthByte;
  }
  if (indefinite && !constructed) throw new Asn1Error('indefinite length on a primitive');
  if (!indefinite && length > limit - p) throw new Asn1Error('element too long');
  return { cls, constructed, tag, contentStart: p, length, indefinite };
}

/** `asn1_find_end`: past the end-of-contents that closes an indefinite length at `start`. */
function findEnd(b: Uint8Array, start: number, limit: number): number {
  let expected = 1;
  let p = start;
  while (p < limit) {
    if (limit - p >= 2 && b[p] === 0 && b[p + 1] === 0) {
      p += 2;
      if (--expected === 0) return p;
      continue;
    }
    const h = readHeader(b, p, limit);
    if (h.indefinite) {
      expected++;
      p = h.contentStart;
    } else {
      p = h.contentStart + h.length;
    }
  }
  throw new Asn1Error('missing end-of-contents');
}
