import { describe, expect, it } from 'vitest';
import { securityLevelOf } from '../../src/tls/security-level.js';
import { ifcSecurityBits } from '../../src/x509/verify/security-bits.js';

describe('securityLevelOf', () => {
  it("reads Node's default level (2 with OpenSSL 3.5) for the package's own ciphers", () => {
    expect(securityLevelOf()).toBe(2);
  });

  it.each([0, 1, 2, 3, 4, 5])('reads @SECLEVEL=%i from a cipher string', (level) => {
    expect(securityLevelOf({ ciphers: `DEFAULT@SECLEVEL=${level}` })).toBe(level);
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
