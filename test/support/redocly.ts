import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** One problem `redocly lint` reports, as one line: rule, where, what. */
export type LintProblem = string;

const CLI = join(
  dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')),
  'bin/cli.js',
);

/**
 * Lints an OpenAPI document with `@redocly/cli lint` and its `recommended` ruleset (the checks a
 * client generator's users run), from a temporary folder so that no configuration file nearby
 * changes the rules, and without telemetry or an update check (no network).
 */
export async function redoclyLint(
  document: unknown,
): Promise<{ errors: LintProblem[]; warnings: LintProblem[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'openapi-lint-'));
  try {
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(document, null, 2));
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        [
          CLI,
          'lint',
          '--format=json',
          '--extends=recommended',
          '--max-problems=1000',
          'openapi.json',
        ],
        {
          cwd: dir,
          timeout: 30_000,
          env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        },
        // It exits 1 when it finds an error; its JSON report is on stdout either way.
        (error, out, stderr) =>
          out.trim().startsWith('{')
            ? resolve(out)
            : reject(new Error(`redocly lint printed no report: ${stderr}`, { cause: error })),
      );
    });
    const report = JSON.parse(stdout) as {
      problems: {
        ruleId: string;
        severity: 'error' | 'warn';
        message: string;
        location: { pointer: string }[];
      }[];
    };
    const line = (p: (typeof report.problems)[number]) =>
      `${p.ruleId} at ${p.location[0]?.pointer ?? '?'}: ${p.message}`;
    return {
      errors: report.problems.filter((p) => p.severity === 'error').map(line),
      warnings: report.problems.filter((p) => p.severity !== 'error').map(line),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
