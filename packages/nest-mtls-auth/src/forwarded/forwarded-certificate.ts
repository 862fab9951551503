import { createHash, X509Certificate } from 'node:crypto';
import { derElementLength } from '../x509/der/der.js';
import { parseXfcc, xfccValue, type XfccElement } from './xfcc.js';

/** Header formats a proxy may forward a client certificate in. */
export type ForwardedCertificateFormat =
  'url-pem' | 'pem' | 'base64-der' | 'hex-der' | 'xfcc' | 'rfc9440';

/**
 * A forwarded header longer than this is refused unread: Node's own limit for all the headers of
 * a request together (`--max-http-header-size`, 16 KiB), which a leaf and a few intermediates fit
 * in even as Envoy's XFCC writes them (the leaf twice, URL-encoded PEM).
 */
export const MAX_FORWARDED_HEADER_LENGTH = 16_384;

/**
 * Most certificates a proxy may forward beside the leaf (its chain, from every header together):
 * real chains have one to three intermediates, and each one forwarded is parsed once per header
 * value. A longer chain is refused (`MTLS_CERT_MALFORMED`), never truncated.
 */
export const MAX_FORWARDED_CHAIN = 10;

/** The decoded certificate and its forwarded chain, or why the headers are not that. */
export type DecodedCertificate =
  | {
      readonly ok: true;
      readonly certificate: X509Certificate;
      /**
       * The certificates forwarded with it, in the order sent, leaf excluded: untrusted hints for
       * building its path, exactly as the certificates a client sends in a handshake.
       */
      readonly chain: readonly X509Certificate[];
    }
  | { readonly ok: false; readonly reason: string };

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64_LIST = /^[A-Za-z0-9+/]+={0,2}(?:[ \t]*,[ \t]*[A-Za-z0-9+/]+={0,2})*$/;
const HEX = /^(?:[0-9a-fA-F]{2})+$/;

/** DER certificates as found in the headers: the leaf, then the chain as sent. */
interface DerCertificates {
  readonly leaf: Buffer;
  readonly chain: Buffer[];
}

/**
 * Decodes a forwarded client certificate header, and the chain a proxy forwards with it. Every
 * proxy's format is one of:
 * - `url-pem`: nginx `$ssl_client_escaped_cert`, AWS ALB `X-Amzn-Mtls-Clientcert-Leaf`, Kong,
 *   CloudFront (URL-encoded PEM); several PEM blocks are the leaf then its chain (ALB passthrough
 *   `X-Amzn-Mtls-Clientcert`);
 * - `pem`: PEM, its line breaks turned into spaces or tabs, likewise;
 * - `base64-der`: Azure `X-ARR-ClientCert`, Caddy, HAProxy `ssl_c_der,base64`; a comma-separated
 *   list is the leaf then its chain (Traefik `X-Forwarded-Tls-Client-Cert`, every certificate
 *   the client sent);
 * - `hex-der`: .NET `GetRawCertDataString()`;
 * - `xfcc`: Envoy `x-forwarded-client-cert`, the last element (the nearest proxy's): its `Cert=`
 *   and `Chain=` (the whole chain, leaf first; without `Cert=` its first certificate is the
 *   leaf), whose `Hash=`, when present, must be the leaf's SHA-256 (hex, any case);
 * - `rfc9440`: `Client-Cert: :<base64 DER>:`.
 *
 * `chainValue` is the separate chain header's value (RFC 9440 `Client-Cert-Chain`, HAProxy
 * `ssl_c_chain_der,base64`), read in whichever of those forms it is: an RFC 8941 list of byte
 * sequences, PEM or URL-encoded PEM blocks, or base64 items (each may hold several DER
 * certificates back to back).
 *
 * Each item must be exactly one certificate (or, in the chain header, whole certificates):
 * none, a private key, text outside PEM blocks or trailing bytes are refused, as is a chain of
 * more than {@link MAX_FORWARDED_CHAIN} certificates or a header over
 * {@link MAX_FORWARDED_HEADER_LENGTH} characters. Never throws.
 *
 * @param format `auto` detects it from the value.
 * @see RFC 9440
 */
