export * from './allow-services.decorator.js';
export * from './client-identity.decorator.js';
export * from './public.decorator.js';
