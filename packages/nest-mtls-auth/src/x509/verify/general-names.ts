import { canonicalOf, readName } from './canonical-name.js';
import { Asn1Error, CONTEXT, Tag, UNIVERSAL, oidOf, type Element } from './openssl-asn1.js';

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

/** One GeneralName (RFC 5280 section 4.2.1.6), as OpenSSL's decoder reads it. */
export interface GeneralName {
  /** The choice, 0-8 ({@link GeneralNameType}). */
  readonly type: number;
  /**
   * The string's or octet string's contents for rfc822Name, dNSName, URI and iPAddress (a
   * constructed string's pieces joined); the canonical encoding of the Name for directoryName;
   * the whole element otherwise.
   */
  readonly value: Uint8Array;
  /** otherName only: its type-id, dotted, and its value's tag and contents when universal. */
  readonly otherNameType?: string;
  readonly otherValue?: { readonly tag: number; readonly content: Uint8Array };
}

/**
 * `GeneralNames` (`SEQUENCE OF GeneralName`, or the same with an implicit tag).
 *
 * @throws {Asn1Error} when OpenSSL's decoder would refuse it.
 */
export function readGeneralNames(
  e: Element,
  cls: number = UNIVERSAL,
  tag: number = Tag.sequence,
): GeneralName[] {
  if (!e.is(cls, tag)) throw new Asn1Error('GeneralNames expected');
  return [...e.children()].map(readGeneralName);
}

/**
 * One GeneralName: OpenSSL's `GENERAL_NAME` CHOICE, each alternative decoded as its template
 * says (an otherName's value as ANY, a directoryName as a Name whose strings convert, an
 * ediPartyName with its partyName).
 *
 * @throws {Asn1Error} when OpenSSL's decoder would refuse it.
 */
export function readGeneralName(e: Element): GeneralName {
  if (e.cls !== CONTEXT) throw new Asn1Error('no matching GeneralName choice');
  const type = e.tag;
  switch (type) {
    case GeneralNameType.otherName: {
      const fields = e.children();
      const otherNameType = oidOf(fields.expect(UNIVERSAL, Tag.oid));
      const explicit = fields.expect(CONTEXT, 0);
      fields.done();
      const inner = explicit.children();
      const value = inner.next();
      inner.done();
      if (!value) throw new Asn1Error('otherName without a value');
      readAny(value);
      const otherValue =
        value.cls === UNIVERSAL && !isConstructedType(value.tag)
          ? { tag: value.tag, content: value.primitive(value.tag) }
          : undefined;
      return { type, value: e.encoding, otherNameType, ...(otherValue ? { otherValue } : {}) };
    }
    case GeneralNameType.rfc822Name:
    case GeneralNameType.dNSName:
    case GeneralNameType.uniformResourceIdentifier:
      return { type, value: e.primitive(Tag.ia5String) };
    case GeneralNameType.iPAddress:
      return { type, value: e.primitive(Tag.octetString) };
    case GeneralNameType.registeredID:
      return { type, value: e.primitive(Tag.oid) };
    case GeneralNameType.x400Address:
      // An implicit SEQUENCE, kept encoded, its contents never looked at.
      if (!e.constructed) throw new Asn1Error('type not constructed');
      return { type, value: e.encoding };
    case GeneralNameType.directoryName: {
      const inner = e.children();
      const name = inner.next();
      inner.done();
      if (!name) throw new Asn1Error('directoryName without a Name');
      return { type, value: canonicalOf(readName(name)) };
    }
    case GeneralNameType.ediPartyName: {
      const fields = e.children();
      const assigner = fields.optional(CONTEXT, 0);
      if (assigner) readDirectoryString(assigner);
      readDirectoryString(fields.expect(CONTEXT, 1));
      fields.done();
      return { type, value: e.encoding };
    }
    default:
      throw new Asn1Error('no matching GeneralName choice');
  }
}

function isConstructedType(tag: number): boolean {
  return tag === Tag.sequence || tag === Tag.set;
}

/** `ASN1_ANY`: a universal value checked as its type; anything else kept as it is. */
export function readAny(e: Element): void {
  if (e.cls !== UNIVERSAL) return;
  if (isConstructedType(e.tag)) {
    if (!e.constructed) throw new Asn1Error('type not constructed');
    return;
  }
  e.primitive(e.tag);
}

/** Universal tags of a DirectoryString (`B_ASN1_DIRECTORYSTRING`). */
const DIRECTORY_STRING: ReadonlySet<number> = new Set([
  Tag.printableString,
  Tag.t61String,
  Tag.bmpString,
  Tag.universalString,
  Tag.utf8String,
]);

/** An explicitly tagged DirectoryString. */
function readDirectoryString(explicit: Element): void {
  const inner = explicit.children();
  const value = inner.next();
  inner.done();
  if (value?.cls !== UNIVERSAL || !DIRECTORY_STRING.has(value.tag)) {
    throw new Asn1Error('not a DirectoryString');
  }
  value.primitive(value.tag);
}
