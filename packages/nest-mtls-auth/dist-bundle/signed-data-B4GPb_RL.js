import { constants, verify } from "node:crypto";

// dist/x509/oids.js
/**
* The object identifiers this package reads, in one place. Those `@peculiar/asn1-x509` names
* carry its names, and test/unit/oids.spec.ts holds them equal to its values; they are written
* out rather than imported because importing that library costs every start-up about 60 ms
* (`npm run bench:startup`), for constants.
*/
const id_ce_subjectKeyIdentifier = "2.5.29.14";
const id_ce_keyUsage = "2.5.29.15";
const id_ce_subjectAltName = "2.5.29.17";
const id_ce_issuerAltName = "2.5.29.18";
const id_ce_basicConstraints = "2.5.29.19";
const id_ce_nameConstraints = "2.5.29.30";
const id_ce_cRLDistributionPoints = "2.5.29.31";
const id_ce_certificatePolicies = "2.5.29.32";
const id_ce_policyMappings = "2.5.29.33";
const id_ce_authorityKeyIdentifier = "2.5.29.35";
const id_ce_policyConstraints = "2.5.29.36";
const id_ce_extKeyUsage = "2.5.29.37";
const id_ce_inhibitAnyPolicy = "2.5.29.54";
const id_pe_authorityInfoAccess = "1.3.6.1.5.5.7.1.1";
const anyExtendedKeyUsage = "2.5.29.37.0";
const id_kp_serverAuth = "1.3.6.1.5.5.7.3.1";
const id_kp_clientAuth = "1.3.6.1.5.5.7.3.2";
const id_kp_codeSigning = "1.3.6.1.5.5.7.3.3";
const id_kp_emailProtection = "1.3.6.1.5.5.7.3.4";
const id_kp_timeStamping = "1.3.6.1.5.5.7.3.8";
const id_kp_OCSPSigning = "1.3.6.1.5.5.7.3.9";
/** Netscape certificate type (a legacy extension OpenSSL still enforces for TLS purposes). */
const id_netscape_certType = "2.16.840.1.113730.1.1";
/** RFC 3820 proxy certificate information. */
const id_pe_proxyCertInfo = "1.3.6.1.5.5.7.1.14";
/** RFC 3779 IP address and AS number delegation. */
const id_pe_ipAddrBlocks = "1.3.6.1.5.5.7.1.7";
const id_pe_autonomousSysIds = "1.3.6.1.5.5.7.1.8";
/** RFC 6960 id-pkix-ocsp-nocheck. */
const id_pkix_ocsp_nocheck = "1.3.6.1.5.5.7.48.1.5";
/** id-at-commonName. */
const id_at_commonName = "2.5.4.3";
/** PKCS #9 emailAddress, a Name attribute. */
const id_emailAddress = "1.2.840.113549.1.9.1";
/** RFC 6962 signed certificate timestamps (on nearly every public certificate). */
const id_ct_precertificateSCTs = "1.3.6.1.4.1.11129.2.4.2";
/** RFC 8398 SmtpUTF8Mailbox, an otherName. */
const id_on_SmtpUTF8Mailbox = "1.3.6.1.5.5.7.8.9";
/**
* Name attribute types and their short names, as RFC 4514 and the common tools (OpenSSL, .NET)
* print them.
*/
const ATTRIBUTE_TYPE_NAMES = {
	[id_at_commonName]: "CN",
	"2.5.4.4": "SN",
	"2.5.4.5": "SERIALNUMBER",
	"2.5.4.6": "C",
	"2.5.4.7": "L",
	"2.5.4.8": "ST",
	"2.5.4.9": "STREET",
	"2.5.4.10": "O",
	"2.5.4.11": "OU",
	"2.5.4.12": "TITLE",
	"2.5.4.42": "GIVENNAME",
	"2.5.4.43": "INITIALS",
	"2.5.4.46": "DNQUALIFIER",
	"2.5.4.65": "PSEUDONYM",
	"0.9.2342.19200300.100.1.1": "UID",
	"0.9.2342.19200300.100.1.25": "DC",
	[id_emailAddress]: "EMAILADDRESS"
};

