import {
  anyExtendedKeyUsage,
  ATTRIBUTE_TYPE_NAMES,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_certificatePolicies,
  id_ce_cRLDistributionPoints,
  id_ce_extKeyUsage,
  id_ce_inhibitAnyPolicy,
  id_ce_issuerAltName,
  id_ce_keyUsage,
  id_ce_nameConstraints,
  id_ce_policyConstraints,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  id_ct_precertificateSCTs,
  id_kp_clientAuth,
  id_kp_codeSigning,
  id_kp_emailProtection,
  id_kp_OCSPSigning,
  id_kp_serverAuth,
  id_kp_timeStamping,
  id_pe_authorityInfoAccess,
} from '../oids.js';

/**
 * The OIDs a certificate walk meets on every certificate (attribute types, extensions, key
 * purposes), looked up by their DER bytes instead of decoded: decoding builds a new string from
 * number conversions for each of the ~15 OIDs of a certificate, which a new caller's first request
 * would pay for. The table is made once, here, and never changes; an OID not in it is decoded.
 */
export const KNOWN_OIDS: readonly string[] = [
  // Attribute types of names.
  ...Object.keys(ATTRIBUTE_TYPE_NAMES),
  // Extensions (RFC 5280 section 4.2, and RFC 6962's).
  id_ce_subjectKeyIdentifier,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_issuerAltName,
  id_ce_basicConstraints,
  id_ce_nameConstraints,
  id_ce_cRLDistributionPoints,
  id_ce_certificatePolicies,
  id_ce_authorityKeyIdentifier,
  id_ce_policyConstraints,
  id_ce_extKeyUsage,
  id_ce_inhibitAnyPolicy,
  id_pe_authorityInfoAccess,
  id_ct_precertificateSCTs,
  // Extended key usages.
  id_kp_serverAuth,
  id_kp_clientAuth,
  id_kp_codeSigning,
  id_kp_emailProtection,
  id_kp_timeStamping,
  id_kp_OCSPSigning,
  anyExtendedKeyUsage,
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
