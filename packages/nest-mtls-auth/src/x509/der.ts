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
