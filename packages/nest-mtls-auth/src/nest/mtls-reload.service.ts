import type { Server as TlsServer } from 'node:tls';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { logRecord } from '../authentication/log-record.js';
import { applyMaterial, type MtlsReloadMaterial } from '../reload/reload-material.js';
import { ReloadTrigger } from '../reload/reload-trigger.js';
import { ClientCertAuthenticator } from './client-cert.authenticator.js';

/** What {@link MtlsReloadService.watch} watches, and how the application reads its material. */
export interface MtlsReloadOptions<M extends MtlsReloadMaterial = MtlsReloadMaterial> {
  /**
   * The files `read` reads (certificate, key, CA bundle, CRLs, ...). Their directories are
   * watched; a change to any of them reloads, once the files have been quiet for `debounceMs`.
   * Empty: reload only on the signal and on {@link MtlsReloadService.reload}.
   */
  readonly files: readonly string[];
  /**
   * Reads the material again, synchronously, as at start-up (the same function is best). Throw
   * to refuse what it found: a half-written or invalid file; the previous material stays.
   */
  readonly read: () => M;
  /**
   * Runs once `read`'s material is in force, before the reload is logged: anything of the
   * application's own that follows it (session-ticket keys, an inventory of certificates).
   * `server` is the HTTPS server, if there is one.
   */
  readonly applied?: (material: M, server: TlsServer | undefined) => void;
  /** @default 250 */
  readonly debounceMs?: number;
  /** The signal that forces a reload (`kill -HUP <pid>`); `false`: none. @default 'SIGHUP' */
  readonly signal?: NodeJS.Signals | false;
}

/**
 * Certificate and trust hot reload for the application (inject it): {@link watch} the files of
 * the server's certificate and of the trust, and every change is read, checked whole and applied
 * to new TLS connections and to the module's trust; or refused, with a log line, and the previous
 * material stays in force. Stops when the application closes. The watching is
 * `reload/reload-trigger.ts`, the checks and the swap `reload/reload-material.ts`.
 */
@Injectable()
export class MtlsReloadService implements OnModuleDestroy {
  private readonly logger = new Logger('MtlsReload');
  private trigger: ReloadTrigger | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly authenticator: ClientCertAuthenticator,
  ) {}

  /**
   * Watches `options.files` and listens for the signal from now on (call it once, at bootstrap
   * or after `NestFactory.create()`); what is in force now counts as read.
   *
   * @throws {Error} when already watching.
   */
  watch<M extends MtlsReloadMaterial>(options: MtlsReloadOptions<M>): void {
    if (this.trigger) throw new Error('MtlsReloadService.watch(): already watching');
    this.trigger = new ReloadTrigger({
      files: options.files,
      reload: (reason) => this.apply(options, reason),
      debounceMs: options.debounceMs,
      signal: options.signal ?? 'SIGHUP',
      onWatchError: (dir, error) =>
        this.logger.warn(
          logRecord({
            msg: 'certificate directory watch failed',
            event: 'tls.watch_failed',
            dir,
            error: error.message,
          }),
        ),
    });
    this.trigger.start();
  }

  /**
   * Reads and applies the material now (`onlyIfChanged`: only when the watched files changed).
   * `false` when it was refused and the previous material stays (the log line says why).
   *
   * @throws {Error} before {@link watch}.
   */
  reload(reason = 'requested', options: { readonly onlyIfChanged?: boolean } = {}): boolean {
    if (!this.trigger) throw new Error('MtlsReloadService.reload(): call watch() first');
    return this.trigger.run(reason, options.onlyIfChanged ?? false);
  }

  onModuleDestroy(): void {
    this.trigger?.close();
    this.trigger = undefined;
  }

  private apply<M extends MtlsReloadMaterial>(options: MtlsReloadOptions<M>, reason: string) {
    let material: M;
    let server: TlsServer | undefined;
    try {
      material = options.read();
      server = applyMaterial(material, {
        trust: this.authenticator,
        server: this.adapterHost.httpAdapter?.getHttpServer(),
      });
    } catch (error) {
      return this.failed(
        reason,
        error,
        'certificate reload failed; the previous certificates stay in force',
      );
    }
    try {
      options.applied?.(material, server);
    } catch (error) {
      return this.failed(reason, error, 'certificates reloaded, but the applied hook failed');
    }
    this.logger.log(logRecord({ msg: 'certificates reloaded', event: 'tls.reloaded', reason }));
    return true;
  }

  private failed(reason: string, error: unknown, msg: string): false {
    const message = error instanceof Error ? error.message : String(error);
    this.logger.error(logRecord({ msg, event: 'tls.reload_failed', reason, error: message }));
    return false;
  }
}
