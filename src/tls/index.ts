export * from './harden-tls-server.js';
export * from './server-tls-options.js';
