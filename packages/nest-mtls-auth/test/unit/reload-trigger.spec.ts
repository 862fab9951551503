import { mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestFiles } from '../../src/reload/files-digest.js';
import { ReloadTrigger } from '../../src/reload/reload-trigger.js';
import { eventually } from '../support/eventually.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DEBOUNCE_MS = 40;
/** Long enough for a file event and the debounce after it. */
const SETTLE_MS = 300;

describe('ReloadTrigger', () => {
  let dir: string;
  let trigger: ReloadTrigger;
  let reasons: string[];
  let answer: boolean;
  const file = (name: string) => join(dir, name);
  const replace = (name: string, content: string) => {
    writeFileSync(file(`.${name}.tmp`), content);
    renameSync(file(`.${name}.tmp`), file(name));
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'reload-trigger-'));
    writeFileSync(file('a.pem'), 'a1');
    writeFileSync(file('b.pem'), 'b1');
    reasons = [];
    answer = true;
    trigger = new ReloadTrigger({
      files: [file('a.pem'), file('b.pem')],
      reload: (reason) => (reasons.push(reason), answer),
      debounceMs: DEBOUNCE_MS,
      signal: 'SIGHUP',
      onWatchError: () => undefined,
    });
    trigger.start();
  });
  afterEach(() => {
    trigger.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reloads once for changes close together (debounced)', async () => {
    replace('a.pem', 'a2');
    replace('b.pem', 'b2');
    await eventually(() => reasons.length > 0, 'a reload');
    await sleep(SETTLE_MS);
    expect(reasons).toEqual(['file change']);
  });

  it('skips an event that changed no content, and events of other files', async () => {
    utimesSync(file('a.pem'), new Date(), new Date());
    replace('a.pem', 'a1');
    writeFileSync(file('unrelated.txt'), 'x');
    await sleep(SETTLE_MS);
    expect(reasons).toEqual([]);
  });

  it('tries again on the next change after a refused reload, and skips content already applied', async () => {
    answer = false;
    replace('a.pem', 'half');
    await eventually(() => reasons.length === 1, 'the refused reload');
    answer = true;
    replace('a.pem', 'a2');
    await eventually(() => reasons.length === 2, 'the next reload');
    await sleep(SETTLE_MS);
    replace('a.pem', 'a2');
    await sleep(SETTLE_MS);
    expect(reasons).toHaveLength(2);
  });

  it('reloads unchanged files on the signal and when run without onlyIfChanged', () => {
    process.emit('SIGHUP', 'SIGHUP');
    expect(trigger.run('asked', false)).toBe(true);
    expect(trigger.run('asked if changed', true)).toBe(true);
    expect(reasons).toEqual(['SIGHUP', 'asked']);
  });

  it('stops watching and listening when closed', async () => {
    const listeners = process.listenerCount('SIGHUP');
    trigger.close();
    expect(process.listenerCount('SIGHUP')).toBe(listeners - 1);
    replace('a.pem', 'a2');
    await sleep(SETTLE_MS);
    expect(reasons).toEqual([]);
  });
});

describe('digestFiles', () => {
  it('changes with a file content or its path, and counts a missing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'files-digest-'));
    try {
      const a = join(dir, 'a');
      writeFileSync(a, 'one');
      const first = digestFiles([a]);
      expect(digestFiles([a])).toBe(first);
      writeFileSync(a, 'two');
      expect(digestFiles([a])).not.toBe(first);
      expect(digestFiles([join(dir, 'b')])).not.toBe(digestFiles([join(dir, 'c')]));
      rmSync(a);
      expect(digestFiles([a])).not.toBe(first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
