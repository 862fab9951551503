#!/usr/bin/env node
/**
 * npm run ticket-keys -- FILE [--keep N]: makes or rotates a TLS_TICKET_KEYS_FILE.
 *
 * Without FILE on disk: writes one new key. With it: puts a new key first (it encrypts from the
 * next reload on) and keeps the N - 1 newest of the old ones (they still decrypt), N = 3 by default.
 * One key per line, 48 random bytes in base64, as `openssl rand -base64 48` prints them. The file
 * is replaced atomically (write, then rename) with mode 0600, so a watching service never reads
 * half of it. Rotate about daily; a ticket lives as long as the oldest key kept.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { keep: { type: 'string', default: '3' } },
});
const [file] = positionals;
const keep = Number(values.keep);
if (!file || !Number.isInteger(keep) || keep < 1 || keep > 16) {
  process.stderr.write('usage: npm run ticket-keys -- FILE [--keep N]   (1 <= N <= 16)\n');
  process.exit(2);
}

const old = existsSync(file)
  ? readFileSync(file, 'utf8')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'))
  : [];
const keys = [randomBytes(48).toString('base64'), ...old].slice(0, keep);
const tmp = `${file}.tmp-${process.pid}`;
writeFileSync(tmp, `${keys.join('\n')}\n`, { mode: 0o600 });
renameSync(tmp, file);
process.stdout.write(
  `${file}: ${old.length === 0 ? 'made' : 'rotated'}, ${keys.length} key${keys.length > 1 ? 's' : ''} (the first encrypts)\n`,
);
