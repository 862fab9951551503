import { ATTRIBUTE_TYPE_NAMES } from './oids.js';
import { asciiUpper } from './ascii-case.js';
import type { RawAttribute } from './tbs-certificate.js';

/** One attribute of a distinguished name, with its type as a canonical short name or dotted OID. */
export interface DnAttribute {
  readonly type: string;
  readonly value: string;
}

/** Canonical short names for attribute OIDs, as RFC 4514 and OpenSSL print them. */
const OID_NAMES = ATTRIBUTE_TYPE_NAMES;

/** Other spellings of the same types, as .NET, OpenSSL and LDAP tools print them. */
const TYPE_ALIASES: Readonly<Record<string, string>> = {
  S: 'ST',
  E: 'EMAILADDRESS',
  EMAIL: 'EMAILADDRESS',
  G: 'GIVENNAME',
  GN: 'GIVENNAME',
  T: 'TITLE',
  USERID: 'UID',
  SURNAME: 'SN',
  STREETADDRESS: 'STREET',
  COMMONNAME: 'CN',
  COUNTRYNAME: 'C',
  LOCALITYNAME: 'L',
  STATEORPROVINCENAME: 'ST',
  ORGANIZATIONNAME: 'O',
  ORGANIZATIONALUNITNAME: 'OU',
  DOMAINCOMPONENT: 'DC',
};

const NAME_TO_CANONICAL: ReadonlyMap<string, string> = new Map([
  ...Object.values(OID_NAMES).map((n) => [n, n] as const),
  ...Object.entries(TYPE_ALIASES),
  ...Object.entries(OID_NAMES),
  ...Object.entries(OID_NAMES).map(([oid, n]) => [`OID.${oid}`, n] as const),
]);

/**
 * Canonical form of an attribute type: `cn`, `CommonName`, `2.5.4.3` and `OID.2.5.4.3` all read
 * `CN`; unknown types keep their dotted OID. Case is folded for ASCII letters only: `\u017Ft`
 * (LATIN SMALL LETTER LONG S) is not `ST`.
 */
export function canonicalAttributeType(type: string): string {
  const t = type.trim();
  const upper = asciiUpper(t);
  return NAME_TO_CANONICAL.get(upper) ?? NAME_TO_CANONICAL.get(t) ?? upper;
}

/** An attribute type as people write one: a name (`CN`, `commonName`) or a dotted OID. */
const ATTRIBUTE_TYPE = /^[A-Za-z][A-Za-z0-9-]*$|^(OID\.)?\d+(\.\d+)+$/i;

/** Short names by dotted OID (a read-only table, made once). */
const OID_TO_NAME: ReadonlyMap<string, string> = new Map(Object.entries(OID_NAMES));

/** The canonical type of an attribute read from DER: its short name, or its dotted OID. */
function typeOfOid(oid: string): string {
  return OID_TO_NAME.get(oid) ?? oid;
}

/**
 * Flattens a Name's RDNs into their attributes in certificate order (most significant first, as
 * OpenSSL prints it). Multi-valued RDNs contribute each of their attributes.
 */
export function nameAttributes(rdns: readonly (readonly RawAttribute[])[]): DnAttribute[] {
  const out: DnAttribute[] = [];
  for (const rdn of rdns) for (const a of rdn) out.push({ type: typeOfOid(a.oid), value: a.value });
  return out;
}

