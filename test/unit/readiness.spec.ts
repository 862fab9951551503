import { describe, expect, it } from 'vitest';
import type {
  CertificateRole,
  CrlEntry,
  ExpiryState,
  InventoryEntry,
} from '../../src/health/certificate-inventory.js';
import { judgeReadiness } from '../../src/health/readiness.js';

const cert = (name: string, role: CertificateRole, state: ExpiryState): InventoryEntry => ({
  name,
  role,
  state,
  subject: `CN=${name}`,
  notBefore: '2020-01-01T00:00:00.000Z',
  notAfter: '2030-01-01T00:00:00.000Z',
  daysRemaining: state === 'warning' ? 7 : 365,
});
const crl = (name: string, state: CrlEntry['state']): CrlEntry => ({
  name,
  ca: `CN=${name}`,
  thisUpdate: '2020-01-01T00:00:00.000Z',
  nextUpdate: '2020-01-08T00:00:00.000Z',
  state,
});
const names = (notes: readonly { name: string; state: string }[]) =>
  notes.map((n) => `${n.name} ${n.state}`);

describe('judgeReadiness', () => {
  const ca = cert('client-ca:Root', 'client-ca', 'ok');

  it('is ready with nothing to say when every certificate and CRL is current', () => {
    expect(
      judgeReadiness(
        [cert('server', 'server', 'ok'), ca, cert('outbound', 'outbound', 'ok')],
        [crl('client-ca:Root', 'ok')],
      ),
    ).toEqual({ ready: true, reasons: [], warnings: [] });
  });

  it.each<ExpiryState>(['expired', 'not-yet-valid'])(
    'is not ready when the server certificate is %s',
    (state) => {
      const verdict = judgeReadiness([cert('server', 'server', state), ca], []);
      expect(verdict.ready).toBe(false);
      expect(names(verdict.reasons)).toEqual([`server ${state}`]);
    },
  );

  it.each<ExpiryState>(['expired', 'not-yet-valid', 'warning'])(
    'stays ready when the outbound certificate is %s, with a warning',
    (state) => {
      const verdict = judgeReadiness(
        [cert('server', 'server', 'ok'), ca, cert('outbound', 'outbound', state)],
        [],
      );
      expect(verdict.ready).toBe(true);
      expect(names(verdict.warnings)).toEqual([`outbound ${state}`]);
      expect(verdict.warnings[0]?.message).toContain('OUTBOUND_CERT_FILE');
    },
  );

  it('stays ready when the server certificate is close to expiry, with a warning', () => {
    const verdict = judgeReadiness([cert('server', 'server', 'warning'), ca], []);
    expect(verdict).toMatchObject({ ready: true, reasons: [] });
    expect(verdict.warnings[0]?.message).toContain('(7 days)');
  });

  it('is not ready when no CA of the bundle is within its validity period', () => {
    const verdict = judgeReadiness(
      [
        cert('client-ca:Old', 'client-ca', 'expired'),
        cert('client-ca:Next', 'client-ca', 'not-yet-valid'),
      ],
      [],
    );
    expect(verdict.ready).toBe(false);
    expect(names(verdict.reasons)).toEqual(['trust none-valid']);
    expect(verdict.reasons[0]?.message).toContain(
      'client-ca:Old expired, client-ca:Next not-yet-valid',
    );
  });

  it('stays ready when one CA of the bundle is out of date beside a current one, with a warning', () => {
    const verdict = judgeReadiness(
      [
        cert('client-ca:Old', 'client-ca', 'expired'),
        cert('client-ca:New', 'client-ca', 'warning'),
      ],
      [],
    );
    expect(verdict.ready).toBe(true);
    expect(names(verdict.warnings)).toEqual(['client-ca:Old expired', 'client-ca:New warning']);
  });

  it.each<CrlEntry['state']>(['expired', 'not-yet-valid'])(
    'stays ready when a CRL is %s, with a warning (it refuses only its CA’s callers)',
    (state) => {
      const verdict = judgeReadiness([ca], [crl('client-ca:Root', state)]);
      expect(verdict.ready).toBe(true);
      expect(names(verdict.warnings)).toEqual([`crl:client-ca:Root ${state}`]);
    },
  );

  it('judges only the trust without a server certificate (TLS_ENABLED=false)', () => {
    expect(judgeReadiness([ca], []).ready).toBe(true);
  });
});
