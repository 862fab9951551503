export * from './server-tls-options.js';
export * from './certificate-reloader.service.js';
