/** Every test that listens runs on both of Nest's HTTP adapters. */
export const ADAPTERS = ['express', 'fastify'] as const;
export type Adapter = (typeof ADAPTERS)[number];
