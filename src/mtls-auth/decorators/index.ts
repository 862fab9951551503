export * from './allow-services.decorator.js';
export * from './client-identity.decorator.js';
export * from './public.decorator.js';
export * from './forward-client-cert.decorator.js';
