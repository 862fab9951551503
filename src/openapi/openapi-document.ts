import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { describeRoutes, MtlsReasonCode, REASON_DESCRIPTIONS } from 'nest-mtls-auth';
import { APP_INFO } from '../app-info.js';
import { CLIENT_IDENTITY_SCHEMA } from './client-identity.schema.js';

/**
 * The service's OpenAPI 3.1 document: what `@nestjs/swagger` reads from the controllers, plus
 * what this service adds: the `mutualTLS` security scheme on exactly the routes the guards
 * protect (`describeRoutes`, the guards' own reading of `@Public`/`@AllowServices`), their 401 and
 * 403 answers with the reason codes, who may call each (its `@AllowServices` patterns), and the
 * `ClientIdentity` schema.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setOpenAPIVersion('3.1.0')
      .setTitle(APP_INFO.name)
      .setVersion(APP_INFO.version)
      .setDescription(
        'Callers authenticate with an X.509 client certificate (mutual TLS), presented in the TLS handshake or forwarded by a trusted proxy. Every refusal is a 401 or 403 with a reason code.',
      )
      .build(),
  );
  const codes = Object.values(MtlsReasonCode);
  const byStatus = (status: number) =>
    codes.filter((c) => REASON_DESCRIPTIONS[c].status === status);
  document.components = {
    ...document.components,
    securitySchemes: {
      ...document.components?.securitySchemes,
      // OpenAPI 3.1's scheme for client certificates (the types of @nestjs/swagger predate it).
      mutualTLS: {
        type: 'mutualTLS',
        description: 'A client certificate trusted by this service (see its MTLS_* settings).',
      } as never,
    },
    schemas: {
      ...document.components?.schemas,
      ClientIdentity: CLIENT_IDENTITY_SCHEMA as never,
      MtlsUnauthorized: errorSchema(401, byStatus(401)) as never,
      MtlsForbidden: errorSchema(403, byStatus(403)) as never,
    },
  };
  for (const route of describeRoutes(app)) {
    const path = document.paths[route.path.replace(/:(\w+)/g, '{$1}')];
    const operation = path?.[route.method.toLowerCase() as 'get'];
    if (!operation) continue;
    if (route.isPublic) {
      operation.security = [];
      continue;
    }
    operation.security = [{ mutualTLS: [] }];
    const who = route.allowServices
      ? `Callers allowed: ${route.allowServices.map((p) => `\`${p}\``).join(', ')}${route.onBehalfOf ? ' (the original caller named by a trusted forwarder)' : ''}, within the service-wide allowlist.`
      : 'Callers allowed: any authenticated caller within the service-wide allowlist.';
    operation.description = operation.description ? `${operation.description}\n\n${who}` : who;
    operation.responses = {
      ...operation.responses,
      401: errorResponse('No valid client certificate.', 'MtlsUnauthorized'),
      403: errorResponse('A valid certificate that may not call this route.', 'MtlsForbidden'),
    };
  }
  return document;
}

function errorSchema(status: number, codes: readonly string[]) {
  return {
    type: 'object',
    required: ['statusCode', 'error', 'code', 'message'],
    properties: {
      statusCode: { type: 'integer', const: status },
      error: { type: 'string' },
      code: { type: 'string', enum: codes },
      message: { type: 'string' },
    },
  };
}

function errorResponse(description: string, schema: string) {
  return {
    description,
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } },
  };
}
