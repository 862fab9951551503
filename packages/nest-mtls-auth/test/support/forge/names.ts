import { indefinite, oid, TAG, tlv } from './der.js';

/** ASN.1 string types a Name attribute value can be written in. */
export const STRING_TYPES = [
  'utf8',
  'printable',
  'ia5',
  'bmp',
  'teletex',
  'universal',
  'visible',
] as const;
export type StringType = (typeof STRING_TYPES)[number];

const STRING_TAGS: Record<StringType, number> = {
  utf8: TAG.utf8String,
  printable: TAG.printableString,
  ia5: TAG.ia5String,
  bmp: TAG.bmpString,
  teletex: TAG.teletexString,
  universal: TAG.universalString,
  visible: TAG.visibleString,
};

/** Attribute types by the short names OpenSSL prints. */
export const ATTRIBUTE_OIDS = {
  CN: '2.5.4.3',
  SN: '2.5.4.4',
  serialNumber: '2.5.4.5',
  C: '2.5.4.6',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  DC: '0.9.2342.19200300.100.1.25',
  UID: '0.9.2342.19200300.100.1.1',
  emailAddress: '1.2.840.113549.1.9.1',
} as const;
export type AttributeName = keyof typeof ATTRIBUTE_OIDS;

/** One attribute of an RDN. */
export interface AttributeSpec {
  /** A short name (CN, O, OU, C, L, ST, emailAddress, serialNumber, DC, UID) or a dotted OID. */
  readonly type: AttributeName | (string & {});
  readonly value: string;
  /** Default: PrintableString for C and serialNumber, IA5String for emailAddress and DC, else UTF8. */
  readonly stringType?: StringType;
  /**
   * Code points (UniversalString: 32-bit each) or code units (BMPString: 16-bit each) written
   * as they are, instead of `value`: for invalid ones (above U+10FFFF, lone surrogates).
   */
  readonly codePoints?: readonly number[];
  /** The value's content octets verbatim (with the string type's tag), instead of `value`. */
  readonly raw?: Uint8Array;
}

/** An RDN: one attribute, or several (a multi-valued RDN, `CN=a+UID=b`). */
export type RdnSpec = readonly AttributeSpec[];

/** A Name, RDN by RDN in encoding order (the first RDN is written first, as OpenSSL prints). */
export interface NameSpec {
  readonly rdns: readonly RdnSpec[];
  /** BER indefinite length for the Name and its RDN SETs (DER forbids it). */
  readonly indefiniteLength?: boolean;
  /** Keeps a multi-valued RDN's attributes in the given order instead of DER's sorted SET OF. */
  readonly unsorted?: boolean;
}

/** A Name to write: a spec, the `dn()` text form, or DER bytes copied verbatim. */
export type NameInput = NameSpec | string | Uint8Array;

function defaultStringType(type: string): StringType {
  if (type === 'C' || type === 'serialNumber') return 'printable';
  if (type === 'emailAddress' || type === 'DC') return 'ia5';
  return 'utf8';
}

function attributeOid(type: string): string {
  const known = (ATTRIBUTE_OIDS as Record<string, string>)[type];
  if (known) return known;
  if (/^\d+(\.\d+)+$/.test(type)) return type;
  throw new Error(`unknown attribute type ${type}`);
}

/** The content octets of `value` in `type` (no validation: hostile cases want invalid strings). */
export function stringContent(value: string, type: StringType): Buffer {
  switch (type) {
    case 'utf8':
      return Buffer.from(value, 'utf8');
    case 'bmp':
      // UTF-16BE code units; characters outside the BMP come out as surrogate pairs.
      return Buffer.from(value, 'utf16le').swap16();
    case 'universal': {
      const points = [...value].map((ch) => ch.codePointAt(0) ?? 0);
      return universalContent(points);
    }
    default:
      // PrintableString, IA5String, VisibleString and TeletexString as one byte per character.
      return Buffer.from(value, 'latin1');
  }
}

function universalContent(points: readonly number[]): Buffer {
  const out = Buffer.alloc(points.length * 4);
  points.forEach((p, i) => out.writeUInt32BE(p >>> 0, i * 4));
  return out;
}

function attributeValue(a: AttributeSpec): Buffer {
  const type = a.stringType ?? defaultStringType(a.type);
  let content: Buffer;
  if (a.raw) content = Buffer.from(a.raw);
  else if (a.codePoints && type === 'universal') content = universalContent(a.codePoints);
  else if (a.codePoints && type === 'bmp') {
    content = Buffer.alloc(a.codePoints.length * 2);
    a.codePoints.forEach((p, i) => content.writeUInt16BE(p & 0xffff, i * 2));
  } else content = stringContent(a.value, type);
  return tlv(STRING_TAGS[type], content);
}

/** DER of one AttributeTypeAndValue. */
export function encodeAttribute(a: AttributeSpec): Buffer {
  return tlv(TAG.sequence, oid(attributeOid(a.type)), attributeValue(a));
}

/**
 * Parses the text form `C=US, O=Good Corp, CN=api+UID=7` into a NameSpec (RDNs in the order
 * written, `+` joins a multi-valued RDN). Values are trimmed; `\,` and `\+` escape separators.
 */
export function dn(text: string, stringType?: StringType): NameSpec {
  const split = (s: string, sep: string): string[] =>
    s
      .split(new RegExp(`(?<!\\\\)\\${sep}`))
      .map((p) => p.replaceAll(`\\${sep}`, sep))
      .filter((p) => p.trim() !== '');
  return {
    rdns: split(text, ',').map((rdn) =>
      split(rdn, '+').map((pair) => {
        const eq = pair.indexOf('=');
        if (eq < 0) throw new Error(`no '=' in ${pair}`);
        const type = pair.slice(0, eq).trim();
        return {
          type,
          value: pair.slice(eq + 1).trim(),
          ...(stringType ? { stringType } : {}),
        };
      }),
    ),
  };
}

/** DER (or BER, when asked) of a Name. Bytes are copied verbatim. */
export function encodeName(input: NameInput): Buffer {
  if (input instanceof Uint8Array) return Buffer.from(input);
  const spec = typeof input === 'string' ? dn(input) : input;
  const wrap = spec.indefiniteLength ? indefinite : tlv;
  const rdns = spec.rdns.map((rdn) => {
    const attrs = rdn.map(encodeAttribute);
    // DER sorts a SET OF by its encodings; a hostile Name may keep the given order.
    if (!spec.unsorted) attrs.sort((a, b) => Buffer.compare(a, b));
    return wrap(TAG.set, ...attrs);
  });
  return wrap(TAG.sequence, ...rdns);
}

/** A copy of `name` with each attribute value passed through `change` (for re-encoded issuers). */
export function mapAttributes(
  name: NameSpec,
  change: (a: AttributeSpec) => AttributeSpec,
): NameSpec {
  return { ...name, rdns: name.rdns.map((rdn) => rdn.map(change)) };
}
