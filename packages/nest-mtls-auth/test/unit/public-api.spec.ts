import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';

const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');

describe('the public API', () => {
  it("is exactly the README's table, at most 25 runtime exports", () => {
    const section = readme.slice(readme.indexOf('## Public API'), readme.indexOf('## Testing'));
    const documented = [...section.matchAll(/^\| `(\w+)`\s*\|/gm)].map((m) => m[1]).sort();
    const exported = Object.keys(api).sort();
    expect(documented).toEqual(exported);
    expect(exported.length).toBeLessThanOrEqual(25);
  });
});
