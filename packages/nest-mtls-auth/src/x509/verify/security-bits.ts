import type { KeyObject } from 'node:crypto';

/**
 * Security bits, as OpenSSL counts them for its security levels: what the handshake asks of a
 * client's key and of the signatures on its chain (`check_key_level`, `check_sig_level` in
 * crypto/x509/x509_vfy.c). Level n (1-5) asks for at least {@link MIN_BITS}[n - 1] bits.
 */
export const MIN_BITS: readonly number[] = [80, 112, 128, 192, 256];

/** `true` when `bits` meet security level `level` (level 0 and below ask nothing). */
export function meetsLevel(bits: number, level: number): boolean {
  if (level <= 0) return true;
  return bits >= (MIN_BITS[Math.min(level, MIN_BITS.length) - 1] as number);
}

/**
 * `EVP_PKEY_get_security_bits` of a public key: RSA and DSA by modulus size (NIST SP 800-56B's
 * estimate, as OpenSSL computes it), EC by the order of its curve, Ed25519 128, Ed448 224; 0 for a
 * key OpenSSL would not read.
 */
export function keySecurityBits(key: KeyObject | undefined): number {
  if (key === undefined) return 0;
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      return ifcSecurityBits(details.modulusLength ?? 0);
    case 'dsa':
      return dsaSecurityBits(details.modulusLength ?? 0, details.divisorLength ?? -1);
    case 'ec':
      return ecSecurityBits(details.namedCurve);
    case 'ed25519':
    case 'x25519':
      return 128;
    case 'ed448':
    case 'x448':
      return 224;
    default:
      return postQuantumBits(key.asymmetricKeyType);
  }
}

/**
 * ML-DSA (FIPS 204) and SLH-DSA (FIPS 205) keys, which OpenSSL 3.5 signs TLS 1.3 and certificates
 * with: the strength of their parameter set (44: 128 bits, 65: 192, 87: 256; SLH-DSA by its
 * 128/192/256 suffix).
 */
function postQuantumBits(type: string | undefined): number {
  if (type === undefined) return 0;
  const mlDsa = /^ml-dsa-(44|65|87)$/.exec(type)?.[1];
  if (mlDsa) return { '44': 128, '65': 192, '87': 256 }[mlDsa] ?? 0;
  const slhDsa = /^slh-dsa-(?:sha2|shake)-(128|192|256)[sf]$/.exec(type)?.[1];
  return slhDsa ? Number(slhDsa) : 0;
}

/** ML-DSA and SLH-DSA signature OIDs (NIST's arc 2.16.840.1.101.3.4.3) and their key types. */
const POST_QUANTUM_SIGNATURES: Readonly<Record<string, string>> = {
  '2.16.840.1.101.3.4.3.17': 'ml-dsa-44',
  '2.16.840.1.101.3.4.3.18': 'ml-dsa-65',
  '2.16.840.1.101.3.4.3.19': 'ml-dsa-87',
  '2.16.840.1.101.3.4.3.20': 'slh-dsa-sha2-128s',
  '2.16.840.1.101.3.4.3.21': 'slh-dsa-sha2-128f',
  '2.16.840.1.101.3.4.3.22': 'slh-dsa-sha2-192s',
  '2.16.840.1.101.3.4.3.23': 'slh-dsa-sha2-192f',
  '2.16.840.1.101.3.4.3.24': 'slh-dsa-sha2-256s',
  '2.16.840.1.101.3.4.3.25': 'slh-dsa-sha2-256f',
  '2.16.840.1.101.3.4.3.26': 'slh-dsa-shake-128s',
  '2.16.840.1.101.3.4.3.27': 'slh-dsa-shake-128f',
  '2.16.840.1.101.3.4.3.28': 'slh-dsa-shake-192s',
  '2.16.840.1.101.3.4.3.29': 'slh-dsa-shake-192f',
  '2.16.840.1.101.3.4.3.30': 'slh-dsa-shake-256s',
  '2.16.840.1.101.3.4.3.31': 'slh-dsa-shake-256f',
};

/**
 * `true` for a signature algorithm whose strength OpenSSL takes from the signing certificate's
 * own key (it has no digest of its own, nor a legacy method: ML-DSA, SLH-DSA).
 */
