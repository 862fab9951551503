import { isIP } from 'node:net';
import {
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_certificatePolicies,
  id_ce_certificatePolicies_anyPolicy,
  id_ce_cRLDistributionPoints,
  id_ce_extKeyUsage,
  id_ce_inhibitAnyPolicy,
  id_ce_keyUsage,
  id_ce_nameConstraints,
  id_ce_policyConstraints,
  id_ce_policyMappings,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  id_kp_clientAuth,
  id_kp_codeSigning,
  id_kp_emailProtection,
  id_kp_serverAuth,
} from '@peculiar/asn1-x509';
import {
  boolean,
  context,
  integer,
  integerContent,
  namedBits,
  octetString,
  oid,
  oidContent,
  sequence,
  TAG,
  tlv,
} from './der.js';
import { encodeName, type NameInput } from './names.js';

/** One extension: its OID, criticality, and the DER inside extnValue's OCTET STRING. */
export interface ExtensionSpec {
  readonly oid: string;
  readonly critical: boolean;
  /** The extension's value, DER (or anything: garbage values are written as given). */
  readonly value: Uint8Array;
  /** Writes `critical BOOLEAN FALSE` explicitly, which DER forbids (it is the DEFAULT). */
  readonly explicitFalse?: boolean;
}

/** DER of an Extension. */
export function encodeExtension(e: ExtensionSpec): Buffer {
  const parts = [oid(e.oid)];
  if (e.critical || e.explicitFalse) parts.push(boolean(e.critical));
  parts.push(octetString(e.value));
  return sequence(...parts);
}

/** Netscape certificate type (2.16.840.1.113730.1.1), obsolete but still read by OpenSSL. */
export const OID_NETSCAPE_CERT_TYPE = '2.16.840.1.113730.1.1';
/** An OID under a private arc, for unknown extensions and unknown policies. */
export const OID_UNKNOWN = '1.3.6.1.4.1.55555.1.1';
export const OID_ANY_EKU = '2.5.29.37.0';
export const OID_ANY_POLICY = id_ce_certificatePolicies_anyPolicy;

/** Extended key usage purposes by name; any dotted OID is accepted too. */
export const EKU_OIDS = {
  serverAuth: id_kp_serverAuth,
  clientAuth: id_kp_clientAuth,
  codeSigning: id_kp_codeSigning,
  emailProtection: id_kp_emailProtection,
  anyExtendedKeyUsage: OID_ANY_EKU,
} as const;
export type EkuName = keyof typeof EKU_OIDS;

/** KeyUsage bit numbers (bit 0 is the first bit of the BIT STRING). */
export const KEY_USAGE_BITS = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
  encipherOnly: 7,
  decipherOnly: 8,
} as const;
export type KeyUsageName = keyof typeof KEY_USAGE_BITS;

/** Netscape cert type bits, as the byte values OpenSSL's NS_* flags use (bit 0 = 0x80). */
export const NETSCAPE_CERT_TYPE = {
  sslClient: 0x80,
  sslServer: 0x40,
  smime: 0x20,
  objsign: 0x10,
  sslCA: 0x04,
  smimeCA: 0x02,
  objCA: 0x01,
} as const;
export type NetscapeCertTypeName = keyof typeof NETSCAPE_CERT_TYPE;

/** A GeneralName (RFC 5280 4.2.1.6). */
export type GeneralName =
  | { readonly dns: string }
  | { readonly email: string }
  | { readonly uri: string }
  /** An address `10.0.0.1` or `2001:db8::1`, a CIDR `10.0.0.0/8` (name constraints), or raw bytes. */
  | { readonly ip: string | Uint8Array }
  | { readonly directoryName: NameInput }
  | { readonly otherName: { readonly oid: string; readonly value: Uint8Array } }
  | { readonly registeredId: string };

function ipv4Bytes(text: string): number[] {
  return text.split('.').map((p) => Number(p));
}

