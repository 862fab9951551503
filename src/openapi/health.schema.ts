import type { SchemaObject } from '@nestjs/swagger';

/** `HealthStatus`: what `/health/live`, and the probes without details, answer. */
export const HEALTH_STATUS_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string', enum: ['ok', 'error'] } },
};

/** `ReadinessNote`: one reason not to be ready, or one warning (`ReadinessNote` in src/health). */
export const READINESS_NOTE_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['name', 'state', 'message'],
  properties: {
    name: {
      type: 'string',
      description:
        '`server`, `outbound`, `client-ca:<CN>`, `trust` (the CA bundle as a whole) or `crl:client-ca:<CN>`.',
    },
    state: {
      type: 'string',
      enum: ['expired', 'not-yet-valid', 'warning', 'none-valid'],
    },
    message: { type: 'string', description: 'What it means for callers, and what to do.' },
  },
};

/** `Readiness`: `/health/ready`, with `reasons` and `warnings` where details may be shown. */
export const READINESS_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['status'],
  properties: {
    status: { type: 'string', enum: ['ok', 'error'] },
    reasons: {
      type: 'array',
      description: 'Why the instance is not ready (with details, when it is not).',
      items: { $ref: '#/components/schemas/ReadinessNote' },
    },
    warnings: {
      type: 'array',
      description: 'What needs attention without taking the instance out of rotation.',
      items: { $ref: '#/components/schemas/ReadinessNote' },
    },
  },
};

const CERTIFICATE: SchemaObject = {
  type: 'object',
  required: ['subject', 'notBefore', 'notAfter', 'daysRemaining', 'state'],
  properties: {
    subject: { type: 'string' },
    notBefore: { type: 'string', format: 'date-time' },
    notAfter: { type: 'string', format: 'date-time' },
    daysRemaining: { type: 'integer', description: 'Negative once expired.' },
    state: { type: 'string', enum: ['ok', 'warning', 'expired', 'not-yet-valid'] },
  },
};

const CRL: SchemaObject = {
  type: 'object',
  required: ['ca', 'thisUpdate', 'nextUpdate', 'state'],
  properties: {
    ca: { type: 'string', description: "The issuing CA's subject." },
    thisUpdate: { type: 'string', format: 'date-time' },
    nextUpdate: { type: ['string', 'null'], format: 'date-time' },
    state: { type: 'string', enum: ['ok', 'expired', 'not-yet-valid'] },
  },
};

/** An indicator's entry: its status and `warning`, and one property per certificate or CRL. */
const indicator = (description: string, entry: SchemaObject): SchemaObject => ({
  type: 'object',
  description,
  required: ['status'],
  properties: {
    status: { type: 'string', enum: ['up', 'down'] },
    warning: { type: 'boolean', description: 'One of them is not `ok`.' },
  },
  additionalProperties: entry,
});

const INDICATORS: SchemaObject = {
  type: 'object',
  properties: {
    certificates: indicator(
      'Each certificate the service depends on, by name: `server`, `client-ca:<CN>`, `outbound`.',
      CERTIFICATE,
    ),
    crls: indicator('Each CRL in force (`MTLS_CRL_FILE`), by its CA: `client-ca:<CN>`.', CRL),
  },
};

/** `HealthReport`: `/health`; `info`, `error` and `details` only where details may be shown. */
export const HEALTH_REPORT_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['status'],
  properties: {
    status: { type: 'string', enum: ['ok', 'error'] },
    info: { ...INDICATORS, description: 'The indicators that are up.' },
    error: { ...INDICATORS, description: 'The indicators that are down.' },
    details: { ...INDICATORS, description: 'Every indicator.' },
  },
};

/** `HttpError`: Nest's error body for a status without a reason code (a 404). */
export const HTTP_ERROR_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['statusCode', 'message'],
  properties: {
    statusCode: { type: 'integer' },
    error: { type: 'string' },
    message: { type: 'string' },
  },
};
