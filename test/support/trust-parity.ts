import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import fc from 'fast-check';
import type { MtlsAuthModuleOptions } from 'nest-mtls-auth';
import {
  MAX_FORWARDED_CHAIN,
  MAX_FORWARDED_HEADER_LENGTH,
} from '../../packages/nest-mtls-auth/src/forwarded/forwarded-certificate.js';
import { securityLevelOf } from '../../packages/nest-mtls-auth/src/tls/security-level.js';
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
  | 'unpresentable'
  /** Node's own limit on a request's headers (16 KiB) answered 431 before the service saw it. */
  | 'header-too-large';

/** The forms in which a proxy forwards a chain, one per case in turn. */
export const CHAIN_FORMS = ['rfc9440', 'xfcc', 'traefik', 'alb'] as const;
export type ChainForm = (typeof CHAIN_FORMS)[number];

/** The header the world's service reads a separate chain from (RFC 9440's form). */
const CHAIN_HEADER = 'x-ssl-client-cert-chain';

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
  /** The leaf and the chain the client sent, forwarded by a trusted proxy in `chainForm`. */
  readonly forwardedChain: Verdict;
  /** The doctor's prediction for that header (`--header`, `--chain-header`). */
  readonly doctorForwardedChain: Verdict;
  readonly chainForm: ChainForm;
  /**
   * Whether the forwarded chain is within the bounds: `package` when over the service's (more
   * than 10 chain certificates, a header over 16 KiB: `MTLS_CERT_MALFORMED`, whatever the
   * handshake says), `node` when the headers together come near Node's own 16 KiB (its 431).
   */
  readonly chainBounds: 'within' | 'package' | 'node';
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
    same(row.forwarded, row.doctorForwarded) &&
    sameWithChain(row)
  );
}

/**
 * The leaf and its chain forwarded by a proxy get the handshake's answer for the same leaf and
 * chain, unless the chain is over the bounds, which is refused; the doctor reads the header alike.
 */
function sameWithChain(row: ParityRow): boolean {
  const refused = (v: Verdict) => v === 'MTLS_CERT_MALFORMED' || v === 'header-too-large';
  const withChain =
    same(row.direct, row.forwardedChain) && same(row.forwardedChain, row.doctorForwardedChain);
  switch (row.chainBounds) {
    case 'package':
      return refused(row.forwardedChain) && row.doctorForwardedChain === 'MTLS_CERT_MALFORMED';
    case 'node':
      // Near Node's limit on all the headers together: its 431, or the answer within bounds.
      return refused(row.forwardedChain) || withChain;
    case 'within':
      return withChain;
  }
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
    `    chain forwarded (${row.chainForm}, ${row.chainBounds}): ${row.forwardedChain} | doctor ${row.doctorForwardedChain}`,
  ].join('\n');
}

/** What a client presents: its leaf, its key, and the certificates it sends after the leaf. */
export interface Presented {
  readonly leafPem: string;
  readonly keyPem: string;
  readonly sentPems: readonly string[];
}

/** An answer of the service: the verdict, and the JSON body of a 200. */
export interface Answer {
  readonly verdict: Verdict;
  readonly body: Record<string, unknown>;
  /** What the handshake came to, for the report. */
  readonly openssl: string;
}

/** The service on both adapters, trusting a world's bundle, each with a trusted proxy's connection. */
export interface WorldServers {
  readonly world: World;
  readonly apps: readonly { adapter: Adapter; app: RunningApp; proxy: Agent }[];
  close(): Promise<void>;
}

/**
 * Starts the service on each adapter with `world`'s bundle and server certificate; the world's
 * proxy certificate (`CN=trusted-proxy`) is a trusted proxy by identity.
 */
