import { randomBytes } from 'node:crypto';

/** The size of one key, as Node's `ticketKeys` takes it: 16 bytes of name, HMAC key, AES key. */
export const TICKET_KEY_BYTES = 48;
/** More keys than this is a mistake (a file appended to forever), not a rotation. */
export const MAX_TICKET_KEYS = 16;
const PART = 16;

/** A ticket-keys file that cannot be used, with the line that says why. */
export class TicketKeysError extends Error {
  override readonly name = 'TicketKeysError';
}

/** What OpenSSL's ticket-key callback answers, in the array form Node's binding reads. */
export type TicketKeyAnswer =
  | [status: 1, hmac: Buffer, aes: Buffer, name: Buffer, iv: Buffer]
  | [status: 0 | 1 | 2, hmac: Buffer, aes: Buffer];

interface TicketKey {
  readonly name: Buffer;
  readonly hmac: Buffer;
  readonly aes: Buffer;
}

/**
 * The session-ticket keys that replicas share: the first key encrypts new tickets, every key
 * decrypts. A file holds one key per line, 48 bytes in base64 (`openssl rand -base64 48`) or hex;
 * blank lines and `#` comments are skipped. Rotation prepends a new key and drops the oldest, so a
 * ticket issued under the previous first key still resumes (and is renewed under the new one).
 */
export class TicketKeys {
  private constructor(private readonly keys: readonly TicketKey[]) {}

  /** @throws {TicketKeysError} naming the line that is not a 48-byte key, or a repeated key. */
  static parse(text: string): TicketKeys {
    const keys: TicketKey[] = [];
    const lines = text.split(/\r?\n/);
    for (const [index, raw] of lines.entries()) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const bytes = decodeKey(line);
      if (!bytes) {
        throw new TicketKeysError(
          `line ${index + 1} is not a ${TICKET_KEY_BYTES}-byte key in base64 or hex (make one with: openssl rand -base64 ${TICKET_KEY_BYTES})`,
        );
      }
      const key = {
        name: bytes.subarray(0, PART),
        hmac: bytes.subarray(PART, 2 * PART),
        aes: bytes.subarray(2 * PART),
      };
      if (keys.some((k) => k.name.equals(key.name))) {
        throw new TicketKeysError(`line ${index + 1} repeats a key already in the file`);
      }
      keys.push(key);
    }
    if (keys.length === 0) {
      throw new TicketKeysError(
        `holds no key (one per line: openssl rand -base64 ${TICKET_KEY_BYTES})`,
      );
    }
    if (keys.length > MAX_TICKET_KEYS) {
      throw new TicketKeysError(
        `holds ${keys.length} keys; keep at most ${MAX_TICKET_KEYS} (the newest first)`,
      );
    }
    return new TicketKeys(keys);
  }

  /** How many keys decrypt. */
  get size(): number {
    return this.keys.length;
  }

  /** The key that encrypts new tickets, in Node's `ticketKeys` layout (name, HMAC, AES). */
  get encryptionKey(): Buffer {
    const [first] = this.keys as [TicketKey];
    return Buffer.concat([first.name, first.hmac, first.aes]);
  }

  /**
   * OpenSSL's ticket-key callback: to encrypt, the first key and a fresh IV; to decrypt, the key
   * the ticket names (status 1, or 2 "renew" when it is not the first key), or status 0 (unknown:
   * a full handshake). Arrow-bound: Node calls it detached.
   */
  readonly answer = (name: Buffer, _iv: Buffer, encrypt: boolean): TicketKeyAnswer => {
    const [first] = this.keys as [TicketKey];
    if (encrypt) return [1, first.hmac, first.aes, first.name, randomBytes(PART)];
    const key = this.keys.find((k) => k.name.equals(name));
    if (!key) return [0, first.hmac, first.aes];
    return [key === first ? 1 : 2, key.hmac, key.aes];
  };
}

function decodeKey(text: string): Buffer | undefined {
  if (/^[0-9a-fA-F]{96}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/]{64}$/.test(text)) return Buffer.from(text, 'base64');
  return undefined;
}
