import { id_on_SmtpUTF8Mailbox } from '../oids.js';
import { domainToUnicode } from 'node:url';
import { GeneralNameType, readGeneralName, type GeneralName } from './general-names.js';
import {
  Asn1Error,
  CONTEXT,
  firstElement,
  integerValue,
  Tag,
  UNIVERSAL,
  type Element,
} from './openssl-asn1.js';

/** One GeneralSubtree: its base name, and whether minimum/maximum are what OpenSSL supports. */
export interface GeneralSubtree {
  readonly base: GeneralName;
  /** `minimum` absent or 0 and `maximum` absent (else `X509_V_ERR_SUBTREE_MINMAX`). */
  readonly minMaxValid: boolean;
}

/** A nameConstraints extension's value. */
export interface NameConstraints {
  readonly permitted: readonly GeneralSubtree[];
  readonly excluded: readonly GeneralSubtree[];
}

/** The outcome of a name constraints check, named as OpenSSL's `X509_V_ERR_*`. */
export type NameConstraintsResult =
  | 'OK'
  | 'PERMITTED_VIOLATION'
  | 'EXCLUDED_VIOLATION'
  | 'SUBTREE_MINMAX'
  | 'UNSUPPORTED_CONSTRAINT_TYPE'
  | 'UNSUPPORTED_NAME_SYNTAX'
  | 'UNSPECIFIED';

/**
 * Reads a nameConstraints extension's value (`NAME_CONSTRAINTS`: `SEQUENCE { [0] IMPLICIT
 * GeneralSubtrees OPTIONAL, [1] IMPLICIT GeneralSubtrees OPTIONAL }`).
 *
 * @throws {Asn1Error} when OpenSSL's decoder would refuse it.
 * @see RFC 5280 section 4.2.1.10
 */
export function readNameConstraints(value: Uint8Array): NameConstraints {
  const e = firstElement(value);
  if (!e.is(UNIVERSAL, Tag.sequence)) throw new Asn1Error('NameConstraints is a SEQUENCE');
  const fields = e.children();
  const permitted = fields.optional(CONTEXT, 0);
  const excluded = fields.optional(CONTEXT, 1);
  fields.done();
  return {
    permitted: permitted ? readSubtrees(permitted) : [],
    excluded: excluded ? readSubtrees(excluded) : [],
  };
}

/** `GENERAL_SUBTREE`: `SEQUENCE { base, [0] IMPLICIT INTEGER OPTIONAL, [1] IMPLICIT INTEGER OPTIONAL }`. */
function readSubtrees(list: Element): GeneralSubtree[] {
  return [...list.children()].map((subtree) => {
    if (!subtree.is(UNIVERSAL, Tag.sequence)) throw new Asn1Error('GeneralSubtree is a SEQUENCE');
    const fields = subtree.children();
    const first = fields.next();
    if (!first) throw new Asn1Error('GeneralSubtree without a base');
    const base = readGeneralName(first);
    const minimum = fields.optional(CONTEXT, 0);
    const maximum = fields.optional(CONTEXT, 1);
    fields.done();
    const min = minimum ? integerValue(minimum.primitive(Tag.integer)) : 0n;
    if (maximum) maximum.primitive(Tag.integer);
    return { base, minMaxValid: min === 0n && maximum === undefined };
  });
}

/** What `NAME_CONSTRAINTS_check` reads from the certificate under the constraints. */
export interface ConstrainedNames {
  /** The subject Name's canonical encoding (`x509_name_canon`). */
  readonly subject: Uint8Array;
  /** How many attributes the subject has (OpenSSL checks it as a directoryName when > 0). */
  readonly subjectAttributeCount: number;
  /** The subject's emailAddress attributes: their ASN.1 tag and content. */
  readonly subjectEmails: readonly { readonly tag: number; readonly value: Uint8Array }[];
  /** The subjectAltName entries (none without the extension). */
  readonly altNames: readonly GeneralName[];
}

