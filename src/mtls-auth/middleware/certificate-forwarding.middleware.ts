import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import { ClientCertAuthenticator } from '../client-cert.authenticator.js';

/**
 * Runs before the guards on every request when forwarding is on (`trustedProxies` set). A
 * certificate header is public data anyone can copy, so from a peer that is not a trusted proxy
 * the forwarding headers are removed (nothing downstream can read them by mistake) and the attempt
 * is logged. From a trusted proxy they stay; the authenticator decodes and validates them.
 *
 * Nest hands middleware the Node request on both adapters.
 */
@Injectable()
export class CertificateForwardingMiddleware implements NestMiddleware<
  IncomingMessage,
  ServerResponse
> {
  private readonly logger = new Logger('MtlsAuth');
  private readonly headers: readonly string[];

  constructor(private readonly authenticator: ClientCertAuthenticator) {
    this.headers = authenticator.forwardedHeaders;
  }

  use(req: IncomingMessage, _res: ServerResponse, next: (error?: unknown) => void): void {
    if (!this.authenticator.isTrustedProxy(req.socket)) this.strip(req);
    next();
  }

  private strip(req: IncomingMessage): void {
    let present: string[] | undefined;
    for (const h of this.headers) if (req.headers[h] !== undefined) (present ??= []).push(h);
    if (present === undefined) return;
    for (const h of present) delete req.headers[h];
    this.logger.warn({
      msg: 'forwarded certificate header from an untrusted peer ignored',
      event: 'mtls.forwarded_header_ignored',
      headers: present,
      peer: req.socket.remoteAddress ?? null,
      method: req.method,
      url: req.url?.slice(0, 200),
    });
  }
}
