import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyAvailability, startTcpRoundRobin } from '../support/haproxy-launcher.js';
import type { RunningBalancer } from '../support/haproxy-launcher.js';
import { startReplica, type Replica } from '../support/replica.js';
import { callWithSession } from '../support/tls-session-client.js';
import { eventually } from '../../packages/nest-mtls-auth/test/support/eventually.js';
import { useTestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';

const pki = useTestPki();
const { available } = haproxyAvailability();
const RECONNECTIONS = 60;
const newKey = () => randomBytes(48).toString('base64');

interface Cluster {
  readonly replicas: Replica[];
  readonly balancer: RunningBalancer;
  readonly url: string;
  stop(): Promise<void>;
}

/** Three processes of the built service behind HAProxy in `mode tcp`, round-robin. */
async function startCluster(name: string, env: Record<string, string>): Promise<Cluster> {
  const replicas = await Promise.all(
    [0, 1, 2].map((i) => startReplica(pki, `${name}-replica-${i}`, env)),
  );
  const balancer = await startTcpRoundRobin(
    pki.dir,
    replicas.map((r) => r.port),
  );
  return {
    replicas,
    balancer,
    url: `https://127.0.0.1:${balancer.port}/health`,
    async stop() {
      await balancer.stop();
      await Promise.all(replicas.map((r) => r.stop()));
    },
  };
}

/**
 * Reconnects `count` times through the balancer, each time offering the newest session the
 * client holds (as Node's https agent does); how many handshakes were resumptions.
 */
async function reconnect(
  url: string,
  count: number,
  first?: Buffer,
): Promise<{ reused: number; statuses: Set<number> }> {
  let session = first;
  let reused = 0;
  const statuses = new Set<number>();
  for (let i = 0; i < count; i++) {
    const res = await callWithSession(pki, url, { client: pki.clients.billing, session });
    statuses.add(res.status);
    if (res.reused) reused++;
    session = res.session ?? session;
  }
  return { reused, statuses };
}

describe.skipIf(!available)('three replicas behind a TCP round-robin balancer', () => {
  describe('sharing one TLS_TICKET_KEYS_FILE', () => {
    let cluster: Cluster;
    let live: string;
    const keyA = newKey();
    const keyB = newKey();
    const reloaded = (r: Replica) => r.logs().filter((l) => l.event === 'tls.reloaded').length;

    beforeAll(async () => {
      live = join(pki.dir, 'replica-keys');
      mkdirSync(live, { recursive: true });
      writeFileSync(join(live, 'ticket-keys'), `${keyA}\n`);
      cluster = await startCluster('shared', { TLS_TICKET_KEYS_FILE: join(live, 'ticket-keys') });
    }, 60_000);
    afterAll(() => cluster?.stop());

    it(`resumes the caller's session on every replica (>= 90% of ${RECONNECTIONS} reconnections)`, async () => {
      const { reused, statuses } = await reconnect(cluster.url, RECONNECTIONS);
      expect(statuses).toEqual(new Set([200]));
      expect(reused).toBeGreaterThanOrEqual(Math.ceil(RECONNECTIONS * 0.9));
      for (const r of cluster.replicas) {
        expect(r.logs().some((l) => l.event === 'tls.ticket_keys' && l.mode === 'every-key')).toBe(
          true,
        );
      }
    });

    it('picks up a rotated keys file on every replica without restart; sessions of the previous key still resume', async () => {
      const underA = (await callWithSession(pki, cluster.url, { client: pki.clients.billing }))
        .session;
      expect(underA).toBeDefined();
      const before = cluster.replicas.map(reloaded);
      writeFileSync(join(live, '.ticket-keys.tmp'), `${keyB}\n${keyA}\n`);
      renameSync(join(live, '.ticket-keys.tmp'), join(live, 'ticket-keys'));
      await eventually(
        () => cluster.replicas.every((r, i) => reloaded(r) > (before[i] ?? 0)),
        'every replica reloaded the keys',
      );
      // The old ticket offered to each replica in turn: every one still accepts it.
      for (let i = 0; i < cluster.replicas.length; i++) {
        const res = await callWithSession(pki, cluster.url, {
          client: pki.clients.billing,
          session: underA,
        });
        expect(res).toMatchObject({ status: 200, reused: true });
      }
      // And tickets of the new first key resume everywhere too.
      const { reused } = await reconnect(cluster.url, 30);
      expect(reused).toBeGreaterThanOrEqual(27);
    });
  });

  describe('without the file (the control: each process keys its own tickets)', () => {
    let cluster: Cluster;
    beforeAll(async () => {
      cluster = await startCluster('own-keys', {});
    }, 60_000);
    afterAll(() => cluster?.stop());

    it('resumes only where a ticket lands on the replica that issued it', async () => {
      const { reused, statuses } = await reconnect(cluster.url, RECONNECTIONS);
      expect(statuses).toEqual(new Set([200]));
      expect(reused).toBeLessThanOrEqual(Math.floor(RECONNECTIONS * 0.4));
    });
  });
});
