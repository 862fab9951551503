import { X509Certificate } from 'node:crypto';
import { parsePemCertificates } from './pem.js';

/**
 * The X.509 CAs of one SPIFFE trust domain, read from its bundle: PEM certificates, or a SPIFFE
 * bundle in its JWK Set form (what SPIRE's `bundle show -format spiffe` and the SPIFFE bundle
 * endpoint serve), whose keys with `"use": "x509-svid"` each carry their CA certificate as the one
 * entry of `x5c`. Keys of other uses (`jwt-svid`) and unknown uses are skipped, as the
 * specification asks of consumers; `spiffe_sequence` and `spiffe_refresh_hint` are read by nobody
 * here (the file is watched instead).
 *
 * @throws {Error} saying what is wrong: not PEM nor JSON, no `keys`, an x509-svid key without
 *   exactly one certificate, a certificate that does not parse, no X.509 CA at all.
 * @see https://github.com/spiffe/spiffe/blob/main/standards/SPIFFE_Trust_Domain_and_Bundle.md (section 4)
 * @see RFC 7517 (JSON Web Key), section 4.7 (x5c)
 */
export function parseSpiffeBundle(content: string | Buffer): X509Certificate[] {
  const text = content.toString('utf8').trim();
  const cas = text.startsWith('{') ? fromJwks(text) : parsePemCertificates(text);
  if (cas.length === 0) {
    throw new Error(
      'holds no X.509 CA certificate: give PEM certificates or a SPIFFE bundle (JWKS) with keys of "use": "x509-svid"',
    );
  }
  return cas;
}

function fromJwks(text: string): X509Certificate[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new Error('starts with "{" but is not JSON (a SPIFFE bundle is a JWK Set)', { cause });
  }
  const keys = (json as { keys?: unknown }).keys;
  if (!Array.isArray(keys)) {
    throw new Error('is JSON without a "keys" array: a SPIFFE bundle is a JWK Set (RFC 7517)');
  }
  const cas: X509Certificate[] = [];
  keys.forEach((key: unknown, i) => {
    if (typeof key !== 'object' || key === null) throw new Error(`keys[${i}] is not an object`);
    const { use, x5c } = key as { use?: unknown; x5c?: unknown };
    if (use !== 'x509-svid') return;
    if (!Array.isArray(x5c) || x5c.length !== 1 || typeof x5c[0] !== 'string') {
      throw new Error(
        `keys[${i}] ("use": "x509-svid") must carry its CA certificate as the one entry of "x5c"`,
      );
    }
    const b64 = x5c[0];
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) {
      throw new Error(`keys[${i}].x5c[0] is not base64 (standard alphabet, as RFC 7517 4.7 says)`);
    }
    try {
      cas.push(new X509Certificate(Buffer.from(b64, 'base64')));
    } catch (cause) {
      throw new Error(`keys[${i}].x5c[0] is not a DER X.509 certificate`, { cause });
    }
  });
  return cas;
}