/** Most names times constraints one check may compare (OpenSSL's `NAME_CHECK_MAX`). */
const NAME_CHECK_MAX = 1 << 20;

/**
 * `NAME_CONSTRAINTS_check`: the subject as a directoryName, its emailAddress attributes as
 * rfc822Names, and every subjectAltName, each against `nc`.
 */
export function checkNames(names: ConstrainedNames, nc: NameConstraints): NameConstraintsResult {
  const nameCount = names.subjectAttributeCount + names.altNames.length;
  const constraintCount = nc.permitted.length + nc.excluded.length;
  if (nameCount > 0 && constraintCount > NAME_CHECK_MAX / nameCount) return 'UNSPECIFIED';
  if (names.subjectAttributeCount > 0) {
    const r = match({ type: GeneralNameType.directoryName, value: names.subject }, nc);
    if (r !== 'OK') return r;
    for (const email of names.subjectEmails) {
      if (email.tag !== 0x16) return 'UNSUPPORTED_NAME_SYNTAX';
      const re = match({ type: GeneralNameType.rfc822Name, value: email.value }, nc);
      if (re !== 'OK') return re;
    }
  }
  for (const name of names.altNames) {
    const r = match(name, nc);
    if (r !== 'OK') return r;
  }
  return 'OK';
}

/**
 * `NAME_CONSTRAINTS_check_CN`: each commonName that looks like a host name with two labels or
 * more, as a dNSName. OpenSSL applies it to a leaf without DNS subjectAltNames.
 *
 * @param commonNames each CN's UTF-8 bytes.
 */
export function checkCommonNames(
  commonNames: readonly Uint8Array[],
  nc: NameConstraints,
): NameConstraintsResult {
  for (const cn of commonNames) {
    const id = hostNameOf(cn);
    if (id === 'NUL') return 'UNSUPPORTED_NAME_SYNTAX';
    if (id === undefined) continue;
    const r = match({ type: GeneralNameType.dNSName, value: id }, nc);
    if (r !== 'OK') return r;
  }
  return 'OK';
}

/**
 * `true` when `name`, read as a dNSName whatever its shape, satisfies the DNS constraints of
 * `nc`. Stricter than OpenSSL's CN check, which skips names without a dot: what decides whether
 * a CN may stand for an identity under a name-constrained CA.
 */
export function dnsNameAllowed(name: Uint8Array, nc: NameConstraints): boolean {
  if (name.includes(0)) return false;
  return match({ type: GeneralNameType.dNSName, value: name }, nc) === 'OK';
}

/** `cn2dnsid`: the CN as a DNS-ID when it looks like one, `'NUL'` when it holds an embedded NUL. */
function hostNameOf(utf8: Uint8Array): Uint8Array | 'NUL' | undefined {
  let length = utf8.length;
  while (length > 0 && utf8[length - 1] === 0) length--;
  const value = utf8.subarray(0, length);
  if (value.includes(0)) return 'NUL';
  let isDnsName = false;
  for (let i = 0; i < length; i++) {
    const c = value[i] as number;
    if (isAlnum(c) || c === 0x5f) continue;
    if (i > 0 && i < length - 1) {
      if (c === 0x2d) continue;
      const next = value[i + 1] as number;
      const previous = value[i - 1] as number;
      if (c === 0x2e && next !== 0x2e && previous !== 0x2d && next !== 0x2d) {
        isDnsName = true;
        continue;
      }
    }
    isDnsName = false;
    break;
  }
  return isDnsName ? value : undefined;
}

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** `nc_match`: permitted subtrees of the name's type (one must match), then excluded ones. */
function match(name: GeneralName, nc: NameConstraints): NameConstraintsResult {
  let state: 'none' | 'unmatched' | 'matched' = 'none';
  for (const sub of nc.permitted) {
    if (!sameType(name, sub.base)) continue;
    if (!sub.minMaxValid) return 'SUBTREE_MINMAX';
    if (state === 'matched') continue;
    state = 'unmatched';
    const r = matchSingle(name, sub.base);
    if (r === 'OK') state = 'matched';
    else if (r !== 'PERMITTED_VIOLATION') return r;
  }
  if (state === 'unmatched') return 'PERMITTED_VIOLATION';
  for (const sub of nc.excluded) {
    if (!sameType(name, sub.base)) continue;
    if (!sub.minMaxValid) return 'SUBTREE_MINMAX';
    const r = matchSingle(name, sub.base);
    if (r === 'OK') return 'EXCLUDED_VIOLATION';
    if (r !== 'PERMITTED_VIOLATION') return r;
  }
  return 'OK';
}

