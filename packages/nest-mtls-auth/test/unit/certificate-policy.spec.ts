import type { AllowedCertificateTypes } from '../../src/options/mtls-auth-options.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CertificatePolicy } from '../../src/x509/certificate-policy.js';
import { FingerprintPins } from '../../src/x509/fingerprint-pins.js';
import { parsePemCertificates } from '../../src/x509/pem.js';
import { reasonForTlsError } from '../../src/x509/tls-verify-error.js';
import { TrustStore } from '../../src/x509/trust-store.js';
import { useTestPki, type ClientName } from '../support/test-pki.js';

const pki = useTestPki();

const policy = (
  file: string,
  allowedTypes: AllowedCertificateTypes = 'chained',
  pins: string[] = [],
) =>
  new CertificatePolicy({
    trustStore: new TrustStore(parsePemCertificates(readFileSync(file, 'utf8'))),
    allowedTypes,
    pins: new FingerprintPins(pins),
    securityLevel: 2,
  });
const code = (p: CertificatePolicy, name: ClientName, now?: number) => {
  const outcome = p.evaluateForwarded(pki.clients[name].x509, 'forwarded', [], now);
  return outcome.ok ? 'ok' : outcome.code;
};

describe('CertificatePolicy (no TLS: the checks forwarded certificates get)', () => {
  it.each<[ClientName, string]>([
    ['billing', 'ok'],
    ['viaIntermediate', 'MTLS_CERT_UNTRUSTED'],
    ['expired', 'MTLS_CERT_EXPIRED'],
    ['notYetValid', 'MTLS_CERT_NOT_YET_VALID'],
    ['unknownCa', 'MTLS_CERT_UNTRUSTED'],
    ['rogue', 'MTLS_CERT_UNTRUSTED'],
    ['selfSigned', 'MTLS_CERT_UNTRUSTED'],
    ['serverAuthOnly', 'MTLS_CERT_INVALID_USAGE'],
    ['noEku', 'MTLS_CERT_INVALID_USAGE'],
    ['caAsClient', 'MTLS_CERT_INVALID_USAGE'],
  ])('%s -> %s', (name, expected) => {
    expect(code(policy(pki.caFile), name)).toBe(expected);
  });

  it('judges trust before validity: a rogue certificate that is also expired reads untrusted', () => {
    const later = Date.now() + 400 * 24 * 60 * 60 * 1000;
    expect(code(policy(pki.caFile), 'rogue', later)).toBe('MTLS_CERT_UNTRUSTED');
    expect(code(policy(pki.caFile), 'billing', later)).toBe('MTLS_CERT_EXPIRED');
  });

  it('builds a chain through the intermediate when the bundle holds it', () => {
    expect(code(policy(pki.bundleFile), 'viaIntermediate')).toBe('ok');
  });

  it('accepts a self-signed certificate only when allowed and pinned, judged by its pin', () => {
    const pin = pki.clients.selfSigned.x509.fingerprint256;
    expect(code(policy(pki.caFile, 'all', [pin]), 'selfSigned')).toBe('ok');
    expect(code(policy(pki.caFile, 'self-signed', [pin]), 'selfSigned')).toBe('ok');
    expect(code(policy(pki.caFile, 'self-signed', [pin]), 'billing')).toBe('MTLS_CERT_UNTRUSTED');
    expect(code(policy(pki.caFile, 'all', []), 'selfSigned')).toBe('MTLS_CERT_UNTRUSTED');
  });

  it('answers 403-class FINGERPRINT_FORBIDDEN only for otherwise valid certificates', () => {
    const p = policy(pki.caFile, 'chained', [pki.clients.gateway.x509.fingerprint256]);
    expect(code(p, 'gateway')).toBe('ok');
    expect(code(p, 'billing')).toBe('MTLS_FINGERPRINT_FORBIDDEN');
    expect(code(p, 'rogue')).toBe('MTLS_CERT_UNTRUSTED');
  });
});

