import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { CertificateIdentity } from '../../src/mtls-auth/certificate/client-identity.js';
import { MtlsReasonCode } from '../../src/mtls-auth/certificate/reason-code.js';
import { createEntry, passOn, takePassedIdentity } from '../../src/mtls-auth/request-identity.js';

describe('passOn / takePassedIdentity (authentication guard to allowlist guard)', () => {
  const owner = { generation: 0 };
  const identity = { commonName: 'billing-service' } as unknown as CertificateIdentity;
  const accepted = createEntry(owner, { ok: true, identity });
  const request = () => new IncomingMessage(new Socket());

  it('hands the identity over once, for that very request only', () => {
    const a = request();
    const b = request();
    passOn(a, accepted);
    // Another request never sees it: it is looked up as usual (here: nothing known about it).
    expect(takePassedIdentity(b)).toBeUndefined();
    expect(takePassedIdentity(a)).toBe(identity);
    // Taken: the next read looks the request up (a has no connection entry here).
    expect(takePassedIdentity(a)).toBeUndefined();
  });

  it("works through Fastify's wrapper and passes a refusal on as no identity", () => {
    const a = request();
    passOn({ raw: a }, accepted);
    expect(takePassedIdentity({ raw: a })).toBe(identity);
    passOn(a, createEntry(owner, { ok: false, code: MtlsReasonCode.CertExpired, identity }));
    expect(takePassedIdentity(a)).toBeUndefined();
  });
});
