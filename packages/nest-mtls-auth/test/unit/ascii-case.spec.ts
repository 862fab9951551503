import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiLower, asciiUpper, isAscii } from '../../src/x509/ascii-case.js';

/** Strings of ASCII characters only (U+0000 to U+007F). */
const asciiString = fc.string({
  unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)),
});
/** Strings that hold at least one non-ASCII character, anywhere, among ASCII ones. */
const nonAsciiString = fc
  .tuple(asciiString, fc.string({ unit: 'grapheme', minLength: 1 }), asciiString)
  .map(([a, b, c]) => a + b + c)
  .filter((s) => !isAscii(s));

describe('asciiLower and asciiUpper', () => {
  it('fold A-Z and a-z and leave every other character as it is', () => {
    expect(asciiLower('Billing-Service.Internal')).toBe('billing-service.internal');
    expect(asciiUpper('commonName')).toBe('COMMONNAME');
    expect(asciiLower('\u212Aafka-SERVICE')).toBe('\u212Aafka-service'); // KELVIN SIGN stays
    expect(asciiLower('B\u0130LL\u0130NG')).toBe('b\u0130ll\u0130ng'); // I WITH DOT ABOVE stays
    expect(asciiUpper('\u017Ft')).toBe('\u017FT'); // LONG S stays, never "ST"
    expect(asciiUpper('u\u0131d')).toBe('U\u0131D'); // DOTLESS I stays, never "UID"
    expect(asciiUpper('stra\u00DFe')).toBe('STRA\u00DFE'); // no special casing: never "STRASSE"
    expect(asciiLower('\uFF2B\uFF21\uFF26\uFF2B\uFF21')).toBe('\uFF2B\uFF21\uFF26\uFF2B\uFF21'); // fullwidth
  });

  it('agree with toLowerCase and toUpperCase on ASCII strings', () => {
    fc.assert(
      fc.property(asciiString, (s) => {
        expect(asciiLower(s)).toBe(s.toLowerCase());
        expect(asciiUpper(s)).toBe(s.toUpperCase());
      }),
      { numRuns: 2000 },
    );
  });

  it('never turn a non-ASCII string into an ASCII one, and change only A-Z or a-z', () => {
    fc.assert(
      fc.property(nonAsciiString, (s) => {
        for (const folded of [asciiLower(s), asciiUpper(s)]) {
          expect(isAscii(folded)).toBe(false);
          expect(folded.length).toBe(s.length);
          for (let i = 0; i < s.length; i++) {
            const before = s.charCodeAt(i);
            const after = folded.charCodeAt(i);
            if (after !== before) expect(Math.abs(after - before), s).toBe(0x20);
            if (after !== before) expect(/[A-Za-z]/.test(s[i] as string), s).toBe(true);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('isAscii is true exactly when every code unit is below U+0080', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(isAscii(s)).toBe([...s].every((c) => (c.codePointAt(0) as number) < 0x80));
      }),
    );
  });
});