export async function startWorldServers(
  pki: TestPki,
  world: World,
  adapters: readonly Adapter[] = ['express', 'fastify'],
  extraEnv: Record<string, string> = {},
): Promise<WorldServers> {
  const dir = mkdtempSync(join(tmpdir(), 'mtls-world-'));
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
    MTLS_CERT_CHAIN_HEADER: CHAIN_HEADER,
    LOG_LEVEL: 'silent',
    ...extraEnv,
  };
  const apps: { adapter: Adapter; app: RunningApp; proxy: Agent }[] = [];
  const close = async () => {
    for (const { app, proxy } of apps) {
      proxy.destroy();
      await app.close();
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const adapter of adapters) {
      apps.push({ adapter, app: await startApp(pki, adapter, env), proxy: proxyAgent(world) });
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { world, apps, close };
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
  const servers = await startWorldServers(pki, world);
  try {
    // The service's options, for the doctor's code (the level read from OpenSSL once, not per case).
    const options: MtlsAuthModuleOptions = {
      trustedCa: world.bundlePem,
      trustedProxyIdentities: ['trusted-proxy'],
      certificateChainHeader: CHAIN_HEADER,
      securityLevel: securityLevelOf(),
    };
    const doctor = new CertificateExplainer(options);
    const generated = fc.sample(caseArbitrary(world), { numRuns: cases, seed });
    const rows: ParityRow[] = [];
    for (const [index, c] of generated.entries()) {
      if (only !== undefined && index !== only) continue;
      const { adapter, app, proxy } = servers.apps[
        index % servers.apps.length
      ] as (typeof servers.apps)[number];
      const presented: Presented = {
        leafPem: c.leaf.pem,
        keyPem: c.leaf.keyPem,
        sentPems: c.sent.map((sent) => sent.pem),
      };
      const direct = await presentDirect(world, app, presented);
      const directLeaf =
        c.sent.length > 0
          ? await presentDirect(world, app, { ...presented, sentPems: [] })
          : direct;
      const forwarded = await presentForwarded(app, proxy, c.leaf.pem);
      const predicted = await consultDoctor(doctor, c);
      const chainForm = CHAIN_FORMS[Math.floor(index / 2) % CHAIN_FORMS.length] as ChainForm;
      const headers = chainHeaders(chainForm, c);
      const forwardedChain = await presentForwardedHeaders(app, proxy, headers);
      const chainExplained = await doctor.explainHeader(
        headers['x-ssl-client-cert'] ?? '',
        headers[CHAIN_HEADER],
      );
      const row: ParityRow = {
        index,
        adapter,
        case: c,
        direct: direct.verdict,
        directLeaf: directLeaf.verdict,
        forwarded: forwarded.verdict,
        doctorDirect: predicted.direct,
        doctorForwarded: predicted.forwarded,
        forwardedChain: forwardedChain.verdict,
        doctorForwardedChain: chainExplained.code ?? 'accepted',
        chainForm,
        chainBounds: chainBounds(c, headers),
        openssl: direct.openssl,
      };
      rows.push(row);
      onRow(row);
    }
    return { seed, rows, seconds: (performance.now() - started) / 1000 };
  } finally {
    await servers.close();
  }
}

/** The trusted proxy's keep-alive connection (its certificate makes it one, by identity). */
function proxyAgent(world: World): Agent {
  return new Agent({
    keepAlive: true,
    maxSockets: 1,
    cert: world.proxy.certPem,
    key: world.proxy.keyPem,
    // The server is ours and checked by fingerprint: no CA store, so that OpenSSL does not
    // append CAs of its own to the chain a client sends.
    rejectUnauthorized: false,
    servername: 'localhost',
  });
}

/**
 * Presents a leaf and the certificates sent with it over a new TLS connection and asks `path`.
 * The client runs at security level 0, so that it can present what a weak client would; TLS 1.2
 * is tried when 1.3 cannot carry the key (an RSA key too small for PSS sends no certificate).
 */
export async function presentDirect(
  world: World,
  app: RunningApp,
  presented: Presented,
  path = '/api/whoami',
): Promise<Answer> {
  const cert = presented.leafPem + presented.sentPems.join('');
  let last: Answer = { verdict: 'tls-failure', body: {}, openssl: '' };
  for (const maxVersion of ['TLSv1.3', 'TLSv1.2'] as const) {
    try {
      last = await ask(world, app, path, { cert, key: presented.keyPem, maxVersion });
    } catch (error) {
      last = { verdict: 'tls-failure', body: {}, openssl: (error as Error).message };
      continue;
    }
    if (last.verdict !== 'MTLS_CERT_MISSING') return last;
  }
  return last.verdict === 'MTLS_CERT_MISSING' ? { ...last, verdict: 'unpresentable' } : last;
}

function ask(
  world: World,
  app: RunningApp,
  path: string,
  tls: { cert: string; key: string; maxVersion: 'TLSv1.3' | 'TLSv1.2' },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${app.url}${path}`,
      {
        agent: false,
        ...tls,
        ciphers: 'DEFAULT@SECLEVEL=0',
        rejectUnauthorized: false,
        servername: 'localhost',
      },
      (res) => {
        const socket = res.socket as TLSSocket;
        const server = world.server.certificate.x509?.fingerprint256;
        if (socket.getPeerCertificate().fingerprint256 !== server) {
          reject(new Error('not the test server'));
          return;
        }
        answer(res, resolve, res.statusCode === 200 ? 'OK' : 'refused');
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/**
 * Sends the leaf as nginx forwards it (`$ssl_client_escaped_cert`) over the trusted proxy's
 * connection, and asks `path`.
 */
export function presentForwarded(
  app: RunningApp,
  proxy: Agent,
  leafPem: string,
  path = '/api/whoami',
): Promise<Answer> {
  return presentForwardedHeaders(
    app,
    proxy,
    { 'x-ssl-client-cert': encodeURIComponent(leafPem) },
    path,
  );
}

/** Sends headers as the trusted proxy over its connection, and asks `path`. */
export function presentForwardedHeaders(
  app: RunningApp,
  proxy: Agent,
  headers: Record<string, string>,
  path = '/api/whoami',
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${app.url}${path}`, { agent: proxy, headers }, (res) =>
      answer(res, resolve, 'forwarded'),
    );
    req.on('error', reject);
    req.end();
  });
}

