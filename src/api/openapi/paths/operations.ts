import type { PathsObject, ResponseObject } from 'openapi3-ts/oas31';
import { PATHS } from '../../paths.ts';
import { DOCS_ASSETS } from '../docs-page.ts';
import { errorResponse, jsonResponse, notFound } from '../responses.ts';
import { schemaRef } from '../schema-kit.ts';

const text = (description: string, mediaTypes: string[], example?: string): ResponseObject => ({
  description,
  content: Object.fromEntries(
    mediaTypes.map((type) => [
      type,
      { schema: { type: 'string' }, ...(example === undefined ? {} : { example }) },
    ]),
  ),
});

const METRICS_EXAMPLE = `# HELP events_accepted_total Events accepted into the queue
# TYPE events_accepted_total counter
events_accepted_total{process="api"} 3
`;

/** Health, metrics, this documentation, and the admin board. */
export function operationPaths(): PathsObject {
  return {
    [PATHS.healthz]: {
      get: {
        tags: ['Operations'],
        operationId: 'getHealth',
        summary: 'Liveness: the process runs',
        description:
          'Consults no dependency, so a Redis outage does not get healthy processes restarted. Not rate-limited.',
        responses: { '200': jsonResponse('Alive.', schemaRef('Health'), { status: 'ok' }) },
      },
    },
    [PATHS.readyz]: {
      get: {
        tags: ['Operations'],
        operationId: 'getReadiness',
        summary: 'Readiness: Redis and Cassandra answer and the schema is in place',
        description:
          'Answered from a check at most one second old, which concurrent probes share: probing costs the stores nothing. Not rate-limited, like `/healthz`.',
        responses: {
          '200': jsonResponse('Ready.', schemaRef('Readiness'), {
            status: 'ready',
            checks: { redis: true, cassandra: true, schema: true },
          }),
          '503': errorResponse(
            'Not ready: the error envelope, with every check and its result as `details`.',
            {
              not_ready: {
                when: 'Redis or Cassandra did not answer in time, or the schema is not current',
                message: 'not ready; failing checks: redis',
                details: [
                  { check: 'redis', ok: false },
                  { check: 'cassandra', ok: true },
                  { check: 'schema', ok: true },
                ],
              },
            },
            { details: schemaRef('ReadinessCheck') },
          ),
        },
      },
    },
    [PATHS.metrics]: {
      get: {
        tags: ['Operations'],
        operationId: 'getMetrics',
        summary: 'Prometheus metrics',
        description:
          'Prometheus text exposition (`text/plain; version=0.0.4`): HTTP latency by route, events accepted and rejected by code, process metrics. With `ADMIN_PORT` set it is served there instead, without a key.',
        responses: { '200': text('The metrics.', ['text/plain'], METRICS_EXAMPLE) },
      },
    },
    [PATHS.openapi]: {
      get: {
        tags: ['Documentation'],
        operationId: 'getOpenApi',
        summary: 'This OpenAPI 3.1 document',
        responses: {
          '200': {
            description: 'The document.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['openapi', 'info', 'paths'],
                  properties: {
                    openapi: { type: 'string', pattern: '^3\\.1\\.\\d+$' },
                    info: { type: 'object' },
                    paths: { type: 'object' },
                  },
                },
              },
            },
          },
        },
      },
    },
    [PATHS.docs]: {
      get: {
        tags: ['Documentation'],
        operationId: 'getDocs',
        summary: 'This document, rendered for people (Swagger UI, served locally)',
        responses: { '200': text('An HTML page.', ['text/html']) },
      },
    },
    [PATHS.docsAsset]: {
      get: {
        tags: ['Documentation'],
        operationId: 'getDocsAsset',
        summary: 'A script, stylesheet or icon of the docs page',
        parameters: [
          {
            name: 'asset',
            in: 'path',
            required: true,
            schema: { type: 'string', enum: Object.keys(DOCS_ASSETS) },
          },
        ],
        responses: {
          '200': text('The file.', [...new Set(Object.values(DOCS_ASSETS).map((a) => a.type))]),
          '404': notFound('no such asset.', `no asset missing.js`),
        },
      },
    },
    [PATHS.board]: {
      get: {
        tags: ['Admin'],
        operationId: 'getAdminQueues',
        summary: 'Bull Board: batches in the queue, failed ones, retries',
        description: `Bull Board's web UI. Its assets and its own JSON API live below \`${PATHS.board}/\`, behind the same authentication: HTTP basic with \`ADMIN_USER\` (default \`admin\`) and \`ADMIN_PASSWORD\` (an address is refused with \`429\` for \`ADMIN_LOGIN_BLOCK_SECONDS\` after \`ADMIN_LOGIN_MAX_FAILURES\` failed logins), or an API key with the \`admin\` scope. Served on \`ADMIN_PORT\` instead of the public port when that is set. **Off** when no \`ADMIN_PASSWORD\` is configured: every path below then answers \`404\`.`,
        security: [{ adminBasic: [] }, { apiKey: ['admin'] }],
        responses: {
          '200': text('The board.', ['text/html']),
          '401': errorResponse(
            'Credentials missing or wrong.',
            {
              unauthorized: {
                when: 'no or wrong basic credentials.',
                message: 'valid credentials are required',
              },
            },
            {
              headers: {
                'WWW-Authenticate': {
                  description: 'The basic challenge.',
                  schema: { type: 'string' },
                  example: 'Basic realm="admin", charset="UTF-8"',
                },
              },
            },
          ),
          '404': notFound(
            'the board is off: no `ADMIN_PASSWORD` is configured.',
            `no route for GET ${PATHS.board}`,
          ),
        },
      },
    },
  };
}
