import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalAttributeType,
  dnMatchKey,
  parseDistinguishedName,
} from '../../src/x509/distinguished-name.js';

describe('parseDistinguishedName', () => {
  const same = (a: string, b: string) =>
    dnMatchKey(parseDistinguishedName(a)) === dnMatchKey(parseDistinguishedName(b));

  it('reads RFC 4514, .NET, OpenSSL and slash forms as the same name', () => {
    const rfc = 'CN=client,OU=production,O=company';
    expect(same(rfc, 'CN=client, OU=production, O=company')).toBe(true); // .NET
    expect(same(rfc, 'O = company, OU = production, CN = client')).toBe(true); // OpenSSL, reversed
    expect(same(rfc, '/O=company/OU=production/CN=client')).toBe(true); // openssl -subject one-line
    expect(same(rfc, 'commonName=client,organizationalUnitName=production,2.5.4.10=company')).toBe(
      true,
    );
  });

  it('compares values exactly and types case-insensitively', () => {
    expect(same('cn=client,o=company', 'CN=client,O=company')).toBe(true);
    expect(same('CN=Client,O=company', 'CN=client,O=company')).toBe(false);
    expect(same('CN=client,O=company', 'CN=client,O=company,OU=x')).toBe(false);
    expect(same('CN=client,CN=client', 'CN=client')).toBe(false);
  });

  it('handles escapes, quotes and hex pairs', () => {
    expect(parseDistinguishedName('CN=a\\,b,O="Acme, Inc.",OU=\\41BC')).toEqual([
      { type: 'CN', value: 'a,b' },
      { type: 'O', value: 'Acme, Inc.' },
      { type: 'OU', value: 'ABC' },
    ]);
  });

  it('maps aliases to canonical types', () => {
    expect(canonicalAttributeType('E')).toBe('EMAILADDRESS');
    expect(canonicalAttributeType('S')).toBe('ST');
    expect(canonicalAttributeType('OID.2.5.4.3')).toBe('CN');
  });

  it('folds attribute types for ASCII letters only', () => {
    expect(canonicalAttributeType('cn')).toBe('CN');
    expect(canonicalAttributeType('streetAddress')).toBe('STREET');
    // LONG S (U+017F) and DOTLESS I (U+0131): toUpperCase would read "ST" and "UID".
    expect(canonicalAttributeType('\u017Ft')).not.toBe('ST');
    expect(canonicalAttributeType('u\u0131d')).not.toBe('UID');
    for (const dn of ['\u017Ft=Bavaria', '/\u017Ft=Bavaria', '/CN=a/u\u0131d=root', 'C\u212A=x']) {
      expect(() => parseDistinguishedName(dn), dn).toThrow(/bad attribute type/);
    }
  });

  it('throws an Error, and nothing else, on any input that is not a DN', () => {
    expect(() => parseDistinguishedName('not a dn')).toThrow(Error);
    expect(() => parseDistinguishedName('CN="open')).toThrow(Error);
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          parseDistinguishedName(text);
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
