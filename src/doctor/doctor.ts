import { X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import {
  ClientCertStrategy,
  describeRoutes,
  CertificateExplainer,
  MtlsReasonCode,
  parsePemCertificates,
  REASON_DESCRIPTIONS,
  type CertificateExplanation,
  type ExplainedStep,
  type MtlsAuthModuleOptions,
  type RouteAccess,
} from 'nest-mtls-auth';
import { createQuietApp } from '../app.factory.js';
import { loadAppConfig, settingOf } from '../config/app-config.js';
import { mtlsAuthOptionsFromConfig } from '../config/mtls-auth-options.factory.js';
import { probe, type ProbeResult } from './probe.js';

/** What to examine: a certificate (PEM with its chain, DER, or PKCS#12), or a forwarded header. */
export type DoctorSubject =
  | { readonly certificate: Buffer; readonly passphrase?: string }
  | { readonly header: string; readonly chainHeader?: string };

/** The app whose routes the doctor judges: the service's (src/features.ts, src/auth.ts) or a test's. */
export interface DoctorApp {
  readonly features: readonly (Type | DynamicModule)[];
  /** The app's strategy (src/auth.ts); the package's own, which lets every trusted caller in, when unset. */
  readonly strategy?: Type<ClientCertStrategy>;
}

/** One check of the report: the certificate's, then the strategy's when the app has its own. */
export type DoctorStep = Omit<ExplainedStep, 'check'> & {
  readonly check: ExplainedStep['check'] | 'strategy';
};

/** One route, and whether the examined caller may call it. */
export interface RouteVerdict {
  readonly method: string;
  readonly path: string;
  readonly access: 'public' | 'allowed' | 'refused';
  readonly fix?: string;
}

/** The doctor's whole answer. */
export interface DoctorReport {
  /** The reason code the service answers, or `undefined` when it accepts the certificate. */
  readonly code: MtlsReasonCode | undefined;
  readonly status: number | undefined;
  readonly steps: readonly DoctorStep[];
  readonly routes: readonly RouteVerdict[];
  /** Accepted for at least one protected route. */
  readonly accepted: boolean;
  /** What the service answers the certificate directly and through a proxy, and why they differ. */
  readonly verdicts: CertificateExplanation['verdicts'];
  /** With `connect`: what the running service said (see {@link probe}). */
  readonly running?: ProbeResult;
}

/** A running service to try the certificate on (`--connect`). */
export interface ConnectTarget {
  readonly host: string;
  readonly port: number;
  readonly key: Buffer;
  /** CA that verifies the running service; `OUTBOUND_CA_FILE` by default. */
  readonly ca?: Buffer;
  /** Route to call; the first protected GET route without parameters by default. */
  readonly path?: string;
}

/**
 * Runs the service's own checks on a certificate, with the service's own configuration (`env`,
 * as `main.ts` reads it), its own routes and strategy (`app`), and says what it would answer and
 * why.
 *
 * @throws {ConfigurationError} when the configuration itself is invalid.
 */
export async function examine(
  subject: DoctorSubject,
  env: NodeJS.ProcessEnv,
  app: DoctorApp,
  target?: ConnectTarget,
): Promise<DoctorReport> {
  const config = loadAppConfig(env);
  const options: MtlsAuthModuleOptions = mtlsAuthOptionsFromConfig(config.mtls);
  // A trust domain's bundle is named with its file, so the report says which bundle was used.
  const bundles = config.mtls.spiffeBundleFiles;
  const name = (option: keyof MtlsAuthModuleOptions, key?: string) =>
    option === 'spiffeBundles' && key !== undefined
      ? `${settingOf(option)}["${key}"] (${bundles?.[key] ?? 'no file'})`
      : settingOf(option);
  const explainer = new CertificateExplainer(options, name);
  const explanation = await ('header' in subject
    ? explainer.explainHeader(subject.header, subject.chainHeader)
    : explainChain(explainer, readCertificates(subject.certificate, subject.passphrase)));
  const { routes, strategy } = await judgeOnApp(config, app, explanation);
  const code = strategy?.ok === false ? MtlsReasonCode.ServiceForbidden : explanation.code;
  let running: ProbeResult | undefined;
  if (target) {
    if (!('certificate' in subject))
      throw new Error('--connect needs a certificate file and --key');
    const path =
      target.path ??
      routes.find((r) => r.access !== 'public' && r.method === 'GET' && !r.path.includes(':'))
        ?.path ??
      '/health';
    running = await probe({
      host: target.host,
      port: target.port,
      ca: target.ca ?? readFileSync(config.outbound.caFile),
      cert: subject.certificate,
      key: target.key,
      path,
    });
  }
  return {
    running,
    code,
    status: code === undefined ? undefined : REASON_DESCRIPTIONS[code].status,
    steps: strategy ? [...explanation.steps, strategy] : explanation.steps,
    routes,
    accepted: code === undefined && routes.some((r) => r.access === 'allowed'),
    verdicts: explanation.verdicts,
  };
}

function explainChain(
  explainer: CertificateExplainer,
  chain: X509Certificate[],
): Promise<CertificateExplanation> {
  const [leaf, ...presented] = chain;
  if (!leaf) throw new Error('the file holds no certificate');
  return explainer.explain(leaf, presented);
}

/**
 * The app, built as `main.ts` builds it (no port is opened): its routes judged for the caller, and
 * what its own strategy, when it has one, makes of a caller the certificate checks accept.
 */
async function judgeOnApp(
  config: ReturnType<typeof loadAppConfig>,
  { features, strategy }: DoctorApp,
  explanation: CertificateExplanation,
): Promise<{ routes: RouteVerdict[]; strategy: DoctorStep | undefined }> {
  const app = await createQuietApp(config, { features, strategy });
  try {
    const { identity } = explanation;
    const step =
      strategy && identity && explanation.code === undefined
        ? await strategyStep(app, identity)
        : undefined;
    const judged =
      step?.ok === false ? { ...explanation, code: MtlsReasonCode.ServiceForbidden } : explanation;
    return { routes: describeRoutes(app).map((route) => verdict(route, judged)), strategy: step };
  } finally {
    await app.close();
  }
}

/** Runs the app's strategy on the caller, as the guard does once per certificate. */
async function strategyStep(
  app: INestApplication,
  identity: NonNullable<CertificateExplanation['identity']>,
): Promise<DoctorStep> {
  const strategy = app.get(ClientCertStrategy);
  const name = `${strategy.constructor.name}.validate()`;
  const fix = `${name} decides who the callers are (AUTH_STRATEGY in src/auth.ts): let this caller in there`;
  try {
    const user: unknown = await strategy.validate(identity);
    return user
      ? { check: 'strategy', ok: true, detail: `${name} lets it in` }
      : {
          check: 'strategy',
          ok: false,
          detail: `${name} refuses it (returns ${String(user)})`,
          fix,
        };
  } catch (error) {
    return {
      check: 'strategy',
      ok: false,
      detail: `${name} throws: ${error instanceof Error ? error.message : String(error)}`,
      fix,
    };
  }
}

function verdict(route: RouteAccess, explanation: CertificateExplanation): RouteVerdict {
  const base = { method: route.method, path: route.path };
  if (route.isPublic) return { ...base, access: 'public' };
  const { identity, code, pattern } = explanation;
  if (code !== undefined || !identity) return { ...base, access: 'refused' };
  if (route.allows(identity)) return { ...base, access: 'allowed' };
  const whose = route.onBehalfOf ? 'the original caller ' : '';
  return {
    ...base,
    access: 'refused',
    fix: `${whose}matches none of @AllowServices(${route.allowServices?.map((p) => `'${p}'`).join(', ')}) on ${route.controller}: add '${pattern ?? ''}' there`,
  };
}

/** PEM (a leaf and the chain it is sent with), DER, or PKCS#12 (through openssl). */
export function readCertificates(data: Buffer, passphrase?: string): X509Certificate[] {
  const text = data.toString('latin1');
  if (text.includes('-----BEGIN CERTIFICATE-----')) return parsePemCertificates(text);
  try {
    return [new X509Certificate(data)];
  } catch {
    // Not DER: PKCS#12, which Node cannot open; openssl can.
  }
  let pem: string;
  try {
    pem = execFileSync('openssl', ['pkcs12', '-nokeys', '-passin', `pass:${passphrase ?? ''}`], {
      input: data,
      encoding: 'latin1',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch {
    throw new Error(
      'not a PEM or DER certificate, and openssl could not open it as PKCS#12 (wrong --passphrase?)',
    );
  }
  const certs = readCertificates(Buffer.from(pem, 'latin1'));
  // The leaf first, then the CA certificates the bundle carries (openssl's order varies).
  return [...certs.filter((c) => !c.ca), ...certs.filter((c) => c.ca)];
}
