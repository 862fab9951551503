import { existsSync } from 'node:fs';
import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { OutboundConfig } from '../config/app-config.js';
import { ServiceConfig } from '../config/service-config.js';
import { readConfigFile } from '../config/read-config-file.js';
import { MtlsHttpClient, OutboundRequestError } from 'nest-mtls-auth';

/**
 * Provides {@link MtlsHttpClient} from `OUTBOUND_CERT_FILE`, `OUTBOUND_KEY_FILE` and
 * `OUTBOUND_CA_FILE`, read once at start-up. When the certificate files do not exist, the service
 * starts (it may never call anyone), says so in the log, and every call fails with
 * `OUTBOUND_NOT_CONFIGURED` naming the variables.
 */
@Global()
@Module({
  providers: [
    {
      provide: MtlsHttpClient,
      inject: [ServiceConfig],
      useFactory: ({ outbound }: ServiceConfig) => {
        if (!existsSync(outbound.certFile) || !existsSync(outbound.keyFile)) {
          new Logger('Outbound').warn(
            `no outbound client certificate (${outbound.certFile}): calls to other services will fail until OUTBOUND_CERT_FILE and OUTBOUND_KEY_FILE are set`,
          );
          return unconfiguredClient(outbound);
        }
        return new MtlsHttpClient({
          cert: readConfigFile('OUTBOUND_CERT_FILE', outbound.certFile),
          key: readConfigFile('OUTBOUND_KEY_FILE', outbound.keyFile),
          ca: readConfigFile('OUTBOUND_CA_FILE', outbound.caFile),
        });
      },
    },
  ],
  exports: [MtlsHttpClient],
})
export class OutboundModule implements OnApplicationShutdown {
  constructor(@Inject(MtlsHttpClient) private readonly client: MtlsHttpClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}

function unconfiguredClient(outbound: OutboundConfig): MtlsHttpClient {
  const fail = (url: string) =>
    Promise.reject(
      new OutboundRequestError(
        'OUTBOUND_NOT_CONFIGURED',
        `no outbound client certificate: set OUTBOUND_CERT_FILE and OUTBOUND_KEY_FILE (now ${outbound.certFile}, ${outbound.keyFile})`,
        url,
      ),
    );
  // Own properties, so that they shadow the prototype's methods and its serviceName getter.
  return Object.create(MtlsHttpClient.prototype, {
    serviceName: { value: 'unconfigured' },
    request: { value: (_m: string, url: string) => fail(url) },
    getJson: { value: (url: string) => fail(url) },
    postJson: { value: (url: string) => fail(url) },
    close: { value: () => Promise.resolve() },
  }) as MtlsHttpClient;
}
