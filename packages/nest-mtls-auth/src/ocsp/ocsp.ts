import { id_kp_OCSPSigning } from '../x509/oids.js';
import { createHash, X509Certificate } from 'node:crypto';
import {
  BasicOCSPResponse,
  CertID,
  id_pkix_ocsp_basic,
  OCSPRequest,
  OCSPResponse,
  OCSPResponseStatus,
  Request,
  TBSRequest,
} from '@peculiar/asn1-ocsp';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Certificate } from '@peculiar/asn1-x509';
import { verifySignedData } from '../x509/verify/signed-data.js';

const SHA1 = '1.3.14.3.2.26';
/** MD5 and SHA-1 signatures (RSA, ECDSA, DSA): an answer signed so is no answer. */
const WEAK_SIGNATURES: ReadonlySet<string> = new Set([
  '1.2.840.113549.1.1.4',
  '1.2.840.113549.1.1.5',
  '1.2.840.10045.4.1',
  '1.2.840.10040.4.3',
]);

/** `unknown`: no current answer for that certificate, which refuses it. */
export type RevocationStatus = 'good' | 'revoked' | 'unknown';

/** What a responder said about one certificate, and until when the answer holds. */
export interface OcspAnswer {
  readonly status: RevocationStatus;
  /** Epoch ms after which the answer must be asked again. */
  readonly validUntil: number;
}

/** The CertID that names `cert` (issued by `issuer`) in a request and in the responder's answer. */
function certId(cert: X509Certificate, issuer: X509Certificate): CertID {
  const issuerTbs = AsnConvert.parse(issuer.raw, Certificate).tbsCertificate;
  const nameDer = AsnConvert.serialize(issuerTbs.subject);
  const keyBits = issuerTbs.subjectPublicKeyInfo.subjectPublicKey;
  return new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: SHA1, parameters: null }),
    issuerNameHash: new OctetString(createHash('sha1').update(Buffer.from(nameDer)).digest()),
    issuerKeyHash: new OctetString(createHash('sha1').update(Buffer.from(keyBits)).digest()),
    serialNumber: AsnConvert.parse(cert.raw, Certificate).tbsCertificate.serialNumber,
  });
}

/** A DER OCSP request for one certificate (unsigned, no nonce: answers are cached anyway). */
export function buildOcspRequest(cert: X509Certificate, issuer: X509Certificate): Buffer {
  const request = new OCSPRequest({
    tbsRequest: new TBSRequest({ requestList: [new Request({ reqCert: certId(cert, issuer) })] }),
  });
  return Buffer.from(AsnConvert.serialize(request));
}

/** The responder URL in the certificate's Authority Information Access, if any. */
export function ocspUrlOf(cert: X509Certificate): string | undefined {
  return /OCSP - URI:(\S+)/.exec(cert.infoAccess ?? '')?.[1];
}

/**
 * Reads a responder's DER answer about `cert`: checks that it is a successful basic response,
 * signed by the issuer itself or by a responder certificate the issuer gave the OCSPSigning
 * usage, about this very certificate, and current. Anything else reads `unknown`.
 *
 * @see RFC 6960
 */
export function parseOcspResponse(
  der: Uint8Array,
  cert: X509Certificate,
  issuer: X509Certificate,
  now: number = Date.now(),
): OcspAnswer {
  const unknown = (): OcspAnswer => ({ status: 'unknown', validUntil: now + 60_000 });
  try {
    const response = AsnConvert.parse(der, OCSPResponse);
    if (response.responseStatus !== OCSPResponseStatus.successful || !response.responseBytes)
      return unknown();
    if (response.responseBytes.responseType !== id_pkix_ocsp_basic) return unknown();
    const basic = AsnConvert.parse(response.responseBytes.response.buffer, BasicOCSPResponse);
    const signer = responderKeyHolder(basic, issuer);
    if (!signer || !basic.tbsResponseDataRaw) return unknown();
    if (WEAK_SIGNATURES.has(basic.signatureAlgorithm.algorithm)) return unknown();
    const verified = verifySignedData(
      new Uint8Array(AsnConvert.serialize(basic.signatureAlgorithm)),
      new Uint8Array(basic.tbsResponseDataRaw),
      new Uint8Array(basic.signature),
      signer.publicKey,
    );
    if (!verified) return unknown();
    const wanted = Buffer.from(AsnConvert.serialize(certId(cert, issuer)));
    const single = basic.tbsResponseData.responses.find((r) =>
      Buffer.from(AsnConvert.serialize(r.certID)).equals(wanted),
    );
    if (!single) return unknown();
    const nextUpdate = single.nextUpdate?.getTime();
    if (
      single.thisUpdate.getTime() > now + 5 * 60_000 ||
      (nextUpdate !== undefined && nextUpdate < now)
    ) {
      return unknown();
    }
    const validUntil = Math.min(nextUpdate ?? now + 60 * 60_000, now + 24 * 60 * 60_000);
    if (single.certStatus.revoked) return { status: 'revoked', validUntil };
    if (single.certStatus.good !== undefined) return { status: 'good', validUntil };
    return { status: 'unknown', validUntil };
  } catch {
    // A response that does not parse says nothing.
    return unknown();
  }
}

/** The issuer, or a delegated responder certificate it signed for OCSPSigning. */
function responderKeyHolder(
  basic: BasicOCSPResponse,
  issuer: X509Certificate,
): X509Certificate | undefined {
  const byKey = basic.tbsResponseData.responderID.byKey;
  const issuerKeyHash = createHash('sha1')
    .update(
      Buffer.from(
        AsnConvert.parse(issuer.raw, Certificate).tbsCertificate.subjectPublicKeyInfo
          .subjectPublicKey,
      ),
    )
    .digest();
  if (byKey ? Buffer.from(byKey.buffer).equals(issuerKeyHash) : true) {
    // By name: the issuer when the names match; otherwise look for a delegated responder below.
    if (byKey || sameName(basic, issuer)) return issuer;
  }
  for (const c of basic.certs ?? []) {
    const delegate = new X509Certificate(Buffer.from(AsnConvert.serialize(c)));
    if (
      delegate.checkIssued(issuer) &&
      delegate.verify(issuer.publicKey) &&
      delegate.keyUsage?.includes(id_kp_OCSPSigning)
    ) {
      return delegate;
    }
  }
  return undefined;
}

function sameName(basic: BasicOCSPResponse, issuer: X509Certificate): boolean {
  const byName = basic.tbsResponseData.responderID.byName;
  if (!byName) return false;
  const issuerName = AsnConvert.serialize(
    AsnConvert.parse(issuer.raw, Certificate).tbsCertificate.subject,
  );
  return Buffer.from(AsnConvert.serialize(byName)).equals(Buffer.from(issuerName));
}
