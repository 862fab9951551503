/**
 * A small DER writer (and reader) that encodes exactly what it is told. The forge writes
 * certificates byte by byte with it, because the libraries that build certificates normalise
 * encodings (string types, times, integer forms) that the hostile cases must get wrong on purpose.
 */

/** Universal tags the forge writes. */
export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  enumerated: 0x0a,
  utf8String: 0x0c,
  printableString: 0x13,
  teletexString: 0x14,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  visibleString: 0x1a,
  universalString: 0x1c,
  bmpString: 0x1e,
  sequence: 0x30,
  set: 0x31,
} as const;

/** The definite length octets for `length` (short form below 128, long form above). */
export function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One element: tag, definite length, content. */
export function tlv(tag: number, ...content: readonly Uint8Array[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

/**
 * One constructed element in BER indefinite-length form (length octet 0x80, end-of-contents
 * 00 00). DER forbids it; the forge uses it for hostile Names.
 */
export function indefinite(tag: number, ...content: readonly Uint8Array[]): Buffer {
  return Buffer.concat([Buffer.from([tag, 0x80]), ...content, Buffer.from([0, 0])]);
}

export const sequence = (...content: readonly Uint8Array[]): Buffer =>
  tlv(TAG.sequence, ...content);
export const set = (...content: readonly Uint8Array[]): Buffer => tlv(TAG.set, ...content);
export const octetString = (content: Uint8Array): Buffer => tlv(TAG.octetString, content);
export const derNull = (): Buffer => Buffer.from([TAG.null, 0]);
export const boolean = (value: boolean): Buffer =>
  tlv(TAG.boolean, Buffer.from([value ? 0xff : 0]));

/** Minimal two's-complement content octets of an integer (0 is one zero byte). */
export function integerContent(value: bigint | number): Buffer {
  let n = BigInt(value);
  const bytes: number[] = [];
  if (n >= 0n) {
    do {
      bytes.unshift(Number(n & 0xffn));
      n >>= 8n;
    } while (n > 0n);
    if ((bytes[0] as number) & 0x80) bytes.unshift(0);
  } else {
    do {
      bytes.unshift(Number(n & 0xffn));
      n >>= 8n;
    } while (n < -1n);
    if (!((bytes[0] as number) & 0x80)) bytes.unshift(0xff);
  }
  return Buffer.from(bytes);
}

/**
 * An INTEGER. A number or bigint is encoded minimally; bytes are written verbatim as the content,
 * so callers can write non-minimal, negative or over-long forms.
 */
export function integer(value: bigint | number | Uint8Array): Buffer {
  return tlv(TAG.integer, value instanceof Uint8Array ? value : integerContent(value));
}

/** The content octets of an OBJECT IDENTIFIER in dotted form (base-128 arcs). */
export function oidContent(dotted: string): Buffer {
  const arcs = dotted.split('.').map((a) => {
    if (!/^\d+$/.test(a)) throw new Error(`not a dotted OID: ${dotted}`);
    return BigInt(a);
  });
  const [first, second, ...rest] = arcs;
  if (first === undefined || second === undefined) throw new Error(`OID needs two arcs: ${dotted}`);
  const out: number[] = [];
  for (const arc of [first * 40n + second, ...rest]) {
    const chunk: number[] = [Number(arc & 0x7fn)];
    for (let n = arc >> 7n; n > 0n; n >>= 7n) chunk.unshift(Number(n & 0x7fn) | 0x80);
    out.push(...chunk);
  }
  return Buffer.from(out);
}

export const oid = (dotted: string): Buffer => tlv(TAG.oid, oidContent(dotted));

/** A BIT STRING of whole bytes (no unused bits): public keys and signatures. */
export const bitStringBytes = (bytes: Uint8Array): Buffer =>
  tlv(TAG.bitString, Buffer.from([0]), bytes);

/**
 * A BIT STRING of named bits (bit 0 is the most significant bit of the first byte), DER-minimal:
 * trailing zero bits are dropped and counted as unused. No bits at all is the single byte 00.
 */
export function namedBits(bits: readonly number[]): Buffer {
  const highest = bits.length === 0 ? -1 : Math.max(...bits);
  const bytes = Buffer.alloc(highest < 0 ? 0 : (highest >> 3) + 1);
  for (const bit of bits) bytes[bit >> 3] = (bytes[bit >> 3] as number) | (0x80 >> (bit & 7));
  const unused = highest < 0 ? 0 : 7 - (highest & 7);
  return tlv(TAG.bitString, Buffer.from([unused]), bytes);
}

/** A context-specific tag number: `constructed` for EXPLICIT or SEQUENCE-valued IMPLICIT tags. */
export const context = (n: number, constructed: boolean): number => (constructed ? 0xa0 : 0x80) | n;

/** One element read back from DER (or BER definite-length). */
export interface DerElement {
  readonly tag: number;
  /** Offset of the tag byte. */
  readonly start: number;
  readonly headerLength: number;
  /** Content length; -1 for an indefinite-length element. */
  readonly length: number;
  /** Offset just past the element. */
  readonly end: number;
  readonly content: Buffer;
}

/**
 * Reads the element at `offset`: enough to find fields in what the forge wrote (tests check bytes
 * with it, and the forge reads key bits out of SubjectPublicKeyInfo). Indefinite lengths are
 * followed to their end-of-contents octets.
 */
export function readElement(der: Uint8Array, offset = 0): DerElement {
  const buf = Buffer.from(der.buffer, der.byteOffset, der.byteLength);
  const tag = buf[offset];
  const first = buf[offset + 1];
  if (tag === undefined || first === undefined) throw new Error(`no element at ${offset}`);
  if (first === 0x80) {
    let p = offset + 2;
    while (buf[p] !== 0 || buf[p + 1] !== 0) p = readElement(buf, p).end;
    return {
      tag,
      start: offset,
      headerLength: 2,
      length: -1,
      end: p + 2,
      content: buf.subarray(offset + 2, p),
    };
  }
  let length = first;
  let headerLength = 2;
  if (first > 0x80) {
    const count = first & 0x7f;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (buf[offset + 2 + i] ?? 0);
    headerLength += count;
  }
  const end = offset + headerLength + length;
  if (end > buf.length) throw new Error(`element at ${offset} runs past the end`);
  return {
    tag,
    start: offset,
    headerLength,
    length,
    end,
    content: buf.subarray(offset + headerLength, end),
  };
}

/** The elements inside a constructed element's content. */
export function readChildren(element: DerElement): DerElement[] {
  const out: DerElement[] = [];
  for (let p = 0; p < element.content.length;) {
    const child = readElement(element.content, p);
    out.push(child);
    p = child.end;
  }
  return out;
}