describe('CertificatePolicy.evaluateHandshake (direct TLS: OpenSSL decides trust)', () => {
  const handshake = (
    name: ClientName,
    authorized: boolean,
    error?: string,
    p: CertificatePolicy = policy(pki.caFile),
  ) => {
    let asked = 0;
    const outcome = p.evaluateHandshake(pki.clients[name].x509, { authorized, error }, () => {
      asked++;
      return [];
    });
    return { code: outcome.ok ? 'ok' : outcome.code, asked };
  };

  it('takes an authorized handshake as trusted and adds only usage, pins and name constraints', () => {
    // The presented chain is read once, for CAs the client sent that could constrain names.
    expect(handshake('billing', true)).toEqual({ code: 'ok', asked: 1 });
    // OpenSSL accepts a leaf without extended key usage; the policy wants clientAuth.
    expect(handshake('noEku', true).code).toBe('MTLS_CERT_INVALID_USAGE');
    expect(handshake('caAsClient', true).code).toBe('MTLS_CERT_INVALID_USAGE');
    // Even a certificate the bundle alone cannot chain: OpenSSL had the presented intermediate.
    expect(handshake('viaIntermediate', true)).toEqual({ code: 'ok', asked: 1 });
    const pinned = policy(pki.caFile, 'chained', [pki.clients.gateway.x509.fingerprint256]);
    expect(handshake('billing', true, undefined, pinned).code).toBe('MTLS_FINGERPRINT_FORBIDDEN');
  });

  it('refuses an unauthorized handshake without rebuilding anything for a plain trust error', () => {
    expect(handshake('billing', false, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY')).toEqual({
      code: 'MTLS_CERT_UNTRUSTED',
      asked: 0,
    });
  });

  it('confirms a precise error with the bounded verifier: trust before validity', () => {
    // OpenSSL reports its last error: an expired certificate from a rogue CA reads CERT_HAS_EXPIRED.
    expect(handshake('rogue', false, 'CERT_HAS_EXPIRED')).toEqual({
      code: 'MTLS_CERT_UNTRUSTED',
      asked: 1,
    });
    expect(handshake('expired', false, 'CERT_HAS_EXPIRED').code).toBe('MTLS_CERT_EXPIRED');
    expect(handshake('serverAuthOnly', false, 'INVALID_PURPOSE').code).toBe(
      'MTLS_CERT_INVALID_USAGE',
    );
  });

  it('keeps the refusal when the verifier would accept: the handshake decides', () => {
    expect(handshake('billing', false, 'CERT_REVOKED').code).toBe('MTLS_CERT_REVOKED');
  });

  it('judges a self-signed certificate by the allowed types and its pin, whatever OpenSSL said', () => {
    const pin = pki.clients.selfSigned.x509.fingerprint256;
    expect(handshake('selfSigned', false, 'DEPTH_ZERO_SELF_SIGNED_CERT').code).toBe(
      'MTLS_CERT_UNTRUSTED',
    );
    const allowed = policy(pki.caFile, 'all', [pin]);
    expect(handshake('selfSigned', false, 'DEPTH_ZERO_SELF_SIGNED_CERT', allowed).code).toBe('ok');
    const only = policy(pki.caFile, 'self-signed', [pin]);
    expect(handshake('billing', true, undefined, only).code).toBe('MTLS_CERT_UNTRUSTED');
  });
});

describe('reasonForTlsError', () => {
  it('maps precise OpenSSL codes and treats everything else as untrusted', () => {
    expect(reasonForTlsError('CERT_HAS_EXPIRED')).toBe('MTLS_CERT_EXPIRED');
    expect(reasonForTlsError('UNSUPPORTED_CERTIFICATE_PURPOSE')).toBe('MTLS_CERT_INVALID_USAGE');
    expect(reasonForTlsError('SELF_SIGNED_CERT_IN_CHAIN')).toBe('MTLS_CERT_UNTRUSTED');
    expect(reasonForTlsError(undefined)).toBe('MTLS_CERT_UNTRUSTED');
    expect(reasonForTlsError(Object.assign(new Error('x'), { code: 'CERT_REVOKED' }))).toBe(
      'MTLS_CERT_REVOKED',
    );
  });
});
