import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { BoundTokenGuard } from './bound-token.guard.js';
import { REQUIRE_BOUND_TOKEN_KEY } from './mtls-auth.constants.js';

/**
 * Requires a certificate-bound access token (RFC 8705) on a route or controller, on top of the
 * client certificate: `Authorization: Bearer <JWT>` issued by the configured authorization server
 * for this service's audience, whose `cnf["x5t#S256"]` is the SHA-256 thumbprint of the
 * certificate this request was authenticated with (presented directly or forwarded by a trusted
 * proxy). A stolen token is useless without its certificate's key. Refusals are 401
 * `MTLS_TOKEN_MISSING`, `MTLS_TOKEN_INVALID` or `MTLS_TOKEN_NOT_BOUND`, with an RFC 6750
 * `WWW-Authenticate: Bearer` challenge.
 *
 * Settings: the module's `boundToken` option (`MTLS_BOUND_TOKEN_ISSUER`, `_AUDIENCE`,
 * `_JWKS_URL` in the starter); without them the route refuses every request (a start-up warning
 * says so).
 *
 * @see RFC 8705 section 3, RFC 6750 section 3
 * @example
 * @Get('transfers')
 * @RequireBoundToken()
 * transfers() {}
 */
export function RequireBoundToken(): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(REQUIRE_BOUND_TOKEN_KEY, true), UseGuards(BoundTokenGuard));
}
