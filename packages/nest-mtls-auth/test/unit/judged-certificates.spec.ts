import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JudgedCertificates } from '../../src/records/judged-certificates.js';

const entry = (n: number) => ({ n });

describe('JudgedCertificates', () => {
  it('keys by certificate and verdict', () => {
    const judged = new JudgedCertificates<{ n: number }>(10);
    judged.set('AA:BB', 'OK', entry(1));
    judged.set('AA:BB', 'CERT_HAS_EXPIRED', entry(2));
    expect(judged.get('AA:BB', 'OK')).toEqual(entry(1));
    expect(judged.get('AA:BB', 'CERT_HAS_EXPIRED')).toEqual(entry(2));
    expect(judged.get('AA:BB', 'UNABLE_TO_GET_ISSUER_CERT')).toBeUndefined();
    expect(judged.get('AA:BC', 'OK')).toBeUndefined();
  });

  it('never holds more than max, and keeps what is used while others come and go', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 300 }),
        (max, certificates) => {
          const judged = new JudgedCertificates<{ n: number }>(max);
          for (const c of certificates) {
            // A reconnecting caller: looked up first, judged (set) only when not remembered.
            const known = judged.get(`cert-${c}`, 'OK');
            if (known) expect(known).toEqual(entry(c));
            else judged.set(`cert-${c}`, 'OK', entry(c));
            expect(judged.size).toBeLessThanOrEqual(max);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('forgets an entry only after at least max / 2 others were judged since its last use', () => {
    const max = 10;
    const judged = new JudgedCertificates<{ n: number }>(max);
    judged.set('hot', 'OK', entry(0));
    for (let i = 1; i <= 100; i++) {
      judged.set(`cold-${i}`, 'OK', entry(i));
      // Used every fourth new certificate: always remembered.
      if (i % 4 === 0) expect(judged.get('hot', 'OK'), `after ${i}`).toEqual(entry(0));
    }
    // Not used any more: gone after at most max others.
    for (let i = 101; i <= 100 + max; i++) judged.set(`cold-${i}`, 'OK', entry(i));
    expect(judged.get('hot', 'OK')).toBeUndefined();
    judged.clear();
    expect(judged.size).toBe(0);
    expect(judged.get(`cold-${100 + max}`, 'OK')).toBeUndefined();
  });
});
