import 'reflect-metadata';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AttributeTypeAndValue,
  AttributeValue,
  id_ce_subjectAltName,
  Name,
  RelativeDistinguishedName,
} from '@peculiar/asn1-x509';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAscii } from '../../src/x509/ascii-case.js';
import { buildClientIdentity, type CertificateIdentity } from '../../src/x509/client-identity.js';
import { FingerprintPins } from '../../src/x509/fingerprint-pins.js';
import {
  compileIdentityPattern,
  compileIdentityPatterns,
  isNamePattern,
} from '../../src/allowlist/identity-pattern.js';
import { readTbsParts } from '../../src/x509/tbs-certificate.js';
import { matchableForwardedCaller } from '../../src/forwarded/forwarded-caller.js';
import { useTestPki, type ClientName } from '../support/test-pki.js';

const pki = useTestPki();
const id = (name: ClientName): CertificateIdentity =>
  buildClientIdentity(pki.clients[name].x509, 'tls');

/**
 * The identity of a certificate with this CN (a UTF8String, as CAs write names), DNS SANs and
 * URI SANs, through buildClientIdentity: one real certificate's DER walk, with its subject and
 * extensions replaced, so a property can try thousands of names without making a key for each.
 */
function identityOf(names: {
  cn?: string;
  dns?: readonly string[];
  uris?: readonly string[];
}): CertificateIdentity {
  const base = pki.clients.gateway.x509;
  const rdns =
    names.cn === undefined
      ? []
      : [
          new RelativeDistinguishedName([
            new AttributeTypeAndValue({
              type: '2.5.4.3',
              value: new AttributeValue({ utf8String: names.cn }),
            }),
          ]),
        ];
  // DER by hand: the library writes an IA5String's characters as single bytes (U+FF4B becomes
  // "K"), where a hostile certificate carries the UTF-8 bytes of the name it wants to pass.
  const san = tlv(0x30, [
    ...(names.dns ?? []).map((d) => tlv(0x82, [Buffer.from(d, 'utf8')])),
    ...(names.uris ?? []).map((u) => tlv(0x86, [Buffer.from(u, 'utf8')])),
  ]);
  const tbs = readTbsParts(base.raw);
  return buildClientIdentity(base, 'tls', {
    ...tbs,
    subject: new Uint8Array(AsnConvert.serialize(new Name(rdns))),
    extensions: [{ oid: id_ce_subjectAltName, critical: false, value: new Uint8Array(san) }],
  });
}

/** One DER element: tag, definite length (short or long form), contents. */
function tlv(tag: number, parts: readonly Uint8Array[]): Buffer {
  const body = Buffer.concat(parts);
  const n = body.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), body]);
}

/** Names that look like `kafka-service` or `billing-service` to a person, and are not. */
const LOOK_ALIKES = [
  ['\u212Aafka-service', 'KELVIN SIGN (U+212A), which toLowerCase folds to k'],
  ['KAF\u212AA-SERVICE', 'KELVIN SIGN among upper-case letters'],
  ['k\u0430fka-service', 'CYRILLIC SMALL LETTER A (U+0430)'],
  ['\uFF4B\uFF41\uFF46\uFF4B\uFF41-service', 'FULLWIDTH LATIN letters (U+FF4B, U+FF41, U+FF46)'],
  ['\uFF2Bafka-service', 'FULLWIDTH LATIN CAPITAL K (U+FF2B)'],
  ['b\u0131lling-service', 'LATIN SMALL LETTER DOTLESS I (U+0131), which toUpperCase makes I'],
  ['B\u0130LLING-SERVICE', 'LATIN CAPITAL LETTER I WITH DOT ABOVE (U+0130)'],
  ['billing-\u017Fervice', 'LATIN SMALL LETTER LONG S (U+017F), which toUpperCase makes S'],
  ['billing-s\u0435rvic\u0435', 'CYRILLIC SMALL LETTER IE (U+0435)'],
  [
    'b\u0456lling-\u0455ervi\u0441e',
    'CYRILLIC SMALL LETTERS I, DZE and ES (U+0456, U+0455, U+0441)',
  ],
  ['billing-service\u200B', 'a trailing ZERO WIDTH SPACE (U+200B)'],
] as const;

