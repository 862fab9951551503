import { createSecureContext, type SecureContextOptions } from 'node:tls';
import { MOZILLA_INTERMEDIATE_CIPHERS } from './cipher-suites.js';

/**
 * Probe public keys (SubjectPublicKeyInfo, DER in base64), weakest first, with their security
 * bits: a context at level n (which asks for 80, 112, 128, 192 or 256 bits at levels 1-5) refuses
 * the first n of them as its own certificate. Public keys only: loading a certificate into a
 * context checks its key's strength without a private key, and the probe is never used for
 * anything else.
 */
const PROBES: readonly string[] = [
  // secp112r1 (56 bits)
  'MDIwEAYHKoZIzj0CAQYFK4EEAAYDHgAEKsQuXAjsqkKRJWtotr59IgKIIpjwZ3tu+OD1GA==',
  // secp160r1 (80 bits)
  'MD4wEAYHKoZIzj0CAQYFK4EEAAgDKgAE9c9bgvgGd231GexT66brnSw37VJ4yRVCWgXWK71vvFRzlpKTe5pppA==',
  // secp224r1 (112 bits)
  'ME4wEAYHKoZIzj0CAQYFK4EEACEDOgAEePx2xywmg3xrEtK8ceWpW4hnBis/hTE8JCzqp/COZaDV0HurNEizBXQ/7QHspkToAVHWBnAifyo=',
  // prime256v1 (128 bits)
  'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAExLEB9Ao5OLzhfOJGql19LmJ3dJp+5tVxFpDJgdoM7QJVpi1RbEnlUSjwe2dM00xEi+pE3yz0L7g1JKNKafZtCQ==',
  // secp384r1 (192 bits)
  'MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEnlz891iuXukhxogz1qBrqDyGPlLwWacmc5ugmLS9uNVoIJPxJtqtHg279U2Hng6RsKnu64wMpM8g/iP/gW1ot1OvWCx22HfAECWxxcZis/doM/9fyAd46j16gedzt3+U',
];

/**
 * The OpenSSL security level (0-5) of a TLS context made with `options`, read from OpenSSL itself:
 * the level the handshake verifies client chains at (weakest key, weakest signature digest).
 * It is found by loading self-signed probe certificates of increasing strength into a context
 * with those options: the level is how many of them OpenSSL refuses ("ee key too small"). That
 * way whatever sets the level is taken into account: `@SECLEVEL=n` in the ciphers, Node's
 * default, an `openssl.cnf`.
 *
 * A probe curve that this OpenSSL cannot read counts as refused: when in doubt the level reads
 * higher, so the forwarded verifier refuses more, never less, than the handshake.
 *
 * @param options the server's TLS options (its `ciphers` matter); by default those of
 *   `mtlsServerOptions`.
 * @example securityLevelOf({ ciphers: 'DEFAULT@SECLEVEL=1' }) // 1
 */
export function securityLevelOf(
  options: Pick<SecureContextOptions, 'ciphers'> = { ciphers: MOZILLA_INTERMEDIATE_CIPHERS },
): number {
  let level = 0;
  for (const spki of PROBES) {
    if (loads(options, probeCertificate(Buffer.from(spki, 'base64')))) break;
    level++;
  }
  return level;
}

function loads(options: Pick<SecureContextOptions, 'ciphers'>, cert: string): boolean {
  try {
    createSecureContext({ ciphers: options.ciphers, cert });
    return true;
  } catch {
    // "ee key too small": below this context's level (or a curve this OpenSSL cannot read).
    return false;
  }
}

/*
 * A minimal self-signed certificate, written out here: OpenSSL only loads it (checking its key
 * against the context's level; a self-issued certificate's signature is not checked then), never
 * verifies or sends it, and an ASN.1 library would cost every start-up its load time (about
 * 60 ms). test/unit/security-level.spec.ts reads one back with Node.
 */

/** `tag`, the DER length of `content`, `content`. */
function tlv(tag: number, ...content: Uint8Array[]): Buffer {
  const body = Buffer.concat(content);
  const n = body.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), body]);
}

const SEQUENCE = 0x30;
/** id-at-commonName (2.5.4.3). */
const COMMON_NAME = Buffer.from('0603550403', 'hex');
/** AlgorithmIdentifier ecdsa-with-SHA256 (1.2.840.10045.4.3.2), no parameters. */
const ECDSA_WITH_SHA256 = tlv(SEQUENCE, Buffer.from('06082a8648ce3d040302', 'hex'));
/** UTCTime 2000-01-01 and 2049-12-31: the validity is not looked at when a certificate is loaded. */
const VALIDITY = tlv(
  SEQUENCE,
  tlv(0x17, Buffer.from('000101000000Z', 'latin1')),
  tlv(0x17, Buffer.from('491231235959Z', 'latin1')),
);
/** An ECDSA-Sig-Value of r = s = 1: a well-formed signature that nobody checks. */
const UNCHECKED_SIGNATURE = tlv(SEQUENCE, tlv(0x02, Uint8Array.of(1)), tlv(0x02, Uint8Array.of(1)));

/**
 * A minimal self-signed v1 certificate (PEM) for the public key `spki` (SubjectPublicKeyInfo,
 * DER), made only to be loaded into a context, never verified or sent: its signature is
 * `sign(tbs)` when given (a test signs it), else {@link UNCHECKED_SIGNATURE}.
 */
export function probeCertificate(spki: Buffer, sign?: (tbs: Buffer) => Buffer): string {
  const cn = tlv(0x0c, Buffer.from('security-level probe', 'utf8'));
  const name = tlv(SEQUENCE, tlv(0x31, tlv(SEQUENCE, COMMON_NAME, cn)));
  const tbs = tlv(
    SEQUENCE,
    tlv(0x02, Uint8Array.of(1)),
    ECDSA_WITH_SHA256,
    name,
    VALIDITY,
    name,
    spki,
  );
  const signature = sign?.(tbs) ?? UNCHECKED_SIGNATURE;
  const der = tlv(SEQUENCE, tbs, ECDSA_WITH_SHA256, tlv(0x03, Uint8Array.of(0), signature));
  const base64 = der.toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${base64.replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
}
