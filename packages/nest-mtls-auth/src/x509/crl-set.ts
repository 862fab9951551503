import { verify, type X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CertificateList } from '@peculiar/asn1-x509';
import type { RevocationChecker, RevocationStatus } from './chain-verifier.js';
import { derElementLength, derHeaderLength } from './der.js';
import { SIGNATURE_HASHES } from './signature-algorithms.js';

const PEM_CRL = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/g;

/** Each `X509 CRL` block of a PEM text, whole, in order. */
export function splitPemCrls(pem: string): string[] {
  return [...pem.matchAll(PEM_CRL)].map((match) => match[0]);
}

interface LoadedCrl {
  readonly revoked: ReadonlySet<string>;
  readonly thisUpdate: number;
  readonly nextUpdate: number | undefined;
  readonly info: CrlInfo;
}

/** When a loaded CRL was issued and until when it is current, and the trusted CA that signed it. */
export interface CrlInfo {
  readonly issuer: X509Certificate;
  readonly thisUpdate: Date;
  /** `undefined` when the CRL names none (RFC 5280 requires one; OpenSSL then never expires it). */
  readonly nextUpdate: Date | undefined;
}

/**
 * The CRLs of the trusted CAs, each matched to the trusted CA whose key signed it, for
 * checking certificates no handshake has checked (forwarded ones). As Node's `crl` option does,
 * it needs a CRL from every CA in a chain: a certificate whose issuer has no CRL, or one that is
 * not current (before its thisUpdate, or past its nextUpdate), reads "unknown", which refuses it.
 *
 * @throws {Error} at construction when a CRL does not parse or no trusted CA signed it.
 * @see RFC 5280 section 5
 */
export class CrlSet implements RevocationChecker {
  private readonly byIssuer = new Map<string, LoadedCrl>();

  constructor(pem: string, cas: readonly X509Certificate[]) {
    let index = 0;
    for (const match of pem.matchAll(PEM_CRL)) {
      index++;
      const der = Buffer.from((match[1] ?? '').replace(/\s+/g, ''), 'base64');
      const issuer = cas.find((ca) => signedBy(der, ca));
      if (!issuer) throw new Error(`CRL ${index} is not signed by any CA in the trusted bundle`);
      const list = AsnConvert.parse(der, CertificateList);
      const revoked = new Set(
        (list.tbsCertList.revokedCertificates ?? []).map((r) =>
          normalizeSerial(Buffer.from(r.userCertificate)),
        ),
      );
      const nextUpdate = list.tbsCertList.nextUpdate?.getTime();
      this.byIssuer.set(issuer.fingerprint256, {
        revoked,
        thisUpdate: list.tbsCertList.thisUpdate.getTime().getTime(),
        nextUpdate: nextUpdate?.getTime(),
        info: { issuer, thisUpdate: list.tbsCertList.thisUpdate.getTime(), nextUpdate },
      });
    }
    if (index === 0) throw new Error('holds no "BEGIN X509 CRL" block');
    // Node's `crl` option checks every certificate in a chain: a CA without a CRL would fail every
    // handshake it is part of later, as a puzzling UNABLE_TO_GET_CRL. Say so now instead.
    const missing = cas.filter((ca) => !this.byIssuer.has(ca.fingerprint256));
    if (missing.length > 0) {
      throw new Error(
        `no CRL from ${missing.map((ca) => `"${ca.subject.replaceAll('\n', ', ')}"`).join(' and ')}: Node needs a current CRL from every CA of the trusted bundle; add one per CA`,
      );
    }
  }

  /** How many CRLs were loaded. */
  get size(): number {
    return this.byIssuer.size;
  }

  /** The CRL in force for each CA, in the order of the bundle's CRLs. */
  get lists(): readonly CrlInfo[] {
    return [...this.byIssuer.values()].map((crl) => crl.info);
  }

  status(
    cert: X509Certificate,
    issuer: X509Certificate,
    now: number = Date.now(),
  ): RevocationStatus {
    const crl = this.byIssuer.get(issuer.fingerprint256);
    // As OpenSSL's check_crl_time: not current before its thisUpdate, nor from its nextUpdate on.
    if (!crl || now < crl.thisUpdate || (crl.nextUpdate !== undefined && now >= crl.nextUpdate)) {
      return 'unknown';
    }
    return crl.revoked.has(normalizeSerial(Buffer.from(cert.serialNumber, 'hex')))
      ? 'revoked'
      : 'good';
  }
}

/** Serial numbers compare as unsigned integers: no leading zero bytes, upper-case hex. */
function normalizeSerial(bytes: Buffer): string {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return bytes.subarray(i).toString('hex').toUpperCase();
}

/** `true` when `ca`'s key signed this DER CRL (tbsCertList, algorithm, BIT STRING signature). */
function signedBy(der: Buffer, ca: X509Certificate): boolean {
  try {
    const outer = derHeaderLength(der, 0);
    const tbsLength = derElementLength(der, outer);
    const tbs = der.subarray(outer, outer + tbsLength);
    const algOffset = outer + tbsLength;
    const algLength = derElementLength(der, algOffset);
    const sigOffset = algOffset + algLength;
    const sigHeader = derHeaderLength(der, sigOffset);
    const signature = der.subarray(
      sigOffset + sigHeader + 1,
      sigOffset + derElementLength(der, sigOffset),
    );
    const list = AsnConvert.parse(der, CertificateList);
    const hash = SIGNATURE_HASHES[list.signatureAlgorithm.algorithm];
    if (hash === undefined) return false;
    return verify(hash, tbs, ca.publicKey, signature);
  } catch {
    // A CRL that does not parse or verify under this key is simply not this CA's.
    return false;
  }
}