describe('identity patterns', () => {
  it('matches a name against the CN or a DNS SAN, case-insensitively', () => {
    expect(compileIdentityPattern('Billing-Service')(id('billing'))).toBe(true);
    expect(compileIdentityPattern('billing')(id('billing'))).toBe(false);
  });

  it('never matches by CN when the subject has two CN attributes', () => {
    expect(compileIdentityPattern('billing-service')(id('twoCn'))).toBe(false);
    expect(compileIdentityPattern('notification-service')(id('twoCn'))).toBe(false);
    expect(id('twoCn').commonName).toBeNull();
  });

  it('matches exactly one non-wildcard leftmost label with *.suffix', () => {
    const m = compileIdentityPattern('*.internal.production');
    expect(m(id('wildcardOne'))).toBe(true);
    expect(m(id('wildcardTwo'))).toBe(false);
    expect(m(id('wildcardSan'))).toBe(false);
    expect(compileIdentityPattern('*.production')(id('wildcardOne'))).toBe(false);
  });

  it('matches the SPIFFE ID exactly or strictly under a path with /*', () => {
    expect(compileIdentityPattern('spiffe://example.test/ns/prod/sa/billing')(id('billing'))).toBe(
      true,
    );
    expect(compileIdentityPattern('spiffe://example.test/ns/prod/*')(id('billing'))).toBe(true);
    expect(compileIdentityPattern('spiffe://example.test/ns/pro/*')(id('billing'))).toBe(false);
    expect(compileIdentityPattern('spiffe://example.test/ns/prod/sa/bill')(id('billing'))).toBe(
      false,
    );
  });

  it('matches a whole DN in any order, and not a part of it', () => {
    expect(compileIdentityPattern('dn:CN=billing-service,OU=services,O=Test')(id('billing'))).toBe(
      true,
    );
    expect(compileIdentityPattern('dn:O=Test,CN=billing-service,OU=services')(id('billing'))).toBe(
      true,
    );
    expect(compileIdentityPattern('dn:CN=billing-service,O=Test')(id('billing'))).toBe(false);
  });

  it('rejects malformed patterns at compile time', () => {
    for (const bad of ['', 'a*b', '*', '*.', 'foo.*', 'spiffe://x/*/y', 'dn:', 'two words']) {
      expect(() => compileIdentityPattern(bad), bad).toThrow(Error);
    }
  });

  it('treats an empty list as "no restriction" (undefined), never as "match all"', () => {
    expect(compileIdentityPatterns([])).toBeUndefined();
  });

  it('never throws anything but an Error for arbitrary patterns', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), (p) => {
        try {
          compileIdentityPattern(p)(id('billing'));
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('identity patterns and non-ASCII names', () => {
  it.each(LOOK_ALIKES)('never matches a CN or DNS SAN %j (%s) to an ASCII pattern', (name) => {
    const ascii =
      name.startsWith('b') || name.startsWith('B') ? 'billing-service' : 'kafka-service';
    for (const identity of [identityOf({ cn: name }), identityOf({ dns: [name] })]) {
      expect(compileIdentityPattern(ascii)(identity)).toBe(false);
      expect(compileIdentityPattern(ascii.toUpperCase())(identity)).toBe(false);
    }
    // The same pattern still matches the ASCII name, in any ASCII case.
    expect(compileIdentityPattern(ascii)(identityOf({ cn: ascii.toUpperCase() }))).toBe(true);
    expect(compileIdentityPattern(ascii)(identityOf({ dns: [ascii.toUpperCase()] }))).toBe(true);
  });

  it('never matches a look-alike label or suffix to a wildcard pattern', () => {
    const wildcard = compileIdentityPattern('*.internal.example');
    expect(wildcard(identityOf({ dns: ['Kafka.Internal.Example'] }))).toBe(true);
    for (const name of [
      '\u212Aafka.internal.example',
      'kafka.\u0456nternal.example',
      'kafka.internal.exampl\u0435',
      'kafka.INTERNA\u212A.example',
    ]) {
      expect(wildcard(identityOf({ cn: name, dns: [name] })), name).toBe(false);
    }
  });

  it('refuses a non-ASCII name, wildcard or URI pattern at start-up, and says to use the A-label', () => {
    for (const bad of [
      '\u212Aafka-service',
      'b\u0131lling-service',
      'billing-\u017Fervice',
      'k\u0430fka-service',
      '\uFF4B\uFF41\uFF46\uFF4B\uFF41-service',
      'b\u00FCcher.example',
      '*.b\u00FCcher.example',
      'kafka-service\u00A0',
      'https://b\u00FCcher.example/x',
    ]) {
      expect(() => compileIdentityPattern(bad), bad).toThrow(
        /non-ASCII character \(U\+[0-9A-F]{4}\).*xn--/,
      );
    }
    expect(() => compileIdentityPattern('kafka\u0000service')).toThrow(/control character/);
    expect(
      compileIdentityPattern('xn--bcher-kva.example')(
        identityOf({ dns: ['xn--bcher-kva.example'] }),
      ),
    ).toBe(true);
    expect(
      compileIdentityPattern('*.xn--bcher-kva.example')(
        identityOf({ dns: ['a.xn--bcher-kva.example'] }),
      ),
    ).toBe(true);
  });

  it('compares dn: values exactly, in any script, and never folds them', () => {
    const kelvin = identityOf({ cn: '\u212Aafka-service' });
    expect(compileIdentityPattern('dn:CN=\u212Aafka-service')(kelvin)).toBe(true);
    expect(compileIdentityPattern('dn:cn=\u212Aafka-service')(kelvin)).toBe(true);
    expect(compileIdentityPattern('dn:CN=kafka-service')(kelvin)).toBe(false);
    expect(compileIdentityPattern('dn:CN=Kafka-service')(identityOf({ cn: 'kafka-service' }))).toBe(
      false,
    );
  });

  it('no ASCII pattern matches a CN or DNS SAN with a non-ASCII character (property)', () => {
    const lookAlike = fc.constantFrom(
      ...'\u212A\u212B\u0131\u0130\u017F\u0430\u0435\u043E\u0441\u0455\u0456\u0458\u04CF\uFF4B\uFF21\u00DF\u1E9E\uFB01\u0307\u200B\u00A0\u00E9'.split(
        '',
      ),
    );
    const asciiNameChar = fc.constantFrom(
      ...'abcdefghijklmnopqrstuvwxyzKSI0123456789.-_'.split(''),
    );
    const nonAsciiName = fc
      .array(
        fc.oneof(
          asciiNameChar,
          lookAlike,
          fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
        ),
        {
          minLength: 1,
          maxLength: 24,
        },
      )
      .map((chars) => chars.join(''))
      .filter((s) => !isAscii(s));
    // The ASCII names a careless comparison would take it for.
    const asciiReadings = (s: string): string[] =>
      [
        s.toLowerCase(),
        s.toUpperCase(),
        s.normalize('NFKC'),
        s.normalize('NFKC').toLowerCase(),
        s.normalize('NFKD').replace(/[\u0080-\uffff]/g, ''),
        s.replace(/[\u0080-\uffff]/g, ''),
        s.replace(/[\u0080-\uffff]/g, 'k'),
      ].filter((p) => isAscii(p) && isNamePattern(p));
    fc.assert(
      fc.property(
        nonAsciiName,
        fc.array(fc.stringMatching(/^[a-z0-9.-]{1,12}$/), { maxLength: 3 }),
        (s, more) => {
          const identity = identityOf({ cn: s, dns: [s] });
          for (const p of [...asciiReadings(s), ...more]) {
            expect(compileIdentityPattern(p)(identity), `${JSON.stringify(s)} ~ ${p}`).toBe(false);
            const dot = p.indexOf('.');
            if (dot > 0 && dot < p.length - 1) {
              const wildcard = `*${p.slice(dot)}`;
              expect(
                compileIdentityPattern(wildcard)(identity),
                `${JSON.stringify(s)} ~ ${wildcard}`,
              ).toBe(false);
            }
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('spiffe:// patterns', () => {
  const TD = 'spiffe://example.org';
  const prod = compileIdentityPattern(`${TD}/ns/prod/*`);

  it('match strictly under the path, at a segment boundary', () => {
    expect(prod(identityOf({ uris: [`${TD}/ns/prod/x`] }))).toBe(true);
    expect(prod(identityOf({ uris: [`${TD}/ns/prod/sa/billing`] }))).toBe(true);
    expect(prod(identityOf({ uris: [`${TD}/ns/production`] }))).toBe(false);
    expect(prod(identityOf({ uris: [`${TD}/ns/production/x`] }))).toBe(false);
    expect(prod(identityOf({ uris: [`${TD}/ns/prod`] }))).toBe(false);
    expect(prod(identityOf({ uris: ['spiffe://example.org.evil/ns/prod/x'] }))).toBe(false);
    const anyWorkload = compileIdentityPattern(`${TD}/*`);
    expect(anyWorkload(identityOf({ uris: [`${TD}/x`] }))).toBe(true);
    expect(anyWorkload(identityOf({ uris: ['spiffe://example.org.evil/x'] }))).toBe(false);
    expect(anyWorkload(identityOf({ uris: ['spiffe://example.orgx/x'] }))).toBe(false);
  });

  it.each([
    ['a ".." segment', `${TD}/ns/prod/../admin/sa/x`],
    ['a "." segment', `${TD}/ns/prod/./x`],
    ['an empty segment', `${TD}/ns/prod//x`],
    ['a trailing slash', `${TD}/ns/prod/x/`],
    ['a query', `${TD}/ns/prod/x?q`],
    ['a fragment', `${TD}/ns/prod/x#f`],
    ['percent-encoded dots', `${TD}/ns/prod/%2e%2e/admin`],
    ['an embedded NUL', `${TD}/ns/prod/x\u0000/admin`],
    ['an upper-case scheme', `SPIFFE://example.org/ns/prod/x`],
    ['an upper-case trust domain', `spiffe://EXAMPLE.org/ns/prod/x`],
    ['a port', `spiffe://example.org:443/ns/prod/x`],
    ['userinfo', `spiffe://admin@example.org/ns/prod/x`],
    ['2,049 bytes', `${TD}/ns/prod/${'x'.repeat(2049 - `${TD}/ns/prod/`.length)}`],
  ])('match no URI SAN with %s, which is no SPIFFE ID', (_what, uri) => {
    const identity = identityOf({ uris: [uri] });
    expect(identity.spiffeId).toBeNull();
    expect(prod(identity)).toBe(false);
    expect(compileIdentityPattern(`${TD}/*`)(identity)).toBe(false);
  });

  it('match nothing in a certificate with two URI SANs, which is no X.509-SVID', () => {
    const x = `${TD}/ns/prod/sa/x`;
    for (const uris of [
      [x, `${TD}/ns/prod/sa/y`],
      [x, 'https://example.org/x'],
      ['https://example.org/x', x],
    ]) {
      const identity = identityOf({ uris });
      expect(identity.spiffeId).toBeNull();
      expect(prod(identity)).toBe(false);
      expect(compileIdentityPattern(x)(identity)).toBe(false);
      // A URI pattern of another scheme still matches its URI SAN, byte for byte.
      if (uris.includes('https://example.org/x')) {
        expect(compileIdentityPattern('https://example.org/x')(identity)).toBe(true);
      }
    }
    expect(identityOf({ uris: [x] }).spiffeId).toBe(x);
    expect(compileIdentityPattern(x)(identityOf({ uris: [x] }))).toBe(true);
  });

  it('keep other URI patterns exact, byte for byte', () => {
    const identity = identityOf({ uris: ['https://example.org/a'] });
    expect(compileIdentityPattern('https://example.org/a')(identity)).toBe(true);
    expect(compileIdentityPattern('https://example.org/A')(identity)).toBe(false);
    expect(compileIdentityPattern('HTTPS://example.org/a')(identity)).toBe(false);
    expect(identity.spiffeId).toBeNull();
  });

  it('are refused at start-up when they break the SPIFFE ID rules', () => {
    for (const [bad, message] of [
      [TD, /names a trust domain, not a workload.*spiffe:\/\/example\.org\/\*/],
      [`${TD}/ns/prod/../admin/*`, /"\.\." path segment/],
      [`${TD}/ns/./prod`, /"\." path segment/],
      [`${TD}/ns//prod/*`, /empty path segment/],
      [`${TD}/ns/prod/`, /ends with "\/"/],
      [`${TD}//*`, /ends with "\/"/],
      [`${TD}/ns/prod?q`, /query/],
      [`${TD}/ns/prod#f`, /fragment/],
      [`${TD}/ns/%2e%2e/*`, /percent-encoding/],
      ['SPIFFE://example.org/ns/prod/*', /upper-case scheme/],
      ['spiffe://Example.org/*', /upper-case trust domain/],
      ['spiffe://example.org:8443/*', /port/],
      ['spiffe://user@example.org/*', /userinfo/],
      ['spiffe:///*', /empty trust domain/],
      ['spiffe:example.org/x', /does not start with spiffe:\/\//],
      [`${TD}/*/x`, /only a trailing "\/\*"/],
      [`${TD}/ns/prod*`, /only a trailing "\/\*"/],
      [`${TD}/${'x'.repeat(2049 - TD.length - 1)}`, /2,048 bytes/],
      ['https://example.org/ns/*', /no wildcard/],
    ] as const) {
      expect(() => compileIdentityPattern(bad), bad).toThrow(message);
    }
  });

  it('match only valid SPIFFE IDs strictly under the prefix, whatever the URI SAN (property)', () => {
    const piece = fc.constantFrom(
      'ns',
      'prod',
      'production',
      'x',
      '.',
      '..',
      '',
      '%2e',
      '?q',
      '#f',
      '\u0000',
      'A',
      ':1',
      '@',
    );
    const uri = fc
      .tuple(
        fc.constantFrom(TD, 'spiffe://example.org.evil', 'SPIFFE://example.org'),
        fc.array(piece, { maxLength: 6 }),
      )
      .map(([td, parts]) => (parts.length === 0 ? td : `${td}/${parts.join('/')}`));
    fc.assert(
      fc.property(uri, fc.boolean(), (u, second) => {
        const identity = identityOf({ uris: second ? [u, `${TD}/ns/prod/y`] : [u] });
        if (!prod(identity)) return;
        expect(second).toBe(false);
        expect(identity.spiffeId).toBe(u);
        expect(u.startsWith(`${TD}/ns/prod/`)).toBe(true);
        expect(u.split('/').slice(3)).not.toContain('..');
        expect(u.split('/').slice(3)).not.toContain('.');
        expect(u).toMatch(/^spiffe:\/\/example\.org(\/[A-Za-z0-9._-]+)+$/);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('forwarded callers (XFCC) and the same rules', () => {
  const caller = (over: { subject?: string; uris?: string[]; dnsNames?: string[] }) =>
    matchableForwardedCaller({
      hash: null,
      subject: over.subject ?? null,
      uris: over.uris ?? [],
      dnsNames: over.dnsNames ?? [],
      by: null,
    });

  it('folds ASCII only in the CN and DNS names an XFCC element carries', () => {
    expect(compileIdentityPattern('kafka-service')(caller({ subject: 'CN=Kafka-Service' }))).toBe(
      true,
    );
    expect(
      compileIdentityPattern('kafka-service')(caller({ subject: 'CN=\u212Aafka-service' })),
    ).toBe(false);
    expect(
      compileIdentityPattern('kafka-service')(caller({ dnsNames: ['\u212Aafka-service'] })),
    ).toBe(false);
  });

  it('gives the caller a SPIFFE ID only for one valid URI', () => {
    const x = 'spiffe://example.org/ns/prod/sa/x';
    const prod = compileIdentityPattern('spiffe://example.org/ns/prod/*');
    expect(caller({ uris: [x] }).spiffeId).toBe(x);
    expect(prod(caller({ uris: [x] }))).toBe(true);
    expect(prod(caller({ uris: ['spiffe://example.org/ns/prod/../admin/sa/x'] }))).toBe(false);
    expect(prod(caller({ uris: [x, 'spiffe://example.org/ns/prod/sa/y'] }))).toBe(false);
  });
});

describe('FingerprintPins', () => {
  it('accepts SHA-256 and SHA-1 in any case, with or without colons', () => {
    const pins = new FingerprintPins([
      pki.clients.billing.x509.fingerprint256.toLowerCase(),
      pki.clients.gateway.x509.fingerprint.replaceAll(':', ''),
    ]);
    expect(pins.matches(id('billing'))).toBe(true);
    expect(pins.matches(id('gateway'))).toBe(true);
    expect(pins.matches(id('notification'))).toBe(false);
  });

  it('refuses values that are not fingerprints', () => {
    expect(() => new FingerprintPins(['zz'.repeat(32)])).toThrow(/SHA-256/);
    expect(() => new FingerprintPins(['ab'.repeat(31)])).toThrow(/SHA-256/);
  });

  it('refuses look-alike hex digits instead of folding them', () => {
    const hex = pki.clients.billing.x509.fingerprint256.replaceAll(':', '');
    // FULLWIDTH LATIN CAPITAL LETTER A..F and DIGITS (U+FF21.., U+FF10..): not hex.
    const fullwidth = hex.replace(/[0-9A-F]/g, (c) =>
      String.fromCharCode(c.charCodeAt(0) + 0xfee0),
    );
    expect(() => new FingerprintPins([fullwidth])).toThrow(/SHA-256/);
    // One look-alike among ASCII digits (the last one: every fingerprint has it).
    const last = String.fromCharCode(hex.charCodeAt(hex.length - 1) + 0xfee0);
    expect(() => new FingerprintPins([hex.slice(0, -1) + last])).toThrow(/SHA-256/);
    expect(new FingerprintPins([hex.toLowerCase()]).matches(id('billing'))).toBe(true);
  });
});
