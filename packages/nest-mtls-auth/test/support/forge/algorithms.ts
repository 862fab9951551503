import { constants, sign } from 'node:crypto';
import { context, derNull, integer, oid, sequence, tlv } from './der.js';
import { keyFamily, type ForgeKey } from './keys.js';

/** Digests for RSA PKCS#1 v1.5 and ECDSA signatures (EdDSA ignores the digest). */
export const DIGESTS = ['sha1', 'sha224', 'sha256', 'sha384', 'sha512'] as const;
export type Digest = (typeof DIGESTS)[number];

/** How a certificate is signed: the digest, and RSA-PSS instead of PKCS#1 v1.5 for RSA keys. */
export interface SignatureChoice {
  readonly digest?: Digest;
  /** RSA-PSS with SHA-256, MGF1-SHA-256, salt 32 (the digest is then SHA-256). */
  readonly pss?: boolean;
}

const RSA_OIDS: Record<Digest, string> = {
  sha1: '1.2.840.113549.1.1.5',
  sha224: '1.2.840.113549.1.1.14',
  sha256: '1.2.840.113549.1.1.11',
  sha384: '1.2.840.113549.1.1.12',
  sha512: '1.2.840.113549.1.1.13',
};

const ECDSA_OIDS: Record<Digest, string> = {
  sha1: '1.2.840.10045.4.1',
  sha224: '1.2.840.10045.4.3.1',
  sha256: '1.2.840.10045.4.3.2',
  sha384: '1.2.840.10045.4.3.3',
  sha512: '1.2.840.10045.4.3.4',
};

export const OID_RSA_PSS = '1.2.840.113549.1.1.10';
export const OID_ED25519 = '1.3.101.112';
export const OID_ED448 = '1.3.101.113';
const OID_SHA256 = '2.16.840.1.101.3.4.2.1';
const OID_MGF1 = '1.2.840.113549.1.1.8';

/**
 * The RSASSA-PSS-params for SHA-256: hashAlgorithm [0], maskGenAlgorithm [1] MGF1 with SHA-256,
 * saltLength [2] 32 (trailerField left at its default).
 */
function pssParameters(): Buffer {
  const sha256 = sequence(oid(OID_SHA256), derNull());
  return sequence(
    tlv(context(0, true), sha256),
    tlv(context(1, true), sequence(oid(OID_MGF1), sha256)),
    tlv(context(2, true), integer(32)),
  );
}

/**
 * The AlgorithmIdentifier (DER) for a signature by `key`: RSA with NULL parameters (RFC 4055),
 * ECDSA and EdDSA with parameters absent (RFC 5758, RFC 8410), RSA-PSS with explicit SHA-256.
 */
export function signatureAlgorithm(key: ForgeKey, choice: SignatureChoice = {}): Buffer {
  const digest = choice.digest ?? 'sha256';
  switch (keyFamily(key.kind)) {
    case 'rsa':
      return choice.pss
        ? sequence(oid(OID_RSA_PSS), pssParameters())
        : sequence(oid(RSA_OIDS[digest]), derNull());
    case 'ec':
      return sequence(oid(ECDSA_OIDS[digest]));
    case 'ed25519':
      return sequence(oid(OID_ED25519));
    case 'ed448':
      return sequence(oid(OID_ED448));
  }
}

/** A short name of the algorithm, for descriptions: `rsa-2048/sha256`, `p-256/sha1`, `ed448`. */
export function signatureLabel(key: ForgeKey, choice: SignatureChoice = {}): string {
  const family = keyFamily(key.kind);
  if (family === 'ed25519' || family === 'ed448') return key.kind;
  if (choice.pss && family === 'rsa') return `${key.kind}/pss-sha256`;
  return `${key.kind}/${choice.digest ?? 'sha256'}`;
}

/**
 * Signs `data` the way the AlgorithmIdentifier of `signatureAlgorithm(key, choice)` says. Throws
 * when the key cannot carry the digest (RSA-512 with SHA-384 or more, or with PSS).
 */
export function signWith(key: ForgeKey, data: Uint8Array, choice: SignatureChoice = {}): Buffer {
  const family = keyFamily(key.kind);
  if (family === 'ed25519' || family === 'ed448') return sign(null, data, key.privateKey);
  if (family === 'rsa' && choice.pss) {
    return sign('sha256', data, {
      key: key.privateKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 32,
    });
  }
  // ECDSA signatures come out DER-encoded (r, s), as X.509 wants them.
  return sign(choice.digest ?? 'sha256', data, key.privateKey);
}
