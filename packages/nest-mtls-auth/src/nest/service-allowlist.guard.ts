import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { CertificateIdentity } from '../x509/client-identity.js';
import { MtlsReasonCode } from '../x509/reason-code.js';
import { ClientCertAuthenticator } from './client-cert.authenticator.js';
import { rawRequest, type HttpRequest } from '../http/http-request.js';
import { allowsCaller } from './allow-services.decorator.js';
import { RouteAuthMetadataCache } from './route-auth-metadata.js';

/**
 * Guard 2: lets an authenticated caller through only if its identity matches the service-wide
 * allowlist (`allowedServices`, when set) and the route's `@AllowServices(...)` (when
 * present; a handler's list overrides its controller's). Otherwise 403 `MTLS_SERVICE_FORBIDDEN`.
 * A request that reaches it unauthenticated is refused with 401: it fails closed.
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
    const identity = entry.outcome.identity;

    const global = this.authenticator.allowedServices;
    if (global && !entry.allowedBy(identity, global)) {
      throw this.forbid(request, identity);
    }
    const route = metadata.allowServices;
    if (route && !allowsCaller(route, identity)) throw this.forbid(request, identity);
    return true;
  }

  private forbid(request: HttpRequest, identity: CertificateIdentity) {
    return this.authenticator.refuse(request, MtlsReasonCode.ServiceForbidden, identity);
  }
}
