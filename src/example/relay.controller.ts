import { EXAMPLE_SETTINGS, type ExampleSettings } from './example.settings.js';
import { BadGatewayException, Controller, Get, Inject, UseInterceptors } from '@nestjs/common';
import {
  ClientIdentity,
  ClientCertForwardingInterceptor,
  MtlsHttpClient,
  OutboundRequestError,
} from 'nest-mtls-auth';

/**
 * `GET /api/relay`: calls `EXAMPLE_RELAY_URL/api/whoami` with this service's own certificate, on
 * behalf of the caller (the interceptor binds it, the client sends it in XFCC), and returns both
 * what this service saw and what the downstream saw.
 */
@Controller('api')
@UseInterceptors(ClientCertForwardingInterceptor)
export class RelayController {
  private readonly relayUrl: string | undefined;

  constructor(
    private readonly client: MtlsHttpClient,
    @Inject(EXAMPLE_SETTINGS) settings: ExampleSettings,
  ) {
    this.relayUrl = settings.relayUrl;
  }

  @Get('relay')
  async relay(@ClientIdentity() caller: ClientIdentity) {
    if (!this.relayUrl) {
      throw new BadGatewayException({
        statusCode: 502,
        error: 'Bad Gateway',
        code: 'RELAY_NOT_CONFIGURED',
        message: 'Set EXAMPLE_RELAY_URL to the base URL of the service to call.',
      });
    }
    try {
      const downstream = await this.client.getJson<ClientIdentity>(`${this.relayUrl}/api/whoami`);
      return { caller, downstream };
    } catch (error) {
      if (!(error instanceof OutboundRequestError)) throw error;
      throw new BadGatewayException(
        {
          statusCode: 502,
          error: 'Bad Gateway',
          code: error.code,
          message: error.message,
          downstreamStatus: error.details.status,
          downstreamCode: error.details.downstreamCode,
        },
        { cause: error },
      );
    }
  }
}
