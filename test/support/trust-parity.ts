import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import fc from 'fast-check';
import { securityLevelOf } from 'nest-mtls-auth';
import { CertificateExplainer } from '../../packages/nest-mtls-auth/src/diagnose/explain-certificate.js';
import {
  caseArbitrary,
  createWorld,
  type ClientCase,
  type World,
} from '../../packages/nest-mtls-auth/test/support/forge/index.js';
import type { TestPki } from '../../packages/nest-mtls-auth/test/support/test-pki.js';
import { startApp, type Adapter, type RunningApp } from './app-launcher.js';

/** What one way of presenting a certificate came to: accepted, a reason code, or no answer. */
export type Verdict =
  | 'accepted'
  | `MTLS_${string}`
  | 'tls-failure'
  | 'unreadable'
  /** The client could not present it: no signature algorithm of either TLS version fits its key. */
  | 'unpresentable';

/** One generated case and the verdict of each way. */
export interface ParityRow {
  readonly index: number;
  readonly adapter: Adapter;
  readonly case: ClientCase;
  /** Over TLS with the chain the client sends: the handshake decides trust. */
  readonly direct: Verdict;
  /** Over TLS with the leaf alone (the same as `direct` when nothing is sent). */
  readonly directLeaf: Verdict;
  /** The leaf in a trusted proxy's header: the package's verifier decides trust. */
  readonly forwarded: Verdict;
  /** The doctor's prediction for the direct way and for the forwarded way. */
  readonly doctorDirect: Verdict;
  readonly doctorForwarded: Verdict;
  /** What Node said of the direct handshake (`authorizationError`), for the report. */
  readonly openssl: string;
}

/** A run of the differential test: the seed that makes it again, and every row. */
export interface ParityRun {
  readonly seed: number;
  readonly rows: readonly ParityRow[];
  readonly seconds: number;
}

/** `true` when the three ways (and the doctor) agree on a row. */
export function agrees(row: ParityRow): boolean {
  return (
    same(row.direct, row.doctorDirect) &&
    same(row.directLeaf, row.forwarded) &&
    same(row.forwarded, row.doctorForwarded)
  );
}

/**
 * Two verdicts are the same when equal, with two allowances for the handshake, which can refuse
 * before any HTTP answer: a certificate that cannot be read at all fails it (OpenSSL cannot parse
 * it either), reads as `MTLS_CERT_MALFORMED` in a proxy's header, and cannot be examined by the
 * doctor; and a handshake that fails for any other reason (a key too weak to sign TLS 1.2's
 * CertificateVerify at the server's level) must be a refusal on every other way too.
 */
function same(a: Verdict, b: Verdict): boolean {
  if (a === b || a === 'unpresentable' || b === 'unpresentable') return true;
  const unreadable = (v: Verdict) => v === 'unreadable' || v === 'MTLS_CERT_MALFORMED';
  if (a === 'tls-failure') return b !== 'accepted';
  if (b === 'tls-failure') return a !== 'accepted';
  return unreadable(a) && unreadable(b);
}

/** One row as a line of the report. */
export function describeRow(row: ParityRow): string {
  return [
    `#${row.index} ${row.adapter} ${row.case.id}: ${row.case.description}`,
    `    direct ${row.direct} (OpenSSL: ${row.openssl}) | doctor ${row.doctorDirect}`,
    `    leaf alone: direct ${row.directLeaf} | forwarded ${row.forwarded} | doctor ${row.doctorForwarded}`,
  ].join('\n');
}

/**
 * Runs `cases` generated client certificates against the running service, both adapters in
 * turn: each over TLS with its chain, over TLS alone, through a trusted proxy's header, and
 * through the doctor's own code, all against one generated world of CAs made from `seed`.
 * The oracle is the service's own handshake (OpenSSL), never a list of expected answers.
 */
