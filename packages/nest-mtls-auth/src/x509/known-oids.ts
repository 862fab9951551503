import { OID_NAMES } from './distinguished-name.js';

/**
 * The OIDs a certificate walk meets on every certificate (attribute types, extensions, key
 * purposes), looked up by their DER bytes instead of decoded: decoding builds a new string from
 * number conversions for each of the ~15 OIDs of a certificate, which a new caller's first request
 * would pay for. The table is made once, here, and never changes; an OID not in it is decoded.
 */
export const KNOWN_OIDS: readonly string[] = [
  // Attribute types of names, from the table that gives them their short names.
  ...Object.keys(OID_NAMES),
  // Extensions (RFC 5280 section 4.2, and the two of RFC 6962 and section 4.2.2.1).
  '2.5.29.14',
  '2.5.29.15',
  '2.5.29.17',
  '2.5.29.18',
  '2.5.29.19',
  '2.5.29.30',
  '2.5.29.31',
  '2.5.29.32',
  '2.5.29.35',
  '2.5.29.36',
  '2.5.29.37',
  '2.5.29.54',
  '1.3.6.1.5.5.7.1.1',
  '1.3.6.1.4.1.11129.2.4.2',
  // Extended key usages.
  '1.3.6.1.5.5.7.3.1',
  '1.3.6.1.5.5.7.3.2',
  '1.3.6.1.5.5.7.3.3',
  '1.3.6.1.5.5.7.3.4',
  '1.3.6.1.5.5.7.3.8',
  '1.3.6.1.5.5.7.3.9',
  '2.5.29.37.0',
];

/** The content bytes of a dotted OID (X.690 section 8.19). */
export function encodeOid(dotted: string): Uint8Array {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes: number[] = [];
  for (const arc of [first * 40 + second, ...rest]) {
    const groups = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) {
      groups.unshift((v & 0x7f) | 0x80);
    }
    bytes.push(...groups);
  }
  return Uint8Array.from(bytes);
}

function hash(der: Uint8Array, start: number, end: number): number {
  let h = end - start;
  for (let i = start; i < end; i++) h = (Math.imul(h, 31) + (der[i] as number)) | 0;
  return h;
}

const BY_HASH: ReadonlyMap<number, { readonly bytes: Uint8Array; readonly dotted: string }> =
  new Map(
    KNOWN_OIDS.map((dotted) => {
      const bytes = encodeOid(dotted);
      return [hash(bytes, 0, bytes.length), { bytes, dotted }] as const;
    }),
  );

/** The dotted form of the OID with content bytes `der[start..end)` if it is a known one. */
export function knownOid(der: Uint8Array, start: number, end: number): string | undefined {
  const known = BY_HASH.get(hash(der, start, end));
  if (known === undefined || known.bytes.length !== end - start) return undefined;
  for (let i = 0; i < known.bytes.length; i++) {
    if (known.bytes[i] !== der[start + i]) return undefined;
  }
  return known.dotted;
}