/** Where a case's forwarded chain stands against the bounds (see `ParityRow.chainBounds`). */
function chainBounds(c: ClientCase, headers: Record<string, string>): ParityRow['chainBounds'] {
  const values = Object.values(headers);
  if (
    c.sent.length > MAX_FORWARDED_CHAIN ||
    values.some((v) => v.length > MAX_FORWARDED_HEADER_LENGTH)
  ) {
    return 'package';
  }
  // Node counts the whole header section; the request's other headers take a few hundred bytes.
  const size = Object.entries(headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 0);
  return size > NODE_MAX_HEADER_SIZE - 512 ? 'node' : 'within';
}

/** Node's default limit on a request's header section (`--max-http-header-size`). */
const NODE_MAX_HEADER_SIZE = 16_384;

/**
 * The headers a proxy forwards a case's leaf and the chain its client sent in, in one of the
 * forms of the presets: RFC 9440's two headers; Envoy's XFCC with `Cert=` and `Chain=` (leaf
 * first); Traefik's comma list of base64 DER (leaf first); ALB passthrough's URL-encoded PEM
 * blocks (leaf first). All in the certificate header the world's service reads in `auto` format,
 * and its chain header. The chain is the handshake's, in its order.
 */
export function chainHeaders(form: ChainForm, c: ClientCase): Record<string, string> {
  const certs = [c.leaf, ...c.sent];
  const b64 = (der: Uint8Array) => Buffer.from(der).toString('base64');
  switch (form) {
    case 'rfc9440':
      return {
        'x-ssl-client-cert': `:${b64(c.leaf.der)}:`,
        [CHAIN_HEADER]: c.sent.map((s) => `:${b64(s.der)}:`).join(', '),
      };
    case 'xfcc':
      return {
        'x-ssl-client-cert': `By=spiffe://mesh/proxy;Cert="${encodeURIComponent(c.leaf.pem)}";Chain="${certs.map((s) => encodeURIComponent(s.pem)).join('')}"`,
      };
    case 'traefik':
      return { 'x-ssl-client-cert': certs.map((s) => b64(s.der)).join(',') };
    case 'alb':
      return { 'x-ssl-client-cert': certs.map((s) => encodeURIComponent(s.pem)).join('') };
  }
}

function answer(res: IncomingMessage, resolve: (a: Answer) => void, openssl: string): void {
  if (res.statusCode === 431) {
    res.resume();
    resolve({ verdict: 'header-too-large', body: {}, openssl });
    return;
  }
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    const verdict = res.statusCode === 200 ? 'accepted' : (String(body.code) as Verdict);
    resolve({ verdict, body, openssl });
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
