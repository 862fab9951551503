import { createHash, X509Certificate } from 'node:crypto';
import { derElementLength } from '../x509/der/der.js';
import { parseXfcc, xfccValue, type XfccElement } from './xfcc.js';

/** Header formats a proxy may forward a client certificate in. */
export type ForwardedCertificateFormat =
  'url-pem' | 'pem' | 'base64-der' | 'hex-der' | 'xfcc' | 'rfc9440';

/** A header longer than this is refused unread (a certificate chain fits in far less). */
export const MAX_FORWARDED_HEADER_LENGTH = 8192;

/** The decoded certificate, or why the header is not one. */
export type DecodedCertificate =
  | { readonly ok: true; readonly certificate: X509Certificate }
  | { readonly ok: false; readonly reason: string };

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const HEX = /^(?:[0-9a-fA-F]{2})+$/;

/**
 * Decodes a forwarded client certificate header. Every proxy's format is one of:
 * - `url-pem`: nginx `$ssl_client_escaped_cert`, AWS ALB `X-Amzn-Mtls-Clientcert` (URL-encoded PEM);
 * - `pem`: PEM, its line breaks turned into spaces or tabs;
 * - `base64-der`: Azure `X-ARR-ClientCert`, ASP.NET `X-Client-Cert`, Traefik `X-Forwarded-Tls-Client-Cert`;
 * - `hex-der`: .NET `GetRawCertDataString()`;
 * - `xfcc`: Envoy `x-forwarded-client-cert`, the `Cert=` of the last element (the nearest proxy's),
 *   whose `Hash=`, when present, must be the certificate's SHA-256 (hex, any case);
 * - `rfc9440`: `Client-Cert: :<base64 DER>:`.
 *
 * The result must be exactly one certificate: more than one, none, a private key, or trailing
 * bytes are refused. Never throws.
 *
 * @param format `auto` detects it from the value.
 * @see RFC 9440
 */
export function decodeForwardedCertificate(
  value: string,
  format: ForwardedCertificateFormat | 'auto' = 'auto',
): DecodedCertificate {
  try {
    if (value.length > MAX_FORWARDED_HEADER_LENGTH) return fail('header too long');
    const text = value.trim();
    if (text === '') return fail('empty');
    const chosen = format === 'auto' ? detectFormat(text) : format;
    if (!chosen) return fail('unknown format');
    return fromDer(derOf(text, chosen));
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
  if (BASE64.test(text.replace(/%2B/gi, '+').replace(/%2F/gi, '/').replace(/%3D/gi, '=')))
    return 'base64-der';
  return undefined;
}

function derOf(text: string, format: ForwardedCertificateFormat): Buffer {
  switch (format) {
    case 'url-pem':
      return pemToDer(decodeURIComponent(text));
    case 'pem':
      return pemToDer(text);
    case 'base64-der':
      return base64ToDer(decodeURIComponent(text));
    case 'hex-der':
      if (!HEX.test(text)) throw new Error('not hex');
      return Buffer.from(text, 'hex');
    case 'rfc9440':
      return base64ToDer(text.slice(1, -1));
    case 'xfcc': {
      const elements = parseXfcc(text);
      const element = elements[elements.length - 1] ?? [];
      const cert = xfccValue(element, 'Cert');
      if (cert === undefined || cert === '') throw new Error('XFCC element without Cert');
      const der = pemToDer(decodeURIComponent(cert));
      checkXfccHash(element, der);
      return der;
    }
  }
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

function pemToDer(pem: string): Buffer {
  const blocks = [...pem.matchAll(PEM_BLOCK)];
  if (blocks.length !== 1)
    throw new Error(blocks.length === 0 ? 'no PEM block' : 'more than one PEM block');
  const [whole, label, body] = blocks[0] as RegExpMatchArray;
  if (label !== 'CERTIFICATE')
    throw new Error(`PEM block is a ${label?.includes('KEY') ? 'key' : 'not a certificate'}`);
  if (pem.replace(whole, '').trim() !== '') throw new Error('text outside the PEM block');
  return base64ToDer((body ?? '').replace(/\s+/g, ''));
}

function base64ToDer(b64: string): Buffer {
  const compact = b64.replace(/\s+/g, '');
  if (!BASE64.test(compact) || compact.length % 4 === 1) throw new Error('not base64');
  return Buffer.from(compact, 'base64');
}

function fromDer(der: Buffer): DecodedCertificate {
  if (der.length < 64) return fail('too short for a certificate');
  // The outer SEQUENCE must span the whole input: anything after it (a second certificate,
  // a key, junk) makes the header ambiguous.
  if (der[0] !== 0x30 || derElementLength(der) !== der.length)
    return fail('not exactly one DER certificate');
  return { ok: true, certificate: new X509Certificate(der) };
}

function fail(reason: string): DecodedCertificate {
  return { ok: false, reason };
}
