import { id_at_commonName } from '../x509/oids.js';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  Certificate,
  Name,
  RelativeDistinguishedName,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
} from '@peculiar/asn1-x509';
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
  const cert = selfSigned(keys);
  const key = keys.privateKey.export({ type: 'pkcs8', format: 'pem' });
  try {
    createSecureContext({ ciphers: options.ciphers, cert, key });
    return true;
  } catch {
    // "ee key too small": below this context's level.
    return false;
  }
}

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const DAY = 24 * 60 * 60 * 1000;

/** A minimal self-signed v1 certificate for `keys` (PEM), made only to be loaded, never sent. */
function selfSigned(keys: { publicKey: KeyObject; privateKey: KeyObject }): string {
  const name = new Name([
    new RelativeDistinguishedName([
      new AttributeTypeAndValue({
        type: id_at_commonName,
        value: new AttributeValue({ utf8String: 'security-level probe' }),
      }),
    ]),
  ]);
  const tbs = new TBSCertificate({
    serialNumber: Uint8Array.of(1).buffer,
    signature: new AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA256 }),
    issuer: name,
    validity: new Validity({
      notBefore: new Date(Date.now() - DAY),
      notAfter: new Date(Date.now() + DAY),
    }),
    subject: name,
    subjectPublicKeyInfo: AsnConvert.parse(
      keys.publicKey.export({ type: 'spki', format: 'der' }),
      SubjectPublicKeyInfo,
    ),
  });
  tbs.version = 0;
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs));
  const certificate = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA256 }),
    signatureValue: new Uint8Array(sign('sha256', tbsDer, keys.privateKey)).buffer,
  });
  const der = Buffer.from(AsnConvert.serialize(certificate)).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${der.replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
}
