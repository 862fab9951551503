import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../src/testing/ports.js';
import type { PkiFile, TestPki } from './test-pki.js';

/** An `openssl ocsp` responder for the test PKI's root CA, on loopback. */
export interface OcspResponder {
  readonly url: string;
  stop(): Promise<void>;
}

/** OpenSSL's CA database date form, YYMMDDHHMMSSZ. */
const caDate = (ms: number) => new Date(ms).toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';

/**
 * Starts `openssl ocsp` answering for the root CA: `revoked` certificates are revoked, every other
 * certificate in `good` is valid, anything else is unknown.
 */
export async function startOcspResponder(
  pki: TestPki,
  good: PkiFile[],
  revoked: PkiFile[],
): Promise<OcspResponder> {
  const line = (c: PkiFile, state: 'V' | 'R') =>
    [
      state,
      caDate(Date.parse(c.x509.validTo)),
      state === 'R' ? caDate(Date.now() - 60_000) : '',
      c.x509.serialNumber.toUpperCase(),
      'unknown',
      `/CN=${c.name}`,
    ].join('\t');
  const index = join(pki.dir, `ocsp-index-${Date.now()}.txt`);
  writeFileSync(
    index,
    [...good.map((c) => line(c, 'V')), ...revoked.map((c) => line(c, 'R'))].join('\n') + '\n',
  );
  writeFileSync(`${index}.attr`, 'unique_subject = no\n');
  const port = await freePort();
  const child = spawn(
    'openssl',
    [
      'ocsp',
      '-index',
      index,
      '-port',
      String(port),
      '-rsigner',
      pki.caFile,
      '-rkey',
      pki.caKeyFile,
      '-CA',
      pki.caFile,
      '-nmin',
      '10',
      '-ignore_err',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // Not a port probe: the single-threaded responder would wait forever on the probe's empty connection.
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('waiting for OCSP client connections')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', () => reject(new Error(`openssl ocsp exited: ${output}`)));
    setTimeout(() => reject(new Error(`openssl ocsp did not start: ${output}`)), 5000).unref();
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) =>
        child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill()),
      ),
  };
}