function effectiveType(name: GeneralName): number {
  return name.type === GeneralNameType.otherName && name.otherNameType === id_on_SmtpUTF8Mailbox
    ? GeneralNameType.rfc822Name
    : name.type;
}

function sameType(name: GeneralName, base: GeneralName): boolean {
  const type = effectiveType(name);
  if (type !== base.type) return false;
  return type !== GeneralNameType.otherName || name.otherNameType === base.otherNameType;
}

function matchSingle(name: GeneralName, base: GeneralName): NameConstraintsResult {
  switch (name.type) {
    case GeneralNameType.otherName:
      // Only an SmtpUTF8Mailbox reaches here (against an rfc822Name subtree): any other
      // otherName subtree is a type OpenSSL does not compare.
      return name.otherNameType === id_on_SmtpUTF8Mailbox
        ? matchSmtpUtf8Mailbox(name, base.value)
        : 'UNSUPPORTED_CONSTRAINT_TYPE';
    case GeneralNameType.directoryName:
      return matchDirectoryName(name.value, base.value);
    case GeneralNameType.dNSName:
      return matchDns(name.value, base.value);
    case GeneralNameType.rfc822Name:
      return matchEmail(name.value, base.value);
    case GeneralNameType.uniformResourceIdentifier:
      return matchUri(name.value, base.value);
    case GeneralNameType.iPAddress:
      return matchIp(name.value, base.value);
    default:
      return 'UNSUPPORTED_CONSTRAINT_TYPE';
  }
}

/** `nc_dn`: the subtree's canonical encoding is a prefix of the name's (both canonical here). */
function matchDirectoryName(n: Uint8Array, b: Uint8Array): NameConstraintsResult {
  if (b.length > n.length) return 'PERMITTED_VIOLATION';
  for (let i = 0; i < b.length; i++) if (b[i] !== n[i]) return 'PERMITTED_VIOLATION';
  return 'OK';
}

/** `nc_dns`: empty matches all; otherwise the base is a suffix at a label boundary. */
function matchDns(dns: Uint8Array, base: Uint8Array): NameConstraintsResult {
  if (base.length === 0) return 'OK';
  if (dns.length < base.length) return 'PERMITTED_VIOLATION';
  const offset = dns.length - base.length;
  if (offset > 0 && base[0] !== 0x2e && dns[offset - 1] !== 0x2e) return 'PERMITTED_VIOLATION';
  return asciiCaseEqual(base, 0, dns, offset, base.length) ? 'OK' : 'PERMITTED_VIOLATION';
}

/**
 * `nc_email_eai` (RFC 8398): an SmtpUTF8Mailbox (UTF8String) against an rfc822Name subtree whose
 * A-labels (`xn--`) are read as U-labels: `.domain` matches a suffix, `domain` the host exactly,
 * ASCII letters in any case.
 */