// dist/x509/der/known-oids.js
/**
* The OIDs a certificate walk meets on every certificate (attribute types, extensions, key
* purposes), looked up by their DER bytes instead of decoded: decoding builds a new string from
* number conversions for each of the ~15 OIDs of a certificate, which a new caller's first request
* would pay for. The table is made once, here, and never changes; an OID not in it is decoded.
*/
const KNOWN_OIDS = [
	...Object.keys(ATTRIBUTE_TYPE_NAMES),
	id_ce_subjectKeyIdentifier,
	id_ce_keyUsage,
	id_ce_subjectAltName,
	id_ce_issuerAltName,
	id_ce_basicConstraints,
	id_ce_nameConstraints,
	id_ce_cRLDistributionPoints,
	id_ce_certificatePolicies,
	id_ce_authorityKeyIdentifier,
	id_ce_policyConstraints,
	id_ce_extKeyUsage,
	id_ce_inhibitAnyPolicy,
	id_pe_authorityInfoAccess,
	id_ct_precertificateSCTs,
	id_kp_serverAuth,
	id_kp_clientAuth,
	id_kp_codeSigning,
	id_kp_emailProtection,
	id_kp_timeStamping,
	id_kp_OCSPSigning,
	anyExtendedKeyUsage
];
/** The content bytes of a dotted OID (X.690 section 8.19). */
function encodeOid(dotted) {
	const [first = 0, second = 0, ...rest] = dotted.split(".").map(Number);
	const bytes = [];
	for (const arc of [first * 40 + second, ...rest]) {
		const groups = [arc & 127];
		for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) groups.unshift(v & 127 | 128);
		bytes.push(...groups);
	}
	return Uint8Array.from(bytes);
}
function hash(der, start, end) {
	let h = end - start;
	for (let i = start; i < end; i++) h = Math.imul(h, 31) + der[i] | 0;
	return h;
}
const BY_HASH = new Map(KNOWN_OIDS.map((dotted) => {
	const bytes = encodeOid(dotted);
	return [hash(bytes, 0, bytes.length), {
		bytes,
		dotted
	}];
}));
/** The dotted form of the OID with content bytes `der[start..end)` if it is a known one. */
function knownOid(der, start, end) {
	const known = BY_HASH.get(hash(der, start, end));
	if (known === void 0 || known.bytes.length !== end - start) return void 0;
	for (let i = 0; i < known.bytes.length; i++) if (known.bytes[i] !== der[start + i]) return void 0;
	return known.dotted;
}

