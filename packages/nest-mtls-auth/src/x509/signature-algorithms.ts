/**
 * The hash of each X.509 signature algorithm this project verifies (CRLs, OCSP answers), by OID:
 * ECDSA and RSA PKCS#1 v1.5 with SHA-2; `null` where the key type decides, as for Ed25519.
 * An OID missing here is an algorithm we refuse.
 */
export const SIGNATURE_HASHES: Readonly<Record<string, string | null>> = {
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.3.101.112': null,
};