function ipv6Bytes(text: string): number[] {
  const [head = '', tail] = text.split('::');
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return all.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

/** Bytes of an IP address, or address + mask for a `a.b.c.d/len` CIDR (8 or 32 bytes). */
export function ipBytes(text: string): Buffer {
  const [address = '', prefix] = text.split('/');
  const v = isIP(address);
  if (v === 0) throw new Error(`not an IP address: ${text}`);
  const bytes = v === 4 ? ipv4Bytes(address) : ipv6Bytes(address);
  if (prefix === undefined) return Buffer.from(bytes);
  const bits = Number(prefix);
  const mask = bytes.map((_, i) => {
    const inByte = Math.max(0, Math.min(8, bits - i * 8));
    return (0xff << (8 - inByte)) & 0xff;
  });
  return Buffer.from([...bytes, ...mask]);
}

/** DER of a GeneralName (context tags are IMPLICIT, directoryName's is EXPLICIT: Name is a CHOICE). */
export function encodeGeneralName(name: GeneralName): Buffer {
  if ('dns' in name) return tlv(context(2, false), Buffer.from(name.dns, 'latin1'));
  if ('email' in name) return tlv(context(1, false), Buffer.from(name.email, 'latin1'));
  if ('uri' in name) return tlv(context(6, false), Buffer.from(name.uri, 'latin1'));
  if ('ip' in name) {
    return tlv(context(7, false), typeof name.ip === 'string' ? ipBytes(name.ip) : name.ip);
  }
  if ('directoryName' in name) return tlv(context(4, true), encodeName(name.directoryName));
  if ('registeredId' in name) return tlv(context(8, false), oidContent(name.registeredId));
  return tlv(
    context(0, true),
    oid(name.otherName.oid),
    tlv(context(0, true), name.otherName.value),
  );
}

const ext = (oidValue: string, critical: boolean, value: Uint8Array): ExtensionSpec => ({
  oid: oidValue,
  critical,
  value,
});

/** Options common to the builders. */
export interface Criticality {
  readonly critical?: boolean;
}

/**
 * basicConstraints. `pathLen` may be negative (OpenSSL marks the certificate invalid) or set
 * with `ca: false` (RFC 5280 forbids it). `explicitCaFalse` writes `cA FALSE` (a DEFAULT).
 */
export function basicConstraints(
  o: { ca?: boolean; pathLen?: number | bigint; explicitCaFalse?: boolean } & Criticality,
): ExtensionSpec {
  const parts: Buffer[] = [];
  if (o.ca || o.explicitCaFalse) parts.push(boolean(o.ca ?? false));
  if (o.pathLen !== undefined) parts.push(integer(o.pathLen));
  return ext(id_ce_basicConstraints, o.critical ?? true, sequence(...parts));
}

/** keyUsage from bit names or numbers; an empty list writes a BIT STRING with no bits set. */
export function keyUsage(
  bits: readonly (KeyUsageName | number)[],
  o: Criticality = {},
): ExtensionSpec {
  const numbers = bits.map((b) => (typeof b === 'number' ? b : KEY_USAGE_BITS[b]));
  return ext(id_ce_keyUsage, o.critical ?? true, namedBits(numbers));
}

/** extKeyUsage from purpose names or dotted OIDs. */
export function extKeyUsage(
  purposes: readonly (EkuName | (string & {}))[],
  o: Criticality = {},
): ExtensionSpec {
  const oids = purposes.map((p) => (EKU_OIDS as Record<string, string>)[p] ?? p);
  return ext(id_ce_extKeyUsage, o.critical ?? false, sequence(...oids.map(oid)));
}

/** Netscape cert type from names or a byte (0x80 sslClient ... 0x01 objCA). */
export function netscapeCertType(
  types: readonly NetscapeCertTypeName[] | number,
  o: Criticality = {},
): ExtensionSpec {
  const byte =
    typeof types === 'number' ? types : types.reduce((b, t) => b | NETSCAPE_CERT_TYPE[t], 0);
  const bits: number[] = [];
  for (let i = 0; i < 8; i++) if (byte & (0x80 >> i)) bits.push(i);
  return ext(OID_NETSCAPE_CERT_TYPE, o.critical ?? false, namedBits(bits));
}

/** subjectAltName. */
export function subjectAltName(names: readonly GeneralName[], o: Criticality = {}): ExtensionSpec {
  return ext(id_ce_subjectAltName, o.critical ?? false, sequence(...names.map(encodeGeneralName)));
}

/** One GeneralSubtree; `minimum` other than 0 and any `maximum` are non-standard (RFC 5280). */
export interface GeneralSubtree {
  readonly base: GeneralName;
  readonly minimum?: number;
  readonly maximum?: number;
}

function encodeSubtree(s: GeneralSubtree): Buffer {
  const parts = [encodeGeneralName(s.base)];
  if (s.minimum !== undefined) parts.push(tlv(context(0, false), integerContent(s.minimum)));
  if (s.maximum !== undefined) parts.push(tlv(context(1, false), integerContent(s.maximum)));
  return sequence(...parts);
}

/** nameConstraints with permitted and/or excluded subtrees (critical by default, as RFC 5280 says). */
export function nameConstraints(
  o: {
    permitted?: readonly (GeneralSubtree | GeneralName)[];
    excluded?: readonly (GeneralSubtree | GeneralName)[];
  } & Criticality,
): ExtensionSpec {
  const subtrees = (list: readonly (GeneralSubtree | GeneralName)[]) =>
    list.map((s) => encodeSubtree('base' in s ? s : { base: s }));
  const parts: Buffer[] = [];
  if (o.permitted) parts.push(tlv(context(0, true), ...subtrees(o.permitted)));
  if (o.excluded) parts.push(tlv(context(1, true), ...subtrees(o.excluded)));
  return ext(id_ce_nameConstraints, o.critical ?? true, sequence(...parts));
}

/** certificatePolicies: policy OIDs, each optionally with a CPS URI qualifier. */
export function certificatePolicies(
  policies: readonly (string | { oid: string; cps?: string })[],
  o: Criticality = {},
): ExtensionSpec {
  const info = policies.map((p) => {
    const { oid: id, cps } = typeof p === 'string' ? { oid: p, cps: undefined } : p;
    const qualifiers =
      cps === undefined
        ? []
        : [
            sequence(
              sequence(oid('1.3.6.1.5.5.7.2.1'), tlv(TAG.ia5String, Buffer.from(cps, 'latin1'))),
            ),
          ];
    return sequence(oid(id), ...qualifiers);
  });
  return ext(id_ce_certificatePolicies, o.critical ?? false, sequence(...info));
}

/** policyConstraints; with neither field it is the empty SEQUENCE RFC 5280 forbids. */
export function policyConstraints(
  o: { requireExplicitPolicy?: number; inhibitPolicyMapping?: number } & Criticality,
): ExtensionSpec {
  const parts: Buffer[] = [];
  if (o.requireExplicitPolicy !== undefined) {
    parts.push(tlv(context(0, false), integerContent(o.requireExplicitPolicy)));
  }
  if (o.inhibitPolicyMapping !== undefined) {
    parts.push(tlv(context(1, false), integerContent(o.inhibitPolicyMapping)));
  }
  return ext(id_ce_policyConstraints, o.critical ?? true, sequence(...parts));
}

/** policyMappings: `[issuerDomainPolicy, subjectDomainPolicy]` pairs. */
export function policyMappings(
  pairs: readonly (readonly [string, string])[],
  o: Criticality = {},
): ExtensionSpec {
  const maps = pairs.map(([from, to]) => sequence(oid(from), oid(to)));
  return ext(id_ce_policyMappings, o.critical ?? true, sequence(...maps));
}

/** inhibitAnyPolicy (SkipCerts). */
export function inhibitAnyPolicy(skipCerts: number, o: Criticality = {}): ExtensionSpec {
  return ext(id_ce_inhibitAnyPolicy, o.critical ?? true, integer(skipCerts));
}

/** subjectKeyIdentifier with these bytes. */
export function subjectKeyIdentifier(keyId: Uint8Array): ExtensionSpec {
  return ext(id_ce_subjectKeyIdentifier, false, octetString(keyId));
}

/** The fields of an authorityKeyIdentifier; any combination, matching the issuer or not. */
export interface AuthorityKeyIdentifierSpec {
  readonly keyId?: Uint8Array;
  /** authorityCertIssuer: the issuer's issuer, as a directoryName. */
  readonly issuer?: NameInput;
  /** authorityCertIssuer as any GeneralNames (instead of `issuer`). */
  readonly issuerNames?: readonly GeneralName[];
  /** authorityCertSerialNumber: bytes verbatim or a number. */
  readonly serial?: Uint8Array | bigint;
}

/** authorityKeyIdentifier. */
export function authorityKeyIdentifier(spec: AuthorityKeyIdentifierSpec): ExtensionSpec {
  const parts: Buffer[] = [];
  if (spec.keyId) parts.push(tlv(context(0, false), spec.keyId));
  if (spec.issuer !== undefined) {
    parts.push(tlv(context(1, true), encodeGeneralName({ directoryName: spec.issuer })));
  } else if (spec.issuerNames !== undefined) {
    parts.push(tlv(context(1, true), ...spec.issuerNames.map(encodeGeneralName)));
  }
  if (spec.serial !== undefined) {
    const content = spec.serial instanceof Uint8Array ? spec.serial : integerContent(spec.serial);
    parts.push(tlv(context(2, false), content));
  }
  return ext(id_ce_authorityKeyIdentifier, false, sequence(...parts));
}

/** cRLDistributionPoints with one full-name URI per distribution point. */
export function crlDistributionPoints(uris: readonly string[], o: Criticality = {}): ExtensionSpec {
  const points = uris.map((u) =>
    sequence(tlv(context(0, true), tlv(context(0, true), encodeGeneralName({ uri: u })))),
  );
  return ext(id_ce_cRLDistributionPoints, o.critical ?? false, sequence(...points));
}

/** An extension nobody knows (NULL value unless given), critical or not. */
export function unknownExtension(
  critical: boolean,
  oidValue: string = OID_UNKNOWN,
  value: Uint8Array = Buffer.from([0x05, 0x00]),
): ExtensionSpec {
  return ext(oidValue, critical, value);
}

/** A known extension whose value is not what its syntax says (garbage bytes by default). */
export function garbageExtension(
  oidValue: string,
  critical: boolean,
  value: Uint8Array = Buffer.from([0xde, 0xad, 0xbe, 0xef]),
): ExtensionSpec {
  return ext(oidValue, critical, value);
}