function matchSmtpUtf8Mailbox(name: GeneralName, base: Uint8Array): NameConstraintsResult {
  if (base.includes(0)) return 'UNSUPPORTED_NAME_SYNTAX';
  const value = name.otherValue;
  if (value?.tag !== 0x0c) return 'UNSUPPORTED_NAME_SYNTAX';
  const email = value.content;
  const at = email.lastIndexOf(0x40);
  if (at < 0) return 'UNSUPPORTED_NAME_SYNTAX';
  const text = Buffer.from(base).toString('latin1');
  const dot = text.startsWith('.');
  const unicode = aLabelsToULabels(dot ? text.slice(1) : text);
  if (unicode === undefined) return 'UNSPECIFIED';
  const label = Buffer.from(dot ? `.${unicode}` : unicode, 'utf8');
  if (dot) {
    if (email.length > label.length) {
      const offset = email.length - label.length;
      if (asciiCaseEqual(label, 0, email, offset, label.length)) return 'OK';
    }
    return 'PERMITTED_VIOLATION';
  }
  const hostLength = email.length - at - 1;
  if (hostLength !== label.length) return 'PERMITTED_VIOLATION';
  return asciiCaseEqual(label, 0, email, at + 1, hostLength) ? 'OK' : 'PERMITTED_VIOLATION';
}

/**
 * `ossl_a2ulabel`: each dot-separated label that starts with `xn--` decoded from Punycode, the
 * others kept as they are; `undefined` when one does not decode.
 */
function aLabelsToULabels(text: string): string | undefined {
  const labels: string[] = [];
  for (const label of text.split('.')) {
    if (!label.startsWith('xn--')) {
      labels.push(label);
      continue;
    }
    const decoded = domainToUnicode(label);
    if (decoded === '' || decoded.includes('.')) return undefined;
    labels.push(decoded);
  }
  return labels.join('.');
}

/** `nc_email`: `.domain`, `domain`, or `local@domain` (local part exact, domain any case). */
function matchEmail(email: Uint8Array, base: Uint8Array): NameConstraintsResult {
  const emailAt = email.lastIndexOf(0x40);
  const baseAt = base.lastIndexOf(0x40);
  if (emailAt < 0) return 'UNSUPPORTED_NAME_SYNTAX';
  if (baseAt < 0 && base.length > 0 && base[0] === 0x2e) {
    if (email.length > base.length) {
      const offset = email.length - base.length;
      if (asciiCaseEqual(base, 0, email, offset, base.length)) return 'OK';
    }
    return 'PERMITTED_VIOLATION';
  }
  let baseHost = 0;
  if (baseAt >= 0) {
    if (baseAt !== 0) {
      if (baseAt !== emailAt) return 'PERMITTED_VIOLATION';
      if (base.subarray(0, baseAt).includes(0) || email.subarray(0, emailAt).includes(0)) {
        return 'UNSUPPORTED_NAME_SYNTAX';
      }
      for (let i = 0; i < emailAt; i++) if (base[i] !== email[i]) return 'PERMITTED_VIOLATION';
    }
    baseHost = baseAt + 1;
  }
  const emailHost = emailAt + 1;
  const length = base.length - baseHost;
  if (length !== email.length - emailHost) return 'PERMITTED_VIOLATION';
  return asciiCaseEqual(base, baseHost, email, emailHost, length) ? 'OK' : 'PERMITTED_VIOLATION';
}

/** `nc_uri`: the URI's host (as `OSSL_parse_url` reads it) against `.domain` or `host`. */
function matchUri(uri: Uint8Array, base: Uint8Array): NameConstraintsResult {
  const host = uriHost(uri);
  if (host === undefined) return 'UNSUPPORTED_NAME_SYNTAX';
  if (base.length > 0 && base[0] === 0x2e) {
    if (host.length > base.length) {
      if (asciiCaseEqual(host, host.length - base.length, base, 0, base.length)) return 'OK';
    }
    return 'PERMITTED_VIOLATION';
  }
  if (host.length !== base.length) return 'PERMITTED_VIOLATION';
  return asciiCaseEqual(host, 0, base, 0, base.length) ? 'OK' : 'PERMITTED_VIOLATION';
}

/**
 * The host of a URI as OpenSSL 3.5's `OSSL_parse_url` finds it (the text up to its first NUL):
 * after `scheme://` (required, the scheme as RFC 3986 spells it) and any `userinfo@` within the
 * authority; an IPv6 literal keeps
 * its brackets; a port read as C's `sscanf("%u")` reads it (up to 65535, after wrapping to 32
 * bits). `undefined` when OpenSSL would not parse it.
 */
