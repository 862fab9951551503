/**
 * The named schemas the service's OpenAPI document can hold (`components.schemas`): each is added
 * to a document only when an operation refers to it.
 */
export type SchemaName =
  | 'ClientIdentity'
  | 'MtlsUnauthorized'
  | 'MtlsTokenUnauthorized'
  | 'MtlsForbidden'
  | 'HttpError'
  | 'HealthStatus'
  | 'Readiness'
  | 'ReadinessNote'
  | 'HealthReport';

/**
 * A reference to one of the service's named schemas, for `@ApiOkResponse({ schema })` and the
 * like.
 *
 * @example @ApiOkResponse({ description: 'The caller.', schema: schemaRef('ClientIdentity') })
 */
export function schemaRef(name: SchemaName): { $ref: string } {
  return { $ref: `#/components/schemas/${name}` };
}
