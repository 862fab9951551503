import { describe, expect, it } from 'vitest';
import { MTLS_AUTH_DEFAULTS, PROXY_PRESET_NAMES } from '../../src/options/mtls-auth-options.js';
import { MtlsAuthOptionsError } from '../../src/options/options-error.js';
import { PROXY_PRESETS } from '../../src/options/proxy-presets.js';
import { checkMtlsAuthSettings, type MtlsAuthSettings } from '../../src/options/resolve-options.js';

const problemsOf = (settings: MtlsAuthSettings) => {
  try {
    checkMtlsAuthSettings({ securityLevel: 2, ...settings });
  } catch (error) {
    if (error instanceof MtlsAuthOptionsError) return error.problems;
    throw error;
  }
  return [];
};

describe('proxy presets', () => {
  it('are exactly the names DESIGN.md section 9 fixes', () => {
    expect([...PROXY_PRESET_NAMES]).toEqual([
      'nginx',
      'envoy',
      'istio',
      'traefik',
      'haproxy',
      'caddy',
      'aws-alb',
      'aws-alb-passthrough',
      'gcp',
      'cloudflare',
      'azure-app-service',
      'kong',
      'cloudfront',
      'rfc9440',
    ]);
    expect(Object.keys(PROXY_PRESETS).sort()).toEqual([...PROXY_PRESET_NAMES].sort());
  });

  it.each(PROXY_PRESET_NAMES)(
    '%s sets its headers, format and verdict words in one option',
    (name) => {
      const preset = PROXY_PRESETS[name];
      const checked = checkMtlsAuthSettings({ proxyPreset: name, securityLevel: 2 });
      expect(checked).toMatchObject({
        proxyPreset: name,
        certificateHeader: preset.certificateHeader,
        certificateHeaderFormat: preset.certificateHeaderFormat,
        certificateChainHeader: preset.certificateChainHeader,
        verifyHeader: preset.verifyHeader ?? MTLS_AUTH_DEFAULTS.verifyHeader,
        verifySuccessValues: preset.verifySuccessValues ?? MTLS_AUTH_DEFAULTS.verifySuccessValues,
      });
      // Every header a preset names is a valid, lower-case name, each for one thing.
      const headers = [
        checked.certificateHeader,
        checked.verifyHeader,
        checked.certificateChainHeader,
      ].filter((h) => h !== undefined);
      for (const header of headers) expect(header).toMatch(/^[a-z0-9-]+$/);
      expect(new Set(headers).size).toBe(headers.length);
    },
  );

  it('lets every option given explicitly override the preset', () => {
    expect(
      checkMtlsAuthSettings({
        proxyPreset: 'haproxy',
        certificateHeader: 'X-Client-Certificate',
        certificateHeaderFormat: 'pem',
        certificateChainHeader: 'x-client-chain',
        verifyHeader: 'x-client-verdict',
        verifySuccessValues: ['OK'],
        securityLevel: 2,
      }),
    ).toMatchObject({
      certificateHeader: 'x-client-certificate',
      certificateHeaderFormat: 'pem',
      certificateChainHeader: 'x-client-chain',
      verifyHeader: 'x-client-verdict',
      verifySuccessValues: ['OK'],
    });
    // What is not given keeps the preset's.
    expect(
      checkMtlsAuthSettings({ proxyPreset: 'gcp', certificateHeader: 'x-leaf', securityLevel: 2 }),
    ).toMatchObject({
      certificateHeader: 'x-leaf',
      certificateHeaderFormat: 'rfc9440',
      certificateChainHeader: 'x-client-cert-chain',
      verifySuccessValues: ['true'],
    });
  });

  it("keeps nginx's headers and format auto without a preset, and no chain header", () => {
    const checked = checkMtlsAuthSettings({ securityLevel: 2 });
    expect(checked).toMatchObject({
      certificateHeader: 'x-ssl-client-cert',
      certificateHeaderFormat: 'auto',
      verifyHeader: 'x-ssl-client-verify',
      verifySuccessValues: ['SUCCESS'],
    });
    expect(checked.certificateChainHeader).toBeUndefined();
    expect(checked.proxyPreset).toBeUndefined();
  });

  it.each<[string, MtlsAuthSettings, string]>([
    ['an unknown preset', { proxyPreset: 'nginx-plus' as never }, 'proxyPreset'],
    ['no success word', { verifySuccessValues: [] }, 'verifySuccessValues'],
    ['a success word with a comma', { verifySuccessValues: ['SUCCESS,0'] }, 'verifySuccessValues'],
    ['a success word with a space', { verifySuccessValues: ['all good'] }, 'verifySuccessValues'],
    [
      'the chain in the certificate header',
      { certificateChainHeader: 'X-SSL-Client-Cert' },
      'certificateChainHeader',
    ],
    [
      'the chain in the verdict header',
      { proxyPreset: 'nginx', certificateChainHeader: 'x-ssl-client-verify' },
      'certificateChainHeader',
    ],
    [
      'a chain header that is not a header name',
      { certificateChainHeader: 'a b' },
      'certificateChainHeader',
    ],
  ])('refuses %s, naming the option', (_name, settings, option) => {
    expect(problemsOf(settings).map((p) => p.option)).toEqual([option]);
  });
});
