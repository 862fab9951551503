import type { CoarseClock } from './coarse-clock.js';

/** What the inventory keeps of a caller's certificate: names, never the certificate itself. */
export interface InventoryIdentity {
  readonly commonName: string | null;
  readonly fingerprint256: string;
  readonly spiffeId?: string | null;
  readonly subject?: string;
}

/** How one caller fared on one route. */
export class RouteTally {
  /** Requests let through. */
  allowed = 0;
  /** Requests refused with a 403 (allowlist, pins, the strategy). */
  refused = 0;
  /** Requests report-only enforcement let through that enforcement would refuse. */
  wouldRefuse = 0;

  constructor(
    readonly record: CallerRecord,
    /** `GET /api/invoices`: the method and the route's path as declared. */
    readonly route: string,
    /** The controller class's name. */
    readonly controller: string,
  ) {}
}

/** One caller identity the service has seen (by certificate fingerprint). */
export class CallerRecord {
  readonly firstSeen: number;
  lastSeen: number;
  requests = 0;
  /** Dropped from the inventory: whoever still holds it looks the caller up again. */
  evicted = false;
  readonly routes = new Map<string, RouteTally>();
  readonly commonName: string | null;
  readonly spiffeId: string | null;
  readonly fingerprint256: string;
  readonly subject: string | null;

  constructor(identity: InventoryIdentity, now: number) {
    this.commonName = identity.commonName;
    this.spiffeId = identity.spiffeId ?? null;
    this.fingerprint256 = identity.fingerprint256;
    this.subject = identity.subject ?? null;
    this.firstSeen = now;
    this.lastSeen = now;
  }

  /** This caller's tally on `route`, made on its first request there. */
  tally(route: string, controller: string): RouteTally {
    let tally = this.routes.get(route);
    if (tally === undefined)
      this.routes.set(route, (tally = new RouteTally(this, route, controller)));
    return tally;
  }
}

/** One caller in {@link CallerInventorySnapshot}. */
export interface InventoryCaller {
  readonly commonName: string | null;
  readonly spiffeId: string | null;
  readonly fingerprint256: string;
  readonly subject: string | null;
  /** ISO 8601. */
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly requests: number;
  readonly routes: readonly {
    readonly route: string;
    readonly controller: string;
    readonly allowed: number;
    readonly refused: number;
    readonly wouldRefuse: number;
  }[];
}

/** What `GET /callers` answers. */
export interface CallerInventorySnapshot {
  /** At most this many identities are kept (`callerInventorySize`). */
  readonly capacity: number;
  /** When this inventory started (the process, or the application): nothing older is known. */
  readonly since: string;
  /** The callers, the most recently seen first. */
  readonly callers: readonly InventoryCaller[];
}

/**
 * "Who calls me?": every caller identity seen on a guarded route, when first and last, how many
 * requests, and per route how many were allowed, refused and would have been refused. Bounded:
 * at most `capacity` identities; a new one arriving at capacity drops the tenth seen longest ago
 * at once (one sort per `capacity / 10` new identities, not a list kept in order per request).
 * Operational data, reset on restart: not an audit log.
 *
 * The request path counts through a {@link RouteTally} its caller's entry already holds: field
 * increments, no lookup and no allocation.
 */
export class CallerInventory {
  private readonly records = new Map<string, CallerRecord>();
  private readonly since: number;

  constructor(
    /** 0: off. */
    readonly capacity: number,
    private readonly clock: CoarseClock,
  ) {
    this.since = Date.now();
  }

  /** How many identities are kept now. */
  get size(): number {
    return this.records.size;
  }

  /** The record of `identity`, made (evicting if full) when new; `undefined` when off. */
  recordOf(identity: InventoryIdentity): CallerRecord | undefined {
    if (this.capacity === 0) return undefined;
    const known = this.records.get(identity.fingerprint256);
    if (known !== undefined) return known;
    if (this.records.size >= this.capacity) this.evict();
    const record = new CallerRecord(identity, this.clock.now());
    this.records.set(identity.fingerprint256, record);
    return record;
  }

  /** Counts one request of `tally`'s caller on its route. */
  count(tally: RouteTally, outcome: 'allowed' | 'refused' | 'wouldRefuse'): void {
    tally[outcome]++;
    const record = tally.record;
    record.requests++;
    record.lastSeen = this.clock.now();
  }

  snapshot(): CallerInventorySnapshot {
    const iso = (ms: number) => new Date(ms).toISOString();
    const callers = [...this.records.values()]
      .sort((a, b) => b.lastSeen - a.lastSeen)
      .map((r) => ({
        commonName: r.commonName,
        spiffeId: r.spiffeId,
        fingerprint256: r.fingerprint256,
        subject: r.subject,
        firstSeen: iso(r.firstSeen),
        lastSeen: iso(r.lastSeen),
        requests: r.requests,
        routes: [...r.routes.values()]
          .map(({ route, controller, allowed, refused, wouldRefuse }) => ({
            route,
            controller,
            allowed,
            refused,
            wouldRefuse,
          }))
          .sort((a, b) => a.route.localeCompare(b.route)),
      }));
    return { capacity: this.capacity, since: iso(this.since), callers };
  }

  /** Drops the tenth of the identities seen longest ago. */
  private evict(): void {
    const oldest = [...this.records.values()].sort((a, b) => a.lastSeen - b.lastSeen);
    const drop = Math.max(1, Math.ceil(this.capacity / 10));
    for (const record of oldest.slice(0, drop)) {
      record.evicted = true;
      this.records.delete(record.fingerprint256);
    }
  }
}
