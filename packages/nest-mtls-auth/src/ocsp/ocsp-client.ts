import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** Answers larger than this are refused (a real one is a few KiB). */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * POSTs a DER OCSP request and resolves with the DER answer, or rejects (timeout, HTTP error,
 * oversized answer). One connection per query, closed after it: OCSP responders, `openssl ocsp`
 * among them, commonly answer one request per connection, and answers are cached anyway.
 *
 * @see RFC 6960 appendix A.1
 */
export function postOcspRequest(url: string, body: Buffer, timeoutMs: number): Promise<Uint8Array> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: 'POST',
        agent: false,
        timeout: timeoutMs,
        headers: {
          'content-type': 'application/ocsp-request',
          'content-length': body.length,
          connection: 'close',
        },
      },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`OCSP responder ${url} answered ${res.statusCode}`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_RESPONSE_BYTES)
            req.destroy(new Error(`OCSP answer from ${url} is too large`));
          else chunks.push(c);
        });
        res.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`OCSP responder ${url} did not answer in ${timeoutMs} ms`)),
    );
    req.on('error', reject);
    req.end(body);
  });
}
