export * from './client-certificate.exception.js';
