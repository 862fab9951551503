export * from './certificate-forwarding.middleware.js';