export function decodeForwardedCertificate(
  value: string,
  format: ForwardedCertificateFormat | 'auto' = 'auto',
  chainValue?: string,
): DecodedCertificate {
  try {
    if (value.length > MAX_FORWARDED_HEADER_LENGTH) return fail('header too long');
    if (chainValue !== undefined && chainValue.length > MAX_FORWARDED_HEADER_LENGTH) {
      return fail('chain header too long');
    }
    const text = value.trim();
    if (text === '') return fail('empty');
    const chosen = format === 'auto' ? detectFormat(text) : format;
    if (!chosen) return fail('unknown format');
    const { leaf, chain } = derOf(text, chosen);
    const extra = chainValue?.trim() ? chainDers(chainValue.trim()) : [];
    if (chain.length + extra.length > MAX_FORWARDED_CHAIN) {
      return fail(`more than ${MAX_FORWARDED_CHAIN} chain certificates`);
    }
    const certificate = fromDer(leaf);
    return { ok: true, certificate, chain: [...chain, ...extra].map(fromDer) };
  } catch (error) {
    return fail((error as Error).message);
  }
}

/** Guesses the format of a header value; `undefined` when it looks like none of them. */
export function detectFormat(text: string): ForwardedCertificateFormat | undefined {
  if (/^-{5}BEGIN%20|^%2D%2D%2D%2D%2DBEGIN/i.test(text)) return 'url-pem';
  if (text.startsWith('-----BEGIN')) return 'pem';
  if (text.length > 2 && text.startsWith(':') && text.endsWith(':')) return 'rfc9440';
  if (/(^|[;,]\s*)(Cert|Hash|By|Subject|URI|DNS|Chain)=/i.test(text)) return 'xfcc';
  if (HEX.test(text)) return 'hex-der';
  if (BASE64_LIST.test(unescapeBase64(text))) return 'base64-der';
  return undefined;
}

/** Traefik 2.8 to 2.9.1 URL-escaped its value: `+`, `/`, `=` and the `,` between certificates. */
function unescapeBase64(text: string): string {
  return text.includes('%')
    ? text.replace(/%2B/gi, '+').replace(/%2F/gi, '/').replace(/%3D/gi, '=').replace(/%2C/gi, ',')
    : text;
}

function derOf(text: string, format: ForwardedCertificateFormat): DerCertificates {
  switch (format) {
    case 'url-pem':
      return leafFirst(pemToDers(decodeURIComponent(text)));
    case 'pem':
      return leafFirst(pemToDers(text));
    case 'base64-der':
      return leafFirst(
        decodeURIComponent(unescapeBase64(text))
          .split(',')
          .map((item) => base64ToDer(item)),
      );
    case 'hex-der':
      if (!HEX.test(text)) throw new Error('not hex');
      return { leaf: Buffer.from(text, 'hex'), chain: [] };
    case 'rfc9440':
      return { leaf: byteSequence(text), chain: [] };
    case 'xfcc':
      return xfccDers(text);
  }
}

function leafFirst(ders: Buffer[]): DerCertificates {
  const [leaf, ...chain] = ders;
  if (!leaf) throw new Error('no certificate');
  return { leaf, chain };
}

/**
 * The last XFCC element's certificate: `Cert=`, and `Chain=` (leaf first). An element whose
 * `Chain=` does not start with its `Cert=`, or whose `Hash=` is not its leaf's, was not written by
 * one proxy about one client (a spliced or tampered header), and is refused.
 */
function xfccDers(text: string): DerCertificates {
  const elements = parseXfcc(text);
  const element = elements[elements.length - 1] ?? [];
  const cert = xfccValue(element, 'Cert');
  const chainText = xfccValue(element, 'Chain');
  const chain = chainText ? pemToDers(decodeURIComponent(chainText)) : [];
  let leaf: Buffer;
  if (cert !== undefined && cert !== '') {
    const certs = pemToDers(decodeURIComponent(cert));
    if (certs.length !== 1) throw new Error('XFCC Cert is not one certificate');
    leaf = certs[0] as Buffer;
    if (chain.length > 0 && !leaf.equals(chain[0] as Buffer)) {
      throw new Error('XFCC Chain does not start with its Cert');
    }
  } else if (chain.length > 0) {
    leaf = chain[0] as Buffer;
  } else {
    throw new Error('XFCC element without Cert or Chain');
  }
  checkXfccHash(element, leaf);
  return { leaf, chain: chain.slice(1) };
}

