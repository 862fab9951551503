import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '../openapi/openapi.decorators.js';
import { APP_INFO } from '../app-info.js';
import { ServiceConfig } from '../config/service-config.js';
import { Public } from 'nest-mtls-auth';

/** `GET /info`: what this service is and how it asks for certificates; public. */
@Controller('info')
export class InfoController {
  private readonly info: Record<string, unknown>;

  constructor(@Inject(ServiceConfig) { server, tls }: ServiceConfig) {
    this.info = {
      name: APP_INFO.name,
      version: APP_INFO.version,
      clientCertificateMode: tls.enabled ? tls.clientCertMode : 'forwarded-only',
      adapter: server.adapter,
    };
  }

  @Public()
  @Get()
  @ApiOperation({ operationId: 'getInfo', summary: 'What this service is' })
  @ApiOkResponse({
    description: 'Name, version, how it asks for client certificates, HTTP adapter.',
    schema: {
      type: 'object',
      required: ['name', 'version', 'clientCertificateMode', 'adapter'],
      properties: {
        name: { type: 'string' },
        version: { type: 'string' },
        clientCertificateMode: {
          type: 'string',
          enum: ['none', 'allow', 'require', 'forwarded-only'],
        },
        adapter: { type: 'string', enum: ['express', 'fastify'] },
      },
    },
  })
  get(): Record<string, unknown> {
    return this.info;
  }
}
