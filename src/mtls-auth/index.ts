export {
  CertificatePolicy,
  compileIdentityPattern,
  compileIdentityPatterns,
  FingerprintPins,
  MtlsReasonCode,
  REASON_DESCRIPTIONS,
  TrustStore,
  type AllowedCertificateTypes,
  type AuthOutcome,
  type CertificateIdentity,
  type ForwardedCaller,
  type IdentityMatcher,
  type IdentitySource,
} from './certificate/index.js';
export * from './client-cert.authenticator.js';
export * from './decorators/index.js';
export * from './errors/index.js';
export * from './guards/index.js';
export * from './forwarded-header-filter.js';
export * from './interceptors/index.js';
export * from './caller-context.js';
export * from './mtls-auth.constants.js';
export * from './mtls-auth.module.js';
export * from './mtls-auth.module-definition.js';
export { identityOfRequest } from './request-identity.js';
export type {
  MtlsAuthModuleExtras,
  MtlsAuthModuleOptions,
  CertificateHeaderFormat,
} from './interfaces/index.js';
export * from './strategies/index.js';