export function signatureStrengthIsKeys(algorithm: string): boolean {
  return POST_QUANTUM_SIGNATURES[algorithm] !== undefined;
}

/** Signature algorithm OIDs and the security bits of their digest (SHA-1 63, MD5 39, as OpenSSL). */
const SIGNATURE_BITS: Readonly<Record<string, number>> = {
  // RSA PKCS#1 v1.5
  '1.2.840.113549.1.1.4': 39, // md5
  '1.2.840.113549.1.1.5': 63, // sha1
  '1.2.840.113549.1.1.14': 112, // sha224
  '1.2.840.113549.1.1.11': 128, // sha256
  '1.2.840.113549.1.1.12': 192, // sha384
  '1.2.840.113549.1.1.13': 256, // sha512
  '1.2.840.113549.1.1.15': 112, // sha512-224
  '1.2.840.113549.1.1.16': 128, // sha512-256
  '2.16.840.1.101.3.4.3.13': 112, // sha3-224
  '2.16.840.1.101.3.4.3.14': 128, // sha3-256
  '2.16.840.1.101.3.4.3.15': 192, // sha3-384
  '2.16.840.1.101.3.4.3.16': 256, // sha3-512
  // ECDSA
  '1.2.840.10045.4.1': 63, // sha1
  '1.2.840.10045.4.3.1': 112, // sha224
  '1.2.840.10045.4.3.2': 128, // sha256
  '1.2.840.10045.4.3.3': 192, // sha384
  '1.2.840.10045.4.3.4': 256, // sha512
  '2.16.840.1.101.3.4.3.9': 112, // sha3-224
  '2.16.840.1.101.3.4.3.10': 128, // sha3-256
  '2.16.840.1.101.3.4.3.11': 192, // sha3-384
  '2.16.840.1.101.3.4.3.12': 256, // sha3-512
  // DSA
  '1.2.840.10040.4.3': 63, // sha1
  '2.16.840.1.101.3.4.3.1': 112, // sha224
  '2.16.840.1.101.3.4.3.2': 128, // sha256
  // EdDSA: the algorithm's own strength
  '1.3.101.112': 128,
  '1.3.101.113': 224,
};

/** RSASSA-PSS: the strength comes from the hash named in its parameters. */
export const RSASSA_PSS = '1.2.840.113549.1.1.10';

/** Hash OIDs (as PSS parameters name them) and their security bits as signatures. */
const HASH_BITS: Readonly<Record<string, number>> = {
  '1.3.14.3.2.26': 63, // sha1
  '2.16.840.1.101.3.4.2.7': 112, // sha3-224
  '2.16.840.1.101.3.4.2.8': 128, // sha3-256
  '2.16.840.1.101.3.4.2.9': 192, // sha3-384
  '2.16.840.1.101.3.4.2.10': 256, // sha3-512
  '2.16.840.1.101.3.4.2.4': 112, // sha224
  '2.16.840.1.101.3.4.2.1': 128, // sha256
  '2.16.840.1.101.3.4.2.2': 192, // sha384
  '2.16.840.1.101.3.4.2.3': 256, // sha512
  '2.16.840.1.101.3.4.2.5': 112, // sha512-224
  '2.16.840.1.101.3.4.2.6': 128, // sha512-256
};

/**
 * The security bits of a certificate's signature (`X509_get_signature_info`): half the digest's
 * size, 63 for SHA-1, 39 for MD5; for RSASSA-PSS from the hash of its parameters (SHA-1 when
 * they name none). `-1` for an algorithm OpenSSL does not know, which meets no level.
 *
 * @param pssHash for RSASSA-PSS, the dotted OID of its hashAlgorithm, if it names one.
 */
export function signatureSecurityBits(algorithm: string, pssHash?: string): number {
  if (algorithm === RSASSA_PSS) return HASH_BITS[pssHash ?? '1.3.14.3.2.26'] ?? -1;
  return SIGNATURE_BITS[algorithm] ?? -1;
}

/**
 * Which key type a signature algorithm needs from the issuer (`check_sig_alg_match`): the
 * OpenSSL key type name, or `undefined` for an algorithm OpenSSL does not know.
 */
