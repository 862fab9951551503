/**
 * Re-encodes BER with definite lengths: an indefinite-length constructed element (`0x80` ... end
 * of contents) gets its length written out, and long-form lengths are written minimally. Every
 * tag and every primitive content is copied byte for byte, so values (times, names, keys) stay
 * exactly as the sender wrote them; only the framing changes. What OpenSSL's decoder accepts in a
 * certificate (an indefinite-length Name, say) can then be read by the DER walk.
 *
 * @throws {Error} when the bytes are not BER (or nest deeper than 64 levels).
 */
export function toDefiniteLengths(ber: Uint8Array): Uint8Array {
  const out: number[] = [];
  const end = encodeElement(ber, 0, out, 0);
  if (end !== ber.length) throw new Error('bytes after the outermost element');
  return Uint8Array.from(out);
}

const MAX_DEPTH = 64;

/** Appends the element at `at` to `out` with definite lengths; returns the offset after it. */
function encodeElement(ber: Uint8Array, at: number, out: number[], depth: number): number {
  if (depth > MAX_DEPTH) throw new Error('BER nested too deeply');
  let p = at;
  const first = byteAt(ber, p++);
  const tag = [first];
  if ((first & 0x1f) === 0x1f) {
    // High tag number form: continuation bytes until one without the top bit.
    let b: number;
    do {
      b = byteAt(ber, p++);
      tag.push(b);
    } while ((b & 0x80) !== 0);
  }
  const lengthByte = byteAt(ber, p++);
  const constructed = (first & 0x20) !== 0;
  if (lengthByte === 0x80) {
    if (!constructed) throw new Error('indefinite length on a primitive element');
    const content: number[] = [];
    while (!(byteAt(ber, p) === 0 && byteAt(ber, p + 1) === 0)) {
      p = encodeElement(ber, p, content, depth + 1);
    }
    push(out, tag, content);
    return p + 2;
  }
  let length = lengthByte;
  if (lengthByte > 0x80) {
    const count = lengthByte & 0x7f;
    if (count > 4) throw new Error('BER length too long');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + byteAt(ber, p++);
  }
  const contentEnd = p + length;
  if (contentEnd > ber.length) throw new Error('BER element overruns its input');
  if (!constructed) {
    push(out, tag, Array.from(ber.subarray(p, contentEnd)));
    return contentEnd;
  }
  const content: number[] = [];
  while (p < contentEnd) p = encodeElement(ber, p, content, depth + 1);
  if (p !== contentEnd) throw new Error('BER children overrun their parent');
  push(out, tag, content);
  return contentEnd;
}

function push(out: number[], tag: readonly number[], content: readonly number[]): void {
  out.push(...tag);
  const n = content.length;
  if (n < 0x80) out.push(n);
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
    out.push(0x80 | bytes.length, ...bytes);
  }
  for (const b of content) out.push(b);
}

function byteAt(ber: Uint8Array, at: number): number {
  const b = ber[at];
  if (b === undefined) throw new Error('BER truncated');
  return b;
}
