import type { CallerInventorySnapshot, InventoryCaller } from 'nest-mtls-auth';

/**
 * The identity pattern that names a caller seen by `GET /callers`: its SPIFFE ID, else its CN,
 * else its whole subject DN (`dn:`); `undefined` when it has none of them (pin its fingerprint).
 */
export function patternOf(caller: InventoryCaller): string | undefined {
  if (caller.spiffeId) return caller.spiffeId;
  if (caller.commonName) return caller.commonName;
  if (caller.subject) return `dn:${caller.subject}`;
  return undefined;
}

/**
 * `npm run doctor -- --suggest-allowlist --from <url|file>`: from what `GET /callers` saw, the
 * `@AllowServices(...)` line per controller that admits exactly the callers it served (allowed, or
 * let through by report-only), and the service-wide `MTLS_ALLOWED_SERVICES` for all of them.
 * Callers only ever refused are named in a comment, not admitted.
 */
export function suggestAllowlist(inventory: CallerInventorySnapshot, source: string): string {
  const controllers = new Map<string, { routes: Set<string>; patterns: Set<string> }>();
  const everyone = new Set<string>();
  const refusedOnly = new Set<string>();
  const unnamed = new Set<string>();
  for (const caller of inventory.callers) {
    const pattern = patternOf(caller);
    let admitted = false;
    for (const route of caller.routes) {
      const c = controllers.get(route.controller) ?? { routes: new Set(), patterns: new Set() };
      controllers.set(route.controller, c);
      c.routes.add(route.route);
      if (route.allowed + route.wouldRefuse === 0) continue;
      admitted = true;
      if (pattern === undefined) unnamed.add(caller.fingerprint256);
      else c.patterns.add(pattern);
    }
    if (!admitted) refusedOnly.add(pattern ?? caller.fingerprint256);
    else if (pattern !== undefined) everyone.add(pattern);
  }
  const quote = (p: string) => `'${p.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const lines = [
    `// From ${source}: ${inventory.callers.length} caller(s) seen since ${inventory.since}.`,
    '// Each line admits exactly the callers its controller served; paste it on the controller.',
  ];
  for (const [name, { routes, patterns }] of [...controllers].sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    lines.push('', `// ${name}: ${[...routes].sort().join(', ')}`);
    lines.push(
      patterns.size === 0
        ? '// no caller was served here: every caller seen was refused'
        : `@AllowServices(${[...patterns].sort().map(quote).join(', ')})`,
    );
  }
  if (everyone.size > 0) {
    const all = [...everyone].sort();
    const value = all.some((p) => p.includes(',')) ? `'${JSON.stringify(all)}'` : all.join(',');
    lines.push('', '// Service-wide, every caller served:', `MTLS_ALLOWED_SERVICES=${value}`);
  }
  if (unnamed.size > 0) {
    lines.push(
      '',
      `// Served, but with no name to match (pin them in MTLS_ALLOWED_FINGERPRINTS): ${[...unnamed].join(', ')}`,
    );
  }
  if (refusedOnly.size > 0) {
    lines.push(
      '',
      `// Seen but always refused, not admitted: ${[...refusedOnly].sort().join(', ')}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Reads what `GET /callers` answered: from its URL (the management listener), or from a file
 * holding its JSON.
 *
 * @throws {Error} saying what could not be read.
 */
export async function readInventory(
  from: string,
  read: (path: string) => string,
): Promise<CallerInventorySnapshot> {
  let text: string;
  if (/^https?:\/\//.test(from)) {
    const res = await fetch(from);
    if (!res.ok)
      throw new Error(`${from} answered ${res.status}: is it GET /callers on MANAGEMENT_PORT?`);
    text = await res.text();
  } else {
    text = read(from);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new Error(`${from} is not JSON: give GET /callers's answer`, { cause });
  }
  const inventory = parsed as Partial<CallerInventorySnapshot>;
  if (!Array.isArray(inventory.callers)) {
    throw new Error(`${from} holds no "callers" list: give GET /callers's answer`);
  }
  return inventory as CallerInventorySnapshot;
}
