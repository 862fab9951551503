import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { MtlsReasonCode } from '../x509/reason-code.js';
import { ClientCertAuthenticator } from './client-cert.authenticator.js';
import { isWrappedRequest, rawRequest, type HttpRequest } from './http-request.js';
import { CLIENT_CERT_STRATEGY } from './mtls-auth.constants.js';
import type { ClientCertFailure } from './client-cert.strategy.js';
import { RouteAuthMetadataCache } from './route-auth-metadata.js';

/**
 * Guard 1: authenticates the caller with the `'client-cert'` Passport strategy (401 with a reason
 * code when it cannot), unless the route is `@Public()`.
 *
 * It judges the caller itself first (synchronously, remembered per connection and per
 * certificate): a refusal answers at once, and a certificate whose `validate()` result is already
 * known (an earlier request on this connection, or an earlier connection with the same
 * certificate) is let through without entering Passport. Only a caller accepted for the first time
 * goes through the strategy, which asks OCSP (when on) and runs `validate()`.
 */
@Injectable()
export class ClientCertAuthGuard extends AuthGuard(CLIENT_CERT_STRATEGY) {
  private readonly routes: RouteAuthMetadataCache;

  constructor(
    protected readonly reflector: Reflector,
    protected readonly authenticator: ClientCertAuthenticator,
  ) {
    super();
    this.routes = new RouteAuthMetadataCache(reflector);
  }

  /** Synchronous on the fast path (Nest awaits only promises), Passport otherwise. */
  override canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (this.isPublic(context)) return true;
    const request = this.getRequest(context);
    const entry = this.authenticator.judge(request);
    // A defined user means an accepted entry (see AuthEntry.user): one field read decides.
    if (entry.user !== undefined) {
      // Express requests are Node requests, whose `user` reads the connection's user without a
      // per-request write (see installRequestAccessors); Fastify's request is its own object.
      if (isWrappedRequest(request)) (request as { user?: unknown }).user = entry.user;
      this.authenticator.accepted(entry.source ?? 'tls');
      this.authenticator.memory.passOn(rawRequest(request), entry);
      return true;
    }
    if (!entry.outcome.ok) {
      throw this.authenticator.reject(request, entry.outcome.code, entry.outcome.identity);
    }
    return this.authenticateWithPassport(context);
  }

  /** The full path: the `'client-cert'` strategy, then {@link handleRequest}. */
  protected async authenticateWithPassport(context: ExecutionContext): Promise<boolean> {
    return (await super.canActivate(context)) as boolean;
  }

  /** `true` when the handler or its controller is marked `@Public()`. */
  protected isPublic(context: ExecutionContext): boolean {
    return this.routes.get(context).isPublic;
  }

  override getRequest(context: ExecutionContext): HttpRequest {
    // getArgByIndex(0) is the request; switchToHttp() allocates three closures per call.
    return context.getArgByIndex(0);
  }

  /** Turns Passport's verdict into the user, or into a 401/403 with the reason code. */
  override handleRequest<TUser = unknown>(
    err: unknown,
    user: TUser | false,
    info: ClientCertFailure | undefined,
    context: ExecutionContext,
  ): TUser {
    if (err)
      throw err instanceof Error
        ? err
        : new Error('client certificate authentication failed', { cause: err });
    const request = this.getRequest(context);
    if (!user) {
      throw this.authenticator.reject(
        request,
        info?.code ?? MtlsReasonCode.CertMissing,
        info?.identity,
      );
    }
    const raw = rawRequest(request);
    this.authenticator.memory.rememberUser(raw, user);
    this.authenticator.accepted(this.authenticator.memory.identityOf(raw)?.source ?? 'tls');
    return user;
  }
}
