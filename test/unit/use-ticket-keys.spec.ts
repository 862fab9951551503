import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { TicketKeys } from '../../src/tls/ticket-keys.js';
import { useTicketKeys } from '../../src/tls/use-ticket-keys.js';
import { useTestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';

const pki = useTestPki();
const keysOf = (...keys: Buffer[]) =>
  TicketKeys.parse(keys.map((k) => k.toString('hex')).join('\n'));

describe('useTicketKeys', () => {
  // The canary for a Node release that drops the hook (the e2e tests show what it does).
  it("hooks OpenSSL's ticket-key callback on this Node's TLS server", () => {
    const server = createServer({
      cert: readFileSync(pki.server.certFile),
      key: readFileSync(pki.server.keyFile),
    });
    const [first, second] = [randomBytes(48), randomBytes(48)];
    expect(useTicketKeys(server, keysOf(first, second))).toBe('every-key');
  });

  it('falls back to the first key alone where the hook is missing', () => {
    const set: Buffer[] = [];
    // A server whose secure context lacks the native hook: only the public API is left.
    const server = { setTicketKeys: (key: Buffer) => set.push(key) } as unknown as Server;
    const [first, second] = [randomBytes(48), randomBytes(48)];
    expect(useTicketKeys(server, keysOf(first, second))).toBe('first-key-only');
    expect(set).toEqual([first]);
  });
});
