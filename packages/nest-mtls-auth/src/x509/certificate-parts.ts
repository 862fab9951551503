import type { X509Certificate } from 'node:crypto';
import { toDefiniteLengths } from './der/ber.js';
import { readTbsParts, type TbsParts } from './tbs-certificate.js';

/**
 * {@link readTbsParts} of a certificate Node has parsed, whatever its encoding. The fast walk reads
 * DER; OpenSSL also accepts some BER (an indefinite-length Name, say), and a certificate the
 * handshake accepts must be read here too: then its lengths are rewritten in definite form, every
 * value byte kept as sent (a time OpenSSL refuses stays one this reader refuses), and walked again.
 *
 * @throws {Error} only when neither reading works (a certificate Node itself would not parse).
 */
export function readCertificateParts(cert: X509Certificate): TbsParts {
  const raw = cert.raw;
  try {
    return readTbsParts(raw);
  } catch (cause) {
    let der: Uint8Array;
    try {
      der = toDefiniteLengths(raw);
    } catch {
      throw new Error('the certificate is neither DER nor BER this reader knows', { cause });
    }
    return readTbsParts(der);
  }
}
