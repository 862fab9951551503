import { describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import {
  createWorld,
  subjectAltName,
  nameConstraints,
  crlDistributionPoints,
  SeededRandom,
  type World,
  type ExtensionSpec,
} from '../../packages/nest-mtls-auth/test/support/forge/index.js';
import { clientAuth, doctorFor, leafUnder, opensslSays, hex } from '../support/attack-kit.js';

const world: World = createWorld(20261204);

interface Node {
  tag: number;
  cons: boolean;
  content?: Buffer;
  kids?: Node[];
  indef?: boolean;
  longLen?: boolean;
}
function parse(b: Buffer, at = 0): [Node, number] {
  const tag = b[at]!;
  let p = at + 1;
  let len = b[p++]!;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[p++]!;
  }
  const end = p + len;
  const cons = (tag & 0x20) !== 0;
  if (!cons) return [{ tag, cons, content: b.subarray(p, end) }, end];
  const kids: Node[] = [];
  let q = p;
  while (q < end) {
    const [k, e] = parse(b, q);
    kids.push(k);
    q = e;
  }
  return [{ tag, cons, kids }, end];
}
function ser(n: Node): Buffer {
  const body = n.cons ? Buffer.concat(n.kids!.map(ser)) : n.content!;
  if (n.indef) return Buffer.concat([Buffer.from([n.tag, 0x80]), body, Buffer.from([0, 0])]);
  let len: Buffer;
  if (n.longLen)
    len =
      body.length < 256
        ? Buffer.from([0x81, body.length])
        : Buffer.from([0x82, body.length >> 8, body.length & 0xff]);
  else if (body.length < 128) len = Buffer.from([body.length]);
  else if (body.length < 256) len = Buffer.from([0x81, body.length]);
  else len = Buffer.from([0x82, body.length >> 8, body.length & 0xff]);
  return Buffer.concat([Buffer.from([n.tag]), len, body]);
}
function all(n: Node, out: Node[] = []): Node[] {
  out.push(n);
  for (const k of n.kids ?? []) all(k, out);
  return out;
}

const MUTATIONS = [
  'longLen',
  'indef',
  'intPad',
  'empty',
  'junkChild',
  'constructedString',
  'tagFlip',
  'oid80',
  'oidHigh',
  'oddString',
  'bool02',
] as const;
function mutate(tree: Node, rng: SeededRandom): string | undefined {
  const nodes = all(tree);
  const kind = MUTATIONS[rng.int(0, MUTATIONS.length - 1)]!;
  const pick = (f: (n: Node) => boolean) => {
    const c = nodes.filter(f);
    return c.length ? c[rng.int(0, c.length - 1)] : undefined;
  };
  let n: Node | undefined;
  switch (kind) {
    case 'longLen':
      n = pick(() => true);
      if (n) n.longLen = true;
      break;
    case 'indef':
      n = pick((x) => x.cons);
      if (n) n.indef = true;
      break;
    case 'intPad':
      n = pick(
        (x) =>
          !x.cons &&
          (x.tag === 0x02 || x.tag === 0x82 || x.tag === 0x80) &&
          x.content!.length > 0 &&
          x.content![0]! < 0x80,
      );
      if (n) n.content = Buffer.concat([Buffer.from([0]), n.content!]);
      break;
    case 'empty':
      n = pick((x) => !x.cons);
      if (n) n.content = Buffer.alloc(0);
      break;
    case 'junkChild':
      n = pick((x) => x.cons);
      if (n) n.kids!.push({ tag: 0x05, cons: false, content: Buffer.alloc(0) });
      break;
    case 'constructedString':
      n = pick(
        (x) => !x.cons && x.tag !== 0x06 && x.tag !== 0x01 && x.tag !== 0x02 && x.tag !== 0x05,
      );
      if (n) {
        n.kids = [{ tag: n.tag & 0xc0 ? 0x04 : n.tag, cons: false, content: n.content! }];
        n.cons = true;
        n.tag |= 0x20;
      }
      break;
    case 'tagFlip':
      n = pick(() => true);
      if (n) n.tag ^= 0x01;
      break;
    case 'oid80':
      n = pick((x) => x.tag === 0x06 || x.tag === 0x88);
      if (n)
        n.content = Buffer.concat([
          n.content!.subarray(0, 1),
          Buffer.from([0x80]),
          n.content!.subarray(1),
        ]);
      break;
    case 'oidHigh':
      n = pick((x) => x.tag === 0x06 || x.tag === 0x88);
      if (n) n.content = Buffer.concat([n.content!, Buffer.from([0x81])]);
      break;
    case 'oddString':
      n = pick((x) => !x.cons && [0x0c, 0x13, 0x16, 0x1e, 0x1c, 0x14].includes(x.tag));
      if (n) n.content = Buffer.concat([n.content!, Buffer.from([0xff])]);
      break;
    case 'bool02':
      n = pick((x) => x.tag === 0x01);
      if (n) n.content = Buffer.from([0x01, 0x01]);
      break;
  }
  return n ? `${kind}@0x${n.tag.toString(16)}` : undefined;
}

