import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROXY_PRESET_NAMES } from '../../packages/nest-mtls-auth/src/options/mtls-auth-options.js';
import { PROXY_PRESETS } from '../../packages/nest-mtls-auth/src/options/proxy-presets.js';

const doc = readFileSync(new URL('../../docs/behind-a-proxy.md', import.meta.url), 'utf8');

/** The rows of the table of proxies: `| proxy | preset | what it forwards | what to check |`. */
const rows = doc
  .split('\n')
  .map((line) => line.split('|').map((cell) => cell.trim()))
  .filter((cells) => cells.length === 6 && /^`[a-z0-9-]+`$/.test(cells[2] ?? ''));

describe('docs/behind-a-proxy.md, the table of proxies', () => {
  it('has one row per preset, in the order of MTLS_PROXY_PRESET', () => {
    expect(rows.map((cells) => cells[2]?.slice(1, -1))).toEqual([...PROXY_PRESET_NAMES]);
  });

  it.each(PROXY_PRESET_NAMES)('names the headers the %s preset reads', (name) => {
    const row = rows.find((cells) => cells[2] === `\`${name}\``)!;
    const forwards = (row[3] ?? '').toLowerCase();
    const preset = PROXY_PRESETS[name];
    for (const header of [
      preset.certificateHeader,
      preset.certificateChainHeader,
      preset.verifyHeader,
    ]) {
      if (header !== undefined) expect(forwards, `${name}: ${header}`).toContain(header);
    }
    for (const word of preset.verifySuccessValues ?? []) expect(row[3]).toContain(`\`${word}\``);
    expect(row[4], `${name}: what the backend must still check`).not.toBe('');
  });
});
