import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_TICKET_KEYS, TicketKeys, TicketKeysError } from '../../src/tls/ticket-keys.js';
import { mtlsServerOptions } from 'nest-mtls-auth';
import { useTestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';
import { readFileSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const pki = useTestPki();
const key = () => randomBytes(48);
const nameOf = (k: Buffer) => k.subarray(0, 16);

describe('TicketKeys', () => {
  it('reads one key per line in base64 or hex, skipping blank lines and comments', () => {
    const [a, b] = [key(), key()];
    const keys = TicketKeys.parse(
      `# newest first\n${a.toString('base64')}\r\n\n  ${b.toString('hex')}  \n`,
    );
    expect(keys.size).toBe(2);
    expect(keys.encryptionKey.equals(a)).toBe(true);
  });

  it.each([
    ['an empty file', '', /holds no key/],
    ['only comments', '# nothing\n', /holds no key/],
    ['a short key', randomBytes(32).toString('base64'), /line 1 is not a 48-byte key/],
    ['a long key', randomBytes(80).toString('base64'), /line 1 is not a 48-byte key/],
    ['text', 'secret\n', /line 1 is not a 48-byte key/],
    ['a PEM block', '-----BEGIN CERTIFICATE-----\nMIIB\n', /line 1 is not a 48-byte key/],
    ['odd hex', `${key().toString('hex')}0`, /line 1 is not/],
  ])('refuses %s, naming the line', (_what, text, message) => {
    expect(() => TicketKeys.parse(text)).toThrow(message);
    expect(() => TicketKeys.parse(text)).toThrow(TicketKeysError);
  });

  it('refuses a repeated key and more keys than a rotation needs', () => {
    const a = key().toString('base64');
    expect(() => TicketKeys.parse(`${a}\n${a}\n`)).toThrow(/line 2 repeats a key/);
    const many = Array.from({ length: MAX_TICKET_KEYS + 1 }, () => key().toString('base64'));
    expect(() => TicketKeys.parse(many.join('\n'))).toThrow(/keep at most 16/);
  });

  it('encrypts with the first key, decrypts with every key, and renews tickets of older keys', () => {
    const [a, b] = [key(), key()];
    const keys = TicketKeys.parse(`${a.toString('hex')}\n${b.toString('hex')}\n`);
    const iv = randomBytes(16);
    const [status, hmac, aes, name, freshIv] = keys.answer(Buffer.alloc(16), iv, true);
    expect(status).toBe(1);
    expect(Buffer.concat([name as Buffer, hmac, aes]).equals(a)).toBe(true);
    expect((freshIv as Buffer).length).toBe(16);
    expect(keys.answer(nameOf(a), iv, false)).toEqual([1, a.subarray(16, 32), a.subarray(32)]);
    expect(keys.answer(nameOf(b), iv, false)).toEqual([2, b.subarray(16, 32), b.subarray(32)]);
    // Unknown: status 0 (a full handshake), with well-formed keys Node's binding still reads.
    const [unknown, h, k] = keys.answer(randomBytes(16), iv, false);
    expect(unknown).toBe(0);
    expect([h.length, k.length]).toEqual([16, 16]);
  });
});

describe('mtlsServerOptions session id context', () => {
  const ca = () => readFileSync(pki.caFile);
  const crl = () => readFileSync(pki.crlFile);
  const empty = () => readFileSync(pki.emptyCrlFile);
  const context = (input: Parameters<typeof mtlsServerOptions>[0]) =>
    mtlsServerOptions(input).sessionIdContext;

  it('is the same for the same trust and mode (replicas share sessions), within OpenSSL 32 bytes', () => {
    const one = context({ trustedCa: ca(), crl: crl() });
    expect(one).toMatch(/^[0-9a-f]{32}$/);
    expect(context({ trustedCa: ca().toString('utf8'), crl: crl().toString('utf8') })).toBe(one);
  });

  it('changes with the CA bundle, the CRLs and the mode (no session outlives the trust that verified it)', () => {
    const base = context({ trustedCa: ca(), crl: empty() });
    expect(context({ trustedCa: ca(), crl: crl() })).not.toBe(base);
    expect(context({ trustedCa: ca() })).not.toBe(base);
    expect(context({ trustedCa: ca(), crl: empty(), clientCertificates: 'require' })).not.toBe(
      base,
    );
  });
});

describe('npm run ticket-keys', () => {
  const script = new URL('../../scripts/ticket-keys.mjs', import.meta.url).pathname;
  const run = (...args: string[]) =>
    execFileSync(process.execPath, [script, ...args], { encoding: 'utf8' });

  it('makes a file the service reads, then rotates it: a new first key, the old ones kept to --keep', () => {
    const file = join(pki.dir, 'made-ticket-keys');
    expect(run(file)).toMatch(/made, 1 key/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const first = TicketKeys.parse(readFileSync(file, 'utf8')).encryptionKey;
    expect(run(file)).toMatch(/rotated, 2 keys/);
    const rotated = TicketKeys.parse(readFileSync(file, 'utf8'));
    expect(rotated.size).toBe(2);
    expect(rotated.encryptionKey.equals(first)).toBe(false);
    // The previous first key still decrypts, as a key that is not first (renewed).
    expect(rotated.answer(first.subarray(0, 16), Buffer.alloc(16), false)[0]).toBe(2);
    run(file);
    run(file, '--keep', '3');
    expect(TicketKeys.parse(readFileSync(file, 'utf8')).size).toBe(3);
  });
});
