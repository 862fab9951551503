/**
 * nest-mtls-auth: what a NestJS service writes to authenticate its callers by client certificate.
 * Everything else in this package is internal and may change without notice.
 */

// The module and its options.
export { MtlsAuthModule } from './nest/mtls-auth.module.js';
export type { MtlsAuthModuleExtras } from './nest/mtls-auth.module-definition.js';
export type {
  AllowedCertificateTypes,
  CertificateHeaderFormat,
  MtlsAuthModuleOptions,
  OcspMode,
} from './options/mtls-auth-options.js';
export {
  checkMtlsAuthSettings,
  type CheckedMtlsAuthSettings,
  type MtlsAuthSettings,
} from './options/resolve-options.js';
export { MtlsAuthOptionsError, type OptionProblem } from './options/options-error.js';

// Protecting routes.
export { ClientCertAuthGuard } from './nest/client-cert-auth.guard.js';
export { ServiceAllowlistGuard } from './nest/service-allowlist.guard.js';
export { ClientCertStrategy } from './nest/client-cert.strategy.js';
export { Public } from './nest/public.decorator.js';
export { AllowServices, type AllowServicesOptions } from './nest/allow-services.decorator.js';
export { RequireBoundToken } from './nest/require-bound-token.decorator.js';
export type { BoundTokenSettings } from './tokens/bound-token-settings.js';
export { ClientIdentity } from './nest/client-identity.decorator.js';
export type { ForwardedCaller, IdentitySource } from './x509/client-identity.js';
export { identityOfRequest } from './nest/request-accessors.js';

// Refusals.
export { ClientCertificateException } from './nest/client-certificate.exception.js';
export { MtlsReasonCode, REASON_DESCRIPTIONS } from './x509/reason-code.js';

// Calling other services on behalf of the caller.
export { ClientCertForwardingInterceptor } from './nest/client-cert-forwarding.interceptor.js';
export { ForwardClientCert } from './nest/forward-client-cert.decorator.js';
export { currentCaller, type CallerContext } from './propagation/caller-context.js';
export {
  MtlsHttpClient,
  type MtlsHttpClientOptions,
  type OutboundRequestOptions,
  type OutboundResponse,
  type BoundTokenRequest,
} from './propagation/mtls-http-client.js';
export {
  OutboundRequestError,
  type OutboundErrorCode,
} from './propagation/outbound-request.error.js';

// Operating: hot reloads (of files, or by hand), metrics, the CRLs in force.
export { MtlsAuthService } from './nest/mtls-auth.service.js';
export { MtlsReloadService, type MtlsReloadOptions } from './nest/mtls-reload.service.js';
export type { MtlsReloadMaterial } from './reload/reload-material.js';
export type { AuthMetricsSnapshot, RefusalCount } from './authentication/auth-metrics.js';
export type { CrlInfo } from './x509/crl-set.js';
export type { TrustDomainCa } from './x509/trust-domains.js';
// Rolling policy out: report-only, who calls (callers()), who may call (accessMatrix()).
export type { Enforcement } from './options/mtls-auth-options.js';
export type { WouldRejectCount } from './authentication/auth-metrics.js';
export type { CallerInventorySnapshot, InventoryCaller } from './records/caller-inventory.js';
export type { AccessMatrix, AccessRow, PolicyCaller } from './nest/access-matrix.js';

// Reading certificate files: every certificate of a PEM bundle, in order.
export { parsePemCertificates } from './x509/pem.js';

// The TLS server options the handshake needs to judge client certificates.
export {
  mtlsServerOptions,
  type ClientCertificateMode,
  type MtlsServerOptions,
  type MtlsServerOptionsInput,
} from './handshake/mtls-server-options.js';

// "Why is my certificate refused?": the module's own checks, explained.
export {
  CertificateExplainer,
  type CertificateExplanation,
  type OptionName,
  type ExplainedStep,
} from './diagnose/explain-certificate.js';
export { describeRoutes, type RouteAccess } from './diagnose/describe-routes.js';

// Behind every proxy: the presets' names (what each sets is in the package README).
export type { ProxyPreset } from './options/mtls-auth-options.js';
