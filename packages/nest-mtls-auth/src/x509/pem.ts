import { X509Certificate, type KeyObject } from 'node:crypto';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * Every `CERTIFICATE` block of a PEM bundle, in order. Text outside the blocks (comments, the
 * "subject=" lines openssl writes) is ignored.
 *
 * @throws {Error} when a block does not parse; the message says which block.
 */
export function parsePemCertificates(pem: string): X509Certificate[] {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch (cause) {
      throw new Error(`certificate block ${i + 1} is not a valid X.509 certificate`, { cause });
    }
  });
}

/** `true` when the certificate names itself as issuer and its signature verifies with its own key. */
export function isSelfSigned(cert: X509Certificate): boolean {
  // Not checkIssued(): it also demands keyCertSign, which a self-signed leaf rightly lacks.
  return cert.issuer === cert.subject && safeVerify(cert, cert);
}

/**
 * `true` when `issuer` (a certificate, or its public key already taken out, which saves creating
 * a key object per check) signed `cert`; never throws (unsupported key types read as "no").
 */
export function safeVerify(cert: X509Certificate, issuer: X509Certificate | KeyObject): boolean {
  try {
    return cert.verify(issuer instanceof X509Certificate ? issuer.publicKey : issuer);
  } catch {
    // An algorithm Node cannot verify is, for trust, the same as a wrong signature.
    return false;
  }
}
