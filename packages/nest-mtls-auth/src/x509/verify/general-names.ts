import { contentStart, decodeOid, elementEnd } from '../der.js';

/** GeneralName choice tags, as OpenSSL numbers them (`GEN_OTHERNAME` = 0 ... `GEN_RID` = 8). */
export const GeneralNameType = {
  otherName: 0,
  rfc822Name: 1,
  dNSName: 2,
  x400Address: 3,
  directoryName: 4,
  ediPartyName: 5,
  uniformResourceIdentifier: 6,
  iPAddress: 7,
  registeredID: 8,
} as const;

/** One GeneralName (RFC 5280 section 4.2.1.6), its value still bytes. */
export interface GeneralName {
  /** The choice, 0-8 ({@link GeneralNameType}). */
  readonly type: number;
  /**
   * The string's or octet string's content for rfc822Name, dNSName, URI and iPAddress; the Name
   * element (a SEQUENCE) for directoryName; the whole element otherwise.
   */
  readonly value: Uint8Array;
  /** otherName only: its type-id, dotted. */
  readonly otherNameType?: string;
}

/**
 * Reads `GeneralNames` (`SEQUENCE OF GeneralName`) whose element starts at `at`.
 *
 * @throws {Error} when it is not one (OpenSSL then marks the certificate invalid).
 */
export function readGeneralNameList(der: Uint8Array, at: number, tag = 0x30): GeneralName[] {
  if (der[at] !== tag) throw new Error('GeneralNames is not a SEQUENCE');
  const end = elementEnd(der, at);
  const names: GeneralName[] = [];
  for (let p = contentStart(der, at); p < end; p = elementEnd(der, p)) {
    names.push(readGeneralName(der, p, end));
  }
  return names;
}

/**
 * Reads one GeneralName at `at` (which must end by `limit`).
 *
 * @throws {Error} when it is not one.
 */
export function readGeneralName(der: Uint8Array, at: number, limit: number): GeneralName {
  const tag = der[at] as number;
  const end = elementEnd(der, at);
  if (end > limit) throw new Error('GeneralName overruns its list');
  const type = tag & 0x1f;
  const constructed = (tag & 0x20) !== 0;
  if ((tag & 0xc0) !== 0x80 || type > 8) throw new Error('not a GeneralName');
  const start = contentStart(der, at);
  switch (type) {
    case GeneralNameType.otherName: {
      // [0] IMPLICIT SEQUENCE { type-id OID, value [0] EXPLICIT ANY }
      if (!constructed || der[start] !== 0x06) throw new Error('malformed otherName');
      const oidEnd = elementEnd(der, start);
      if (oidEnd >= end || der[oidEnd] !== 0xa0 || elementEnd(der, oidEnd) !== end) {
        throw new Error('malformed otherName');
      }
      const otherNameType = decodeOid(der, contentStart(der, start), oidEnd);
      return { type, value: der.subarray(at, end), otherNameType };
    }
    case GeneralNameType.rfc822Name:
    case GeneralNameType.dNSName:
    case GeneralNameType.uniformResourceIdentifier:
    case GeneralNameType.iPAddress:
      if (constructed) throw new Error('a string GeneralName is primitive');
      return { type, value: der.subarray(start, end) };
    case GeneralNameType.directoryName: {
      // [4] EXPLICIT Name
      if (!constructed || der[start] !== 0x30 || elementEnd(der, start) !== end) {
        throw new Error('malformed directoryName');
      }
      return { type, value: der.subarray(start, end) };
    }
    case GeneralNameType.registeredID:
      if (constructed) throw new Error('registeredID is primitive');
      return { type, value: der.subarray(at, end) };
    default:
      // x400Address [3] and ediPartyName [5] are SEQUENCEs.
      if (!constructed) throw new Error('malformed GeneralName');
      return { type, value: der.subarray(at, end) };
  }
}
