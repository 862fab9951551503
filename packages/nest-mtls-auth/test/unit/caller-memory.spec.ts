import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { MATCH_KEYS, type CertificateIdentity } from '../../src/x509/client-identity.js';
import { MtlsReasonCode } from '../../src/x509/reason-code.js';
import { AuthEntry } from '../../src/records/auth-entry.js';
import { CallerMemory } from '../../src/records/caller-memory.js';
import { CoarseClock } from '../../src/records/coarse-clock.js';

const owner = { generation: 0 };
const HOUR = 3_600_000;
const identityUntil = (commonName: string, notAfterMs: number) =>
  ({ commonName, source: 'tls', [MATCH_KEYS]: { notAfterMs } }) as unknown as CertificateIdentity;
const identity = identityUntil('billing-service', Date.now() + HOUR);
const request = () => new IncomingMessage(new Socket());
const coarseNow = () => Date.now();
const currentEntry = (entry: AuthEntry) => entry.current(coarseNow());

describe('CallerMemory: passOn / takePassedEntry (authentication guard to allowlist guard)', () => {
  const accepted = new AuthEntry(owner, { ok: true, identity });
  const clock = new CoarseClock();
  afterAll(() => clock.stop());

  it('hands the entry over once, for that very request only', () => {
    const memory = new CallerMemory(clock);
    const a = request();
    const b = request();
    memory.passOn(a, accepted);
    // Another request never sees it: it is looked up as usual (here: nothing known about it).
    expect(memory.takePassedEntry(b)).toBeUndefined();
    expect(memory.takePassedEntry(a)).toBe(accepted);
    // Taken: the next read looks the request up (a has no connection entry here).
    expect(memory.takePassedEntry(a)).toBeUndefined();
  });

  it('keeps two applications apart: one memory never answers from the other', () => {
    const mine = new CallerMemory(clock);
    const theirs = new CallerMemory(clock);
    const a = request();
    mine.rememberConnection(a.socket, accepted);
    mine.passOn(a, accepted);
    expect(theirs.takePassedEntry(a)).toBeUndefined();
    expect(theirs.identityOf(a)).toBeUndefined();
    expect(mine.identityOf(a)).toBe(identity);
  });

  it('lets a request bound entry win unless the connection is a non-delegating direct caller', () => {
    const memory = new CallerMemory(clock);
    const a = request();
    const own = new AuthEntry(owner, {
      ok: true,
      identity: identityUntil('original', Date.now() + HOUR),
    });
    memory.bindRequest(a, own);
    expect(memory.entryOf(a)).toBe(own);
    memory.rememberConnection(a.socket, new AuthEntry(owner, { ok: true, identity }, true));
    expect(memory.entryOf(a)).toBe(own);
    memory.rememberConnection(a.socket, accepted);
    expect(memory.entryOf(a)).toBe(accepted);
  });
});

describe('AuthEntry.allowedBy (the service-wide allowlist, remembered per entry)', () => {
  it('asks the allowlist once per entry, and again when the allowlist is replaced', () => {
    const entry = new AuthEntry(owner, { ok: true, identity });
    const first = vi.fn(() => true);
    expect(entry.allowedBy(identity, first)).toBe(true);
    expect(entry.allowedBy(identity, first)).toBe(true);
    expect(first).toHaveBeenCalledTimes(1);
    // A reload compiles a new allowlist: its verdict replaces the remembered one.
    const reloaded = vi.fn(() => false);
    expect(entry.allowedBy(identity, reloaded)).toBe(false);
    expect(entry.allowedBy(identity, reloaded)).toBe(false);
    expect(reloaded).toHaveBeenCalledTimes(1);
  });

  it('keeps verdicts apart per entry', () => {
    const other = identityUntil('notification-service', Date.now() + HOUR);
    const allowlist = (id: CertificateIdentity) => id.commonName === 'billing-service';
    const refused = new AuthEntry(owner, { ok: false, code: MtlsReasonCode.CertExpired, identity });
    expect(new AuthEntry(owner, { ok: true, identity }).allowedBy(identity, allowlist)).toBe(true);
    expect(new AuthEntry(owner, { ok: true, identity: other }).allowedBy(other, allowlist)).toBe(
      false,
    );
    expect(refused.allowlist).toBeUndefined();
  });
});

describe('AuthEntry.current (the per-request look at a remembered entry)', () => {
  it('answers with an accepted entry until its identity expires, then with CERT_EXPIRED', () => {
    const entry = new AuthEntry(owner, { ok: true, identity });
    entry.rememberUser({ cn: 'billing-service' });
    expect(entry.recheckAt).toBe(identity[MATCH_KEYS].notAfterMs);
    expect(currentEntry(entry)?.outcome.ok).toBe(true);
    expect(entry.user).toBeDefined();

    const expiring = identityUntil('billing-service', coarseNow() - 1);
    const stale = new AuthEntry(owner, { ok: true, identity: expiring });
    stale.rememberUser({ cn: 'billing-service' });
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
    const entry = new AuthEntry(owner, { ok: true, identity });
    entry.rememberUser({ cn: 'billing-service' });
    // Before the certificate's notAfter: the answer's end is the next look.
    const answerEnds = coarseNow() + HOUR / 2;
    entry.trustOcspUntil(answerEnds);
    expect(entry.recheckAt).toBe(answerEnds);
    expect(currentEntry(entry)?.user).toBeDefined();

    entry.trustOcspUntil(coarseNow() - 1);
    const current = currentEntry(entry);
    expect(current?.outcome.ok).toBe(true);
    expect(current?.user).toBeUndefined();
    expect(current?.ocspValidUntil).toBeUndefined();
    // Next look: at the certificate's own expiry.
    expect(current?.recheckAt).toBe(identity[MATCH_KEYS].notAfterMs);
  });

  it('forgets entries of an older trust generation', () => {
    const trust = { generation: 1 };
    const entry = new AuthEntry(trust, { ok: true, identity });
    expect(currentEntry(entry)).toBe(entry);
    trust.generation = 2;
    expect(currentEntry(entry)).toBeUndefined();
  });

  it('keeps a refusal as it is', () => {
    const entry = new AuthEntry(owner, { ok: true, identity });
    entry.rememberUser({});
    entry.refuse({ ok: false, code: MtlsReasonCode.CertRevoked, identity });
    expect(entry.user).toBeUndefined();
    expect(currentEntry(entry)?.outcome).toMatchObject({ code: MtlsReasonCode.CertRevoked });
  });
});
