import { constants, verify, type KeyObject } from 'node:crypto';
import { CONTEXT, Tag, UNIVERSAL, firstElement, integerValue, oidOf } from './openssl-asn1.js';

/** RSA PKCS#1 v1.5, ECDSA and DSA signature OIDs and the digest each names, as Node calls it. */
const DIGESTS: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.4': 'md5',
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.14': 'sha224',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.113549.1.1.15': 'sha512-224',
  '1.2.840.113549.1.1.16': 'sha512-256',
  '2.16.840.1.101.3.4.3.13': 'sha3-224',
  '2.16.840.1.101.3.4.3.14': 'sha3-256',
  '2.16.840.1.101.3.4.3.15': 'sha3-384',
  '2.16.840.1.101.3.4.3.16': 'sha3-512',
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.1': 'sha224',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '2.16.840.1.101.3.4.3.9': 'sha3-224',
  '2.16.840.1.101.3.4.3.10': 'sha3-256',
  '2.16.840.1.101.3.4.3.11': 'sha3-384',
  '2.16.840.1.101.3.4.3.12': 'sha3-512',
  '1.2.840.10040.4.3': 'sha1',
  '2.16.840.1.101.3.4.3.1': 'sha224',
  '2.16.840.1.101.3.4.3.2': 'sha256',
};

/** Hash OIDs as RSASSA-PSS parameters name them. */
const PSS_HASHES: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '2.16.840.1.101.3.4.2.7': 'sha3-224',
  '2.16.840.1.101.3.4.2.8': 'sha3-256',
  '2.16.840.1.101.3.4.2.9': 'sha3-384',
  '2.16.840.1.101.3.4.2.10': 'sha3-512',
};

const RSASSA_PSS = '1.2.840.113549.1.1.10';

/**
 * `true` when `signature` over `data` verifies with `key` under the AlgorithmIdentifier
 * `algorithm` (DER): RSA PKCS#1 v1.5, RSASSA-PSS (its hash and salt length from the parameters),
 * ECDSA, DSA, Ed25519, Ed448, ML-DSA and SLH-DSA (their own algorithm; no digest). `false` for
 * an algorithm OpenSSL would not know, or parameters that do not read. Never throws.
 *
 * For signed objects Node has no verifier for (CRLs, OCSP answers); certificates are verified by
 * `X509Certificate.verify`, OpenSSL's own.
 */
export function verifySignedData(
  algorithm: Uint8Array,
  data: Uint8Array,
  signature: Uint8Array,
  key: KeyObject,
): boolean {
  try {
    const alg = firstElement(algorithm).children();
    const oid = oidOf(alg.expect(UNIVERSAL, Tag.oid));
    if (oid === RSASSA_PSS) {
      const params = alg.next();
      const { hash, saltLength } = pssParameters(params?.encoding);
      return verify(
        hash,
        data,
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength },
        signature,
      );
    }
    const digest = DIGESTS[oid];
    if (digest !== undefined) return verify(digest, data, key, signature);
    // EdDSA, ML-DSA, SLH-DSA: the key's own algorithm, no separate digest.
    return verify(null, data, key, signature);
  } catch {
    // Unknown parameters, a key of another type, a malformed signature: it does not verify.
    return false;
  }
}

/** RSASSA-PSS-params: hashAlgorithm [0] (default SHA-1) and saltLength [2] (default 20). */
function pssParameters(der: Uint8Array | undefined): { hash: string; saltLength: number } {
  let hash = 'sha1';
  let saltLength = 20;
  if (der === undefined) return { hash, saltLength };
  const fields = firstElement(der).children();
  const hashAlgorithm = fields.optional(CONTEXT, 0);
  if (hashAlgorithm) {
    const oid = oidOf(
      hashAlgorithm
        .children()
        .expect(UNIVERSAL, Tag.sequence)
        .children()
        .expect(UNIVERSAL, Tag.oid),
    );
    const name = PSS_HASHES[oid];
    if (name === undefined) throw new Error('unknown PSS hash');
    hash = name;
  }
  fields.optional(CONTEXT, 1);
  const salt = fields.optional(CONTEXT, 2);
  if (salt) {
    saltLength = Number(
      integerValue(salt.children().expect(UNIVERSAL, Tag.integer).primitive(Tag.integer)),
    );
  }
  return { hash, saltLength };
}
