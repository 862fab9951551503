import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { MtlsReasonCode } from '../x509/reason-code.js';
import { ClientCertAuthenticator } from './client-cert.authenticator.js';
import { rawRequest, type HttpRequest } from '../http/http-request.js';
import { ClientCertificateException } from './client-certificate.exception.js';
import { RouteAuthMetadataCache } from './route-auth-metadata.js';

/**
 * Guard 2: lets an authenticated caller through only if its identity matches the service-wide
 * allowlist (`allowedServices`, when set) and the route's `@AllowServices(...)` (when
 * present; a handler's list overrides its controller's). Otherwise 403 `MTLS_SERVICE_FORBIDDEN`,
 * unless enforcement is report-only (`enforcement` option, or the decorator's): then the caller
 * is let through and reported (`mtls.would_reject`). A request that reaches it unauthenticated is
 * refused with 401: it fails closed.
 *
 * The decision is `ClientCertAuthenticator.authorize()`, remembered per caller and route.
 */
@Injectable()
export class ServiceAllowlistGuard implements CanActivate {
  private readonly routes: RouteAuthMetadataCache;

  constructor(
    protected readonly reflector: Reflector,
    protected readonly authenticator: ClientCertAuthenticator,
  ) {
    this.routes = new RouteAuthMetadataCache(reflector);
  }

  canActivate(context: ExecutionContext): boolean {
    const metadata = this.routes.get(context);
    if (metadata.isPublic) return true;
    const request = context.getArgByIndex<HttpRequest>(0);
    const entry = this.authenticator.memory.takePassedEntry(rawRequest(request));
    if (!entry?.outcome.ok) throw this.authenticator.refuse(request, MtlsReasonCode.CertMissing);
    const refusal = this.authenticator.authorize(request, entry, metadata.rule);
    if (refusal) throw new ClientCertificateException(refusal.code);
    return true;
  }
}
