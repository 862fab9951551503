import 'reflect-metadata';
import { webcrypto, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { ChainVerifier } from '../../src/x509/chain-verifier.js';
import { parsePemCertificates } from '../../src/x509/pem.js';
import { TrustStore } from '../../src/x509/trust-store.js';
import { issue } from '../../src/testing/pki.js';
import { useTestPki } from '../support/test-pki.js';

const pki = useTestPki();
const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const LEVEL = { securityLevel: 2 };
const store = (file: string) => new TrustStore(parsePemCertificates(readFileSync(file, 'utf8')));

describe('ChainVerifier', () => {
  it('builds through an intermediate of the bundle, or one the client presents, never ending on it', () => {
    const leaf = pki.clients.viaIntermediate.x509;
    const intermediate = parsePemCertificates(
      readFileSync(pki.bundleFile, 'utf8'),
    )[0] as X509Certificate;
    expect(new ChainVerifier(store(pki.bundleFile), undefined, LEVEL).verify(leaf)).toMatchObject({
      ok: true,
    });
    expect(
      new ChainVerifier(store(pki.caFile), undefined, LEVEL).verify(leaf, [intermediate]),
    ).toMatchObject({
      ok: true,
    });
    expect(new ChainVerifier(store(pki.caFile), undefined, LEVEL).verify(leaf)).toMatchObject({
      ok: false,
      code: 'MTLS_CERT_UNTRUSTED',
    });
    // A presented intermediate completes a path; it never anchors one.
    expect(
      new ChainVerifier(new TrustStore([]), undefined, LEVEL).verify(leaf, [intermediate]),
    ).toMatchObject({
      ok: false,
    });
  });

  it('spends a bounded number of signature checks on many same-name CAs with distinct keys', async () => {
    const cas = [];
    for (let i = 0; i < 40; i++) {
      const keys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
      cas.push(
        await issue(`same-${i}`, null, { subject: 'O=Test, CN=Same Name CA', ca: true, keys }),
      );
    }
    const leaf = await issue('leaf', cas[39] ?? null, { subject: 'O=Test, CN=billing-service' });
    const presented = cas.map((c) => new X509Certificate(c.certPem));
    const verifier = new ChainVerifier(store(pki.caFile), undefined, LEVEL);
    const hostile = new X509Certificate(leaf.certPem);
    verifier.verify(hostile, presented); // warm-up
    const verify = vi.spyOn(X509Certificate.prototype, 'verify');
    const started = performance.now();
    const verdict = verifier.verify(hostile, presented);
    const ms = performance.now() - started;
    const checks = verify.mock.calls.length;
    verify.mockRestore();
    expect(verdict).toMatchObject({ ok: false, code: 'MTLS_CERT_UNTRUSTED' });
    expect(checks).toBeLessThanOrEqual(32);
    expect(ms).toBeLessThan(20);
  });
});
