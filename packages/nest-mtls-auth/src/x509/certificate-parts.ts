import type { X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { readTbsParts, type TbsParts } from './tbs-certificate.js';

/**
 * {@link readTbsParts} of a certificate Node has parsed, whatever its encoding. The fast walk reads
 * DER; OpenSSL also accepts some BER (an indefinite-length Name, say), and a certificate the
 * handshake accepts must be read here too: then the certificate is decoded by `@peculiar/asn1-x509`
 * (asn1js reads BER) and its DER re-encoding walked instead. Names, times and extensions are the
 * same values; only their encoding is normalized.
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
      der = new Uint8Array(AsnConvert.serialize(AsnConvert.parse(raw, Certificate)));
    } catch {
      throw new Error('the certificate is neither DER nor BER this reader knows', { cause });
    }
    return readTbsParts(der);
  }
}