// dist/x509/der/der.js
/**
* The length (header + content) of the DER element that starts at `offset`, or -1 when the bytes
* there are not a well-formed definite-length header.
*/
function derElementLength(der, offset = 0) {
	const first = der[offset + 1];
	if (first === void 0) return -1;
	if (first < 128) return 2 + first;
	const count = first & 127;
	if (count === 0 || count > 4 || der.length < offset + 2 + count) return -1;
	let length = 0;
	for (let i = 0; i < count; i++) length = length * 256 + der[offset + 2 + i];
	return 2 + count + length;
}
/** The header length of the DER element at `offset` (tag + length bytes). */
function derHeaderLength(der, offset = 0) {
	const first = der[offset + 1] ?? 0;
	return first < 128 ? 2 : 2 + (first & 127);
}
/** Offsets of the elements inside the constructed element at `at`, which must have `tag`. */
function children(der, at, tag) {
	if (der[at] !== tag) throw new Error(`expected tag 0x${tag.toString(16)} at ${at}`);
	const end = at + checkedLength(der, at);
	const out = [];
	for (let p = at + derHeaderLength(der, at); p < end; p += checkedLength(der, p)) out.push(p);
	return out;
}
function checkedLength(der, at) {
	const length = derElementLength(der, at);
	if (length < 2 || at + length > der.length) throw new Error(`malformed DER length at ${at}`);
	return length;
}
function element(der, at) {
	return der.subarray(at, elementEnd(der, at));
}
function content(der, at) {
	return der.subarray(contentStart(der, at), elementEnd(der, at));
}
/** Dotted form of the OID whose content bytes are `der[start..end)` (all of `der` by default). */
function decodeOid(der, start = 0, end = der.length) {
	const known = knownOid(der, start, end);
	if (known !== void 0) return known;
	let dotted = "";
	let value = 0;
	for (let i = start; i < end; i++) {
		const byte = der[i];
		value = value * 128 + (byte & 127);
		if ((byte & 128) === 0) {
			if (dotted === "") dotted = value < 80 ? `${Math.floor(value / 40)}.${value % 40}` : `2.${value - 80}`;
			else dotted += `.${value}`;
			value = 0;
		}
	}
	return dotted;
}
/**
* The bytes `start` to `end` of `der` decoded as `encoding`, read in place: no sub-array and no
* copy, which on a new caller's first request are most of what decoding a short string costs.
* Calls Buffer's slice decoders directly where Node has them (every supported version does):
* `toString()` reads `arguments`, an object of its own on each of the ~15 calls per certificate.
*/
function text(der, start, end, encoding) {
	const buffer = Buffer.isBuffer(der) ? der : Buffer.from(der.buffer, der.byteOffset, der.length);
	const decoders = buffer;
	if (encoding === "latin1" && decoders.latin1Slice) return decoders.latin1Slice(start, end);
	if (encoding === "utf8" && decoders.utf8Slice) return decoders.utf8Slice(start, end);
	if (encoding === "hex" && decoders.hexSlice) return decoders.hexSlice(start, end);
	return buffer.toString(encoding, start, end);
}
/** Offset of the content of the DER element at `at` (after its tag and length bytes). */
function contentStart(der, at) {
	return at + derHeaderLength(der, at);
}
/** Offset just past the DER element at `at` (bounds-checked). */
function elementEnd(der, at) {
	return at + checkedLength(der, at);
}

