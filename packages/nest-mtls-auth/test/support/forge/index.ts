/**
 * Test support: a certificate forge (every field and encoding under control), a seeded world of
 * CAs and a fast-check arbitrary of hostile client cases, for differential tests of the chain
 * verifier against OpenSSL. See README.md here.
 */
export * from './algorithms.js';
export * from './cases.js';
export * from './certificate.js';
export * from './der.js';
export * from './extensions.js';
export * from './keys.js';
export * from './name-samples.js';
export * from './names.js';
export * from './random.js';
export * from './time.js';
export * from './world.js';
export * from './crl.js';
export * from './revocation-cases.js';
