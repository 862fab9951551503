import { randomBytes, X509Certificate } from 'node:crypto';
import { signatureAlgorithm, signWith, type SignatureChoice } from './algorithms.js';
import { bitStringBytes, context, integer, sequence, TAG, tlv } from './der.js';
import {
  authorityKeyIdentifier,
  encodeExtension,
  subjectKeyIdentifier,
  type AuthorityKeyIdentifierSpec,
  type ExtensionSpec,
} from './extensions.js';
import type { ForgeKey } from './keys.js';
import { encodeName, type NameInput } from './names.js';
import { encodeTime, type TimeSpec } from './time.js';

/** A certificate as bytes, PEM, and Node's parse of it. */
export interface ForgedCertificate {
  readonly der: Buffer;
  readonly pem: string;
  /** `new X509Certificate(der)`, or undefined when Node refuses to parse it. */
  readonly x509: X509Certificate | undefined;
  /** The subject Name exactly as written: children copy it as their issuer Name. */
  readonly subjectName: Buffer;
  /** The issuer Name exactly as written. */
  readonly issuerName: Buffer;
  /** The serial number's content octets as written. */
  readonly serial: Buffer;
  /** The subjectKeyIdentifier written, if any: children's default authorityKeyIdentifier. */
  readonly subjectKeyId: Buffer | undefined;
}

/** Who signs: the issuer's certificate (for its Name and key identifier) and its key. */
export interface Issuer {
  readonly certificate: ForgedCertificate;
  readonly key: ForgeKey;
}

/** Everything about one certificate; only `subject`, `subjectKey` and validity are required. */
export interface CertificateSpec {
  /** 1, 2 or 3 (default 3). Only v3 gets the default key identifiers; v1 has no version field. */
  readonly version?: 1 | 2 | 3;
  /**
   * The serial: a bigint (encoded minimally, may be 0 or negative) or content octets verbatim
   * (non-minimal, over 20 bytes). Default: 16 random bytes, positive.
   */
  readonly serial?: bigint | Uint8Array;
  readonly subject: NameInput;
  /** The key certified (its SubjectPublicKeyInfo goes in). */
  readonly subjectKey: ForgeKey;
  /** The issuer; absent for a self-signed certificate (issuer Name = subject, signed by subjectKey). */
  readonly issuer?: Issuer;
  /**
   * The issuer Name written, when it must differ from a byte copy of the issuer's subject (another
   * string type, letter case or spacing: OpenSSL compares Names canonically, bytes need not match).
   */
  readonly issuerName?: NameInput;
  readonly notBefore: TimeSpec;
  readonly notAfter: TimeSpec;
  /** Digest and PSS for the signature (default SHA-256, PKCS#1 v1.5 for RSA). */
  readonly signature?: SignatureChoice;
  /** Signs with this key instead of the issuer's: a forged link (the Names still chain). */
  readonly signingKey?: ForgeKey;
  /** The AlgorithmIdentifier inside the TBS, DER, instead of the one matching the signer. */
  readonly innerAlgorithm?: Uint8Array;
  /** The AlgorithmIdentifier outside the TBS, DER, instead of the one matching the signer. */
  readonly outerAlgorithm?: Uint8Array;
  /** subjectKeyIdentifier: default the key's SHA-1 key identifier (v3); bytes to override; false for none. */
  readonly subjectKeyIdentifier?: Uint8Array | false;
  /**
   * authorityKeyIdentifier: default `{ keyId: issuer's subjectKeyId }` (v3, when the issuer has
   * one, or its key's identifier when self-signed); a spec to override; false for none.
   */
  readonly authorityKeyIdentifier?: AuthorityKeyIdentifierSpec | false;
  /** Further extensions, written after SKI and AKI in this order (duplicates are kept). */
  readonly extensions?: readonly ExtensionSpec[];
}

function pemOf(der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END CERTIFICATE-----\n`;
}

function parse(der: Buffer): X509Certificate | undefined {
  try {
    return new X509Certificate(der);
  } catch {
    return undefined;
  }
}

/** A positive serial of `n` random bytes (top bit cleared, never all zero). */
export function randomSerial(n = 16): Buffer {
  const bytes = randomBytes(n);
  bytes[0] = ((bytes[0] as number) & 0x7f) | 0x01;
  return bytes;
}

/**
 * Builds and signs a certificate byte by byte from `spec`, so that every field can be set,
 * including encodings DER forbids. Throws only when the key cannot sign with the chosen digest.
 */
export function forgeCertificate(spec: CertificateSpec): ForgedCertificate {
  const version = spec.version ?? 3;
  const subjectName = encodeName(spec.subject);
  const selfSigned = spec.issuer === undefined;
  const issuerName =
    spec.issuerName !== undefined
      ? encodeName(spec.issuerName)
      : (spec.issuer?.certificate.subjectName ?? subjectName);
  const signer = spec.signingKey ?? spec.issuer?.key ?? spec.subjectKey;
  const choice = spec.signature ?? {};
  const algorithm = signatureAlgorithm(signer, choice);
  const serial =
    spec.serial === undefined
      ? randomSerial()
      : spec.serial instanceof Uint8Array
        ? Buffer.from(spec.serial)
        : integer(spec.serial).subarray(2);

  const extensions: ExtensionSpec[] = [];
  let subjectKeyId: Buffer | undefined;
  if (version === 3) {
    if (spec.subjectKeyIdentifier !== false) {
      subjectKeyId = Buffer.from(spec.subjectKeyIdentifier ?? spec.subjectKey.keyId);
      extensions.push(subjectKeyIdentifier(subjectKeyId));
    }
    if (spec.authorityKeyIdentifier !== false) {
      const keyId = selfSigned
        ? (subjectKeyId ?? spec.subjectKey.keyId)
        : spec.issuer?.certificate.subjectKeyId;
      const aki = spec.authorityKeyIdentifier ?? (keyId ? { keyId } : undefined);
      if (aki) extensions.push(authorityKeyIdentifier(aki));
    }
  }
  extensions.push(...(spec.extensions ?? []));

  const tbsParts: Buffer[] = [];
  if (version !== 1) tbsParts.push(tlv(context(0, true), integer(version - 1)));
  tbsParts.push(
    tlv(TAG.integer, serial),
    Buffer.from(spec.innerAlgorithm ?? algorithm),
    issuerName,
    sequence(encodeTime(spec.notBefore), encodeTime(spec.notAfter)),
    subjectName,
    spec.subjectKey.spki,
  );
  if (extensions.length > 0) {
    tbsParts.push(tlv(context(3, true), sequence(...extensions.map(encodeExtension))));
  }
  const tbs = sequence(...tbsParts);
  const signature = signWith(signer, tbs, choice);
  const der = sequence(
    tbs,
    Buffer.from(spec.outerAlgorithm ?? algorithm),
    bitStringBytes(signature),
  );
  return {
    der,
    pem: pemOf(der),
    x509: parse(der),
    subjectName,
    issuerName,
    serial,
    subjectKeyId,
  };
}