export function signatureKeyType(algorithm: string): string | undefined {
  if (algorithm === RSASSA_PSS) return 'rsa-pss';
  if (algorithm.startsWith('1.2.840.113549.1.1.')) return 'rsa';
  if (algorithm.startsWith('2.16.840.1.101.3.4.3.')) {
    const postQuantum = POST_QUANTUM_SIGNATURES[algorithm];
    if (postQuantum) return postQuantum;
    const n = Number(algorithm.slice('2.16.840.1.101.3.4.3.'.length));
    if (n >= 13 && n <= 16) return 'rsa';
    if (n >= 9 && n <= 12) return 'ec';
    if (n >= 1 && n <= 8) return 'dsa';
    return undefined;
  }
  if (algorithm.startsWith('1.2.840.10045.4.')) return 'ec';
  if (algorithm === '1.2.840.10040.4.3') return 'dsa';
  if (algorithm === '1.3.101.112') return 'ed25519';
  if (algorithm === '1.3.101.113') return 'ed448';
  return undefined;
}

/** `true` when a key of `keyType` can have made a signature of `algorithm` (an RSA key: PSS too). */
export function keyMatchesSignature(keyType: string | undefined, algorithm: string): boolean {
  const wanted = signatureKeyType(algorithm);
  if (wanted === undefined || keyType === undefined) return false;
  return keyType === wanted || (wanted === 'rsa-pss' && keyType === 'rsa');
}

/** Bits of the order of each named curve Node knows, for EC keys' security bits. */
const CURVE_ORDER_BITS: Readonly<Record<string, number>> = {
  'Oakley-EC2N-3': 154,
  'Oakley-EC2N-4': 184,
  SM2: 256,
  brainpoolP160r1: 160,
  brainpoolP160t1: 160,
  brainpoolP192r1: 192,
  brainpoolP192t1: 192,
  brainpoolP224r1: 224,
  brainpoolP224t1: 224,
  brainpoolP256r1: 256,
  brainpoolP256t1: 256,
  brainpoolP320r1: 320,
  brainpoolP320t1: 320,
  brainpoolP384r1: 384,
  brainpoolP384t1: 384,
  brainpoolP512r1: 512,
  brainpoolP512t1: 512,
  c2pnb163v1: 163,
  c2pnb163v2: 162,
  c2pnb163v3: 162,
  c2pnb176v1: 161,
  c2pnb208w1: 193,
  c2pnb272w1: 257,
  c2pnb304w1: 289,
  c2pnb368w1: 353,
  c2tnb191v1: 191,
  c2tnb191v2: 190,
  c2tnb191v3: 189,
  c2tnb239v1: 238,
  c2tnb239v2: 237,
  c2tnb239v3: 236,
  c2tnb359v1: 353,
  c2tnb431r1: 418,
  prime192v1: 192,
  prime192v2: 192,
  prime192v3: 192,
  prime239v1: 239,
  prime239v2: 239,
  prime239v3: 239,
  prime256v1: 256,
  secp112r1: 112,
  secp112r2: 110,
  secp128r1: 128,
  secp128r2: 126,
  secp160k1: 161,
  secp160r1: 161,
  secp160r2: 161,
  secp192k1: 192,
  secp224k1: 225,
  secp224r1: 224,
  secp256k1: 256,
  secp384r1: 384,
  secp521r1: 521,
  sect113r1: 113,
  sect113r2: 113,
  sect131r1: 131,
  sect131r2: 131,
  sect163k1: 163,
  sect163r1: 162,
  sect163r2: 163,
  sect193r1: 193,
  sect193r2: 193,
  sect233k1: 232,
  sect233r1: 233,
  sect239k1: 238,
  sect283k1: 281,
  sect283r1: 282,
  sect409k1: 407,
  sect409r1: 409,
  sect571k1: 570,
  sect571r1: 570,
};

/** As OpenSSL's EC key manager: the order's bits, in NIST SP 800-57's steps. */
function ecSecurityBits(curve: string | undefined): number {
  const bits = curve === undefined ? 0 : (CURVE_ORDER_BITS[curve] ?? 0);
  if (bits >= 512) return 256;
  if (bits >= 384) return 192;
  if (bits >= 256) return 128;
  if (bits >= 224) return 112;
  if (bits >= 160) return 80;
  return bits >> 1;
}