/**
 * Mutations the generator (forge/cases.ts) does not draw: a plain leaf under root-ec whose one
 * extension value gets one structural mutation (non-minimal or indefinite length, padded INTEGER,
 * empty content, a stray element, a constructed string, a flipped tag, a malformed OID, a bad
 * string byte, a 2-byte BOOLEAN). The oracle is OpenSSL's verdict (a bare TLS server with the
 * service's options); the forwarded way's verdict (the doctor's code, as the service runs it) must
 * be the same. Seeded: MUTATION_SEED, MUTATION_CASES (`npm run fuzz:parity` does not drive it).
 * A disagreement prints one example of each class.
 */
describe('trust mutations', () => {
  it('a mutated extension value gets the handshake verdict on the forwarded way', async () => {
    const doctor = doctorFor(world.bundlePem);
    const rng = new SeededRandom(Number(process.env.MUTATION_SEED ?? 1));
    const exts: (() => ExtensionSpec)[] = [
      () => clientAuth()[0]!,
      () => clientAuth()[1]!,
      () => clientAuth()[2]!,
      () =>
        subjectAltName([
          { dns: 'a.good.example' },
          { uri: 'spiffe://example.test/x' },
          { email: 'a@good.example' },
          { ip: '10.1.2.3' },
          { directoryName: 'C=US, O=Good Corp, CN=x' },
          {
            otherName: {
              oid: '1.3.6.1.5.5.7.8.9',
              value: Buffer.concat([hex('0c0e'), Buffer.from('a@good.example')]),
            },
          },
          { registeredId: '1.2.3.4' },
        ]),
      () =>
        nameConstraints({
          permitted: [{ dns: '.good.example' }, { ip: '10.0.0.0/8' }],
          excluded: [{ email: 'a@b.example' }],
        }),
      () => crlDistributionPoints(['http://crl.example/x.crl']),
      () => ({ oid: '2.5.29.35', critical: false, value: hex('3016 8014' + '11'.repeat(20)) }),
      () => ({ oid: '2.16.840.1.113730.1.1', critical: false, value: hex('03020780') }),
    ];
    const seen = new Map<string, string>();
    const N = Number(process.env.MUTATION_CASES ?? 300);
    for (let i = 0; i < N; i++) {
      const which = rng.int(0, exts.length - 1);
      const base = exts[which]!();
      const [tree] = parse(Buffer.from(base.value));
      const m = mutate(tree, rng);
      if (!m) continue;
      const value = ser(tree);
      const mutated = { ...base, value };
      const list = clientAuth();
      const extensions =
        which <= 2 ? list.map((e, j) => (j === which ? mutated : e)) : [...list, mutated];
      const leaf = leafUnder(world, 'root-ec', {
        extensions,
        subject: 'C=US, O=Good Corp, CN=billing-service',
      });
      let ts = 'unreadable';
      try {
        ts = (await doctor.explain(new X509Certificate(leaf.leafPem), [])).verdicts.forwarded;
      } catch (e) {
        ts = `threw ${(e as Error).message}`;
      }
      const os = await opensslSays(world, world.bundlePem, { ...leaf, sentPems: [] });
      const osOk = os === 'OK';
      // The policy's own refusals (no clientAuth) come after trust: they count as trusted here.
      const tsOk = ts === 'accepted' || ts === 'MTLS_CERT_INVALID_USAGE';
      if (osOk !== tsOk && !(ts === 'MTLS_CERT_INVALID_USAGE' && !osOk)) {
        const key = `${base.oid} ${m.split('@')[0]} openssl=${osOk ? 'OK' : 'refuse'} ts=${ts}`;
        if (!seen.has(key)) seen.set(key, `${m} value=${value.toString('hex')} openssl=${os}`);
      }
    }
    const report = [...seen.entries()].map(([k, v]) => `${k}\n    ${v}`);
    console.log(report.join('\n'));
    expect(report.filter((r) => r.includes('openssl=refuse') && r.includes('ts=accepted'))).toEqual(
      [],
    );
    expect(report).toEqual([]);
  }, 600_000);
});
