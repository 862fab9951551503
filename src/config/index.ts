export * from './app-config.js';
export * from './configuration.error.js';
export * from './service-config.js';
export * from './env-list.js';
export * from './env.schema.js';
export * from './read-config-file.js';
export * from './mtls-auth-options.factory.js';
export * from './access-file.js';
