import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSpiffeId, spiffeIdOf, spiffeIdProblem } from '../../src/x509/spiffe-id.js';

const TD = 'spiffe://example.org';

/** Path segments as the spec allows them, and any string that might turn up in a URI. */
const segmentChar = fc.constantFrom(...'abcXYZ019.-_'.split(''));
const segment = fc.string({ unit: segmentChar, minLength: 1, maxLength: 8 });
const uriChar = fc.constantFrom(..."abcXYZ019.-_/%?#:@~!$&'()*+,;=\u0000 ".split(''));
const anyChar = fc.oneof(uriChar, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }));
/** Paths an attacker would try: mostly good segments, with dot segments and odd characters. */
const anyPath = fc
  .array(
    fc.oneof(
      { arbitrary: segment, weight: 4 },
      { arbitrary: fc.constantFrom('', '.', '..', '%2e%2e', '..%2f', '.%00.'), weight: 1 },
      { arbitrary: fc.string({ unit: anyChar, maxLength: 6 }), weight: 1 },
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((segments) => segments.join('/'));

describe('spiffeIdProblem', () => {
  it('accepts SPIFFE IDs as the specification writes them', () => {
    for (const id of [
      'spiffe://example.org/ns/prod/sa/billing',
      'spiffe://staging.example.com/payments/web-fe',
      'spiffe://k8s-west.example.com/ns/staging/sa/default',
      'spiffe://example.com/9eebccd2-12bf-40a6-b262-65fe0487d453',
      'spiffe://trust_domain.example.com/A.b-c_D/..x/x..',
      'spiffe://10.0.0.1/x',
    ]) {
      expect(spiffeIdProblem(id), id).toBeUndefined();
    }
  });

  it.each([
    ['a ".." segment', `${TD}/ns/prod/../admin/sa/x`, /"\.\." path segment/],
    ['a "." segment', `${TD}/ns/./prod`, /"\." path segment/],
    ['an empty segment', `${TD}/ns//prod`, /empty path segment/],
    ['a trailing slash', `${TD}/ns/prod/`, /ends with "\/"/],
    ['a query', `${TD}/ns/prod?q`, /query/],
    ['a fragment', `${TD}/ns/prod#f`, /fragment/],
    ['percent-encoded dots', `${TD}/ns/prod/%2e%2e/admin`, /percent-encoding/],
    ['percent-encoding in the trust domain', 'spiffe://exa%6Dple.org/x', /percent-encoding/],
    ['an embedded NUL', `${TD}/ns/prod\u0000/admin`, /U\+0000/],
    ['an upper-case scheme', 'SPIFFE://example.org/x', /upper-case scheme/],
    ['a mixed-case scheme', 'Spiffe://example.org/x', /upper-case scheme/],
    ['an upper-case trust domain', 'spiffe://Example.org/x', /upper-case trust domain/],
    ['a port', 'spiffe://example.org:8443/x', /port/],
    ['userinfo', 'spiffe://user@example.org/x', /userinfo/],
    ['an empty trust domain', 'spiffe:///x', /empty trust domain/],
    ['another scheme', 'https://example.org/x', /does not start with spiffe:\/\//],
    ['a space', `${TD}/ns/prod sa`, /U\+0020/],
    ['a non-ASCII letter', `${TD}/ns/prod/\u0430dmin`, /U\+0430/],
    ['a KELVIN SIGN in the trust domain', 'spiffe://\u212A8s.example/x', /U\+212A/],
    ['a wildcard', `${TD}/ns/*`, /"\*"/],
    ['the trust domain alone', TD, /names a trust domain, not a workload/],
    ['the trust domain and a slash', `${TD}/`, /ends with "\/"/],
  ])('refuses %s', (_what, id, problem) => {
    expect(spiffeIdProblem(id)).toMatch(problem);
    expect(isSpiffeId(id)).toBe(false);
  });

  it('accepts the trust domain alone only where asked to (a pattern prefix)', () => {
    expect(spiffeIdProblem(TD, true)).toBeUndefined();
    expect(spiffeIdProblem(`${TD}/`, true)).toMatch(/ends with/);
  });

  it('accepts 2,048 bytes and refuses 2,049', () => {
    const of = (length: number) => `${TD}/${'a'.repeat(length - TD.length - 1)}`;
    expect(of(2048)).toHaveLength(2048);
    expect(spiffeIdProblem(of(2048))).toBeUndefined();
    expect(spiffeIdProblem(of(2049))).toMatch(/longer than 2,048 bytes/);
  });

  it('refuses a trust domain longer than 255 bytes', () => {
    expect(spiffeIdProblem(`spiffe://${'a'.repeat(255)}/x`)).toBeUndefined();
    expect(spiffeIdProblem(`spiffe://${'a'.repeat(256)}/x`)).toMatch(/longer than 255/);
  });

  it('accepts every ID built from valid segments', () => {
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 6 }), (segments) => {
        const valid = segments.every((s) => s !== '.' && s !== '..');
        expect(isSpiffeId(`${TD}/${segments.join('/')}`)).toBe(valid);
      }),
      { numRuns: 2000 },
    );
  });

  it('never accepts a path with a "..", ".", or empty segment, or a character outside the spec', () => {
    fc.assert(
      fc.property(anyPath, (path) => {
        const id = `${TD}/${path}`;
        if (!isSpiffeId(id)) return;
        const segments = path.split('/');
        expect(
          segments.every((s) => s !== '' && s !== '.' && s !== '..'),
          id,
        ).toBe(true);
        expect(path).toMatch(/^[A-Za-z0-9._/-]+$/);
        expect(Buffer.byteLength(id)).toBeLessThanOrEqual(2048);
        // What the WHATWG parser does with dots changes nothing: the ID has none to resolve.
        expect(new URL(id).pathname).toBe(`/${path}`);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('spiffeIdOf (the SPIFFE ID of a certificate)', () => {
  it('is the one URI SAN when it is a valid SPIFFE ID', () => {
    expect(spiffeIdOf([`${TD}/ns/prod/sa/x`])).toBe(`${TD}/ns/prod/sa/x`);
  });

  it('is null without URI SANs, with two (of any scheme), or with an invalid one', () => {
    expect(spiffeIdOf([])).toBeNull();
    expect(spiffeIdOf([`${TD}/ns/prod/sa/x`, `${TD}/ns/prod/sa/y`])).toBeNull();
    expect(spiffeIdOf([`${TD}/ns/prod/sa/x`, 'https://example.org/x'])).toBeNull();
    expect(spiffeIdOf(['https://example.org/x', `${TD}/ns/prod/sa/x`])).toBeNull();
    expect(spiffeIdOf([`${TD}/ns/prod/../admin/sa/x`])).toBeNull();
    expect(spiffeIdOf([TD])).toBeNull();
  });
});
