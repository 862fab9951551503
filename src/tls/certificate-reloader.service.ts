import { resolve } from 'node:path';
import type { Server as TlsServer } from 'node:tls';
import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { TlsConfig } from '../config/app-config.js';
import { ServiceConfig } from '../config/service-config.js';
import { readAccessFile, readSpiffeBundles } from '../config/mtls-auth-options.factory.js';
import { readConfigFile } from '../config/read-config-file.js';
import { CertificateInventory } from '../health/certificate-inventory.js';
import { buildServerTlsOptions, readTicketKeys } from './server-tls-options.js';
import type { TicketKeys } from './ticket-keys.js';
import { useTicketKeys } from './use-ticket-keys.js';
import { MtlsReloadService, type MtlsReloadMaterial } from 'nest-mtls-auth';

/** What the service reads on a reload: the package's material and its session-ticket keys. */
interface ServiceMaterial extends MtlsReloadMaterial {
  readonly ticketKeys?: TicketKeys;
}

/**
 * Hot rotation, with the package's {@link MtlsReloadService}: when the files behind
 * `TLS_CERT_FILE`/`TLS_KEY_FILE`/`TLS_PFX_FILE`, `TLS_TICKET_KEYS_FILE`, `MTLS_CA_FILE`,
 * `MTLS_CRL_FILE`, `MTLS_ACCESS_FILE` or the bundles of `MTLS_SPIFFE_BUNDLES` change (their
 * directories are watched), or on `SIGHUP`, everything is read and checked again, each error
 * naming its variable and file, then applied: the server's secure context for new connections
 * (with the ticket keys of the file, or the process's own, so resumption keeps working; a trust
 * change also changes the session id context, so no session verified under the old trust resumes)
 * and the module's trust (which makes every open connection be judged again on its next
 * request). A half-written or invalid file is refused with a `tls.reload_failed` log line and the
 * previous certificates stay in force; `tls.reloaded` says a reload took.
 *
 * What is the service's own: which files, how they are read, the ticket keys, and the certificate
 * inventory that the probes and `/health` report from.
 */
@Injectable()
export class CertificateReloader implements OnApplicationBootstrap {
  private readonly logger = new Logger('CertificateReloader');
  private readonly tls: TlsConfig;
  private readonly accessFile: string | undefined;

  constructor(
    @Inject(ServiceConfig) config: ServiceConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly reloads: MtlsReloadService,
    @Optional() private readonly inventory?: CertificateInventory,
  ) {
    this.tls = config.tls;
    this.accessFile = config.mtls.accessFile;
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
    this.reloads.watch<ServiceMaterial>({
      files: this.files,
      read: () => this.read(),
      applied: (material, server) => this.applied(material, server),
    });
  }

  /**
   * Reads, checks and applies every certificate file. Returns `false`, keeping the previous
   * certificates, when anything is invalid; unchanged files are skipped unless `force`.
   */
  reload(reason: string, force = false): boolean {
    return this.reloads.reload(reason, { onlyIfChanged: !force });
  }

  /** Every file, read and checked before anything is applied. */
  private read(): ServiceMaterial {
    return {
      trustedCa: readConfigFile('MTLS_CA_FILE', this.tls.caFile),
      crl: this.tls.crlFile ? readConfigFile('MTLS_CRL_FILE', this.tls.crlFile) : undefined,
      spiffeBundles: readSpiffeBundles(this.tls.spiffeBundleFiles),
      access: this.accessFile ? readAccessFile(this.accessFile) : undefined,
      httpsOptions: this.tls.enabled ? buildServerTlsOptions(this.tls) : undefined,
      ticketKeys: this.tls.enabled ? readTicketKeys(this.tls) : undefined,
    };
  }

  private applied({ ticketKeys, httpsOptions }: ServiceMaterial, server?: TlsServer): void {
    // The new secure context has the ticket keys of the old one; the file's go on it again.
    if (ticketKeys && httpsOptions && server) useTicketKeys(server, ticketKeys);
    this.inventory?.refresh();
    // A CRL past its nextUpdate loads (OpenSSL takes it) and then refuses every caller of its
    // CA: say so with each reload, not only at start-up.
    this.inventory?.logRevocationLists();
  }

  private server(): TlsServer {
    return this.adapterHost.httpAdapter.getHttpServer() as TlsServer;
  }
}
