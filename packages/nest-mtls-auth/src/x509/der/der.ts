import { knownOid } from './known-oids.js';

/*
 * The hand-written DER reader of identity extraction: why it exists and what holds it to the
 * ASN.1 library and Node is in ./README.md.
 */

/**
 * The length (header + content) of the DER element that starts at `offset`, or -1 when the bytes
 * there are not a well-formed definite-length header.
 */
export function derElementLength(der: Uint8Array, offset = 0): number {
  const first = der[offset + 1];
  if (first === undefined) return -1;
  if (first < 0x80) return 2 + first;
  const count = first & 0x7f;
  if (count === 0 || count > 4 || der.length < offset + 2 + count) return -1;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + (der[offset + 2 + i] as number);
  return 2 + count + length;
}

/** The header length of the DER element at `offset` (tag + length bytes). */
export function derHeaderLength(der: Uint8Array, offset = 0): number {
  const first = der[offset + 1] ?? 0;
  return first < 0x80 ? 2 : 2 + (first & 0x7f);
}

/** Offsets of the elements inside the constructed element at `at`, which must have `tag`. */
export function children(der: Uint8Array, at: number, tag: number): number[] {
  if (der[at] !== tag) throw new Error(`expected tag 0x${tag.toString(16)} at ${at}`);
  const end = at + checkedLength(der, at);
  const out: number[] = [];
  // No cap on the count: OpenSSL reads any number, and the input's length bounds the work.
  for (let p = at + derHeaderLength(der, at); p < end; p += checkedLength(der, p)) out.push(p);
  return out;
}

export function checkedLength(der: Uint8Array, at: number): number {
  const length = derElementLength(der, at);
  if (length < 2 || at + length > der.length) throw new Error(`malformed DER length at ${at}`);
  return length;
}

export function element(der: Uint8Array, at: number): Uint8Array {
  return der.subarray(at, elementEnd(der, at));
}

export function content(der: Uint8Array, at: number): Uint8Array {
  return der.subarray(contentStart(der, at), elementEnd(der, at));
}

/** Dotted form of the OID whose content bytes are `der[start..end)` (all of `der` by default). */
export function decodeOid(der: Uint8Array, start = 0, end = der.length): string {
  const known = knownOid(der, start, end);
  if (known !== undefined) return known;
  let dotted = '';
  let value = 0;
  for (let i = start; i < end; i++) {
    const byte = der[i] as number;
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      if (dotted === '') {
        dotted = value < 80 ? `${Math.floor(value / 40)}.${value % 40}` : `2.${value - 80}`;
      } else dotted += `.${value}`;
      value = 0;
    }
  }
  return dotted;
}

/** Buffer's own decoders, to which `toString(encoding, start, end)` dispatches. */
interface SliceDecoders {
  latin1Slice?(start: number, end: number): string;
  utf8Slice?(start: number, end: number): string;
  hexSlice?(start: number, end: number): string;
}

/**
 * The bytes `start` to `end` of `der` decoded as `encoding`, read in place: no sub-array and no
 * copy, which on a new caller's first request are most of what decoding a short string costs.
 * Calls Buffer's slice decoders directly where Node has them (every supported version does):
 * `toString()` reads `arguments`, an object of its own on each of the ~15 calls per certificate.
 */
export function text(
  der: Uint8Array,
  start: number,
  end: number,
  encoding: 'latin1' | 'utf8' | 'hex',
): string {
  const buffer = Buffer.isBuffer(der) ? der : Buffer.from(der.buffer, der.byteOffset, der.length);
  const decoders = buffer as SliceDecoders;
  if (encoding === 'latin1' && decoders.latin1Slice) return decoders.latin1Slice(start, end);
  if (encoding === 'utf8' && decoders.utf8Slice) return decoders.utf8Slice(start, end);
  if (encoding === 'hex' && decoders.hexSlice) return decoders.hexSlice(start, end);
  return buffer.toString(encoding, start, end);
}

/** Offset of the content of the DER element at `at` (after its tag and length bytes). */
export function contentStart(der: Uint8Array, at: number): number {
  return at + derHeaderLength(der, at);
}

/** Offset just past the DER element at `at` (bounds-checked). */
export function elementEnd(der: Uint8Array, at: number): number {
  return at + checkedLength(der, at);
}