export async function runParity(
  pki: TestPki,
  seed: number,
  cases: number,
  onRow: (row: ParityRow) => void = () => undefined,
  only?: number,
): Promise<ParityRun> {
  const started = performance.now();
  const world = createWorld(seed);
  const dir = mkdtempSync(join(tmpdir(), 'mtls-parity-'));
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  };
  const env = {
    TLS_CERT_FILE: file('server.crt', world.server.certPem),
    TLS_KEY_FILE: file('server.key', world.server.keyPem),
    MTLS_CA_FILE: file('bundle.crt', world.bundlePem),
    MTLS_TRUSTED_PROXY_IDENTITIES: 'trusted-proxy',
    LOG_LEVEL: 'silent',
  };
  const apps: { adapter: Adapter; app: RunningApp; proxy: Agent }[] = [];
  try {
    for (const adapter of ['express', 'fastify'] as const) {
      const app = await startApp(pki, adapter, env);
      apps.push({ adapter, app, proxy: proxyAgent(world) });
    }
    // The service's options, for the doctor's code (the level read from OpenSSL once, not per case).
    const doctor = new CertificateExplainer({
      trustedCa: world.bundlePem,
      trustedProxyIdentities: ['trusted-proxy'],
      securityLevel: securityLevelOf(),
    });
    const generated = fc.sample(caseArbitrary(world), { numRuns: cases, seed });
    const rows: ParityRow[] = [];
    for (const [index, c] of generated.entries()) {
      if (only !== undefined && index !== only) continue;
      const { adapter, app, proxy } = apps[index % apps.length] as (typeof apps)[number];
      const direct = await presentDirect(world, app, c, true);
      const directLeaf = c.sent.length > 0 ? await presentDirect(world, app, c, false) : direct;
      const forwarded = await presentForwarded(app, proxy, c);
      const predicted = await consultDoctor(doctor, c);
      const row: ParityRow = {
        index,
        adapter,
        case: c,
        direct: direct.verdict,
        directLeaf: directLeaf.verdict,
        forwarded,
        doctorDirect: predicted.direct,
        doctorForwarded: predicted.forwarded,
        openssl: direct.openssl,
      };
      rows.push(row);
      onRow(row);
    }
    return { seed, rows, seconds: (performance.now() - started) / 1000 };
  } finally {
    for (const { app, proxy } of apps) {
      proxy.destroy();
      await app.close();
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The trusted proxy's keep-alive connection (its certificate makes it one, by identity). */
function proxyAgent(world: World): Agent {
  return new Agent({
    keepAlive: true,
    maxSockets: 1,
    cert: world.proxy.certPem,
    key: world.proxy.keyPem,
    // The server is ours and checked by fingerprint below: no CA store, so that OpenSSL does not
    // append CAs of its own to the chain the client sends.
    rejectUnauthorized: false,
    servername: 'localhost',
  });
}

/**
 * Presents the case's leaf (and its chain, when `withChain`) over a new TLS connection and asks
 * `/api/whoami`. The client runs at security level 0, so that it can present what a weak client
 * would; TLS 1.2 is tried when 1.3 cannot carry the key (an RSA key too small for PSS).
 */
async function presentDirect(
  world: World,
  app: RunningApp,
  c: ClientCase,
  withChain: boolean,
): Promise<{ verdict: Verdict; openssl: string }> {
  const cert = withChain ? c.leaf.pem + c.sent.map((s) => s.pem).join('') : c.leaf.pem;
  let last: { verdict: Verdict; openssl: string } = { verdict: 'tls-failure', openssl: '' };
  for (const maxVersion of ['TLSv1.3', 'TLSv1.2'] as const) {
    try {
      last = await whoami(world, app, { cert, key: c.leaf.keyPem, maxVersion });
    } catch (error) {
      last = { verdict: 'tls-failure', openssl: (error as Error).message };
      continue;
    }
    // An OpenSSL client whose key fits no signature algorithm of the version sends no certificate.
    if (last.verdict !== 'MTLS_CERT_MISSING') return last;
  }
  return last.verdict === 'MTLS_CERT_MISSING' ? { ...last, verdict: 'unpresentable' } : last;
}

function whoami(
  world: World,
  app: RunningApp,
  tls: { cert: string; key: string; maxVersion: 'TLSv1.3' | 'TLSv1.2' },
): Promise<{ verdict: Verdict; openssl: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${app.url}/api/whoami`,
      {
        agent: false,
        ...tls,
        ciphers: 'DEFAULT@SECLEVEL=0',
        rejectUnauthorized: false,
        servername: 'localhost',
      },
      (res) => {
        const socket = res.socket as TLSSocket;
        if (
          socket.getPeerCertificate().fingerprint256 !==
          world.server.certificate.x509?.fingerprint256
        ) {
          reject(new Error('not the test server'));
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { code?: string };
          resolve({
            verdict: res.statusCode === 200 ? 'accepted' : (body.code as Verdict),
            openssl: res.statusCode === 200 ? 'OK' : 'refused',
          });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Sends the leaf as nginx forwards it (`$ssl_client_escaped_cert`) over the proxy's connection. */
function presentForwarded(app: RunningApp, proxy: Agent, c: ClientCase): Promise<Verdict> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${app.url}/api/whoami`,
      {
        agent: proxy,
        headers: { 'x-ssl-client-cert': encodeURIComponent(c.leaf.pem) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { code?: string };
          resolve(res.statusCode === 200 ? 'accepted' : (body.code as Verdict));
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The doctor's code on the PEM the client sends: its direct and forwarded predictions. */
async function consultDoctor(
  doctor: CertificateExplainer,
  c: ClientCase,
): Promise<{ direct: Verdict; forwarded: Verdict }> {
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(c.leaf.der);
  } catch {
    return { direct: 'unreadable', forwarded: 'unreadable' };
  }
  let sent: X509Certificate[] | undefined;
  try {
    sent = c.sent.map((s) => new X509Certificate(s.der));
  } catch {
    // A sent certificate Node cannot read: the handshake cannot either; the leaf alone still can.
    sent = undefined;
  }
  const withChain = sent ? await doctor.explain(leaf, sent) : undefined;
  const alone = sent?.length === 0 && withChain ? withChain : await doctor.explain(leaf, []);
  return {
    direct: withChain ? withChain.verdicts.direct : 'unreadable',
    forwarded: alone.verdicts.forwarded,
  };
}
