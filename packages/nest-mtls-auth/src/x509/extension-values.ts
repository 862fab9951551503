import {
  checkedLength,
  children,
  content,
  contentStart,
  decodeOid,
  derHeaderLength,
  elementEnd,
  text,
} from './der.js';

/** The values of the certificate extensions this package reads, from their DER. */

const SEQUENCE = 0x30;
const BOOLEAN = 0x01;
const OID = 0x06;

/** The names of a subjectAltName extension's value that identities carry, by kind. */
export interface RawGeneralNames {
  readonly dns: string[];
  readonly uris: string[];
  readonly emails: string[];
  /** Dotted IPv4, or IPv6 as 8 groups of hex (callers compress it). */
  readonly ips: string[];
}

/**
 * Reads rfc822Name [1], dNSName [2], uniformResourceIdentifier [6] and iPAddress [7] from
 * GeneralNames; other kinds (otherName, directoryName, ...) are skipped.
 *
 * @throws {Error} when the DER is not GeneralNames.
 * @see RFC 5280 section 4.2.1.6
 */
export function readGeneralNames(der: Uint8Array): RawGeneralNames {
  const names: RawGeneralNames = { dns: [], uris: [], emails: [], ips: [] };
  const end = checkedLength(der, 0);
  if (der[0] !== SEQUENCE) throw new Error('GeneralNames is not a SEQUENCE');
  for (let p = derHeaderLength(der, 0), next; p < end; p = next) {
    next = p + checkedLength(der, p);
    const tag = der[p];
    if (tag === 0x82) names.dns.push(text(der, contentStart(der, p), next, 'latin1'));
    else if (tag === 0x86) names.uris.push(text(der, contentStart(der, p), next, 'latin1'));
    else if (tag === 0x81) names.emails.push(text(der, contentStart(der, p), next, 'latin1'));
    else if (tag === 0x87) names.ips.push(ipText(content(der, p)));
  }
  return names;
}

/**
 * basicConstraints cA of a basicConstraints extension's value (DEFAULT FALSE).
 *
 * @throws {Error} when the DER is not BasicConstraints.
 */
export function readBasicConstraintsCa(der: Uint8Array): boolean {
  const first = children(der, 0, SEQUENCE)[0];
  if (first === undefined || der[first] !== BOOLEAN) return false;
  const value = content(der, first);
  return value.length === 1 && value[0] !== 0;
}

/**
 * The purposes of an extKeyUsage extension's value, dotted OIDs.
 *
 * @throws {Error} when the DER is not a SEQUENCE of OIDs.
 */
export function readExtendedKeyUsage(der: Uint8Array): string[] {
  return children(der, 0, SEQUENCE).map((at) => {
    if (der[at] !== OID) throw new Error('extKeyUsage holds a non-OID');
    return decodeOid(der, contentStart(der, at), elementEnd(der, at));
  });
}

function ipText(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (bytes.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) {
      groups.push((((bytes[i] as number) << 8) | (bytes[i + 1] as number)).toString(16));
    }
    return groups.join(':');
  }
  return text(bytes, 0, bytes.length, 'hex');
}
