import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigurationError } from '../config/configuration.error.js';
import { examine, type ConnectTarget, type DoctorApp, type DoctorReport } from './doctor.js';
import { readInventory, suggestAllowlist } from './suggest-allowlist.js';

const USAGE = `Why is my certificate refused? Runs the service's own checks, with its configuration.

  npm run doctor -- <certificate>          PEM (leaf first, then the chain the client sends), DER or .p12
  npm run doctor -- <file.p12> --passphrase <p>
  npm run doctor -- --header='<value>'     a certificate header as the proxy forwards it
                   [--chain-header='<value>']   and its chain header (MTLS_CERT_CHAIN_HEADER)
  npm run doctor -- client.crt --key client.key --connect host:port [--path /route] [--cacert ca.crt]
                                           also try it on a running service
  add --json for a machine-readable report
  npm run doctor -- --suggest-allowlist --from <url|file>
                                           the @AllowServices(...) lines that admit exactly the
                                           callers GET /callers saw (its URL on MANAGEMENT_PORT,
                                           or a file with its answer)

Exit status: 0 when the certificate is accepted for at least one protected route, 1 when not,
2 when the configuration or the input cannot be read.`;

/**
 * Runs the doctor on `argv` (without node and the script) for `app` (the service's routes and
 * strategy, as `main.ts` has them, or a test's); returns its output and exit status.
 */
export async function runDoctor(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  app: DoctorApp,
): Promise<{ output: string; status: number }> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        header: { type: 'string' },
        'chain-header': { type: 'string' },
        passphrase: { type: 'string' },
        connect: { type: 'string' },
        key: { type: 'string' },
        path: { type: 'string' },
        cacert: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        'suggest-allowlist': { type: 'boolean', default: false },
        from: { type: 'string' },
      },
    });
  } catch (error) {
    return { output: `${(error as Error).message}\n\n${USAGE}\n`, status: 2 };
  }
  const { values, positionals } = parsed;
  if (values['suggest-allowlist']) {
    if (values.from === undefined) {
      return { output: `--suggest-allowlist needs --from <url|file>\n\n${USAGE}\n`, status: 2 };
    }
    try {
      const inventory = await readInventory(values.from, (path) => readFileSync(path, 'utf8'));
      return { output: suggestAllowlist(inventory, values.from), status: 0 };
    } catch (error) {
      return { output: `cannot read the callers: ${(error as Error).message}\n`, status: 2 };
    }
  }
  const file = positionals[0];
  if (values.help || (file === undefined) === (values.header === undefined)) {
    return { output: `${USAGE}\n`, status: values.help ? 0 : 2 };
  }
  let report: DoctorReport;
  try {
    const subject =
      values.header !== undefined
        ? { header: values.header, chainHeader: values['chain-header'] }
        : { certificate: readFileSync(file as string), passphrase: values.passphrase };
    report = await examine(subject, env, app, connectTarget(values));
  } catch (error) {
    const message =
      error instanceof ConfigurationError
        ? error.message
        : `cannot examine it: ${(error as Error).message}`;
    return { output: `${message}\n`, status: 2 };
  }
  const status = report.accepted ? 0 : 1;
  return { output: values.json ? `${JSON.stringify(report, null, 2)}\n` : render(report), status };
}

function connectTarget(values: {
  connect?: string;
  key?: string;
  path?: string;
  cacert?: string;
}): ConnectTarget | undefined {
  if (values.connect === undefined) return undefined;
  const match = /^(.+):(\d+)$/.exec(values.connect);
  if (!match) throw new Error(`--connect ${values.connect}: write host:port`);
  if (values.key === undefined)
    throw new Error('--connect needs --key, the client certificate key');
  return {
    host: (match[1] as string).replace(/^\[|\]$/g, ''),
    port: Number(match[2]),
    key: readFileSync(values.key),
    ca: values.cacert === undefined ? undefined : readFileSync(values.cacert),
    path: values.path,
  };
}

function render(report: DoctorReport): string {
  const lines: string[] = [];
  for (const step of report.steps) {
    lines.push(`${step.ok ? '✔' : '✘'} ${step.check}: ${step.detail}`);
    if (step.fix) lines.push(`    fix: ${step.fix}`);
  }
  if (report.code !== undefined) {
    lines.push('', `The service answers ${report.status} ${report.code} on every protected route.`);
  } else {
    lines.push('', 'Routes:');
    for (const route of report.routes) {
      const mark = route.access === 'refused' ? '✘' : '✔';
      lines.push(`  ${mark} ${route.method.padEnd(6)} ${route.path}  ${route.access}`);
      if (route.fix) lines.push(`      fix: ${route.fix}`);
    }
    lines.push(
      '',
      report.accepted
        ? 'Accepted.'
        : 'Trusted, but no protected route lets it in (403 MTLS_SERVICE_FORBIDDEN).',
    );
  }
  const { direct, forwarded, difference } = report.verdicts;
  if (difference) {
    lines.push(
      '',
      `Directly: ${direct}. Through a proxy that forwards the leaf alone: ${forwarded}.`,
      `    ${difference}`,
    );
  }
  const running = report.running;
  if (running) {
    lines.push(
      '',
      `Running service: ${running.server.subject}, issued by ${running.server.issuer}, valid until ${running.server.validTo}`,
    );
    if (!running.trusted) {
      lines.push(
        `✘ its certificate is not trusted (${running.trustError ?? 'unknown'}): nothing was sent to it`,
      );
    } else if (running.answer) {
      const { path, status, code } = running.answer;
      const route = report.routes.find((r) => r.path === path);
      const predicted =
        report.code ?? (route?.access === 'refused' ? 'MTLS_SERVICE_FORBIDDEN' : undefined);
      const agrees = code === predicted || (code === undefined && predicted === undefined);
      lines.push(
        `${agrees ? '✔' : '✘'} GET ${path}: ${status}${code ? ` ${code}` : ''}${agrees ? '' : ` (this configuration predicts ${predicted ?? 'acceptance'}: the running service is configured differently)`}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

// Run as a program, on the service as main.ts starts it. The tests import runDoctor only, and give
// it their own routes: they never load the service's (src/features.ts) or its strategy.
if (process.argv[1]?.endsWith('doctor-cli.js')) {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const [{ FEATURES }, { AUTH_STRATEGY }] = await Promise.all([
    import('../features.js'),
    import('../auth.js'),
  ]);
  let app: DoctorApp;
  try {
    app = { features: FEATURES.map((f) => f.module(process.env)), strategy: AUTH_STRATEGY };
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  const { output, status } = await runDoctor(process.argv.slice(2), process.env, app);
  process.stdout.write(output);
  process.exit(status);
}
