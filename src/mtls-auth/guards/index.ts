export * from './client-cert-auth.guard.js';
export * from './service-allowlist.guard.js';
