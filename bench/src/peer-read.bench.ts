/**
 * npm run bench:peer-read: what reading the client certificate costs on a NEW connection, in a
 * plain `node:tls` server (no Nest, no package code): the floor under the "known" rows of
 * `npm run bench:connections`, whose guard must read the certificate to know the caller.
 *
 * Per connection, the server times its first `getPeerX509Certificate()` and `fingerprint256` (the
 * read a guard makes, and the cache key), in-process with hrtime. Three cases:
 *   full handshake, the client sends its CA    an OpenSSL client (Node's, curl) whose trust store
 *                                              holds its own issuer sends the chain it can build
 *                                              from it, root included; Node then makes an
 *                                              X509Certificate of that CA too, on every connection
 *   full handshake, the client sends its leaf  its trust store does not hold its issuer (separate
 *                                              client and server CAs), or it sends what it is
 *                                              configured with (Go, Java, Envoy)
 *   resumed session                            no chain is kept across resumption
 * Prints the median and quartiles in µs. Environment: BENCH_CONNECTIONS (per case, default 600).
 * Run it under each Node line to compare them; a measurement, with no goal.
 */
import type { AddressInfo } from 'node:net';
import { connect, createServer } from 'node:tls';
import { createRootCa, issue } from 'nest-mtls-auth/testing';
import { quartiles } from './lib/stats.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 600);
/** Connections not counted: the JIT and the allocator settle first. */
const WARMUP = 100;

// The client's certificate from one CA, the server's from another: the client's trust store holds
// its own issuer only in the case that puts it there.
const clientCa = await createRootCa('client-ca', 'O=Bench, CN=Bench client CA');
const serverCa = await createRootCa('server-ca', 'O=Bench, CN=Bench server CA');
const server = await issue('server', serverCa, {
  subject: 'CN=localhost',
  dns: ['localhost'],
  eku: ['serverAuth'],
});
const client = await issue('client', clientCa, { subject: 'CN=client', dns: ['client'] });

let samples: { micros: number; reused: boolean }[] = [];
const tls = createServer(
  {
    cert: server.certPem,
    key: server.keyPem,
    ca: clientCa.certPem,
    requestCert: true,
    rejectUnauthorized: true,
  },
  (socket) => {
    const start = process.hrtime.bigint();
    const cert = socket.getPeerX509Certificate();
    void cert?.fingerprint256;
    const micros = Number(process.hrtime.bigint() - start) / 1000;
    samples.push({ micros, reused: socket.isSessionReused() });
  },
);
await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
const { port } = tls.address() as AddressInfo;

/**
 * One connection, closed by the client once it holds a ticket for the next one (TLS 1.3 sends it
 * after the handshake); resolves with that ticket.
 */
function once(ca: string[], session: Buffer | undefined): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      port,
      host: '127.0.0.1',
      servername: 'localhost',
      ca,
      cert: client.certPem,
      key: client.keyPem,
      session,
    });
    const close = (ticket: Buffer) => {
      socket.end();
      socket.on('close', () => resolve(ticket));
    };
    // A resumed session may bring no new ticket: the one it came with serves again.
    socket.once('secureConnect', () => {
      if (session && socket.isSessionReused()) close(session);
      else socket.once('session', close);
    });
    socket.on('error', reject);
    socket.resume();
  });
}

async function measure(label: string, ca: string[], resumed: boolean): Promise<void> {
  let session = await once(ca, undefined);
  samples = [];
  for (let i = 0; i < WARMUP + CONNECTIONS; i++) {
    session = await once(ca, resumed ? session : undefined);
  }
  const counted = samples.slice(WARMUP);
  const reused = counted.filter((s) => s.reused).length;
  const times = counted.map((s) => s.micros);
  process.stdout.write(`| ${label} | ${quartiles(times)} | ${reused} of ${counted.length} |\n`);
}

process.stdout.write(
  `First getPeerX509Certificate() + fingerprint256 per new connection, Node ${process.version}, ` +
    `${CONNECTIONS} connections per case:\n\n| case | server time | resumed |\n|---|---|---|\n`,
);
const withItsCa = [serverCa.certPem, clientCa.certPem];
await measure('full handshake, the client sends its CA', withItsCa, false);
await measure('full handshake, the client sends its leaf', [serverCa.certPem], false);
await measure('resumed session', withItsCa, true);
tls.close();
