/**
 * Test support: a certificate forge (every field and encoding under control), for differential
 * tests of the chain verifier against OpenSSL. See README.md in this folder.
 */
export * from './algorithms.js';
export * from './certificate.js';
export * from './der.js';
export * from './extensions.js';
export * from './keys.js';
export * from './names.js';
export * from './time.js';
