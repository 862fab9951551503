export * from './client-cert.strategy.js';
