import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import type { CertificateIdentity } from '../../src/mtls-auth/certificate/client-identity.js';
import { MtlsReasonCode } from '../../src/mtls-auth/certificate/reason-code.js';
import {
  allowedBy,
  createEntry,
  passOn,
  takePassedEntry,
} from '../../src/mtls-auth/request-identity.js';

const owner = { generation: 0 };
const identity = { commonName: 'billing-service' } as unknown as CertificateIdentity;
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
    const other = { commonName: 'notification-service' } as unknown as CertificateIdentity;
    const allowlist = (id: CertificateIdentity) => id.commonName === 'billing-service';
    const refused = createEntry(owner, { ok: false, code: MtlsReasonCode.CertExpired, identity });
    expect(allowedBy(createEntry(owner, { ok: true, identity }), identity, allowlist)).toBe(true);
    expect(allowedBy(createEntry(owner, { ok: true, identity: other }), other, allowlist)).toBe(
      false,
    );
    expect(refused.allowlist).toBeUndefined();
  });
});
