export type {
  ClientIdentity,
  ForwardedCaller,
  IdentitySource,
} from '../certificate/client-identity.js';
export type { MtlsReasonCode } from '../certificate/reason-code.js';
export * from './mtls-auth-options.interface.js';
