import { X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestPki,
  TEST_PROXY_IDENTITY,
  type TestCertificate,
  type TestPki,
} from 'nest-mtls-auth/testing';

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

describe('createTestPki (nest-mtls-auth/testing)', () => {
  let pki: TestPki;
  let billing: TestCertificate;
  beforeAll(async () => {
    pki = await createTestPki();
    billing = await pki.issue('billing-service', {
      dns: ['billing.internal.example'],
      uris: ['spiffe://example.org/ns/prod/sa/billing'],
    });
  });
  afterAll(() => pki.cleanup());

  it('issues a caller with its CN, DNS and URI SANs and clientAuth, signed by the test CA', () => {
    const ca = new X509Certificate(pki.caPem);
    expect(billing.commonName).toBe('billing-service');
    expect(billing.x509.subject).toContain('CN=billing-service');
    expect(billing.x509.subjectAltName).toBe(
      'DNS:billing.internal.example, URI:spiffe://example.org/ns/prod/sa/billing',
    );
    expect(billing.x509.keyUsage).toEqual([CLIENT_AUTH]);
    expect(billing.x509.checkIssued(ca)).toBe(true);
    expect(billing.x509.verify(ca.publicKey)).toBe(true);
    expect(readFileSync(billing.certFile, 'utf8')).toBe(billing.certPem);
  });

  it('makes a localhost server certificate and the proxy identity the apps trust', () => {
    expect(pki.server.x509.subjectAltName).toBe(
      'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
    );
    expect(pki.server.x509.keyUsage).toEqual([SERVER_AUTH]);
    expect(pki.proxy.commonName).toBe(TEST_PROXY_IDENTITY);
    expect(pki.proxy.x509.subjectAltName).toBe(`DNS:${TEST_PROXY_IDENTITY}`);
  });

  it('writes keys (mode 0600) only into its temporary folder, and never the CA key', () => {
    expect(pki.dir.startsWith(tmpdir())).toBe(true);
    expect(statSync(pki.dir).mode & 0o777).toBe(0o700);
    expect(billing.keyFile.startsWith(`${pki.dir}/`)).toBe(true);
    expect(statSync(billing.keyFile).mode & 0o777).toBe(0o600);
    const files = readdirSync(pki.dir);
    expect(files.filter((f) => f.endsWith('.key')).sort()).toEqual(
      ['billing-service.key', 'localhost.key', `${TEST_PROXY_IDENTITY}.key`].sort(),
    );
    const holdingKeys = files.filter((f) =>
      readFileSync(`${pki.dir}/${f}`, 'utf8').includes('PRIVATE KEY'),
    );
    expect(holdingKeys).toHaveLength(3);
    expect(JSON.stringify(billing)).not.toContain('PRIVATE KEY');
  });

  it('gives a second certificate for the same CN files of its own', async () => {
    const again = await pki.issue('billing-service');
    expect(again.name).toBe('billing-service-2');
    expect(again.x509.serialNumber).not.toBe(billing.x509.serialNumber);
    expect(readFileSync(billing.certFile, 'utf8')).toBe(billing.certPem);
  });

  it('issues expired, not yet valid, untrusted and full-DN certificates on request', async () => {
    const past = new Date(Date.now() - 3_600_000);
    const expired = await pki.issue('old', { notBefore: new Date(0), notAfter: past });
    expect(new Date(expired.x509.validTo).getTime()).toBeLessThan(Date.now());
    const future = await pki.issue('future', { notBefore: new Date(Date.now() + 86_400_000) });
    expect(new Date(future.x509.validFrom).getTime()).toBeGreaterThan(Date.now());
    expect(new Date(future.x509.validTo).getTime()).toBeGreaterThan(Date.now() + 86_400_000);
    const untrusted = await pki.issue('stranger', { untrusted: true });
    expect(untrusted.x509.checkIssued(new X509Certificate(pki.caPem))).toBe(false);
    const refunds = await pki.issue('refunds', { subject: 'O=company, OU=finance, CN=refunds' });
    expect(refunds.x509.subject).toBe('O=company\nOU=finance\nCN=refunds');
  });

  it('makes a CRL of the certificates it issued, and refuses one it did not', async () => {
    const crl = await pki.crl(billing);
    expect(crl).toMatch(/^-----BEGIN X509 CRL-----/);
    const stranger = { ...billing, name: 'not-mine' };
    await expect(pki.crl(stranger)).rejects.toThrow('not-mine was not issued by this test PKI');
  });

  it('gives TLS options that present a caller and verify the test server', () => {
    const tls = pki.tlsOptions(billing);
    expect(tls.ca).toBe(pki.caPem);
    expect(tls.cert).toBe(billing.certPem);
    expect(tls.key).toContain('PRIVATE KEY');
    expect(pki.tlsOptions()).toEqual({ ca: pki.caPem, servername: 'localhost' });
  });

  it('removes its folder, keys included, on cleanup', async () => {
    const other = await createTestPki();
    const caller = await other.issue('x');
    other.cleanup();
    expect(existsSync(caller.keyFile)).toBe(false);
    expect(existsSync(other.dir)).toBe(false);
  });
});