const RFC4514_SPECIAL = /[,+"\\<>;=]/g;
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

/** Whether a value needs any of {@link escapeValue}'s escapes (most values need none). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
const NEEDS_ESCAPE = /[,+"\\<>;=\u0000-\u001f\u007f]|^[ #]| $/;

/** Escapes a value for an RFC 4514 string. */
function escapeValue(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  let v = value.replace(RFC4514_SPECIAL, (c) => `\\${c}`);
  v = v.replace(CONTROL_CHARACTERS, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  if (v.startsWith(' ') || v.startsWith('#')) v = `\\${v}`;
  if (v.endsWith(' ') && !v.endsWith('\\ ')) v = `${v.slice(0, -1)}\\ `;
  return v;
}

/**
 * Formats a Name as an RFC 4514 string: least significant RDN first (`CN=billing-service,O=Acme`),
 * the order .NET, Java and LDAP tools use; multi-valued RDNs are joined with `+`.
 *
 * @see RFC 4514 section 2
 */
export function formatRfc4514(rdns: readonly (readonly RawAttribute[])[]): string {
  // Joined, not concatenated: one flat string, where `+=` leaves a tree of pieces that the
  // identity would keep for as long as it is remembered.
  const parts: string[] = [];
  for (let i = rdns.length - 1; i >= 0; i--) {
    const rdn = rdns[i] as readonly RawAttribute[];
    let part = '';
    for (let j = 0; j < rdn.length; j++) {
      const a = rdn[j] as RawAttribute;
      part += `${j > 0 ? '+' : ''}${typeOfOid(a.oid)}=${escapeValue(a.value)}`;
    }
    parts.push(part);
  }
  return parts.join(',');
}

/**
 * Parses a distinguished name as people write it into a list of attributes, order kept:
 * RFC 4514 (`CN=client,OU=prod,O=Acme`, escapes and `+` included), .NET (`CN=client, OU=prod`,
 * quoted values), OpenSSL's default (`CN = client, O = Acme`) and its one-line form
 * (`/CN=client/O=Acme`).
 *
 * @throws {Error} when the text is not a distinguished name (empty, or a part without `type=value`).
 */
export function parseDistinguishedName(text: string): DnAttribute[] {
  const input = text.trim();
  if (input.startsWith('/')) return parseSlashForm(input);
  const out: DnAttribute[] = [];
  let i = 0;
  while (i <= input.length) {
    const eq = input.indexOf('=', i);
    if (eq < 0)
      throw new Error(`"${text}" is not a distinguished name: "${input.slice(i)}" has no "="`);
    const type = input.slice(i, eq).trim();
    if (!ATTRIBUTE_TYPE.test(type)) {
      throw new Error(`"${text}" is not a distinguished name: bad attribute type "${type}"`);
    }
    const { value, end } = readValue(input, eq + 1);
    out.push({ type: canonicalAttributeType(type), value });
    if (end >= input.length) break;
    i = end + 1;
  }
  return out;
}

function readValue(s: string, start: number): { value: string; end: number } {
  let i = start;
  while (s[i] === ' ') i++;
  if (s[i] === '"') {
    let v = '';
    i++;
    while (i < s.length && s[i] !== '"') {
      if (s[i] === '\\' && i + 1 < s.length) i++;
      v += s[i];
      i++;
    }
    if (s[i] !== '"') throw new Error(`"${s}" has an unterminated quoted value`);
    i++;
    while (s[i] === ' ') i++;
    if (i < s.length && !isSeparator(s[i])) throw new Error(`"${s}" has text after a quoted value`);
    return { value: v, end: i };
  }
  const bytes: number[] = [];
  let lastSignificant = 0;
  while (i < s.length && !isSeparator(s[i])) {
    const c = s[i] as string;
    if (c === '\\' && i + 1 < s.length) {
      const hex = s.slice(i + 1, i + 3);
      if (/^[0-9a-fA-F]{2}$/.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 3;
      } else {
        bytes.push(...Buffer.from(s[i + 1] as string, 'utf8'));
        i += 2;
      }
      lastSignificant = bytes.length;
      continue;
    }
    bytes.push(...Buffer.from(c, 'utf8'));
    if (c !== ' ') lastSignificant = bytes.length;
    i++;
  }
  return { value: Buffer.from(bytes.slice(0, lastSignificant)).toString('utf8'), end: i };
}

function isSeparator(c: string | undefined): boolean {
  return c === ',' || c === '+' || c === ';';
}

function parseSlashForm(input: string): DnAttribute[] {
  return input
    .slice(1)
    .split(/(?<!\\)[/+]/)
    .filter((p) => p.length > 0)
    .map((part) => {
      const eq = part.indexOf('=');
      if (eq <= 0) throw new Error(`"${input}" is not a distinguished name: "${part}" has no "="`);
      const type = part.slice(0, eq).trim();
      if (!ATTRIBUTE_TYPE.test(type)) {
        throw new Error(`"${input}" is not a distinguished name: bad attribute type "${type}"`);
      }
      return {
        type: canonicalAttributeType(type),
        value: part.slice(eq + 1).replace(/\\(.)/g, '$1'),
      };
    });
}

/**
 * A key that is equal for two distinguished names exactly when they hold the same
 * attribute=value pairs, in any order: types compared by canonical name, values exactly.
 */
export function dnMatchKey(attributes: readonly DnAttribute[]): string {
  return attributes
    .map((a) => JSON.stringify([a.type, a.value]))
    .sort()
    .join('\u0000');
}
