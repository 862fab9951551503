import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { MtlsReasonCode } from '../x509/reason-code.js';
import { rememberUser, type AuthEntry } from '../cache/auth-entry.js';
import { ClientCertAuthenticator } from './client-cert.authenticator.js';
import { ClientCertStrategy } from './client-cert.strategy.js';
import { isWrappedRequest, rawRequest, type HttpRequest } from './http-request.js';
import { RouteAuthMetadataCache } from './route-auth-metadata.js';

/**
 * Guard 1: authenticates the caller by client certificate (401 with a reason code when it cannot),
 * unless the route is `@Public()`; `request.user` becomes what the application's strategy
 * (`ClientCertStrategy`, or yours) makes of the identity.
 *
 * It judges the caller synchronously (remembered per connection and per certificate): a refusal
 * answers at once, and a certificate whose `validate()` result is already known (an earlier
 * request on this connection, or an earlier connection with the same certificate) is let through
 * by reading one field. Only a caller accepted for the first time waits: for OCSP (when on) and
 * for `validate()`, called on this application's own strategy instance (not through Passport's
 * process-wide registry, where the last application to start would answer for all).
 */
@Injectable()
export class ClientCertAuthGuard implements CanActivate {
  private readonly routes: RouteAuthMetadataCache;

  constructor(
    protected readonly reflector: Reflector,
    protected readonly authenticator: ClientCertAuthenticator,
    protected readonly strategy: ClientCertStrategy,
  ) {
    this.routes = new RouteAuthMetadataCache(reflector);
  }

  /** Synchronous on the fast path (Nest awaits only promises). */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (this.routes.get(context).isPublic) return true;
    // getArgByIndex(0) is the request; switchToHttp() allocates three closures per call.
    const request = context.getArgByIndex<HttpRequest>(0);
    const entry = this.authenticator.judge(request);
    // A defined user means an accepted entry (see AuthEntry.user): one field read decides.
    if (entry.user !== undefined) {
      this.let(request, entry.user, entry);
      return true;
    }
    return this.acceptFirst(request, entry);
  }

  /**
   * A caller accepted for the first time: OCSP (when on), then `validate()`. Synchronous unless
   * one of them returns a promise: an `async` step costs every new caller a few microtask turns.
   */
  private acceptFirst(request: HttpRequest, entry: AuthEntry): boolean | Promise<boolean> {
    if (this.authenticator.awaitsOcsp(entry)) {
      return this.authenticator.askOcsp(entry).then(() => this.acceptFirst(request, entry));
    }
    const { outcome } = entry;
    if (!outcome.ok) throw this.authenticator.reject(request, outcome.code, outcome.identity);
    const user: unknown = this.strategy.validate(outcome.identity);
    if (isPromiseLike(user)) {
      return Promise.resolve(user).then((resolved) => this.remember(request, resolved, entry));
    }
    return this.remember(request, user, entry);
  }

  /**
   * Records what `validate()` made of an accepted entry (the one that answers for the request:
   * its connection's, or its own when forwarded) and lets the request through.
   */
  private remember(request: HttpRequest, user: unknown, entry: AuthEntry): boolean {
    if (!user) {
      const { outcome } = entry;
      throw this.authenticator.reject(
        request,
        MtlsReasonCode.ServiceForbidden,
        outcome.ok ? outcome.identity : undefined,
      );
    }
    rememberUser(entry, user);
    this.let(request, user, entry);
    return true;
  }

  /** Lets the request through as `user`, counted, the entry passed on to the allowlist guard. */
  private let(request: HttpRequest, user: unknown, entry: AuthEntry): void {
    // Express requests read `user` through an accessor over the caller's entry (no write per
    // request; see installRequestAccessors); Fastify's request is its own, declared, field.
    if (isWrappedRequest(request)) (request as { user?: unknown }).user = user;
    this.authenticator.accepted(entry.source ?? 'tls');
    this.authenticator.memory.passOn(rawRequest(request), entry);
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}
