import { EXAMPLE_SETTINGS, type ExampleSettings } from './example.settings.js';
import { BadGatewayException, Controller, Get, Inject, UseInterceptors } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiOkResponse,
  ApiOperation,
} from '../openapi/openapi.decorators.js';
import { schemaRef } from '../openapi/schema-ref.js';
import {
  ClientIdentity,
  ClientCertForwardingInterceptor,
  MtlsHttpClient,
  OutboundRequestError,
  type OutboundErrorCode,
} from 'nest-mtls-auth';

/** Every code an `OutboundRequestError` carries (a Record, so that a new code must be added). */
const OUTBOUND_CODES: Record<OutboundErrorCode, true> = {
  DOWNSTREAM_TLS_FAILED: true,
  DOWNSTREAM_CLOSED: true,
  DOWNSTREAM_HTTP_ERROR: true,
  DOWNSTREAM_TIMEOUT: true,
  DOWNSTREAM_UNREACHABLE: true,
  OUTBOUND_NOT_CONFIGURED: true,
  TOKEN_REQUEST_FAILED: true,
};

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
  @ApiOperation({
    operationId: 'relay',
    summary: "Calls another service's /api/whoami on behalf of the caller",
  })
  @ApiOkResponse({
    description: 'The caller as this service saw it, and this service as the downstream saw it.',
    schema: {
      type: 'object',
      required: ['caller', 'downstream'],
      properties: { caller: schemaRef('ClientIdentity'), downstream: schemaRef('ClientIdentity') },
    },
  })
  @ApiBadGatewayResponse({
    description: 'EXAMPLE_RELAY_URL is unset, or the downstream call failed.',
    schema: {
      type: 'object',
      required: ['statusCode', 'error', 'code', 'message'],
      properties: {
        statusCode: { type: 'integer', enum: [502] },
        error: { type: 'string' },
        code: { type: 'string', enum: ['RELAY_NOT_CONFIGURED', ...Object.keys(OUTBOUND_CODES)] },
        message: { type: 'string' },
        downstreamStatus: { type: ['integer', 'null'] },
        downstreamCode: { type: ['string', 'null'] },
      },
    },
  })
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
