import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildClientIdentity, type CertificateIdentity } from '../../src/x509/client-identity.js';
import { FingerprintPins } from '../../src/x509/fingerprint-pins.js';
import {
  compileIdentityPattern,
  compileIdentityPatterns,
} from '../../src/x509/identity-pattern.js';
import { useTestPki, type ClientName } from '../support/test-pki.js';

const pki = useTestPki();
const id = (name: ClientName): CertificateIdentity =>
  buildClientIdentity(pki.clients[name].x509, 'tls');

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

  it('matches URI SANs exactly or under a path with /*', () => {
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
});
