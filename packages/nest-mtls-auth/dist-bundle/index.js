import { A as id_ce_subjectKeyIdentifier, B as id_pe_proxyCertInfo, C as id_ce_inhibitAnyPolicy, D as id_ce_policyConstraints, E as id_ce_nameConstraints, F as id_kp_serverAuth, I as id_netscape_certType, L as id_on_SmtpUTF8Mailbox, N as id_kp_clientAuth, O as id_ce_policyMappings, P as id_kp_emailProtection, R as id_pe_autonomousSysIds, S as id_ce_extKeyUsage, T as id_ce_keyUsage, V as id_pkix_ocsp_nocheck, _ as id_at_commonName, a as integerValue, b as id_ce_cRLDistributionPoints, c as content, d as derElementLength, f as element, g as anyExtendedKeyUsage, h as ATTRIBUTE_TYPE_NAMES, i as firstElement, j as id_emailAddress, k as id_ce_subjectAltName, l as contentStart, m as text, n as Asn1Error, o as oidOf, p as elementEnd, r as Tag, s as children, t as verifySignedData, u as decodeOid, v as id_ce_authorityKeyIdentifier, w as id_ce_issuerAltName, x as id_ce_certificatePolicies, y as id_ce_basicConstraints, z as id_pe_ipAddrBlocks } from "./signed-data-B4GPb_RL.js";
import { ConfigurableModuleBuilder, HttpException, Inject, Injectable, Logger, Module, RequestMethod, SetMetadata, UseGuards, applyDecorators, createParamDecorator } from "@nestjs/common";
import { APP_GUARD, HttpAdapterHost, ModuleRef, ModulesContainer, Reflector } from "@nestjs/core";
import { inspect } from "node:util";
import { IncomingMessage, request } from "node:http";
import { domainToUnicode } from "node:url";
import { X509Certificate, constants, createHash, generateKeyPairSync, sign } from "node:crypto";
import { BlockList, isIP } from "node:net";
import { createSecureContext } from "node:tls";
import { LRUCache } from "lru-cache";
import { request as request$1 } from "node:https";
import { METHOD_METADATA, PATH_METADATA } from "@nestjs/common/constants.js";
import { PassportModule, PassportStrategy } from "@nestjs/passport";
import { Strategy } from "passport-strategy";
import { existsSync, readFileSync, watch } from "node:fs";
import { dirname, resolve } from "node:path";
import { Observable } from "rxjs";
import { AsyncLocalStorage } from "node:async_hooks";

// dist/authentication/log-record.js
/**
* A log record that is structured for JSON loggers (pino reads its fields) and one line for
* loggers that print objects with `util.inspect` (Nest's default `ConsoleLogger` would otherwise
* spread it over ten): `msg key=value ...`, values JSON-quoted when they hold a space or a quote.
*/
function logRecord(fields) {
	const record = { ...fields };
	Object.defineProperty(record, inspect.custom, {
		enumerable: false,
		value: () => oneLine(fields)
	});
	return record;
}
function oneLine({ msg, ...rest }) {
	return [msg, ...Object.entries(rest).map(([key, value]) => {
		const text = typeof value === "string" ? value : String(JSON.stringify(value));
		return `${key}=${/[\s"=]/.test(text) || text === "" ? JSON.stringify(text) : text}`;
	})].join(" ");
}

// dist/http/http-request.js
/**
* The Node request under either adapter's request object.
*
* `instanceof` rather than `'raw' in request`: Express re-parents every request under its own
* prototype (`Object.setPrototypeOf`), and on such requests a property test that misses walks the
* whole prototype chain through a megamorphic inline cache. Measured with perf on the Express
* benchmark: about 0.4 µs per request for the three calls a guarded request makes; `instanceof` is
* a two-step prototype walk without an inline cache.
*/
function rawRequest(request) {
	return request instanceof IncomingMessage ? request : request.raw;
}
/** `true` for Fastify's request object (it wraps the Node request), `false` for Express's. */
function isWrappedRequest(request) {
	return !(request instanceof IncomingMessage);
}
/**
* `true` when the request carries a header of this name (lower case), read from `rawHeaders`.
* For a header that is almost never sent: on Express, `request.headers` is an accessor reached
* through a re-parented prototype chain, about 0.4 µs per request where `rawHeaders`, an own
* array, is scanned by length first.
*/
function hasHeader(request, name) {
	const raw = request.rawHeaders;
	for (let i = 0; i < raw.length; i += 2) {
		const header = raw[i];
		if (header.length === name.length && header.toLowerCase() === name) return true;
	}
	return false;
}
/**
* The names among `names` (lower case) that the request carries, from one pass over `rawHeaders`
* (see {@link hasHeader} for why not `request.headers`); `undefined` when it carries none.
*/
function presentHeaders(request, names) {
	const raw = request.rawHeaders;
	let found;
	for (let i = 0; i < raw.length; i += 2) {
		const header = raw[i];
		for (const name of names) if (header.length === name.length && header.toLowerCase() === name) {
			if (!found?.includes(name)) (found ??= []).push(name);
			break;
		}
	}
	return found;
}

// dist/x509/reason-code.js
/**
* Why a caller was refused. Every rejection carries exactly one of these codes in its JSON body,
* its log line and its metrics label, so a client, an operator and a dashboard all read the same word.
*
* @see the README of this package, "Refusals"
*/
const MtlsReasonCode = {
	/** No certificate was presented (or an untrusted peer sent a forwarded one, which is ignored). */
	CertMissing: "MTLS_CERT_MISSING",
	/** The chain does not reach a trusted CA, or a self-signed certificate is not allowed/pinned. */
	CertUntrusted: "MTLS_CERT_UNTRUSTED",
	/** The certificate's notAfter is in the past. */
	CertExpired: "MTLS_CERT_EXPIRED",
	/** The certificate's notBefore is in the future. */
	CertNotYetValid: "MTLS_CERT_NOT_YET_VALID",
	/** The certificate is listed on a loaded CRL. */
	CertRevoked: "MTLS_CERT_REVOKED",
	/** Trusted chain, but no clientAuth extended key usage, or a CA certificate used as a client. */
	CertInvalidUsage: "MTLS_CERT_INVALID_USAGE",
	/**
	* A forwarded header that does not decode to exactly one certificate, or whose XFCC `Hash=` is
	* not the SHA-256 of its `Cert=`.
	*/
	CertMalformed: "MTLS_CERT_MALFORMED",
	/** Valid certificate whose identity is not allowed on this route or service. */
	ServiceForbidden: "MTLS_SERVICE_FORBIDDEN",
	/** Pins are configured and this certificate's fingerprint is not one of them. */
	FingerprintForbidden: "MTLS_FINGERPRINT_FORBIDDEN",
	/** A route that requires a certificate-bound access token (RFC 8705) got no bearer token. */
	TokenMissing: "MTLS_TOKEN_MISSING",
	/** The bearer token is not a valid access token here: signature, issuer, audience or expiry. */
	TokenInvalid: "MTLS_TOKEN_INVALID",
	/** A valid access token whose `cnf["x5t#S256"]` is not the certificate of this request. */
	TokenNotBound: "MTLS_TOKEN_NOT_BOUND"
};
/**
* HTTP status and a message that tells the caller what to do, per reason code. 401 means "present
* a (different) certificate"; 403 means "your certificate is fine but you may not call this".
*/
const REASON_DESCRIPTIONS = {
	MTLS_CERT_MISSING: {
		status: 401,
		message: "A client certificate is required: present one issued by a CA this service trusts."
	},
	MTLS_CERT_UNTRUSTED: {
		status: 401,
		message: "The client certificate does not chain to a CA this service trusts (or is self-signed and not pinned)."
	},
	MTLS_CERT_EXPIRED: {
		status: 401,
		message: "The client certificate has expired: renew it."
	},
	MTLS_CERT_NOT_YET_VALID: {
		status: 401,
		message: "The client certificate is not valid yet: check its notBefore date and the clocks."
	},
	MTLS_CERT_REVOKED: {
		status: 401,
		message: "The client certificate has been revoked by its CA."
	},
	MTLS_CERT_INVALID_USAGE: {
		status: 401,
		message: "The client certificate may not be used for client authentication: it needs the clientAuth extended key usage and must not be a CA certificate."
	},
	MTLS_CERT_MALFORMED: {
		status: 401,
		message: "The forwarded client certificate header does not decode to exactly one certificate, or its XFCC Hash is not that certificate's."
	},
	MTLS_SERVICE_FORBIDDEN: {
		status: 403,
		message: "The client certificate is valid, but its identity is not allowed to call this route."
	},
	MTLS_FINGERPRINT_FORBIDDEN: {
		status: 403,
		message: "The client certificate is valid, but its fingerprint is not pinned by this service."
	},
	MTLS_TOKEN_MISSING: {
		status: 401,
		message: "This route needs a certificate-bound access token: send Authorization: Bearer <token>, obtained with this client certificate."
	},
	MTLS_TOKEN_INVALID: {
		status: 401,
		message: "The bearer token is not a valid access token for this service (signature, issuer, audience or expiry): obtain a new one."
	},
	MTLS_TOKEN_NOT_BOUND: {
		status: 401,
		message: "The access token is bound to another certificate (its cnf x5t#S256): present the certificate it was issued to, or obtain a token with this one."
	}
};
/**
* The refusals that report-only enforcement relaxes: authorization (403), never authentication.
*/
const AUTHORIZATION_CODES = /* @__PURE__ */ new Set([MtlsReasonCode.ServiceForbidden, MtlsReasonCode.FingerprintForbidden]);

// dist/authentication/admission.js
/**
* The one acceptance path, which `ClientCertAuthGuard` and the Passport strategy
* (`AuthGuard('client-cert')`) both take: the caller's entry is judged (remembered per connection
* and per certificate), asked of OCSP when on, and `validate()` runs once per accepted entry: its
* result is remembered, and a second request that arrives while it runs waits for the same call.
* A caller whose `validate()` result is known is let through by reading one field, synchronously.
*
* On success the entry is counted and passed on to the allowlist guard.
*
* @returns the user, a {@link Refusal} (already logged and counted), or a promise of either:
*   synchronous unless OCSP or `validate()` is asynchronous.
*/
function admit(authenticator, request, validator) {
	const entry = authenticator.judge(request);
	const known = entry.user;
	if (known !== void 0) return pass(authenticator, request, entry, known);
	return acceptFirst(authenticator, request, entry, validator);
}
/** `true` when an {@link admit} result is a promise. */
function isPending(admission) {
	return typeof admission?.then === "function";
}
/** A caller accepted for the first time (or again, after its OCSP answer ran out). */
function acceptFirst(authenticator, request, entry, validator) {
	if (authenticator.awaitsOcsp(entry)) return authenticator.askOcsp(entry).then(() => acceptFirst(authenticator, request, entry, validator));
	const { outcome } = entry;
	if (!outcome.ok) return authenticator.reject(request, outcome.code, outcome.identity, outcome.detail);
	const running = entry.validation;
	if (running) return running.then(() => settled(authenticator, request, entry));
	const user = validator.validate(outcome.identity);
	if (!isPending(user)) return remember(authenticator, request, entry, user);
	const pending = Promise.resolve(user).then((resolved) => {
		if (entry.validation === pending) entry.rememberUser(resolved);
		return resolved;
	}, (error) => {
		if (entry.validation === pending) entry.rememberUser(void 0);
		throw error;
	});
	entry.validating(pending);
	return pending.then((resolved) => remember(authenticator, request, entry, resolved));
}
/** A request that waited for another request's `validate()` of the same entry. */
function settled(authenticator, request, entry) {
	const { outcome, user } = entry;
	if (!outcome.ok) return authenticator.reject(request, outcome.code, outcome.identity, outcome.detail);
	if (user === void 0) return forbid(authenticator, request, entry);
	return pass(authenticator, request, entry, user);
}
/** Records what `validate()` made of an accepted entry and lets the request through, or not. */
function remember(authenticator, request, entry, user) {
	const { outcome } = entry;
	if (!outcome.ok) return authenticator.reject(request, outcome.code, outcome.identity, outcome.detail);
	if (!user) return forbid(authenticator, request, entry);
	entry.rememberUser(user);
	return pass(authenticator, request, entry, user);
}
function forbid(authenticator, request, entry) {
	const { outcome } = entry;
	return authenticator.reject(request, MtlsReasonCode.ServiceForbidden, outcome.ok ? outcome.identity : void 0);
}
/** Counts the accepted request and hands its entry to the allowlist guard. */
function pass(authenticator, request, entry, user) {
	authenticator.accepted(entry.source ?? "tls");
	authenticator.memory.passOn(rawRequest(request), entry);
	return user;
}

// dist/tokens/www-authenticate.js
/**
* The `WWW-Authenticate` challenge of a refused bearer token (RFC 6750 section 3): without
* `error` when the request carried no token (section 3.1 says not to name one then), else
* `invalid_token` with a description.
*
* @example bearerChallenge('orders') // 'Bearer realm="orders"'
*/
function bearerChallenge(realm, description) {
	const params = [`realm="${quote(realm)}"`];
	if (description !== void 0) params.push("error=\"invalid_token\"", `error_description="${quote(description)}"`);
	return `Bearer ${params.join(", ")}`;
}
/** A quoted-string's content: printable ASCII, with `"` and `\` escaped. */
function quote(text) {
	return text.replace(/[^\x20-\x7e]/g, "?").replace(/["\\]/g, "\\$&");
}

// dist/authentication/auth-metrics.js
/**
* Authentication outcomes so far: plain counters on the request path (a field increment per
* accepted request), read when a metrics endpoint is scraped.
*/
var AuthMetrics = class {
	accepted = {
		tls: 0,
		forwarded: 0
	};
	refusals = /* @__PURE__ */ new Map();
	wouldRejects = /* @__PURE__ */ new Map();
	accept(source) {
		if (source === "tls") this.accepted.tls++;
		else this.accepted.forwarded++;
	}
	refuse(code, source) {
		let counts = this.refusals.get(code);
		if (!counts) this.refusals.set(code, counts = {
			tls: 0,
			forwarded: 0
		});
		counts[source]++;
	}
	/**
	* The counter of would-be refusals with `code` on `route`: one object per pair, which a caller's
	* remembered verdict holds, so a request counts with one increment.
	*/
	wouldReject(code, route) {
		let byCode = this.wouldRejects.get(route);
		if (!byCode) this.wouldRejects.set(route, byCode = /* @__PURE__ */ new Map());
		let counter = byCode.get(code);
		if (!counter) byCode.set(code, counter = { count: 0 });
		return counter;
	}
	snapshot() {
		const refused = [];
		for (const [code, counts] of this.refusals) for (const source of ["tls", "forwarded"]) if (counts[source] > 0) refused.push({
			code,
			source,
			count: counts[source]
		});
		const wouldReject = [];
		for (const [route, byCode] of this.wouldRejects) for (const [code, { count }] of byCode) wouldReject.push({
			code,
			route,
			count
		});
		return {
			accepted: { ...this.accepted },
			refused,
			wouldReject
		};
	}
};

// dist/x509/der/ber.js
/**
* Re-encodes BER with definite lengths: an indefinite-length constructed element (`0x80` ... end
* of contents) gets its length written out, and long-form lengths are written minimally. Every
* tag and every primitive content is copied byte for byte, so values (times, names, keys) stay
* exactly as the sender wrote them; only the framing changes. What OpenSSL's decoder accepts in a
* certificate (an indefinite-length Name, say) can then be read by the DER walk.
*
* @throws {Error} when the bytes are not BER (or nest deeper than 64 levels).
*/
function toDefiniteLengths(ber) {
	const out = [];
	if (encodeElement(ber, 0, out, 0) !== ber.length) throw new Error("bytes after the outermost element");
	return Uint8Array.from(out);
}
const MAX_DEPTH = 64;
/** Appends the element at `at` to `out` with definite lengths; returns the offset after it. */
function encodeElement(ber, at, out, depth) {
	if (depth > MAX_DEPTH) throw new Error("BER nested too deeply");
	let p = at;
	const first = byteAt(ber, p++);
	const tag = [first];
	if ((first & 31) === 31) {
		let b;
		do {
			b = byteAt(ber, p++);
			tag.push(b);
		} while ((b & 128) !== 0);
	}
	const lengthByte = byteAt(ber, p++);
	const constructed = (first & 32) !== 0;
	if (lengthByte === 128) {
		if (!constructed) throw new Error("indefinite length on a primitive element");
		const content = [];
		while (!(byteAt(ber, p) === 0 && byteAt(ber, p + 1) === 0)) p = encodeElement(ber, p, content, depth + 1);
		push(out, tag, content);
		return p + 2;
	}
	let length = lengthByte;
	if (lengthByte > 128) {
		const count = lengthByte & 127;
		if (count > 4) throw new Error("BER length too long");
		length = 0;
		for (let i = 0; i < count; i++) length = length * 256 + byteAt(ber, p++);
	}
	const contentEnd = p + length;
	if (contentEnd > ber.length) throw new Error("BER element overruns its input");
	if (!constructed) {
		push(out, tag, Array.from(ber.subarray(p, contentEnd)));
		return contentEnd;
	}
	const content = [];
	while (p < contentEnd) p = encodeElement(ber, p, content, depth + 1);
	if (p !== contentEnd) throw new Error("BER children overrun their parent");
	push(out, tag, content);
	return contentEnd;
}
function push(out, tag, content) {
	out.push(...tag);
	const n = content.length;
	if (n < 128) out.push(n);
	else {
		const bytes = [];
		for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 255);
		out.push(128 | bytes.length, ...bytes);
	}
	for (const b of content) out.push(b);
}
function byteAt(ber, at) {
	const b = ber[at];
	if (b === void 0) throw new Error("BER truncated");
	return b;
}

// dist/x509/tbs-certificate.js
const SEQUENCE$2 = 48;
const EXPLICIT_0 = 160;
const EXPLICIT_3 = 163;
const BOOLEAN = 1;
const OID = 6;
const OCTET_STRING = 4;
const SET$1 = 49;
const INTEGER = 2;
/**
* Locates the issuer, the subject and the extensions in a certificate's DER, reading only
* element headers, so that the ASN.1 library decodes a few small pieces instead of the whole
* certificate (measured on Node 24: ~0.8 ms per certificate for a full decode with
* `@peculiar/asn1-schema`, which every new caller paid on its first request).
*
* Only called on DER that Node's `X509Certificate` has already parsed, but still bounds-checked.
*
* @throws {Error} when the DER is not a certificate.
* @see RFC 5280 section 4.1
*/
function readTbsParts(der) {
	const tbsStart = children(der, 0, SEQUENCE$2)[0];
	if (tbsStart === void 0) throw new Error("not a certificate");
	const tbs = children(der, tbsStart, SEQUENCE$2);
	const versioned = der[tbs[0] ?? -1] === EXPLICIT_0;
	let i = versioned ? 1 : 0;
	const serial = tbs[i];
	const signature = tbs[i + 1];
	const issuer = tbs[i + 2];
	const validity = tbs[i + 3];
	const subject = tbs[i + 4];
	const spki = tbs[i + 5];
	if (serial === void 0 || signature === void 0 || issuer === void 0 || validity === void 0 || subject === void 0 || spki === void 0) throw new Error("truncated TBSCertificate");
	if (der[serial] !== INTEGER) throw new Error("serialNumber is not an INTEGER");
	const times = children(der, validity, SEQUENCE$2);
	const notBefore = times[0];
	const notAfter = times[1];
	i += 6;
	const extensions = [];
	for (; i < tbs.length; i++) {
		const at = tbs[i];
		if (der[at] !== EXPLICIT_3) continue;
		const list = contentStart(der, at);
		if (list >= elementEnd(der, at) || der[list] !== SEQUENCE$2) break;
		const listEnd = elementEnd(der, list);
		for (let ext = contentStart(der, list); ext < listEnd; ext = elementEnd(der, ext)) extensions.push(readExtension(der, ext));
	}
	const from = notBefore === void 0 ? void 0 : readTime(der, notBefore);
	const to = notAfter === void 0 ? void 0 : readTime(der, notAfter);
	return {
		version: versioned ? readVersion(der, tbs[0]) : 0,
		serialNumber: serialHex(der, serial),
		serial: content(der, serial),
		notBeforeMs: from?.ms,
		notAfterMs: to?.ms,
		notBefore: from?.iso,
		notAfter: to?.iso,
		issuer: element(der, issuer),
		subject: element(der, subject),
		spki: element(der, spki),
		signature: element(der, signature),
		extensions
	};
}
/** The value of the `[0] EXPLICIT Version` at `at` (0 when it does not read as a small INTEGER). */
function readVersion(der, at) {
	const inner = contentStart(der, at);
	if (der[inner] !== INTEGER) return 0;
	const bytes = content(der, inner);
	return bytes.length === 1 ? bytes[0] : 0;
}
/**
* The INTEGER at `at` in uppercase hex without leading zero bytes, as Node prints it; `undefined`
* when negative.
*/
function serialHex(der, at) {
	const end = elementEnd(der, at);
	let start = contentStart(der, at);
	if (start === end || (der[start] & 128) !== 0) return void 0;
	while (start < end && der[start] === 0) start++;
	if (start === end) return "0";
	return text(der, start, end, "hex").toUpperCase();
}
const UTC_TIME = 23;
const GENERALIZED_TIME = 24;
const ZULU = 90;
const DAYS_IN_MONTH = [
	31,
	28,
	31,
	30,
	31,
	30,
	31,
	31,
	30,
	31,
	30,
	31
];
/**
* A Time in RFC 5280's DER form (section 4.1.2.5: `YYMMDDHHMMSSZ`, years 50-99 being 19xx, or
* `YYYYMMDDHHMMSSZ`), as epoch ms and ISO 8601; `undefined` for any other form, exactly where
* OpenSSL's `X509_cmp_time` reports a format error (no offsets, no fractions, no leap second, a
* real calendar day). Read from the bytes: a new caller's first request pays for every `Date`
* and regular expression on its way.
*/
function readTime(der, at) {
	const long = der[at] === GENERALIZED_TIME;
	if (!long && der[at] !== UTC_TIME) return void 0;
	const start = contentStart(der, at);
	const end = elementEnd(der, at);
	if (end - start !== (long ? 15 : 13) || der[end - 1] !== ZULU) return void 0;
	for (let i = start; i < end - 1; i++) {
		const c = der[i];
		if (c < 48 || c > 57) return void 0;
	}
	const o = start + (long ? 4 : 2);
	const yy = twoDigits(der, start);
	const year = long ? yy * 100 + twoDigits(der, start + 2) : yy + (yy < 50 ? 2e3 : 1900);
	const month = twoDigits(der, o);
	const day = twoDigits(der, o + 2);
	const hour = twoDigits(der, o + 4);
	const minute = twoDigits(der, o + 6);
	const second = twoDigits(der, o + 8);
	const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
	const days = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
	if (days === void 0 || day < 1 || day > days || hour > 23 || minute > 59 || second > 59) return;
	let ms = Date.UTC(year, month - 1, day, hour, minute, second);
	if (year < 100) ms = new Date(ms).setUTCFullYear(year);
	const t = text(der, o, end - 1, "latin1");
	const iso = [
		long ? text(der, start, start + 4, "latin1") : String(year),
		"-",
		t.slice(0, 2),
		"-",
		t.slice(2, 4),
		"T",
		t.slice(4, 6),
		":",
		t.slice(6, 8),
		":",
		t.slice(8, 10),
		".000Z"
	].join("");
	return {
		ms,
		iso
	};
}
/** The number written in the two ASCII digits at `at`. */
function twoDigits(der, at) {
	return (der[at] - 48) * 10 + (der[at + 1] - 48);
}
/** An extension whose value is cut out of the certificate only when read. */
var Extension = class {
	der;
	oid;
	critical;
	valueAt;
	constructor(der, oid, critical, valueAt) {
		this.der = der;
		this.oid = oid;
		this.critical = critical;
		this.valueAt = valueAt;
	}
	get value() {
		return content(this.der, this.valueAt);
	}
};
function readExtension(der, at) {
	if (der[at] !== SEQUENCE$2) throw new Error("malformed extension");
	const end = elementEnd(der, at);
	const oidAt = contentStart(der, at);
	if (oidAt >= end || der[oidAt] !== OID) throw new Error("malformed extension");
	let critical = false;
	let valueAt = elementEnd(der, oidAt);
	if (valueAt < end && der[valueAt] === BOOLEAN) {
		critical = der[valueAt + 2] !== 0;
		valueAt = elementEnd(der, valueAt);
	}
	if (valueAt >= end || der[valueAt] !== OCTET_STRING || elementEnd(der, valueAt) > end) throw new Error("malformed extension");
	const oid = decodeOid(der, contentStart(der, oidAt), elementEnd(der, oidAt));
	return new Extension(der, oid, critical, valueAt);
}
/**
* The relative distinguished names of a DER Name, most significant first, each a list of
* attributes. String types are decoded (UTF8String, PrintableString, IA5String, T61String as
* Latin-1, BMPString, UniversalString); any other value reads as RFC 4514's `#` + hex of its DER.
*
* @throws {Error} when the DER is not a Name.
*/
function readName$1(der) {
	if (der[0] !== SEQUENCE$2) throw new Error("a Name is a SEQUENCE");
	const end = elementEnd(der, 0);
	const rdns = [];
	for (let rdn = contentStart(der, 0); rdn < end; rdn = elementEnd(der, rdn)) {
		if (der[rdn] !== SET$1) throw new Error("malformed name");
		const rdnEnd = elementEnd(der, rdn);
		const attributes = [];
		for (let atv = contentStart(der, rdn); atv < rdnEnd; atv = elementEnd(der, atv)) {
			const atvEnd = elementEnd(der, atv);
			const oidAt = contentStart(der, atv);
			const valueAt = oidAt < atvEnd ? elementEnd(der, oidAt) : atvEnd;
			if (der[atv] !== SEQUENCE$2 || der[oidAt] !== OID || valueAt >= atvEnd || elementEnd(der, valueAt) > atvEnd) throw new Error("malformed attribute");
			const oid = decodeOid(der, contentStart(der, oidAt), elementEnd(der, oidAt));
			attributes.push({
				oid,
				value: decodeString(der, valueAt)
			});
		}
		rdns.push(attributes);
	}
	return rdns;
}
function decodeString(der, at) {
	const start = contentStart(der, at);
	const end = elementEnd(der, at);
	switch (der[at]) {
		case 12: return text(der, start, end, "utf8");
		case 19:
		case 22:
		case 20: return text(der, start, end, "latin1");
		case 30: return Buffer.from(der.subarray(start, end)).swap16().toString("utf16le");
		case 28: {
			let out = "";
			for (let i = start; i + 3 < end; i += 4) {
				const point = (der[i] << 24 | der[i + 1] << 16 | der[i + 2] << 8 | der[i + 3]) >>> 0;
				out += String.fromCodePoint(point > 1114111 ? 65533 : point);
			}
			return out;
		}
		default: return `#${text(der, at, end, "hex")}`;
	}
}

// dist/x509/certificate-parts.js
/**
* {@link readTbsParts} of a certificate Node has parsed, whatever its encoding. The fast walk reads
* DER; OpenSSL also accepts some BER (an indefinite-length Name, say), and a certificate the
* handshake accepts must be read here too: then its lengths are rewritten in definite form, every
* value byte kept as sent (a time OpenSSL refuses stays one this reader refuses), and walked again.
*
* @throws {Error} only when neither reading works (a certificate Node itself would not parse).
*/
function readCertificateParts(cert) {
	const raw = cert.raw;
	try {
		return readTbsParts(raw);
	} catch (cause) {
		let der;
		try {
			der = toDefiniteLengths(raw);
		} catch {
			throw new Error("the certificate is neither DER nor BER this reader knows", { cause });
		}
		return readTbsParts(der);
	}
}

// dist/x509/verify/canonical-name.js
/**
* Decodes a Name element as `x509_name_ex_d2i` does (`SEQUENCE OF SET OF SEQUENCE { OBJECT,
* value }`, each value one of the types OpenSSL allows in a Name), RDN by RDN.
*
* @throws {Asn1Error} when OpenSSL's decoder would refuse it.
*/
function readName(name) {
	if (!name.is(0, Tag.sequence)) throw new Asn1Error("a Name is a SEQUENCE");
	const rdns = [];
	for (const rdn of name.children()) {
		if (!rdn.is(0, Tag.set)) throw new Asn1Error("an RDN is a SET");
		rdns.push([...rdn.children()].map(readNameEntry));
	}
	return rdns;
}
/** `X509_NAME_ENTRY`: `SEQUENCE { OBJECT IDENTIFIER, ASN1_PRINTABLE }`. */
function readNameEntry(entry) {
	if (!entry.is(0, Tag.sequence)) throw new Asn1Error("an attribute is a SEQUENCE");
	const fields = entry.children();
	const type = fields.expect(0, Tag.oid);
	type.primitive(Tag.oid);
	const value = fields.next();
	fields.done();
	if (value?.cls !== 0 || !PRINTABLE_TAGS.has(value.tag)) throw new Asn1Error("a Name value of a type OpenSSL does not allow");
	if (value.tag === Tag.sequence && !value.constructed) throw new Asn1Error("type not constructed");
	const content = value.tag === Tag.sequence ? value.encoding : value.primitive(value.tag);
	return {
		type: type.encoding,
		tag: value.tag,
		value: value.encoding,
		content
	};
}
/**
* The canonical encoding of decoded RDNs (`x509_name_canon`).
*
* @throws {Asn1Error} when a string value does not convert to UTF-8 (OpenSSL then refuses the
*   whole Name).
*/
function canonicalOf(rdns) {
	const out = [];
	for (const rdn of rdns) {
		const entries = rdn.map((e) => wrap(SEQUENCE$1, [e.type, canonicalValue(e)]));
		entries.sort(compareEncodings);
		out.push(wrap(SET, entries));
	}
	return Buffer.concat(out);
}
const SEQUENCE$1 = 48;
const SET = 49;
const UTF8_STRING = 12;
/**
* Universal tags a Name value may have (`B_ASN1_PRINTABLE`): Numeric, Printable, T61, IA5, BIT
* STRING, Universal, BMP, UTF8String, SEQUENCE, and the tags OpenSSL marks unknown. A value of
* any other type (an INTEGER, a VisibleString) makes OpenSSL refuse the Name.
*/
const PRINTABLE_TAGS = /* @__PURE__ */ new Set([
	Tag.numericString,
	Tag.printableString,
	Tag.t61String,
	Tag.ia5String,
	Tag.bitString,
	Tag.universalString,
	Tag.bmpString,
	Tag.utf8String,
	Tag.sequence,
	7,
	8,
	9,
	11,
	13,
	14,
	15,
	29
]);
/** The string types OpenSSL canonicalizes (`ASN1_MASK_CANON`): every other type is kept as is. */
const CANON_TYPES = /* @__PURE__ */ new Set([
	12,
	19,
	20,
	22,
	26,
	28,
	30
]);
function canonicalValue(entry) {
	if (!CANON_TYPES.has(entry.tag)) return entry.value;
	return wrap(UTF8_STRING, [canonicalText(toUtf8(entry.tag, entry.content))]);
}
/**
* `ASN1_STRING_to_UTF8` of a string value with ASN.1 `tag`: one-byte types are Latin-1,
* BMPString two bytes and UniversalString four bytes per character, big-endian, each value
* written as UTF-8 (OpenSSL writes a lone surrogate as it is; so does this).
*/
function toUtf8(tag, bytes) {
	if (tag === UTF8_STRING) {
		checkUtf8(bytes);
		return bytes;
	}
	const width = tag === 30 ? 2 : tag === 28 ? 4 : 1;
	if (bytes.length % width !== 0) throw new Asn1Error("string of a wrong length");
	const out = [];
	for (let i = 0; i + width <= bytes.length; i += width) {
		let value = 0;
		for (let j = 0; j < width; j++) value = value * 256 + bytes[i + j];
		putUtf8(out, value);
	}
	return Uint8Array.from(out);
}
/** `UTF8_putc`: no surrogates, nothing past U+10FFFF. */
function putUtf8(out, v) {
	if (v < 128) out.push(v);
	else if (v < 2048) out.push(192 | v >> 6, 128 | v & 63);
	else if (v < 65536) {
		if (v >= 55296 && v < 57344) throw new Asn1Error("a surrogate code point");
		out.push(224 | v >> 12, 128 | v >> 6 & 63, 128 | v & 63);
	} else if (v < 1114112) out.push(240 | v >> 18, 128 | v >> 12 & 63, 128 | v >> 6 & 63, 128 | v & 63);
	else throw new Asn1Error("a code point past U+10FFFF");
}
/** `UTF8_getc` over the whole string: no overlong forms, surrogates, or values past U+10FFFF. */
function checkUtf8(b) {
	for (let i = 0; i < b.length;) {
		const c = b[i];
		let n;
		let value;
		let min;
		if (c < 128) {
			i++;
			continue;
		} else if ((c & 224) === 192) {
			n = 2;
			value = c & 31;
			min = 128;
		} else if ((c & 240) === 224) {
			n = 3;
			value = c & 15;
			min = 2048;
		} else if ((c & 248) === 240) {
			n = 4;
			value = c & 7;
			min = 65536;
		} else throw new Asn1Error("invalid UTF-8");
		if (i + n > b.length) throw new Asn1Error("truncated UTF-8");
		for (let k = 1; k < n; k++) {
			const cc = b[i + k];
			if ((cc & 192) !== 128) throw new Asn1Error("invalid UTF-8");
			value = value * 64 + (cc & 63);
		}
		if (value < min || value >= 1114112 || value >= 55296 && value < 57344) throw new Asn1Error("invalid UTF-8");
		i += n;
	}
}
/** C's `isspace` in the "C" locale: space, \t, \n, \v, \f, \r. */
function isSpace(c) {
	return c === 32 || c >= 9 && c <= 13;
}
/** Trim, collapse white space, lower-case ASCII letters; other bytes are copied (`asn1_string_canon`). */
function canonicalText(utf8) {
	let start = 0;
	let end = utf8.length;
	while (start < end && isSpace(utf8[start])) start++;
	while (end > start && isSpace(utf8[end - 1])) end--;
	const out = [];
	for (let i = start; i < end;) {
		const c = utf8[i];
		if (c >= 128) {
			out.push(c);
			i++;
		} else if (isSpace(c)) {
			out.push(32);
			while (i < end && isSpace(utf8[i])) i++;
		} else {
			out.push(c >= 65 && c <= 90 ? c + 32 : c);
			i++;
		}
	}
	return Uint8Array.from(out);
}
/** A DER element with `tag` around the concatenated `parts`. */
function wrap(tag, parts) {
	const body = Buffer.concat(parts);
	return Buffer.concat([
		Uint8Array.of(tag),
		derLength(body.length),
		body
	]);
}
function derLength(n) {
	if (n < 128) return Uint8Array.of(n);
	const bytes = [];
	for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 255);
	return Uint8Array.of(128 | bytes.length, ...bytes);
}
function compareEncodings(a, b) {
	const n = Math.min(a.length, b.length);
	for (let i = 0; i < n; i++) {
		const d = a[i] - b[i];
		if (d !== 0) return d;
	}
	return a.length - b.length;
}

// dist/x509/verify/general-names.js
/** GeneralName choice tags, as OpenSSL numbers them (`GEN_OTHERNAME` = 0 ... `GEN_RID` = 8). */
const GeneralNameType = {
	otherName: 0,
	rfc822Name: 1,
	dNSName: 2,
	x400Address: 3,
	directoryName: 4,
	ediPartyName: 5,
	uniformResourceIdentifier: 6,
	iPAddress: 7,
	registeredID: 8
};
/**
* `GeneralNames` (`SEQUENCE OF GeneralName`, or the same with an implicit tag).
*
* @throws {Asn1Error} when OpenSSL's decoder would refuse it.
*/
function readGeneralNames$1(e, cls = 0, tag = Tag.sequence) {
	if (!e.is(cls, tag)) throw new Asn1Error("GeneralNames expected");
	return [...e.children()].map(readGeneralName);
}
/**
* One GeneralName: OpenSSL's `GENERAL_NAME` CHOICE, each alternative decoded as its template
* says (an otherName's value as ANY, a directoryName as a Name whose strings convert, an
* ediPartyName with its partyName).
*
* @throws {Asn1Error} when OpenSSL's decoder would refuse it.
*/
function readGeneralName(e) {
	if (e.cls !== 128) throw new Asn1Error("no matching GeneralName choice");
	const type = e.tag;
	switch (type) {
		case GeneralNameType.otherName: {
			const fields = e.children();
			const otherNameType = oidOf(fields.expect(0, Tag.oid));
			const explicit = fields.expect(128, 0);
			fields.done();
			const inner = explicit.children();
			const value = inner.next();
			inner.done();
			if (!value) throw new Asn1Error("otherName without a value");
			readAny(value);
			const otherValue = value.cls === 0 && !isConstructedType(value.tag) ? {
				tag: value.tag,
				content: value.primitive(value.tag)
			} : void 0;
			return {
				type,
				value: e.encoding,
				otherNameType,
				...otherValue ? { otherValue } : {}
			};
		}
		case GeneralNameType.rfc822Name:
		case GeneralNameType.dNSName:
		case GeneralNameType.uniformResourceIdentifier: return {
			type,
			value: e.primitive(Tag.ia5String)
		};
		case GeneralNameType.iPAddress: return {
			type,
			value: e.primitive(Tag.octetString)
		};
		case GeneralNameType.registeredID: return {
			type,
			value: e.primitive(Tag.oid)
		};
		case GeneralNameType.x400Address:
			if (!e.constructed) throw new Asn1Error("type not constructed");
			return {
				type,
				value: e.encoding
			};
		case GeneralNameType.directoryName: {
			const inner = e.children();
			const name = inner.next();
			inner.done();
			if (!name) throw new Asn1Error("directoryName without a Name");
			return {
				type,
				value: canonicalOf(readName(name))
			};
		}
		case GeneralNameType.ediPartyName: {
			const fields = e.children();
			const assigner = fields.optional(128, 0);
			if (assigner) readDirectoryString(assigner);
			readDirectoryString(fields.expect(128, 1));
			fields.done();
			return {
				type,
				value: e.encoding
			};
		}
		default: throw new Asn1Error("no matching GeneralName choice");
	}
}
function isConstructedType(tag) {
	return tag === Tag.sequence || tag === Tag.set;
}
/** `ASN1_ANY`: a universal value checked as its type; anything else kept as it is. */
function readAny(e) {
	if (e.cls !== 0) return;
	if (isConstructedType(e.tag)) {
		if (!e.constructed) throw new Asn1Error("type not constructed");
		return;
	}
	e.primitive(e.tag);
}
/** Universal tags of a DirectoryString (`B_ASN1_DIRECTORYSTRING`). */
const DIRECTORY_STRING = /* @__PURE__ */ new Set([
	Tag.printableString,
	Tag.t61String,
	Tag.bmpString,
	Tag.universalString,
	Tag.utf8String
]);
/** An explicitly tagged DirectoryString. */
function readDirectoryString(explicit) {
	const inner = explicit.children();
	const value = inner.next();
	inner.done();
	if (value?.cls !== 0 || !DIRECTORY_STRING.has(value.tag)) throw new Asn1Error("not a DirectoryString");
	value.primitive(value.tag);
}

// dist/x509/verify/name-constraints.js
/**
* Reads a nameConstraints extension's value (`NAME_CONSTRAINTS`: `SEQUENCE { [0] IMPLICIT
* GeneralSubtrees OPTIONAL, [1] IMPLICIT GeneralSubtrees OPTIONAL }`).
*
* @throws {Asn1Error} when OpenSSL's decoder would refuse it.
* @see RFC 5280 section 4.2.1.10
*/
function readNameConstraints(value) {
	const e = firstElement(value);
	if (!e.is(0, Tag.sequence)) throw new Asn1Error("NameConstraints is a SEQUENCE");
	const fields = e.children();
	const permitted = fields.optional(128, 0);
	const excluded = fields.optional(128, 1);
	fields.done();
	return {
		permitted: permitted ? readSubtrees(permitted) : [],
		excluded: excluded ? readSubtrees(excluded) : []
	};
}
/** `GENERAL_SUBTREE`: `SEQUENCE { base, [0] IMPLICIT INTEGER OPTIONAL, [1] IMPLICIT INTEGER OPTIONAL }`. */
function readSubtrees(list) {
	return [...list.children()].map((subtree) => {
		if (!subtree.is(0, Tag.sequence)) throw new Asn1Error("GeneralSubtree is a SEQUENCE");
		const fields = subtree.children();
		const first = fields.next();
		if (!first) throw new Asn1Error("GeneralSubtree without a base");
		const base = readGeneralName(first);
		const minimum = fields.optional(128, 0);
		const maximum = fields.optional(128, 1);
		fields.done();
		const min = minimum ? integerValue(minimum.primitive(Tag.integer)) : 0n;
		if (maximum) maximum.primitive(Tag.integer);
		return {
			base,
			minMaxValid: min === 0n && maximum === void 0
		};
	});
}
/** Most names times constraints one check may compare (OpenSSL's `NAME_CHECK_MAX`). */
const NAME_CHECK_MAX = 1 << 20;
/**
* `NAME_CONSTRAINTS_check`: the subject as a directoryName, its emailAddress attributes as
* rfc822Names, and every subjectAltName, each against `nc`.
*/
function checkNames(names, nc) {
	const nameCount = names.subjectAttributeCount + names.altNames.length;
	const constraintCount = nc.permitted.length + nc.excluded.length;
	if (nameCount > 0 && constraintCount > NAME_CHECK_MAX / nameCount) return "UNSPECIFIED";
	if (names.subjectAttributeCount > 0) {
		const r = match({
			type: GeneralNameType.directoryName,
			value: names.subject
		}, nc);
		if (r !== "OK") return r;
		for (const email of names.subjectEmails) {
			if (email.tag !== 22) return "UNSUPPORTED_NAME_SYNTAX";
			const re = match({
				type: GeneralNameType.rfc822Name,
				value: email.value
			}, nc);
			if (re !== "OK") return re;
		}
	}
	for (const name of names.altNames) {
		const r = match(name, nc);
		if (r !== "OK") return r;
	}
	return "OK";
}
/**
* `NAME_CONSTRAINTS_check_CN`: each commonName that looks like a host name with two labels or
* more, as a dNSName. OpenSSL applies it to a leaf without DNS subjectAltNames.
*
* @param commonNames each CN's UTF-8 bytes.
*/
function checkCommonNames(commonNames, nc) {
	for (const cn of commonNames) {
		const id = hostNameOf(cn);
		if (id === "NUL") return "UNSUPPORTED_NAME_SYNTAX";
		if (id === void 0) continue;
		const r = match({
			type: GeneralNameType.dNSName,
			value: id
		}, nc);
		if (r !== "OK") return r;
	}
	return "OK";
}
/**
* `true` when `name`, read as a dNSName whatever its shape, satisfies the DNS constraints of
* `nc`. Stricter than OpenSSL's CN check, which skips names without a dot: what decides whether
* a CN may stand for an identity under a name-constrained CA.
*/
function dnsNameAllowed(name, nc) {
	if (name.includes(0)) return false;
	return match({
		type: GeneralNameType.dNSName,
		value: name
	}, nc) === "OK";
}
/** `cn2dnsid`: the CN as a DNS-ID when it looks like one, `'NUL'` when it holds an embedded NUL. */
function hostNameOf(utf8) {
	let length = utf8.length;
	while (length > 0 && utf8[length - 1] === 0) length--;
	const value = utf8.subarray(0, length);
	if (value.includes(0)) return "NUL";
	let isDnsName = false;
	for (let i = 0; i < length; i++) {
		const c = value[i];
		if (isAlnum(c) || c === 95) continue;
		if (i > 0 && i < length - 1) {
			if (c === 45) continue;
			const next = value[i + 1];
			const previous = value[i - 1];
			if (c === 46 && next !== 46 && previous !== 45 && next !== 45) {
				isDnsName = true;
				continue;
			}
		}
		isDnsName = false;
		break;
	}
	return isDnsName ? value : void 0;
}
function isAlnum(c) {
	return c >= 48 && c <= 57 || c >= 65 && c <= 90 || c >= 97 && c <= 122;
}
/** `nc_match`: permitted subtrees of the name's type (one must match), then excluded ones. */
function match(name, nc) {
	let state = "none";
	for (const sub of nc.permitted) {
		if (!sameType(name, sub.base)) continue;
		if (!sub.minMaxValid) return "SUBTREE_MINMAX";
		if (state === "matched") continue;
		state = "unmatched";
		const r = matchSingle(name, sub.base);
		if (r === "OK") state = "matched";
		else if (r !== "PERMITTED_VIOLATION") return r;
	}
	if (state === "unmatched") return "PERMITTED_VIOLATION";
	for (const sub of nc.excluded) {
		if (!sameType(name, sub.base)) continue;
		if (!sub.minMaxValid) return "SUBTREE_MINMAX";
		const r = matchSingle(name, sub.base);
		if (r === "OK") return "EXCLUDED_VIOLATION";
		if (r !== "PERMITTED_VIOLATION") return r;
	}
	return "OK";
}
function effectiveType(name) {
	return name.type === GeneralNameType.otherName && name.otherNameType === "1.3.6.1.5.5.7.8.9" ? GeneralNameType.rfc822Name : name.type;
}
function sameType(name, base) {
	const type = effectiveType(name);
	if (type !== base.type) return false;
	return type !== GeneralNameType.otherName || name.otherNameType === base.otherNameType;
}
function matchSingle(name, base) {
	switch (name.type) {
		case GeneralNameType.otherName: return name.otherNameType === "1.3.6.1.5.5.7.8.9" ? matchSmtpUtf8Mailbox(name, base.value) : "UNSUPPORTED_CONSTRAINT_TYPE";
		case GeneralNameType.directoryName: return matchDirectoryName(name.value, base.value);
		case GeneralNameType.dNSName: return matchDns(name.value, base.value);
		case GeneralNameType.rfc822Name: return matchEmail(name.value, base.value);
		case GeneralNameType.uniformResourceIdentifier: return matchUri(name.value, base.value);
		case GeneralNameType.iPAddress: return matchIp(name.value, base.value);
		default: return "UNSUPPORTED_CONSTRAINT_TYPE";
	}
}
/** `nc_dn`: the subtree's canonical encoding is a prefix of the name's (both canonical here). */
function matchDirectoryName(n, b) {
	if (b.length > n.length) return "PERMITTED_VIOLATION";
	for (let i = 0; i < b.length; i++) if (b[i] !== n[i]) return "PERMITTED_VIOLATION";
	return "OK";
}
/** `nc_dns`: empty matches all; otherwise the base is a suffix at a label boundary. */
function matchDns(dns, base) {
	if (base.length === 0) return "OK";
	if (dns.length < base.length) return "PERMITTED_VIOLATION";
	const offset = dns.length - base.length;
	if (offset > 0 && base[0] !== 46 && dns[offset - 1] !== 46) return "PERMITTED_VIOLATION";
	return asciiCaseEqual(base, 0, dns, offset, base.length) ? "OK" : "PERMITTED_VIOLATION";
}
/**
* `nc_email_eai` (RFC 8398): an SmtpUTF8Mailbox (UTF8String) against an rfc822Name subtree whose
* A-labels (`xn--`) are read as U-labels: `.domain` matches a suffix, `domain` the host exactly,
* ASCII letters in any case.
*/
function matchSmtpUtf8Mailbox(name, base) {
	if (base.includes(0)) return "UNSUPPORTED_NAME_SYNTAX";
	const value = name.otherValue;
	if (value?.tag !== 12) return "UNSUPPORTED_NAME_SYNTAX";
	const email = value.content;
	const at = email.lastIndexOf(64);
	if (at < 0) return "UNSUPPORTED_NAME_SYNTAX";
	const text = Buffer.from(base).toString("latin1");
	const dot = text.startsWith(".");
	const unicode = aLabelsToULabels(dot ? text.slice(1) : text);
	if (unicode === void 0) return "UNSPECIFIED";
	const label = Buffer.from(dot ? `.${unicode}` : unicode, "utf8");
	if (dot) {
		if (email.length > label.length) {
			if (asciiCaseEqual(label, 0, email, email.length - label.length, label.length)) return "OK";
		}
		return "PERMITTED_VIOLATION";
	}
	const hostLength = email.length - at - 1;
	if (hostLength !== label.length) return "PERMITTED_VIOLATION";
	return asciiCaseEqual(label, 0, email, at + 1, hostLength) ? "OK" : "PERMITTED_VIOLATION";
}
/**
* `ossl_a2ulabel`: each dot-separated label that starts with `xn--` decoded from Punycode, the
* others kept as they are; `undefined` when one does not decode.
*/
function aLabelsToULabels(text) {
	const labels = [];
	for (const label of text.split(".")) {
		if (!label.startsWith("xn--")) {
			labels.push(label);
			continue;
		}
		const decoded = domainToUnicode(label);
		if (decoded === "" || decoded.includes(".")) return void 0;
		labels.push(decoded);
	}
	return labels.join(".");
}
/** `nc_email`: `.domain`, `domain`, or `local@domain` (local part exact, domain any case). */
function matchEmail(email, base) {
	const emailAt = email.lastIndexOf(64);
	const baseAt = base.lastIndexOf(64);
	if (emailAt < 0) return "UNSUPPORTED_NAME_SYNTAX";
	if (baseAt < 0 && base.length > 0 && base[0] === 46) {
		if (email.length > base.length) {
			if (asciiCaseEqual(base, 0, email, email.length - base.length, base.length)) return "OK";
		}
		return "PERMITTED_VIOLATION";
	}
	let baseHost = 0;
	if (baseAt >= 0) {
		if (baseAt !== 0) {
			if (baseAt !== emailAt) return "PERMITTED_VIOLATION";
			if (base.subarray(0, baseAt).includes(0) || email.subarray(0, emailAt).includes(0)) return "UNSUPPORTED_NAME_SYNTAX";
			for (let i = 0; i < emailAt; i++) if (base[i] !== email[i]) return "PERMITTED_VIOLATION";
		}
		baseHost = baseAt + 1;
	}
	const emailHost = emailAt + 1;
	const length = base.length - baseHost;
	if (length !== email.length - emailHost) return "PERMITTED_VIOLATION";
	return asciiCaseEqual(base, baseHost, email, emailHost, length) ? "OK" : "PERMITTED_VIOLATION";
}
/** `nc_uri`: the URI's host (as `OSSL_parse_url` reads it) against `.domain` or `host`. */
function matchUri(uri, base) {
	const host = uriHost(uri);
	if (host === void 0) return "UNSUPPORTED_NAME_SYNTAX";
	if (base.length > 0 && base[0] === 46) {
		if (host.length > base.length) {
			if (asciiCaseEqual(host, host.length - base.length, base, 0, base.length)) return "OK";
		}
		return "PERMITTED_VIOLATION";
	}
	if (host.length !== base.length) return "PERMITTED_VIOLATION";
	return asciiCaseEqual(host, 0, base, 0, base.length) ? "OK" : "PERMITTED_VIOLATION";
}
/**
* The host of a URI as OpenSSL 3.5's `OSSL_parse_url` finds it (the text up to its first NUL):
* after `scheme://` (required, the scheme as RFC 3986 spells it) and any `userinfo@` within the
* authority; an IPv6 literal keeps
* its brackets; a port read as C's `sscanf("%u")` reads it (up to 65535, after wrapping to 32
* bits). `undefined` when OpenSSL would not parse it.
*/
function uriHost(uri) {
	const nul = uri.indexOf(0);
	const text = Buffer.from(nul < 0 ? uri : uri.subarray(0, nul)).toString("latin1");
	const schemeEnd = text.indexOf("://");
	if (schemeEnd <= 0 || !/^[A-Za-z][A-Za-z0-9+.-]*$/.test(text.slice(0, schemeEnd))) return;
	const rest = text.slice(schemeEnd + 3);
	const authorityEnd = firstOf(rest, "/?#", 0);
	const at = rest.indexOf("@");
	const hostStart = at >= 0 && at < authorityEnd ? at + 1 : 0;
	let hostEnd;
	if (rest[hostStart] === "[") {
		const close = rest.indexOf("]", hostStart + 1);
		if (close < 0) return void 0;
		hostEnd = close + 1;
	} else hostEnd = firstOf(rest, ":/?#", hostStart);
	let p = hostEnd;
	if (rest[p] === ":") {
		p++;
		const port = scanUnsigned(rest.slice(p));
		if (port === void 0 || port > 65535) return void 0;
		while (p < rest.length && rest[p] !== void 0 && /[0-9]/.test(rest[p])) p++;
	}
	if (p < rest.length && !"/?#".includes(rest[p])) return void 0;
	return Buffer.from(rest.slice(hostStart, hostEnd), "latin1");
}
/** The index of the first of `chars` in `text` from `from`, or its length. */
function firstOf(text, chars, from) {
	for (let i = from; i < text.length; i++) if (chars.includes(text[i])) return i;
	return text.length;
}
/**
* C's `sscanf(s, "%u")` on Linux: white space skipped, an optional sign, decimal digits read as
* `strtoul` does (64 bits, saturating), the result cut to 32 bits; `undefined` without a digit.
*/
function scanUnsigned(s) {
	const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)/.exec(s);
	if (!m) return void 0;
	const max = (1n << 64n) - 1n;
	let value = BigInt(m[2]);
	if (value > max) value = max;
	else if (m[1] === "-") value = -value & max;
	return Number(value & 4294967295n);
}
/** `nc_ip`: an address of 4 or 16 bytes inside a base of address and mask (8 or 32 bytes). */
function matchIp(ip, base) {
	if (ip.length !== 4 && ip.length !== 16) return "UNSUPPORTED_NAME_SYNTAX";
	if (base.length !== 8 && base.length !== 32) return "UNSUPPORTED_NAME_SYNTAX";
	if (ip.length * 2 !== base.length) return "PERMITTED_VIOLATION";
	for (let i = 0; i < ip.length; i++) {
		const mask = base[ip.length + i];
		if ((ip[i] & mask) !== (base[i] & mask)) return "PERMITTED_VIOLATION";
	}
	return "OK";
}
/** `ia5ncasecmp(...) == 0`: bytes equal with ASCII letters folded (nothing else). */
function asciiCaseEqual(a, aStart, b, bStart, length) {
	for (let i = 0; i < length; i++) {
		let x = a[aStart + i];
		let y = b[bStart + i];
		if (x === y) continue;
		if (x >= 65 && x <= 90) x += 32;
		if (y >= 65 && y <= 90) y += 32;
		if (x !== y) return false;
	}
	return true;
}

// dist/x509/verify/security-bits.js
/**
* Security bits, as OpenSSL counts them for its security levels: what the handshake asks of a
* client's key and of the signatures on its chain (`check_key_level`, `check_sig_level` in
* crypto/x509/x509_vfy.c). Level n (1-5) asks for at least {@link MIN_BITS}[n - 1] bits.
*/
const MIN_BITS = [
	80,
	112,
	128,
	192,
	256
];
/** `true` when `bits` meet security level `level` (level 0 and below ask nothing). */
function meetsLevel(bits, level) {
	if (level <= 0) return true;
	return bits >= MIN_BITS[Math.min(level, MIN_BITS.length) - 1];
}
/**
* `EVP_PKEY_get_security_bits` of a public key: RSA and DSA by modulus size (NIST SP 800-56B's
* estimate, as OpenSSL computes it), EC by the order of its curve, Ed25519 128, Ed448 224; 0 for a
* key OpenSSL would not read.
*/
function keySecurityBits(key) {
	if (key === void 0) return 0;
	const details = key.asymmetricKeyDetails ?? {};
	switch (key.asymmetricKeyType) {
		case "rsa":
		case "rsa-pss": return ifcSecurityBits(details.modulusLength ?? 0);
		case "dsa": return dsaSecurityBits(details.modulusLength ?? 0, details.divisorLength ?? -1);
		case "ec": return ecSecurityBits(details.namedCurve);
		case "ed25519":
		case "x25519": return 128;
		case "ed448":
		case "x448": return 224;
		default: return postQuantumBits(key.asymmetricKeyType);
	}
}
/**
* ML-DSA (FIPS 204) and SLH-DSA (FIPS 205) keys, which OpenSSL 3.5 signs TLS 1.3 and certificates
* with: the strength of their parameter set (44: 128 bits, 65: 192, 87: 256; SLH-DSA by its
* 128/192/256 suffix).
*/
function postQuantumBits(type) {
	if (type === void 0) return 0;
	const mlDsa = /^ml-dsa-(44|65|87)$/.exec(type)?.[1];
	if (mlDsa) return {
		"44": 128,
		"65": 192,
		"87": 256
	}[mlDsa] ?? 0;
	const slhDsa = /^slh-dsa-(?:sha2|shake)-(128|192|256)[sf]$/.exec(type)?.[1];
	return slhDsa ? Number(slhDsa) : 0;
}
/** ML-DSA and SLH-DSA signature OIDs (NIST's arc 2.16.840.1.101.3.4.3) and their key types. */
const POST_QUANTUM_SIGNATURES = {
	"2.16.840.1.101.3.4.3.17": "ml-dsa-44",
	"2.16.840.1.101.3.4.3.18": "ml-dsa-65",
	"2.16.840.1.101.3.4.3.19": "ml-dsa-87",
	"2.16.840.1.101.3.4.3.20": "slh-dsa-sha2-128s",
	"2.16.840.1.101.3.4.3.21": "slh-dsa-sha2-128f",
	"2.16.840.1.101.3.4.3.22": "slh-dsa-sha2-192s",
	"2.16.840.1.101.3.4.3.23": "slh-dsa-sha2-192f",
	"2.16.840.1.101.3.4.3.24": "slh-dsa-sha2-256s",
	"2.16.840.1.101.3.4.3.25": "slh-dsa-sha2-256f",
	"2.16.840.1.101.3.4.3.26": "slh-dsa-shake-128s",
	"2.16.840.1.101.3.4.3.27": "slh-dsa-shake-128f",
	"2.16.840.1.101.3.4.3.28": "slh-dsa-shake-192s",
	"2.16.840.1.101.3.4.3.29": "slh-dsa-shake-192f",
	"2.16.840.1.101.3.4.3.30": "slh-dsa-shake-256s",
	"2.16.840.1.101.3.4.3.31": "slh-dsa-shake-256f"
};
/**
* `true` for a signature algorithm whose strength OpenSSL takes from the signing certificate's
* own key (it has no digest of its own, nor a legacy method: ML-DSA, SLH-DSA).
*/
function signatureStrengthIsKeys(algorithm) {
	return POST_QUANTUM_SIGNATURES[algorithm] !== void 0;
}
/** Signature algorithm OIDs and the security bits of their digest (SHA-1 63, MD5 39, as OpenSSL). */
const SIGNATURE_BITS = {
	"1.2.840.113549.1.1.4": 39,
	"1.2.840.113549.1.1.5": 63,
	"1.2.840.113549.1.1.14": 112,
	"1.2.840.113549.1.1.11": 128,
	"1.2.840.113549.1.1.12": 192,
	"1.2.840.113549.1.1.13": 256,
	"1.2.840.113549.1.1.15": 112,
	"1.2.840.113549.1.1.16": 128,
	"2.16.840.1.101.3.4.3.13": 112,
	"2.16.840.1.101.3.4.3.14": 128,
	"2.16.840.1.101.3.4.3.15": 192,
	"2.16.840.1.101.3.4.3.16": 256,
	"1.2.840.10045.4.1": 63,
	"1.2.840.10045.4.3.1": 112,
	"1.2.840.10045.4.3.2": 128,
	"1.2.840.10045.4.3.3": 192,
	"1.2.840.10045.4.3.4": 256,
	"2.16.840.1.101.3.4.3.9": 112,
	"2.16.840.1.101.3.4.3.10": 128,
	"2.16.840.1.101.3.4.3.11": 192,
	"2.16.840.1.101.3.4.3.12": 256,
	"1.2.840.10040.4.3": 63,
	"2.16.840.1.101.3.4.3.1": 112,
	"2.16.840.1.101.3.4.3.2": 128,
	"1.3.101.112": 128,
	"1.3.101.113": 224
};
/** RSASSA-PSS: the strength comes from the hash named in its parameters. */
const RSASSA_PSS = "1.2.840.113549.1.1.10";
/** Hash OIDs (as PSS parameters name them) and their security bits as signatures. */
const HASH_BITS = {
	"1.3.14.3.2.26": 63,
	"2.16.840.1.101.3.4.2.7": 112,
	"2.16.840.1.101.3.4.2.8": 128,
	"2.16.840.1.101.3.4.2.9": 192,
	"2.16.840.1.101.3.4.2.10": 256,
	"2.16.840.1.101.3.4.2.4": 112,
	"2.16.840.1.101.3.4.2.1": 128,
	"2.16.840.1.101.3.4.2.2": 192,
	"2.16.840.1.101.3.4.2.3": 256,
	"2.16.840.1.101.3.4.2.5": 112,
	"2.16.840.1.101.3.4.2.6": 128
};
/**
* The security bits of a certificate's signature (`X509_get_signature_info`): half the digest's
* size, 63 for SHA-1, 39 for MD5; for RSASSA-PSS from the hash of its parameters (SHA-1 when
* they name none). `-1` for an algorithm OpenSSL does not know, which meets no level.
*
* @param pssHash for RSASSA-PSS, the dotted OID of its hashAlgorithm, if it names one.
*/
function signatureSecurityBits(algorithm, pssHash) {
	if (algorithm === "1.2.840.113549.1.1.10") return HASH_BITS[pssHash ?? "1.3.14.3.2.26"] ?? -1;
	return SIGNATURE_BITS[algorithm] ?? -1;
}
/**
* Which key type a signature algorithm needs from the issuer (`check_sig_alg_match`): the
* OpenSSL key type name, or `undefined` for an algorithm OpenSSL does not know.
*/
function signatureKeyType(algorithm) {
	if (algorithm === "1.2.840.113549.1.1.10") return "rsa-pss";
	if (algorithm.startsWith("1.2.840.113549.1.1.")) return "rsa";
	if (algorithm.startsWith("2.16.840.1.101.3.4.3.")) {
		const postQuantum = POST_QUANTUM_SIGNATURES[algorithm];
		if (postQuantum) return postQuantum;
		const n = Number(algorithm.slice(21));
		if (n >= 13 && n <= 16) return "rsa";
		if (n >= 9 && n <= 12) return "ec";
		if (n >= 1 && n <= 8) return "dsa";
		return;
	}
	if (algorithm.startsWith("1.2.840.10045.4.")) return "ec";
	if (algorithm === "1.2.840.10040.4.3") return "dsa";
	if (algorithm === "1.3.101.112") return "ed25519";
	if (algorithm === "1.3.101.113") return "ed448";
}
/** `true` when a key of `keyType` can have made a signature of `algorithm` (an RSA key: PSS too). */
function keyMatchesSignature(keyType, algorithm) {
	const wanted = signatureKeyType(algorithm);
	if (wanted === void 0 || keyType === void 0) return false;
	return keyType === wanted || wanted === "rsa-pss" && keyType === "rsa";
}
/** Bits of the order of each named curve Node knows, for EC keys' security bits. */
const CURVE_ORDER_BITS = {
	"Oakley-EC2N-3": 154,
	"Oakley-EC2N-4": 184,
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
	sect571r1: 570
};
/** As OpenSSL's EC key manager: the order's bits, in NIST SP 800-57's steps. */
function ecSecurityBits(curve) {
	const bits = curve === void 0 ? 0 : CURVE_ORDER_BITS[curve] ?? 0;
	if (bits >= 512) return 256;
	if (bits >= 384) return 192;
	if (bits >= 256) return 128;
	if (bits >= 224) return 112;
	if (bits >= 160) return 80;
	return bits >> 1;
}
/** `BN_security_bits(L, N)`, OpenSSL's estimate for DSA. */
function dsaSecurityBits(l, n) {
	let bits;
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
const SCALE = 1n << 18n;
const CBRT_SCALE = 1n << 12n;
const LOG_2 = 181704n;
const LOG_E = 378193n;
const C1_923 = 504102n;
const C4_690 = 1229455n;
const U64 = (1n << 64n) - 1n;
const mul2 = (a, b) => (a * b & U64) / SCALE;
function icbrt64(input) {
	let x = input;
	let r = 0n;
	for (let s = 63n; s >= 0n; s -= 3n) {
		r = r << 1n & U64;
		const b = 3n * r * (r + 1n) + 1n & U64;
		if (x >> s >= b) {
			x = x - (b << s & U64) & U64;
			r++;
		}
	}
	return r * CBRT_SCALE & U64;
}
function ilogE(input) {
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
	return r * SCALE / LOG_E & 4294967295n;
}
/** RSA's security bits by modulus size (NIST SP 800-56B rev 2 Appendix D, as OpenSSL). */
function ifcSecurityBits(n) {
	switch (n) {
		case 2048: return 112;
		case 3072: return 128;
		case 4096: return 152;
		case 6144: return 176;
		case 7680: return 192;
		case 8192: return 200;
		case 15360: return 256;
	}
	if (n >= 687737) return 1200;
	if (n < 8) return 0;
	const cap = n <= 7680 ? 192 : n <= 15360 ? 256 : 1200;
	const x = BigInt(n) * LOG_2;
	const lx = ilogE(x);
	const e = mul2(C1_923, icbrt64(mul2(mul2(x, lx), lx))) - C4_690 & U64;
	const y = Number(e / LOG_2 & 65535n) + 4 & 65528;
	return Math.min(y, cap);
}
/**
* Curves a TLS client's ECDSA certificate can sign on with this server: the groups OpenSSL
* offers by default (TLS 1.2 binds the curve to them) and the brainpool curves TLS 1.3 has
* signature schemes for.
*/
const TLS_SIGNING_CURVES = /* @__PURE__ */ new Set([
	"prime256v1",
	"secp384r1",
	"secp521r1",
	"brainpoolP256r1",
	"brainpoolP384r1",
	"brainpoolP512r1"
]);
/**
* `true` when a client can prove it holds this key in a TLS handshake with this server (sign its
* CertificateVerify): RSA, RSA-PSS, DSA, Ed25519, Ed448, ML-DSA, and ECDSA on the curves above.
* A certificate for any other key (X25519, secp256k1) never completes a handshake, so it is
* refused however it arrives.
*/
function canSignTls(key) {
	const type = key?.asymmetricKeyType;
	switch (type) {
		case "rsa":
		case "rsa-pss":
		case "dsa":
		case "ed25519":
		case "ed448": return true;
		case "ec": return TLS_SIGNING_CURVES.has(key?.asymmetricKeyDetails?.namedCurve ?? "");
		default: return type !== void 0 && /^ml-dsa-(44|65|87)$/.test(type);
	}
}

// dist/x509/verify/certificate-profile.js
/** keyUsage bits as OpenSSL holds them (`ex_kusage`: first content byte, second byte << 8). */
const KeyUsageBit = {
	digitalSignature: 128,
	keyAgreement: 8,
	keyCertSign: 4,
	cRLSign: 2
};
/** Netscape certificate type bits (`ex_nscert`). */
const NetscapeCertType = {
	sslClient: 128,
	sslCa: 4,
	anyCa: 7
};
/** Reason flags a distribution point covers when it names none (`CRLDP_ALL_REASONS`). */
const ALL_REASONS = 32895;
/**
* Extensions OpenSSL's verifier understands (`X509_supported_extension`): a critical extension
* outside this set refuses the certificate (`X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION`). Note that
* subjectKeyIdentifier and authorityKeyIdentifier are not in it: marked critical, they refuse.
*/
const SUPPORTED_EXTENSIONS = /* @__PURE__ */ new Set([
	id_netscape_certType,
	id_ce_keyUsage,
	id_ce_subjectAltName,
	id_ce_basicConstraints,
	id_ce_certificatePolicies,
	id_ce_cRLDistributionPoints,
	id_ce_extKeyUsage,
	id_pe_ipAddrBlocks,
	id_pe_autonomousSysIds,
	id_pkix_ocsp_nocheck,
	id_ce_policyConstraints,
	id_pe_proxyCertInfo,
	id_ce_nameConstraints,
	id_ce_policyMappings,
	id_ce_inhibitAnyPolicy
]);
/** Extensions OpenSSL decodes when it reads a certificate: one that fails, or repeats, invalidates it. */
const DECODED_EXTENSIONS = /* @__PURE__ */ new Set([
	id_ce_basicConstraints,
	id_pe_proxyCertInfo,
	id_ce_keyUsage,
	id_ce_extKeyUsage,
	id_netscape_certType,
	id_ce_subjectKeyIdentifier,
	id_ce_authorityKeyIdentifier,
	id_ce_subjectAltName,
	id_ce_nameConstraints,
	id_ce_cRLDistributionPoints,
	id_pe_ipAddrBlocks,
	id_pe_autonomousSysIds
]);
const ID_EC_PUBLIC_KEY = "1.2.840.10045.2.1";
/**
* What OpenSSL's verifier knows of one certificate once it has read it (`ossl_x509v3_cache_extensions`
* in crypto/x509/v3_purp.c: its `ex_flags`, key usages, key identifiers, names), plus its validity,
* key and signature strength: everything the {@link ChainVerifier} asks, computed once per
* certificate (for the bundle, once per trust load).
*/
var CertificateProfile = class {
	cert;
	der;
	fingerprint;
	/** Canonical keys of the subject and issuer Names ({@link canonicalName}). */
	subjectKey;
	issuerKey;
	/** The subject Name's canonical encoding, and its attributes as OpenSSL decodes them. */
	subjectCanonical;
	subjectEntries;
	tbs;
	serial;
	/** `EXFLAG_INVALID`: an extension OpenSSL decodes did not decode, repeats, or says nonsense. */
	invalid;
	/** A critical extension OpenSSL does not support (`EXFLAG_CRITICAL`), by OID. */
	unhandledCritical;
	version;
	/** basicConstraints present (`EXFLAG_BCONS`), its cA, its pathLenConstraint (-1: none). */
	hasBasicConstraints;
	ca;
	pathLen;
	/** keyUsage as `ex_kusage`, `undefined` without the extension. */
	keyUsage;
	/** extendedKeyUsage OIDs, `undefined` without the extension. */
	extKeyUsage;
	/** Netscape cert type bits, `undefined` without the extension. */
	netscapeCertType;
	proxy;
	/** RFC 3779 address or AS delegation, which this verifier does not evaluate. */
	rfc3779;
	subjectKeyId;
	authorityKeyId;
	altNames;
	nameConstraints;
	/** cRLDistributionPoints, empty without the extension (`x->crldp`). */
	distributionPoints;
	/** Subject and issuer Names are equal (`EXFLAG_SI`). */
	selfIssued;
	/** Self-issued, its AKID matching itself and its signature algorithm its key (`EXFLAG_SS`). */
	selfSigned;
	/** Validity in epoch seconds; `undefined` when the time is not in RFC 5280's form. */
	notBefore;
	notAfter;
	/** The public key, `undefined` when OpenSSL cannot decode it. */
	publicKey;
	keyBits;
	/** An EC key given by explicit curve parameters (refused in chains of two or more). */
	explicitCurve;
	/** The TBSCertificate's signature algorithm (dotted), and the strength of the signature. */
	signatureAlgorithm;
	signatureBits;
	/** @throws {Error} only when the certificate cannot be read at all (Node could not either). */
	constructor(cert) {
		this.cert = cert;
		this.der = cert.raw;
		this.fingerprint = cert.fingerprint256;
		const tbs = readCertificateParts(cert);
		this.tbs = tbs;
		this.version = tbs.version;
		this.serial = signedInteger(tbs.serial);
		const subject = readName(firstElement(tbs.subject));
		this.subjectEntries = subject.flat();
		this.subjectCanonical = canonicalOf(subject);
		this.subjectKey = latin1$1(this.subjectCanonical);
		this.issuerKey = latin1$1(canonicalOf(readName(firstElement(tbs.issuer))));
		this.notBefore = tbs.notBeforeMs === void 0 ? void 0 : tbs.notBeforeMs / 1e3;
		this.notAfter = tbs.notAfterMs === void 0 ? void 0 : tbs.notAfterMs / 1e3;
		const ext = readExtensions$1(tbs.extensions, this.issuerKey);
		this.invalid = ext.invalid;
		this.unhandledCritical = ext.unhandledCritical;
		this.hasBasicConstraints = ext.hasBasicConstraints;
		this.ca = ext.ca;
		this.pathLen = ext.pathLen;
		this.keyUsage = ext.keyUsage;
		this.extKeyUsage = ext.extKeyUsage;
		this.netscapeCertType = ext.netscapeCertType;
		this.proxy = ext.proxy;
		this.rfc3779 = ext.rfc3779;
		this.subjectKeyId = ext.subjectKeyId;
		this.authorityKeyId = ext.authorityKeyId;
		this.altNames = ext.altNames;
		this.nameConstraints = ext.nameConstraints;
		this.distributionPoints = ext.distributionPoints;
		let publicKey;
		try {
			publicKey = cert.publicKey;
		} catch {
			publicKey = void 0;
		}
		this.publicKey = publicKey;
		this.keyBits = keySecurityBits(publicKey);
		this.explicitCurve = hasExplicitCurve(tbs.spki);
		this.signatureAlgorithm = algorithmOid(tbs.signature);
		this.signatureBits = signatureStrengthIsKeys(algorithmOid(outerAlgorithm(this.der))) ? this.keyBits : signatureBitsOf(this.der);
		this.selfIssued = this.subjectKey === this.issuerKey;
		this.selfSigned = this.selfIssued && !this.invalid && checkAkid(this, this.authorityKeyId) && this.signatureMatchesKey(this);
	}
	/** `check_sig_alg_match`: `issuer`'s key is of the type this certificate's signature needs. */
	signatureMatchesKey(issuer) {
		return keyMatchesSignature(issuer.publicKey?.asymmetricKeyType, this.signatureAlgorithm);
	}
	/** `true` when extendedKeyUsage, if present, allows clientAuth (`xku_reject` inverted). */
	get allowsClientAuthUsage() {
		return this.extKeyUsage === void 0 || this.extKeyUsage.includes("1.3.6.1.5.5.7.3.2");
	}
	/** `true` when keyUsage, if present, has one of `bits` (`ku_reject` inverted). */
	keyUsageAllows(bits) {
		return this.keyUsage === void 0 || (this.keyUsage & bits) !== 0;
	}
	/** `true` when a DNS subjectAltName is present (`has_san_id(x, GEN_DNS)`). */
	get hasDnsAltName() {
		return this.altNames?.some((n) => n.type === GeneralNameType.dNSName) === true;
	}
	/** The names `NAME_CONSTRAINTS_check` reads: subject, its emailAddress attributes, its SANs. */
	get constrainedNames() {
		return {
			subject: this.subjectCanonical,
			subjectAttributeCount: this.subjectEntries.length,
			subjectEmails: this.subjectEntries.filter((a) => oidOf(firstElement(a.type)) === id_emailAddress).map((a) => ({
				tag: a.tag,
				value: a.content
			})),
			altNames: this.altNames ?? []
		};
	}
	/** The UTF-8 of each commonName attribute of the subject, as `cn2dnsid` converts it. */
	get commonNames() {
		return this.subjectEntries.filter((a) => oidOf(firstElement(a.type)) === id_at_commonName).map((a) => toUtf8(a.tag, a.content));
	}
};
/**
* `X509_check_akid`: the key identifier, serial and issuer name an authorityKeyIdentifier gives,
* where given, are `issuer`'s; `true` without one.
*/
function checkAkid(issuer, akid) {
	if (akid === void 0) return true;
	if (akid.keyId && issuer.subjectKeyId && !sameBytes(akid.keyId, issuer.subjectKeyId)) return false;
	if (akid.serial !== void 0 && akid.serial !== issuer.serial) return false;
	if (akid.issuer !== void 0 && akid.issuer !== issuer.issuerKey) return false;
	return true;
}
function readExtensions$1(extensions, issuerKey) {
	const facts = {
		invalid: false,
		unhandledCritical: void 0,
		hasBasicConstraints: false,
		ca: false,
		pathLen: -1,
		keyUsage: void 0,
		extKeyUsage: void 0,
		netscapeCertType: void 0,
		proxy: false,
		rfc3779: false,
		subjectKeyId: void 0,
		authorityKeyId: void 0,
		altNames: void 0,
		nameConstraints: void 0,
		distributionPoints: []
	};
	const seen = /* @__PURE__ */ new Map();
	for (const ext of extensions) seen.set(ext.oid, (seen.get(ext.oid) ?? 0) + 1);
	for (const ext of extensions) {
		if (facts.unhandledCritical === void 0 && ext.critical && !SUPPORTED_EXTENSIONS.has(ext.oid)) facts.unhandledCritical = ext.oid;
		if (!DECODED_EXTENSIONS.has(ext.oid)) continue;
		if ((seen.get(ext.oid) ?? 0) > 1) {
			facts.invalid = true;
			continue;
		}
		try {
			if (!decodeExtension(ext.oid, ext.value, facts, issuerKey)) facts.invalid = true;
		} catch (error) {
			if (!(error instanceof Asn1Error)) throw error;
			facts.invalid = true;
		}
	}
	if (facts.proxy && (facts.ca || seen.has("2.5.29.17") || seen.has("2.5.29.18"))) facts.invalid = true;
	return facts;
}
/**
* Decodes one extension into `facts` as OpenSSL's `X509_get_ext_d2i` does; `false` when the
* value decodes but is one OpenSSL calls invalid.
*
* @throws {Asn1Error} when it does not decode.
*/
function decodeExtension(oid, v, facts, issuerKey) {
	const e = firstElement(v);
	switch (oid) {
		case id_ce_basicConstraints: return readBasicConstraints(e, facts);
		case id_ce_keyUsage: {
			const bits = readBitString(e);
			facts.keyUsage = (bits[0] ?? 0) | (bits[1] ?? 0) << 8;
			return facts.keyUsage !== 0;
		}
		case id_ce_extKeyUsage:
			if (!e.is(0, Tag.sequence)) throw new Asn1Error("extKeyUsage is a SEQUENCE");
			facts.extKeyUsage = [...e.children()].map((purpose) => oidOf(purpose));
			return true;
		case id_netscape_certType:
			facts.netscapeCertType = readBitString(e)[0] ?? 0;
			return true;
		case id_ce_subjectKeyIdentifier:
			if (!e.is(0, Tag.octetString)) throw new Asn1Error("keyIdentifier is an OCTET STRING");
			facts.subjectKeyId = e.primitive(Tag.octetString);
			return true;
		case id_ce_authorityKeyIdentifier:
			facts.authorityKeyId = akidOf(e);
			return true;
		case id_ce_subjectAltName:
			facts.altNames = readGeneralNames$1(e);
			return true;
		case id_ce_nameConstraints:
			facts.nameConstraints = readNameConstraints(v);
			return true;
		case id_ce_cRLDistributionPoints: return readDistributionPoints(e, issuerKey, facts.distributionPoints);
		case id_pe_proxyCertInfo:
			readProxyCertInfo(e);
			facts.proxy = true;
			return true;
		default:
			if (!e.is(0, Tag.sequence)) throw new Asn1Error("an RFC 3779 block is a SEQUENCE");
			facts.rfc3779 = true;
			return true;
	}
}
/** `BASIC_CONSTRAINTS`: `SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }`. */
function readBasicConstraints(e, facts) {
	if (!e.is(0, Tag.sequence)) throw new Asn1Error("BasicConstraints is a SEQUENCE");
	const fields = e.children();
	facts.hasBasicConstraints = true;
	const ca = fields.optional(0, Tag.boolean);
	if (ca) facts.ca = ca.primitive(Tag.boolean)[0] !== 0;
	const pathLen = fields.optional(0, Tag.integer);
	fields.done();
	if (pathLen) {
		const value = integerValue(pathLen.primitive(Tag.integer));
		if (value < 0n) return false;
		facts.pathLen = value > 9223372036854775807n ? -1 : Number(value);
	}
	return true;
}
/**
* `AUTHORITY_KEYID`: `SEQUENCE { [0] keyIdentifier, [1] GeneralNames, [2] serial }`, each optional.
*
* @throws {Asn1Error} when OpenSSL's decoder would refuse it.
*/
function akidOf(e) {
	if (!e.is(0, Tag.sequence)) throw new Asn1Error("AuthorityKeyIdentifier is a SEQUENCE");
	const fields = e.children();
	const keyId = fields.optional(128, 0)?.primitive(Tag.octetString);
	const issuers = fields.optional(128, 1);
	const serial = fields.optional(128, 2);
	fields.done();
	const dir = (issuers ? readGeneralNames$1(issuers, 128, 1) : []).find((n) => n.type === GeneralNameType.directoryName);
	return {
		keyId,
		issuer: dir ? latin1$1(dir.value) : void 0,
		serial: serial ? integerValue(serial.primitive(Tag.integer)) : void 0
	};
}
/**
* `CRL_DIST_POINTS` and `setup_crldp`: each point's name (`[0]` full GeneralNames or `[1]` an
* RDN relative to the CRL issuer), reasons and CRL issuers, into `out`; `false` when a point names
* neither a distribution point nor a CRL issuer (`setup_dp`, which stops there).
*
* @param issuerKey the certificate's issuer Name (canonical key), which a relative name extends
*   unless the point names a directoryName CRL issuer.
*/
function readDistributionPoints(e, issuerKey, out) {
	if (!e.is(0, Tag.sequence)) throw new Asn1Error("CRLDistributionPoints is a SEQUENCE");
	const points = [...e.children()].map((dp) => {
		if (!dp.is(0, Tag.sequence)) throw new Asn1Error("DistributionPoint is a SEQUENCE");
		const fields = dp.children();
		const name = fields.optional(128, 0);
		const reasons = fields.optional(128, 1);
		const issuers = fields.optional(128, 2);
		fields.done();
		return {
			name: name ? readDpName(name) : void 0,
			reasons: reasons ? readBitString(reasons, 128, 1) : void 0,
			crlIssuer: issuers ? readGeneralNames$1(issuers, 128, 2) : void 0
		};
	});
	for (const point of points) {
		if (!point.name && (point.crlIssuer?.length ?? 0) === 0) return false;
		const dir = point.crlIssuer?.find((n) => n.type === GeneralNameType.directoryName);
		out.push({
			name: point.name && setDpName(point.name, dir ? latin1$1(dir.value) : issuerKey),
			reasons: point.reasons ? reasonBits(point.reasons) : ALL_REASONS,
			crlIssuer: point.crlIssuer
		});
	}
	return true;
}
/**
* `DIST_POINT_NAME` inside its explicit `[0]`: `CHOICE { [0] GeneralNames, [1] RDN }`.
*
* @throws {Asn1Error} when OpenSSL's decoder would refuse it.
*/
function readDpName(explicit) {
	const inner = explicit.children();
	const choice = inner.next();
	inner.done();
	if (choice?.is(128, 0)) return {
		kind: "full",
		names: readGeneralNames$1(choice, 128, 0)
	};
	if (choice?.is(128, 1) && choice.constructed) return {
		kind: "relative",
		entries: [...choice.children()].map(readNameEntry)
	};
	throw new Asn1Error("no matching DistributionPointName choice");
}
/**
* `DIST_POINT_set_dpname`: a relative name becomes `base` (a canonical key) with each of its
* attributes appended as an RDN of its own (as `X509_NAME_add_entry` appends them).
*/
function setDpName(name, base) {
	if (name.kind === "full") return name;
	try {
		return {
			kind: "relative",
			name: base + latin1$1(canonicalOf(name.entries.map((e) => [e])))
		};
	} catch (error) {
		if (!(error instanceof Asn1Error)) throw error;
		return {
			kind: "relative",
			name: void 0
		};
	}
}
/** Reason flags from a ReasonFlags BIT STRING's first two bytes (`setup_dp`, `setup_idp`). */
function reasonBits(bytes, none = 0) {
	if (bytes.length === 0) return none;
	return (bytes[0] | (bytes[1] ?? 0) << 8) & ALL_REASONS;
}
/** `PROXY_CERT_INFO_EXTENSION`: `SEQUENCE { pcPathLengthConstraint INTEGER OPTIONAL, proxyPolicy }`. */
function readProxyCertInfo(e) {
	if (!e.is(0, Tag.sequence)) throw new Asn1Error("ProxyCertInfo is a SEQUENCE");
	const fields = e.children();
	fields.optional(0, Tag.integer)?.primitive(Tag.integer);
	const policy = fields.expect(0, Tag.sequence);
	fields.done();
	const parts = policy.children();
	oidOf(parts.expect(0, Tag.oid));
	parts.optional(0, Tag.octetString)?.primitive(Tag.octetString);
	parts.done();
}
/**
* A BIT STRING's bytes with its unused bits cleared (`c2i_ASN1_BIT_STRING`).
*
* @throws {Asn1Error} when OpenSSL's decoder would refuse it.
*/
function readBitString(e, cls = 0, tag = Tag.bitString) {
	if (!e.is(cls, tag)) throw new Asn1Error("a BIT STRING is expected");
	const content = e.primitive(Tag.bitString);
	const unused = content[0];
	const bytes = Uint8Array.from(content.subarray(1));
	if (bytes.length > 0) bytes[bytes.length - 1] = bytes[bytes.length - 1] & 255 << unused;
	return bytes;
}
/** The OID of an AlgorithmIdentifier element. */
function algorithmOid(alg) {
	try {
		const oidAt = contentStart(alg, 0);
		return decodeOid(alg, contentStart(alg, oidAt), elementEnd(alg, oidAt));
	} catch {
		return "";
	}
}
/**
* The security bits of the certificate's own (outer) signature algorithm, for RSASSA-PSS from the
* hash its parameters name; -1 (no level met) when the algorithm cannot be read, as OpenSSL's
* `x509_sig_info_init` fails then.
*/
/** The outer AlgorithmIdentifier element of a certificate (`new Uint8Array()` when unreadable). */
function outerAlgorithm(der) {
	try {
		const at = elementEnd(der, contentStart(der, 0));
		return der.subarray(at, elementEnd(der, at));
	} catch {
		return /* @__PURE__ */ new Uint8Array();
	}
}
function signatureBitsOf(der) {
	try {
		const tbs = contentStart(der, 0);
		const alg = elementEnd(der, tbs);
		const oidAt = contentStart(der, alg);
		const oid = decodeOid(der, contentStart(der, oidAt), elementEnd(der, oidAt));
		if (oid !== "1.2.840.113549.1.1.10") return signatureSecurityBits(oid);
		const params = elementEnd(der, oidAt);
		if (params >= elementEnd(der, alg) || der[params] !== 48) return signatureSecurityBits(oid);
		const first = contentStart(der, params);
		if (first >= elementEnd(der, params) || der[first] !== 160) return signatureSecurityBits(oid);
		const hashAlg = contentStart(der, first);
		const hashOid = contentStart(der, hashAlg);
		const hash = decodeOid(der, contentStart(der, hashOid), elementEnd(der, hashOid));
		return signatureSecurityBits(oid, hash);
	} catch {
		return -1;
	}
}
/** `true` for an EC key whose SubjectPublicKeyInfo spells out the curve's parameters. */
function hasExplicitCurve(spki) {
	try {
		const alg = contentStart(spki, 0);
		const oidAt = contentStart(spki, alg);
		if (decodeOid(spki, contentStart(spki, oidAt), elementEnd(spki, oidAt)) !== ID_EC_PUBLIC_KEY) return false;
		const params = elementEnd(spki, oidAt);
		return params < elementEnd(spki, alg) && spki[params] === 48;
	} catch {
		return false;
	}
}
/** An INTEGER's content as a signed big integer (two's complement). */
function signedInteger(bytes) {
	if (bytes.length === 0) return 0n;
	let value = 0n;
	for (const b of bytes) value = value << 8n | BigInt(b);
	if ((bytes[0] & 128) !== 0) value -= 1n << BigInt(bytes.length * 8);
	return value;
}
function sameBytes(a, b) {
	return a.length === b.length && a.every((x, i) => x === b[i]);
}
function latin1$1(bytes) {
	return Buffer.from(bytes).toString("latin1");
}

// dist/x509/ascii-case.js
const NON_ASCII = /[^\u0000-\u007f]/;
const ASCII_UPPER_RUN = /[A-Z]+/g;
const ASCII_LOWER_RUN = /[a-z]+/g;
/**
* `true` when every code unit of `text` is ASCII (U+0000 to U+007F).
*
* @example isAscii('kafka-service') // true; isAscii('\u212Aafka-service') // false (KELVIN SIGN)
*/
function isAscii(text) {
	return !NON_ASCII.test(text);
}
/**
* Lower-cases ASCII letters only (A-Z to a-z); every other character is kept as it is. This is
* how identities are compared case-insensitively: `String.prototype.toLowerCase` folds U+212A
* KELVIN SIGN to `k` and U+0130 to `i` + U+0307, so a name that merely looks like `kafka-service`
* would compare equal to it. Folding ASCII only keeps a non-ASCII name non-ASCII, so it never
* equals an ASCII pattern.
*
* Runs on a new caller's first request: one scan for non-ASCII, then the engine's own
* `toLowerCase`, which on pure ASCII is exactly A-Z to a-z.
*
* @example asciiLower('Billing-Service') // 'billing-service'
* @example asciiLower('\u212Aafka') // '\u212Aafka' (unchanged: KELVIN SIGN is not an ASCII letter)
* @see https://www.unicode.org/Public/UCD/latest/ucd/SpecialCasing.txt
*/
function asciiLower(text) {
	if (!NON_ASCII.test(text)) return text.toLowerCase();
	return text.replace(ASCII_UPPER_RUN, (run) => run.toLowerCase());
}
/**
* Upper-cases ASCII letters only (a-z to A-Z); see {@link asciiLower} for why (`toUpperCase`
* turns U+017F LATIN SMALL LETTER LONG S into `S` and U+0131 DOTLESS I into `I`).
*
* @example asciiUpper('cn') // 'CN'; asciiUpper('\u017Ft') // '\u017FT', never 'ST'
*/
function asciiUpper(text) {
	if (!NON_ASCII.test(text)) return text.toUpperCase();
	return text.replace(ASCII_LOWER_RUN, (run) => run.toUpperCase());
}

// dist/x509/tls-verify-error.js
/**
* OpenSSL verification codes (as Node reports them in `socket.authorizationError`) that mean
* something more precise than "untrusted".
*
* @see https://docs.openssl.org/master/man1/openssl-verification-options/
*/
const PRECISE = {
	CERT_HAS_EXPIRED: MtlsReasonCode.CertExpired,
	CERT_NOT_YET_VALID: MtlsReasonCode.CertNotYetValid,
	CERT_REVOKED: MtlsReasonCode.CertRevoked,
	INVALID_PURPOSE: MtlsReasonCode.CertInvalidUsage,
	UNSUPPORTED_CERTIFICATE_PURPOSE: MtlsReasonCode.CertInvalidUsage,
	KEYUSAGE_NO_DIGITAL_SIGNATURE: MtlsReasonCode.CertInvalidUsage
};
/**
* `true` when the error names something more precise than "untrusted". OpenSSL keeps verifying
* after an error and reports the last one, so such an error does not prove that the chain itself
* was trusted: the precise reason must be confirmed (see `CertificatePolicy.evaluateHandshake`).
*/
function isPreciseTlsError(error) {
	return PRECISE[errorCode(error)] !== void 0;
}
/**
* Maps the handshake's verification error to a reason code. Anything not known to be more precise
* is a trust failure: refusing with "untrusted" is always safe.
*/
function reasonForTlsError(error) {
	return PRECISE[errorCode(error)] ?? MtlsReasonCode.CertUntrusted;
}
/** The OpenSSL code of a handshake verification error (`''` when there is none). */
function errorCode(error) {
	return typeof error === "string" ? error : error?.code ?? "";
}
/**
* OpenSSL's verification errors as proxies report them in their verdict headers, by the text of
* `X509_verify_cert_error_string()` (nginx `$ssl_client_verify` says `FAILED:<text>`) and by the
* number of `X509_V_ERR_*` (HAProxy `%[ssl_c_verify]`): the precise ones, which name something
* other than "untrusted", and the most common untrusted ones. Any other reads as untrusted.
*
* @see https://github.com/openssl/openssl/blob/master/crypto/x509/x509_txt.c
* @see https://github.com/openssl/openssl/blob/master/include/openssl/x509_vfy.h.in
*/
const PROXY_ERRORS = [
	[
		"UNABLE_TO_GET_ISSUER_CERT",
		2,
		"unable to get issuer certificate"
	],
	[
		"UNABLE_TO_GET_CRL",
		3,
		"unable to get certificate CRL"
	],
	[
		"CERT_SIGNATURE_FAILURE",
		7,
		"certificate signature failure"
	],
	[
		"CERT_NOT_YET_VALID",
		9,
		"certificate is not yet valid"
	],
	[
		"CERT_HAS_EXPIRED",
		10,
		"certificate has expired"
	],
	[
		"CRL_HAS_EXPIRED",
		12,
		"CRL has expired"
	],
	[
		"DEPTH_ZERO_SELF_SIGNED_CERT",
		18,
		"self-signed certificate",
		"self signed certificate"
	],
	[
		"SELF_SIGNED_CERT_IN_CHAIN",
		19,
		"self-signed certificate in certificate chain",
		"self signed certificate in certificate chain"
	],
	[
		"UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
		20,
		"unable to get local issuer certificate"
	],
	[
		"UNABLE_TO_VERIFY_LEAF_SIGNATURE",
		21,
		"unable to verify the first certificate"
	],
	[
		"CERT_REVOKED",
		23,
		"certificate revoked"
	],
	[
		"INVALID_CA",
		24,
		"invalid CA certificate"
	],
	[
		"INVALID_PURPOSE",
		26,
		"unsuitable certificate purpose",
		"unsupported certificate purpose"
	],
	[
		"KEYUSAGE_NO_DIGITAL_SIGNATURE",
		39,
		"key usage does not include digital signature"
	]
];
/**
* The OpenSSL code (`CERT_HAS_EXPIRED`) of a proxy's failure verdict: nginx's text after
* `FAILED:`, or HAProxy's `X509_V_ERR_*` number; `''` when it names none known here.
*/
function errorCodeOfProxyVerdict(failure) {
	const number = /^\d{1,4}$/.test(failure) ? Number(failure) : void 0;
	const text = asciiLower(failure.trim());
	for (const [code, n, ...texts] of PROXY_ERRORS) if (number === void 0 ? texts.some((t) => asciiLower(t) === text) : n === number) return code;
	return "";
}

// dist/x509/verify/verify-error.js
/**
* The reason code of a refused chain, from every error verification found. OpenSSL keeps going
* after an error and reports its last one; the service reports the most basic: any error that is
* not one of the precise four (expired, not yet valid, revoked, wrong purpose) makes the
* certificate untrusted, whatever else is wrong with it; otherwise the first precise error, in
* OpenSSL's order of checks (purpose, revocation, then validity from the anchor down).
*
* This is what makes the handshake's verdict and this verifier's agree: when OpenSSL's last error
* is one of the precise four, the service asks this verifier for the reason (see
* `CertificatePolicy.evaluateHandshake`); when it is any other, the chain has an error that is
* not precise, and both say untrusted.
*/
function reasonOf(errors) {
	let precise;
	for (const error of errors) {
		const code = reasonForTlsError(error.code);
		if (code === MtlsReasonCode.CertUntrusted) return {
			code,
			error
		};
		precise ??= {
			code,
			error
		};
	}
	if (!precise) throw new Error("reasonOf() needs at least one error");
	return precise;
}
/** What each error means, for people (the doctor and the log say it). */
const VERIFY_ERROR_TEXT = {
	EE_KEY_TOO_SMALL: "the certificate's key is too weak for the server's security level",
	CA_KEY_TOO_SMALL: "a CA's key is too weak for the server's security level",
	CA_MD_TOO_WEAK: "a signature's digest is too weak for the server's security level (SHA-1?)",
	UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "no path to a trusted CA: its issuer is not known",
	UNABLE_TO_GET_ISSUER_CERT: "no path to a trusted CA: the chain ends at an unknown issuer",
	DEPTH_ZERO_SELF_SIGNED_CERT: "self-signed and not in the trusted bundle",
	SELF_SIGNED_CERT_IN_CHAIN: "the chain ends at a self-signed CA that is not trusted",
	CERT_CHAIN_TOO_LONG: "the chain is longer than the verification depth",
	UNHANDLED_CRITICAL_EXTENSION: "a critical extension OpenSSL does not handle",
	PROXY_CERTIFICATES_NOT_ALLOWED: "a proxy certificate (RFC 3820)",
	INVALID_CA: "a certificate above the leaf is not a valid CA (basicConstraints, keyUsage)",
	EC_KEY_EXPLICIT_PARAMS: "an EC key with explicit curve parameters",
	INVALID_PURPOSE: "not allowed for TLS client authentication (extended key usage, keyUsage or Netscape type)",
	PATH_LENGTH_EXCEEDED: "a pathLenConstraint is exceeded",
	CERT_REVOKED: "revoked",
	UNABLE_TO_GET_CRL: "no current CRL from its issuer",
	KEYUSAGE_NO_CERTSIGN: "an issuer's keyUsage does not allow signing certificates",
	KEYUSAGE_NO_DIGITAL_SIGNATURE: "an issuer's keyUsage does not allow digital signatures",
	UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY: "an issuer's public key cannot be read",
	CERT_SIGNATURE_FAILURE: "a signature does not verify",
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the leaf's signature cannot be verified",
	ERROR_IN_CERT_NOT_BEFORE_FIELD: "notBefore is not a valid RFC 5280 time",
	ERROR_IN_CERT_NOT_AFTER_FIELD: "notAfter is not a valid RFC 5280 time",
	CERT_NOT_YET_VALID: "not yet valid",
	CERT_HAS_EXPIRED: "expired",
	PERMITTED_VIOLATION: "a name is outside the name constraints of a CA above it",
	EXCLUDED_VIOLATION: "a name is excluded by the name constraints of a CA above it",
	SUBTREE_MINMAX: "a name constraint uses minimum/maximum, which OpenSSL does not support",
	UNSUPPORTED_CONSTRAINT_TYPE: "a name constraint of a type OpenSSL does not support",
	UNSUPPORTED_NAME_SYNTAX: "a name OpenSSL cannot compare with name constraints",
	UNSPECIFIED: "a check that cannot be completed (a key that cannot be read, or too many names)",
	KEYUSAGE_NO_CRL_SIGN: "the CRL's issuer may not sign CRLs (its keyUsage lacks cRLSign)",
	DIFFERENT_CRL_SCOPE: "the CRLs in force do not cover it (issuingDistributionPoint)",
	CRL_SIGNATURE_FAILURE: "a CRL's signature does not verify",
	CRL_NOT_YET_VALID: "a CRL's thisUpdate is in the future",
	CRL_HAS_EXPIRED: "a CRL is past its nextUpdate",
	ERROR_IN_CRL_LAST_UPDATE_FIELD: "a CRL's thisUpdate is not a valid RFC 5280 time",
	ERROR_IN_CRL_NEXT_UPDATE_FIELD: "a CRL's nextUpdate is not a valid RFC 5280 time",
	UNHANDLED_CRITICAL_CRL_EXTENSION: "a CRL has a critical extension OpenSSL does not handle",
	RFC3779_RESOURCES: "carries RFC 3779 IP address or AS blocks: a resource certificate, which identifies no client here",
	KEY_CANNOT_SIGN_TLS: "its key cannot sign a TLS handshake (no client could present it directly)"
};

// dist/x509/chain-verifier.js
/** OpenSSL's default verification depth (`X509_VERIFY_PARAM` "default"), which Node keeps. */
const DEFAULT_VERIFY_DEPTH = 100;
/**
* Verifies a client certificate as the TLS handshake does: `X509_verify_cert` of OpenSSL 3.5 with
* the `ssl_client` purpose, the server's security level, trusted-first path building, CRLs of
* every link (Node's `crl` option), and no flags beyond those Node sets. Each step is OpenSSL's,
* in OpenSSL's order, named after the function it mirrors in crypto/x509/x509_vfy.c:
*
* 1. the leaf's key against the security level;
* 2. `build_chain`: at each step an issuer from the bundle first (matched by canonical name,
*    authority key identifier and signature algorithm; the first one currently valid, else the
*    one that expires last), else from the certificates the client sent; no backtracking; a path
*    is trusted when it reaches a self-signed certificate of the bundle;
* 3. `check_extensions`: critical extensions, CA flags, the `sslclient` purpose (extended key
*    usage, keyUsage, Netscape cert type), path lengths;
* 4. `check_auth_level`: the CAs' keys and every non-anchor signature digest;
* 5. revocation of every link;
* 6. `internal_verify`: keyCertSign of each issuer, each signature, each validity period (the
*    times in RFC 5280's form only);
* 7. `check_name_constraints`, every name form, and the leaf's CN where OpenSSL checks it.
*
* Every error is collected, as OpenSSL reports each to Node's callback and goes on; the reason
* code is chosen from them by {@link reasonOf}. The work is bounded as OpenSSL's is: a path of at
* most `depth + 2` certificates, one signature check per link. Pure: no I/O, no framework.
*
* The claim "same verdict as the handshake" is tested by generation: test/e2e/trust-parity
* presents thousands of generated chains to the running service over TLS and through a proxy.
*/
var ChainVerifier = class {
	store;
	revocation;
	level;
	maxDepth;
	constructor(store, revocation, settings) {
		this.store = store;
		this.revocation = revocation;
		this.level = settings.securityLevel;
		this.maxDepth = (settings.depth ?? 100) + 1;
	}
	/**
	* @param presented certificates the client sent after its leaf: untrusted, they may complete a
	*   path, never end one.
	* @throws {Error} only when the leaf cannot be read at all.
	*/
	verify(leaf, presented = [], now = Date.now()) {
		const run = new Verification(this.store, this.level, this.maxDepth, now);
		const chain = run.buildChain(this.profileOf(leaf), presented);
		run.checkExtensions(chain);
		run.checkAuthLevel(chain);
		if (this.revocation) run.checkRevocation(chain, this.revocation);
		run.internalVerify(chain);
		run.checkNameConstraints(chain);
		run.checkLeafKey(chain);
		const certs = chain.certs.map((p) => p.cert);
		if (run.errors.length === 0) return {
			ok: true,
			chain: certs,
			profiles: chain.certs
		};
		const { code, error } = reasonOf(run.errors);
		return {
			ok: false,
			code,
			reason: VERIFY_ERROR_TEXT[error.code] ?? error.code,
			path: certs,
			link: Math.min(error.depth, certs.length - 1),
			errors: run.errors
		};
	}
	/** The bundle's own profile of a certificate, or a new one. */
	profileOf(cert) {
		return this.store.entry(cert) ?? new CertificateProfile(cert);
	}
};
/** One verification's state: its time, and the errors found so far. */
var Verification = class {
	store;
	level;
	maxDepth;
	errors = [];
	/** OpenSSL compares times in whole seconds. */
	now;
	constructor(store, level, maxDepth, nowMs) {
		this.store = store;
		this.level = level;
		this.maxDepth = maxDepth;
		this.now = Math.floor(nowMs / 1e3);
	}
	fail(code, depth) {
		this.errors.push({
			code,
			depth
		});
	}
	/** `x509_verify_x509`'s first check, then `build_chain` with trusted-first lookups. */
	buildChain(leaf, presented) {
		if (!meetsLevel(leaf.keyBits, this.level)) this.fail("EE_KEY_TOO_SMALL", 0);
		const chain = {
			certs: [leaf],
			numUntrusted: 1,
			trusted: false
		};
		const untrusted = new UntrustedList(leaf, presented);
		let searchUntrusted = true;
		let searchTrusted = true;
		while (searchTrusted || searchUntrusted) {
			let num = chain.certs.length;
			if (searchTrusted) {
				const curr = chain.certs[num - 1];
				const issuer = num > this.maxDepth ? void 0 : this.trustedIssuer(curr);
				if (issuer) {
					let ok = true;
					let selfSigned = curr.selfSigned;
					if (!selfSigned) {
						chain.certs.push(issuer);
						selfSigned = issuer.selfSigned;
					} else if (issuer.fingerprint !== curr.fingerprint) ok = false;
					else {
						chain.certs[num - 1] = issuer;
						chain.numUntrusted = --num;
					}
					if (ok) {
						searchUntrusted = false;
						if (isAnchored(chain.certs, num)) {
							chain.trusted = true;
							break;
						}
						if (!selfSigned) continue;
					}
				}
				if (!searchUntrusted) break;
			}
			if (searchUntrusted) {
				num = chain.certs.length;
				const curr = chain.certs[num - 1];
				const issuer = curr.selfSigned || num > this.maxDepth ? void 0 : untrusted.bestIssuer(curr, chain, this);
				if (!issuer) {
					searchUntrusted = false;
					searchTrusted = true;
					continue;
				}
				untrusted.remove(issuer);
				chain.certs.push(issuer);
				chain.numUntrusted++;
			}
		}
		if (!chain.trusted) this.reportUntrusted(chain);
		return chain;
	}
	/** The error `build_chain` reports for a chain that reached no anchor. */
	reportUntrusted(chain) {
		const num = chain.certs.length;
		const previous = this.errors[this.errors.length - 1];
		if (previous) {
			this.fail(previous.code, num - 1);
			return;
		}
		const top = chain.certs[num - 1];
		if (num > this.maxDepth) this.fail("CERT_CHAIN_TOO_LONG", num - 1);
		else if (top.selfSigned) this.fail(num === 1 ? "DEPTH_ZERO_SELF_SIGNED_CERT" : "SELF_SIGNED_CERT_IN_CHAIN", num - 1);
		else this.fail(chain.numUntrusted < num ? "UNABLE_TO_GET_ISSUER_CERT" : "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", num - 1);
	}
	/**
	* `X509_STORE_CTX_get1_issuer`: of the bundle's certificates named as `cert`'s issuer (in bundle
	* order) that may have issued it, the first currently valid, else the one that expires last.
	*/
	trustedIssuer(cert) {
		return bestIssuer(this.store.withSubject(cert.issuerKey), cert, this, () => true);
	}
	/** `ossl_x509_check_cert_time` without reporting: valid now, both times readable. */
	isCurrent(cert) {
		return cert.notBefore !== void 0 && cert.notAfter !== void 0 && cert.notBefore <= this.now && this.now < cert.notAfter;
	}
	/** `check_extensions`. */
	checkExtensions(chain) {
		const certs = chain.certs;
		const num = certs.length;
		let mustBeCa = -1;
		let plen = 0;
		for (let i = 0; i < num; i++) {
			const x = certs[i];
			if (x.unhandledCritical !== void 0) this.fail("UNHANDLED_CRITICAL_EXTENSION", i);
			if (x.proxy) this.fail("PROXY_CERTIFICATES_NOT_ALLOWED", i);
			const ca = checkCa(x);
			if (mustBeCa === 0 && ca !== 0) this.fail("INVALID_NON_CA", i);
			if (mustBeCa > 0 && (ca === 0 || i + 1 < num && ca !== 1)) this.fail("INVALID_CA", i);
			if (num > 1) {
				if (x.publicKey === void 0) this.fail("UNSPECIFIED", i);
				else if (x.explicitCurve) this.fail("EC_KEY_EXPLICIT_PARAMS", i);
			}
			if (!x.invalid && !sslClientPurpose(x, mustBeCa > 0)) this.fail("INVALID_PURPOSE", i);
			if (i > 1 && x.pathLen !== -1 && plen > x.pathLen) this.fail("PATH_LENGTH_EXCEEDED", i);
			if (i > 0 && !x.selfIssued) plen++;
			mustBeCa = x.proxy ? 0 : 1;
		}
	}
	/** `check_auth_level`: keys above the leaf, and every signature but the anchor's. */
	checkAuthLevel(chain) {
		if (this.level <= 0) return;
		const num = chain.certs.length;
		for (let i = 0; i < num; i++) {
			const x = chain.certs[i];
			if (i > 0 && !meetsLevel(x.keyBits, this.level)) this.fail("CA_KEY_TOO_SMALL", i);
			if (i < num - 1 && !meetsLevel(x.signatureBits, this.level)) this.fail("CA_MD_TOO_WEAK", i);
		}
	}
	/** `check_revocation` with `X509_V_FLAG_CRL_CHECK_ALL` (Node's `crl` option): every link. */
	checkRevocation(chain, revocation) {
		for (let i = 0; i < chain.certs.length; i++) for (const code of revocation.check(chain.certs, i, this.now)) this.fail(code, i);
	}
	/**
	* The service's own rule: a leaf whose key cannot sign a TLS handshake (X25519, secp256k1, ...)
	* could never have been presented directly, so it is refused however it arrives.
	*/
	checkLeafKey(chain) {
		if (!canSignTls(chain.certs[0].publicKey)) this.fail("KEY_CANNOT_SIGN_TLS", 0);
	}
	/** `internal_verify`: from the anchor down, each issuer's keyUsage, signature and time. */
	internalVerify(chain) {
		const certs = chain.certs;
		let n = certs.length - 1;
		let xi = certs[n];
		let xs = xi;
		if (!likelyIssued(xi, xi)) {
			if (n > 0) xs = certs[--n];
			else this.fail("UNABLE_TO_VERIFY_LEAF_SIGNATURE", 0);
		}
		for (;;) {
			if (xs !== xi) {
				if (!xs.proxy && !xi.keyUsageAllows(KeyUsageBit.keyCertSign)) this.fail("KEYUSAGE_NO_CERTSIGN", n + 1);
				else if (xs.proxy && !xi.keyUsageAllows(KeyUsageBit.digitalSignature)) this.fail("KEYUSAGE_NO_DIGITAL_SIGNATURE", n + 1);
				if (xi.publicKey === void 0) this.fail("UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY", n + 1);
				else if (!signatureVerifies(xs, xi)) this.fail("CERT_SIGNATURE_FAILURE", n);
			}
			this.checkTime(xs, n);
			if (--n < 0) break;
			xi = xs;
			xs = certs[n];
		}
	}
	checkTime(x, depth) {
		if (x.notBefore === void 0) this.fail("ERROR_IN_CERT_NOT_BEFORE_FIELD", depth);
		else if (x.notBefore > this.now) this.fail("CERT_NOT_YET_VALID", depth);
		if (x.notAfter === void 0) this.fail("ERROR_IN_CERT_NOT_AFTER_FIELD", depth);
		else if (x.notAfter <= this.now) this.fail("CERT_HAS_EXPIRED", depth);
	}
	/** `check_name_constraints`: each certificate against the constraints of every CA above it. */
	checkNameConstraints(chain) {
		const certs = chain.certs;
		for (let i = certs.length - 1; i >= 0; i--) {
			const x = certs[i];
			if (i !== 0 && x.selfIssued) continue;
			for (let j = certs.length - 1; j > i; j--) {
				const nc = certs[j].nameConstraints;
				if (!nc) continue;
				let result = checkNames(x.constrainedNames, nc);
				if (result === "OK" && i === 0 && !x.hasDnsAltName) result = checkCommonNames(x.commonNames, nc);
				if (result !== "OK") this.fail(result, i);
			}
		}
		for (let i = 0; i < certs.length; i++) if (certs[i].rfc3779) this.fail("RFC3779_RESOURCES", i);
	}
};
/**
* The certificates the client sent, as OpenSSL's working copy of them: its leaf first, each read
* only when first looked at as an issuer, and taken out once it joins the chain.
*/
var UntrustedList = class {
	entries;
	constructor(leaf, presented) {
		this.entries = [{
			cert: leaf.cert,
			profile: leaf
		}, ...presented.map((cert) => ({ cert }))];
	}
	/** `get0_best_issuer_sk(..., no_dup)` over what is left of the list. */
	bestIssuer(cert, chain, run) {
		const candidates = [];
		for (const entry of this.entries) {
			if (entry.profile === void 0) entry.profile = readProfile(entry.cert);
			if (entry.profile) candidates.push(entry.profile);
		}
		const allowSelf = cert.selfIssued && chain.certs.length === 1;
		return bestIssuer(candidates, cert, run, (c) => allowSelf || !chain.certs.some((x) => x.fingerprint === c.fingerprint));
	}
	remove(profile) {
		const i = this.entries.findIndex((e) => e.profile === profile);
		if (i >= 0) this.entries.splice(i, 1);
	}
};
/** A presented certificate's profile, `null` when it cannot be read (it completes no path). */
function readProfile(cert) {
	try {
		return new CertificateProfile(cert);
	} catch {
		return null;
	}
}
/**
* `get0_best_issuer_sk`: of `candidates` that `check_issued` accepts as `cert`'s issuer, the
* first currently valid, else the first of those that expire last.
*/
function bestIssuer(candidates, cert, run, eligible) {
	let best;
	for (const candidate of candidates) {
		if (!eligible(candidate) || !likelyIssued(candidate, cert)) continue;
		if (run.isCurrent(candidate)) return candidate;
		if (best === void 0 || candidate.notAfter !== void 0 && best.notAfter !== void 0 && candidate.notAfter > best.notAfter) best = candidate;
	}
	return best;
}
/**
* `ossl_x509_likely_issued`: names match, both certificates read, the subject's authority key
* identifier fits the issuer, and the subject's signature algorithm fits the issuer's key. No
* signature is checked here (OpenSSL checks it once the path is built).
*/
function likelyIssued(issuer, subject) {
	return issuer.subjectKey === subject.issuerKey && !issuer.invalid && !subject.invalid && checkAkid(issuer, subject.authorityKeyId) && subject.signatureMatchesKey(issuer);
}
/** `check_trust` for the certificates from index `from` on: one is a self-signed anchor. */
function isAnchored(certs, from) {
	for (let i = from; i < certs.length; i++) {
		const x = certs[i];
		if (!x.invalid && x.selfSigned) return true;
	}
	return false;
}
/**
* `check_ca`: 0 not a CA; 1 basicConstraints CA; 3 a v1 self-signed root; 4 keyUsage with
* keyCertSign and no basicConstraints; 5 a Netscape CA type. Invalid certificates are no CA.
*/
function checkCa(x) {
	if (x.invalid) return 0;
	if (!x.keyUsageAllows(KeyUsageBit.keyCertSign)) return 0;
	if (x.hasBasicConstraints) return x.ca ? 1 : 0;
	if (x.version === 0 && x.selfSigned) return 3;
	if (x.keyUsage !== void 0) return 4;
	if (x.netscapeCertType !== void 0 && (x.netscapeCertType & NetscapeCertType.anyCa) !== 0) return 5;
	return 0;
}
/** `check_purpose_ssl_client`: extended key usage, then for a CA `check_ssl_ca`, for a leaf usages. */
function sslClientPurpose(x, nonLeaf) {
	if (!x.allowsClientAuthUsage) return false;
	if (nonLeaf) {
		const ca = checkCa(x);
		if (ca === 0) return false;
		return ca !== 5 || ((x.netscapeCertType ?? 0) & NetscapeCertType.sslCa) !== 0;
	}
	if (!x.keyUsageAllows(KeyUsageBit.digitalSignature | KeyUsageBit.keyAgreement)) return false;
	return x.netscapeCertType === void 0 || (x.netscapeCertType & NetscapeCertType.sslClient) !== 0;
}
/** `X509_verify(subject, issuer's key)`, which never throws here. */
function signatureVerifies(subject, issuer) {
	try {
		return issuer.publicKey !== void 0 && subject.cert.verify(issuer.publicKey);
	} catch {
		return false;
	}
}

// dist/x509/distinguished-name.js
/** Canonical short names for attribute OIDs, as RFC 4514 and OpenSSL print them. */
const OID_NAMES = ATTRIBUTE_TYPE_NAMES;
/** Other spellings of the same types, as .NET, OpenSSL and LDAP tools print them. */
const TYPE_ALIASES = {
	S: "ST",
	E: "EMAILADDRESS",
	EMAIL: "EMAILADDRESS",
	G: "GIVENNAME",
	GN: "GIVENNAME",
	T: "TITLE",
	USERID: "UID",
	SURNAME: "SN",
	STREETADDRESS: "STREET",
	COMMONNAME: "CN",
	COUNTRYNAME: "C",
	LOCALITYNAME: "L",
	STATEORPROVINCENAME: "ST",
	ORGANIZATIONNAME: "O",
	ORGANIZATIONALUNITNAME: "OU",
	DOMAINCOMPONENT: "DC"
};
const NAME_TO_CANONICAL = new Map([
	...Object.values(OID_NAMES).map((n) => [n, n]),
	...Object.entries(TYPE_ALIASES),
	...Object.entries(OID_NAMES),
	...Object.entries(OID_NAMES).map(([oid, n]) => [`OID.${oid}`, n])
]);
/**
* Canonical form of an attribute type: `cn`, `CommonName`, `2.5.4.3` and `OID.2.5.4.3` all read
* `CN`; unknown types keep their dotted OID. Case is folded for ASCII letters only: `\u017Ft`
* (LATIN SMALL LETTER LONG S) is not `ST`.
*/
function canonicalAttributeType(type) {
	const t = type.trim();
	const upper = asciiUpper(t);
	return NAME_TO_CANONICAL.get(upper) ?? NAME_TO_CANONICAL.get(t) ?? upper;
}
/** An attribute type as people write one: a name (`CN`, `commonName`) or a dotted OID. */
const ATTRIBUTE_TYPE = /^[A-Za-z][A-Za-z0-9-]*$|^(OID\.)?\d+(\.\d+)+$/i;
/** Short names by dotted OID (a read-only table, made once). */
const OID_TO_NAME = new Map(Object.entries(OID_NAMES));
/** The canonical type of an attribute read from DER: its short name, or its dotted OID. */
function typeOfOid(oid) {
	return OID_TO_NAME.get(oid) ?? oid;
}
/**
* Flattens a Name's RDNs into their attributes in certificate order (most significant first, as
* OpenSSL prints it). Multi-valued RDNs contribute each of their attributes.
*/
function nameAttributes(rdns) {
	const out = [];
	for (const rdn of rdns) for (const a of rdn) out.push({
		type: typeOfOid(a.oid),
		value: a.value
	});
	return out;
}
const RFC4514_SPECIAL = /[,+"\\<>;=]/g;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;
/** Whether a value needs any of {@link escapeValue}'s escapes (most values need none). */
const NEEDS_ESCAPE = /[,+"\\<>;=\u0000-\u001f\u007f]|^[ #]| $/;
/** Escapes a value for an RFC 4514 string. */
function escapeValue(value) {
	if (!NEEDS_ESCAPE.test(value)) return value;
	let v = value.replace(RFC4514_SPECIAL, (c) => `\\${c}`);
	v = v.replace(CONTROL_CHARACTERS, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
	if (v.startsWith(" ") || v.startsWith("#")) v = `\\${v}`;
	if (v.endsWith(" ") && !v.endsWith("\\ ")) v = `${v.slice(0, -1)}\\ `;
	return v;
}
/**
* Formats a Name as an RFC 4514 string: least significant RDN first (`CN=billing-service,O=Acme`),
* the order .NET, Java and LDAP tools use; multi-valued RDNs are joined with `+`.
*
* @see RFC 4514 section 2
*/
function formatRfc4514(rdns) {
	const parts = [];
	for (let i = rdns.length - 1; i >= 0; i--) {
		const rdn = rdns[i];
		let part = "";
		for (let j = 0; j < rdn.length; j++) {
			const a = rdn[j];
			part += `${j > 0 ? "+" : ""}${typeOfOid(a.oid)}=${escapeValue(a.value)}`;
		}
		parts.push(part);
	}
	return parts.join(",");
}
/**
* Parses a distinguished name as people write it into a list of attributes, order kept:
* RFC 4514 (`CN=client,OU=prod,O=Acme`, escapes and `+` included), .NET (`CN=client, OU=prod`,
* quoted values), OpenSSL's default (`CN = client, O = Acme`) and its one-line form
* (`/CN=client/O=Acme`).
*
* @throws {Error} when the text is not a distinguished name (empty, or a part without `type=value`).
*/
function parseDistinguishedName(text) {
	const input = text.trim();
	if (input.startsWith("/")) return parseSlashForm(input);
	const out = [];
	let i = 0;
	while (i <= input.length) {
		const eq = input.indexOf("=", i);
		if (eq < 0) throw new Error(`"${text}" is not a distinguished name: "${input.slice(i)}" has no "="`);
		const type = input.slice(i, eq).trim();
		if (!ATTRIBUTE_TYPE.test(type)) throw new Error(`"${text}" is not a distinguished name: bad attribute type "${type}"`);
		const { value, end } = readValue(input, eq + 1);
		out.push({
			type: canonicalAttributeType(type),
			value
		});
		if (end >= input.length) break;
		i = end + 1;
	}
	return out;
}
function readValue(s, start) {
	let i = start;
	while (s[i] === " ") i++;
	if (s[i] === "\"") {
		let v = "";
		i++;
		while (i < s.length && s[i] !== "\"") {
			if (s[i] === "\\" && i + 1 < s.length) i++;
			v += s[i];
			i++;
		}
		if (s[i] !== "\"") throw new Error(`"${s}" has an unterminated quoted value`);
		i++;
		while (s[i] === " ") i++;
		if (i < s.length && !isSeparator(s[i])) throw new Error(`"${s}" has text after a quoted value`);
		return {
			value: v,
			end: i
		};
	}
	const bytes = [];
	let lastSignificant = 0;
	while (i < s.length && !isSeparator(s[i])) {
		const c = s[i];
		if (c === "\\" && i + 1 < s.length) {
			const hex = s.slice(i + 1, i + 3);
			if (/^[0-9a-fA-F]{2}$/.test(hex)) {
				bytes.push(parseInt(hex, 16));
				i += 3;
			} else {
				bytes.push(...Buffer.from(s[i + 1], "utf8"));
				i += 2;
			}
			lastSignificant = bytes.length;
			continue;
		}
		bytes.push(...Buffer.from(c, "utf8"));
		if (c !== " ") lastSignificant = bytes.length;
		i++;
	}
	return {
		value: Buffer.from(bytes.slice(0, lastSignificant)).toString("utf8"),
		end: i
	};
}
function isSeparator(c) {
	return c === "," || c === "+" || c === ";";
}
function parseSlashForm(input) {
	return input.slice(1).split(/(?<!\\)[/+]/).filter((p) => p.length > 0).map((part) => {
		const eq = part.indexOf("=");
		if (eq <= 0) throw new Error(`"${input}" is not a distinguished name: "${part}" has no "="`);
		const type = part.slice(0, eq).trim();
		if (!ATTRIBUTE_TYPE.test(type)) throw new Error(`"${input}" is not a distinguished name: bad attribute type "${type}"`);
		return {
			type: canonicalAttributeType(type),
			value: part.slice(eq + 1).replace(/\\(.)/g, "$1")
		};
	});
}
/**
* A key that is equal for two distinguished names exactly when they hold the same
* attribute=value pairs, in any order: types compared by canonical name, values exactly.
*/
function dnMatchKey(attributes) {
	return attributes.map((a) => JSON.stringify([a.type, a.value])).sort().join("\0");
}

// dist/x509/spiffe-id.js
/** Every SPIFFE ID starts with this, in lower case. */
const SPIFFE_SCHEME_PREFIX = "spiffe://";
/** The longest SPIFFE ID accepted, in bytes (SPIFFE-ID section 2.3). */
const MAX_SPIFFE_ID_BYTES = 2048;
/** The longest trust domain name accepted, in bytes (SPIFFE-ID section 2.3, RFC 3986's host). */
const MAX_TRUST_DOMAIN_BYTES = 255;
const SLASH = 47;
const DOT = 46;
/** `[a-z0-9.-_]`: what a trust domain name is made of (SPIFFE-ID section 2.1). */
function isTrustDomainChar(c) {
	return c >= 97 && c <= 122 || c >= 48 && c <= 57 || c === DOT || c === 45 || c === 95;
}
/** `[a-zA-Z0-9.-_]`: what a path segment is made of (SPIFFE-ID section 2.2). */
function isPathChar(c) {
	return isTrustDomainChar(c) || c >= 65 && c <= 90;
}
/** What an unexpected character means, for the message that names it. */
function characterProblem(c, where) {
	switch (c) {
		case 37: return "has percent-encoding (\"%\"), which SPIFFE IDs never use";
		case 63: return "has a query (\"?\")";
		case 35: return "has a fragment (\"#\")";
		case 42: return "has a \"*\" (only a trailing \"/*\" of a pattern is a wildcard)";
	}
	if (where === "trust domain") {
		if (c === 58) return "has a port (\":\") in its trust domain";
		if (c === 64) return "has userinfo (\"@\") in its trust domain";
		if (c >= 65 && c <= 90) return "has an upper-case trust domain (write it in lower case)";
		return `has ${describe$1(c)} in its trust domain, which allows only a-z, 0-9, ".", "-" and "_"`;
	}
	return `has ${describe$1(c)} in its path, whose segments allow only a-z, A-Z, 0-9, ".", "-" and "_"`;
}
function describe$1(c) {
	const hex = `U+${c.toString(16).toUpperCase().padStart(4, "0")}`;
	return c > 32 && c < 127 ? `"${String.fromCharCode(c)}" (${hex})` : hex;
}
/**
* Why `text` is not a SPIFFE ID, or `undefined` when it is one, by the SPIFFE ID specification:
* the scheme `spiffe` in lower case; a non-empty trust domain of `a-z 0-9 . - _` (so no port, no
* userinfo, no percent-encoding), at most 255 bytes; path segments of `a-z A-Z 0-9 . - _`, none
* empty, `.` or `..`, no trailing `/`; no query, no fragment; at most 2,048 bytes in all.
*
* `spiffe://td` (no path) is the trust domain's own ID. A workload's X.509-SVID never carries it
* (X509-SVID sections 3.1 and 5.2: a leaf's SPIFFE ID has a non-root path), so it is refused
* unless `trustDomainAlone` says it may stand alone (a pattern's prefix: `spiffe://td/*`).
*
* One pass over the characters, no regular expression: it runs on a new caller's first request.
*
* @example spiffeIdProblem('spiffe://example.org/ns/prod/sa/billing') // undefined
* @example spiffeIdProblem('spiffe://example.org/ns/prod/../admin') // 'has a ".." path segment'
* @see https://github.com/spiffe/spiffe/blob/main/standards/SPIFFE-ID.md
*/
function spiffeIdProblem(text, trustDomainAlone = false) {
	if (text.length > 2048) return "is longer than 2,048 bytes";
	if (!text.startsWith("spiffe://")) return asciiLower(text.slice(0, 9)) === "spiffe://" ? "has an upper-case scheme (write spiffe:// in lower case)" : "does not start with spiffe://";
	const start = 9;
	let i = start;
	for (; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === SLASH) break;
		if (!isTrustDomainChar(c)) return characterProblem(c, "trust domain");
	}
	if (i === start) return "has an empty trust domain";
	if (i - start > 255) return "has a trust domain longer than 255 bytes";
	if (i === text.length) return trustDomainAlone ? void 0 : "names a trust domain, not a workload (a workload ID has a path: spiffe://td/path)";
	let segment = i + 1;
	for (let j = segment; j <= text.length; j++) {
		const c = j === text.length ? SLASH : text.charCodeAt(j);
		if (c !== SLASH) {
			if (!isPathChar(c)) return characterProblem(c, "path");
			continue;
		}
		const length = j - segment;
		if (length === 0) return j === text.length ? "ends with \"/\"" : "has an empty path segment";
		if (text.charCodeAt(segment) === DOT) {
			if (length === 1) return "has a \".\" path segment";
			if (length === 2 && text.charCodeAt(segment + 1) === DOT) return "has a \"..\" path segment";
		}
		segment = j + 1;
	}
}
/**
* `true` when `text` is a SPIFFE ID a workload's X.509-SVID may carry: valid by
* {@link spiffeIdProblem}, with a path.
*/
function isSpiffeId(text) {
	return spiffeIdProblem(text) === void 0;
}
/**
* The SPIFFE ID of a certificate with these URI SANs: its one URI SAN when that is a valid
* workload SPIFFE ID, else `null`. An X.509-SVID has exactly one URI SAN; a certificate with two
* (of any scheme) is not one, and names no SPIFFE ID, whichever of its URIs looks like one.
*
* @see https://github.com/spiffe/spiffe/blob/main/standards/X509-SVID.md (sections 2 and 5.2)
*/
function spiffeIdOf(uris) {
	if (uris.length !== 1) return null;
	const uri = uris[0];
	return isSpiffeId(uri) ? uri : null;
}
/**
* The trust domain a SPIFFE ID names: what lies between `spiffe://` and the first `/`.
*
* @example trustDomainOf('spiffe://example.org/ns/prod/sa/billing') // 'example.org'
*/
function trustDomainOf(spiffeId) {
	const end = spiffeId.indexOf("/", 9);
	return spiffeId.slice(9, end < 0 ? void 0 : end);
}
/**
* Why `name` is not a trust domain name (SPIFFE-ID section 2.1), or `undefined` when it is one.
*
* @example trustDomainProblem('example.org') // undefined
*/
function trustDomainProblem(name) {
	if (name.includes("/")) return "is not a bare trust domain name (no scheme, no path)";
	return spiffeIdProblem(`${SPIFFE_SCHEME_PREFIX}${name}`, true);
}

// dist/x509/extension-values.js
/**
* Reads rfc822Name [1], dNSName [2], uniformResourceIdentifier [6] and iPAddress [7] from
* GeneralNames; other kinds (otherName, directoryName, ...) are skipped.
*
* @throws {Asn1Error} when the DER is not GeneralNames as OpenSSL decodes them.
* @see RFC 5280 section 4.2.1.6
*/
function readGeneralNames(der) {
	const names = {
		dns: [],
		uris: [],
		emails: [],
		ips: []
	};
	for (const name of readGeneralNames$1(firstElement(der))) {
		const value = Buffer.from(name.value);
		if (name.type === GeneralNameType.dNSName) names.dns.push(value.toString("latin1"));
		else if (name.type === GeneralNameType.uniformResourceIdentifier) names.uris.push(value.toString("latin1"));
		else if (name.type === GeneralNameType.rfc822Name) names.emails.push(value.toString("latin1"));
		else if (name.type === GeneralNameType.iPAddress) names.ips.push(ipText(name.value));
	}
	return names;
}
/**
* basicConstraints cA of a basicConstraints extension's value (DEFAULT FALSE).
*
* @throws {Asn1Error} when the DER is not BasicConstraints.
*/
function readBasicConstraintsCa(der) {
	const e = firstElement(der);
	if (!e.is(0, Tag.sequence)) throw new Asn1Error("BasicConstraints is a SEQUENCE");
	const ca = e.children().optional(0, Tag.boolean);
	return ca !== void 0 && ca.primitive(Tag.boolean)[0] !== 0;
}
/**
* The purposes of an extKeyUsage extension's value, dotted OIDs.
*
* @throws {Asn1Error} when the DER is not a SEQUENCE of OIDs.
*/
function readExtendedKeyUsage(der) {
	const e = firstElement(der);
	if (!e.is(0, Tag.sequence)) throw new Asn1Error("extKeyUsage is a SEQUENCE");
	return [...e.children()].map((purpose) => oidOf(purpose));
}
function ipText(bytes) {
	if (bytes.length === 4) return Array.from(bytes).join(".");
	if (bytes.length === 16) {
		const groups = [];
		for (let i = 0; i < 16; i += 2) groups.push((bytes[i] << 8 | bytes[i + 1]).toString(16));
		return groups.join(":");
	}
	return Buffer.from(bytes).toString("hex");
}

// dist/x509/client-identity.js
/** {@link RefusedCertificate} of `cert`. */
function refusedCertificate(cert, source) {
	const cns = cert.subject.split("\n").filter((line) => line.startsWith("CN="));
	return {
		commonName: cns.length === 1 ? cns[0].slice(3) : null,
		fingerprint256: cert.fingerprint256,
		source
	};
}
/** Where the matching keys of an identity live. */
const MATCH_KEYS = Symbol("mtls.identity.matchKeys");
/**
* Reads everything an authorization decision needs from a certificate, once. Callers cache the
* result (per TLS connection, or per forwarded header), so no request parses a certificate twice.
*
* @param commonNameAllowed whether the CN may stand for an identity (see `CertificatePolicy`): when
*   it says no, `commonName` is null and no pattern matches it.
* @throws {Error} when the DER cannot be parsed (only possible for forwarded input).
*/
function buildClientIdentity(cert, source, tbs = readCertificateParts(cert), commonNameAllowed) {
	const subjectName = readName$1(tbs.subject);
	let commonName = null;
	let cnCount = 0;
	for (const rdn of subjectName) for (const a of rdn) if (a.oid === "2.5.4.3") {
		commonName = a.value;
		cnCount++;
	}
	if (cnCount !== 1 || commonName !== null && commonNameAllowed?.(commonName) === false) commonName = null;
	const sanExtension = tbs.extensions.find((e) => e.oid === id_ce_subjectAltName);
	const san = sanExtension ? readGeneralNames(sanExtension.value) : {
		dns: [],
		uris: [],
		emails: [],
		ips: []
	};
	const dnsNames = san.dns;
	const uris = san.uris;
	const ips = san.ips.map(normalizeIp);
	const notBeforeMs = tbs.notBeforeMs ?? Date.parse(cert.validFrom);
	const notAfterMs = tbs.notAfterMs ?? Date.parse(cert.validTo);
	const fingerprint256 = cert.fingerprint256;
	const fingerprint = cert.fingerprint;
	const identity = {
		commonName,
		subject: formatRfc4514(subjectName),
		issuer: formatRfc4514(readName$1(tbs.issuer)),
		serialNumber: tbs.serialNumber ?? cert.serialNumber.toUpperCase(),
		fingerprint256,
		fingerprint,
		dnsNames,
		uris,
		emails: san.emails,
		ips,
		spiffeId: spiffeIdOf(uris),
		notBefore: tbs.notBefore ?? new Date(notBeforeMs).toISOString(),
		notAfter: tbs.notAfter ?? new Date(notAfterMs).toISOString(),
		source,
		[MATCH_KEYS]: new MatchKeys(commonName, dnsNames, uris, subjectName, fingerprint256, fingerprint, notBeforeMs, notAfterMs)
	};
	return Object.freeze(identity);
}
/**
* The match keys of a certificate's identity, each derived on first use: most identities are
* matched against a few kinds of pattern, or none (no allowlist), and a new caller's first
* request should not pay for the keys nobody reads. Values never change once derived.
*/
var MatchKeys = class {
	cn;
	dns;
	uris;
	subject;
	fingerprint256;
	fingerprint;
	notBeforeMs;
	notAfterMs;
	#commonName;
	#dnsNames;
	#dnKey;
	#sha256;
	#sha1;
	constructor(cn, dns, uris, subject, fingerprint256, fingerprint, notBeforeMs, notAfterMs) {
		this.cn = cn;
		this.dns = dns;
		this.uris = uris;
		this.subject = subject;
		this.fingerprint256 = fingerprint256;
		this.fingerprint = fingerprint;
		this.notBeforeMs = notBeforeMs;
		this.notAfterMs = notAfterMs;
	}
	get commonName() {
		if (this.#commonName === void 0) this.#commonName = this.cn === null ? null : asciiLower(this.cn);
		return this.#commonName;
	}
	get dnsNames() {
		return this.#dnsNames ??= this.dns.map(asciiLower);
	}
	get dnKey() {
		return this.#dnKey ??= dnMatchKey(nameAttributes(this.subject));
	}
	get sha256() {
		return this.#sha256 ??= asciiLower(this.fingerprint256.replaceAll(":", ""));
	}
	get sha1() {
		return this.#sha1 ??= asciiLower(this.fingerprint.replaceAll(":", ""));
	}
};
/** IPv6 in its compressed form (`::1`), through the WHATWG URL parser rather than by hand. */
function normalizeIp(ip) {
	if (!ip.includes(":")) return ip;
	try {
		return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
	} catch (cause) {
		throw new Error(`invalid IP address in subjectAltName: ${ip}`, { cause });
	}
}

// dist/x509/certificate-facts.js
/**
* The policy's usage rule, in one place (the guard and `explain` both ask it): a trusted
* certificate may authenticate a client when its extended key usages name clientAuth and it is
* not a CA. What the policy adds to a verdict that already covers the rest (an accepted
* handshake, or the chain verifier).
*/
function allowsClientAuth(ca, extKeyUsage) {
	return !ca && extKeyUsage?.includes("1.3.6.1.5.5.7.3.2") === true;
}
/**
* {@link allowsClientAuth} of a certificate, reading only its basicConstraints and extended key
* usage (a new caller's first request: no other extension is decoded).
*
* @throws {Error} when either extension does not parse.
*/
function isClientCertificate(tbs) {
	let ca = false;
	let extKeyUsage;
	for (const ext of tbs.extensions) if (ext.oid === "2.5.29.19") ca = readBasicConstraintsCa(ext.value);
	else if (ext.oid === "2.5.29.37") extKeyUsage = readExtendedKeyUsage(ext.value);
	return allowsClientAuth(ca, extKeyUsage);
}

// dist/x509/pem.js
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
/**
* Every `CERTIFICATE` block of a PEM bundle, in order. Text outside the blocks (comments, the
* "subject=" lines openssl writes) is ignored.
*
* @throws {Error} when a block does not parse; the message says which block.
*/
function parsePemCertificates(pem) {
	return (pem.match(PEM_CERTIFICATE) ?? []).map((block, i) => {
		try {
			return new X509Certificate(block);
		} catch (cause) {
			throw new Error(`certificate block ${i + 1} is not a valid X.509 certificate`, { cause });
		}
	});
}
/** `true` when the certificate names itself as issuer and its signature verifies with its own key. */
function isSelfSigned(cert) {
	return cert.issuer === cert.subject && safeVerify(cert, cert);
}
/**
* `true` when `issuer` (a certificate, or its public key already taken out, which saves creating
* a key object per check) signed `cert`; never throws (unsupported key types read as "no").
*/
function safeVerify(cert, issuer) {
	try {
		return cert.verify(issuer instanceof X509Certificate ? issuer.publicKey : issuer);
	} catch {
		return false;
	}
}

// dist/x509/certificate-policy.js
/** Which certificates may authenticate, as ASP.NET Core's `AllowedCertificateTypes`. */
const ALLOWED_CERTIFICATE_TYPES = [
	"chained",
	"self-signed",
	"all"
];
/**
* Decides whether a client certificate authenticates, and if not, why. One verdict, whichever
* way the certificate came:
*
* - **Direct TLS** ({@link evaluateHandshake}): OpenSSL's handshake verdict decides trust (chain,
*   signatures, validity, CRLs, the sslclient purpose, the security level). Nothing is rebuilt in
*   TypeScript, so a resumed session gets the answer of its full handshake. Only when OpenSSL
*   refused with one of the precise errors (OpenSSL reports its last error: an expired
*   certificate from an unknown CA reads "expired") does the {@link ChainVerifier} name the reason.
* - **Forwarded** ({@link evaluateForwarded}): the {@link ChainVerifier}, which applies what the
*   handshake applies, step for step, against the same bundle, CRLs and security level; a
*   generated differential test holds the two equal.
*
* Both then add what OpenSSL does not ask of a client certificate: the clientAuth extended key
* usage itself (OpenSSL accepts a leaf without any), no CA certificate as a client, and pins.
* Self-signed certificates are accepted only when allowed and pinned. A common name counts as an
* identity only when it satisfies, as a DNS name, the DNS name constraints of every CA on its path
* (OpenSSL checks a CN only when it has a dot, so `CN=billing-service` would pass a CA limited to
* `.good.example`). The identity (subject, SANs) is parsed only once the certificate is trusted.
*
* Pure: no I/O, no framework; callers remember outcomes (per certificate, connection, header).
*
* @see RFC 5280 section 4.2.1.12 (extended key usage), section 4.2.1.10 (name constraints)
*/
var CertificatePolicy = class {
	options;
	verifier;
	/**
	* Some CA of the bundle carries name constraints or RFC 3779 resources: the path of an accepted
	* direct certificate is looked at.
	*/
	bundleConstrains;
	constructor(options) {
		this.options = options;
		this.verifier = new ChainVerifier(options.trustStore, options.revocation, { securityLevel: options.securityLevel });
		this.bundleConstrains = options.trustStore.profiles.some((p) => p.nameConstraints !== void 0 || p.rfc3779);
	}
	/**
	* Direct TLS: the handshake's verdict, plus the policy's own rules.
	*
	* @param presented the certificates the client sent above its leaf, asked for only when a
	*   refusal's precise reason must be computed, or a path's name constraints read.
	* @throws {Error} only when an accepted certificate's DER cannot be parsed.
	*/
	evaluateHandshake(cert, tls, presented, now = Date.now()) {
		if (tls.authorized) {
			if (this.options.allowedTypes === "self-signed") return this.refuse(cert, "tls", MtlsReasonCode.CertUntrusted);
			const path = this.directPath(cert, presented, now);
			if (path === "resources") return this.refuse(cert, "tls", MtlsReasonCode.CertUntrusted);
			return this.accept(cert, "tls", void 0, path.constraints, now, path.anchor);
		}
		const selfSigned = this.judgeSelfSigned(cert, "tls", now);
		if (selfSigned) return selfSigned;
		const mapped = reasonForTlsError(tls.error);
		if (!isPreciseTlsError(tls.error)) return this.refuse(cert, "tls", mapped);
		const verdict = this.verifier.verify(cert, presented(), now);
		return this.refuse(cert, "tls", verdict.ok ? mapped : verdict.code);
	}
	/**
	* A certificate no handshake of this service has judged under its current trust: forwarded by a
	* proxy, or on a connection opened before the trust configuration changed.
	*
	* @throws {Error} only when the certificate's DER cannot be parsed.
	*/
	evaluateForwarded(cert, source = "forwarded", presented = [], now = Date.now()) {
		const selfSigned = this.judgeSelfSigned(cert, source, now);
		if (selfSigned) return selfSigned;
		const verdict = this.verifier.verify(cert, presented, now);
		if (!verdict.ok) return this.refuse(cert, source, verdict.code);
		const anchor = verdict.chain[verdict.chain.length - 1];
		return this.accept(cert, source, verdict.chain, constraintsOf(verdict.profiles), now, anchor);
	}
	/**
	* A forwarded certificate whose proxy said its own verification failed (nginx
	* `FAILED:<reason>`, HAProxy's non-zero `ssl_c_verify`): refused whatever this service would
	* say, as a failed handshake is. The reason is the proxy's when it is one of the precise ones
	* (expired, not yet valid, revoked, purpose), confirmed as the handshake's is: OpenSSL reports
	* its last error, so the verifier names the first reason when it refuses too.
	*
	* @param error the OpenSSL name of the proxy's error (`CERT_HAS_EXPIRED`), or `''` when unknown.
	* @param presented the chain the proxy forwarded with it.
	*/
	evaluateProxyRefusal(cert, error, presented = [], now = Date.now()) {
		const mapped = reasonForTlsError(error);
		if (!isPreciseTlsError(error)) return this.refuse(cert, "forwarded", mapped);
		let code = mapped;
		try {
			const verdict = this.verifier.verify(cert, presented, now);
			if (!verdict.ok) code = verdict.code;
		} catch {}
		return this.refuse(cert, "forwarded", code);
	}
	/** The trust domains this policy holds certificates to (the doctor names them). */
	get trustDomains() {
		return this.options.trustDomains;
	}
	/**
	* The trusted path of a certificate the handshake accepted, leaf first, for an OCSP request
	* (which names the issuer); `undefined` when it cannot be rebuilt (a resumed session whose
	* intermediates are not in the bundle).
	*/
	trustedChain(cert, presented) {
		const verdict = this.verifier.verify(cert, presented);
		return verdict.ok ? verdict.chain : void 0;
	}
	/**
	* What a direct outcome depends on beyond the leaf and the handshake's verdict: the CAs the
	* client sent that are not in the bundle (their path may carry name constraints, and a precise
	* refusal's reason depends on them). `''` when there are none, which is nearly always: the
	* remembered outcome of a certificate is then shared by every connection that presents it.
	*/
	chainKey(presented) {
		let key = "";
		for (const cert of presented) if (cert.ca && !this.options.trustStore.contains(cert)) key += `|${cert.fingerprint256}`;
		return key;
	}
	/** The verifier this policy judges forwarded certificates with (the doctor explains its steps). */
	get chainVerifier() {
		return this.verifier;
	}
	/**
	* The name constraints on the path of a certificate the handshake accepted, or `'resources'`
	* when a certificate of the path carries RFC 3779 address or AS blocks (resource certificates
	* identify no client here; the forwarded verifier refuses them too). Only looked for when some
	* CA could carry them: one of the bundle, or one the client sent that is not in it.
	*/
	directPath(cert, presented, now) {
		const sent = presented();
		if (!this.bundleConstrains && !this.options.trustDomains && this.chainKey(sent) === "") return {
			constraints: [],
			anchor: "unknown"
		};
		const verdict = this.verifier.verify(cert, sent, now);
		if (verdict.ok) {
			const anchor = verdict.chain[verdict.chain.length - 1];
			return {
				constraints: constraintsOf(verdict.profiles),
				anchor
			};
		}
		if (verdict.path.some((c) => this.verifier.profileOf(c).rfc3779)) return "resources";
		return {
			constraints: "unknown",
			anchor: "unknown"
		};
	}
	/** `undefined` unless `cert` is self-signed and not in the bundle; then the whole verdict. */
	judgeSelfSigned(cert, source, now) {
		const { trustStore, allowedTypes, pins } = this.options;
		if (!isSelfSigned(cert) || trustStore.contains(cert)) return allowedTypes === "self-signed" ? this.refuse(cert, source, MtlsReasonCode.CertUntrusted) : void 0;
		if (allowedTypes === "chained" || !pins.matchesCertificate(cert)) return this.refuse(cert, source, MtlsReasonCode.CertUntrusted);
		const identity = buildClientIdentity(cert, source);
		const { trustDomains } = this.options;
		if (trustDomains && identity.spiffeId !== null) return {
			...this.refuse(cert, source, MtlsReasonCode.CertUntrusted),
			detail: `${identity.spiffeId} is a pinned self-signed certificate: only a CA of its trust domain's bundle may vouch for a SPIFFE ID`
		};
		return checkValidity(identity, now) ?? {
			ok: true,
			identity
		};
	}
	/** A trusted certificate: usage, then pins. */
	accept(cert, source, chain, constraints, now, anchor) {
		const tbs = readCertificateParts(cert);
		if (hasResources(tbs)) return this.refuse(cert, source, MtlsReasonCode.CertUntrusted);
		const { trustDomains } = this.options;
		if (trustDomains) {
			const domain = trustDomains.judge(spiffeIdOfParts(tbs), anchor);
			if (!domain.ok) return {
				...this.refuse(cert, source, MtlsReasonCode.CertUntrusted),
				detail: domain.detail
			};
		}
		if (!isClientCertificate(tbs)) return this.refuse(cert, source, MtlsReasonCode.CertInvalidUsage);
		const { pins, pinsReportOnly } = this.options;
		const unpinned = pins.enabled && !pins.matchesCertificate(cert);
		if (unpinned && !pinsReportOnly) return this.refuse(cert, source, MtlsReasonCode.FingerprintForbidden);
		const identity = buildClientIdentity(cert, source, tbs, commonNameRule(constraints));
		const invalid = checkValidity(identity, now);
		if (invalid) return invalid;
		const accepted = chain ? {
			ok: true,
			identity,
			chain
		} : {
			ok: true,
			identity
		};
		return unpinned ? {
			...accepted,
			wouldRefuse: MtlsReasonCode.FingerprintForbidden
		} : accepted;
	}
	refuse(cert, source, code) {
		return {
			ok: false,
			code,
			identity: refusedCertificate(cert, source)
		};
	}
};
/**
* The SPIFFE ID of a certificate, as `ClientIdentity.spiffeId` reads it; `null` without one or
* when its extensions cannot be read.
*/
function spiffeIdOfCertificate(cert) {
	try {
		return spiffeIdOfParts(readCertificateParts(cert));
	} catch {
		return null;
	}
}
/** The SPIFFE ID of a certificate's subjectAltName, as `ClientIdentity.spiffeId` reads it. */
function spiffeIdOfParts(tbs) {
	const san = tbs.extensions.find((e) => e.oid === id_ce_subjectAltName);
	return san ? spiffeIdOf(readGeneralNames(san.value).uris) : null;
}
/** `true` when a certificate carries RFC 3779 IP address or AS identifier blocks. */
function hasResources(tbs) {
	return tbs.extensions.some((e) => e.oid === "1.3.6.1.5.5.7.1.7" || e.oid === "1.3.6.1.5.5.7.1.8");
}
/** The name constraints of the CAs of a verified path (the leaf's own do not bind it). */
function constraintsOf(path) {
	const out = [];
	for (let i = 1; i < path.length; i++) {
		const nc = path[i].nameConstraints;
		if (nc) out.push(nc);
	}
	return out;
}
/** Whether a common name may stand for an identity under `constraints` (see {@link CertificatePolicy}). */
function commonNameRule(constraints) {
	if (constraints === "unknown") return () => false;
	if (constraints.length === 0) return void 0;
	return (commonName) => {
		const name = Buffer.from(commonName, "utf8");
		return constraints.every((nc) => dnsNameAllowed(name, nc));
	};
}
/**
* The refusal of an identity that has expired by `now`, else `undefined`: what a remembered
* identity is re-checked with once its expiry time has come. Only expiry: an identity accepted
* once was valid then, and `now` may come from a clock that lags by a fraction of a second (see
* coarse-clock.ts), which must not turn a certificate issued a moment ago into "not yet valid".
*/
function checkExpiry(identity, now) {
	if (now > identity[MATCH_KEYS].notAfterMs) return {
		ok: false,
		code: MtlsReasonCode.CertExpired,
		identity
	};
}
/** `undefined` while the identity is inside its validity period at `now`, else the refusal. */
function checkValidity(identity, now) {
	const expired = checkExpiry(identity, now);
	if (expired) return expired;
	if (now < identity[MATCH_KEYS].notBeforeMs) return {
		ok: false,
		code: MtlsReasonCode.CertNotYetValid,
		identity
	};
}

// dist/records/auth-entry.js
/**
* A remembered authentication: of a direct TLS connection (for every request it carries), or of a
* forwarded certificate header (for every request that repeats it).
*
* What is fixed at creation is `readonly`; what changes later (the outcome turning into a
* refusal, the strategy's user, OCSP's word, the allowlist's verdict) is private and changes only
* through the methods below, each named for the event. The fast path reads `user` (one getter,
* inlined) on every request.
*/
var AuthEntry = class {
	owner;
	delegates;
	/** The trust configuration's generation when this entry was judged. */
	generation;
	/** Where the outcome's identity came from, when it carries one (counted on every success). */
	source;
	#outcome;
	#user = void 0;
	#validation = void 0;
	#ocspValidUntil = void 0;
	#recheckAt;
	#allowlist = void 0;
	#allowed = false;
	#verdicts = void 0;
	/**
	* @param owner whose generation the entry belongs to (a reload bumps it: the entry is stale).
	* @param delegates a connection entry only: its caller is a trusted forwarder, so each of its
	*   requests may carry an entry of its own (the callers it acts for). Otherwise no request on
	*   the connection ever has one, and the connection's entry answers without a second lookup.
	*/
	constructor(owner, outcome, delegates = false) {
		this.owner = owner;
		this.delegates = delegates;
		this.generation = owner.generation;
		this.source = outcome.identity?.source;
		this.#outcome = outcome;
		this.#recheckAt = outcome.ok ? outcome.identity[MATCH_KEYS].notAfterMs : Infinity;
	}
	/** The verdict: an identity, or a reason code. A success may later turn into a refusal. */
	get outcome() {
		return this.#outcome;
	}
	/**
	* What the strategy's `validate()` made of the identity, once it succeeded. Only ever set while
	* the outcome is a success: a defined `user` means an accepted entry.
	*/
	get user() {
		return this.#user;
	}
	/** OCSP answered for this entry (so the fast path may use it) until this epoch ms. */
	get ocspValidUntil() {
		return this.#ocspValidUntil;
	}
	/**
	* Epoch ms after which the entry must be looked at again before it answers: the identity's
	* notAfter or the end of the OCSP answer, whichever comes first; never for a refusal. Kept on
	* the entry itself so the per-request check reads one field of an object already loaded, not
	* the identity's (measured: the walk to the identity's notAfter was half of the fast path's cost
	* on Express, every object on it a cache miss).
	*/
	get recheckAt() {
		return this.#recheckAt;
	}
	/** The service-wide allowlist that last judged this entry's identity. */
	get allowlist() {
		return this.#allowlist;
	}
	/** Turns the entry into a refusal (expired, revoked): it answers with `outcome` from now on. */
	refuse(outcome) {
		this.#outcome = outcome;
		this.#user = void 0;
		this.#verdicts = void 0;
		this.#validation = void 0;
		this.#recheckAt = Infinity;
	}
	/**
	* Records what `validate()` made of an accepted entry's identity, and that it is no longer
	* running. A refused entry keeps none, and neither does a falsy result (the caller is refused,
	* and asked about again on its next request, as is one whose `validate()` threw: `undefined`).
	*/
	rememberUser(user) {
		this.#validation = void 0;
		if (this.#outcome.ok && user) this.#user = user;
	}
	/**
	* The `validate()` still running for this entry, if any: a second request of the same caller
	* waits for it instead of calling `validate()` again.
	*/
	get validation() {
		return this.#validation;
	}
	/** Records a `validate()` that has not settled yet (see {@link validation}). */
	validating(pending) {
		this.#validation = pending;
	}
	/** Records that OCSP vouched for an accepted entry's certificate until `validUntil` (epoch ms). */
	trustOcspUntil(validUntil) {
		this.#ocspValidUntil = validUntil;
		this.#recheckAt = Math.min(this.#recheckAt, validUntil);
	}
	/**
	* The service-wide allowlist's verdict on this accepted entry's `identity`, remembered for as
	* long as the allowlist is the same: a keep-alive caller is matched against the patterns once,
	* not on every request.
	*/
	allowedBy(identity, allowlist) {
		if (this.#allowlist !== allowlist) {
			this.#allowed = allowlist(identity);
			this.#allowlist = allowlist;
		}
		return this.#allowed;
	}
	/** What authorization decided for this entry on the route `rule` stands for, if it has. */
	verdictOn(rule) {
		return this.#verdicts?.get(rule);
	}
	/** Remembers {@link verdictOn} (for as long as the entry is current). */
	rememberVerdict(rule, verdict) {
		(this.#verdicts ??= /* @__PURE__ */ new Map()).set(rule, verdict);
	}
	/**
	* This entry if it is current at `now`: same trust generation, and a remembered identity not
	* expired (else the entry turns into a refusal, kept); `undefined` when stale.
	*/
	current(now) {
		if (this.generation !== this.owner.generation) return void 0;
		if (now > this.#recheckAt) this.recheck(now);
		return this;
	}
	/** An accepted entry whose certificate or OCSP answer may have run out by `now`. */
	recheck(now) {
		const outcome = this.#outcome;
		if (!outcome.ok) return;
		if (this.#ocspValidUntil !== void 0 && now > this.#ocspValidUntil) {
			this.#ocspValidUntil = void 0;
			this.#user = void 0;
		}
		const expired = checkExpiry(outcome.identity, now);
		if (expired) return this.refuse(expired);
		this.#recheckAt = Math.min(outcome.identity[MATCH_KEYS].notAfterMs, this.#ocspValidUntil ?? Infinity);
	}
};

// dist/records/judged-certificates.js
/**
* What direct TLS certificates were judged to, across connections, keyed by the certificate's
* SHA-256 and the handshake's verdict (the same certificate can be authorized on one connection
* and not on another: an intermediate sent or not). A caller that reconnects pays one lookup, not
* an identity extraction, and shares its entry (with what `validate()` made of it) with its
* earlier connections. The owner clears it on every trust change, and remembered identities are
* still re-checked for expiry by their entries.
*
* Bounded by two generations of plain `Map`s rather than an LRU list: a lookup is one `Map.get`
* on a new connection, measured at half of `lru-cache`'s `get` there (~6 against ~12 µs with
* the caches cold after a handshake, Node 24). Entries are added to the young generation; when it
* holds half of `max`, it becomes the old one and the previous old one is dropped. A hit in the
* old generation moves the entry back to the young one, so an entry is forgotten only after
* between `max / 2` and `max` other certificates were judged since it was last used, and no more
* than `max` are ever held.
*/
var JudgedCertificates = class {
	young = /* @__PURE__ */ new Map();
	old = /* @__PURE__ */ new Map();
	generationSize;
	constructor(max) {
		this.generationSize = Math.max(1, Math.ceil(max / 2));
	}
	get(fingerprint256, verdict) {
		const k = key(fingerprint256, verdict);
		const value = this.young.get(k);
		if (value !== void 0) return value;
		const older = this.old.get(k);
		if (older !== void 0) {
			this.old.delete(k);
			this.add(k, older);
		}
		return older;
	}
	set(fingerprint256, verdict, value) {
		const k = key(fingerprint256, verdict);
		if (this.young.has(k)) this.young.set(k, value);
		else {
			this.old.delete(k);
			this.add(k, value);
		}
	}
	clear() {
		this.young.clear();
		this.old.clear();
	}
	get size() {
		return this.young.size + this.old.size;
	}
	add(k, value) {
		this.young.set(k, value);
		if (this.young.size >= this.generationSize) {
			this.old = this.young;
			this.young = /* @__PURE__ */ new Map();
		}
	}
};
/**
* The cache key: the fingerprint alone for an authorized handshake (nearly every lookup; no new
* string to build and hash), the fingerprint and the error otherwise. A fingerprint has no `|`.
*/
function key(fingerprint256, verdict) {
	return verdict === "OK" ? fingerprint256 : `${fingerprint256}|${verdict}`;
}

// dist/ocsp/ocsp-mode.js
/** `off`; `soft`: only a "revoked" answer refuses; `hard`: anything but "good" refuses. */
const OCSP_MODES = [
	"off",
	"soft",
	"hard"
];

// dist/x509/crl-set.js
const PEM_CRL = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/g;
/** Each `X509 CRL` block of a PEM text, whole, in order. */
function splitPemCrls(pem) {
	return [...pem.matchAll(PEM_CRL)].map((match) => match[0]);
}
/** `CRL_REASON_REMOVE_FROM_CRL`: an entry of a delta CRL that means "no longer revoked". */
const REMOVE_FROM_CRL = 8n;
/** `get_crl_score` bits (crypto/x509/x509_vfy.c). */
const Score = {
	noCritical: 256,
	scope: 128,
	time: 64,
	issuerName: 32,
	issuerCert: 24,
	samePath: 8,
	akid: 4
};
/**
* The CRLs of the trusted CAs, for checking certificates no handshake has checked (forwarded
* ones), as Node's `crl` option makes OpenSSL check them (`X509_V_FLAG_CRL_CHECK_ALL`, without
* delta CRLs or extended CRL support): for each certificate of a path, the CRLs named for its
* issuer are scored as `get_crl_score` does (unhandled critical extensions, times, the issuer
* found by key identifier on the path, the issuing distribution point's scope), the best one (the
* latest of equal ones) checked (the issuer's cRLSign, scope, times, signature) and the
* certificate looked up in it by serial number (a `removeFromCRL` entry revokes nothing).
* Without a CRL for an issuer a certificate reads "unable to get CRL", which refuses it.
*
* @throws {Error} at construction when a CRL does not parse, has a time not in RFC 5280's form
*   (never current for OpenSSL), no trusted CA signed it, or a CA of the bundle has none (Node
*   would fail every handshake through it later).
* @see RFC 5280 section 5
*/
var CrlSet = class {
	crls = [];
	infos = [];
	constructor(pem, cas) {
		const profiles = cas.map((ca) => new CertificateProfile(ca));
		const covered = /* @__PURE__ */ new Set();
		const deltas = /* @__PURE__ */ new Set();
		let index = 0;
		for (const match of pem.matchAll(PEM_CRL)) {
			index++;
			const der = Buffer.from((match[1] ?? "").replace(/\s+/g, ""), "base64");
			let crl;
			try {
				crl = readCrl(der);
			} catch (cause) {
				throw new Error(`CRL ${index} is not a valid X.509 CRL`, { cause });
			}
			if (crl.malformedTime !== void 0) throw new Error(`CRL ${index}: its ${crl.malformedTime} is not a time in RFC 5280's form (YYMMDDHHMMSSZ, or YYYYMMDDHHMMSSZ): OpenSSL never takes this CRL as current; reissue it`);
			const signers = profiles.map((p, i) => ({
				p,
				i
			})).filter(({ p }) => p.subjectKey === crl.issuerKey && crlVerifies(crl, p));
			const first = signers[0];
			if (!first) throw new Error(`CRL ${index} is not signed by any CA in the trusted bundle`);
			for (const { p, i } of signers) if (crl.delta) deltas.add(p.cert);
			else covered.add(i);
			this.crls.push(crl);
			this.infos.push({
				issuer: first.p.cert,
				thisUpdate: crl.lastUpdateDate,
				nextUpdate: crl.nextUpdateDate
			});
		}
		if (index === 0) throw new Error("holds no \"BEGIN X509 CRL\" block");
		const missing = cas.filter((_, i) => !covered.has(i));
		const deltaOnly = missing.filter((ca) => deltas.has(ca));
		if (deltaOnly.length > 0) throw new Error(`only a delta CRL from ${deltaOnly.map((ca) => `"${ca.subject.replaceAll("\n", ", ")}"`).join(" and ")}: Node's OpenSSL does not use a delta CRL on its own; add the full CRL it extends`);
		if (missing.length > 0) throw new Error(`no CRL from ${missing.map((ca) => `"${ca.subject.replaceAll("\n", ", ")}"`).join(" and ")}: Node needs a current CRL from every CA of the trusted bundle; add one per CA`);
	}
	/** How many CRLs were loaded. */
	get size() {
		return this.crls.length;
	}
	/** Each loaded CRL, in the order of the file: its issuer and dates. */
	get lists() {
		return this.infos;
	}
	/**
	* The revocation errors of the certificate at `index` of `chain` (`check_cert`), named as
	* OpenSSL names them; none when a current CRL in scope says it is not revoked.
	*
	* @param now epoch seconds.
	*/
	check(chain, index, now) {
		const x = chain[index];
		const errors = [];
		if (x.proxy) return errors;
		let reasons = 0;
		while (reasons !== ALL_REASONS) {
			const last = reasons;
			const best = this.bestCrl(chain, index, reasons, now);
			if (!best) {
				errors.push("UNABLE_TO_GET_CRL");
				break;
			}
			reasons = best.reasons;
			this.checkCrl(best, chain, now, errors);
			if (best.crl.critical) errors.push("UNHANDLED_CRITICAL_CRL_EXTENSION");
			const entry = best.crl.revoked.get(x.serial)?.find((e) => revokedIssuerMatches(e, x, best.crl));
			if (entry && entry.reason !== REMOVE_FROM_CRL) errors.push("CERT_REVOKED");
			if (last === reasons) {
				errors.push("UNABLE_TO_GET_CRL");
				break;
			}
		}
		return errors;
	}
	/** `get_crl_sk` over the CRLs named for the certificate's issuer: the best score, the latest. */
	bestCrl(chain, index, reasons, now) {
		const x = chain[index];
		let best;
		for (const crl of this.crls) {
			if (crl.issuerKey !== x.issuerKey) continue;
			const scored = score(crl, chain, index, reasons, now);
			if (!scored || scored.score < (best?.score ?? 0)) continue;
			if (best && scored.score === best.score) {
				const [a, b] = [best.crl.lastUpdate, crl.lastUpdate];
				if (a === void 0 || b === void 0 || b <= a) continue;
			}
			best = {
				crl,
				...scored
			};
		}
		return best;
	}
	/** `check_crl`: the issuer may sign CRLs, the CRL is in scope, current and signed by it. */
	checkCrl(best, chain, now, errors) {
		const { crl, score: value } = best;
		const issuer = chain[best.issuer];
		if (issuer.keyUsage !== void 0 && (issuer.keyUsage & KeyUsageBit.cRLSign) === 0) errors.push("KEYUSAGE_NO_CRL_SIGN");
		if ((value & Score.scope) === 0) errors.push("DIFFERENT_CRL_SCOPE");
		if ((value & Score.time) === 0) errors.push(...crlTimeErrors(crl, now));
		if (issuer.publicKey === void 0) errors.push("UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY");
		else if (!crlVerifies(crl, issuer)) errors.push("CRL_SIGNATURE_FAILURE");
	}
};
/** `get_crl_score` (no extended CRL support), with the index of the CRL's issuer on the path. */
function score(crl, chain, index, reasons, now) {
	const idp = crl.idp;
	if (idp?.invalid || idp?.indirect || idp?.someReasons || crl.delta) return void 0;
	let value = Score.issuerName;
	if (!crl.critical) value |= Score.noCritical;
	if (crlTimeErrors(crl, now).length === 0) value |= Score.time;
	let issuer = index === chain.length - 1 ? index : index + 1;
	if (checkAkid(chain[issuer], crl.akid)) value |= Score.akid | Score.issuerCert;
	else {
		let found = false;
		for (issuer++; issuer < chain.length; issuer++) {
			const candidate = chain[issuer];
			if (candidate.subjectKey !== crl.issuerKey) continue;
			if (checkAkid(candidate, crl.akid)) {
				value |= Score.akid | Score.samePath;
				found = true;
				break;
			}
		}
		if (!found) return void 0;
	}
	const scope = crldpCheck(chain[index], crl, value);
	let newReasons = reasons;
	if (scope !== void 0) {
		if ((scope & ~reasons) === 0) return void 0;
		newReasons = reasons | scope;
		value |= Score.scope;
	}
	return {
		score: value,
		reasons: newReasons,
		issuer
	};
}
/** `crl_crldp_check`: the reasons a CRL covers for `x`, `undefined` when it is out of its scope. */
function crldpCheck(x, crl, value) {
	const idp = crl.idp;
	if (idp?.onlyAttributes) return void 0;
	if (x.ca ? idp?.onlyUser : idp?.onlyCa) return void 0;
	const reasons = idp?.reasons ?? 32895;
	for (const dp of x.distributionPoints) if (crlIssuerMatches(dp, crl, value) && (!idp || sameDpName(dp.name, idp.distributionPoint))) return reasons & dp.reasons;
	return (!idp || !idp.distributionPoint) && (value & Score.issuerName) !== 0 ? reasons : void 0;
}
/** `crldp_check_crlissuer`. */
function crlIssuerMatches(dp, crl, value) {
	if (!dp.crlIssuer) return (value & Score.issuerName) !== 0;
	return dp.crlIssuer.some((n) => n.type === GeneralNameType.directoryName && latin1(n.value) === crl.issuerKey);
}
/** `idp_check_dp`: the two distribution point names name the same thing. */
function sameDpName(a, b) {
	if (!a || !b) return true;
	if (a.kind === "relative" && b.kind === "relative") return a.name !== void 0 && a.name === b.name;
	if (a.kind === "relative" || b.kind === "relative") {
		const [relative, full] = a.kind === "relative" ? [a, b] : [b, a];
		if (relative.kind !== "relative" || full.kind !== "full" || relative.name === void 0) return false;
		const name = relative.name;
		return full.names.some((n) => n.type === GeneralNameType.directoryName && latin1(n.value) === name);
	}
	return a.names.some((x) => b.names.some((y) => sameGeneralName(x, y)));
}
/** `crl_revoked_issuer_match`: the entry is for `x`'s issuer. */
function revokedIssuerMatches(entry, x, crl) {
	if (entry.issuers === void 0) return x.issuerKey === crl.issuerKey;
	return entry.issuers.includes(x.issuerKey);
}
function sameGeneralName(a, b) {
	return a.type === b.type && Buffer.from(a.value).equals(Buffer.from(b.value));
}
/** `check_crl_time`'s errors at `now` (epoch seconds). */
function crlTimeErrors(crl, now) {
	const errors = [];
	if (crl.lastUpdate === void 0) errors.push("ERROR_IN_CRL_LAST_UPDATE_FIELD");
	else if (crl.lastUpdate > now) errors.push("CRL_NOT_YET_VALID");
	if (crl.nextUpdate === void 0) errors.push("ERROR_IN_CRL_NEXT_UPDATE_FIELD");
	else if (crl.nextUpdate !== null && crl.nextUpdate <= now) errors.push("CRL_HAS_EXPIRED");
	return errors;
}
/** `X509_CRL_verify`: both algorithm identifiers alike, the signature by `issuer`'s key. */
function crlVerifies(crl, issuer) {
	if (!issuer.publicKey || !Buffer.from(crl.algorithm).equals(Buffer.from(crl.innerAlgorithm))) return false;
	return verifySignedData(crl.algorithm, crl.tbs, crl.signature, issuer.publicKey);
}
const ID_CE_CRL_REASONS = "2.5.29.21";
const ID_CE_DELTA_CRL = "2.5.29.27";
const ID_CE_ISSUING_DP = "2.5.29.28";
const ID_CE_CERTIFICATE_ISSUER = "2.5.29.29";
const ID_CE_AKID = "2.5.29.35";
/** Reads a DER CRL as OpenSSL's `X509_CRL` decoder and its callback do. */
function readCrl(der) {
	const outer = firstElement(der);
	if (!outer.is(0, Tag.sequence)) throw new Asn1Error("a CRL is a SEQUENCE");
	const parts = outer.children();
	const tbsElement = parts.expect(0, Tag.sequence);
	const algorithm = parts.expect(0, Tag.sequence);
	const signature = parts.expect(0, Tag.bitString).primitive(Tag.bitString);
	parts.done();
	const tbs = tbsElement.children();
	tbs.optional(0, Tag.integer)?.primitive(Tag.integer);
	const innerAlgorithm = tbs.expect(0, Tag.sequence);
	const issuer = readName(tbs.expect(0, Tag.sequence));
	const thisUpdate = timeElement(tbs);
	if (!thisUpdate) throw new Asn1Error("a CRL needs a thisUpdate");
	const nextUpdate = timeElement(tbs);
	const revoked = /* @__PURE__ */ new Map();
	let critical = false;
	let issuers;
	let stopped = false;
	const list = tbs.optional(0, Tag.sequence);
	for (const item of list?.children() ?? []) {
		const fields = item.children();
		const serial = integerValue(fields.expect(0, Tag.integer).primitive(Tag.integer));
		if (!timeElement(fields)) throw new Asn1Error("a CRL entry needs a revocationDate");
		const extensions = fields.optional(0, Tag.sequence);
		fields.done();
		const exts = extensions ? readExtensions(extensions) : [];
		let entry = {
			reason: 0n,
			issuers: void 0
		};
		if (!stopped) {
			const names = decodeOnce(exts, ID_CE_CERTIFICATE_ISSUER, (e) => readGeneralNames$1(e).filter((n) => n.type === GeneralNameType.directoryName).map((n) => latin1(n.value)));
			if (names === null) stopped = true;
			else {
				issuers = names ?? issuers;
				const reason = decodeOnce(exts, ID_CE_CRL_REASONS, (e) => {
					if (!e.is(0, Tag.enumerated)) throw new Asn1Error("CRLReason is ENUMERATED");
					return integerValue(e.primitive(Tag.enumerated));
				});
				if (reason === null) {
					stopped = true;
					entry = {
						reason: 0n,
						issuers
					};
				} else {
					entry = {
						reason,
						issuers
					};
					if (exts.some((ext) => ext.critical && ext.oid !== ID_CE_CERTIFICATE_ISSUER)) critical = true;
				}
			}
		}
		const entries = revoked.get(serial) ?? [];
		entries.push(entry);
		revoked.set(serial, entries);
	}
	let akid;
	let idp;
	let delta = false;
	const extensionsElement = tbs.optional(128, 0);
	tbs.done();
	if (extensionsElement) {
		const inner = extensionsElement.children();
		const sequence = inner.expect(0, Tag.sequence);
		inner.done();
		const exts = readExtensions(sequence);
		const issuerKey = latin1(canonicalOf(issuer));
		idp = decodeOnce(exts, ID_CE_ISSUING_DP, (e) => readIdp(e, issuerKey)) ?? void 0;
		akid = decodeOnce(exts, ID_CE_AKID, akidOf) ?? void 0;
		delta = decodeOnce(exts, ID_CE_DELTA_CRL, (e) => {
			if (!e.is(0, Tag.integer)) throw new Asn1Error("BaseCRLNumber is an INTEGER");
			e.primitive(Tag.integer);
			return true;
		}) === true;
		for (const ext of exts) if (ext.critical && ![
			ID_CE_ISSUING_DP,
			ID_CE_AKID,
			ID_CE_DELTA_CRL
		].includes(ext.oid)) critical = true;
	}
	const thisTime = readTime(thisUpdate.bytes, thisUpdate.start);
	const nextTime = nextUpdate ? readTime(nextUpdate.bytes, nextUpdate.start) : void 0;
	const text = (e) => `"${latin1(e.bytes.subarray(e.contentStart, e.contentEnd))}"`;
	return {
		issuerKey: latin1(canonicalOf(issuer)),
		lastUpdate: thisTime === void 0 ? void 0 : thisTime.ms / 1e3,
		lastUpdateDate: new Date(thisTime?.ms ?? NaN),
		nextUpdate: nextUpdate ? nextTime === void 0 ? void 0 : nextTime.ms / 1e3 : null,
		nextUpdateDate: nextTime ? new Date(nextTime.ms) : void 0,
		malformedTime: !thisTime ? `thisUpdate ${text(thisUpdate)}` : nextUpdate && !nextTime ? `nextUpdate ${text(nextUpdate)}` : void 0,
		critical,
		akid,
		idp,
		delta,
		revoked,
		tbs: tbsElement.encoding,
		algorithm: algorithm.encoding,
		innerAlgorithm: innerAlgorithm.encoding,
		signature: signature.subarray(1)
	};
}
/** The next element of `fields` if it is a UTCTime or GeneralizedTime. */
function timeElement(fields) {
	const e = fields.peek();
	if (e?.is(0, Tag.utcTime) || e?.is(0, Tag.generalizedTime)) {
		e.primitive(e.tag);
		return fields.next();
	}
}
/** `Extensions`: each `SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue }`. */
function readExtensions(e) {
	return [...e.children()].map((ext) => {
		const fields = ext.children();
		const oid = oidOf(fields.expect(0, Tag.oid));
		const flag = fields.optional(0, Tag.boolean);
		const value = fields.expect(0, Tag.octetString).primitive(Tag.octetString);
		fields.done();
		return {
			oid,
			critical: flag ? flag.primitive(Tag.boolean)[0] !== 0 : false,
			value
		};
	});
}
/**
* The value of the extension `oid` decoded by `decode` (`X509_CRL_get_ext_d2i`): `undefined` when
* absent, `null` when it repeats or does not decode.
*/
function decodeOnce(exts, oid, decode) {
	const found = exts.filter((ext) => ext.oid === oid);
	if (found.length === 0) return void 0;
	if (found.length > 1) return null;
	try {
		return decode(firstElement(found[0].value));
	} catch (error) {
		if (!(error instanceof Asn1Error)) throw error;
		return null;
	}
}
/**
* `ISSUING_DIST_POINT` and `setup_idp`.
*
* @param issuerKey the CRL issuer's Name (canonical key), which a relative name extends.
* @throws {Asn1Error} when OpenSSL's decoder would refuse it.
*/
function readIdp(e, issuerKey) {
	if (!e.is(0, Tag.sequence)) throw new Asn1Error("IssuingDistributionPoint is a SEQUENCE");
	const fields = e.children();
	const dp = fields.optional(128, 0);
	const flag = (tag) => {
		const field = fields.optional(128, tag);
		return field ? field.primitive(Tag.boolean)[0] > 0 : false;
	};
	const onlyUser = flag(1);
	const onlyCa = flag(2);
	const someReasons = fields.optional(128, 3);
	const reasons = someReasons ? readBitString(someReasons, 128, 3) : void 0;
	const indirect = flag(4);
	const onlyAttributes = flag(5);
	fields.done();
	const name = dp ? readDpName(dp) : void 0;
	const only = [
		onlyUser,
		onlyCa,
		onlyAttributes
	].filter(Boolean).length;
	return {
		onlyUser,
		onlyCa,
		onlyAttributes,
		invalid: only > 1 || only === 0 && !indirect && !reasons && !name,
		indirect,
		someReasons: reasons !== void 0,
		reasons: reasons ? reasonBits(reasons, ALL_REASONS) : ALL_REASONS,
		distributionPoint: name && setDpName(name, issuerKey)
	};
}
function latin1(bytes) {
	return Buffer.from(bytes).toString("latin1");
}

// dist/x509/fingerprint-pins.js
/**
* A set of pinned certificate fingerprints: SHA-256 (64 hex digits) or, for thumbprints copied
* from .NET and IdentityServer, SHA-1 (40 hex digits). Colons, spaces and case are ignored.
* Two pins for one caller is how a caller rotates its certificate without downtime.
*/
var FingerprintPins = class {
	sha256 = /* @__PURE__ */ new Set();
	sha1 = /* @__PURE__ */ new Set();
	/** @throws {Error} naming the first value that is not a SHA-256 or SHA-1 fingerprint. */
	constructor(pins) {
		for (const pin of pins) {
			const hex = normalizeFingerprint(pin);
			if (!/^[0-9a-f]+$/.test(hex) || hex.length !== 64 && hex.length !== 40) throw new Error(`"${pin}" is not a certificate fingerprint: use SHA-256 (64 hex digits) or SHA-1 (40 hex digits)`);
			(hex.length === 64 ? this.sha256 : this.sha1).add(hex);
		}
	}
	/** `true` when pins are configured, so every certificate must match one. */
	get enabled() {
		return this.sha256.size + this.sha1.size > 0;
	}
	/** `true` when this certificate is pinned (read from the certificate, no identity needed). */
	matchesCertificate(cert) {
		return this.sha256.has(normalizeFingerprint(cert.fingerprint256)) || this.sha1.has(normalizeFingerprint(cert.fingerprint));
	}
	/** `true` when the identity's certificate is pinned. */
	matches(identity) {
		const keys = identity[MATCH_KEYS];
		return this.sha256.has(keys.sha256) || this.sha1.has(keys.sha1);
	}
};
/**
* `AB:cd:EF...` or `ab cd ef` -> `abcdef`. Only ASCII letters are lower-cased, so a look-alike
* (fullwidth `Ａ`, say) stays what it is and the pin is refused as not hex.
*/
function normalizeFingerprint(value) {
	return asciiLower(value.replace(/[:\s-]/g, ""));
}

// dist/allowlist/identity-pattern.js
const DNS_LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;
/** Printable ASCII: a name or URI pattern has no space, no control character, nothing else. */
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
const NAME = /^[^,*]+$/;
const ASCII_SPACE_AROUND = /^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g;
/**
* Compiles one identity pattern, once, at start-up:
* - `billing-service`: the CN or a DNS SAN, exactly, ASCII-case-insensitive;
* - `*.internal.production`: a CN or DNS SAN with exactly one (non-wildcard) label in front;
* - `spiffe://example.org/ns/prod/sa/billing`: the certificate's SPIFFE ID, exactly;
* - `spiffe://example.org/ns/prod/*`: a SPIFFE ID strictly under that path (`.../prod/x`, never
*   `.../production`); `spiffe://example.org/*`: any workload of the trust domain;
* - `https://example.org/a` (any other scheme): a URI SAN, exactly, byte for byte;
* - `dn:CN=client,OU=production,O=company`: the whole subject DN, same attribute=value pairs in
*   any order (types ASCII-case-insensitive, values exact, any Unicode).
*
* Name, wildcard and URI patterns are printable ASCII: a non-ASCII pattern is refused, and an
* internationalized domain name is written in its A-label form (`xn--...`). Case is folded for
* ASCII letters only, so a CN or DNS SAN with any non-ASCII character (U+212A KELVIN SIGN in
* `Kafka-service`, a Cyrillic `а`) never matches. `spiffe://` patterns follow the SPIFFE ID rules
* ({@link spiffeIdProblem}) and match only the certificate's `spiffeId`: the one URI SAN of an
* X.509-SVID, never a URI SAN of a certificate with several. `spiffe://td` alone (the trust
* domain's own ID, which no workload carries) is refused: write `spiffe://td/*`.
*
* A certificate whose subject has several CN attributes never matches by CN.
*
* @throws {Error} naming the pattern and what is wrong with it.
* @example compileIdentityPattern('*.internal.production')(identity)
* @see https://github.com/spiffe/spiffe/blob/main/standards/SPIFFE-ID.md
*/
function compileIdentityPattern(pattern) {
	const p = pattern.replace(ASCII_SPACE_AROUND, "");
	if (p.length === 0) throw new Error("an identity pattern is empty");
	if (/^dn:/i.test(p)) {
		const attributes = parseDistinguishedName(p.slice(3));
		if (attributes.length === 0) throw new Error(`"${pattern}" names no DN attributes`);
		const key = dnMatchKey(attributes);
		return (identity) => identity[MATCH_KEYS].dnKey === key;
	}
	if (!PRINTABLE_ASCII.test(p)) throw new Error(notPrintableAscii(pattern, p));
	if (/^spiffe:/i.test(p)) return compileSpiffePattern(pattern, p);
	if (p.includes("://")) {
		if (p.includes("*")) throw new Error(`"${pattern}": a URI pattern other than spiffe:// has no wildcard; it matches a URI SAN exactly`);
		return (identity) => identity[MATCH_KEYS].uris.includes(p);
	}
	const lower = asciiLower(p);
	if (lower.startsWith("*.")) {
		const suffix = lower.slice(1);
		if (!NAME.test(suffix.slice(1)) || suffix.length < 2) throw new Error(`"${pattern}": a wildcard must be the whole leftmost label, as in "*.internal.example"`);
		const matches = (name) => name.endsWith(suffix) && DNS_LABEL.test(name.slice(0, -suffix.length));
		return (identity) => {
			const keys = identity[MATCH_KEYS];
			return keys.commonName !== null && matches(keys.commonName) || keys.dnsNames.some(matches);
		};
	}
	if (!NAME.test(lower)) throw new Error(`"${pattern}" is not an identity pattern: use a name, "*.domain", a URI, or "dn:CN=...,O=..."`);
	return (identity) => {
		const keys = identity[MATCH_KEYS];
		return keys.commonName === lower || keys.dnsNames.includes(lower);
	};
}
/**
* `true` when `name` (a CN, say) can be written as a name pattern that matches just that name:
* printable ASCII, no `,`, no `*`. Used to suggest a pattern for a certificate.
*/
function isNamePattern(name) {
	return PRINTABLE_ASCII.test(name) && NAME.test(name) && !name.includes("://") && !/^(?:dn|spiffe):/i.test(name);
}
/** `spiffe://td/path` (that SPIFFE ID) or `spiffe://td/path/*` (IDs strictly under it). */
function compileSpiffePattern(pattern, p) {
	const wildcard = p.endsWith("/*");
	const id = wildcard ? p.slice(0, -2) : p;
	if (id.includes("*")) throw new Error(`"${pattern}": only a trailing "/*" may be a wildcard`);
	const problem = spiffeIdProblem(id, wildcard);
	if (problem !== void 0) {
		const fix = problem.startsWith("names a trust domain") && id.startsWith("spiffe://") ? `; write "${id}/*" for any workload of that trust domain` : "";
		throw new Error(`"${pattern}" is not a SPIFFE ID pattern: ${id} ${problem}${fix}`);
	}
	if (!wildcard) return (identity) => identity.spiffeId === id;
	const prefix = `${id}/`;
	return (identity) => identity.spiffeId !== null && identity.spiffeId.startsWith(prefix);
}
function notPrintableAscii(pattern, p) {
	for (const ch of p) {
		const c = ch.codePointAt(0);
		if (c > 126 || c <= 32) {
			const hex = `U+${c.toString(16).toUpperCase().padStart(4, "0")}`;
			return isAscii(ch) ? `"${pattern}" has a space or control character (${hex}): an identity pattern is printable ASCII` : `"${pattern}" has a non-ASCII character (${hex}): name and URI patterns are ASCII, compared ASCII-case-insensitively; write an internationalized domain name in its A-label form (xn--...)`;
		}
	}
	return `"${pattern}" is not printable ASCII`;
}
/**
* Compiles a list of patterns into one matcher that accepts an identity matching any of them.
* An empty list yields `undefined`: "no restriction", which callers must treat differently from
* "matches nothing".
*/
function compileIdentityPatterns(patterns) {
	if (patterns.length === 0) return void 0;
	const matchers = patterns.map(compileIdentityPattern);
	if (matchers.length === 1) return matchers[0];
	return (identity) => matchers.some((m) => m(identity));
}

// dist/options/mtls-auth-options.js
/** Header formats a proxy may forward a client certificate in (`auto` detects). */
const CERTIFICATE_HEADER_FORMATS = [
	"auto",
	"url-pem",
	"pem",
	"base64-der",
	"hex-der",
	"xfcc",
	"rfc9440"
];
/** How refusals of authorization (the allowlist and pins: 403) are applied. */
const ENFORCEMENT_MODES = ["enforce", "report-only"];
/**
* The proxies whose headers `proxyPreset` knows (see `PROXY_PRESETS` for what each one sets).
*/
const PROXY_PRESET_NAMES = [
	"nginx",
	"envoy",
	"istio",
	"traefik",
	"haproxy",
	"caddy",
	"aws-alb",
	"aws-alb-passthrough",
	"gcp",
	"cloudflare",
	"azure-app-service",
	"kong",
	"cloudfront",
	"rfc9440"
];
/** The default of every optional option: declared here only. */
const MTLS_AUTH_DEFAULTS = {
	allowedCertificateTypes: "chained",
	certificateHeader: "x-ssl-client-cert",
	certificateHeaderFormat: "auto",
	verifyHeader: "x-ssl-client-verify",
	verifySuccessValues: ["SUCCESS"],
	ocsp: "off",
	ocspTimeoutMs: 2e3,
	callerCacheSize: 1e4,
	enforcement: "enforce",
	callerInventorySize: 1e4
};

// dist/options/options-error.js
/**
* The module's options do not work. `problems` names each option, so an application that maps
* its own settings (environment variables, files) onto the options can say which setting to fix.
*/
var MtlsAuthOptionsError = class extends Error {
	problems;
	constructor(problems) {
		super(`MtlsAuthModule options are invalid:\n${problems.map((p) => `  - ${p.option}: ${p.message}`).join("\n")}`);
		this.problems = problems;
		this.name = "MtlsAuthOptionsError";
	}
};

// dist/options/address-ranges.js
/** The most addresses a trusted-proxy list may cover: a /8 of IPv4. */
const MAX_TRUSTED_IPV4 = 1n << 24n;
/** The most addresses a trusted-proxy list may cover: a /32 of IPv6. */
const MAX_TRUSTED_IPV6 = 1n << 96n;
/** `::ffff:0:0/96`: a dual-stack socket reports an IPv4 peer a.b.c.d as `::ffff:a.b.c.d`. */
const MAPPED_FIRST = 65535n << 32n;
const MAPPED_LAST = MAPPED_FIRST | 4294967295n;
/**
* The interval of an address or CIDR range, already known to be valid (`isIP` accepts its address,
* its prefix fits the family). Host bits below the prefix are ignored, as `BlockList` does.
*/
function parseRange(cidr) {
	const [address = "", bits] = cidr.split("/");
	const family = isIP(address) === 4 ? 4 : 6;
	const width = family === 4 ? 32n : 128n;
	const value = family === 4 ? ipv4Value(address) : ipv6Value(address);
	const hostMask = (1n << width - (bits === void 0 ? width : BigInt(bits))) - 1n;
	const first = value & ~hostMask & (1n << width) - 1n;
	return {
		family,
		first,
		last: first | hostMask
	};
}
/**
* The ranges as they apply to peers: the part of an IPv6 range inside `::ffff:0:0/96` becomes the
* IPv4 range it maps (a whole IPv6 range around that block: all of IPv4), the rest stays IPv6.
* IPv4 peers are matched as IPv4 ({@link normalizePeerAddress}), so a mapped range must be too.
*/
function effectiveRanges(ranges) {
	const out = [];
	for (const range of ranges) {
		if (range.family === 4) {
			out.push(range);
			continue;
		}
		const first = range.first > MAPPED_FIRST ? range.first : MAPPED_FIRST;
		const last = range.last < MAPPED_LAST ? range.last : MAPPED_LAST;
		if (first > last) {
			out.push(range);
			continue;
		}
		out.push({
			family: 4,
			first: first - MAPPED_FIRST,
			last: last - MAPPED_FIRST
		});
		if (range.first < MAPPED_FIRST) out.push({
			...range,
			last: MAPPED_FIRST - 1n
		});
		if (range.last > MAPPED_LAST) out.push({
			...range,
			first: MAPPED_LAST + 1n
		});
	}
	return out;
}
/** How many addresses of `family` the ranges cover together (overlaps counted once). */
function coveredAddresses(ranges, family) {
	const sorted = ranges.filter((r) => r.family === family).sort((a, b) => a.first < b.first ? -1 : a.first > b.first ? 1 : 0);
	let total = 0n;
	let start = -1n;
	let end = -2n;
	for (const { first, last } of sorted) if (first > end + 1n) {
		if (end >= start && start >= 0n) total += end - start + 1n;
		start = first;
		end = last;
	} else if (last > end) end = last;
	if (start >= 0n) total += end - start + 1n;
	return total;
}
/**
* A peer address as the ranges are matched: `::ffff:a.b.c.d` (any spelling of IPv4-mapped IPv6)
* as the IPv4 address `a.b.c.d`; anything else as it is. `undefined` for no or an invalid address.
*/
function normalizePeerAddress(address) {
	if (!address) return void 0;
	const family = isIP(address);
	if (family === 4) return {
		address,
		family: "ipv4"
	};
	if (family !== 6) return void 0;
	const value = ipv6Value(address);
	if (value < MAPPED_FIRST || value > MAPPED_LAST) return {
		address,
		family: "ipv6"
	};
	const v4 = Number(value - MAPPED_FIRST);
	return {
		address: [
			v4 >>> 24,
			v4 >>> 16 & 255,
			v4 >>> 8 & 255,
			v4 & 255
		].join("."),
		family: "ipv4"
	};
}
/** The address of an interval's first address, for messages and `BlockList`. */
function formatAddress(family, value) {
	if (family === 4) {
		const v = Number(value);
		return [
			v >>> 24,
			v >>> 16 & 255,
			v >>> 8 & 255,
			v & 255
		].join(".");
	}
	const groups = [];
	for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push((value >> shift & 65535n).toString(16));
	return groups.join(":");
}
function ipv4Value(address) {
	return address.split(".").reduce((acc, part) => acc << 8n | BigInt(Number(part)), 0n);
}
/** An IPv6 address (validated by `isIP`; a zone after `%` ignored) as a 128-bit integer. */
function ipv6Value(text) {
	let address = text.split("%")[0] ?? "";
	const lastColon = address.lastIndexOf(":");
	const tail = address.slice(lastColon + 1);
	if (tail.includes(".")) {
		const v4 = ipv4Value(tail);
		address = `${address.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 65535n).toString(16)}`;
	}
	const [head = "", rest] = address.split("::");
	const before = head === "" ? [] : head.split(":");
	const after = rest === void 0 || rest === "" ? [] : rest.split(":");
	return (rest === void 0 ? before : [
		...before,
		...Array(8 - before.length - after.length).fill("0"),
		...after
	]).reduce((acc, group) => acc << 16n | BigInt(parseInt(group, 16)), 0n);
}

// dist/options/option-values.js
/**
* Checks of single option values: each returns the value (normalized) or throws an Error that
* says what is wrong, for `resolveMtlsAuthOptions` to file under the option's name.
*/
/** RFC 9110 token, lower case. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
/**
* The trusted-proxy list: addresses or CIDR ranges that together cover at most a /8 of IPv4 and a
* /32 of IPv6 (overlaps counted once). IPv4-mapped IPv6 (`::ffff:a.b.c.d/n`) counts as the IPv4
* range it stands for, since IPv4 peers are matched as IPv4: `::ffff:0:0/96` is all of IPv4, and
* `0.0.0.0/1,128.0.0.0/1` is too, however it is split.
*/
function proxies(values) {
	for (const value of list(values, "addresses or CIDR ranges")) {
		if (!isCidr(value)) throw new Error(`"${value}" is not an IP address or CIDR range (10.0.0.0/8, 127.0.0.1, fd00::/8)`);
		if (value.split("/")[1] !== void 0 && Number(value.split("/")[1]) === 0) throw new Error(`"${value}" trusts every peer on the network to forward any certificate it likes: list only the proxies`);
	}
	const given = values.map(parseRange);
	const ranges = effectiveRanges(given);
	for (const [family, limit, max] of [[
		4,
		"/8",
		MAX_TRUSTED_IPV4
	], [
		6,
		"/32",
		MAX_TRUSTED_IPV6
	]]) {
		const count = coveredAddresses(ranges, family);
		if (count <= max) continue;
		const mapped = family === 4 && ranges.filter((r) => r.family === 4).length > given.filter((r) => r.family === 4).length;
		throw new Error(`together they trust ${powerOfTwo(count)} IPv${family} addresses${mapped ? " (IPv4-mapped ::ffff:a.b.c.d counted as IPv4)" : ""}, more than a ${limit} (${powerOfTwo(max)}): every peer in them could forward any certificate it likes; list only the proxies' addresses`);
	}
	return [...values];
}
/** `2^n` when the count is a power of two (what CIDR ranges add up to), else the number. */
function powerOfTwo(count) {
	const exponent = count.toString(2).length - 1;
	return count === 1n << BigInt(exponent) ? `2^${exponent}` : count.toLocaleString("en-US");
}
/** `10.0.0.0/8`, `127.0.0.1`, `::1`, `fd00::/8`. */
function isCidr(value) {
	const [address, bits, ...rest] = value.split("/");
	if (rest.length > 0 || address === void 0) return false;
	const family = isIP(address);
	if (family === 0) return false;
	if (bits === void 0) return true;
	return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}
function list(values, what) {
	const items = values;
	if (!Array.isArray(items) || items.some((v) => typeof v !== "string")) throw new Error(`must be an array of ${what} (strings)`);
	return values;
}
function headerName(value) {
	const text = value;
	const name = typeof text === "string" ? asciiLower(text.trim()) : "";
	if (!HEADER_NAME.test(name)) throw new Error(`${JSON.stringify(value)} is not an HTTP header name (e.g. x-ssl-client-cert)`);
	return name;
}
function oneOf(value, allowed) {
	if (!allowed.includes(value)) throw new Error(`${JSON.stringify(value)} is not one of ${allowed.join(", ")}`);
	return value;
}
function wholeNumber(value, min, max) {
	if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) throw new Error(`${String(value)} is not a whole number from ${min} to ${max}`);
	return value;
}
function httpUrl(value) {
	let url;
	try {
		url = new URL(value);
	} catch {
		throw new Error(`${JSON.stringify(value)} is not a URL (e.g. http://ocsp.example.internal)`);
	}
	if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`${JSON.stringify(value)} is not an http(s) URL`);
	return value;
}
/**
* The words a proxy's verdict header says on success: at least one, each a non-empty run of
* visible ASCII without a comma (`SUCCESS`, `0`, `true`).
*/
function verdictWords(values) {
	list(values, "verdict words");
	if (values.length === 0) throw new Error("must name at least one word the verdict header says on success (e.g. SUCCESS)");
	for (const value of values) if (!/^[!-+\--~]+$/.test(value)) throw new Error(`${JSON.stringify(value)} is not a verdict word (visible ASCII, no space or comma, e.g. SUCCESS)`);
	return [...values];
}

// dist/options/proxy-presets.js
/**
* What each proxy sends, from its own documentation or source (the test corpus in
* test/support/proxy-samples.ts has samples of each, cited beside them). Where the proxy lets the
* operator name the header (HAProxy, Caddy, GCP, Cloudflare's rules), the preset uses the name
* docs/behind-a-proxy.md tells the operator to configure.
*
* - `nginx`: `$ssl_client_escaped_cert` (URL-encoded PEM, leaf only), `$ssl_client_verify`
*   (`SUCCESS`, `FAILED:<reason>`, `NONE`), as deploy/nginx configures them.
* - `envoy`, `istio`: `x-forwarded-client-cert`, the last element's `Cert=` and `Chain=`. Istio
*   sends neither by default: its XFCC then reads `MTLS_CERT_MALFORMED` until they are turned on.
* - `traefik`: `passTLSClientCert` with `pem: true`, every certificate the client sent, base64
*   DER without armour, joined with `,`.
* - `haproxy`: `%[ssl_c_der,base64]`, `%[ssl_c_chain_der,base64]` and `%[ssl_c_verify]` (`0` is
*   OK, else OpenSSL's `X509_V_ERR_*` number).
* - `caddy`: `{http.request.tls.client.certificate_der_base64}`, leaf only.
* - `aws-alb`: verify mode, `X-Amzn-Mtls-Clientcert-Leaf` (URL-encoded PEM, `+=/` unescaped).
* - `aws-alb-passthrough`: `X-Amzn-Mtls-Clientcert`, the whole chain the client sent, leaf first,
*   unverified.
* - `gcp`: custom request headers `X-Client-Cert-Leaf: {client_cert_leaf}`,
*   `X-Client-Cert-Chain: {client_cert_chain}` (RFC 9440 forms) and
*   `X-Client-Cert-Chain-Verified: {client_cert_chain_verified}` (`true`/`false`).
* - `cloudflare`: request header rules `Client-Cert: cf.tls_client_auth.cert_rfc9440` and
*   `Client-Cert-Chain: cf.tls_client_auth.cert_chain_rfc9440` (filled even when validation
*   failed), with the "Add TLS client auth headers" managed transform's `cf-cert-verified`.
* - `azure-app-service`: `X-ARR-ClientCert`, base64 DER, not validated by the platform.
* - `kong`: `tls-metadata-headers`, `X-Client-Cert` (URL-encoded PEM).
* - `cloudfront`: viewer mTLS, `CloudFront-Viewer-Cert-Pem` (URL-encoded PEM).
* - `rfc9440`: `Client-Cert` and `Client-Cert-Chain`.
*
* @see RFC 9440
*/
const PROXY_PRESETS = {
	nginx: {
		certificateHeader: "x-ssl-client-cert",
		certificateHeaderFormat: "url-pem",
		verifyHeader: "x-ssl-client-verify",
		verifySuccessValues: ["SUCCESS"]
	},
	envoy: {
		certificateHeader: "x-forwarded-client-cert",
		certificateHeaderFormat: "xfcc"
	},
	istio: {
		certificateHeader: "x-forwarded-client-cert",
		certificateHeaderFormat: "xfcc"
	},
	traefik: {
		certificateHeader: "x-forwarded-tls-client-cert",
		certificateHeaderFormat: "base64-der"
	},
	haproxy: {
		certificateHeader: "x-ssl-client-cert",
		certificateHeaderFormat: "base64-der",
		certificateChainHeader: "x-ssl-client-cert-chain",
		verifyHeader: "x-ssl-client-verify",
		verifySuccessValues: ["0"]
	},
	caddy: {
		certificateHeader: "x-client-cert",
		certificateHeaderFormat: "base64-der"
	},
	"aws-alb": {
		certificateHeader: "x-amzn-mtls-clientcert-leaf",
		certificateHeaderFormat: "url-pem"
	},
	"aws-alb-passthrough": {
		certificateHeader: "x-amzn-mtls-clientcert",
		certificateHeaderFormat: "url-pem"
	},
	gcp: {
		certificateHeader: "x-client-cert-leaf",
		certificateHeaderFormat: "rfc9440",
		certificateChainHeader: "x-client-cert-chain",
		verifyHeader: "x-client-cert-chain-verified",
		verifySuccessValues: ["true"]
	},
	cloudflare: {
		certificateHeader: "client-cert",
		certificateHeaderFormat: "rfc9440",
		certificateChainHeader: "client-cert-chain",
		verifyHeader: "cf-cert-verified",
		verifySuccessValues: ["true"]
	},
	"azure-app-service": {
		certificateHeader: "x-arr-clientcert",
		certificateHeaderFormat: "base64-der"
	},
	kong: {
		certificateHeader: "x-client-cert",
		certificateHeaderFormat: "url-pem"
	},
	cloudfront: {
		certificateHeader: "cloudfront-viewer-cert-pem",
		certificateHeaderFormat: "url-pem"
	},
	rfc9440: {
		certificateHeader: "client-cert",
		certificateHeaderFormat: "rfc9440",
		certificateChainHeader: "client-cert-chain"
	}
};

// dist/tls/cipher-suites.js
/**
* TLS 1.3 suites, then Mozilla's "intermediate" TLS 1.2 list: forward secrecy and AEAD only, no
* CBC. Every TLS 1.2 client of the last decade offers one of them.
*
* @see https://ssl-config.mozilla.org/guidelines/5.7.json
*/
const MOZILLA_INTERMEDIATE_CIPHERS = [
	"TLS_AES_128_GCM_SHA256",
	"TLS_AES_256_GCM_SHA384",
	"TLS_CHACHA20_POLY1305_SHA256",
	"ECDHE-ECDSA-AES128-GCM-SHA256",
	"ECDHE-RSA-AES128-GCM-SHA256",
	"ECDHE-ECDSA-AES256-GCM-SHA384",
	"ECDHE-RSA-AES256-GCM-SHA384",
	"ECDHE-ECDSA-CHACHA20-POLY1305",
	"ECDHE-RSA-CHACHA20-POLY1305",
	"DHE-RSA-AES128-GCM-SHA256",
	"DHE-RSA-AES256-GCM-SHA384",
	"DHE-RSA-CHACHA20-POLY1305"
].join(":");

// dist/tls/security-level.js
/**
* Probe keys, weakest first, with their security bits: a context at level n (which asks for 80,
* 112, 128, 192 or 256 bits at levels 1-5) refuses the first n of them as its own certificate.
*/
const PROBES = [
	"secp112r1",
	"secp160r1",
	"secp224r1",
	"prime256v1",
	"secp384r1"
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
function securityLevelOf(options = { ciphers: MOZILLA_INTERMEDIATE_CIPHERS }) {
	let level = 0;
	for (const curve of PROBES) {
		if (loads(options, curve)) break;
		level++;
	}
	return level;
}
function loads(options, curve) {
	let keys;
	try {
		keys = generateKeyPairSync("ec", { namedCurve: curve });
	} catch {
		return false;
	}
	const cert = probeCertificate(keys);
	const key = keys.privateKey.export({
		type: "pkcs8",
		format: "pem"
	});
	try {
		createSecureContext({
			ciphers: options.ciphers,
			cert,
			key
		});
		return true;
	} catch {
		return false;
	}
}
const DAY = 864e5;
/** `tag`, the DER length of `content`, `content`. */
function tlv(tag, ...content) {
	const body = Buffer.concat(content);
	const n = body.length;
	const length = n < 128 ? [n] : n < 256 ? [129, n] : [
		130,
		n >> 8,
		n & 255
	];
	return Buffer.concat([Buffer.from([tag, ...length]), body]);
}
const SEQUENCE = 48;
/** id-at-commonName (2.5.4.3). */
const COMMON_NAME = Buffer.from("0603550403", "hex");
/** AlgorithmIdentifier ecdsa-with-SHA256 (1.2.840.10045.4.3.2), no parameters. */
const ECDSA_WITH_SHA256 = tlv(SEQUENCE, Buffer.from("06082a8648ce3d040302", "hex"));
/** UTCTime `YYMMDDHHMMSSZ`. */
function utcTime(ms) {
	const text = new Date(ms).toISOString().replace(/[-:T]/g, "").slice(2, 14) + "Z";
	return tlv(23, Buffer.from(text, "latin1"));
}
/** A minimal self-signed v1 certificate for `keys` (PEM), made only to be loaded, never sent. */
function probeCertificate(keys) {
	const cn = tlv(12, Buffer.from("security-level probe", "utf8"));
	const name = tlv(SEQUENCE, tlv(49, tlv(SEQUENCE, COMMON_NAME, cn)));
	const now = Date.now();
	const tbs = tlv(SEQUENCE, tlv(2, Uint8Array.of(1)), ECDSA_WITH_SHA256, name, tlv(SEQUENCE, utcTime(now - DAY), utcTime(now + DAY)), name, keys.publicKey.export({
		type: "spki",
		format: "der"
	}));
	const signature = sign("sha256", tbs, keys.privateKey);
	return `-----BEGIN CERTIFICATE-----\n${tlv(SEQUENCE, tbs, ECDSA_WITH_SHA256, tlv(3, Uint8Array.of(0), signature)).toString("base64").replace(/.{64}/g, "$&\n")}\n-----END CERTIFICATE-----\n`;
}

// dist/x509/spiffe-bundle.js
/**
* The X.509 CAs of one SPIFFE trust domain, read from its bundle: PEM certificates, or a SPIFFE
* bundle in its JWK Set form (what SPIRE's `bundle show -format spiffe` and the SPIFFE bundle
* endpoint serve), whose keys with `"use": "x509-svid"` each carry their CA certificate as the one
* entry of `x5c`. Keys of other uses (`jwt-svid`) and unknown uses are skipped, as the
* specification asks of consumers; `spiffe_sequence` and `spiffe_refresh_hint` are read by nobody
* here (the file is watched instead).
*
* @throws {Error} saying what is wrong: not PEM nor JSON, no `keys`, an x509-svid key without
*   exactly one certificate, a certificate that does not parse, no X.509 CA at all.
* @see https://github.com/spiffe/spiffe/blob/main/standards/SPIFFE_Trust_Domain_and_Bundle.md (section 4)
* @see RFC 7517 (JSON Web Key), section 4.7 (x5c)
*/
function parseSpiffeBundle(content) {
	const text = content.toString("utf8").trim();
	const cas = text.startsWith("{") ? fromJwks(text) : parsePemCertificates(text);
	if (cas.length === 0) throw new Error("holds no X.509 CA certificate: give PEM certificates or a SPIFFE bundle (JWKS) with keys of \"use\": \"x509-svid\"");
	return cas;
}
function fromJwks(text) {
	let json;
	try {
		json = JSON.parse(text);
	} catch (cause) {
		throw new Error("starts with \"{\" but is not JSON (a SPIFFE bundle is a JWK Set)", { cause });
	}
	const keys = json.keys;
	if (!Array.isArray(keys)) throw new Error("is JSON without a \"keys\" array: a SPIFFE bundle is a JWK Set (RFC 7517)");
	const cas = [];
	keys.forEach((key, i) => {
		if (typeof key !== "object" || key === null) throw new Error(`keys[${i}] is not an object`);
		const { use, x5c } = key;
		if (use !== "x509-svid") return;
		if (!Array.isArray(x5c) || x5c.length !== 1 || typeof x5c[0] !== "string") throw new Error(`keys[${i}] ("use": "x509-svid") must carry its CA certificate as the one entry of "x5c"`);
		const b64 = x5c[0];
		if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new Error(`keys[${i}].x5c[0] is not base64 (standard alphabet, as RFC 7517 4.7 says)`);
		try {
			cas.push(new X509Certificate(Buffer.from(b64, "base64")));
		} catch (cause) {
			throw new Error(`keys[${i}].x5c[0] is not a DER X.509 certificate`, { cause });
		}
	});
	return cas;
}

// dist/x509/trust-domains.js
/**
* SPIFFE trust domains that cannot vouch for each other (the `spiffeBundles` option): each trust
* domain's bundle holds the CAs that may issue its identities, and only those.
*
* - A certificate whose SPIFFE ID names trust domain T is trusted only when its verified chain
*   ends at (is anchored by) a CA of T's bundle. A T identity anchored anywhere else (another
*   domain's bundle, the plain trusted CA bundle) is refused, and so is one of a trust domain
*   that has no bundle here: a domain vouches for its own identities, as SPIFFE asks and as
*   Envoy's SPIFFE certificate validator does.
* - A certificate without a SPIFFE ID is trusted only when its chain ends at a CA of the plain
*   trusted bundle (`trustedCa`): a CA that is only in trust domains' bundles vouches for their
*   SPIFFE IDs, not for names (`CN=billing-service` minted by a federated partner's CA).
*
* "Ends at" means the chain's last certificate, its trust anchor, as OpenSSL builds the path (a
* bundle's intermediates complete paths, as in any bundle, but anchor none). A CA in several
* bundles vouches for each of their domains. Pure: the caller gives the verified chain.
*
* @see https://github.com/spiffe/spiffe/blob/main/standards/X509-SVID.md (section 5: validation against the trust domain's bundle)
* @see https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/transport_sockets/tls/v3/tls_spiffe_validator_config.proto
*/
var SpiffeTrustDomains = class {
	/** The configured trust domains, in the order given. */
	domains;
	/** Every bundle's CAs, each once, in order: what the trust store and the handshake add. */
	cas;
	domainsByCa = /* @__PURE__ */ new Map();
	general;
	/** Some bundle CA is in no plain bundle: a chain ending there identifies no named caller. */
	domainOnlyAnchors;
	/**
	* @param bundles trust domain name -> its CAs (already parsed and checked).
	* @param trusted the plain trusted CA bundle (`trustedCa`).
	*/
	constructor(bundles, trusted) {
		this.domains = [...bundles.keys()];
		this.general = new Set(trusted.map((ca) => ca.fingerprint256));
		const cas = [];
		for (const [domain, certs] of bundles) for (const ca of certs) {
			const known = this.domainsByCa.get(ca.fingerprint256);
			if (known === void 0) {
				this.domainsByCa.set(ca.fingerprint256, [domain]);
				cas.push(ca);
			} else if (!known.includes(domain)) known.push(domain);
		}
		this.cas = cas;
		this.domainOnlyAnchors = cas.some((ca) => !this.general.has(ca.fingerprint256));
	}
	/** The trust domains whose bundles hold this very certificate. */
	domainsOf(cert) {
		return this.domainsByCa.get(cert.fingerprint256) ?? [];
	}
	/**
	* Judges a certificate whose chain is otherwise trusted.
	*
	* @param spiffeId the certificate's SPIFFE ID (`ClientIdentity.spiffeId`), or `null`.
	* @param anchor the last certificate of its verified chain, or `'unknown'` when the chain cannot
	*   be rebuilt (a resumed TLS session keeps the leaf alone).
	*/
	judge(spiffeId, anchor) {
		if (spiffeId === null) {
			if (anchor === "unknown") return this.domainOnlyAnchors ? refuse("its chain cannot be rebuilt here (the intermediates it was sent with are gone), so it cannot be shown to end at a CA of the trusted bundle rather than at a trust domain CA") : {
				ok: true,
				trustDomain: null
			};
			if (this.general.has(anchor.fingerprint256)) return {
				ok: true,
				trustDomain: null
			};
			return refuse(`the certificate has no SPIFFE ID, but its chain ends at "${subjectOf(anchor)}", ${this.whose(anchor)}, which vouches only for SPIFFE IDs of ${this.domainsOf(anchor).join(", ")}`);
		}
		const domain = trustDomainOf(spiffeId);
		if (!this.domains.includes(domain)) return refuse(`${spiffeId} names trust domain ${domain}, which has no bundle here (bundles: ${this.domains.join(", ")})${anchor === "unknown" ? "" : `; its chain ends at "${subjectOf(anchor)}", ${this.whose(anchor)}`}`);
		if (anchor === "unknown") return refuse(`${spiffeId} names trust domain ${domain}, but its chain cannot be rebuilt here (the intermediates it was sent with are gone), so it cannot be shown to end at a CA of ${domain}'s bundle`);
		if (this.domainsOf(anchor).includes(domain)) return {
			ok: true,
			trustDomain: domain
		};
		return refuse(`${spiffeId} names trust domain ${domain}, but its chain ends at "${subjectOf(anchor)}", ${this.whose(anchor)}: only a CA of ${domain}'s bundle may vouch for a ${domain} identity`);
	}
	/** Whose CA this is, for a message: its trust domains, or the plain bundle. */
	whose(ca) {
		const domains = this.domainsOf(ca);
		if (domains.length === 0) return "a CA of the trusted CA bundle (no trust domain)";
		return `a CA of trust domain${domains.length > 1 ? "s" : ""} ${domains.join(", ")}`;
	}
};
function refuse(detail) {
	return {
		ok: false,
		detail
	};
}
/** Node's one-attribute-per-line name, most specific first, as RFC 4514 reads. */
function subjectOf(cert) {
	return cert.subject.split("\n").reverse().join(",");
}

// dist/options/resolve-options.js
/** OpenSSL's highest security level; an invalid setting falls back to it (refusing more). */
const MAX_SECURITY_LEVEL = 5;
/**
* Validates every option but the trust material, and returns them normalized with their defaults:
* what an application calls before it has read any file, to report bad settings at once.
*
* @throws {MtlsAuthOptionsError} listing each invalid option with what is wrong.
*/
function checkMtlsAuthSettings(settings) {
	const problems = [];
	const checked = check(settings, problems);
	if (problems.length > 0) throw new MtlsAuthOptionsError(problems);
	return checked;
}
/**
* Validates the module's options and resolves them (parses the CA bundle and CRLs, compiles the
* patterns and pins, applies the defaults). Every problem is reported at once.
*
* @throws {MtlsAuthOptionsError} listing each invalid option with what is wrong.
*/
function resolveMtlsAuthOptions(options) {
	const problems = [];
	const settings = check(options, problems);
	const trust = checkTrust(options.trustedCa, options.crl, problems, options.spiffeBundles);
	if (problems.length > 0 || !trust) throw new MtlsAuthOptionsError(problems);
	return {
		...settings,
		...trust,
		...resolveAccess(settings.allowedServices, settings.allowedFingerprints),
		trustedForwarders: compileIdentityPatterns(settings.trustedForwarders)
	};
}
/** Each setting checked (problems collected), normalized, with its default. */
function check(settings, problems) {
	const d = MTLS_AUTH_DEFAULTS;
	const read = (option, fallback, validate) => {
		const value = settings[option];
		if (value === void 0) return fallback;
		try {
			return validate(value);
		} catch (error) {
			problems.push({
				option,
				message: error.message
			});
			return fallback;
		}
	};
	const proxyPreset = read("proxyPreset", void 0, (v) => oneOf(v, PROXY_PRESET_NAMES));
	const preset = proxyPreset === void 0 ? void 0 : PROXY_PRESETS[proxyPreset];
	const certificateHeader = read("certificateHeader", preset?.certificateHeader ?? d.certificateHeader, headerName);
	const verifyHeader = read("verifyHeader", preset?.verifyHeader ?? d.verifyHeader, (value) => {
		const name = headerName(value);
		if (name === certificateHeader) throw new Error("must differ from the certificate header: one carries the certificate, the other the proxy's verdict");
		return name;
	});
	const certificateChainHeader = read("certificateChainHeader", preset?.certificateChainHeader, (value) => {
		const name = headerName(value);
		if (name === certificateHeader || name === verifyHeader) throw new Error("must differ from the certificate and verdict headers: each header carries one thing");
		return name;
	});
	return {
		allowedCertificateTypes: read("allowedCertificateTypes", d.allowedCertificateTypes, (v) => oneOf(v, ALLOWED_CERTIFICATE_TYPES)),
		allowedServices: read("allowedServices", [], (v) => (patterns(v), [...v])),
		allowedFingerprints: read("allowedFingerprints", [], (v) => (pins(v), [...v])),
		trustedProxies: read("trustedProxies", [], proxies),
		trustedProxyIdentities: read("trustedProxyIdentities", [], (v) => (patterns(v), [...v])),
		trustedForwarders: read("trustedForwarders", [], (v) => (patterns(v), [...v])),
		certificateHeader,
		verifyHeader,
		certificateHeaderFormat: read("certificateHeaderFormat", preset?.certificateHeaderFormat ?? d.certificateHeaderFormat, (v) => oneOf(v, CERTIFICATE_HEADER_FORMATS)),
		certificateChainHeader,
		verifySuccessValues: read("verifySuccessValues", preset?.verifySuccessValues ?? d.verifySuccessValues, verdictWords),
		proxyPreset,
		ocsp: read("ocsp", d.ocsp, (v) => oneOf(v, OCSP_MODES)),
		ocspUrl: read("ocspUrl", void 0, httpUrl),
		ocspTimeoutMs: read("ocspTimeoutMs", d.ocspTimeoutMs, (v) => wholeNumber(v, 100, 6e4)),
		callerCacheSize: read("callerCacheSize", d.callerCacheSize, (v) => wholeNumber(v, 1, 1e6)),
		securityLevel: settings.securityLevel === void 0 ? securityLevelOf() : read("securityLevel", MAX_SECURITY_LEVEL, (v) => wholeNumber(v, 0, MAX_SECURITY_LEVEL)),
		enforcement: read("enforcement", d.enforcement, (v) => oneOf(v, ENFORCEMENT_MODES)),
		callerInventorySize: read("callerInventorySize", d.callerInventorySize, (v) => wholeNumber(v, 0, 1e6)),
		boundToken: read("boundToken", void 0, boundToken)
	};
}
/** The bound-token settings, checked: an HTTPS JWKS URL, an issuer and an audience. */
function boundToken(value) {
	const text = (v) => typeof v === "string" && v.trim() !== "";
	if (!text(value.issuer)) throw new Error("issuer must be the authorization server issuer");
	if (!text(value.audience)) throw new Error("audience must be this service's identifier");
	let url;
	try {
		url = new URL(value.jwksUrl);
	} catch {
		url = void 0;
	}
	if (url?.protocol !== "https:") throw new Error(`jwksUrl ${JSON.stringify(value.jwksUrl)} must be an https:// URL (the keys that sign tokens are fetched from a verified server only)`);
	for (const key of [
		"jwksCacheMaxAgeMs",
		"jwksCooldownMs",
		"clockToleranceSec"
	]) {
		const n = value[key];
		if (n !== void 0) wholeNumber(n, 0, 864e5);
	}
	return value;
}
/**
* {@link resolveTrust}, each problem filed under its option (`trustedCa`, `spiffeBundles` or
* `crl`) in `problems`: `undefined` when there is one.
*/
function checkTrust(trustedCa, crl, problems, spiffeBundles) {
	let trust;
	try {
		trust = resolveTrust(trustedCa, void 0);
	} catch (error) {
		problems.push({
			option: "trustedCa",
			message: error.message
		});
		return;
	}
	if (spiffeBundles !== void 0) try {
		trust = withTrustDomains(trust, spiffeBundles);
	} catch (error) {
		problems.push({
			option: "spiffeBundles",
			message: error.message
		});
		return;
	}
	if (crl === void 0) return trust;
	try {
		return {
			...trust,
			crl,
			revocation: crlSet(crl, trust.cas)
		};
	} catch (error) {
		problems.push({
			option: "crl",
			message: error.message
		});
		return;
	}
}
/**
* A CA bundle and its CRLs, parsed and checked together (for start-up and hot reloads).
*
* @throws {Error} saying what is wrong.
*/
function resolveTrust(trustedCa, crl, spiffeBundles) {
	if (spiffeBundles !== void 0) {
		const trust = withTrustDomains(resolveTrust(trustedCa, void 0), spiffeBundles);
		return crl === void 0 ? trust : {
			...trust,
			crl,
			revocation: crlSet(crl, trust.cas)
		};
	}
	if (typeof trustedCa !== "string" && !Buffer.isBuffer(trustedCa)) throw new Error("must be the PEM text of the CA bundle (a string or a Buffer)");
	const text = trustedCa.toString();
	if (text.includes("-----BEGIN TRUSTED CERTIFICATE-----")) throw new Error("holds a \"TRUSTED CERTIFICATE\" block, whose OpenSSL trust settings this service does not apply the same way on every path: write it out as a plain certificate (openssl x509 -in ca.pem -out ca-plain.pem) and use that");
	if (text.includes("-----BEGIN X509 CERTIFICATE-----")) throw new Error("holds an \"X509 CERTIFICATE\" block (the old label): relabel it \"CERTIFICATE\"");
	const cas = parsePemCertificates(text);
	if (cas.length === 0) throw new Error("holds no PEM certificate: give the bundle of CAs (roots and intermediates) that issue client certificates");
	return {
		trustedCa,
		cas,
		crl,
		revocation: crl === void 0 ? void 0 : crlSet(crl, cas)
	};
}
/**
* The trust domains' bundles parsed and added to `trust`: their CAs join the trusted ones, and
* their rule holds each domain's identities to its own CAs (see `SpiffeTrustDomains`).
*
* @throws {Error} naming the trust domain whose name or bundle is wrong.
*/
function withTrustDomains(trust, spiffeBundles) {
	const given = spiffeBundles;
	if (typeof given !== "object" || given === null || Array.isArray(given)) throw new Error("must map each trust domain name to its bundle (an object)");
	const entries = Object.entries(spiffeBundles);
	if (entries.length === 0) throw new Error("names no trust domain: map each trust domain to its bundle, or leave it unset");
	const bundles = /* @__PURE__ */ new Map();
	for (const [domain, content] of entries) {
		const problem = trustDomainProblem(domain);
		if (problem !== void 0) throw new Error(`trust domain "${domain}" ${problem}`);
		if (typeof content !== "string" && !Buffer.isBuffer(content)) throw new Error(`the bundle of "${domain}" must be its PEM or JWKS text (a string or a Buffer)`);
		try {
			bundles.set(domain, parseSpiffeBundle(content));
		} catch (error) {
			throw new Error(`the bundle of "${domain}" ${error.message}`, { cause: error });
		}
	}
	const trustDomains = new SpiffeTrustDomains(bundles, trust.cas);
	const known = new Set(trust.cas.map((ca) => ca.fingerprint256));
	const cas = [...trust.cas, ...trustDomains.cas.filter((ca) => !known.has(ca.fingerprint256))];
	return {
		...trust,
		cas,
		spiffeBundles,
		trustDomains
	};
}
/**
* The allowlist and pins, compiled (for start-up and hot reloads of who may call).
*
* @throws {Error} naming the first invalid pattern or pin.
*/
function resolveAccess(allowedServices, allowedFingerprints) {
	return {
		allowedServices: patterns(allowedServices),
		pins: pins(allowedFingerprints)
	};
}
function crlSet(crl, cas) {
	return new CrlSet(crl.toString(), cas);
}
function patterns(values) {
	list(values, "identity patterns");
	for (const value of values) compileIdentityPattern(value);
	return compileIdentityPatterns(values);
}
function pins(values) {
	return new FingerprintPins(list(values, "fingerprints"));
}

// dist/x509/trust-store.js
/**
* The client CAs this service trusts (the `trustedCa` option), as OpenSSL's `X509_STORE` holds
* the same bundle for the handshake: each certificate read once ({@link CertificateProfile}), in
* bundle order (the order OpenSSL tries same-named CAs in), found by canonical subject Name.
* As for OpenSSL without partial chains, only self-signed certificates of the bundle end a trusted
* path; intermediates of the bundle may complete one.
*/
var TrustStore = class {
	/** The bundle's certificates, duplicates dropped, in order. */
	profiles;
	bySubject = /* @__PURE__ */ new Map();
	byFingerprint = /* @__PURE__ */ new Map();
	/** @throws {Error} when a certificate cannot be read. */
	constructor(certificates) {
		const profiles = [];
		for (const cert of certificates) {
			if (this.byFingerprint.has(cert.fingerprint256)) continue;
			const profile = new CertificateProfile(cert);
			profiles.push(profile);
			this.byFingerprint.set(profile.fingerprint, profile);
			const list = this.bySubject.get(profile.subjectKey) ?? [];
			list.push(profile);
			this.bySubject.set(profile.subjectKey, list);
		}
		this.profiles = profiles;
	}
	/** `true` when this very certificate is in the bundle. */
	contains(cert) {
		return this.byFingerprint.has(cert.fingerprint256);
	}
	/** The bundle's profile of this very certificate, if it is one. */
	entry(cert) {
		return this.byFingerprint.get(cert.fingerprint256);
	}
	/** The bundle's certificates whose canonical subject is `subjectKey`, in bundle order. */
	withSubject(subjectKey) {
		return this.bySubject.get(subjectKey) ?? [];
	}
};

// dist/trust/trust-configuration.js
/** The generation of trust an application starts with; every change counts up from it. */
const FIRST_GENERATION = 0;
/**
* The trust an application judges callers by, and its generation: the CA bundle and CRLs, the
* pins and the service-wide allowlist, compiled into a {@link CertificatePolicy}. Every change
* (a reload, {@link invalidate}) bumps the generation, which makes every remembered outcome stale.
* A reload parses everything first: on an error it throws and the current trust stays in force.
*/
var TrustConfiguration = class {
	allowedTypes;
	securityLevel;
	onChange;
	pinsReportOnly;
	current = 0;
	trust;
	access;
	compiled;
	constructor(trust, access, allowedTypes, securityLevel, onChange, pinsReportOnly = false) {
		this.allowedTypes = allowedTypes;
		this.securityLevel = securityLevel;
		this.onChange = onChange;
		this.pinsReportOnly = pinsReportOnly;
		this.trust = trust;
		this.access = access;
		this.compiled = this.compile();
	}
	get generation() {
		return this.current;
	}
	get policy() {
		return this.compiled;
	}
	/** The CRLs in force, one per CA (empty without CRLs). */
	get revocationLists() {
		return this.trust.revocation?.lists ?? [];
	}
	/** Service-wide allowlist; `undefined` = any authenticated caller. */
	get allowedServices() {
		return this.access.allowedServices;
	}
	/** The SPIFFE trust domains in force and their rule (`undefined` without `spiffeBundles`). */
	get trustDomains() {
		return this.trust.trustDomains;
	}
	/** @throws {Error} when the bundle, the trust domains' bundles or the CRLs cannot be used. */
	reloadTrust(trustedCa, crl, spiffeBundles) {
		const trust = resolveTrust(trustedCa, crl, spiffeBundles);
		this.trust = trust;
		this.compiled = this.compile();
		this.invalidate();
	}
	/** @throws {Error} when a pattern or pin is invalid. */
	reloadAccess(allowedServices, allowedFingerprints) {
		this.access = resolveAccess(allowedServices, allowedFingerprints);
		this.compiled = this.compile();
		this.invalidate();
	}
	/** Forgets every remembered outcome: call when anything trust depends on changes. */
	invalidate() {
		this.current++;
		this.onChange();
	}
	compile() {
		return new CertificatePolicy({
			trustStore: new TrustStore(this.trust.cas),
			allowedTypes: this.allowedTypes,
			pins: this.access.pins,
			revocation: this.trust.revocation,
			securityLevel: this.securityLevel,
			trustDomains: this.trust.trustDomains,
			pinsReportOnly: this.pinsReportOnly
		});
	}
};

// dist/handshake/direct-tls-judge.js
/**
* Judges the caller of a direct TLS connection. The handshake's verdict decides trust (see
* `CertificatePolicy.evaluateHandshake`), and entries are shared by every connection that presents
* the same certificate with the same verdict, so a caller that reconnects pays a lookup. A
* connection whose handshake happened under trust that has changed since (a CA bundle or CRL
* reload) has a stale verdict: its certificate is judged again in TypeScript, against the current
* trust, and its entry is its own.
*/
var DirectTlsJudge = class {
	trust;
	forwarders;
	withChains;
	warn;
	judged;
	/**
	* The trust generation each connection's handshake happened under, recorded only once the trust
	* has changed: a connection with no record shook hands under the first generation. Until the
	* first change (most services' whole life) a new connection costs no entry here.
	*/
	handshakes = /* @__PURE__ */ new WeakMap();
	constructor(trust, forwarders, withChains, cacheSize, warn) {
		this.trust = trust;
		this.forwarders = forwarders;
		this.withChains = withChains;
		this.warn = warn;
		this.judged = new JudgedCertificates(cacheSize);
	}
	/** How many certificates are remembered. */
	get size() {
		return this.judged.size;
	}
	/**
	* Entries of connections judged before their first request is (a peer that may be a proxy by
	* its certificate's identity), so that the request's judgment reuses them: Node 22 hands out a
	* peer's chain on the first `getPeerX509Certificate()` only, and a second reading would judge
	* the leaf without the intermediates it came with.
	*/
	early = /* @__PURE__ */ new WeakMap();
	judgedEarly = false;
	/** {@link judge}, remembered for the connection's own first request. */
	judgeEarly(socket) {
		const known = this.early.get(socket);
		if (known && known.generation === this.trust.generation) return known;
		const entry = this.judge(socket);
		this.early.set(socket, entry);
		this.judgedEarly = true;
		return entry;
	}
	/** Records that a handshake has just completed under the current trust. */
	recordHandshake(socket) {
		const { generation } = this.trust;
		if (generation !== 0) this.handshakes.set(socket, generation);
	}
	/** Forgets every judged certificate (the trust changed). */
	clear() {
		this.judged.clear();
	}
	/** The entry of the connection's caller. Never throws for anything a client sends. */
	judge(socket) {
		if (this.judgedEarly) {
			const early = this.early.get(socket);
			if (early && early.generation === this.trust.generation) return early;
		}
		if (!socket.encrypted || typeof socket.getPeerX509Certificate !== "function") return new AuthEntry(this.trust, {
			ok: false,
			code: MtlsReasonCode.CertMissing
		});
		const cert = socket.getPeerX509Certificate();
		if (!cert) return new AuthEntry(this.trust, {
			ok: false,
			code: MtlsReasonCode.CertMissing
		});
		const { policy } = this.trust;
		if (this.isStale(socket)) return this.entry(() => policy.evaluateForwarded(cert, "tls", presentedChain(cert)), cert);
		const chain = presentedChain(cert);
		const verdict = (socket.authorized ? "OK" : errorCode(socket.authorizationError)) + policy.chainKey(chain);
		const known = this.judged.get(cert.fingerprint256, verdict);
		if (known) return known;
		const tls = {
			authorized: socket.authorized,
			error: socket.authorizationError
		};
		const entry = this.entry(() => policy.evaluateHandshake(cert, tls, () => chain), cert);
		this.judged.set(cert.fingerprint256, verdict, entry);
		return entry;
	}
	/** `true` when the connection's handshake happened under trust that has changed since. */
	isStale(socket) {
		const { generation } = this.trust;
		return generation !== 0 && (this.handshakes.get(socket) ?? 0) !== generation;
	}
	entry(evaluate, cert) {
		let outcome;
		try {
			outcome = this.withChain(evaluate(), cert);
		} catch (cause) {
			this.warn({
				msg: "client certificate could not be read",
				err: cause
			});
			outcome = {
				ok: false,
				code: MtlsReasonCode.CertUntrusted
			};
		}
		const delegates = outcome.ok && this.forwarders?.(outcome.identity) === true;
		return new AuthEntry(this.trust, outcome, delegates);
	}
	withChain(outcome, cert) {
		if (!this.withChains || !outcome.ok || outcome.chain) return outcome;
		const chain = this.trust.policy.trustedChain(cert, presentedChain(cert));
		return chain ? {
			...outcome,
			chain
		} : outcome;
	}
};
/**
* The certificates the peer sent above its leaf, as Node links them through `issuerCertificate`
* (completed from the bundle), as many as OpenSSL's verification depth can use.
*/
function presentedChain(leaf) {
	const chain = [];
	const seen = /* @__PURE__ */ new Set([leaf.fingerprint256]);
	for (let current = leaf.issuerCertificate; current !== void 0 && chain.length <= 100; current = current.issuerCertificate) {
		const fingerprint = current.fingerprint256;
		if (seen.has(fingerprint)) break;
		seen.add(fingerprint);
		chain.push(current);
	}
	return chain;
}

// dist/authentication/refusal.js
/**
* A caller refused, logged and counted once: what the Nest face turns into a 401 or 403 with
* the reason code (`ClientCertificateException`).
*/
var Refusal = class {
	code;
	detail;
	identity;
	/**
	* @param detail what the answer's message says instead of the code's usual one (a bearer
	*   token's fault, in a few words, also goes into its `WWW-Authenticate` challenge).
	* @param identity what the log line said of the certificate, when there was one.
	*/
	constructor(code, detail, identity) {
		this.code = code;
		this.detail = detail;
		this.identity = identity;
	}
};

// dist/records/caller-memory.js
/**
* What one application remembers about its callers between requests: the fast path's whole state,
* owned by its authenticator (two applications in one process share nothing).
*
* Invariants:
* 1. **A TLS connection's caller cannot change while it is open.** The server refuses every
*    renegotiation (`SSL_OP_NO_RENEGOTIATION`; TLS 1.3 has none), so a connection's entry answers
*    for every request it carries, while the entry is {@link current}: same trust generation,
*    and not past its recheck time (the certificate's notAfter, or the end of an OCSP answer).
* 2. **Nothing is written on Node's requests or sockets.** Entries live in `WeakMap`s keyed by
*    them: adding properties to Node's objects after construction slows every later access to
*    them in Node's and Express's code (measured: ~4 µs per request per property on Express over
*    TLS). A `get` on an object never bound gives it no hidden field.
* 3. **A request's own entry wins over its connection's** (a forwarded certificate, or original
*    callers named in XFCC), unless the connection is a direct caller that does not delegate:
*    then no request on it has one, and the connection's entry answers in one lookup.
* 4. **Guards hand over, they do not look up twice.** The authentication guard passes the entry it
*    accepted to the allowlist guard, which Nest runs next in the same synchronous pass.
*/
var CallerMemory = class {
	clock;
	connections = /* @__PURE__ */ new WeakMap();
	requests = /* @__PURE__ */ new WeakMap();
	passedRequest;
	passedEntry;
	constructor(clock) {
		this.clock = clock;
	}
	/** `entry` if it is still current (invariant 1), else `undefined`. */
	current(entry) {
		return entry?.current(this.clock.now());
	}
	/** The connection's remembered entry, if current. */
	connection(socket) {
		return this.current(this.connections.get(socket));
	}
	rememberConnection(socket, entry) {
		this.connections.set(socket, entry);
		return entry;
	}
	/** The entry bound to this very request, if any. */
	request(raw) {
		return this.requests.get(raw);
	}
	bindRequest(raw, entry) {
		this.requests.set(raw, entry);
	}
	/** The entry that answers for a request (invariant 3). */
	entryOf(raw) {
		const connection = this.connection(raw.socket);
		if (connection !== void 0 && !connection.delegates) return connection;
		return this.requests.get(raw) ?? connection;
	}
	/** Hands the entry that just authenticated `raw` to the next guard (invariant 4). */
	passOn(raw, entry) {
		this.passedRequest = raw;
		this.passedEntry = entry;
	}
	/**
	* The entry the authentication guard has just passed on for this request (taken once), or the
	* request's entry when it passed none (Passport path, another guard in between).
	*/
	takePassedEntry(raw) {
		if (raw !== this.passedRequest) return this.entryOf(raw);
		const entry = this.passedEntry;
		this.passedRequest = void 0;
		this.passedEntry = void 0;
		return entry;
	}
	/** The authenticated identity of a request, if any. */
	identityOf(raw) {
		const outcome = this.entryOf(raw)?.outcome;
		return outcome?.ok ? outcome.identity : void 0;
	}
	/** What `validate()` returned for the request's caller, if it was accepted. */
	userOf(raw) {
		const entry = this.entryOf(raw);
		return entry?.outcome.ok ? entry.user : void 0;
	}
};

// dist/records/coarse-clock.js
/**
* How stale {@link CoarseClock.now} may be: an expiring certificate is refused up to this many
* milliseconds late on a connection that is already open (the handshake of every new connection
* checks validity against the exact time).
*/
const COARSE_CLOCK_RESOLUTION_MS = 250;
/**
* Wall-clock time read every {@link COARSE_CLOCK_RESOLUTION_MS}, for the per-request validity
* check of remembered identities. `Date.now()` is a call into V8's runtime: measured with perf on
* the Express benchmark, about 0.25 µs per call, over 0.5% of a guarded request on Node 24.
*
* One per authenticator (no process-wide timer); it starts on first use, never keeps the process
* alive, and {@link stop} ends it when the module closes.
*/
var CoarseClock = class {
	current = 0;
	ticker;
	/** Epoch milliseconds, at most {@link COARSE_CLOCK_RESOLUTION_MS} old. */
	now() {
		if (this.ticker === void 0) this.start();
		return this.current;
	}
	stop() {
		clearInterval(this.ticker);
		this.ticker = void 0;
	}
	start() {
		this.current = Date.now();
		this.ticker = setInterval(() => {
			this.current = Date.now();
		}, 250);
		this.ticker.unref();
	}
};

// dist/ocsp/ocsp-client.js
/** Answers larger than this are refused (a real one is a few KiB). */
const MAX_RESPONSE_BYTES = 65536;
/**
* POSTs a DER OCSP request and resolves with the DER answer, or rejects (timeout, HTTP error,
* oversized answer). One connection per query, closed after it: OCSP responders, `openssl ocsp`
* among them, commonly answer one request per connection, and answers are cached anyway.
*
* @see RFC 6960 appendix A.1
*/
function postOcspRequest(url, body, timeoutMs) {
	const target = new URL(url);
	const send = target.protocol === "https:" ? request$1 : request;
	return new Promise((resolve, reject) => {
		const req = send(target, {
			method: "POST",
			agent: false,
			timeout: timeoutMs,
			headers: {
				"content-type": "application/ocsp-request",
				"content-length": body.length,
				connection: "close"
			}
		}, (res) => {
			if (res.statusCode !== 200) {
				res.resume();
				reject(/* @__PURE__ */ new Error(`OCSP responder ${url} answered ${res.statusCode}`));
				return;
			}
			const chunks = [];
			let size = 0;
			res.on("data", (c) => {
				size += c.length;
				if (size > MAX_RESPONSE_BYTES) req.destroy(/* @__PURE__ */ new Error(`OCSP answer from ${url} is too large`));
				else chunks.push(c);
			});
			res.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
			res.on("error", reject);
		});
		req.on("timeout", () => req.destroy(/* @__PURE__ */ new Error(`OCSP responder ${url} did not answer in ${timeoutMs} ms`)));
		req.on("error", reject);
		req.end(body);
	});
}

// dist/ocsp/ocsp-checker.js
/**
* The OCSP message codec (and `@peculiar/asn1-ocsp`), loaded by the first query rather than with
* this module: OCSP is off by default, and a service that never asks never loads it.
*/
const loadOcsp = () => import("./ocsp-DgkBFU_f.js");
/**
* Asks the issuer's OCSP responder about client certificates (the leaf of a trusted chain), with
* answers cached by fingerprint until their nextUpdate (at most a day), one query in flight per
* certificate, and a timeout. The responder is the certificate's AIA OCSP URL, or `url` when set.
*/
var OcspChecker = class {
	mode;
	url;
	timeoutMs;
	cache = new LRUCache({ max: 1e4 });
	inFlight = /* @__PURE__ */ new Map();
	constructor(mode, url, timeoutMs) {
		this.mode = mode;
		this.url = url;
		this.timeoutMs = timeoutMs;
	}
	/** The status of `chain[0]` as its issuer `chain[1]`'s responder says, within the timeout. */
	async status(chain, now = Date.now()) {
		const [leaf, issuer] = chain;
		if (!leaf || !issuer) return {
			status: "good",
			validUntil: Number.MAX_SAFE_INTEGER
		};
		const key = leaf.fingerprint256;
		const cached = this.cache.get(key);
		if (cached && cached.validUntil > now) return cached;
		let pending = this.inFlight.get(key);
		if (!pending) {
			pending = this.ask(leaf, issuer).finally(() => this.inFlight.delete(key));
			this.inFlight.set(key, pending);
		}
		const answer = await pending;
		this.cache.set(key, answer);
		return answer;
	}
	async ask(leaf, issuer) {
		const { buildOcspRequest, ocspUrlOf, parseOcspResponse } = await loadOcsp();
		const url = this.url ?? ocspUrlOf(leaf);
		if (!url) return {
			status: "unknown",
			validUntil: Date.now() + 6e4
		};
		try {
			return parseOcspResponse(await postOcspRequest(url, buildOcspRequest(leaf, issuer), this.timeoutMs), leaf, issuer);
		} catch {
			return {
				status: "unknown",
				validUntil: Date.now() + 1e4
			};
		}
	}
};

// dist/records/forwarded-outcome-cache.js
/** How many characters of a header value go into its cache key. */
const SAMPLES = 64;
/**
* What is known about forwarded certificate headers, by header value, bounded (LRU).
*
* A forwarded certificate is 1–2 KB of text, new on every request: hashing all of it for a `Map`
* lookup costs more than the rest of forwarded authentication. So the LRU is keyed by a hash of
* the value's length and {@link SAMPLES} characters spread along it, and a hit counts only when
* the whole stored value equals the request's (a plain comparison, no hashing). Two values with
* the same key take turns in one slot: a miss, never the other value's answer.
*/
var ForwardedOutcomeCache = class {
	lru;
	constructor(max) {
		this.lru = new LRUCache({ max });
	}
	/** The item remembered for exactly this header value. */
	get(value) {
		const slot = this.lru.get(sampledHash(value));
		return slot !== void 0 && slot.value === value ? slot.item : void 0;
	}
	set(value, item) {
		this.lru.set(sampledHash(value), {
			value,
			item
		});
	}
	clear() {
		this.lru.clear();
	}
	get size() {
		return this.lru.size;
	}
};
/**
* 32-bit FNV-1a over the length of `value` and {@link SAMPLES} of its characters at evenly spread
* positions, first and last included (all of them when it is shorter). Only a cache key: equality
* is checked on the value.
*/
function sampledHash(value) {
	const n = value.length;
	let h = Math.imul(2166136261 ^ n, 16777619);
	if (n <= SAMPLES) for (let i = 0; i < n; i++) h = Math.imul(h ^ value.charCodeAt(i), 16777619);
	else for (let i = 0; i < SAMPLES; i++) h = Math.imul(h ^ value.charCodeAt(Math.floor((n - 1) * i / 63)), 16777619);
	return h >>> 0;
}

// dist/forwarded/xfcc.js
/** The header in which trusted forwarders name the callers they act for (Envoy's XFCC). */
const XFCC_HEADER = "x-forwarded-client-cert";
/** Most elements and pairs one header may hold: a longer header is refused, not parsed. */
const MAX_ELEMENTS = 16;
const MAX_PAIRS = 64;
/**
* Parses an XFCC header into its elements.
*
* @throws {Error} on unbalanced quotes, a pair without `=`, or more than 16 elements.
*/
function parseXfcc(header) {
	const elements = [];
	let pairs = [];
	let i = 0;
	const n = header.length;
	while (i < n) {
		while (i < n && header[i] === " ") i++;
		const eq = header.indexOf("=", i);
		if (eq < 0) throw new Error("XFCC pair without \"=\"");
		const key = header.slice(i, eq).trim();
		if (!/^[A-Za-z]+$/.test(key)) throw new Error(`XFCC key "${key.slice(0, 20)}" is not a word`);
		i = eq + 1;
		let value = "";
		if (header[i] === "\"") {
			i++;
			let closed = false;
			while (i < n) {
				const c = header[i];
				if (c === "\\" && i + 1 < n) {
					value += header[i + 1];
					i += 2;
				} else if (c === "\"") {
					closed = true;
					i++;
					break;
				} else {
					value += c;
					i++;
				}
			}
			if (!closed) throw new Error("XFCC value with an unterminated quote");
		} else {
			const end = nextSeparator(header, i);
			value = header.slice(i, end).trim();
			i = end;
		}
		pairs.push([key, value]);
		if (pairs.length > MAX_PAIRS) throw new Error("XFCC element with too many pairs");
		while (i < n && header[i] === " ") i++;
		if (i >= n) break;
		if (header[i] === ",") {
			elements.push(pairs);
			pairs = [];
			if (elements.length >= MAX_ELEMENTS) throw new Error("XFCC header with too many elements");
		} else if (header[i] !== ";") throw new Error("XFCC text after a quoted value");
		i++;
	}
	if (pairs.length > 0) elements.push(pairs);
	return elements;
}
function nextSeparator(s, from) {
	for (let i = from; i < s.length; i++) if (s[i] === ";" || s[i] === ",") return i;
	return s.length;
}
/** Serialises elements, quoting every value that needs it. Round-trips with {@link parseXfcc}. */
function formatXfcc(elements) {
	return elements.map((pairs) => pairs.map(([k, v]) => `${k}=${/[",;=\\\s]/.test(v) ? `"${v.replace(/["\\]/g, "\\$&")}"` : v}`).join(";")).join(",");
}
/** The first value of `key` in an element (keys compared case-insensitively). */
function xfccValue(element, key) {
	const k = asciiLower(key);
	return element.find(([name]) => asciiLower(name) === k)?.[1];
}
/**
* The XFCC element a service adds for the caller it acts for: `By` (this service), `Hash` (SHA-256
* of the caller's certificate, hex), `Subject`, and the caller's `URI` and `DNS` SANs.
*/
function xfccElementFor(caller, by) {
	return [
		["By", by],
		["Hash", caller.fingerprint256.replaceAll(":", "").toLowerCase()],
		["Subject", caller.subject],
		...caller.uris.map((u) => ["URI", u]),
		...caller.dnsNames.map((d) => ["DNS", d])
	];
}

// dist/forwarded/forwarded-certificate.js
/**
* A forwarded header longer than this is refused unread: Node's own limit for all the headers of
* a request together (`--max-http-header-size`, 16 KiB), which a leaf and a few intermediates fit
* in even as Envoy's XFCC writes them (the leaf twice, URL-encoded PEM).
*/
const MAX_FORWARDED_HEADER_LENGTH = 16384;
/**
* Most certificates a proxy may forward beside the leaf (its chain, from every header together):
* real chains have one to three intermediates, and each one forwarded is parsed once per header
* value. A longer chain is refused (`MTLS_CERT_MALFORMED`), never truncated.
*/
const MAX_FORWARDED_CHAIN = 10;
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64_LIST = /^[A-Za-z0-9+/]+={0,2}(?:[ \t]*,[ \t]*[A-Za-z0-9+/]+={0,2})*$/;
const HEX = /^(?:[0-9a-fA-F]{2})+$/;
/**
* Decodes a forwarded client certificate header, and the chain a proxy forwards with it. Every
* proxy's format is one of:
* - `url-pem`: nginx `$ssl_client_escaped_cert`, AWS ALB `X-Amzn-Mtls-Clientcert-Leaf`, Kong,
*   CloudFront (URL-encoded PEM); several PEM blocks are the leaf then its chain (ALB passthrough
*   `X-Amzn-Mtls-Clientcert`);
* - `pem`: PEM, its line breaks turned into spaces or tabs, likewise;
* - `base64-der`: Azure `X-ARR-ClientCert`, Caddy, HAProxy `ssl_c_der,base64`; a comma-separated
*   list is the leaf then its chain (Traefik `X-Forwarded-Tls-Client-Cert`, every certificate
*   the client sent);
* - `hex-der`: .NET `GetRawCertDataString()`;
* - `xfcc`: Envoy `x-forwarded-client-cert`, the last element (the nearest proxy's): its `Cert=`
*   and `Chain=` (the whole chain, leaf first; without `Cert=` its first certificate is the
*   leaf), whose `Hash=`, when present, must be the leaf's SHA-256 (hex, any case);
* - `rfc9440`: `Client-Cert: :<base64 DER>:`.
*
* `chainValue` is the separate chain header's value (RFC 9440 `Client-Cert-Chain`, HAProxy
* `ssl_c_chain_der,base64`), read in whichever of those forms it is: an RFC 8941 list of byte
* sequences, PEM or URL-encoded PEM blocks, or base64 items (each may hold several DER
* certificates back to back).
*
* Each item must be exactly one certificate (or, in the chain header, whole certificates):
* none, a private key, text outside PEM blocks or trailing bytes are refused, as is a chain of
* more than {@link MAX_FORWARDED_CHAIN} certificates or a header over
* {@link MAX_FORWARDED_HEADER_LENGTH} characters. Never throws.
*
* @param format `auto` detects it from the value.
* @see RFC 9440
*/
function decodeForwardedCertificate(value, format = "auto", chainValue) {
	try {
		if (value.length > 16384) return fail("header too long");
		if (chainValue !== void 0 && chainValue.length > 16384) return fail("chain header too long");
		const text = value.trim();
		if (text === "") return fail("empty");
		const chosen = format === "auto" ? detectFormat(text) : format;
		if (!chosen) return fail("unknown format");
		const { leaf, chain } = derOf(text, chosen);
		const extra = chainValue?.trim() ? chainDers(chainValue.trim()) : [];
		if (chain.length + extra.length > 10) return fail(`more than ${10} chain certificates`);
		return {
			ok: true,
			certificate: fromDer(leaf),
			chain: [...chain, ...extra].map(fromDer)
		};
	} catch (error) {
		return fail(error.message);
	}
}
/** Guesses the format of a header value; `undefined` when it looks like none of them. */
function detectFormat(text) {
	if (/^-{5}BEGIN%20|^%2D%2D%2D%2D%2DBEGIN/i.test(text)) return "url-pem";
	if (text.startsWith("-----BEGIN")) return "pem";
	if (text.length > 2 && text.startsWith(":") && text.endsWith(":")) return "rfc9440";
	if (/(^|[;,]\s*)(Cert|Hash|By|Subject|URI|DNS|Chain)=/i.test(text)) return "xfcc";
	if (HEX.test(text)) return "hex-der";
	if (BASE64_LIST.test(unescapeBase64(text))) return "base64-der";
}
/** Traefik 2.8 to 2.9.1 URL-escaped its value: `+`, `/`, `=` and the `,` between certificates. */
function unescapeBase64(text) {
	return text.includes("%") ? text.replace(/%2B/gi, "+").replace(/%2F/gi, "/").replace(/%3D/gi, "=").replace(/%2C/gi, ",") : text;
}
function derOf(text, format) {
	switch (format) {
		case "url-pem": return leafFirst(pemToDers(decodeURIComponent(text)));
		case "pem": return leafFirst(pemToDers(text));
		case "base64-der": return leafFirst(decodeURIComponent(unescapeBase64(text)).split(",").map((item) => base64ToDer(item)));
		case "hex-der":
			if (!HEX.test(text)) throw new Error("not hex");
			return {
				leaf: Buffer.from(text, "hex"),
				chain: []
			};
		case "rfc9440": return {
			leaf: byteSequence(text),
			chain: []
		};
		case "xfcc": return xfccDers(text);
	}
}
function leafFirst(ders) {
	const [leaf, ...chain] = ders;
	if (!leaf) throw new Error("no certificate");
	return {
		leaf,
		chain
	};
}
/**
* The last XFCC element's certificate: `Cert=`, and `Chain=` (leaf first). An element whose
* `Chain=` does not start with its `Cert=`, or whose `Hash=` is not its leaf's, was not written by
* one proxy about one client (a spliced or tampered header), and is refused.
*/
function xfccDers(text) {
	const elements = parseXfcc(text);
	const element = elements[elements.length - 1] ?? [];
	const cert = xfccValue(element, "Cert");
	const chainText = xfccValue(element, "Chain");
	const chain = chainText ? pemToDers(decodeURIComponent(chainText)) : [];
	let leaf;
	if (cert !== void 0 && cert !== "") {
		const certs = pemToDers(decodeURIComponent(cert));
		if (certs.length !== 1) throw new Error("XFCC Cert is not one certificate");
		leaf = certs[0];
		if (chain.length > 0 && !leaf.equals(chain[0])) throw new Error("XFCC Chain does not start with its Cert");
	} else if (chain.length > 0) leaf = chain[0];
	else throw new Error("XFCC element without Cert or Chain");
	checkXfccHash(element, leaf);
	return {
		leaf,
		chain: chain.slice(1)
	};
}
/**
* Envoy puts the hex SHA-256 of the certificate's DER in `Hash=` beside `Cert=`: an element whose
* Hash is not its Cert's was not written by one proxy about one certificate (a spliced or
* tampered header), so it is refused rather than trusted for either half.
*
* @see https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_conn_man/headers#x-forwarded-client-cert
*/
function checkXfccHash(element, der) {
	let digest;
	for (const [key, value] of element) {
		if (key.toLowerCase() !== "hash") continue;
		digest ??= createHash("sha256").update(der).digest("hex");
		if (value.toLowerCase() !== digest) throw new Error("XFCC Hash is not the SHA-256 of its Cert");
	}
}
/** The separate chain header, in any of its forms (see {@link decodeForwardedCertificate}). */
function chainDers(text) {
	if (text.startsWith(":")) return text.split(",").map((item) => byteSequence(item.trim()));
	if (/^%2D%2D%2D%2D%2DBEGIN|^-{5}BEGIN%20/i.test(text)) return pemToDers(decodeURIComponent(text));
	if (text.startsWith("-----BEGIN")) return pemToDers(text);
	return unescapeBase64(text).split(",").flatMap((item) => splitDers(base64ToDer(item)));
}
/** An RFC 8941 byte sequence, `:<base64>:`, as RFC 9440 writes a certificate. */
function byteSequence(item) {
	if (item.length < 3 || !item.startsWith(":") || !item.endsWith(":")) throw new Error("not an RFC 8941 byte sequence (:base64:)");
	return base64ToDer(item.slice(1, -1));
}
/** Every PEM block of `pem`, each a CERTIFICATE, with nothing but whitespace between them. */
function pemToDers(pem) {
	const blocks = [...pem.matchAll(PEM_BLOCK)];
	if (blocks.length === 0) throw new Error("no PEM block");
	let outside = pem;
	const ders = blocks.map(([whole, label, body]) => {
		if (label !== "CERTIFICATE") throw new Error(`PEM block is a ${label?.includes("KEY") ? "key" : "not a certificate"}`);
		outside = outside.replace(whole, "");
		return base64ToDer((body ?? "").replace(/\s+/g, ""));
	});
	if (outside.trim() !== "") throw new Error("text outside the PEM blocks");
	return ders;
}
function base64ToDer(b64) {
	const compact = b64.replace(/\s+/g, "");
	if (!BASE64.test(compact) || compact.length % 4 === 1) throw new Error("not base64");
	return Buffer.from(compact, "base64");
}
/** DER certificates written back to back (HAProxy's `ssl_c_chain_der`), each a whole SEQUENCE. */
function splitDers(der) {
	const out = [];
	let at = 0;
	while (at < der.length) {
		const rest = der.subarray(at);
		const length = rest[0] === 48 ? derElementLength(rest) : void 0;
		if (length === void 0 || length <= 0 || length > rest.length) throw new Error("not whole DER certificates");
		out.push(rest.subarray(0, length));
		at += length;
		if (out.length > 10) throw new Error(`more than ${10} chain certificates`);
	}
	return out;
}
/** Exactly one DER certificate. @throws {Error} otherwise. */
function fromDer(der) {
	if (der.length < 64) throw new Error("too short for a certificate");
	if (der[0] !== 48 || derElementLength(der) !== der.length) throw new Error("not exactly one DER certificate");
	return new X509Certificate(der);
}
function fail(reason) {
	return {
		ok: false,
		reason
	};
}

// dist/forwarded/proxy-verdict.js
const SUCCESS = { kind: "success" };
const ABSENT = { kind: "absent" };
/**
* Reads a proxy's verdict header. A value among `successValues` (compared ASCII-case-insensitively:
* `SUCCESS`, HAProxy's `0`, `true`) is a success; `NONE` or an empty value says no certificate was
* presented; anything else is a failure: nginx `FAILED:<OpenSSL's text>`, a non-zero HAProxy
* `X509_V_ERR_*` number, GCP's or Cloudflare's `false`, each with OpenSSL's name for the error
* when it says one.
*
* @returns `undefined` when the proxy sent no verdict (the certificate is judged on its own).
* @see https://nginx.org/en/docs/http/ngx_http_ssl_module.html#var_ssl_client_verify
* @see https://docs.haproxy.org/2.6/configuration.html#7.3.4-ssl_c_verify
*/
function readProxyVerdict(value, successValues) {
	if (value === void 0) return void 0;
	if (successValues.includes(value)) return SUCCESS;
	const word = asciiLower(value.trim());
	if (successValues.some((s) => asciiLower(s) === word)) return SUCCESS;
	if (word === "" || word === "none") return ABSENT;
	const failure = word.startsWith("failed:") ? value.trim().slice(7) : value.trim();
	return {
		kind: "failed",
		error: errorCodeOfProxyVerdict(failure)
	};
}

// dist/forwarded/forwarded-judge.js
/**
* A template proxy's placeholder left as it is: Caddy writes
* `{http.request.tls.client.certificate_der_base64}` itself when the client sent no certificate
* (it leaves a placeholder it cannot fill). Never a certificate; it says there is none.
*/
const UNEXPANDED_PLACEHOLDER = /^\{[A-Za-z0-9_.-]+\}$/;
/** Separates the parts of a cache key: a header value never holds a line feed (RFC 9110 5.5). */
const PART = "\n";
/**
* Judges the certificate a trusted proxy forwarded in a header: decoded with the chain forwarded
* beside it, then validated again here by the bounded chain verifier against the same trust as
* direct TLS (a proxy's word is not trusted; its chain is a hint for building the path, as the
* certificates a client sends in a handshake are). A proxy's failure verdict refuses on its own.
* Outcomes are remembered by the values of the headers they depend on (certificate, chain, and a
* failure verdict) in a bounded LRU: one upstream keep-alive connection carries many callers, so
* nothing is remembered per proxy connection.
*/
var ForwardedJudge = class {
	trust;
	memory;
	headers;
	warn;
	cache;
	successValues;
	constructor(trust, memory, headers, cacheSize, warn) {
		this.trust = trust;
		this.memory = memory;
		this.headers = headers;
		this.warn = warn;
		this.cache = new ForwardedOutcomeCache(cacheSize);
		this.successValues = headers.successValues ?? ["SUCCESS"];
	}
	/** How many header values are remembered. */
	get size() {
		return this.cache.size;
	}
	clear() {
		this.cache.clear();
	}
	/** The entry of the caller a trusted proxy forwarded. Never throws for anything it sends. */
	judge(raw) {
		const value = headerValue(raw, this.headers.certificate);
		const verdict = readProxyVerdict(headerValue(raw, this.headers.verify), this.successValues);
		if (value === void 0 || value === "" || verdict?.kind === "absent" || value.charCodeAt(0) === 123 && UNEXPANDED_PLACEHOLDER.test(value)) return new AuthEntry(this.trust, {
			ok: false,
			code: MtlsReasonCode.CertMissing
		});
		const chain = this.headers.chain === void 0 ? void 0 : headerValue(raw, this.headers.chain);
		let key = chain ? value + PART + chain : value;
		if (verdict?.kind === "failed") key = `failed:${verdict.error}${PART}${key}`;
		const cached = this.memory.current(this.cache.get(key));
		if (cached) return cached;
		const entry = new AuthEntry(this.trust, this.evaluate(value, chain, verdict?.kind === "failed" ? verdict.error : void 0));
		this.cache.set(key, entry);
		return entry;
	}
	/**
	* @param failed OpenSSL's name for the error of a proxy that refused the certificate itself
	*   (`''` when it named none); `undefined` when it did not.
	*/
	evaluate(value, chain, failed) {
		const decoded = decodeForwardedCertificate(value, this.headers.format, chain);
		if (!decoded.ok) return {
			ok: false,
			code: MtlsReasonCode.CertMalformed
		};
		try {
			const { policy } = this.trust;
			return failed === void 0 ? policy.evaluateForwarded(decoded.certificate, "forwarded", decoded.chain) : policy.evaluateProxyRefusal(decoded.certificate, failed, decoded.chain);
		} catch (cause) {
			this.warn({
				msg: "forwarded certificate could not be read",
				err: cause
			});
			return {
				ok: false,
				code: MtlsReasonCode.CertMalformed
			};
		}
	}
};
function headerValue(raw, name) {
	const value = raw.headers[name];
	return Array.isArray(value) ? value.join(",") : value?.trim();
}

// dist/forwarded/trusted-proxies.js
/**
* Which TCP peers may forward a client certificate in a header: those in the address list (when
* one is set) AND, when identity patterns are set, those that present over TLS a client
* certificate this service trusts and whose identity matches a pattern. Forwarding is off when
* neither is set.
*
* Decided once per connection, and again for an identity verdict after a trust change (a revoked
* or removed proxy certificate stops forwarding on its open connections) or once the proxy's
* certificate has expired.
*/
var TrustedProxies = class {
	judge;
	trust;
	clock;
	addresses;
	identities;
	verdicts = /* @__PURE__ */ new WeakMap();
	/**
	* @param cidrs addresses or CIDR ranges, already validated.
	* @param identityPatterns identity patterns, already validated.
	* @param judge the identity a peer proves (trusted chain, validity, usage, revocation).
	* @param trust whose generation makes identity verdicts stale.
	* @param clock when a proxy certificate's verdict is looked at again.
	*/
	constructor(cidrs, identityPatterns, judge, trust, clock) {
		this.judge = judge;
		this.trust = trust;
		this.clock = clock;
		this.addresses = createBlockList(cidrs);
		this.identities = compileIdentityPatterns(identityPatterns);
	}
	/** `true` when some peer may forward certificates at all. */
	get enabled() {
		return this.addresses !== void 0 || this.identities !== void 0;
	}
	/** `true` when this socket's peer may forward certificates. */
	isTrusted(socket) {
		if (!this.enabled) return false;
		const known = this.verdicts.get(socket);
		if (known !== void 0 && (known.generation === this.trust.generation || this.identities === void 0) && this.clock.now() <= known.recheckAt) return known.trusted;
		const verdict = this.decide(socket);
		this.verdicts.set(socket, verdict);
		return verdict.trusted;
	}
	decide(socket) {
		const generation = this.trust.generation;
		if (this.addresses && !isInBlockList(this.addresses, socket.remoteAddress)) return {
			trusted: false,
			generation,
			recheckAt: Infinity
		};
		if (!this.identities) return {
			trusted: true,
			generation,
			recheckAt: Infinity
		};
		const tls = socket;
		if (!tls.encrypted) return {
			trusted: false,
			generation,
			recheckAt: Infinity
		};
		const identity = this.judge(tls);
		if (identity === void 0) return {
			trusted: false,
			generation,
			recheckAt: Infinity
		};
		return {
			trusted: this.identities(identity),
			generation,
			recheckAt: identity[MATCH_KEYS].notAfterMs
		};
	}
};
function createBlockList(cidrs) {
	if (cidrs.length === 0) return void 0;
	const list = new BlockList();
	for (const range of effectiveRanges(cidrs.map(parseRange))) {
		const family = range.family === 4 ? "ipv4" : "ipv6";
		list.addRange(formatAddress(range.family, range.first), formatAddress(range.family, range.last), family);
	}
	return list;
}
function isInBlockList(list, address) {
	const peer = normalizePeerAddress(address);
	return peer !== void 0 && list.check(peer.address, peer.family);
}

// dist/forwarded/forwarded-caller.js
/** What a trusted forwarder's XFCC element says about a caller. */
function forwardedCallerFrom(element) {
	const all = (key) => {
		const k = asciiLower(key);
		return element.filter(([name]) => asciiLower(name) === k).map(([, v]) => v);
	};
	return {
		hash: xfccValue(element, "Hash") ?? null,
		subject: xfccValue(element, "Subject") ?? null,
		uris: all("URI"),
		dnsNames: all("DNS"),
		by: xfccValue(element, "By") ?? null
	};
}
/**
* A forwarded caller in the shape identity patterns match, so `@AllowServices(..., { onBehalfOf })`
* uses the same patterns for the original caller as for the immediate one. Fields XFCC does not
* carry are empty; a caller without a usable subject has no CN and no DN. Its `spiffeId` follows
* the certificate's rule: the one `URI` when the element names exactly one and it is a valid
* SPIFFE ID.
*/
function matchableForwardedCaller(caller) {
	let attributes = [];
	try {
		attributes = caller.subject ? parseDistinguishedName(caller.subject) : [];
	} catch {
		attributes = [];
	}
	const cns = attributes.filter((a) => a.type === "CN");
	const commonName = cns.length === 1 ? cns[0]?.value ?? null : null;
	return {
		commonName,
		subject: caller.subject ?? "",
		issuer: "",
		serialNumber: "",
		fingerprint256: "",
		fingerprint: "",
		dnsNames: caller.dnsNames,
		uris: caller.uris,
		emails: [],
		ips: [],
		spiffeId: spiffeIdOf(caller.uris),
		notBefore: "",
		notAfter: "",
		source: "forwarded",
		[MATCH_KEYS]: {
			commonName: commonName === null ? null : asciiLower(commonName),
			dnsNames: caller.dnsNames.map((d) => asciiLower(d)),
			uris: caller.uris,
			dnKey: attributes.length > 0 ? dnMatchKey(attributes) : "\0none",
			sha256: caller.hash === null ? "" : asciiLower(caller.hash),
			sha1: "",
			notBeforeMs: 0,
			notAfterMs: Number.MAX_SAFE_INTEGER
		}
	};
}

// dist/forwarded/original-callers.js
/**
* Delegation: a caller whose own certificate matches `trustedForwarders` may say, in
* `x-forwarded-client-cert`, on whose behalf it calls. The request then gets its own entry, whose
* identity carries `forwardedFor` (original caller first). From anyone else the header is removed
* from the request and logged; a malformed one from a trusted forwarder is refused.
*/
var OriginalCallers = class {
	trust;
	memory;
	forwarders;
	certificateHeaderIsXfcc;
	warn;
	constructor(trust, memory, forwarders, certificateHeaderIsXfcc, warn) {
		this.trust = trust;
		this.memory = memory;
		this.forwarders = forwarders;
		this.certificateHeaderIsXfcc = certificateHeaderIsXfcc;
		this.warn = warn;
	}
	/** The entry that answers for `raw`, given its caller's entry. */
	apply(raw, entry) {
		if (this.certificateHeaderIsXfcc || !hasHeader(raw, "x-forwarded-client-cert")) return entry;
		const header = raw.headers[XFCC_HEADER];
		if (header === void 0) return entry;
		const identity = entry.outcome.ok ? entry.outcome.identity : void 0;
		if (!identity || !this.forwarders?.(identity)) {
			delete raw.headers[XFCC_HEADER];
			this.warn({
				msg: "x-forwarded-client-cert from a caller that is not a trusted forwarder removed",
				event: "mtls.xfcc_ignored",
				cn: identity?.commonName ?? null,
				fingerprint256: identity?.fingerprint256 ?? null,
				peer: raw.socket.remoteAddress ?? null
			});
			return entry;
		}
		let forwardedFor;
		try {
			forwardedFor = parseXfcc(Array.isArray(header) ? header.join(",") : header).map(forwardedCallerFrom);
		} catch {
			return new AuthEntry(this.trust, {
				ok: false,
				code: MtlsReasonCode.CertMalformed,
				identity
			});
		}
		const own = new AuthEntry(this.trust, {
			ok: true,
			identity: Object.freeze({
				...identity,
				forwardedFor
			})
		});
		this.memory.bindRequest(raw, own);
		return own;
	}
};

// dist/records/caller-inventory.js
/** How one caller fared on one route. */
var RouteTally = class {
	record;
	route;
	controller;
	/** Requests let through. */
	allowed = 0;
	/** Requests refused with a 403 (allowlist, pins, the strategy). */
	refused = 0;
	/** Requests report-only enforcement let through that enforcement would refuse. */
	wouldRefuse = 0;
	constructor(record, route, controller) {
		this.record = record;
		this.route = route;
		this.controller = controller;
	}
};
/** One caller identity the service has seen (by certificate fingerprint). */
var CallerRecord = class {
	firstSeen;
	lastSeen;
	requests = 0;
	/** Dropped from the inventory: whoever still holds it looks the caller up again. */
	evicted = false;
	routes = /* @__PURE__ */ new Map();
	commonName;
	spiffeId;
	fingerprint256;
	subject;
	constructor(identity, now) {
		this.commonName = identity.commonName;
		this.spiffeId = identity.spiffeId ?? null;
		this.fingerprint256 = identity.fingerprint256;
		this.subject = identity.subject ?? null;
		this.firstSeen = now;
		this.lastSeen = now;
	}
	/** This caller's tally on `route`, made on its first request there. */
	tally(route, controller) {
		let tally = this.routes.get(route);
		if (tally === void 0) this.routes.set(route, tally = new RouteTally(this, route, controller));
		return tally;
	}
};
/**
* "Who calls me?": every caller identity seen on a guarded route, when first and last, how many
* requests, and per route how many were allowed, refused and would have been refused. Bounded:
* at most `capacity` identities; a new one arriving at capacity drops the tenth seen longest ago
* at once (one sort per `capacity / 10` new identities, not a list kept in order per request).
* Operational data, reset on restart: not an audit log.
*
* The request path counts through a {@link RouteTally} its caller's entry already holds: field
* increments, no lookup and no allocation.
*/
var CallerInventory = class {
	capacity;
	clock;
	records = /* @__PURE__ */ new Map();
	since;
	constructor(capacity, clock) {
		this.capacity = capacity;
		this.clock = clock;
		this.since = Date.now();
	}
	/** How many identities are kept now. */
	get size() {
		return this.records.size;
	}
	/** The record of `identity`, made (evicting if full) when new; `undefined` when off. */
	recordOf(identity) {
		if (this.capacity === 0) return void 0;
		const known = this.records.get(identity.fingerprint256);
		if (known !== void 0) return known;
		if (this.records.size >= this.capacity) this.evict();
		const record = new CallerRecord(identity, this.clock.now());
		this.records.set(identity.fingerprint256, record);
		return record;
	}
	/** Counts one request of `tally`'s caller on its route. */
	count(tally, outcome) {
		tally[outcome]++;
		const record = tally.record;
		record.requests++;
		record.lastSeen = this.clock.now();
	}
	snapshot() {
		const iso = (ms) => new Date(ms).toISOString();
		const callers = [...this.records.values()].sort((a, b) => b.lastSeen - a.lastSeen).map((r) => ({
			commonName: r.commonName,
			spiffeId: r.spiffeId,
			fingerprint256: r.fingerprint256,
			subject: r.subject,
			firstSeen: iso(r.firstSeen),
			lastSeen: iso(r.lastSeen),
			requests: r.requests,
			routes: [...r.routes.values()].map(({ route, controller, allowed, refused, wouldRefuse }) => ({
				route,
				controller,
				allowed,
				refused,
				wouldRefuse
			})).sort((a, b) => a.route.localeCompare(b.route))
		}));
		return {
			capacity: this.capacity,
			since: iso(this.since),
			callers
		};
	}
	/** Drops the tenth of the identities seen longest ago. */
	evict() {
		const oldest = [...this.records.values()].sort((a, b) => a.lastSeen - b.lastSeen);
		const drop = Math.max(1, Math.ceil(this.capacity / 10));
		for (const record of oldest.slice(0, drop)) {
			record.evicted = true;
			this.records.delete(record.fingerprint256);
		}
	}
};

// dist/records/route-verdict.js
/**
* What authorization decided for one caller (an entry) on one route, remembered on the entry:
* a keep-alive caller is matched against the route's patterns once, not on every request.
*/
var RouteVerdict = class {
	code;
	enforced;
	tally;
	wouldReject;
	/** Report-only: the `mtls.would_reject` line was written for this caller and route. */
	reported = false;
	constructor(code, enforced, tally, wouldReject) {
		this.code = code;
		this.enforced = enforced;
		this.tally = tally;
		this.wouldReject = wouldReject;
	}
};

// dist/tokens/certificate-thumbprint.js
/**
* The `x5t#S256` confirmation of a certificate (RFC 8705 section 3.1): the base64url SHA-256 of
* its DER, from the SHA-256 fingerprint Node prints (`AB:CD:...`, the same digest in hex), so
* nothing is hashed again per request.
*
* @example x5tS256('AB:CD:...') // 'q80...'
*/
function x5tS256(fingerprint256) {
	return Buffer.from(fingerprint256.replaceAll(":", ""), "hex").toString("base64url");
}

// dist/tokens/bound-token-verifier.js
/** Signature algorithms accepted: asymmetric only (a JWKS publishes public keys). */
const ALGORITHMS = [
	"RS256",
	"RS384",
	"RS512",
	"PS256",
	"PS384",
	"PS512",
	"ES256",
	"ES384",
	"ES512",
	"EdDSA",
	"Ed25519"
];
/**
* `jose` and undici, loaded by the first token to verify rather than with this module: a service
* with no `@RequireBoundToken()` route never loads them (start-up time).
*/
const loadJose = () => import("jose");
const loadUndici$1 = () => import("undici");
/** How many verified tokens are remembered (by value, until they expire). */
const VERIFIED_TOKENS = 1e4;
/**
* Verifies certificate-bound JWT access tokens (RFC 8705 section 3, RFC 9068) with `jose`:
* signature by a key of the authorization server's JWKS (fetched over HTTPS with the server
* verified, cached, and fetched again when a token names a key it does not hold: key rotation),
* `iss`, `aud`, `exp` and `nbf`; then `cnf["x5t#S256"]` against the certificate the request was
* authenticated with. A token verified once is remembered until it expires (at most as long as
* the keys are), so a caller's next requests cost a lookup and a string comparison.
*
* Never throws for anything a client sends, nor when the JWKS cannot be fetched: every failure
* is a verdict (`MTLS_TOKEN_INVALID`), with the reason.
*/
var BoundTokenVerifier = class {
	settings;
	agent;
	keys;
	verified = new LRUCache({ max: VERIFIED_TOKENS });
	cacheMaxAgeMs;
	constructor(settings) {
		this.settings = settings;
		this.cacheMaxAgeMs = settings.jwksCacheMaxAgeMs ?? 6e5;
	}
	/** The authorization server's key set: fetched when first needed, then cached by `jose`. */
	keySet() {
		this.keys ??= Promise.all([loadJose(), loadUndici$1()]).then(([jose, undici]) => {
			const agent = new undici.Agent({ connect: {
				rejectUnauthorized: true,
				...this.settings.jwksCa === void 0 ? {} : { ca: this.settings.jwksCa }
			} });
			this.agent = agent;
			return jose.createRemoteJWKSet(new URL(this.settings.jwksUrl), {
				cacheMaxAge: this.cacheMaxAgeMs,
				cooldownDuration: this.settings.jwksCooldownMs ?? 3e4,
				timeoutDuration: 5e3,
				[jose.customFetch]: (url, init) => undici.fetch(url, {
					method: init.method,
					redirect: init.redirect,
					signal: init.signal,
					headers: Object.fromEntries(init.headers.entries()),
					dispatcher: agent
				})
			});
		});
		return this.keys;
	}
	/**
	* The verdict on `token` presented on a request authenticated with the certificate whose
	* SHA-256 fingerprint is `fingerprint256`: synchronous for a token verified before.
	*/
	verify(token, fingerprint256) {
		const known = this.verified.get(token);
		if (known) return bind(known, fingerprint256);
		return this.verifyNew(token).then((verified) => bind(verified, fingerprint256), (error) => ({
			ok: false,
			code: MtlsReasonCode.TokenInvalid,
			reason: describe(error)
		}));
	}
	/** Closes the JWKS client's connections. */
	close() {
		return this.agent?.close() ?? Promise.resolve();
	}
	async verifyNew(token) {
		const [{ jwtVerify }, keys] = await Promise.all([loadJose(), this.keySet()]);
		const { payload } = await jwtVerify(token, keys, {
			issuer: this.settings.issuer,
			audience: this.settings.audience,
			algorithms: ALGORITHMS,
			clockTolerance: this.settings.clockToleranceSec ?? 30,
			requiredClaims: ["exp"]
		});
		const exp = payload.exp;
		const cnf = payload.cnf;
		const verified = {
			x5t: typeof cnf?.["x5t#S256"] === "string" ? cnf["x5t#S256"] : void 0,
			claims: {
				subject: payload.sub,
				clientId: typeof payload.client_id === "string" ? payload.client_id : void 0,
				scopes: typeof payload.scope === "string" ? payload.scope.split(" ").filter(Boolean) : [],
				expiresAt: exp,
				claims: payload
			}
		};
		const ttl = Math.min(exp * 1e3 - Date.now(), this.cacheMaxAgeMs);
		if (ttl > 0) this.verified.set(token, verified, { ttl });
		return verified;
	}
};
function bind(token, fingerprint256) {
	if (token.x5t === void 0) return {
		ok: false,
		code: MtlsReasonCode.TokenNotBound,
		reason: "the token is not bound to a certificate (no cnf x5t#S256)"
	};
	if (token.x5t !== x5tS256(fingerprint256)) return {
		ok: false,
		code: MtlsReasonCode.TokenNotBound,
		reason: "the token is bound to another certificate (cnf x5t#S256)"
	};
	return {
		ok: true,
		token: token.claims
	};
}
/** A short reason for a failed verification, without the token (by `jose`'s stable codes). */
function describe(error) {
	const e = error;
	switch (e.code) {
		case "ERR_JWT_EXPIRED": return "the token has expired";
		case "ERR_JWT_CLAIM_VALIDATION_FAILED": return `the token's ${String(e.claim)} claim ${e.reason === "check_failed" ? "is not the expected one" : String(e.reason).replaceAll("_", " ")}`;
		case "ERR_JWKS_NO_MATCHING_KEY": return "no key of the JWKS signed it";
		case "ERR_JWS_SIGNATURE_VERIFICATION_FAILED": return "its signature does not verify";
		case "ERR_JOSE_ALG_NOT_ALLOWED": return "its signature algorithm is not accepted";
		case "ERR_JWKS_TIMEOUT": return "the JWKS did not answer in time";
	}
	if (e.code?.startsWith("ERR_JWKS")) return `the JWKS is not usable (${e.code})`;
	if (e.code?.startsWith("ERR_J")) return `it is not a valid JWT (${e.code})`;
	const detail = e.cause?.code ?? e.cause?.message ?? e.message;
	return `the JWKS could not be fetched (${String(detail)})`;
}

// dist/tokens/bearer-token.js
/** Longest bearer token read: a JWT access token is 1-2 KB; anything far longer is refused. */
const MAX_BEARER_TOKEN_LENGTH = 16384;
/** RFC 6750 section 2.1 `b64token`. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
/**
* The token of an `Authorization: Bearer <token>` header (RFC 6750 section 2.1; the scheme is
* case-insensitive): `undefined` when there is no such header, `null` when there is one that is
* not a well-formed bearer token (another scheme, several values, too long, bad characters).
*/
function bearerToken(header) {
	if (header === void 0) return void 0;
	if (typeof header !== "string") return null;
	const space = header.indexOf(" ");
	if (space < 0 || header.slice(0, space).toLowerCase() !== "bearer") return null;
	const token = header.slice(space + 1).trim();
	if (token.length === 0 || token.length > 16384 || !B64TOKEN.test(token)) return null;
	return token;
}

// dist/authentication/route-rule.js
/**
* `true` when `identity` passes a route's allowlist: the immediate caller, or with `onBehalfOf`
* the original caller it names (a request naming none fails).
*/
function passesRouteAllowlist(allow, identity) {
	if (!allow.onBehalfOf) return allow.matches(identity);
	const original = identity.forwardedFor?.[0];
	return original !== void 0 && allow.matches(matchableForwardedCaller(original));
}
/**
* The one authorization decision (the allowlist guard's, remembered per caller and route, and
* `npm run policy`'s): the pins' report-only refusal first (enforced pins refuse in
* authentication), then the service-wide allowlist, then the route's; each enforced unless
* report-only applies to it (the service-wide setting for all three, the route's own for its list).
*
* @param passesService whether the identity passes the service-wide allowlist (none: `true`).
*/
function authorizationVerdict(outcome, passesService, rule, enforcement) {
	const reportOnly = enforcement === "report-only";
	if (outcome.wouldRefuse !== void 0) return {
		code: outcome.wouldRefuse,
		enforced: !reportOnly
	};
	if (!passesService) return {
		code: MtlsReasonCode.ServiceForbidden,
		enforced: !reportOnly
	};
	if (rule.allow && !passesRouteAllowlist(rule.allow, outcome.identity)) return {
		code: MtlsReasonCode.ServiceForbidden,
		enforced: !reportOnly && !rule.reportOnly
	};
	return {
		code: void 0,
		enforced: true
	};
}

// dist/authentication/authenticator.js
/**
* The application's authentication: turns a request into an outcome (an identity, or a reason
* code), remembers it (see {@link CallerMemory}), and is what an application operates: hot
* reloads of trust and access, {@link invalidate}, {@link metrics}. One per application.
*
* - Direct TLS: {@link DirectTlsJudge}, the handshake's verdict plus the policy.
* - Forwarded: only from a trusted proxy ({@link TrustedProxies}), by {@link ForwardedJudge}.
* - Delegation: a trusted forwarder's XFCC, by {@link OriginalCallers}.
*/
var Authenticator = class {
	log;
	/** The fast path's state (guards read it). */
	memory;
	clock = new CoarseClock();
	trust;
	direct;
	forwarded;
	originalCallers;
	proxies;
	ocsp;
	counters = new AuthMetrics();
	headers;
	/** A request can have an entry of its own: forwarded by a proxy, or XFCC from a forwarder. */
	requestEntries;
	/** Service-wide enforcement of authorization (`enforcement` option). */
	enforcement;
	inventory;
	boundTokens;
	boundTokenAudience;
	/**
	* @param log where refusals and warnings go, one call each (the Nest face gives Nest's logger).
	* @throws {MtlsAuthOptionsError} naming every invalid option.
	*/
	constructor(options, log) {
		this.log = log;
		const o = resolveMtlsAuthOptions(options);
		const warn = (fields) => log.warn(logRecord({
			msg: "mtls warning",
			...fields
		}));
		this.memory = new CallerMemory(this.clock);
		this.enforcement = o.enforcement;
		this.inventory = new CallerInventory(o.callerInventorySize, this.clock);
		this.boundTokens = o.boundToken ? new BoundTokenVerifier(o.boundToken) : void 0;
		this.boundTokenAudience = o.boundToken?.audience;
		this.trust = new TrustConfiguration(o, o, o.allowedCertificateTypes, o.securityLevel, () => {
			this.direct.clear();
			this.forwarded.clear();
		}, o.enforcement === "report-only");
		this.ocsp = o.ocsp === "off" ? void 0 : new OcspChecker(o.ocsp, o.ocspUrl, o.ocspTimeoutMs);
		this.direct = new DirectTlsJudge(this.trust, o.trustedForwarders, this.ocsp !== void 0, o.callerCacheSize, warn);
		this.forwarded = new ForwardedJudge(this.trust, this.memory, {
			certificate: o.certificateHeader,
			verify: o.verifyHeader,
			format: o.certificateHeaderFormat,
			chain: o.certificateChainHeader,
			successValues: o.verifySuccessValues
		}, o.callerCacheSize, warn);
		this.originalCallers = new OriginalCallers(this.trust, this.memory, o.trustedForwarders, o.certificateHeader === XFCC_HEADER, warn);
		this.proxies = new TrustedProxies(o.trustedProxies, o.trustedProxyIdentities, (socket) => this.proxyIdentity(socket), this.trust, this.clock);
		this.headers = [
			o.certificateHeader,
			o.verifyHeader,
			o.certificateChainHeader
		].filter((h) => h !== void 0);
		this.requestEntries = this.proxies.enabled || o.trustedForwarders !== void 0;
	}
	/** Stops the coarse clock's timer (the module calls it when the application closes). */
	close() {
		this.clock.stop();
		this.boundTokens?.close();
	}
	/** How many callers' outcomes are remembered now, by source (each at most `callerCacheSize`). */
	get cachedCallers() {
		return {
			tls: this.direct.size,
			forwarded: this.forwarded.size
		};
	}
	/** Authentication outcomes so far (for a metrics endpoint). */
	metrics() {
		return this.counters.snapshot();
	}
	/** Service-wide allowlist; `undefined` = any authenticated caller. */
	get allowedServices() {
		return this.trust.allowedServices;
	}
	/**
	* The CRLs in force (the last loaded, at start-up or by {@link reloadTrust}), one per CA, with
	* their thisUpdate and nextUpdate. A CRL past its nextUpdate refuses every certificate whose
	* chain runs through its CA (OpenSSL's handshake, and this module for forwarded certificates);
	* one before its thisUpdate, OpenSSL's handshake does. An application should tell its operators.
	*/
	get revocationLists() {
		return this.trust.revocationLists;
	}
	/**
	* The headers a trusted proxy sets (certificate, verdict, chain); from anyone else they are
	* stripped and logged.
	*/
	get forwardedHeaders() {
		return this.headers;
	}
	/** `true` when some peer may forward certificates. */
	get forwardingEnabled() {
		return this.proxies.enabled;
	}
	/** The full decision for a request. Never throws for anything a client sends. */
	authenticate(request) {
		return this.judge(request).outcome;
	}
	/**
	* The entry that answers for `request`, judged now if need be (synchronously; OCSP, when on, is
	* asked by {@link authenticateAsync}).
	*/
	judge(request) {
		const raw = rawRequest(request);
		const known = this.known(raw);
		if (known) return known;
		const entry = this.memory.rememberConnection(raw.socket, this.direct.judge(raw.socket));
		return this.originalCallers.apply(raw, entry);
	}
	/**
	* {@link judge}, then, when OCSP is on, the responder's word on a newly accepted certificate
	* (once per certificate or forwarded header, until the answer's nextUpdate).
	*/
	async authenticateAsync(request) {
		const entry = this.judge(request);
		if (this.awaitsOcsp(entry)) await this.askOcsp(entry);
		return entry.outcome;
	}
	/** `true` when `entry` was accepted and the OCSP responder has yet to be asked about it. */
	awaitsOcsp(entry) {
		const { outcome } = entry;
		return this.ocsp !== void 0 && outcome.ok && entry.ocspValidUntil === void 0 && !!outcome.chain;
	}
	/** Asks the OCSP responder about an accepted entry and records its answer on the entry. */
	async askOcsp(entry) {
		const { outcome } = entry;
		if (!this.ocsp || !outcome.ok || !outcome.chain) return;
		const answer = await this.ocsp.status(outcome.chain);
		if (answer.status === "revoked" || answer.status === "unknown" && this.ocsp.mode === "hard") {
			const code = answer.status === "revoked" ? MtlsReasonCode.CertRevoked : MtlsReasonCode.CertUntrusted;
			entry.refuse({
				ok: false,
				code,
				identity: outcome.identity
			});
		} else entry.trustOcspUntil(answer.validUntil);
	}
	/** Removes a non-forwarder's XFCC before anything reads it (see `ForwardedHeaderFilter`). */
	screenOriginalCallers(raw) {
		this.judge(raw);
	}
	/** Counts an accepted request: a field increment, as it happens on every request. */
	accepted(source) {
		this.counters.accept(source);
	}
	/**
	* Replaces the trusted CA bundle, the CRLs and the SPIFFE trust domains' bundles (hot
	* rotation). Everything is parsed first: on an error this throws and the current trust stays in
	* force. On success every caller is judged again on its next request, so a certificate revoked
	* in the new CRL is refused even on a keep-alive connection opened before.
	*
	* @param spiffeBundles trust domain -> bundle, as the `spiffeBundles` option (omitted: none).
	* @throws {Error} when the bundle, the trust domains' bundles or the CRLs cannot be used.
	*/
	reloadTrust(trustedCa, crl, spiffeBundles) {
		this.trust.reloadTrust(trustedCa, crl, spiffeBundles);
	}
	/**
	* Replaces the service-wide allowlist and the pins (hot change of who may call). Both are
	* compiled before either is applied; every caller is judged again on its next request.
	*
	* @throws {Error} when a pattern or pin is invalid (the current rules stay in force).
	*/
	reloadAccess(rules) {
		this.trust.reloadAccess(rules.allowedServices, rules.allowedFingerprints);
	}
	/** Forgets every remembered outcome: call when anything trust depends on changes. */
	invalidate() {
		this.trust.invalidate();
	}
	/** Records the trust generation of a handshake (the module calls it on `secureConnection`). */
	recordHandshake(socket) {
		this.direct.recordHandshake(socket);
	}
	/** `true` when the socket's peer may forward certificates. */
	isTrustedProxy(socket) {
		return this.proxies.isTrusted(socket);
	}
	/**
	* Logs a refusal once, structured (reason code, CN, SHA-256 fingerprint, peer address; never a
	* key or a full header), counts it, and returns it (the Nest face throws it as a 401/403).
	*/
	reject(request, code, identity, detail) {
		const raw = rawRequest(request);
		const source = identity?.source ?? (this.isTrustedProxy(raw.socket) ? "forwarded" : "tls");
		this.counters.refuse(code, source);
		this.log.warn(logRecord({
			msg: "client refused",
			event: "mtls.rejected",
			code,
			cn: identity?.commonName ?? null,
			fingerprint256: identity?.fingerprint256 ?? null,
			source,
			peer: raw.socket.remoteAddress ?? null,
			method: raw.method,
			url: raw.url?.slice(0, 200),
			...detail === void 0 ? {} : { detail }
		}));
		return new Refusal(code, detail, identity);
	}
	/**
	* Authorization of a request its entry authenticated, on the route `rule` stands for: the pins
	* (report-only only: enforced pins refuse in authentication), the service-wide allowlist, the
	* route's `@AllowServices()`. The verdict is remembered on the entry per route, so a known
	* caller costs a lookup and a few increments (the inventory's counts), no matching and no
	* allocation. Report-only lets a would-be refusal through: logged once per caller and route
	* (`mtls.would_reject`) and counted.
	*
	* @returns `undefined` to let the request through, or its refusal (logged and counted).
	*/
	authorize(request, entry, rule) {
		const { outcome } = entry;
		if (!outcome.ok) return this.reject(request, outcome.code, outcome.identity);
		let verdict = entry.verdictOn(rule);
		if (verdict === void 0) {
			verdict = this.decide(entry, outcome.identity, rule);
			entry.rememberVerdict(rule, verdict);
		}
		let tally = verdict.tally;
		if (tally?.record.evicted) tally = verdict.tally = this.tallyOf(outcome.identity, rule);
		const { code } = verdict;
		if (code === void 0) {
			if (tally) this.inventory.count(tally, "allowed");
			return;
		}
		if (verdict.enforced) {
			if (tally) this.inventory.count(tally, "refused");
			return this.reject(request, code, outcome.identity);
		}
		if (tally) this.inventory.count(tally, "wouldRefuse");
		if (verdict.wouldReject) verdict.wouldReject.count++;
		if (tally ? tally.wouldRefuse === 1 : !verdict.reported) {
			verdict.reported = true;
			this.reportWouldReject(request, code, outcome.identity, rule);
		}
	}
	/**
	* Counts in the inventory a request refused with a 403 before authorization (pins, the
	* strategy's `validate()`), on the route `rule` stands for.
	*/
	tallyRefusal(rule, refusal) {
		if (refusal.identity === void 0 || REASON_DESCRIPTIONS[refusal.code].status !== 403) return;
		const tally = this.tallyOf(refusal.identity, rule);
		if (tally) this.inventory.count(tally, "refused");
	}
	/** Every caller identity seen on a guarded route, most recent first (`GET /callers`). */
	callers() {
		return this.inventory.snapshot();
	}
	/** The realm of a bound-token challenge (`WWW-Authenticate`): the configured audience. */
	get boundTokenRealm() {
		return this.boundTokenAudience ?? "mtls";
	}
	/** `true` when certificate-bound tokens can be checked (the `boundToken` option is set). */
	get boundTokensConfigured() {
		return this.boundTokens !== void 0;
	}
	/**
	* RFC 8705: the request's `Authorization: Bearer` token must be a valid access token of the
	* configured issuer and audience, bound (`cnf["x5t#S256"]`) to the certificate `identity`, which
	* authenticated this request (directly or forwarded). Synchronous for a token verified before.
	*
	* @returns `undefined` when it is, else the refusal (401 `MTLS_TOKEN_*`, logged and counted).
	*/
	checkBoundToken(request, identity) {
		const raw = rawRequest(request);
		const token = bearerToken(raw.headers.authorization);
		if (token === void 0) return this.reject(request, MtlsReasonCode.TokenMissing, identity);
		if (token === null) return this.reject(request, MtlsReasonCode.TokenInvalid, identity, "the Authorization header is not one bearer token");
		if (!this.boundTokens) return this.reject(request, MtlsReasonCode.TokenInvalid, identity, "this service has no authorization server configured to verify tokens");
		const verdict = this.boundTokens.verify(token, identity.fingerprint256);
		if (verdict instanceof Promise) return verdict.then((settled) => this.tokenVerdict(request, identity, settled));
		return this.tokenVerdict(request, identity, verdict);
	}
	tokenVerdict(request, identity, verdict) {
		if (verdict.ok) return void 0;
		return this.reject(request, verdict.code, identity, verdict.reason);
	}
	decide(entry, identity, rule) {
		const outcome = entry.outcome;
		const global = this.allowedServices;
		const passesService = !global || entry.allowedBy(identity, global);
		const { code, enforced } = authorizationVerdict(outcome, passesService, rule, this.enforcement);
		const counter = code !== void 0 && !enforced ? this.counters.wouldReject(code, rule.route) : void 0;
		return new RouteVerdict(code, enforced, this.tallyOf(identity, rule), counter);
	}
	/**
	* The guards' verdict on a certificate, without a request (`npm run policy`): authentication
	* as for a forwarded certificate (the verdict a direct one gets too: the two are held equal),
	* then, when it passes, {@link authorizationVerdict} on `rule`.
	*/
	judgeCertificate(certificate, presented, rule) {
		const outcome = this.trust.policy.evaluateForwarded(certificate, "tls", presented);
		if (!outcome.ok) return {
			outcome,
			verdict: void 0
		};
		const global = this.allowedServices;
		const passesService = !global || global(outcome.identity);
		return {
			outcome,
			verdict: authorizationVerdict(outcome, passesService, rule, this.enforcement)
		};
	}
	tallyOf(identity, rule) {
		return this.inventory.recordOf(identity)?.tally(rule.route, rule.controller);
	}
	reportWouldReject(request, code, identity, rule) {
		const raw = rawRequest(request);
		this.log.warn(logRecord({
			msg: "client would be refused (report-only)",
			event: "mtls.would_reject",
			code,
			route: rule.route,
			cn: identity.commonName,
			spiffeId: identity.spiffeId,
			fingerprint256: identity.fingerprint256,
			source: identity.source,
			peer: raw.socket.remoteAddress ?? null
		}));
	}
	/**
	* What is already known about the request's caller: its direct connection's entry, or, from a
	* trusted proxy, the forwarded header's (judged now if need be). `undefined` for a direct
	* connection not judged yet.
	*/
	known(raw) {
		const connection = this.memory.connection(raw.socket);
		if (connection !== void 0) {
			if (!connection.delegates) return this.originalCallers.apply(raw, connection);
			return this.memory.request(raw) ?? this.originalCallers.apply(raw, connection);
		}
		if (!this.requestEntries) return void 0;
		const bound = this.memory.request(raw);
		if (bound) return bound;
		if (!this.isTrustedProxy(raw.socket)) return void 0;
		const entry = this.originalCallers.apply(raw, this.forwarded.judge(raw));
		this.memory.bindRequest(raw, entry);
		return entry;
	}
	/**
	* The identity a peer proves as a proxy: its certificate trusted as a direct caller's would be,
	* pins aside (they restrict callers, not proxies). `undefined` when it proves none.
	*/
	proxyIdentity(socket) {
		const { outcome } = this.direct.judgeEarly(socket);
		if (outcome.ok) return outcome.identity;
		if (outcome.code !== MtlsReasonCode.FingerprintForbidden) return void 0;
		const cert = socket.getPeerX509Certificate();
		return cert ? buildClientIdentity(cert, "tls") : void 0;
	}
};

// dist/nest/client-certificate.exception.js
/**
* A refused caller: 401 (present a valid certificate) or 403 (valid, but not allowed here), with
* the stable reason code in the body:
* `{"statusCode":401,"error":"Unauthorized","code":"MTLS_CERT_EXPIRED","message":"..."}`.
*/
var ClientCertificateException = class extends HttpException {
	code;
	/**
	* @param options.detail the message instead of the code's usual one, when the refusal says more
	*   (a SPIFFE ID refused for its trust domain names both domains).
	*/
	constructor(code, options) {
		const { status } = REASON_DESCRIPTIONS[code];
		const message = options?.detail ?? REASON_DESCRIPTIONS[code].message;
		super({
			statusCode: status,
			error: status === 401 ? "Unauthorized" : "Forbidden",
			code,
			message
		}, status, options);
		this.code = code;
	}
};

// dist/nest/mtls-auth.constants.js
/** Injection token of the module options. */
const MTLS_AUTH_OPTIONS = "MTLS_AUTH:OPTIONS";
/** Metadata key set by `@Public()`. */
const IS_PUBLIC_KEY = "MTLS_AUTH:IS_PUBLIC";
/** Metadata key set by `@AllowServices()`. */
const ALLOW_SERVICES_KEY = "MTLS_AUTH:ALLOW_SERVICES";
/** Name of the Passport strategy. */
const CLIENT_CERT_STRATEGY = "client-cert";
/** Metadata key set by `@ForwardClientCert()`. */
const FORWARD_CLIENT_CERT_KEY = "MTLS_AUTH:FORWARD_CLIENT_CERT";
/** Metadata key set by `@RequireBoundToken()`. */
const REQUIRE_BOUND_TOKEN_KEY = "MTLS_AUTH:REQUIRE_BOUND_TOKEN";
/** Injects the module options. */
const InjectMtlsAuthOptions = () => Inject(MTLS_AUTH_OPTIONS);

// dist/nest/client-cert.authenticator.js
var __decorate$9 = void 0 && (void 0).__decorate || function(decorators, target, key, desc) {
	var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
	if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
	else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
	return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata$9 = void 0 && (void 0).__metadata || function(k, v) {
	if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
var __param$1 = void 0 && (void 0).__param || function(paramIndex, decorator) {
	return function(target, key) {
		decorator(target, key, paramIndex);
	};
};
/**
* The application's {@link Authenticator} as a Nest provider: built from the module's options,
* reporting through Nest's logger (`MtlsAuth`), stopped when the application closes, and able to
* turn a refusal into the exception a guard throws. One per application.
*/
let ClientCertAuthenticator = class ClientCertAuthenticator extends Authenticator {
	/** @throws {MtlsAuthOptionsError} naming every invalid option. */
	constructor(options) {
		const logger = new Logger("MtlsAuth");
		super(options, { warn: (record) => logger.warn(record) });
	}
	onModuleDestroy() {
		this.close();
	}
	/** {@link Authenticator.reject} (logged and counted once), as the exception to throw. */
	refuse(request, code, identity, detail) {
		const refusal = this.reject(request, code, identity, detail);
		return new ClientCertificateException(refusal.code, { detail: refusal.detail });
	}
};
ClientCertAuthenticator = __decorate$9([
	Injectable(),
	__param$1(0, InjectMtlsAuthOptions()),
	__metadata$9("design:paramtypes", [Object])
], ClientCertAuthenticator);

// dist/nest/bound-token.guard.js
var __decorate$8 = void 0 && (void 0).__decorate || function(decorators, target, key, desc) {
	var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
	if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
	else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
	return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata$8 = void 0 && (void 0).__metadata || function(k, v) {
	if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
/**
* The guard of `@RequireBoundToken()`: after the certificate guards, checks the request's bearer
* token against the certificate it was authenticated with (`ClientCertAuthenticator
* .checkBoundToken`). Synchronous for a token verified before; a new token waits for its
* signature check (and, the first time, the JWKS).
*/
let BoundTokenGuard = class BoundTokenGuard {
	authenticator;
	constructor(authenticator) {
		this.authenticator = authenticator;
	}
	canActivate(context) {
		const request = context.getArgByIndex(0);
		const response = context.getArgByIndex(1);
		const identity = this.authenticator.memory.identityOf(rawRequest(request));
		if (identity === void 0) throw this.refuse(response, this.authenticator.reject(request, MtlsReasonCode.CertMissing), this.authenticator.boundTokenRealm);
		const checked = this.authenticator.checkBoundToken(request, identity);
		if (isPending(checked)) return Promise.resolve(checked).then((refusal) => this.settle(response, refusal));
		return this.settle(response, checked);
	}
	settle(response, refusal) {
		if (refusal) throw this.refuse(response, refusal, this.authenticator.boundTokenRealm);
		return true;
	}
	/**
	* The exception for a refusal, after the RFC 6750 challenge is set on the response (Nest's
	* exception handling keeps headers already set).
	*/
	refuse(response, refusal, realm) {
		if (refusal.code !== MtlsReasonCode.CertMissing) {
			const challenge = bearerChallenge(realm, refusal.code === MtlsReasonCode.TokenMissing ? void 0 : refusal.detail ?? refusal.code);
			if (typeof response.setHeader === "function") response.setHeader("www-authenticate", challenge);
			else response.header?.("www-authenticate", challenge);
		}
		return new ClientCertificateException(refusal.code, { detail: refusal.detail });
	}
};
BoundTokenGuard = __decorate$8([Injectable(), __metadata$8("design:paramtypes", [ClientCertAuthenticator])], BoundTokenGuard);

// dist/nest/route-auth-metadata.js
/**
* Reads `@Public()` and `@AllowServices()` for the route being executed, handler over controller,
* and remembers the answer per (handler, controller). Decorator metadata is fixed once the app
* starts, so authentication does no metadata lookups on the request path.
*/
var RouteAuthMetadataCache = class {
	reflector;
	cache = /* @__PURE__ */ new WeakMap();
	constructor(reflector) {
		this.reflector = reflector;
	}
	get(context) {
		const handler = context.getHandler();
		const controller = context.getClass();
		const cached = this.cache.get(handler);
		if (cached !== void 0 && cached.controller === controller) return cached.metadata;
		const other = cached?.more?.get(controller);
		if (other) return other;
		const metadata = readRouteAuthMetadata(this.reflector, handler, controller);
		if (cached === void 0) this.cache.set(handler, {
			controller,
			metadata
		});
		else (cached.more ??= /* @__PURE__ */ new Map()).set(controller, metadata);
		return metadata;
	}
};
/** What the decorators say about one route, handler over controller, as every reader takes it. */
function readRouteAuthMetadata(reflector, handler, controller) {
	const targets = [handler, controller];
	const allowServices = reflector.getAllAndOverride(ALLOW_SERVICES_KEY, targets);
	const { method, path } = routeOf(handler, controller);
	return {
		isPublic: reflector.getAllAndOverride(IS_PUBLIC_KEY, targets) === true,
		allowServices,
		forwardClientCert: reflector.getAllAndOverride(FORWARD_CLIENT_CERT_KEY, targets),
		rule: {
			route: `${method} ${path}`,
			controller: controller.name,
			allow: allowServices,
			reportOnly: allowServices?.enforcement === "report-only"
		},
		requireBoundToken: reflector.getAllAndOverride(REQUIRE_BOUND_TOKEN_KEY, targets) === true
	};
}
/**
* A route's method and path as its decorators declare them (`GET`, `/api/invoices`): the
* controller's path and the handler's, without a global prefix or version.
*/
function routeOf(handler, controller) {
	const base = joinPath(Reflect.getMetadata(PATH_METADATA, controller));
	const own = joinPath(Reflect.getMetadata(PATH_METADATA, handler));
	return {
		method: RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler)] ?? "GET",
		path: `/${[base, own].filter(Boolean).join("/")}`
	};
}
function joinPath(path) {
	return ((Array.isArray(path) ? path[0] : path) ?? "").replace(/^\/+|\/+$/g, "");
}

// dist/nest/declared-routes.js
/** Every route handler of the application's controllers, read the way the guards read them. */
function declaredRoutes(modules, reflector) {
	const routes = [];
	for (const module of modules.values()) for (const wrapper of module.controllers.values()) {
		const controller = wrapper.metatype;
		if (!controller) continue;
		for (const key of Object.getOwnPropertyNames(controller.prototype)) {
			const handler = controller.prototype[key];
			if (key === "constructor" || typeof handler !== "function") continue;
			if (Reflect.getMetadata(PATH_METADATA, handler) === void 0) continue;
			const target = controller;
			routes.push({
				...routeOf(handler, target),
				controller,
				handler,
				metadata: readRouteAuthMetadata(reflector, handler, target)
			});
		}
	}
	return routes;
}

// dist/nest/access-matrix.js
/**
* The access matrix of an initialised application: for every route and every caller, what the
* guards would answer, decided by the code they run (the application's `ClientCertAuthenticator`
* for the certificate and the service-wide rules, its strategy's `validate()`, each route's
* `@AllowServices()` and enforcement), without sending a request. A certificate is judged as a
* forwarded one is (the same verdict as over TLS: the two are held equal by the parity tests).
*
* @param options.trustedCa judge the callers against this CA instead of the application's (for
*   callers made up for the occasion: `npm run policy -- --identity <name>`).
*/
async function accessMatrix(sources, callers, options = {}) {
	const own = sources.authenticator;
	const others = /* @__PURE__ */ new Map();
	const authenticatorOf = (caller) => {
		const ca = caller.trustedCa ?? options.trustedCa;
		if (ca === void 0) return own;
		let other = others.get(ca);
		if (!other) {
			other = new Authenticator({
				...sources.options,
				trustedCa: ca
			}, { warn: () => void 0 });
			others.set(ca, other);
		}
		return other;
	};
	try {
		const routes = declaredRoutes(sources.modules, sources.reflector).map((r) => ({
			method: r.method,
			path: r.path,
			controller: r.controller.name,
			isPublic: r.metadata.isPublic,
			requireBoundToken: r.metadata.requireBoundToken,
			rule: r.metadata.rule
		}));
		const validated = /* @__PURE__ */ new Map();
		const rows = [];
		for (const route of routes) {
			const cells = [];
			for (const caller of callers) {
				if (route.isPublic) {
					cells.push("public");
					continue;
				}
				const { outcome, verdict } = authenticatorOf(caller).judgeCertificate(caller.certificate, caller.presented ?? [], route.rule);
				if (!outcome.ok || !verdict) {
					cells.push(refusal(outcome.ok ? MtlsReasonCode.CertUntrusted : outcome.code));
					continue;
				}
				let valid = validated.get(caller);
				if (valid === void 0) {
					valid = await passesStrategy(sources.validate, outcome.identity);
					validated.set(caller, valid);
				}
				if (!valid) cells.push(refusal(MtlsReasonCode.ServiceForbidden));
				else if (verdict.code !== void 0 && verdict.enforced) cells.push(refusal(verdict.code));
				else {
					const allowed = route.requireBoundToken ? "allowed + bound token" : "allowed";
					cells.push(verdict.code === void 0 ? allowed : `${allowed} (report-only, ${refusal(verdict.code)})`);
				}
			}
			rows.push({
				method: route.method,
				path: route.path,
				controller: route.controller,
				cells
			});
		}
		const matrix = {
			enforcement: own.enforcement,
			callers: callers.map((c) => c.name),
			rows: rows.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method))
		};
		return {
			...matrix,
			text: renderAccessMatrix(matrix)
		};
	} finally {
		for (const other of others.values()) other.close();
	}
}
/**
* The matrix as aligned plain text, one line per route: stable, so that a committed copy shows a
* change of who may call what as a one-line diff in review.
*/
function renderAccessMatrix(matrix) {
	const header = ["route", ...matrix.callers];
	const lines = matrix.rows.map((r) => [`${r.method} ${r.path}`, ...r.cells]);
	const widths = header.map((_, i) => Math.max(...[header, ...lines].map((cells) => (cells[i] ?? "").length)));
	const format = (cells) => cells.map((c, i) => i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)).join("  ").trimEnd();
	return `${[
		`# Who may call what (enforcement: ${matrix.enforcement})`,
		format(header),
		...lines.map(format)
	].join("\n")}\n`;
}
function refusal(code) {
	return `${REASON_DESCRIPTIONS[code].status} ${code}`;
}
/** Whether the strategy lets the identity in, as the guard asks it (a throw refuses). */
async function passesStrategy(validate, identity) {
	if (!validate) return true;
	try {
		return !!await validate(identity);
	} catch {
		return false;
	}
}

// dist/nest/request-accessors.js
/** Where a request's identity is read (an accessor this module defines per application). */
const IDENTITY = Symbol.for("nest-mtls-auth.identity");
/** Where a request's application authenticator is found (for the process-wide Passport strategy). */
const AUTHENTICATOR = Symbol.for("nest-mtls-auth.authenticator");
/**
* The authenticated caller of a request (Express's request, or Fastify's), or `undefined` on a
* route nobody authenticated. What `@ClientIdentity()` injects, for code outside a handler's
* parameters (an interceptor, a logger).
*/
function identityOfRequest(request) {
	return request[IDENTITY];
}
/**
* The authenticator of the application that received `request`. Passport keeps one strategy per
* name for the whole process, so when several Nest applications share a process (tests, a gateway
* and its peer), the strategy asks the request which application it belongs to.
*/
function authenticatorOfRequest(request) {
	return request[AUTHENTICATOR];
}
/**
* Gives the application's request objects `user` (what `validate()` returned) and the identity
* read by {@link identityOfRequest}, as accessors over the authenticator's memory, and the
* authenticator itself: nothing is written to a request.
*
* - Express: on the application's own request prototype (`app.request`, from which Express
*   derives each request), never on Node's `IncomingMessage.prototype`. Assigning `request.user`
*   still works as always: the setter makes an own property, which then wins.
* - Fastify: as declared request decorators (Fastify asks that every request property be declared
*   up front, to keep request objects of one shape); `user` is a plain field the guard sets.
*
* @returns a function that removes the accessors (the module calls it when it closes).
*/
function installRequestAccessors(instance, authenticator) {
	const { memory } = authenticator;
	if (isExpress(instance)) {
		const proto = instance.request;
		Object.defineProperty(proto, "user", {
			configurable: true,
			get() {
				return memory.userOf(this);
			},
			set(value) {
				Object.defineProperty(this, "user", {
					value,
					writable: true,
					enumerable: true,
					configurable: true
				});
			}
		});
		Object.defineProperty(proto, IDENTITY, {
			configurable: true,
			get() {
				return memory.identityOf(this);
			}
		});
		Object.defineProperty(proto, AUTHENTICATOR, {
			configurable: true,
			value: authenticator
		});
		return () => {
			for (const key of [
				"user",
				IDENTITY,
				AUTHENTICATOR
			]) delete proto[key];
		};
	}
	if (isFastify(instance)) {
		if (!instance.hasRequestDecorator("user")) instance.decorateRequest("user", null);
		if (!instance.hasRequestDecorator(IDENTITY)) instance.decorateRequest(IDENTITY, { getter() {
			return memory.identityOf(this.raw);
		} });
		if (!instance.hasRequestDecorator(AUTHENTICATOR)) instance.decorateRequest(AUTHENTICATOR, { getter: () => authenticator });
	}
	return () => void 0;
}
function isExpress(instance) {
	const app = instance;
	return typeof app?.handle === "function" && typeof app.request === "object" && app.request !== null;
}
function isFastify(instance) {
	const app = instance;
	return typeof app?.decorateRequest === "function" && typeof app.hasRequestDecorator === "function";
}

// dist/nest/client-cert.strategy.js
var __decorate$7 = void 0 && (void 0).__decorate || function(decorators, target, key, desc) {
	var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
	if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
	else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
	return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata$7 = void 0 && (void 0).__metadata || function(k, v) {
	if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
function toError(err) {
	return err instanceof Error ? err : new Error(String(err));
}
/** `validate()` through Passport's verify callback, as a promise. */
function validatorOf(verify) {
	return { validate: (identity) => new Promise((resolve, reject) => verify(identity, (err, user) => err ? reject(toError(err)) : resolve(user))) };
}
const StrategyBase = Strategy;
/**
* The Passport strategy `'client-cert'`, written on `passport-strategy`. It does not build on
* `passport-client-cert`: that strategy calls `getPeerCertificate()` (~14 µs) on every request,
* fails without a reason, cannot pin self-signed certificates, and knows nothing of forwarded
* certificates. This one asks {@link ClientCertAuthenticator}, which caches per connection and
* returns a reason code for every refusal.
*/
var ClientCertPassportStrategy = class extends StrategyBase {
	authenticator;
	name = CLIENT_CERT_STRATEGY;
	validator;
	constructor(authenticator, verify) {
		super();
		this.authenticator = authenticator;
		this.validator = validatorOf(verify);
	}
	authenticate(req) {
		const authenticator = authenticatorOfRequest(req) ?? this.authenticator;
		Promise.resolve(admit(authenticator, req, this.validator)).then((user) => {
			if (user instanceof Refusal) this.error(new ClientCertificateException(user.code, { detail: user.detail }));
			else this.success(user);
		}, (error) => this.error(error));
	}
};
/**
* The Nest provider of the `'client-cert'` strategy. Override {@link validate} to map the
* certificate identity to your own user object, or to refuse it (return `null`: 403
* `MTLS_SERVICE_FORBIDDEN`), as ASP.NET Core's `OnCertificateValidated` does.
*/
let ClientCertStrategy = class ClientCertStrategy extends PassportStrategy(ClientCertPassportStrategy, CLIENT_CERT_STRATEGY) {
	constructor(authenticator) {
		super(authenticator);
	}
	/** @returns what `request.user` becomes; the identity itself by default. */
	validate(identity) {
		return identity;
	}
};
ClientCertStrategy = __decorate$7([Injectable(), __metadata$7("design:paramtypes", [ClientCertAuthenticator])], ClientCertStrategy);

// dist/nest/mtls-auth.service.js
var __decorate$6 = void 0 && (void 0).__decorate || function(decorators, target, key, desc) {
	var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
	if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
	else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
	return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata$6 = void 0 && (void 0).__metadata || function(k, v) {
	if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
var __param = void 0 && (void 0).__param || function(paramIndex, decorator) {
	return function(target, key) {
		decorator(target, key, paramIndex);
	};
};
/**
* What an application operates on the module (inject it): hot reloads of trust and access, a
* full re-judgment of every caller, counts for metrics, the CRLs in force, and the one question
* a route outside the guards may ask (is this request's caller let in?). Everything else of the
* authentication stays internal.
*/
let MtlsAuthService = class MtlsAuthService {
	authenticator;
	modules;
	reflector;
	moduleRef;
	options;
	constructor(authenticator, modules, reflector, moduleRef, options) {
		this.authenticator = authenticator;
		this.modules = modules;
		this.reflector = reflector;
		this.moduleRef = moduleRef;
		this.options = options;
	}
	/**
	* Replaces the trusted CA bundle and CRLs (hot rotation). Everything is parsed first: on an
	* error this throws and the current trust stays in force. On success every caller is judged
	* again on its next request, so a certificate revoked in the new CRL is refused even on a
	* keep-alive connection opened before. `spiffeBundles` replaces the SPIFFE trust domains'
	* bundles (PEM or JWKS, by trust domain) when given. Give the TLS server the same material
	* (`mtlsServerOptions()` and `server.setSecureContext()`).
	*
	* @throws {Error} when the bundle or the CRLs cannot be used.
	*/
	reloadTrust(trustedCa, crl, spiffeBundles) {
		this.authenticator.reloadTrust(trustedCa, crl, spiffeBundles);
	}
	/**
	* Replaces the service-wide allowlist and the pins (hot change of who may call). Both are
	* compiled before either is applied; every caller is judged again on its next request.
	*
	* @throws {Error} when a pattern or pin is invalid (the current rules stay in force).
	*/
	reloadAccess(rules) {
		this.authenticator.reloadAccess(rules);
	}
	/** Forgets every remembered outcome: call when anything trust depends on changes. */
	invalidate() {
		this.authenticator.invalidate();
	}
	/** Authentication outcomes so far: accepted by source, refused by code and source. */
	metrics() {
		return this.authenticator.metrics();
	}
	/** How many callers' outcomes are remembered now, by source (each at most `callerCacheSize`). */
	get cachedCallers() {
		return this.authenticator.cachedCallers;
	}
	/**
	* The CRLs in force (the last loaded), with their issuer, thisUpdate and nextUpdate. A CRL past
	* its nextUpdate refuses every certificate whose chain runs through its CA (in the handshake,
	* and here for forwarded certificates): tell your operators.
	*/
	get revocationLists() {
		return this.authenticator.revocationLists;
	}
	/**
	* The caller of `request` if the guards would let it through as far as the service goes:
	* authenticated (OCSP included, when on) and accepted by the service-wide allowlist. For a
	* `@Public()` route that shows more to trusted callers (health details, say). Never throws for
	* anything a client sends.
	*/
	async allowedCaller(request) {
		const outcome = await this.authenticator.authenticateAsync(request);
		if (!outcome.ok) return void 0;
		const allowlist = this.authenticator.allowedServices;
		return allowlist === void 0 || allowlist(outcome.identity) ? outcome.identity : void 0;
	}
	/**
	* Who calls this service: every caller identity seen on a guarded route (CN, SPIFFE ID,
	* fingerprint, subject), first and last seen, requests, and per route how many were allowed,
	* refused and would have been refused (report-only); the most recently seen
	* `callerInventorySize`, most recent first. Operational data, reset on restart.
	*/
	callers() {
		return this.authenticator.callers();
	}
	/**
	* Who may call what: every route of the application by every caller in `callers`, as the guards
	* decide it (the certificate policy, the service-wide allowlist and pins, the strategy's
	* `validate()`, each route's `@AllowServices()` and enforcement, `@RequireBoundToken()`), without a
	* request; `text` is the table a committed snapshot holds (`npm run policy`, `accessPolicy()`).
	*
	* @param options.trustedCa judge the callers against this CA instead (callers made up for the
	*   occasion, issued by a CA of their own).
	*/
	accessMatrix(callers, options = {}) {
		const strategy = this.moduleRef.get(ClientCertStrategy, { strict: false });
		return accessMatrix({
			modules: this.modules,
			reflector: this.reflector,
			authenticator: this.authenticator,
			options: this.options,
			validate: (identity) => strategy.validate(identity)
		}, callers, options);
	}
};
MtlsAuthService = __decorate$6([
	Injectable(),
	__param(4, Inject(MTLS_AUTH_OPTIONS)),
	__metadata$6("design:paramtypes", [
		ClientCertAuthenticator,
		ModulesContainer,
		Reflector,
		ModuleRef,
		Object
	])
], MtlsAuthService);

// dist/reload/reload-material.js
/**
* Checks every part of `material`, then applies it: the trust and access to the module (every
* caller is judged again on its next request, on open connections too) and the HTTPS options to
* the server's new connections, keeping its session-ticket keys (a new context would otherwise
* draw new ones and no earlier session would resume). Returns the server when it is HTTPS.
*
* @throws {Error} naming the part that does not work; then nothing was applied.
*/
function applyMaterial(material, target) {
	const problems = [];
	checkTrust(material.trustedCa, material.crl, problems, material.spiffeBundles);
	if (material.access) checkAccess(material.access, problems);
	if (problems.length > 0) throw new Error(problems.map((p) => `${p.option}: ${p.message}`).join("; "));
	const server = isTlsServer(target.server) ? target.server : void 0;
	const https = material.httpsOptions;
	if (https) {
		if (!server) throw new Error("httpsOptions: the application's server is not an HTTPS server; leave them out over plain HTTP");
		try {
			createSecureContext(https);
		} catch (error) {
			throw new Error(`httpsOptions: ${error.message}`, { cause: error });
		}
	}
	target.trust.reloadTrust(material.trustedCa, material.crl, material.spiffeBundles);
	if (material.access) target.trust.reloadAccess(material.access);
	if (https && server) server.setSecureContext({
		ticketKeys: server.getTicketKeys(),
		...https
	});
	return server;
}
function checkAccess(access, problems) {
	const lists = [["allowedServices", () => resolveAccess(access.allowedServices, [])], ["allowedFingerprints", () => resolveAccess([], access.allowedFingerprints)]];
	for (const [option, resolve] of lists) try {
		resolve();
	} catch (error) {
		problems.push({
			option,
			message: error.message
		});
	}
}
function isTlsServer(server) {
	const candidate = server;
	return typeof candidate?.setSecureContext === "function" && typeof candidate.getTicketKeys === "function";
}

// dist/reload/files-digest.js
/**
* One SHA-256 over the paths and contents of `files`, in order: the same value as long as nothing
* a reload reads has changed, so a file event that changed nothing (a touch, another file of the
* directory, the second half of a Kubernetes symlink swap) costs no reload. A file that cannot be
* read (missing in the middle of a swap) counts as a state of its own, so the reload that follows
* reports it.
*/
function digestFiles(files) {
	const hash = createHash("sha256");
	for (const file of files) {
		hash.update(file).update("\0");
		try {
			hash.update(readFileSync(file));
		} catch {
			hash.update("\0unreadable");
		}
		hash.update("\0");
	}
	return hash.digest("hex");
}

// dist/reload/reload-trigger.js
/** Quiet time after the last file event before reloading: a secret update touches several files. */
const DEFAULT_DEBOUNCE_MS = 250;
/**
* When to reload, in plain Node: on a change in the directory of any of the files (debounced), on
* the signal, or when asked ({@link run}). A file change reloads only when the files' content
* differs from the last successful reload's ({@link digestFiles}); the signal and {@link run}
* reload unconditionally unless asked not to.
*
* Directories are watched, not files: Kubernetes and cert-manager replace a Secret's files by
* swapping a `..data` symlink with an atomic rename, and `mv` over a file replaces its inode;
* a watch on the file itself would miss both. Nothing here keeps the process alive.
*/
var ReloadTrigger = class {
	options;
	files;
	watchers = [];
	timer;
	lastDigest;
	onSignal = (signal) => {
		this.run(signal, false);
	};
	constructor(options) {
		this.options = options;
		this.files = options.files.map((file) => resolve(file));
	}
	/** Takes the files' current content as the one in force and starts watching. */
	start() {
		this.lastDigest = digestFiles(this.files);
		for (const dir of new Set(this.files.map((file) => dirname(file)))) {
			if (!existsSync(dir)) continue;
			const watcher = watch(dir, () => this.schedule());
			watcher.on("error", (error) => this.options.onWatchError(dir, error));
			watcher.unref();
			this.watchers.push(watcher);
		}
		if (this.options.signal) process.on(this.options.signal, this.onSignal);
	}
	/**
	* Reloads now; with `onlyIfChanged`, only when the files differ from the last successful
	* reload's. Returns what the reload returned (`true` when skipped).
	*/
	run(reason, onlyIfChanged) {
		const digest = digestFiles(this.files);
		if (onlyIfChanged && digest === this.lastDigest) return true;
		const applied = this.options.reload(reason);
		if (applied) this.lastDigest = digest;
		return applied;
	}
	/** Stops watching and listening; a pending reload is dropped. */
	close() {
		clearTimeout(this.timer);
		for (const watcher of this.watchers) watcher.close();
		this.watchers = [];
		if (this.options.signal) process.off(this.options.signal, this.onSignal);
	}
	schedule() {
		clearTimeout(this.timer);
		this.timer = setTimeout(() => this.run("file change", true), this.options.debounceMs ?? 250);
		this.timer.unref();
	}
};

// dist/nest/mtls-reload.service.js
var __decorate$5 = void 0 && (void 0).__decorate || function(decorators, target, key, desc) {
	var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
	if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
	else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
	return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata$5 = void 0 && (void 0).__metadata || function(k, v) {
	if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
/**
* Certificate and trust hot reload for the application (inject it): {@link watch} the files of
* the server's certificate and of the trust, and every change is read, checked whole and applied
* to new TLS connections and to the module's trust; or refused, with a log line, and the previous
* material stays in force. Stops when the application closes. The watching is
* `reload/reload-trigger.ts`, the checks and the swap `reload/reload-material.ts`.
*/
let MtlsReloadService = class MtlsReloadService {
	adapterHost;
	authenticator;
	logger = new Logger("MtlsReload");
	trigger;
	constructor(adapterHost, authenticator) {
		this.adapterHost = adapterHost;
		this.authenticator = authenticator;
	}
	/**
	* Watches `options.files` and listens for the signal from now on (call it once, at bootstrap
	* or after `NestFactory.create()`); what is in force now counts as read.
	*
	* @throws {Error} when already watching.
	*/
	watch(options) {
		if (this.trigger) throw new Error("MtlsReloadService.watch(): already watching");
		this.trigger = new ReloadTrigger({
			files: options.files,
			reload: (reason) => this.apply(options, reason),
			debounceMs: options.debounceMs,
			signal: options.signal ?? "SIGHUP",
			onWatchError: (dir, error) => this.logger.warn(logRecord({
				msg: "certificate directory watch failed",
				event: "tls.watch_failed",
				dir,
				error: error.message
			}))
		});
		this.trigger.start();
	}
	/**
	* Reads and applies the material now (`onlyIfChanged`: only when the watched files changed).
	* `false` when it was refused and the previous material stays (the log line says why).
	*
	* @throws {Error} before {@link watch}.
	*/
	reload(reason = "requested", options = {}) {
		if (!this.trigger) throw new Error("MtlsReloadService.reload(): call watch() first");
		return this.trigger.run(reason, options.onlyIfChanged ?? false);
	}
	onModuleDestroy() {
		this.trigger?.close();
		this.trigger = void 0;
	}
	apply(options, reason) {
		let material;
		let server;
		try {
			material = options.read();
			server = applyMaterial(material, {
				trust: this.authenticator,
				server: this.adapterHost.httpAdapter?.getHttpServer()
			});
		} catch (error) {
			return this.failed(reason, error, "certificate reload failed; the previous certificates stay in force");
		}
		try {
			options.applied?.(material, server);
		} catch (error) {
			return this.failed(reason, error, "certificates reloaded, but the applied hook failed");
		}
		this.logger.log(logRecord({
			msg: "certificates reloaded",
			event: "tls.reloaded",
			reason
		}));
		return true;
	}
	failed(reason, error, msg) {
		const message = error instanceof Error ? error.message : String(error);
		this.logger.error(logRecord({
			msg,
			event: "tls.reload_failed",
			reason,
			error: message
		}));
		return false;
	}
};
MtlsReloadService = __decorate$5([Injectable(), __metadata$5("design:paramtypes", [HttpAdapterHost, ClientCertAuthenticator])], MtlsReloadService);

// dist/nest/client-cert-auth.guard.js
var __decorate$4 = void 0 && (void 0).__decorate || function(decorators, target, key, desc) {
	var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
	if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
	else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
	return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata$4 = void 0 && (void 0).__metadata || function(k, v) {
	if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
/**
* Guard 1: authenticates the caller by client certificate (401 with a reason code when it cannot),
* unless the route is `@Public()`; `request.user` becomes what the application's strategy
* (`ClientCertStrategy`, or yours) makes of the identity.
*
* It takes the same path as `AuthGuard('client-cert')` ({@link admit}): synchronous for a caller
* already known; only a caller accepted for the first time waits, for OCSP (when on) and for
* `validate()`, called on this application's own strategy instance (not through Passport's
* process-wide registry, where the last application to start would answer for all).
*/
let ClientCertAuthGuard = class ClientCertAuthGuard {
	reflector;
	authenticator;
	strategy;
	routes;
	constructor(reflector, authenticator, strategy) {
		this.reflector = reflector;
		this.authenticator = authenticator;
		this.strategy = strategy;
		this.routes = new RouteAuthMetadataCache(reflector);
	}
	/** Synchronous on the fast path (Nest awaits only promises). */
	canActivate(context) {
		const metadata = this.routes.get(context);
		if (metadata.isPublic) return true;
		const request = context.getArgByIndex(0);
		const admission = admit(this.authenticator, request, this.strategy);
		if (isPending(admission)) return Promise.resolve(admission).then((user) => this.let(request, user, metadata.rule));
		return this.let(request, admission, metadata.rule);
	}
	/** Lets the request through as `user`, or throws its refusal. */
	let(request, user, rule) {
		if (user instanceof Refusal) {
			this.authenticator.tallyRefusal(rule, user);
			throw new ClientCertificateException(user.code, { detail: user.detail });
		}
		if (isWrappedRequest(request)) request.user = user;
		return true;
	}
};
ClientCertAuthGuard = __decorate$4([Injectable(), __metadata$4("design:paramtypes", [
	Reflector,
	ClientCertAuthenticator,
	ClientCertStrategy
])], ClientCertAuthGuard);

// dist/nest/service-allowlist.guard.js
var __decorate$3 = void 0 && (void 0).__decorate || function(decorators, target, key, desc) {
	var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
	if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
	else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
	return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata$3 = void 0 && (void 0).__metadata || function(k, v) {
	if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
/**
* Guard 2: lets an authenticated caller through only if its identity matches the service-wide
* allowlist (`allowedServices`, when set) and the route's `@AllowServices(...)` (when
* present; a handler's list overrides its controller's). Otherwise 403 `MTLS_SERVICE_FORBIDDEN`,
* unless enforcement is report-only (`enforcement` option, or the decorator's): then the caller
* is let through and reported (`mtls.would_reject`). A request that reaches it unauthenticated is
* refused with 401: it fails closed.
*
* The decision is `ClientCertAuthenticator.authorize()`, remembered per caller and route.
*/
let ServiceAllowlistGuard = class ServiceAllowlistGuard {
	reflector;
	authenticator;
	routes;
	constructor(reflector, authenticator) {
		this.reflector = reflector;
		this.authenticator = authenticator;
		this.routes = new RouteAuthMetadataCache(reflector);
	}
	canActivate(context) {
		const metadata = this.routes.get(context);
		if (metadata.isPublic) return true;
		const request = context.getArgByIndex(0);
		const entry = this.authenticator.memory.takePassedEntry(rawRequest(request));
		if (!entry?.outcome.ok) throw this.authenticator.refuse(request, MtlsReasonCode.CertMissing);
		const refusal = this.authenticator.authorize(request, entry, metadata.rule);
		if (refusal) throw new ClientCertificateException(refusal.code);
		return true;
	}
};
ServiceAllowlistGuard = __decorate$3([Injectable(), __metadata$3("design:paramtypes", [Reflector, ClientCertAuthenticator])], ServiceAllowlistGuard);

// dist/nest/forwarded-header-filter.js
var __decorate$2 = void 0 && (void 0).__decorate || function(decorators, target, key, desc) {
	var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
	if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
	else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
	return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata$2 = void 0 && (void 0).__metadata || function(k, v) {
	if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
/**
* Removes the certificate-forwarding headers from every request whose TCP peer is not a trusted
* proxy, and logs the attempt (`mtls.forwarded_header_ignored`); likewise `x-forwarded-client-cert`
* from a caller that is not a trusted forwarder (`mtls.xfcc_ignored`). A certificate header is public
* data anyone can copy; this way nothing downstream (a guard, a handler, a user's middleware) can
* read a spoofed one by mistake. From a trusted proxy the headers stay, and the authenticator
* decodes and validates them in the guard path.
*
* It listens on the HTTP server itself, ahead of the framework, rather than as Nest middleware:
* it runs before any middleware on both adapters, and costs a scan of `rawHeaders` per request
* where Nest middleware on Fastify costs about 4 µs (measured with `npm run bench`'s setup).
*/
let ForwardedHeaderFilter = class ForwardedHeaderFilter {
	authenticator;
	logger = new Logger("MtlsAuth");
	/** The headers a trusted proxy sets (certificate and verdict). */
	headers;
	/** Those and XFCC: every header this filter looks for. */
	watched;
	constructor(authenticator) {
		this.authenticator = authenticator;
		this.headers = authenticator.forwardedHeaders;
		this.watched = [.../* @__PURE__ */ new Set([...this.headers, XFCC_HEADER])];
	}
	/** Runs {@link filter} on each request of `server`, before the framework's own listener. */
	attach(server) {
		server.prependListener("request", (req) => this.filter(req));
	}
	/**
	* Strips the certificate-forwarding headers unless the peer is a trusted proxy, and
	* `x-forwarded-client-cert` unless the caller is a trusted forwarder.
	*/
	filter(req) {
		const found = presentHeaders(req, this.watched);
		if (found === void 0) return;
		if (found.includes("x-forwarded-client-cert")) this.authenticator.screenOriginalCallers(req);
		const present = found.filter((h) => this.headers.includes(h));
		if (present.length === 0 || this.authenticator.isTrustedProxy(req.socket)) return;
		for (const h of present) delete req.headers[h];
		this.logger.warn({
			msg: "forwarded certificate header from an untrusted peer ignored",
			event: "mtls.forwarded_header_ignored",
			headers: present,
			peer: req.socket.remoteAddress ?? null,
			method: req.method,
			url: req.url?.slice(0, 200)
		});
	}
};
ForwardedHeaderFilter = __decorate$2([Injectable(), __metadata$2("design:paramtypes", [ClientCertAuthenticator])], ForwardedHeaderFilter);

// dist/propagation/caller-context.js
const storage = new AsyncLocalStorage();
/**
* Runs `fn` (and everything it awaits) with `context` as the current caller: what the forwarding
* interceptor does around a handler, so outbound calls can say on whose behalf they are made.
*/
function runWithCaller(context, fn) {
	return storage.run(context, fn);
}
/** The caller of the request being handled, if the forwarding interceptor bound one. */
function currentCaller() {
	return storage.getStore();
}

// dist/nest/client-cert-forwarding.interceptor.js
var __decorate$1 = void 0 && (void 0).__decorate || function(decorators, target, key, desc) {
	var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
	if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
	else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
	return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata$1 = void 0 && (void 0).__metadata || function(k, v) {
	if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
/**
* Runs the handler, and everything it awaits, with the verified caller bound in an
* `AsyncLocalStorage` context, so that the mTLS HTTP client (`MtlsHttpClient`) tells downstream
* services on whose behalf it calls (an `x-forwarded-client-cert` element). Authentication has
* already happened (guards run before interceptors); this only propagates its result.
*
* Apply per controller or route with `@UseInterceptors(ClientCertForwardingInterceptor)`, or
* globally with `APP_INTERCEPTOR`; `@ForwardClientCert(false)` opts a route out.
*/
let ClientCertForwardingInterceptor = class ClientCertForwardingInterceptor {
	routes;
	constructor(reflector) {
		this.routes = new RouteAuthMetadataCache(reflector);
	}
	intercept(context, next) {
		const identity = this.routes.get(context).forwardClientCert === false ? void 0 : identityOfRequest(context.getArgByIndex(0));
		if (!identity) return next.handle();
		return new Observable((subscriber) => runWithCaller({ identity }, () => next.handle().subscribe(subscriber)));
	}
};
ClientCertForwardingInterceptor = __decorate$1([Injectable(), __metadata$1("design:paramtypes", [Reflector])], ClientCertForwardingInterceptor);

// dist/nest/mtls-auth.module-definition.js
const { ConfigurableModuleClass, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } = new ConfigurableModuleBuilder({ optionsInjectionToken: MTLS_AUTH_OPTIONS }).setClassMethodName("forRoot").setExtras({ globalGuards: true }, (definition) => definition).build();

// dist/nest/mtls-auth.module.js
var __decorate = void 0 && (void 0).__decorate || function(decorators, target, key, desc) {
	var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
	if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
	else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
	return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = void 0 && (void 0).__metadata || function(k, v) {
	if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
const GLOBAL_GUARDS = [{
	provide: APP_GUARD,
	useClass: ClientCertAuthGuard
}, {
	provide: APP_GUARD,
	useClass: ServiceAllowlistGuard
}];
/**
* Client-certificate authentication for a Nest service: the `'client-cert'` Passport strategy,
* `ClientCertAuthGuard` (401), `ServiceAllowlistGuard` (403), and the decorators `@Public()`,
* `@AllowServices()` and `@ClientIdentity()`.
*
* @example
* MtlsAuthModule.forRoot({ trustedCa: readFileSync('ca.crt'), allowedServices: ['billing-service'] })
*/
let MtlsAuthModule = class MtlsAuthModule extends ConfigurableModuleClass {
	adapterHost;
	headerFilter;
	authenticator;
	modules;
	reflector;
	removeAccessors = () => void 0;
	constructor(adapterHost, headerFilter, authenticator, modules, reflector) {
		super();
		this.adapterHost = adapterHost;
		this.headerFilter = headerFilter;
		this.authenticator = authenticator;
		this.modules = modules;
		this.reflector = reflector;
	}
	/**
	* Says at start-up what weakens or blocks the routes: report-only enforcement anywhere (the
	* service-wide setting, or routes of their own), and `@RequireBoundToken()` routes without
	* bound-token settings (they refuse every request).
	*/
	onApplicationBootstrap() {
		const routes = declaredRoutes(this.modules, this.reflector);
		const logger = new Logger("MtlsAuth");
		const reportOnly = routes.filter((r) => !r.metadata.isPublic && r.metadata.rule.reportOnly).map((r) => r.metadata.rule.route);
		if (this.authenticator.enforcement === "report-only" || reportOnly.length > 0) logger.warn(logRecord({
			msg: "authorization is report-only: callers the allowlist or pins would refuse are let through and logged as mtls.would_reject",
			event: "mtls.report_only",
			everywhere: this.authenticator.enforcement === "report-only",
			routes: reportOnly
		}));
		const bound = routes.filter((r) => r.metadata.requireBoundToken);
		if (bound.length > 0 && !this.authenticator.boundTokensConfigured) logger.warn(logRecord({
			msg: "@RequireBoundToken() routes refuse every request: no authorization server is configured (the boundToken option: MTLS_BOUND_TOKEN_ISSUER, MTLS_BOUND_TOKEN_AUDIENCE, MTLS_BOUND_TOKEN_JWKS_URL)",
			event: "mtls.bound_token_unconfigured",
			routes: bound.map((r) => r.metadata.rule.route)
		}));
	}
	/**
	* Records the trust generation of every TLS handshake, strips forwarding headers sent by peers
	* that may not send them before anything reads them (see {@link ForwardedHeaderFilter}), and
	* gives this application's requests `user` and the identity accessors (see
	* {@link installRequestAccessors}).
	*/
	onModuleInit() {
		const adapter = this.adapterHost.httpAdapter;
		const server = adapter?.getHttpServer();
		server?.on("secureConnection", (socket) => this.authenticator.recordHandshake(socket));
		if (server) this.headerFilter.attach(server);
		else if (this.authenticator.forwardingEnabled) throw new Error("MtlsAuthModule: trusted proxies need an HTTP application");
		this.removeAccessors = installRequestAccessors(adapter?.getInstance(), this.authenticator);
	}
	onModuleDestroy() {
		this.removeAccessors();
	}
	static forRoot(options) {
		return withExtras(super.forRoot(options), options);
	}
	static forRootAsync(options) {
		return withExtras(super.forRootAsync(options), options);
	}
};
MtlsAuthModule = __decorate([Module({
	imports: [PassportModule],
	providers: [
		ClientCertAuthenticator,
		MtlsAuthService,
		MtlsReloadService,
		ClientCertAuthGuard,
		ServiceAllowlistGuard,
		ForwardedHeaderFilter,
		ClientCertForwardingInterceptor,
		BoundTokenGuard
	],
	exports: [
		BoundTokenGuard,
		ClientCertStrategy,
		ClientCertForwardingInterceptor,
		ClientCertAuthenticator,
		MtlsAuthService,
		MtlsReloadService,
		ClientCertAuthGuard,
		ServiceAllowlistGuard
	]
}), __metadata("design:paramtypes", [
	HttpAdapterHost,
	ForwardedHeaderFilter,
	ClientCertAuthenticator,
	ModulesContainer,
	Reflector
])], MtlsAuthModule);
/**
* A global module (its authenticator is the application's), with the strategy (yours, or the
* default) and the global guards unless opted out.
*/
function withExtras(module, extras) {
	const strategy = {
		provide: ClientCertStrategy,
		useClass: extras.strategy ?? ClientCertStrategy
	};
	const guards = extras.globalGuards === false ? [] : GLOBAL_GUARDS;
	return {
		...module,
		global: true,
		providers: [
			...module.providers ?? [],
			strategy,
			...guards
		]
	};
}

// dist/nest/public.decorator.js
/**
* Opts a route or controller out of the global client-certificate guards (health checks, info).
*
* @example @Public() @Get('health') health() {}
*/
const Public = () => SetMetadata(IS_PUBLIC_KEY, true);

// dist/nest/allow-services.decorator.js
/**
* `true` when `identity` passes a route's `@AllowServices()` rule: the immediate caller, or with
* `onBehalfOf` the original caller it names (a request naming none fails).
*/
function allowsCaller(rule, identity) {
	return passesRouteAllowlist(rule, identity);
}
/**
* Restricts a route or controller to callers whose certificate matches one of the identity
* patterns (on top of the service-wide `MTLS_ALLOWED_SERVICES`). Others get 403
* `MTLS_SERVICE_FORBIDDEN`. Patterns are compiled at declaration: a typo fails at start-up.
*
* @example @AllowServices('billing-service', 'spiffe://example.org/ns/prod/*')
* @example @AllowServices('billing-service', { onBehalfOf: true }) // the original caller
* @example @AllowServices('billing-service', { enforcement: 'report-only' }) // see who else calls
*/
function AllowServices(...args) {
	const patterns = args.filter((a) => typeof a === "string");
	const options = args.find((a) => typeof a === "object") ?? {};
	const matches = compileIdentityPatterns(patterns);
	if (!matches) throw new Error("@AllowServices() needs at least one identity pattern");
	const enforcement = options.enforcement ?? "enforce";
	if (!ENFORCEMENT_MODES.includes(enforcement)) throw new Error(`@AllowServices(): enforcement ${JSON.stringify(enforcement)} is not one of ${ENFORCEMENT_MODES.join(", ")}`);
	return SetMetadata(ALLOW_SERVICES_KEY, {
		patterns,
		matches,
		onBehalfOf: options.onBehalfOf === true,
		enforcement
	});
}

// dist/nest/require-bound-token.decorator.js
/**
* Requires a certificate-bound access token (RFC 8705) on a route or controller, on top of the
* client certificate: `Authorization: Bearer <JWT>` issued by the configured authorization server
* for this service's audience, whose `cnf["x5t#S256"]` is the SHA-256 thumbprint of the
* certificate this request was authenticated with (presented directly or forwarded by a trusted
* proxy). A stolen token is useless without its certificate's key. Refusals are 401
* `MTLS_TOKEN_MISSING`, `MTLS_TOKEN_INVALID` or `MTLS_TOKEN_NOT_BOUND`, with an RFC 6750
* `WWW-Authenticate: Bearer` challenge.
*
* Settings: the module's `boundToken` option (`MTLS_BOUND_TOKEN_ISSUER`, `_AUDIENCE`,
* `_JWKS_URL` in the starter); without them the route refuses every request (a start-up warning
* says so).
*
* @see RFC 8705 section 3, RFC 6750 section 3
* @example
* @Get('transfers')
* @RequireBoundToken()
* transfers() {}
*/
function RequireBoundToken() {
	return applyDecorators(SetMetadata(REQUIRE_BOUND_TOKEN_KEY, true), UseGuards(BoundTokenGuard));
}

// dist/nest/client-identity.decorator.js
/**
* Injects the authenticated caller's identity (`undefined` on a `@Public()` route without one).
*
* @example @Get('whoami') whoami(@ClientIdentity() identity: ClientIdentity) { return identity; }
*/
const ClientIdentity = createParamDecorator((_data, context) => identityOfRequest(context.getArgByIndex(0)));

// dist/nest/forward-client-cert.decorator.js
/**
* Turns forwarding of the verified caller to downstream services on (default) or off for a route
* or controller, under `ClientCertForwardingInterceptor`.
*
* @example @UseInterceptors(ClientCertForwardingInterceptor) @ForwardClientCert(false) @Get() local() {}
*/
const ForwardClientCert = (enabled = true) => SetMetadata(FORWARD_CLIENT_CERT_KEY, enabled);

// dist/propagation/outbound-request.error.js
/** A failed call to another service, with a code and what the downstream said, if anything. */
var OutboundRequestError = class extends Error {
	code;
	url;
	details;
	name = "OutboundRequestError";
	constructor(code, message, url, details = {}, options) {
		super(message, options);
		this.code = code;
		this.url = url;
		this.details = details;
	}
};
const TLS_ERROR = /SSL|TLS|CERT|certificate|alert|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_TLS|self.signed|handshake/i;
/**
* Classifies a transport error from undici: TLS failures (either side refusing a certificate)
* apart from timeouts and unreachable hosts, because each asks for a different fix.
*/
function classifyTransportError(error, url) {
	const e = error;
	const codes = [e.code, e.cause?.code].filter(Boolean).join(" ");
	const text = `${codes} ${e.message ?? ""} ${e.cause?.message ?? ""}`;
	if (/UND_ERR_(CONNECT|HEADERS|BODY)_TIMEOUT|ETIMEDOUT|AbortError|TimeoutError/.test(text)) return new OutboundRequestError("DOWNSTREAM_TIMEOUT", `no answer from ${url} in time`, url, {}, { cause: error });
	if (TLS_ERROR.test(text)) return new OutboundRequestError("DOWNSTREAM_TLS_FAILED", `TLS handshake with ${url} failed (${(e.cause?.message ?? e.message ?? codes).trim()}): check that the downstream trusts the CA of this client's certificate and that this client's ca option trusts the downstream's server certificate`, url, {}, { cause: error });
	if (/UND_ERR_SOCKET|other side closed|ECONNRESET|socket hang up/.test(text)) return new OutboundRequestError("DOWNSTREAM_CLOSED", `${url} closed the connection without answering: it most likely refused this service's client certificate (check that it trusts the CA of this client's certificate, and its logs)`, url, {}, { cause: error });
	return new OutboundRequestError("DOWNSTREAM_UNREACHABLE", `cannot reach ${url} (${(e.cause?.message ?? e.message ?? codes).trim()})`, url, {}, { cause: error });
}

// dist/propagation/mtls-http-client.js
/** A token is asked for anew this long before it expires (or at half its life, if shorter). */
const TOKEN_RENEW_MS = 3e4;
const XFCC = "x-forwarded-client-cert";
/**
* undici, loaded by the first call rather than with this module: a service that calls no other
* service never loads it (importing it cost ~30 ms and ~7 MB of every start-up of the starter,
* which makes a client at start-up; `npm run bench:startup`). Node's module cache makes later
* imports the same module, without state of ours.
*/
const loadUndici = () => import("undici");
/**
* The mTLS HTTP client for calls to other services: undici 7 with this service's own client
* certificate, server verification always on, keep-alive and TLS session reuse per
* downstream. Inside a request handled under `ClientCertForwardingInterceptor`, every call also
* says on whose behalf it is made: the verified caller (and the callers it acted for) in an
* `x-forwarded-client-cert` header, which the downstream honours only if it trusts this service
* as a forwarder (its `trustedForwarders` option).
*
* @example const me = await client.getJson<ClientIdentity>('https://billing:8443/api/whoami');
*/
var MtlsHttpClient = class {
	/** The connection pool, made by the first call (see `loadUndici`). */
	agent;
	agentOptions;
	closed = false;
	timeoutMs;
	tokens = /* @__PURE__ */ new Map();
	/** How this service names itself in XFCC `By`: its SPIFFE ID, else its first URI SAN, else its CN. */
	serviceName;
	constructor(options) {
		const leaf = new X509Certificate(options.cert);
		const me = buildClientIdentity(leaf, "tls");
		this.serviceName = me.spiffeId ?? me.uris[0] ?? me.commonName ?? me.subject;
		this.timeoutMs = options.timeoutMs ?? 1e4;
		this.agentOptions = {
			connect: {
				cert: options.cert,
				key: options.key,
				ca: options.ca,
				rejectUnauthorized: true,
				timeout: this.timeoutMs
			},
			connections: options.connections ?? 32,
			keepAliveTimeout: 1e4
		};
	}
	/** GET, JSON answer; throws {@link OutboundRequestError} unless 2xx. */
	async getJson(url, options = {}) {
		return (await this.expectOk("GET", url, void 0, options)).body;
	}
	/** POST a JSON body, JSON answer; throws {@link OutboundRequestError} unless 2xx. */
	async postJson(url, body, options = {}) {
		return (await this.expectOk("POST", url, body, options)).body;
	}
	/** Any method; answers every status, throws only for transport failures (TLS, timeout, unreachable). */
	async request(method, url, body, options = {}) {
		const headers = {
			accept: "application/json",
			...options.headers
		};
		if (options.boundToken) headers.authorization = `Bearer ${await this.boundToken(options.boundToken)}`;
		if (body !== void 0) headers["content-type"] = "application/json";
		const xfcc = this.forwardedClientCert();
		if (xfcc) headers[XFCC] = xfcc;
		const timeout = options.timeoutMs ?? this.timeoutMs;
		try {
			const { request } = await loadUndici();
			const res = await request(url, {
				method,
				headers,
				body: body === void 0 ? void 0 : JSON.stringify(body),
				dispatcher: await this.pool(),
				headersTimeout: timeout,
				bodyTimeout: timeout,
				signal: options.signal
			});
			const text = await res.body.text();
			let parsed = text;
			if (text !== "" && String(res.headers["content-type"] ?? "").includes("json")) try {
				parsed = JSON.parse(text);
			} catch {
				parsed = text;
			}
			return {
				status: res.statusCode,
				headers: res.headers,
				body: parsed
			};
		} catch (error) {
			throw classifyTransportError(error, url);
		}
	}
	/**
	* A certificate-bound access token (RFC 8705 section 3) for this service, by the
	* client-credentials grant over this client's mutual TLS: the authorization server
	* authenticates the client by its certificate and binds the token to it (`cnf["x5t#S256"]`), so
	* the token is worth nothing without this certificate's key. Held until 30 s before it
	* expires; concurrent calls share one request.
	*
	* @throws {OutboundRequestError} `TOKEN_REQUEST_FAILED` when the server issues no token (with
	*   its `error`), or a transport code.
	* @see RFC 8705 section 2.1 (tls_client_auth), RFC 6749 section 4.4 (client credentials)
	*/
	boundToken(request) {
		const key = JSON.stringify([
			request.tokenUrl,
			request.clientId,
			request.scope,
			request.resource
		]);
		const held = this.tokens.get(key);
		if (held && Date.now() < held.expiresAt) return held.value;
		const entry = {
			value: Promise.resolve(""),
			expiresAt: Infinity
		};
		entry.value = this.requestToken(request).then(({ token, lifetimeMs }) => {
			entry.expiresAt = Date.now() + Math.max(0, lifetimeMs - Math.min(TOKEN_RENEW_MS, lifetimeMs / 2));
			return token;
		}, (error) => {
			this.tokens.delete(key);
			throw error;
		});
		this.tokens.set(key, entry);
		return entry.value;
	}
	async requestToken(spec) {
		const form = new URLSearchParams({
			grant_type: "client_credentials",
			client_id: spec.clientId
		});
		if (spec.scope) form.set("scope", spec.scope);
		if (spec.resource) form.set("resource", spec.resource);
		let status;
		let body;
		try {
			const { request } = await loadUndici();
			const res = await request(spec.tokenUrl, {
				method: "POST",
				headers: {
					accept: "application/json",
					"content-type": "application/x-www-form-urlencoded"
				},
				body: form.toString(),
				dispatcher: await this.pool(),
				headersTimeout: this.timeoutMs,
				bodyTimeout: this.timeoutMs
			});
			status = res.statusCode;
			body = await res.body.json().catch(() => ({})) ?? {};
		} catch (error) {
			throw classifyTransportError(error, spec.tokenUrl);
		}
		const token = body.access_token;
		if (status !== 200 || typeof token !== "string") {
			const why = [body.error, body.error_description].filter((v) => typeof v === "string");
			throw new OutboundRequestError("TOKEN_REQUEST_FAILED", `${spec.tokenUrl} issued no access token to ${spec.clientId} (${status}${why.length ? `: ${why.join(": ")}` : ""}): check that the client is registered for tls_client_auth with this certificate's subject or thumbprint`, spec.tokenUrl, {
				status,
				downstreamCode: typeof body.error === "string" ? body.error : void 0
			});
		}
		return {
			token,
			lifetimeMs: (typeof body.expires_in === "number" ? body.expires_in : 300) * 1e3
		};
	}
	/** Closes the pooled connections (the module does it on shutdown). */
	close() {
		this.closed = true;
		return this.agent?.close() ?? Promise.resolve();
	}
	async pool() {
		const { Agent } = await loadUndici();
		if (!this.agent) {
			this.agent = new Agent(this.agentOptions);
			if (this.closed) await this.agent.close();
		}
		return this.agent;
	}
	/**
	* The XFCC header for the current caller: the hops it was forwarded through (from its own
	* `forwardedFor`, original first), then an element for the caller, `By` this service.
	*/
	forwardedClientCert() {
		const caller = currentCaller()?.identity;
		if (!caller) return void 0;
		const earlier = (caller.forwardedFor ?? []).map((f) => [
			...f.by ? [["By", f.by]] : [],
			...f.hash ? [["Hash", f.hash]] : [],
			...f.subject ? [["Subject", f.subject]] : [],
			...f.uris.map((u) => ["URI", u]),
			...f.dnsNames.map((d) => ["DNS", d])
		]);
		return formatXfcc([...earlier, xfccElementFor(caller, this.serviceName)]);
	}
	async expectOk(method, url, body, options) {
		const res = await this.request(method, url, body, options);
		if (res.status >= 200 && res.status < 300) return res;
		const downstreamCode = res.body?.code;
		throw new OutboundRequestError("DOWNSTREAM_HTTP_ERROR", `${method} ${url} answered ${res.status}${typeof downstreamCode === "string" ? ` ${downstreamCode}` : ""}`, url, {
			status: res.status,
			downstreamCode: typeof downstreamCode === "string" ? downstreamCode : void 0
		});
	}
};

// dist/handshake/mtls-server-options.js
/**
* The TLS server options that make the handshake the judge of client certificates, as the module
* expects (spread them into `httpsOptions`, or Fastify's `https`, next to `cert` and `key`):
*
* - the CA bundle, and the CRLs one array entry each (given one string, Node loads only the first
*   CRL, and the other CAs then fail every handshake with UNABLE_TO_GET_CRL);
* - TLS 1.2 at least, Mozilla's "intermediate" suites (forward secrecy and AEAD only, no CBC);
* - every renegotiation refused by OpenSSL (`SSL_OP_NO_RENEGOTIATION`): a connection's caller is
*   judged once and must not change under it. Node's own `disableRenegotiation()` acts later, in
*   JavaScript, and tears the socket down differently per release;
* - a session id context made from the trust material and the mode. A resumed session skips
*   verification and keeps the verdict of the handshake that made it, so it must not outlive the
*   trust that verdict came from: a new CA bundle or CRL changes the context, and OpenSSL then
*   answers every older session with a full handshake (a revoked caller is refused at once, not
*   when its ticket expires). Replicas with the same trust share the context, so with shared
*   ticket keys a session resumes on any of them (Node's default context hashes the process's
*   command line, which replicas started differently do not share).
*
* @throws {MtlsAuthOptionsError} naming `trustedCa` or `crl` when they do not work together.
*/
function mtlsServerOptions(input) {
	const mode = input.clientCertificates ?? "allow";
	const problems = [];
	const trust = checkTrust(input.trustedCa, input.crl, problems, input.spiffeBundles);
	if (problems.length > 0 || !trust) throw new MtlsAuthOptionsError(problems);
	const domainCas = trust.trustDomains?.cas.map((ca) => ca.toString()) ?? [];
	const crls = input.crl === void 0 ? void 0 : splitPemCrls(input.crl.toString());
	return {
		ca: domainCas.length === 0 ? input.trustedCa : [input.trustedCa, ...domainCas],
		...crls ? { crl: crls } : {},
		minVersion: "TLSv1.2",
		ciphers: MOZILLA_INTERMEDIATE_CIPHERS,
		secureOptions: constants.SSL_OP_NO_RENEGOTIATION | (domainCas.length > 0 ? constants.SSL_OP_NO_TICKET : 0),
		requestCert: mode !== "none",
		rejectUnauthorized: mode === "require",
		sessionIdContext: sessionIdContext(mode, input.trustedCa, input.crl, domainCas)
	};
}
/**
* 32 hex characters (OpenSSL's limit is 32 bytes) naming the mode, the CA bundle, the CRLs and the
* trust domains' CAs.
*/
function sessionIdContext(mode, ca, crl, domainCas) {
	const hash = createHash("sha256").update(`mtls-session:${mode}\0`).update(ca).update("\0");
	if (crl !== void 0) hash.update(crl);
	for (const pem of domainCas) hash.update("\0").update(pem);
	return hash.digest("hex").slice(0, 32);
}

// dist/diagnose/explain-certificate.js
/** Node's one-attribute-per-line name, most specific first, as RFC 4514 reads. */
const rfc4514 = (name) => name.split("\n").reverse().join(",");
const dn = (cert) => rfc4514(cert.subject);
const PURPOSES = {
	[id_kp_serverAuth]: "serverAuth",
	[id_kp_clientAuth]: "clientAuth",
	[id_kp_emailProtection]: "emailProtection",
	[anyExtendedKeyUsage]: "anyExtendedKeyUsage"
};
/**
* "Why is my certificate refused?" for any number of certificates under one configuration: the
* options are resolved, and the policy compiled, once ({@link explainCertificate} and
* {@link explainForwardedHeader} are one-off shorthands).
*
* @param name how an option is named in the fixes (the starter names its environment variables).
*/
var CertificateExplainer = class {
	name;
	resolved;
	policy;
	/** @throws {MtlsAuthOptionsError} when the options themselves are invalid. */
	constructor(options, name = (option) => `\`${option}\``) {
		this.name = name;
		this.resolved = resolveMtlsAuthOptions(options);
		this.policy = compilePolicy(this.resolved).policy;
	}
	/**
	* A certificate header as a trusted proxy would forward it, read with the configured
	* `certificateHeaderFormat` (or the `proxyPreset`'s), with the chain it carries or the chain
	* header's value. A value that is not one certificate (and at most ten chain certificates) is
	* explained as the service answers it: `MTLS_CERT_MALFORMED`. Only the forwarded way applies.
	*/
	async explainHeader(value, chainValue) {
		const format = this.resolved.certificateHeaderFormat;
		const decoded = decodeForwardedCertificate(value, format, chainValue);
		if (!decoded.ok) {
			const malformed = MtlsReasonCode.CertMalformed;
			return {
				code: malformed,
				identity: void 0,
				pattern: void 0,
				steps: [{
					check: "certificate",
					ok: false,
					detail: `the header is not one certificate in format ${format} (${decoded.reason})`,
					fix: "forward the certificate itself (nginx: $ssl_client_escaped_cert), once, and at most ten chain certificates"
				}],
				verdicts: {
					direct: malformed,
					forwarded: malformed
				}
			};
		}
		const explanation = await this.explain(decoded.certificate, decoded.chain);
		const forwarded = explanation.code ?? "accepted";
		return {
			...explanation,
			verdicts: {
				direct: forwarded,
				forwarded
			}
		};
	}
	/**
	* Runs the module's own checks on a certificate and the chain a client sends with it
	* (`presented`), and says what the service answers and why, each failed step with a fix; with
	* the direct verdict (as the handshake would reach it) and the forwarded one (the leaf alone).
	*/
	async explain(leaf, presented = [], now = Date.now()) {
		const { resolved, policy, name } = this;
		const verdict = policy.chainVerifier.verify(leaf, presented, now);
		const handshake = verdict.ok ? { authorized: true } : {
			authorized: false,
			error: lastError(verdict.errors).code
		};
		const direct = policy.evaluateHandshake(leaf, handshake, () => presented, now);
		const forwarded = policy.evaluateForwarded(leaf, "forwarded", [], now);
		const steps = explainSteps(resolved, policy, verdict, leaf, name);
		const decided = await afterTrust(resolved, policy, direct, leaf, presented, name, now, steps);
		const verdicts = compare(decided.code ?? "accepted", finalCode(resolved, forwarded) ?? "accepted", presented);
		return {
			...decided,
			steps,
			verdicts
		};
	}
};
/** The policy exactly as the authenticator compiles it. */
function compilePolicy(resolved) {
	return new TrustConfiguration(resolved, resolved, resolved.allowedCertificateTypes, resolved.securityLevel, () => void 0);
}
function lastError(errors) {
	return errors[errors.length - 1];
}
/** The chain, validity and revocation steps: one per error the verifier found, with its fix. */
function explainSteps(resolved, policy, verdict, leaf, name) {
	const steps = [{
		check: "certificate",
		ok: true,
		detail: `${dn(leaf)}, issued by ${rfc4514(leaf.issuer)}, SHA-256 ${leaf.fingerprint256}`
	}];
	const store = resolved.cas;
	if (isSelfSigned(leaf) && !store.some((ca) => ca.fingerprint256 === leaf.fingerprint256)) {
		const types = resolved.allowedCertificateTypes;
		const pinned = resolved.pins.matchesCertificate(leaf);
		const ok = types !== "chained" && pinned;
		steps.push({
			check: "chain",
			ok,
			detail: `self-signed; ${types === "chained" ? "self-signed certificates are not allowed" : pinned ? "pinned" : "not pinned"}`,
			fix: ok ? void 0 : `issue it from a CA in ${name("trustedCa")}, or allow self-signed certificates (${name("allowedCertificateTypes")}=all) and pin its SHA-256 in ${name("allowedFingerprints")}`
		});
		return steps;
	}
	if (verdict.ok) {
		steps.push({
			check: "chain",
			ok: true,
			detail: verdict.chain.map(dn).join(" <- ")
		});
		const domainStep = trustDomainStep(policy, leaf, verdict.chain, name);
		if (domainStep) steps.push(domainStep);
		steps.push({
			check: "validity",
			ok: true,
			detail: `valid until ${leaf.validTo}, every link current`
		});
		if (resolved.revocation) steps.push({
			check: "revocation",
			ok: true,
			detail: "not on the CRLs"
		});
		return steps;
	}
	const seen = /* @__PURE__ */ new Set();
	for (const error of verdict.errors) {
		if (seen.has(error.code)) continue;
		seen.add(error.code);
		steps.push(explainError(error, verdict.path, policy, resolved, name));
	}
	return steps;
}
/**
* The SPIFFE trust domain rule's step (with `spiffeBundles` only): which trust domain the
* certificate's SPIFFE ID names, and which bundle its chain ends in.
*/
function trustDomainStep(policy, leaf, chain, name) {
	const domains = policy.trustDomains;
	if (!domains) return void 0;
	const anchor = chain[chain.length - 1];
	const spiffeId = spiffeIdOfCertificate(leaf);
	const verdict = domains.judge(spiffeId, anchor);
	if (verdict.ok) return {
		check: "trust-domain",
		ok: true,
		detail: verdict.trustDomain === null ? `no SPIFFE ID; its chain ends at "${dn(anchor)}", a CA of ${name("trustedCa")}` : `${spiffeId ?? ""}: trust domain ${verdict.trustDomain}, its chain ends at "${dn(anchor)}" of the bundle ${name("spiffeBundles", verdict.trustDomain)}`
	};
	const domain = spiffeId === null ? void 0 : trustDomainOf(spiffeId);
	return {
		check: "trust-domain",
		ok: false,
		detail: verdict.detail,
		fix: domain === void 0 ? `issue it from a CA of ${name("trustedCa")}, or give it the SPIFFE ID of a trust domain whose bundle holds "${dn(anchor)}"` : domains.domains.includes(domain) ? `issue it from a CA of ${domain}'s bundle (${name("spiffeBundles", domain)}), or add "${dn(anchor)}" to that bundle if ${domain} vouches for it` : `add trust domain ${domain} with its bundle to ${name("spiffeBundles")}`
	};
}
/** One verification error as a failed step: who, what, and the fix. */
function explainError(error, path, policy, resolved, name) {
	const at = path[Math.min(error.depth, path.length - 1)];
	const who = error.depth === 0 ? "the certificate" : `"${dn(at)}"`;
	const detail = `${who}: ${VERIFY_ERROR_TEXT[error.code] ?? error.code}`;
	const step = (check, fix, text = detail) => ({
		check,
		ok: false,
		detail: text,
		fix
	});
	const top = path[path.length - 1];
	switch (error.code) {
		case "UNABLE_TO_GET_ISSUER_CERT_LOCALLY":
		case "UNABLE_TO_GET_ISSUER_CERT":
		case "SELF_SIGNED_CERT_IN_CHAIN": {
			const issuer = rfc4514(top.issuer);
			const verifier = policy.chainVerifier;
			const issuerKey = verifier.profileOf(top).issuerKey;
			const named = resolved.cas.some((ca) => verifier.profileOf(ca).subjectKey === issuerKey);
			const text = `no path to a trusted CA (${VERIFY_ERROR_TEXT[error.code] ?? error.code})`;
			if (error.code === "SELF_SIGNED_CERT_IN_CHAIN") return step("chain", `the chain ends at "${dn(top)}", a CA this service does not trust: add it to ${name("trustedCa")} if it should be trusted`, text);
			return step("chain", named ? `a CA named "${issuer}" is in ${name("trustedCa")}, but it did not sign this certificate (another CA with the same name): issue it from your CA` : `add the CA that issued it, "${issuer}" (and any intermediate above it), to ${name("trustedCa")}, or have the client send its intermediates`, text);
		}
		case "CERT_SIGNATURE_FAILURE": return step("chain", `${who} is named as issued by a CA it was not signed by (another CA with the same name?): issue it from your CA`);
		case "CERT_CHAIN_TOO_LONG": return step("chain", "shorten the chain: OpenSSL verifies at most 100 intermediates");
		case "INVALID_CA":
		case "INVALID_NON_CA": return step("chain", `reissue ${who} as a CA (basicConstraints CA:TRUE, keyUsage keyCertSign)`);
		case "KEYUSAGE_NO_CERTSIGN":
		case "KEYUSAGE_NO_DIGITAL_SIGNATURE": return step("chain", `reissue ${who} with keyUsage keyCertSign`);
		case "PATH_LENGTH_EXCEEDED": return step("chain", `${who} allows fewer CAs below it (pathLenConstraint): issue from a CA closer to it, or reissue it with a larger pathLen`);
		case "UNHANDLED_CRITICAL_EXTENSION": return step("chain", `reissue ${who} without the critical extension (OpenSSL refuses it too)`);
		case "EE_KEY_TOO_SMALL":
		case "CA_KEY_TOO_SMALL": return step("chain", `reissue ${who} with a stronger key (RSA of 2048 bits or more, or EC P-256): the server's TLS security level is ${resolved.securityLevel}`);
		case "CA_MD_TOO_WEAK": return step("chain", `reissue ${who} signed with SHA-256 or stronger`);
		case "EC_KEY_EXPLICIT_PARAMS": return step("chain", `reissue ${who} with a named curve (P-256, P-384)`);
		case "PERMITTED_VIOLATION":
		case "EXCLUDED_VIOLATION":
		case "SUBTREE_MINMAX":
		case "UNSUPPORTED_CONSTRAINT_TYPE":
		case "UNSUPPORTED_NAME_SYNTAX": return step("chain", `issue ${who} with names the CAs above it may certify (their name constraints)`);
		case "CERT_HAS_EXPIRED": return step("validity", error.depth === 0 ? "renew the certificate" : `reissue it under a current ${who} (and put that one in ${name("trustedCa")})`, `${who} expired on ${at.validTo}`);
		case "CERT_NOT_YET_VALID": return step("validity", error.depth === 0 ? "check its notBefore and the clocks" : `wait, or reissue it under a current ${who}`, `${who} is not valid before ${at.validFrom}`);
		case "ERROR_IN_CERT_NOT_BEFORE_FIELD":
		case "ERROR_IN_CERT_NOT_AFTER_FIELD": return step("validity", `reissue ${who} with times in RFC 5280's form (YYMMDDHHMMSSZ, or YYYYMMDDHHMMSSZ from 2050)`);
		case "CERT_REVOKED": return step("revocation", "issue a new certificate", `${who} is on its issuer's CRL`);
		case "UNABLE_TO_GET_CRL": return step("revocation", `add a current CRL from every CA of the path to ${name("crl")}`, `no current CRL from the issuer of ${who}`);
		case "INVALID_PURPOSE": return step("usage", error.depth === 0 ? "issue it with extendedKeyUsage = clientAuth and keyUsage = digitalSignature" : "the CA that issued it may not issue client certificates (its extended key usage lacks clientAuth): issue it from one that may");
		case "RFC3779_RESOURCES": return step("chain", `issue ${who} without RFC 3779 blocks (sbgp-ipAddrBlock, sbgp-autonomousSysNum): this service refuses resource certificates on every way`);
		case "KEY_CANNOT_SIGN_TLS": return step("chain", "issue it for a signing key (RSA, EC P-256/P-384/P-521, Ed25519)");
		case "KEYUSAGE_NO_CRL_SIGN": return step("revocation", `reissue ${who}'s CA with keyUsage cRLSign, or have it sign no CRL`);
		case "CRL_HAS_EXPIRED":
		case "CRL_NOT_YET_VALID":
		case "ERROR_IN_CRL_LAST_UPDATE_FIELD":
		case "ERROR_IN_CRL_NEXT_UPDATE_FIELD": return step("revocation", `put a current CRL from the issuer of ${who} in ${name("crl")} (and renew it before its nextUpdate)`);
		case "DIFFERENT_CRL_SCOPE":
		case "UNHANDLED_CRITICAL_CRL_EXTENSION":
		case "CRL_SIGNATURE_FAILURE": return step("revocation", `give ${name("crl")} a full CRL of every certificate the issuer of ${who} signed, signed by it, without critical extensions OpenSSL does not handle`);
		default: return step("chain", `reissue ${who} as an ordinary X.509 certificate`);
	}
}
/**
* The policy's own steps once trust is decided (usage, pins, OCSP, the service-wide allowlist),
* appended to `steps`; the code the service answers directly, and the identity.
*/
async function afterTrust(resolved, policy, outcome, leaf, presented, name, now, steps) {
	const facts = policy.chainVerifier.profileOf(leaf);
	const eku = facts.extKeyUsage;
	const usageOk = allowsClientAuth(facts.ca, eku);
	steps.push({
		check: "usage",
		ok: usageOk,
		detail: facts.ca ? "a CA certificate" : eku ? `extended key usage ${eku.map((oid) => PURPOSES[oid] ?? oid).join(", ")}` : "no extended key usage",
		fix: usageOk ? void 0 : facts.ca ? "use a leaf certificate (basicConstraints CA:FALSE)" : "issue it with extendedKeyUsage = clientAuth"
	});
	if (resolved.pins.enabled) {
		const pinned = resolved.pins.matchesCertificate(leaf);
		steps.push({
			check: "pins",
			ok: pinned,
			detail: pinned ? "pinned" : "not one of the pinned certificates",
			fix: pinned ? void 0 : `add its SHA-256 ${leaf.fingerprint256} to ${name("allowedFingerprints")}`
		});
	}
	let code = outcome.ok ? void 0 : outcome.code;
	const identity = outcome.ok ? outcome.identity : void 0;
	if (outcome.ok && resolved.ocsp !== "off") {
		const chain = policy.trustedChain(leaf, presented);
		const checker = new OcspChecker(resolved.ocsp, resolved.ocspUrl, resolved.ocspTimeoutMs);
		const answer = chain ? await checker.status(chain, now) : void 0;
		const refuses = answer?.status === "revoked" || answer?.status === "unknown" && resolved.ocsp === "hard";
		if (refuses) code = answer?.status === "revoked" ? MtlsReasonCode.CertRevoked : MtlsReasonCode.CertUntrusted;
		steps.push({
			check: "revocation",
			ok: !refuses,
			detail: `OCSP (${resolved.ocsp}): ${answer?.status ?? "not asked (no trusted chain to name the issuer)"}`,
			fix: !refuses ? void 0 : answer?.status === "revoked" ? "issue a new certificate" : `make the responder (${resolved.ocspUrl ?? "the certificate's AIA OCSP URL"}) reachable and aware of this certificate, or set ${name("ocsp")}=soft`
		});
	}
	if (identity && resolved.allowedServices) {
		const allowed = resolved.allowedServices(identity);
		if (!allowed && code === void 0) code = MtlsReasonCode.ServiceForbidden;
		steps.push({
			check: "allowlist",
			ok: allowed,
			detail: allowed ? "matches the service-wide allowlist" : "matches no pattern of the service-wide allowlist",
			fix: allowed ? void 0 : `add ${patternFor(identity)} to ${name("allowedServices")}`
		});
	}
	return {
		code,
		identity,
		pattern: identity && patternFor(identity)
	};
}
/** An outcome's code after the service-wide allowlist (OCSP aside). */
function finalCode(resolved, outcome) {
	if (!outcome.ok) return outcome.code;
	if (resolved.allowedServices && !resolved.allowedServices(outcome.identity)) return MtlsReasonCode.ServiceForbidden;
}
function compare(direct, forwarded, presented) {
	if (direct === forwarded) return {
		direct,
		forwarded
	};
	return {
		direct,
		forwarded,
		difference: presented.length > 0 ? "a proxy that forwards the leaf alone (nginx, Caddy, ALB in verify mode) passes on none of the intermediates the client sends: put them in the trusted bundle, or have the proxy forward the chain (a preset that carries one), to be accepted both ways" : "the two ways judge this certificate differently: please report it, with the certificate (never its key)"
	};
}
/**
* The pattern that would let this identity in: its SPIFFE ID, else its CN when a name pattern can
* say it (printable ASCII), else its DN (whose values are compared exactly, in any script).
*/
function patternFor(identity) {
	if (identity.spiffeId !== null) return identity.spiffeId;
	const cn = identity.commonName;
	return cn !== null && isNamePattern(cn) ? cn : `dn:${identity.subject}`;
}

// dist/diagnose/describe-routes.js
/**
* Every route of an initialised application with its `@Public()` and `@AllowServices()` metadata,
* read the way the guards read it (handler over controller).
*/
function describeRoutes(app) {
	return declaredRoutes(app.get(ModulesContainer), app.get(Reflector)).map(({ method, path, controller, metadata }) => {
		const { isPublic, allowServices: allow } = metadata;
		return {
			method,
			path,
			controller: controller.name,
			isPublic,
			allowServices: allow?.patterns,
			onBehalfOf: allow?.onBehalfOf ?? false,
			allows: (identity) => isPublic || !allow || allowsCaller(allow, identity),
			enforcement: allow?.enforcement ?? "enforce",
			requireBoundToken: metadata.requireBoundToken,
			rule: metadata.rule
		};
	}).sort((a, b) => a.path.localeCompare(b.path));
}

export { AllowServices, CertificateExplainer, ClientCertAuthGuard, ClientCertForwardingInterceptor, ClientCertStrategy, ClientCertificateException, ClientIdentity, ForwardClientCert, MtlsAuthModule, MtlsAuthOptionsError, MtlsAuthService, MtlsHttpClient, MtlsReasonCode, MtlsReloadService, OutboundRequestError, Public, REASON_DESCRIPTIONS, RequireBoundToken, ServiceAllowlistGuard, checkMtlsAuthSettings, currentCaller, describeRoutes, identityOfRequest, mtlsServerOptions, parsePemCertificates };