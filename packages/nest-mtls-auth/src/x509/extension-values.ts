import { GeneralNameType, readGeneralNames as readNames } from './verify/general-names.js';
import { Asn1Error, firstElement, oidOf, Tag, UNIVERSAL } from './verify/openssl-asn1.js';

/**
 * The values of the certificate extensions this package reads, from their DER, decoded by the
 * same OpenSSL-faithful reader as the chain verifier (BER lengths and constructed strings read
 * as OpenSSL reads them), so that what the verifier accepted always reads here.
 */

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
 * @throws {Asn1Error} when the DER is not GeneralNames as OpenSSL decodes them.
 * @see RFC 5280 section 4.2.1.6
 */
export function readGeneralNames(der: Uint8Array): RawGeneralNames {
  const names: RawGeneralNames = { dns: [], uris: [], emails: [], ips: [] };
  for (const name of readNames(firstElement(der))) {
    const value = Buffer.from(name.value);
    if (name.type === GeneralNameType.dNSName) names.dns.push(value.toString('latin1'));
    else if (name.type === GeneralNameType.uniformResourceIdentifier) {
      names.uris.push(value.toString('latin1'));
    } else if (name.type === GeneralNameType.rfc822Name)
      names.emails.push(value.toString('latin1'));
    else if (name.type === GeneralNameType.iPAddress) names.ips.push(ipText(name.value));
  }
  return names;
}

/**
 * basicConstraints cA of a basicConstraints extension's value (DEFAULT FALSE).
 *
 * @throws {Asn1Error} when the DER is not BasicConstraints.
 */
export function readBasicConstraintsCa(der: Uint8Array): boolean {
  const e = firstElement(der);
  if (!e.is(UNIVERSAL, Tag.sequence)) throw new Asn1Error('BasicConstraints is a SEQUENCE');
  const ca = e.children().optional(UNIVERSAL, Tag.boolean);
  return ca !== undefined && ca.primitive(Tag.boolean)[0] !== 0;
}

/**
 * The purposes of an extKeyUsage extension's value, dotted OIDs.
 *
 * @throws {Asn1Error} when the DER is not a SEQUENCE of OIDs.
 */
export function readExtendedKeyUsage(der: Uint8Array): string[] {
  const e = firstElement(der);
  if (!e.is(UNIVERSAL, Tag.sequence)) throw new Asn1Error('extKeyUsage is a SEQUENCE');
  return [...e.children()].map((purpose) => oidOf(purpose));
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
  return Buffer.from(bytes).toString('hex');
}
