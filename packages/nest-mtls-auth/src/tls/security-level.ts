import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import { MOZILLA_INTERMEDIATE_CIPHERS } from './cipher-suites.js';

/**
 * Probe keys, weakest first, with their security bits: a context at level n (which asks for 80,
 * 112, 128, 192 or 256 bits at levels 1-5) refuses the first n of them as its own certificate.
 */
const PROBES: readonly string[] = [
  'secp112r1',
  'secp160r1',
  'secp224r1',
  'prime256v1',
  'secp384r1',
];

/**
 * The OpenSSL security level (0-5) of a TLS context made with `options`, read from OpenSSL itself:
 * the level the handshake verifies client chains at (weakest key, weakest signature digest).
 * It is found by loading self-signed probe certificates of increasing strength, made now, into a
 * context with those options: the level is how many of them OpenSSL refuses. That way whatever
 * sets the level is taken into account: `@SECLEVEL=n` in the ciphers, Node's default, an
 * `openssl.cnf`.
 *
 * A probe curve that this OpenSSL cannot make counts as refused: when in doubt the level reads
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
  for (const curve of PROBES) {
    if (loads(options, curve)) break;
    level++;
  }
  return level;
}

function loads(options: Pick<SecureContextOptions, 'ciphers'>, curve: string): boolean {
  let keys: { publicKey: KeyObject; privateKey: KeyObject };
  try {
    keys = generateKeyPairSync('ec', { namedCurve: curve });
  } catch {
    return false;
  }
  const cert = probeCertificate(keys);
  const key = keys.privateKey.export({ type: 'pkcs8', format: 'pem' });
  try {
    createSecureContext({ ciphers: options.ciphers, cert, key });
    return true;
  } catch {
    // "ee key too small": below this context's level.
    return false;
  }
}

const DAY = 24 * 60 * 60 * 1000;

/*
 * A minimal self-signed certificate, written out here: OpenSSL only loads it (checking its key
 * against the context's level), never verifies or sends it, and an ASN.1 library would cost every
 * start-up its load time (about 60 ms). test/unit/security-level.spec.ts reads one back with Node.
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

/** UTCTime `YYMMDDHHMMSSZ`. */
function utcTime(ms: number): Buffer {
  const text = new Date(ms).toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
  return tlv(0x17, Buffer.from(text, 'latin1'));
}

/** A minimal self-signed v1 certificate for `keys` (PEM), made only to be loaded, never sent. */
export function probeCertificate(keys: { publicKey: KeyObject; privateKey: KeyObject }): string {
  const cn = tlv(0x0c, Buffer.from('security-level probe', 'utf8'));
  const name = tlv(SEQUENCE, tlv(0x31, tlv(SEQUENCE, COMMON_NAME, cn)));
  const now = Date.now();
  const tbs = tlv(
    SEQUENCE,
    tlv(0x02, Uint8Array.of(1)),
    ECDSA_WITH_SHA256,
    name,
    tlv(SEQUENCE, utcTime(now - DAY), utcTime(now + DAY)),
    name,
    keys.publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = sign('sha256', tbs, keys.privateKey);
  const der = tlv(SEQUENCE, tbs, ECDSA_WITH_SHA256, tlv(0x03, Uint8Array.of(0), signature));
  const base64 = der.toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${base64.replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
}
