import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Observable } from 'rxjs';
import { runWithCaller } from '../propagation/caller-context.js';
import { RouteAuthMetadataCache } from './route-auth-metadata.js';
import { identityOfRequest } from './request-accessors.js';

/**
 * Runs the handler, and everything it awaits, with the verified caller bound in an
 * `AsyncLocalStorage` context, so that the mTLS HTTP client (`MtlsHttpClient`) tells downstream
 * services on whose behalf it calls (an `x-forwarded-client-cert` element). Authentication has
 * already happened (guards run before interceptors); this only propagates its result.
 *
 * Apply per controller or route with `@UseInterceptors(ClientCertForwardingInterceptor)`, or
 * globally with `APP_INTERCEPTOR`; `@ForwardClientCert(false)` opts a route out.
 */
@Injectable()
export class ClientCertForwardingInterceptor implements NestInterceptor {
  private readonly routes: RouteAuthMetadataCache;

  constructor(reflector: Reflector) {
    this.routes = new RouteAuthMetadataCache(reflector);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const enabled = this.routes.get(context).forwardClientCert;
    const identity = enabled === false ? undefined : identityOfRequest(context.getArgByIndex(0));
    if (!identity) return next.handle();
    // Subscribing inside the context makes the handler's promise chain inherit it.
    return new Observable((subscriber) =>
      runWithCaller({ identity }, () => next.handle().subscribe(subscriber)),
    );
  }
}
