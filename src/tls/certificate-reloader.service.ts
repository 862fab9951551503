import { createHash } from 'node:crypto';
import { existsSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Server as TlsServer } from 'node:tls';
import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import type { MtlsConfig, TlsConfig } from '../config/app-config.js';
import { readAccessFile, readSpiffeBundles } from '../config/mtls-auth-options.factory.js';
import { CertificateInventory } from '../health/certificate-inventory.js';
import { buildServerTlsOptions, readTicketKeys } from './server-tls-options.js';
import { useTicketKeys } from './use-ticket-keys.js';
import { MtlsAuthService } from 'nest-mtls-auth';

/** Quiet time after the last file event before reloading (a secret update touches several files). */
const DEBOUNCE_MS = 250;

/**
 * Hot rotation: when the files behind `TLS_CERT_FILE`/`TLS_KEY_FILE`/`TLS_PFX_FILE`,
 * `TLS_TICKET_KEYS_FILE`, `MTLS_CA_FILE`, `MTLS_CRL_FILE`, `MTLS_ACCESS_FILE` or the bundles of
 * `MTLS_SPIFFE_BUNDLES` change, or on
 * `SIGHUP`, everything is read and validated again, then applied: the server's secure context for
 * new connections (with the ticket keys of the file, or the process's own, so resumption keeps
 * working; a trust change also changes the session id context, so no session verified under the
 * old trust resumes) and the module's trust (which makes every open connection be judged
 * again on its next request). A half-written or invalid file is refused with a log line and the
 * previous certificates stay in force.
 *
 * Directories are watched, not files: Kubernetes and cert-manager replace secrets by swapping a
 * `..data` symlink with an atomic rename, which a watch on the file itself would miss.
 */
@Injectable()
export class CertificateReloader implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CertificateReloader');
  private readonly tls: TlsConfig;
  private readonly accessFile: string | undefined;
  private watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastDigest: string | undefined;
  private readonly onSighup = (): void => {
    this.reload('SIGHUP', true);
  };

  constructor(
    @Inject(ConfigService) config: ConfigService,
    private readonly adapterHost: HttpAdapterHost,
    private readonly mtlsAuth: MtlsAuthService,
    @Optional() private readonly inventory?: CertificateInventory,
  ) {
    this.tls = config.getOrThrow<TlsConfig>('tls');
    this.accessFile = config.getOrThrow<MtlsConfig>('mtls').accessFile;
  }

  /** The files whose change triggers a reload. */
  get files(): string[] {
    const t = this.tls;
    const server = t.enabled
      ? [
          ...(t.pfxFile ? [t.pfxFile, t.pfxPassphraseFile] : [t.certFile, t.keyFile]),
          t.ticketKeysFile,
        ]
      : [];
    const bundles = Object.values(t.spiffeBundleFiles ?? {});
    return [...server, t.caFile, t.crlFile, ...bundles, this.accessFile]
      .filter((f): f is string => f !== undefined)
      .map((f) => resolve(f));
  }

  onApplicationBootstrap(): void {
    this.lastDigest = this.digest();
    const keys = this.tls.enabled ? readTicketKeys(this.tls) : undefined;
    if (keys) {
      const mode = useTicketKeys(this.server(), keys);
      this.logger.log({
        msg: 'session tickets use the shared keys',
        event: 'tls.ticket_keys',
        keys: keys.size,
        mode,
      });
    }
    for (const dir of new Set(this.files.map((f) => dirname(f)))) {
      if (!existsSync(dir)) continue;
      const watcher = watch(dir, () => this.schedule());
      watcher.on('error', (error) =>
        this.logger.warn({ msg: 'certificate directory watch failed', dir, err: error }),
      );
      watcher.unref();
      this.watchers.push(watcher);
    }
    process.on('SIGHUP', this.onSighup);
  }

  onApplicationShutdown(): void {
    clearTimeout(this.timer);
    for (const w of this.watchers) w.close();
    this.watchers = [];
    process.off('SIGHUP', this.onSighup);
  }

  /**
   * Reads, validates and applies every certificate file. Returns `false`, keeping the previous
   * certificates, when anything is invalid; unchanged files are skipped unless `force`.
   */
  reload(reason: string, force = false): boolean {
    try {
      const digest = this.digest();
      if (!force && digest === this.lastDigest) return true;
      // Validate everything before applying anything.
      const options = this.tls.enabled ? buildServerTlsOptions(this.tls) : undefined;
      const keys = this.tls.enabled ? readTicketKeys(this.tls) : undefined;
      const ca = readFileSync(this.tls.caFile);
      const crl = this.tls.crlFile ? readFileSync(this.tls.crlFile) : undefined;
      const spiffeBundles = readSpiffeBundles(this.tls.spiffeBundleFiles);
      const access = this.accessFile ? readAccessFile(this.accessFile) : undefined;
      this.mtlsAuth.reloadTrust(ca, crl, spiffeBundles);
      if (access) this.mtlsAuth.reloadAccess(access);
      const server = this.server();
      if (options && typeof server.setSecureContext === 'function') {
        server.setSecureContext({ ticketKeys: server.getTicketKeys(), ...options });
        if (keys) useTicketKeys(server, keys);
      }
      this.lastDigest = digest;
      this.inventory?.refresh();
      this.logger.log({ msg: 'certificates reloaded', event: 'tls.reloaded', reason });
      // A CRL past its nextUpdate loads (OpenSSL takes it) and then refuses every caller of its
      // CA: say so with each reload, not only at start-up.
      this.inventory?.logRevocationLists();
      return true;
    } catch (error) {
      this.logger.error({
        msg: 'certificate reload failed; the previous certificates stay in force',
        event: 'tls.reload_failed',
        reason,
        error: (error as Error).message,
      });
      return false;
    }
  }

  private server(): TlsServer {
    return this.adapterHost.httpAdapter.getHttpServer() as TlsServer;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.reload('file change'), DEBOUNCE_MS);
    this.timer.unref();
  }

  private digest(): string {
    const hash = createHash('sha256');
    for (const file of this.files) {
      try {
        hash.update(file).update(readFileSync(file));
      } catch {
        // A file that is missing mid-swap counts as a change; the reload then reports it.
        hash.update(`${file}:missing`);
      }
    }
    return hash.digest('hex');
  }
}
