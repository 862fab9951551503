import * as asn1 from '@peculiar/asn1-x509';
import { describe, expect, it } from 'vitest';
import * as oids from '../../src/x509/oids.js';

describe('x509/oids.ts', () => {
  it('gives every OID @peculiar/asn1-x509 names its value there', () => {
    const library = asn1 as unknown as Record<string, unknown>;
    const shared = Object.entries(oids).filter(([name]) => name in library);
    expect(shared.length).toBeGreaterThanOrEqual(27);
    for (const [name, value] of shared) expect(value, name).toBe(library[name]);
  });
});