// dist/x509/verify/openssl-asn1.js
/**
* A reader of BER with the acceptance rules of OpenSSL's ASN.1 decoder (crypto/asn1/asn1_lib.c,
* tasn_dec.c, a_int.c, a_object.c, a_bitstr.c): what it accepts, this accepts; what it refuses,
* this refuses. OpenSSL decodes a certificate's extensions when it first reads the certificate,
* and one that does not decode makes the certificate invalid (no path is ever built through it),
* so the verifier of forwarded certificates must decode them exactly as strictly, and no more.
*
* Its rules, each OpenSSL's:
* - headers: high tag numbers; lengths short, long (leading zero bytes skipped, at most 8) or
*   indefinite (constructed only, closed by end-of-contents); an element must fit its parent;
* - string types may come constructed: their universal-class pieces are joined (5 levels deep);
*   INTEGER, ENUMERATED, OBJECT IDENTIFIER, BOOLEAN and NULL must be primitive;
* - INTEGER: at least one byte, no redundant leading 00 or FF byte;
* - OBJECT IDENTIFIER: at least one byte, the last without its top bit, no 0x80 starting a
*   sub-identifier;
* - BOOLEAN one byte, NULL none, BIT STRING an unused-bit count of 0-7 first, BMPString an even
*   length, UniversalString a multiple of four, times at least 13 or 15 bytes;
* - a SEQUENCE's fields in order, optional ones skipped by tag, nothing left over; an explicit
*   tag holding exactly one element.
*
* Contents are not required to end where a top-level value ends: OpenSSL's `X509V3_EXT_d2i`
* reads one value from an extension and ignores what follows it.
*/
var Asn1Error = class extends Error {};
/** ASN.1 classes, as the top two bits of a tag. */
const UNIVERSAL = 0;
/** Universal tags used here. */
const Tag = {
	boolean: 1,
	integer: 2,
	bitString: 3,
	octetString: 4,
	null: 5,
	oid: 6,
	enumerated: 10,
	utf8String: 12,
	sequence: 16,
	set: 17,
	numericString: 18,
	printableString: 19,
	t61String: 20,
	ia5String: 22,
	utcTime: 23,
	generalizedTime: 24,
	visibleString: 26,
	universalString: 28,
	bmpString: 30
};
/** One element: where its header and contents are. */
var Element = class {
	bytes;
	start;
	cls;
	constructed;
	tag;
	contentStart;
	contentEnd;
	end;
	indefinite;
	constructor(bytes, start, cls, constructed, tag, contentStart, contentEnd, end, indefinite) {
		this.bytes = bytes;
		this.start = start;
		this.cls = cls;
		this.constructed = constructed;
		this.tag = tag;
		this.contentStart = contentStart;
		this.contentEnd = contentEnd;
		this.end = end;
		this.indefinite = indefinite;
	}
	/** `true` when this element has class `cls` and number `tag`. */
	is(cls, tag) {
		return this.cls === cls && this.tag === tag;
	}
	/** The elements inside a constructed one. */
	children() {
		if (!this.constructed) throw new Asn1Error("a constructed element is needed");
		return new Cursor(this.bytes, this.contentStart, this.contentEnd);
	}
	/**
	* The contents of a value of universal type `utype`, decoded as OpenSSL's
	* `asn1_d2i_ex_primitive` does (a constructed string's pieces joined), and checked as its
	* `asn1_ex_c2i` checks them.
	*/
	primitive(utype) {
		let content;
		if (this.constructed) {
			if (utype === Tag.null || utype === Tag.boolean || utype === Tag.oid || utype === Tag.integer || utype === Tag.enumerated) throw new Asn1Error("type not primitive");
			const pieces = [];
			collect(this, pieces, 0);
			content = Buffer.concat(pieces);
		} else content = this.bytes.subarray(this.contentStart, this.contentEnd);
		checkContent(utype, content);
		return content;
	}
	/** This element's encoding, whole. */
	get encoding() {
		return this.bytes.subarray(this.start, this.end);
	}
};
/**
* Up to 5 levels of constructed string pieces (`asn1_collect`, which is called with tag -1: a
* piece of any class and tag is taken, only its contents count).
*/
function collect(e, out, depth) {
	if (depth > 5) throw new Asn1Error("nested too deep");
	for (const piece of e.children()) if (piece.constructed) collect(piece, out, depth + 1);
	else out.push(piece.bytes.subarray(piece.contentStart, piece.contentEnd));
}
/** `asn1_ex_c2i`'s checks of a universal type's contents. */
function checkContent(utype, c) {
	switch (utype) {
		case Tag.oid:
			checkOid(c);
			return;
		case Tag.null:
			if (c.length !== 0) throw new Asn1Error("NULL with contents");
			return;
		case Tag.boolean:
			if (c.length !== 1) throw new Asn1Error("BOOLEAN of wrong length");
			return;
		case Tag.bitString:
			if (c.length < 1) throw new Asn1Error("BIT STRING too short");
			if (c[0] > 7) throw new Asn1Error("BIT STRING with more than 7 unused bits");
			return;
		case Tag.integer:
		case Tag.enumerated:
			checkInteger(c);
			return;
		case Tag.bmpString:
			if (c.length % 2 !== 0) throw new Asn1Error("BMPString of odd length");
			return;
		case Tag.universalString:
			if (c.length % 4 !== 0) throw new Asn1Error("UniversalString of wrong length");
			return;
		case Tag.generalizedTime:
			if (c.length < 15) throw new Asn1Error("GeneralizedTime too short");
			return;
		case Tag.utcTime:
			if (c.length < 13) throw new Asn1Error("UTCTime too short");
			return;
		default: return;
	}
}
/** `c2i_ibuf`: no empty INTEGER, no redundant sign byte. */
function checkInteger(c) {
	if (c.length === 0) throw new Asn1Error("INTEGER with no contents");
	if (c.length === 1) return;
	const negative = (c[0] & 128) !== 0;
	let pad = false;
	if (c[0] === 0) pad = true;
	else if (c[0] === 255) {
		for (let i = 1; i < c.length; i++) if (c[i] !== 0) pad = true;
	}
	if (pad && negative === ((c[1] & 128) !== 0)) throw new Asn1Error("INTEGER with illegal padding");
}
/** `ossl_c2i_ASN1_OBJECT`'s checks. */
function checkOid(c) {
	if (c.length === 0 || (c[c.length - 1] & 128) !== 0) throw new Asn1Error("invalid OBJECT IDENTIFIER");
	for (let i = 0; i < c.length; i++) if (c[i] === 128 && (i === 0 || (c[i - 1] & 128) === 0)) throw new Asn1Error("invalid OBJECT IDENTIFIER");
}
/** The value of an INTEGER's (checked) contents, two's complement. */
function integerValue(c) {
	let value = 0n;
	for (const b of c) value = value << 8n | BigInt(b);
	if (c.length > 0 && (c[0] & 128) !== 0) value -= 1n << BigInt(c.length * 8);
	return value;
}
/** The dotted form of an OBJECT IDENTIFIER element's (checked) contents. */
function oidOf(e, cls = 0, tag = Tag.oid) {
	if (!e.is(cls, tag)) throw new Asn1Error("expected an OBJECT IDENTIFIER");
	const c = e.primitive(Tag.oid);
	return decodeOid(c);
}
/** The elements of a run of bytes, one by one, with OpenSSL's header rules. */
var Cursor = class {
	bytes;
	limit;
	at;
	peeked = null;
	constructor(bytes, start, limit) {
		this.bytes = bytes;
		this.limit = limit;
		this.at = start;
	}
	/** The next element without taking it; `undefined` at the end. */
	peek() {
		if (this.peeked === null) this.peeked = this.at >= this.limit ? void 0 : readElement(this.bytes, this.at, this.limit);
		return this.peeked;
	}
	/** The next element, taken; `undefined` at the end. */
	next() {
		const e = this.peek();
		if (e) {
			this.at = e.end;
			this.peeked = null;
		}
		return e;
	}
	/** The next element if it has `cls` and `tag` (an optional field), else `undefined`. */
	optional(cls, tag) {
		return this.peek()?.is(cls, tag) ? this.next() : void 0;
	}
	/** The next element, which must have `cls` and `tag` (a required field). */
	expect(cls, tag) {
		const e = this.next();
		if (!e?.is(cls, tag)) throw new Asn1Error(`expected [${cls}:${tag}]`);
		return e;
	}
	/** Throws unless every element was read (`ASN1_R_SEQUENCE_LENGTH_MISMATCH`). */
	done() {
		if (this.peek() !== void 0) throw new Asn1Error("unexpected element");
	}
	*[Symbol.iterator]() {
		for (let e = this.next(); e; e = this.next()) yield e;
	}
};
/** The first element of `bytes` (what OpenSSL's d2i of an extension reads). */
function firstElement(bytes) {
	if (bytes.length === 0) throw new Asn1Error("no element");
	return readElement(bytes, 0, bytes.length);
}
/** `ASN1_get_object` and, for an indefinite length, `asn1_find_end`. */
function readElement(b, at, limit) {
	const header = readHeader(b, at, limit);
	let contentEnd;
	let end;
	if (header.indefinite) {
		end = findEnd(b, header.contentStart, limit);
		contentEnd = end - 2;
	} else {
		contentEnd = header.contentStart + header.length;
		end = contentEnd;
	}
	return new Element(b, at, header.cls, header.constructed, header.tag, header.contentStart, contentEnd, end, header.indefinite);
}
function readHeader(b, at, limit) {
	let p = at;
	const byte = () => {
		if (p >= limit) throw new Asn1Error("header too long");
		return b[p++];
	};
	const first = byte();
	const cls = first & 192;
	const constructed = (first & 32) !== 0;
	let tag = first & 31;
	if (tag === 31) {
		tag = 0;
		for (let c = byte();; c = byte()) {
			tag = tag * 128 + (c & 127);
			if (tag > 16777215 && (c & 128) !== 0) throw new Asn1Error("tag too large");
			if ((c & 128) === 0) break;
		}
	}
	const lengthByte = byte();
	let length = 0;
	let indefinite = false;
	if (lengthByte === 128) indefinite = true;
	else if ((lengthByte & 128) !== 0) {
		let count = lengthByte & 127;
		if (limit - p < count) throw new Asn1Error("header too long");
		while (count > 0 && b[p] === 0) {
			p++;
			count--;
		}
		if (count > 8) throw new Asn1Error("length too long");
		for (; count > 0; count--) length = length * 256 + byte();
		if (length > Number.MAX_SAFE_INTEGER) throw new Asn1Error("length too long");
	} else length = lengthByte;
	if (indefinite && !constructed) throw new Asn1Error("indefinite length on a primitive");
	if (!indefinite && length > limit - p) throw new Asn1Error("element too long");
	return {
		cls,
		constructed,
		tag,
		contentStart: p,
		length,
		indefinite
	};
}
/** `asn1_find_end`: past the end-of-contents that closes an indefinite length at `start`. */
function findEnd(b, start, limit) {
	let expected = 1;
	let p = start;
	while (p < limit) {
		if (limit - p >= 2 && b[p] === 0 && b[p + 1] === 0) {
			p += 2;
			if (--expected === 0) return p;
			continue;
		}
		const h = readHeader(b, p, limit);
		if (h.indefinite) {
			expected++;
			p = h.contentStart;
		} else p = h.contentStart + h.length;
	}
	throw new Asn1Error("missing end-of-contents");
}

