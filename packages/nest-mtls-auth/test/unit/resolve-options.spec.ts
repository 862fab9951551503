import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkMtlsAuthSettings, MtlsAuthModule, MtlsAuthOptionsError } from '../../src/index.js';
import { resolveMtlsAuthOptions } from '../../src/options/resolve-options.js';
import { startFixtureApp } from '../support/fixture-app.js';
import { useTestPki } from '../support/test-pki.js';

const pki = useTestPki();

const problemsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(MtlsAuthOptionsError);
    return (error as MtlsAuthOptionsError).problems;
  }
  throw new Error('expected an MtlsAuthOptionsError');
};

describe('resolveMtlsAuthOptions / checkMtlsAuthSettings (the module validates its own options)', () => {
  it('refuses a CA bundle that holds no certificate, naming trustedCa', () => {
    expect(problemsOf(() => resolveMtlsAuthOptions({ trustedCa: 'not a pem' }))).toEqual([
      {
        option: 'trustedCa',
        message: expect.stringContaining('holds no PEM certificate') as string,
      },
    ]);
  });

  it('reports every bad option at once, each with what is wrong', () => {
    const problems = problemsOf(() =>
      checkMtlsAuthSettings({
        trustedProxies: ['10.0.0.0/abc'],
        ocsp: 'hrad' as never,
        allowedServices: ['a*b.example'],
        allowedFingerprints: ['abc123'],
        certificateHeader: 'x ssl cert',
        callerCacheSize: 0,
      }),
    );
    expect(problems.map((p) => p.option).sort()).toEqual([
      'allowedFingerprints',
      'allowedServices',
      'callerCacheSize',
      'certificateHeader',
      'ocsp',
      'trustedProxies',
    ]);
    expect(problems.find((p) => p.option === 'ocsp')?.message).toBe(
      '"hrad" is not one of off, soft, hard',
    );
    expect(problems.find((p) => p.option === 'trustedProxies')?.message).toContain(
      '"10.0.0.0/abc" is not an IP address or CIDR range',
    );
  });

  it('refuses a proxy range that trusts everyone, and one header for both jobs', () => {
    for (const cidr of ['0.0.0.0/0', '::/0']) {
      expect(
        problemsOf(() => checkMtlsAuthSettings({ trustedProxies: [cidr] }))[0]?.message,
      ).toContain('trusts every peer');
    }
    expect(
      problemsOf(() =>
        checkMtlsAuthSettings({ certificateHeader: 'X-Cert', verifyHeader: 'x-cert' }),
      )[0],
    ).toMatchObject({ option: 'verifyHeader' });
  });

  it('applies the defaults and normalizes header names', () => {
    expect(checkMtlsAuthSettings({ certificateHeader: 'X-ARR-ClientCert' })).toMatchObject({
      certificateHeader: 'x-arr-clientcert',
      verifyHeader: 'x-ssl-client-verify',
      allowedCertificateTypes: 'chained',
      ocsp: 'off',
      callerCacheSize: 10_000,
    });
  });

  it('stops the application from starting with a bad option', async () => {
    await expect(
      startFixtureApp(pki, 'express', {
        imports: [
          MtlsAuthModule.forRoot({ trustedCa: readFileSync(pki.caFile), ocsp: 'hrad' as never }),
        ],
      }),
    ).rejects.toThrow(/ocsp: "hrad" is not one of off, soft, hard/);
  });
});
