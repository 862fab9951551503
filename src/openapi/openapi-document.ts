import type { INestApplication, Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject, SchemaObject } from '@nestjs/swagger';
import { describeRoutes, MtlsReasonCode, REASON_DESCRIPTIONS } from 'nest-mtls-auth';
import { APP_INFO } from '../app-info.js';
import { CLIENT_IDENTITY_SCHEMA } from './client-identity.schema.js';
import {
  HEALTH_REPORT_SCHEMA,
  HEALTH_STATUS_SCHEMA,
  HTTP_ERROR_SCHEMA,
  READINESS_NOTE_SCHEMA,
  READINESS_SCHEMA,
} from './health.schema.js';
import { loadSwagger } from './openapi.decorators.js';
import { schemaRef, type SchemaName } from './schema-ref.js';

/** The server a document names: where a generated client sends its requests. */
export interface OpenApiServer {
  readonly url: string;
  readonly description: string;
}

/**
 * The service's OpenAPI 3.1 document: what `@nestjs/swagger` reads from the controllers (each
 * operation's `summary`, `operationId` and responses come from their `@ApiOperation` and
 * `@Api*Response` decorators), plus what this service adds: the server it runs as, the license,
 * the `mutualTLS` security scheme on exactly the routes the guards protect (`describeRoutes`, the
 * guards' own reading of `@Public`/`@AllowServices`), their 401 and 403 answers with the reason
 * codes, who may call each (its `@AllowServices` patterns), and the named schemas the operations
 * refer to (`schemaRef`; `ClientIdentity`, the error bodies, the health answers), no others.
 * `@nestjs/swagger` is loaded here, not at start-up (see openapi.decorators.ts).
 */
export async function buildOpenApiDocument(
  app: INestApplication,
  server: OpenApiServer,
): Promise<OpenAPIObject> {
  const controllers = [...app.get(ModulesContainer).values()].flatMap((module) =>
    [...module.controllers.values()].map((wrapper) => wrapper.metatype),
  );
  const { DocumentBuilder, SwaggerModule } = await loadSwagger(
    controllers.filter((type): type is Type => typeof type === 'function'),
  );
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setOpenAPIVersion('3.1.0')
      .setTitle(APP_INFO.name)
      .setVersion(APP_INFO.version)
      .setDescription(
        'Callers authenticate with an X.509 client certificate (mutual TLS), presented in the TLS handshake or forwarded by a trusted proxy. Every refusal is a 401 or 403 with a reason code.',
      )
      .addServer(server.url, server.description)
      .build(),
  );
  const { license } = APP_INFO;
  if (license) {
    // OpenAPI 3.1 names an SPDX license by `identifier` (DocumentBuilder writes only a `url`);
    // npm's `UNLICENSED` is a name, not an SPDX identifier.
    document.info.license = (
      license === 'UNLICENSED' ? { name: license } : { name: license, identifier: license }
    ) as never;
  }
  const codes = Object.values(MtlsReasonCode);
  const byStatus = (status: number) =>
    codes.filter((c) => REASON_DESCRIPTIONS[c].status === status);
  // The bearer-token codes are answered only by @RequireBoundToken() routes.
  const tokenCodes: readonly string[] = [
    MtlsReasonCode.TokenMissing,
    MtlsReasonCode.TokenInvalid,
    MtlsReasonCode.TokenNotBound,
  ];
  const named: Record<SchemaName, SchemaObject> = {
    ClientIdentity: CLIENT_IDENTITY_SCHEMA as never,
    MtlsUnauthorized: errorSchema(
      401,
      byStatus(401).filter((c) => !tokenCodes.includes(c)),
    ),
    MtlsTokenUnauthorized: errorSchema(401, byStatus(401)),
    MtlsForbidden: errorSchema(403, byStatus(403)),
    HttpError: HTTP_ERROR_SCHEMA,
    HealthStatus: HEALTH_STATUS_SCHEMA,
    Readiness: READINESS_SCHEMA,
    ReadinessNote: READINESS_NOTE_SCHEMA,
    HealthReport: HEALTH_REPORT_SCHEMA,
  };
  for (const route of describeRoutes(app)) {
    const path = document.paths[route.path.replace(/:(\w+)/g, '{$1}')];
    const operation = path?.[route.method.toLowerCase() as 'get'];
    if (!operation) continue;
    if (route.isPublic) {
      operation.security = [];
      continue;
    }
    operation.security = [
      route.requireBoundToken ? { mutualTLS: [], boundToken: [] } : { mutualTLS: [] },
    ];
    const who = route.allowServices
      ? `Callers allowed: ${route.allowServices.map((p) => `\`${p}\``).join(', ')}${route.onBehalfOf ? ' (the original caller named by a trusted forwarder)' : ''}, within the service-wide allowlist.`
      : 'Callers allowed: any authenticated caller within the service-wide allowlist.';
    operation.description = operation.description ? `${operation.description}\n\n${who}` : who;
    operation.responses = {
      ...operation.responses,
      401: route.requireBoundToken
        ? errorResponse(
            'No valid client certificate, or no access token bound to it (RFC 8705).',
            'MtlsTokenUnauthorized',
          )
        : errorResponse('No valid client certificate.', 'MtlsUnauthorized'),
      403: errorResponse('A valid certificate that may not call this route.', 'MtlsForbidden'),
    };
  }
  document.components = {
    ...document.components,
    securitySchemes: {
      ...document.components?.securitySchemes,
      // OpenAPI 3.1's scheme for client certificates (the types of @nestjs/swagger predate it).
      mutualTLS: {
        type: 'mutualTLS',
        description: 'A client certificate trusted by this service (see its MTLS_* settings).',
      } as never,
      ...(describeRoutes(app).some((r) => r.requireBoundToken && !r.isPublic)
        ? {
            boundToken: {
              type: 'http',
              scheme: 'bearer',
              bearerFormat: 'JWT',
              description:
                'An access token of MTLS_BOUND_TOKEN_ISSUER for MTLS_BOUND_TOKEN_AUDIENCE, bound to the client certificate (cnf x5t#S256, RFC 8705).',
            },
          }
        : {}),
    },
    schemas: {
      ...document.components?.schemas,
      // An unused component is noise to a client generator (and a lint warning): a service without
      // guarded routes, or without the sample, names only what its operations use.
      ...referenced(named, JSON.stringify(document.paths)),
    },
  };
  return document;
}

/** The schemas of `named` that `text` refers to, directly or through one another. */
function referenced(
  named: Record<SchemaName, SchemaObject>,
  text: string,
): Partial<Record<SchemaName, SchemaObject>> {
  const used = new Set<SchemaName>();
  let pending = text;
  while (pending) {
    const found = (Object.keys(named) as SchemaName[]).filter(
      (name) => !used.has(name) && pending.includes(`"${schemaRef(name).$ref}"`),
    );
    for (const name of found) used.add(name);
    pending = found.map((name) => JSON.stringify(named[name])).join('');
  }
  return Object.fromEntries([...used].map((name) => [name, named[name]]));
}

function errorSchema(status: number, codes: readonly string[]): SchemaObject {
  return {
    type: 'object',
    required: ['statusCode', 'error', 'code', 'message'],
    properties: {
      statusCode: { type: 'integer', enum: [status] },
      error: { type: 'string' },
      code: { type: 'string', enum: [...codes], description: 'The reason code.' },
      message: { type: 'string' },
    },
  };
}

function errorResponse(description: string, schema: SchemaName) {
  return { description, content: { 'application/json': { schema: schemaRef(schema) } } };
}