// dist/x509/verify/signed-data.js
/** RSA PKCS#1 v1.5, ECDSA and DSA signature OIDs and the digest each names, as Node calls it. */
const DIGESTS = {
	"1.2.840.113549.1.1.4": "md5",
	"1.2.840.113549.1.1.5": "sha1",
	"1.2.840.113549.1.1.14": "sha224",
	"1.2.840.113549.1.1.11": "sha256",
	"1.2.840.113549.1.1.12": "sha384",
	"1.2.840.113549.1.1.13": "sha512",
	"1.2.840.113549.1.1.15": "sha512-224",
	"1.2.840.113549.1.1.16": "sha512-256",
	"2.16.840.1.101.3.4.3.13": "sha3-224",
	"2.16.840.1.101.3.4.3.14": "sha3-256",
	"2.16.840.1.101.3.4.3.15": "sha3-384",
	"2.16.840.1.101.3.4.3.16": "sha3-512",
	"1.2.840.10045.4.1": "sha1",
	"1.2.840.10045.4.3.1": "sha224",
	"1.2.840.10045.4.3.2": "sha256",
	"1.2.840.10045.4.3.3": "sha384",
	"1.2.840.10045.4.3.4": "sha512",
	"2.16.840.1.101.3.4.3.9": "sha3-224",
	"2.16.840.1.101.3.4.3.10": "sha3-256",
	"2.16.840.1.101.3.4.3.11": "sha3-384",
	"2.16.840.1.101.3.4.3.12": "sha3-512",
	"1.2.840.10040.4.3": "sha1",
	"2.16.840.1.101.3.4.3.1": "sha224",
	"2.16.840.1.101.3.4.3.2": "sha256"
};
/** Hash OIDs as RSASSA-PSS parameters name them. */
const PSS_HASHES = {
	"1.3.14.3.2.26": "sha1",
	"2.16.840.1.101.3.4.2.4": "sha224",
	"2.16.840.1.101.3.4.2.1": "sha256",
	"2.16.840.1.101.3.4.2.2": "sha384",
	"2.16.840.1.101.3.4.2.3": "sha512",
	"2.16.840.1.101.3.4.2.7": "sha3-224",
	"2.16.840.1.101.3.4.2.8": "sha3-256",
	"2.16.840.1.101.3.4.2.9": "sha3-384",
	"2.16.840.1.101.3.4.2.10": "sha3-512"
};
const RSASSA_PSS = "1.2.840.113549.1.1.10";
/**
* `true` when `signature` over `data` verifies with `key` under the AlgorithmIdentifier
* `algorithm` (DER): RSA PKCS#1 v1.5, RSASSA-PSS (its hash and salt length from the parameters),
* ECDSA, DSA, Ed25519, Ed448, ML-DSA and SLH-DSA (their own algorithm; no digest). `false` for
* an algorithm OpenSSL would not know, or parameters that do not read. Never throws.
*
* For signed objects Node has no verifier for (CRLs, OCSP answers); certificates are verified by
* `X509Certificate.verify`, OpenSSL's own.
*/
function verifySignedData(algorithm, data, signature, key) {
	try {
		const alg = firstElement(algorithm).children();
		const oid = oidOf(alg.expect(0, Tag.oid));
		if (oid === RSASSA_PSS) {
			const { hash, saltLength } = pssParameters(alg.next()?.encoding);
			return verify(hash, data, {
				key,
				padding: constants.RSA_PKCS1_PSS_PADDING,
				saltLength
			}, signature);
		}
		const digest = DIGESTS[oid];
		if (digest !== void 0) return verify(digest, data, key, signature);
		return verify(null, data, key, signature);
	} catch {
		return false;
	}
}
/** RSASSA-PSS-params: hashAlgorithm [0] (default SHA-1) and saltLength [2] (default 20). */
function pssParameters(der) {
	let hash = "sha1";
	let saltLength = 20;
	if (der === void 0) return {
		hash,
		saltLength
	};
	const fields = firstElement(der).children();
	const hashAlgorithm = fields.optional(128, 0);
	if (hashAlgorithm) {
		const oid = oidOf(hashAlgorithm.children().expect(0, Tag.sequence).children().expect(0, Tag.oid));
		const name = PSS_HASHES[oid];
		if (name === void 0) throw new Error("unknown PSS hash");
		hash = name;
	}
	fields.optional(128, 1);
	const salt = fields.optional(128, 2);
	if (salt) saltLength = Number(integerValue(salt.children().expect(0, Tag.integer).primitive(Tag.integer)));
	return {
		hash,
		saltLength
	};
}

export { id_ce_subjectKeyIdentifier as A, id_pe_proxyCertInfo as B, id_ce_inhibitAnyPolicy as C, id_ce_policyConstraints as D, id_ce_nameConstraints as E, id_kp_serverAuth as F, id_netscape_certType as I, id_on_SmtpUTF8Mailbox as L, id_kp_OCSPSigning as M, id_kp_clientAuth as N, id_ce_policyMappings as O, id_kp_emailProtection as P, id_pe_autonomousSysIds as R, id_ce_extKeyUsage as S, id_ce_keyUsage as T, id_pkix_ocsp_nocheck as V, id_at_commonName as _, integerValue as a, id_ce_cRLDistributionPoints as b, content as c, derElementLength as d, element as f, anyExtendedKeyUsage as g, ATTRIBUTE_TYPE_NAMES as h, firstElement as i, id_emailAddress as j, id_ce_subjectAltName as k, contentStart as l, text as m, Asn1Error as n, oidOf as o, elementEnd as p, Tag as r, children as s, verifySignedData as t, decodeOid as u, id_ce_authorityKeyIdentifier as v, id_ce_issuerAltName as w, id_ce_certificatePolicies as x, id_ce_basicConstraints as y, id_pe_ipAddrBlocks as z };