/** `BN_security_bits(L, N)`, OpenSSL's estimate for DSA. */
function dsaSecurityBits(l: number, n: number): number {
  let bits: number;
  if (l >= 15360) bits = 256;
  else if (l >= 7680) bits = 192;
  else if (l >= 3072) bits = 128;
  else if (l >= 2048) bits = 112;
  else if (l >= 1024) bits = 80;
  else return 0;
  if (n === -1) return bits;
  const half = n >> 1;
  if (half < 80) return 0;
  return Math.min(half, bits);
}

// ---- ossl_ifc_ffc_compute_security_bits (crypto/rsa/rsa_lib.c), in the same fixed-point steps.
// Its results are defined by this arithmetic (not the real formula), so it is ported exactly.
const SCALE = 1n << 18n;
const CBRT_SCALE = 1n << 12n;
const LOG_2 = 0x02c5c8n;
const LOG_E = 0x05c551n;
const C1_923 = 0x07b126n;
const C4_690 = 0x12c28fn;
const U64 = (1n << 64n) - 1n;

const mul2 = (a: bigint, b: bigint): bigint => ((a * b) & U64) / SCALE;

function icbrt64(input: bigint): bigint {
  let x = input;
  let r = 0n;
  for (let s = 63n; s >= 0n; s -= 3n) {
    r = (r << 1n) & U64;
    const b = (3n * r * (r + 1n) + 1n) & U64;
    if (x >> s >= b) {
      x = (x - ((b << s) & U64)) & U64;
      r++;
    }
  }
  return (r * CBRT_SCALE) & U64;
}

function ilogE(input: bigint): bigint {
  let v = input;
  let r = 0n;
  while (v >= 2n * SCALE) {
    v >>= 1n;
    r += SCALE;
  }
  for (let i = SCALE / 2n; i !== 0n; i /= 2n) {
    v = mul2(v, v);
    if (v >= 2n * SCALE) {
      v >>= 1n;
      r += i;
    }
  }
  return ((r * SCALE) / LOG_E) & 0xffffffffn;
}

/** RSA's security bits by modulus size (NIST SP 800-56B rev 2 Appendix D, as OpenSSL). */
export function ifcSecurityBits(n: number): number {
  switch (n) {
    case 2048:
      return 112;
    case 3072:
      return 128;
    case 4096:
      return 152;
    case 6144:
      return 176;
    case 7680:
      return 192;
    case 8192:
      return 200;
    case 15360:
      return 256;
  }
  if (n >= 687737) return 1200;
  if (n < 8) return 0;
  const cap = n <= 7680 ? 192 : n <= 15360 ? 256 : 1200;
  const x = BigInt(n) * LOG_2;
  const lx = ilogE(x);
  const e = (mul2(C1_923, icbrt64(mul2(mul2(x, lx), lx))) - C4_690) & U64;
  const y16 = Number((e / LOG_2) & 0xffffn);
  const y = (y16 + 4) & ~7 & 0xffff;
  return Math.min(y, cap);
}

/**
 * Curves a TLS client's ECDSA certificate can sign on with this server: the groups OpenSSL
 * offers by default (TLS 1.2 binds the curve to them) and the brainpool curves TLS 1.3 has
 * signature schemes for.
 */
const TLS_SIGNING_CURVES: ReadonlySet<string> = new Set([
  'prime256v1',
  'secp384r1',
  'secp521r1',
  'brainpoolP256r1',
  'brainpoolP384r1',
  'brainpoolP512r1',
]);

/**
 * `true` when a client can prove it holds this key in a TLS handshake with this server (sign its
 * CertificateVerify): RSA, RSA-PSS, DSA, Ed25519, Ed448, ML-DSA, and ECDSA on the curves above.
 * A certificate for any other key (X25519, secp256k1) never completes a handshake, so it is
 * refused however it arrives.
 */
export function canSignTls(key: KeyObject | undefined): boolean {
  const type = key?.asymmetricKeyType;
  switch (type) {
    case 'rsa':
    case 'rsa-pss':
    case 'dsa':
    case 'ed25519':
    case 'ed448':
      return true;
    case 'ec':
      return TLS_SIGNING_CURVES.has(key?.asymmetricKeyDetails?.namedCurve ?? '');
    default:
      return type !== undefined && /^ml-dsa-(44|65|87)$/.test(type);
  }
}
