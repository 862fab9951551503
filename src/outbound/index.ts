export * from './mtls-http-client.js';
export * from './outbound-request.error.js';
export * from './outbound.module.js';
