import { describe, expect, it } from 'vitest';
import { generateKeyPairSync, sign, X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { probeCertificate, securityLevelOf } from '../../src/tls/security-level.js';
import { ifcSecurityBits } from '../../src/x509/verify/security-bits.js';

describe('securityLevelOf', () => {
  it("reads Node's default level for the package's own ciphers: 1 on Node 22, 2 from Node 24", () => {
    const major = Number(process.versions.node.split('.')[0]);
    expect(securityLevelOf()).toBe(major >= 24 ? 2 : 1);
  });

  it.each([0, 1, 2, 3, 4, 5])('reads @SECLEVEL=%i from a cipher string', (level) => {
    expect(securityLevelOf({ ciphers: `DEFAULT@SECLEVEL=${level}` })).toBe(level);
  });

  it('writes probe certificates that Node reads back, self-signed by their key', () => {
    for (const namedCurve of ['prime256v1', 'secp384r1']) {
      const keys = generateKeyPairSync('ec', { namedCurve });
      const spki = keys.publicKey.export({ type: 'spki', format: 'der' });
      const cert = new X509Certificate(
        probeCertificate(spki, (tbs) => sign('sha256', tbs, keys.privateKey)),
      );
      expect(cert.subject).toBe('CN=security-level probe');
      expect(cert.verify(keys.publicKey)).toBe(true);
      expect(cert.checkPrivateKey(keys.privateKey)).toBe(true);
    }
  });

  it('loads a probe with no private key and an unchecked signature, and refuses a weak key', () => {
    const weak = generateKeyPairSync('ec', { namedCurve: 'secp160r1' }).publicKey;
    const strong = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
    const cert = (key: typeof weak) =>
      probeCertificate(key.export({ type: 'spki', format: 'der' }));
    expect(() => createSecureContext({ cert: cert(strong) })).not.toThrow();
    expect(() => createSecureContext({ cert: cert(weak), ciphers: 'DEFAULT@SECLEVEL=2' })).toThrow(
      /key too small/,
    );
  });
});

describe('ifcSecurityBits', () => {
  it('gives the security bits OpenSSL gives RSA moduli', () => {
    // The canonical values of SP 800-56B, and 80 for 1024 bits (level 1 only).
    expect([512, 1024, 2048, 3072, 4096, 7680, 15360].map(ifcSecurityBits)).toEqual([
      56, 80, 112, 128, 152, 192, 256,
    ]);
  });
});
