import {
  createHash,
  generateKeyPair,
  generateKeyPairSync,
  type KeyObject,
  type KeyPairKeyObjectResult,
} from 'node:crypto';
import { readChildren, readElement } from './der.js';

/** Every key type the forge certifies or signs with. */
export const KEY_KINDS = [
  'rsa-512',
  'rsa-1024',
  'rsa-2048',
  'rsa-3072',
  'rsa-4096',
  'p-256',
  'p-384',
  'p-521',
  'secp256k1',
  'secp224r1',
  'ed25519',
  'ed448',
] as const;
export type KeyKind = (typeof KEY_KINDS)[number];

/** The signature family a key kind signs with. */
export type KeyFamily = 'rsa' | 'ec' | 'ed25519' | 'ed448';

export function keyFamily(kind: KeyKind): KeyFamily {
  if (kind.startsWith('rsa-')) return 'rsa';
  if (kind === 'ed25519' || kind === 'ed448') return kind;
  return 'ec';
}

/** A key pair with what certificates need from it. */
export interface ForgeKey {
  readonly kind: KeyKind;
  /** Which of the pool's keys of this kind (0-based); keys with equal kind and slot are one key. */
  readonly slot: number;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** SubjectPublicKeyInfo, DER. */
  readonly spki: Buffer;
  /** RFC 5280 method 1: SHA-1 of the subjectPublicKey BIT STRING's bits. */
  readonly keyId: Buffer;
  /** The private key as PKCS#8 PEM, for a TLS client (never written to the repository). */
  readonly privatePem: string;
}

const CURVES: Partial<Record<KeyKind, string>> = {
  'p-256': 'prime256v1',
  'p-384': 'secp384r1',
  'p-521': 'secp521r1',
  secp256k1: 'secp256k1',
  secp224r1: 'secp224r1',
};

function generateNow(kind: KeyKind): KeyPairKeyObjectResult {
  const curve = CURVES[kind];
  if (kind.startsWith('rsa-')) {
    return generateKeyPairSync('rsa', { modulusLength: Number(kind.slice(4)) });
  }
  if (curve) return generateKeyPairSync('ec', { namedCurve: curve });
  return kind === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ed448');
}

function generateLater(kind: KeyKind): Promise<KeyPairKeyObjectResult> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, publicKey: KeyObject, privateKey: KeyObject): void => {
      if (err) reject(err);
      else resolve({ publicKey, privateKey });
    };
    const curve = CURVES[kind];
    if (kind.startsWith('rsa-')) {
      generateKeyPair('rsa', { modulusLength: Number(kind.slice(4)) }, done);
    } else if (curve) generateKeyPair('ec', { namedCurve: curve }, done);
    else if (kind === 'ed25519') generateKeyPair('ed25519', undefined, done);
    else generateKeyPair('ed448', undefined, done);
  });
}

/** The bits of a SubjectPublicKeyInfo's subjectPublicKey, without the unused-bits octet. */
export function publicKeyBits(spki: Uint8Array): Buffer {
  const [, bits] = readChildren(readElement(spki));
  if (!bits) throw new Error('SubjectPublicKeyInfo without a key');
  return bits.content.subarray(1);
}

/** RFC 5280 method 1 key identifier (SHA-1 of the public key bits). */
export function keyIdentifier(spki: Uint8Array): Buffer {
  return createHash('sha1').update(publicKeyBits(spki)).digest();
}

/**
 * `pair` as a ForgeKey in `slot`. Any key type Node makes (its `kind` only says how the forge
 * signs with it): the pool's keys, and the attack kit's own.
 */
export function toForgeKey(
  kind: KeyKind,
  slot: number,
  pair: Pick<KeyPairKeyObjectResult, 'publicKey' | 'privateKey'>,
): ForgeKey {
  const spki = pair.publicKey.export({ type: 'spki', format: 'der' });
  let pem: string | undefined;
  return {
    kind,
    slot,
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    spki,
    keyId: keyIdentifier(spki),
    // Exported on first use: most keys in a run never go to a TLS client.
    get privatePem(): string {
      pem ??= pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
      return pem;
    },
  };
}

/**
 * Keys made on first use and kept: `perKind` keys per kind (2 by default), so thousands of
 * certificates share a few keys (an RSA-4096 key takes about a second to make). The slot picks
 * one of them; two CAs that must differ in key (a rogue root, a twin) take different slots.
 */
export class KeyPool {
  private readonly keys = new Map<string, ForgeKey>();
  private readonly pending = new Map<string, Promise<ForgeKey>>();

  constructor(readonly perKind = 2) {
    if (perKind < 1) throw new Error('a key pool holds at least one key per kind');
  }

  /** The key `slot % perKind` of `kind`, made now (synchronously) if it is not made yet. */
  get(kind: KeyKind, slot = 0): ForgeKey {
    const s = slot % this.perKind;
    const id = `${kind}#${s}`;
    let key = this.keys.get(id);
    if (!key) {
      key = toForgeKey(kind, s, generateNow(kind));
      this.keys.set(id, key);
    }
    return key;
  }

  /**
   * Makes the keys of `kinds` (every slot) in the background thread pool, in parallel, so a test
   * can start them before it needs them; `get` then finds them made.
   */
  async warm(kinds: readonly KeyKind[]): Promise<void> {
    const jobs: Promise<ForgeKey>[] = [];
    for (const kind of kinds) {
      for (let s = 0; s < this.perKind; s++) {
        const id = `${kind}#${s}`;
        if (this.keys.has(id)) continue;
        let job = this.pending.get(id);
        if (!job) {
          job = generateLater(kind).then((pair) => {
            // A synchronous get() may have made this slot meanwhile; keep the first key.
            const made = this.keys.get(id) ?? toForgeKey(kind, s, pair);
            this.keys.set(id, made);
            this.pending.delete(id);
            return made;
          });
          this.pending.set(id, job);
        }
        jobs.push(job);
      }
    }
    await Promise.all(jobs);
  }

  /** How many keys are made (for tests of the pool). */
  get size(): number {
    return this.keys.size;
  }
}

/** One pool per process, shared by worlds and cases unless they are given their own. */
export const sharedKeyPool = new KeyPool(2);
