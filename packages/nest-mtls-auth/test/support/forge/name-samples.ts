import type { RdnSpec } from './names.js';

/** Names of each form a leaf can carry, and optionally the subject RDNs it starts with. */
export interface NameSet {
  readonly dns: readonly string[];
  readonly email: readonly string[];
  readonly uri: readonly string[];
  readonly ip: readonly string[];
  /** RDNs a subject starts with (directoryName constraints); none when no constraint says. */
  readonly subjectPrefix?: readonly RdnSpec[];
}

/**
 * Names that stay inside the name constraints on a CA's path and names that break one. A world
 * CA carries the samples of the nearest constrained CA above it (or its own), so the case
 * generator can put a leaf inside or outside without evaluating constraints itself.
 */
export interface NameSamples {
  /** Whether any CA on the path (this one included) has nameConstraints. */
  readonly constrained: boolean;
  readonly inside: NameSet;
  /** Names each of which violates a constraint (empty lists for forms that are not constrained). */
  readonly outside: NameSet;
}

const NONE: NameSet = { dns: [], email: [], uri: [], ip: [] };

/** Names for a path without constraints: the service names the rest of the tests use. */
export const OPEN_NAMES: NameSamples = {
  constrained: false,
  inside: {
    dns: ['billing-service', 'billing.service.example', 'api.good.example', 'localhost'],
    email: ['billing@service.example', 'ops@good.example'],
    uri: [
      'spiffe://example.test/ns/prod/sa/billing',
      'spiffe://example.test/ns/staging/sa/notification',
      'https://billing.service.example/',
    ],
    ip: ['127.0.0.1', '10.1.2.3', '::1'],
  },
  outside: NONE,
};

/** Samples for a constrained CA: unconstrained forms keep the open names inside. */
export function constrainedNames(inside: Partial<NameSet>, outside: Partial<NameSet>): NameSamples {
  return {
    constrained: true,
    inside: { ...OPEN_NAMES.inside, ...inside },
    outside: { ...NONE, ...outside },
  };
}