function uriHost(uri: Uint8Array): Uint8Array | undefined {
  const nul = uri.indexOf(0);
  const text = Buffer.from(nul < 0 ? uri : uri.subarray(0, nul)).toString('latin1');
  const schemeEnd = text.indexOf('://');
  // RFC 3986's scheme: a letter, then letters, digits, '+', '-' and '.' (checked by 3.5.9).
  if (schemeEnd <= 0 || !/^[A-Za-z][A-Za-z0-9+.-]*$/.test(text.slice(0, schemeEnd))) {
    return undefined;
  }
  const rest = text.slice(schemeEnd + 3);
  const authorityEnd = firstOf(rest, '/?#', 0);
  const at = rest.indexOf('@');
  const hostStart = at >= 0 && at < authorityEnd ? at + 1 : 0;
  let hostEnd: number;
  if (rest[hostStart] === '[') {
    const close = rest.indexOf(']', hostStart + 1);
    if (close < 0) return undefined;
    hostEnd = close + 1;
  } else {
    hostEnd = firstOf(rest, ':/?#', hostStart);
  }
  let p = hostEnd;
  if (rest[p] === ':') {
    p++;
    const port = scanUnsigned(rest.slice(p));
    if (port === undefined || port > 65535) return undefined;
    while (p < rest.length && rest[p] !== undefined && /[0-9]/.test(rest[p] as string)) p++;
  }
  if (p < rest.length && !'/?#'.includes(rest[p] as string)) return undefined;
  return Buffer.from(rest.slice(hostStart, hostEnd), 'latin1');
}

/** The index of the first of `chars` in `text` from `from`, or its length. */
function firstOf(text: string, chars: string, from: number): number {
  for (let i = from; i < text.length; i++) if (chars.includes(text[i] as string)) return i;
  return text.length;
}

/**
 * C's `sscanf(s, "%u")` on Linux: white space skipped, an optional sign, decimal digits read as
 * `strtoul` does (64 bits, saturating), the result cut to 32 bits; `undefined` without a digit.
 */
function scanUnsigned(s: string): number | undefined {
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)/.exec(s);
  if (!m) return undefined;
  const max = (1n << 64n) - 1n;
  let value = BigInt(m[2] as string);
  if (value > max) value = max;
  else if (m[1] === '-') value = -value & max;
  return Number(value & 0xffffffffn);
}

/** `nc_ip`: an address of 4 or 16 bytes inside a base of address and mask (8 or 32 bytes). */
function matchIp(ip: Uint8Array, base: Uint8Array): NameConstraintsResult {
  if (ip.length !== 4 && ip.length !== 16) return 'UNSUPPORTED_NAME_SYNTAX';
  if (base.length !== 8 && base.length !== 32) return 'UNSUPPORTED_NAME_SYNTAX';
  if (ip.length * 2 !== base.length) return 'PERMITTED_VIOLATION';
  for (let i = 0; i < ip.length; i++) {
    const mask = base[ip.length + i] as number;
    if (((ip[i] as number) & mask) !== ((base[i] as number) & mask)) return 'PERMITTED_VIOLATION';
  }
  return 'OK';
}

/** `ia5ncasecmp(...) == 0`: bytes equal with ASCII letters folded (nothing else). */
function asciiCaseEqual(
  a: Uint8Array,
  aStart: number,
  b: Uint8Array,
  bStart: number,
  length: number,
): boolean {
  for (let i = 0; i < length; i++) {
    let x = a[aStart + i] as number;
    let y = b[bStart + i] as number;
    if (x === y) continue;
    if (x >= 0x41 && x <= 0x5a) x += 0x20;
    if (y >= 0x41 && y <= 0x5a) y += 0x20;
    if (x !== y) return false;
  }
  return true;
}
