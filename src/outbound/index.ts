export {
  MtlsHttpClient,
  OutboundRequestError,
  type MtlsHttpClientOptions,
  type OutboundErrorCode,
} from 'nest-mtls-auth';
export * from './outbound.module.js';
