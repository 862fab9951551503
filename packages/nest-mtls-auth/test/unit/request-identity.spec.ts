import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { MATCH_KEYS, type CertificateIdentity } from '../../src/x509/client-identity.js';
import { MtlsReasonCode } from '../../src/x509/reason-code.js';
import {
  allowedBy,
  createEntry,
  currentEntry,
  passOn,
  refuseEntry,
  takePassedEntry,
  trustOcspUntil,
} from '../../src/cache/request-identity.js';
import { coarseNow } from '../../src/cache/coarse-clock.js';

const owner = { generation: 0 };
const HOUR = 3_600_000;
const identityUntil = (commonName: string, notAfterMs: number) =>
  ({ commonName, source: 'tls', [MATCH_KEYS]: { notAfterMs } }) as unknown as CertificateIdentity;
const identity = identityUntil('billing-service', Date.now() + HOUR);
const request = () => new IncomingMessage(new Socket());

describe('passOn / takePassedEntry (authentication guard to allowlist guard)', () => {
  const accepted = createEntry(owner, { ok: true, identity });

  it('hands the entry over once, for that very request only', () => {
    const a = request();
    const b = request();
    passOn(a, accepted);
    // Another request never sees it: it is looked up as usual (here: nothing known about it).
    expect(takePassedEntry(b)).toBeUndefined();
    expect(takePassedEntry(a)).toBe(accepted);
    // Taken: the next read looks the request up (a has no connection entry here).
    expect(takePassedEntry(a)).toBeUndefined();
  });

  it("works through Fastify's wrapper", () => {
    const a = request();
    passOn({ raw: a }, accepted);
    expect(takePassedEntry({ raw: a })).toBe(accepted);
  });
});

describe('allowedBy (the service-wide allowlist, remembered per entry)', () => {
  it('asks the allowlist once per entry, and again when the allowlist is replaced', () => {
    const entry = createEntry(owner, { ok: true, identity });
    const first = vi.fn(() => true);
    expect(allowedBy(entry, identity, first)).toBe(true);
    expect(allowedBy(entry, identity, first)).toBe(true);
    expect(first).toHaveBeenCalledTimes(1);
    // A reload compiles a new allowlist: its verdict replaces the remembered one.
    const reloaded = vi.fn(() => false);
    expect(allowedBy(entry, identity, reloaded)).toBe(false);
    expect(allowedBy(entry, identity, reloaded)).toBe(false);
    expect(reloaded).toHaveBeenCalledTimes(1);
  });

  it('keeps verdicts apart per entry', () => {
    const other = identityUntil('notification-service', Date.now() + HOUR);
    const allowlist = (id: CertificateIdentity) => id.commonName === 'billing-service';
    const refused = createEntry(owner, { ok: false, code: MtlsReasonCode.CertExpired, identity });
    expect(allowedBy(createEntry(owner, { ok: true, identity }), identity, allowlist)).toBe(true);
    expect(allowedBy(createEntry(owner, { ok: true, identity: other }), other, allowlist)).toBe(
      false,
    );
    expect(refused.allowlist).toBeUndefined();
  });
});

describe('currentEntry (the per-request look at a remembered entry)', () => {
  it('answers with an accepted entry until its identity expires, then with CERT_EXPIRED', () => {
    const entry = createEntry(owner, { ok: true, identity });
    entry.user = { cn: 'billing-service' };
    expect(entry.recheckAt).toBe(identity[MATCH_KEYS].notAfterMs);
    expect(currentEntry(entry)?.outcome.ok).toBe(true);
    expect(entry.user).toBeDefined();

    const expiring = identityUntil('billing-service', coarseNow() - 1);
    const stale = createEntry(owner, { ok: true, identity: expiring });
    stale.user = { cn: 'billing-service' };
    expect(currentEntry(stale)?.outcome).toEqual({
      ok: false,
      code: MtlsReasonCode.CertExpired,
      identity: expiring,
    });
    // A defined user means an accepted entry: the refusal clears it and is never rechecked.
    expect(stale.user).toBeUndefined();
    expect(stale.recheckAt).toBe(Infinity);
  });

  it('sends an entry back through the full path once its OCSP answer has run out', () => {
    const entry = createEntry(owner, { ok: true, identity });
    entry.user = { cn: 'billing-service' };
    // Before the certificate's notAfter: the answer's end is the next look.
    const answerEnds = coarseNow() + HOUR / 2;
    trustOcspUntil(entry, answerEnds);
    expect(entry.recheckAt).toBe(answerEnds);
    expect(currentEntry(entry)?.user).toBeDefined();

    trustOcspUntil(entry, coarseNow() - 1);
    const current = currentEntry(entry);
    expect(current?.outcome.ok).toBe(true);
    expect(current?.user).toBeUndefined();
    expect(current?.ocspValidUntil).toBeUndefined();
    // Next look: at the certificate's own expiry.
    expect(current?.recheckAt).toBe(identity[MATCH_KEYS].notAfterMs);
  });

  it('forgets entries of an older trust generation', () => {
    const trust = { generation: 1 };
    const entry = createEntry(trust, { ok: true, identity });
    expect(currentEntry(entry)).toBe(entry);
    trust.generation = 2;
    expect(currentEntry(entry)).toBeUndefined();
  });

  it('keeps a refusal as it is', () => {
    const entry = createEntry(owner, { ok: true, identity });
    entry.user = {};
    refuseEntry(entry, { ok: false, code: MtlsReasonCode.CertRevoked, identity });
    expect(entry.user).toBeUndefined();
    expect(currentEntry(entry)?.outcome).toMatchObject({ code: MtlsReasonCode.CertRevoked });
  });
});
