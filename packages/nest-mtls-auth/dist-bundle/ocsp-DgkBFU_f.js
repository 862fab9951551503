import { M as id_kp_OCSPSigning, t as verifySignedData } from "./signed-data-B4GPb_RL.js";
import { X509Certificate, createHash } from "node:crypto";
import { BasicOCSPResponse, CertID, OCSPRequest, OCSPResponse, OCSPResponseStatus, Request, TBSRequest, id_pkix_ocsp_basic } from "@peculiar/asn1-ocsp";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import { AlgorithmIdentifier, Certificate } from "@peculiar/asn1-x509";

// dist/ocsp/ocsp.js
const SHA1 = "1.3.14.3.2.26";
/** MD5 and SHA-1 signatures (RSA, ECDSA, DSA): an answer signed so is no answer. */
const WEAK_SIGNATURES = /* @__PURE__ */ new Set([
	"1.2.840.113549.1.1.4",
	"1.2.840.113549.1.1.5",
	"1.2.840.10045.4.1",
	"1.2.840.10040.4.3"
]);
/** The CertID that names `cert` (issued by `issuer`) in a request and in the responder's answer. */
function certId(cert, issuer) {
	const issuerTbs = AsnConvert.parse(issuer.raw, Certificate).tbsCertificate;
	const nameDer = AsnConvert.serialize(issuerTbs.subject);
	const keyBits = issuerTbs.subjectPublicKeyInfo.subjectPublicKey;
	return new CertID({
		hashAlgorithm: new AlgorithmIdentifier({
			algorithm: SHA1,
			parameters: null
		}),
		issuerNameHash: new OctetString(createHash("sha1").update(Buffer.from(nameDer)).digest()),
		issuerKeyHash: new OctetString(createHash("sha1").update(Buffer.from(keyBits)).digest()),
		serialNumber: AsnConvert.parse(cert.raw, Certificate).tbsCertificate.serialNumber
	});
}
/** A DER OCSP request for one certificate (unsigned, no nonce: answers are cached anyway). */
function buildOcspRequest(cert, issuer) {
	const request = new OCSPRequest({ tbsRequest: new TBSRequest({ requestList: [new Request({ reqCert: certId(cert, issuer) })] }) });
	return Buffer.from(AsnConvert.serialize(request));
}
/** The responder URL in the certificate's Authority Information Access, if any. */
function ocspUrlOf(cert) {
	return /OCSP - URI:(\S+)/.exec(cert.infoAccess ?? "")?.[1];
}
/**
* Reads a responder's DER answer about `cert`: checks that it is a successful basic response,
* signed by the issuer itself or by a responder certificate the issuer gave the OCSPSigning
* usage, about this very certificate, and current. Anything else reads `unknown`.
*
* @see RFC 6960
*/
function parseOcspResponse(der, cert, issuer, now = Date.now()) {
	const unknown = () => ({
		status: "unknown",
		validUntil: now + 6e4
	});
	try {
		const response = AsnConvert.parse(der, OCSPResponse);
		if (response.responseStatus !== OCSPResponseStatus.successful || !response.responseBytes) return unknown();
		if (response.responseBytes.responseType !== id_pkix_ocsp_basic) return unknown();
		const basic = AsnConvert.parse(response.responseBytes.response.buffer, BasicOCSPResponse);
		const signer = responderKeyHolder(basic, issuer);
		if (!signer || !basic.tbsResponseDataRaw) return unknown();
		if (WEAK_SIGNATURES.has(basic.signatureAlgorithm.algorithm)) return unknown();
		if (!verifySignedData(new Uint8Array(AsnConvert.serialize(basic.signatureAlgorithm)), new Uint8Array(basic.tbsResponseDataRaw), new Uint8Array(basic.signature), signer.publicKey)) return unknown();
		const wanted = Buffer.from(AsnConvert.serialize(certId(cert, issuer)));
		const single = basic.tbsResponseData.responses.find((r) => Buffer.from(AsnConvert.serialize(r.certID)).equals(wanted));
		if (!single) return unknown();
		const nextUpdate = single.nextUpdate?.getTime();
		if (single.thisUpdate.getTime() > now + 3e5 || nextUpdate !== void 0 && nextUpdate < now) return unknown();
		const validUntil = Math.min(nextUpdate ?? now + 36e5, now + 864e5);
		if (single.certStatus.revoked) return {
			status: "revoked",
			validUntil
		};
		if (single.certStatus.good !== void 0) return {
			status: "good",
			validUntil
		};
		return {
			status: "unknown",
			validUntil
		};
	} catch {
		return unknown();
	}
}
/** The issuer, or a delegated responder certificate it signed for OCSPSigning. */
function responderKeyHolder(basic, issuer) {
	const byKey = basic.tbsResponseData.responderID.byKey;
	const issuerKeyHash = createHash("sha1").update(Buffer.from(AsnConvert.parse(issuer.raw, Certificate).tbsCertificate.subjectPublicKeyInfo.subjectPublicKey)).digest();
	if (byKey ? Buffer.from(byKey.buffer).equals(issuerKeyHash) : true) {
		if (byKey || sameName(basic, issuer)) return issuer;
	}
	for (const c of basic.certs ?? []) {
		const delegate = new X509Certificate(Buffer.from(AsnConvert.serialize(c)));
		if (delegate.checkIssued(issuer) && delegate.verify(issuer.publicKey) && delegate.keyUsage?.includes("1.3.6.1.5.5.7.3.9")) return delegate;
	}
}
function sameName(basic, issuer) {
	const byName = basic.tbsResponseData.responderID.byName;
	if (!byName) return false;
	const issuerName = AsnConvert.serialize(AsnConvert.parse(issuer.raw, Certificate).tbsCertificate.subject);
	return Buffer.from(AsnConvert.serialize(byName)).equals(Buffer.from(issuerName));
}

export { buildOcspRequest, ocspUrlOf, parseOcspResponse };