/**
 * Envoy puts the hex SHA-256 of the certificate's DER in `Hash=` beside `Cert=`: an element whose
 * Hash is not its Cert's was not written by one proxy about one certificate (a spliced or
 * tampered header), so it is refused rather than trusted for either half.
 *
 * @see https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_conn_man/headers#x-forwarded-client-cert
 */
function checkXfccHash(element: XfccElement, der: Buffer): void {
  let digest: string | undefined;
  for (const [key, value] of element) {
    if (key.toLowerCase() !== 'hash') continue;
    digest ??= createHash('sha256').update(der).digest('hex');
    if (value.toLowerCase() !== digest) throw new Error('XFCC Hash is not the SHA-256 of its Cert');
  }
}

/** The separate chain header, in any of its forms (see {@link decodeForwardedCertificate}). */
function chainDers(text: string): Buffer[] {
  if (text.startsWith(':')) {
    // RFC 8941 list of byte sequences: `:b64:, :b64:` (RFC 9440 section 2.3).
    return text.split(',').map((item) => byteSequence(item.trim()));
  }
  if (/^%2D%2D%2D%2D%2DBEGIN|^-{5}BEGIN%20/i.test(text)) return pemToDers(decodeURIComponent(text));
  if (text.startsWith('-----BEGIN')) return pemToDers(text);
  const items = unescapeBase64(text).split(',');
  return items.flatMap((item) => splitDers(base64ToDer(item)));
}

/** An RFC 8941 byte sequence, `:<base64>:`, as RFC 9440 writes a certificate. */
function byteSequence(item: string): Buffer {
  if (item.length < 3 || !item.startsWith(':') || !item.endsWith(':')) {
    throw new Error('not an RFC 8941 byte sequence (:base64:)');
  }
  return base64ToDer(item.slice(1, -1));
}

/** Every PEM block of `pem`, each a CERTIFICATE, with nothing but whitespace between them. */
function pemToDers(pem: string): Buffer[] {
  const blocks = [...pem.matchAll(PEM_BLOCK)];
  if (blocks.length === 0) throw new Error('no PEM block');
  let outside = pem;
  const ders = blocks.map(([whole, label, body]) => {
    if (label !== 'CERTIFICATE') {
      throw new Error(`PEM block is a ${label?.includes('KEY') ? 'key' : 'not a certificate'}`);
    }
    outside = outside.replace(whole, '');
    return base64ToDer((body ?? '').replace(/\s+/g, ''));
  });
  if (outside.trim() !== '') throw new Error('text outside the PEM blocks');
  return ders;
}

function base64ToDer(b64: string): Buffer {
  const compact = b64.replace(/\s+/g, '');
  if (!BASE64.test(compact) || compact.length % 4 === 1) throw new Error('not base64');
  return Buffer.from(compact, 'base64');
}

/** DER certificates written back to back (HAProxy's `ssl_c_chain_der`), each a whole SEQUENCE. */
function splitDers(der: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  while (at < der.length) {
    const rest = der.subarray(at);
    const length = rest[0] === 0x30 ? derElementLength(rest) : undefined;
    if (length === undefined || length <= 0 || length > rest.length) {
      throw new Error('not whole DER certificates');
    }
    out.push(rest.subarray(0, length));
    at += length;
    if (out.length > MAX_FORWARDED_CHAIN) {
      throw new Error(`more than ${MAX_FORWARDED_CHAIN} chain certificates`);
    }
  }
  return out;
}

/** Exactly one DER certificate. @throws {Error} otherwise. */
function fromDer(der: Buffer): X509Certificate {
  if (der.length < 64) throw new Error('too short for a certificate');
  // The outer SEQUENCE must span the whole input: anything after it (a second certificate,
  // a key, junk) makes the item ambiguous.
  if (der[0] !== 0x30 || derElementLength(der) !== der.length) {
    throw new Error('not exactly one DER certificate');
  }
  return new X509Certificate(der);
}

function fail(reason: string): DecodedCertificate {
  return { ok: false, reason };
}
