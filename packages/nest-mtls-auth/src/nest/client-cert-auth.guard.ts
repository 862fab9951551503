import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { admit, isPending } from '../authentication/admission.js';
import { Refusal } from '../authentication/refusal.js';
import type { RouteRule } from '../authentication/route-rule.js';
import { isWrappedRequest, type HttpRequest } from '../http/http-request.js';
import { ClientCertAuthenticator } from './client-cert.authenticator.js';
import { ClientCertificateException } from './client-certificate.exception.js';
import { ClientCertStrategy } from './client-cert.strategy.js';
import { RouteAuthMetadataCache } from './route-auth-metadata.js';

/**
 * Guard 1: authenticates the caller by client certificate (401 with a reason code when it cannot),
 * unless the route is `@Public()`; `request.user` becomes what the application's strategy
 * (`ClientCertStrategy`, or yours) makes of the identity.
 *
 * It takes the same path as `AuthGuard('client-cert')` ({@link admit}): synchronous for a caller
 * already known; only a caller accepted for the first time waits, for OCSP (when on) and for
 * `validate()`, called on this application's own strategy instance (not through Passport's
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
    const metadata = this.routes.get(context);
    if (metadata.isPublic) return true;
    // getArgByIndex(0) is the request; switchToHttp() allocates three closures per call.
    const request = context.getArgByIndex<HttpRequest>(0);
    const admission = admit(this.authenticator, request, this.strategy);
    if (isPending(admission)) {
      return Promise.resolve(admission).then((user) => this.let(request, user, metadata.rule));
    }
    return this.let(request, admission, metadata.rule);
  }

  /** Lets the request through as `user`, or throws its refusal. */
  private let(request: HttpRequest, user: unknown, rule: RouteRule): true {
    if (user instanceof Refusal) {
      // A 403 here (pins, the strategy) is a caller the inventory should show, refused.
      this.authenticator.tallyRefusal(rule, user);
      throw new ClientCertificateException(user.code, { detail: user.detail });
    }
    // Express requests read `user` through an accessor over the caller's entry (no write per
    // request; see installRequestAccessors); Fastify's request is its own, declared, field.
    if (isWrappedRequest(request)) (request as { user?: unknown }).user = user;
    return true;
  }
}
