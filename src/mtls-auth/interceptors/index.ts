export * from './client-cert-forwarding.interceptor.js';
