import type { HeaderObject, OperationObject, PathsObject, ResponseObject } from 'openapi3-ts/oas31';
import type { Scope } from '../../auth/api-key.ts';
import { errorResponse, headerRef } from './responses.ts';

/** The scope each secured operation needs (src/api/routes: the routes' guards). */
const SCOPE_OF: Readonly<Record<string, Scope>> = {
  postBatch: 'ingest',
  getBatch: 'ingest',
  postBulkBatch: 'admin',
  getCountriesStarts: 'read',
  getCountryStarts: 'read',
  getPlayerSessions: 'read',
  getMetrics: 'admin',
  getPipeline: 'read',
  deletePlayer: 'admin',
  getErasure: 'admin',
};

export const apiKeyScheme = {
  type: 'http',
  scheme: 'bearer',
  description:
    'An API key, `Authorization: Bearer pss_<id>_<secret>`, made with `npm run keys -- create --scope <ingest|read|admin> --name NAME`. Each secured operation names the scope it needs. Off altogether when the service runs with `AUTH=off`.',
} as const;

const unauthorized = errorResponse(
  'No valid API key.',
  {
    unauthorized: {
      when: 'no `Authorization: Bearer` key, or one that is malformed, unknown or revoked.',
      message: 'a valid API key is required: Authorization: Bearer <key>',
    },
  },
  {
    headers: {
      'WWW-Authenticate': {
        description: 'The bearer challenge.',
        schema: { type: 'string' },
        example: 'Bearer realm="player-session-service"',
      },
    },
  },
);

const forbidden = (scope: Scope): ResponseObject =>
  errorResponse('The API key lacks the scope this operation needs.', {
    forbidden: {
      when: `the key is valid but does not hold the scope \`${scope}\`.`,
      message: `this API key lacks the scope ${scope}`,
      details: [{ scope }],
    },
  });

const rateHeader = (description: string): HeaderObject => ({
  description,
  schema: { type: 'integer' },
});

export const rateLimited = errorResponse(
  'Too many requests; retry after `Retry-After` seconds.',
  {
    rate_limited: {
      when: 'more requests this second than the key (`RATE_LIMIT_PER_KEY`) or, without a valid key, the client address (`RATE_LIMIT_PER_ADDRESS`) may make; on the admin board also after `ADMIN_LOGIN_MAX_FAILURES` failed logins.',
      message:
        'more than 1000 requests per second for this API key; retry after Retry-After seconds',
    },
  },
  {
    headers: {
      'Retry-After': headerRef('RetryAfter'),
      'RateLimit-Limit': rateHeader('Requests allowed per window.'),
      'RateLimit-Remaining': rateHeader('Requests left in the window.'),
      'RateLimit-Reset': rateHeader('Seconds until the window resets.'),
    },
  },
);

/** The probes, which the rate limits never count (src/api/routes/health.ts). */
const UNLIMITED = new Set(['getHealth', 'getReadiness']);

/**
 * Adds to each operation who may call it: the bearer key and scope of the secured ones with their
 * 401 and 403, and to every operation but the probes the rate limit's 429.
 */
export function withAccess(paths: PathsObject): PathsObject {
  for (const item of Object.values(paths)) {
    for (const operation of Object.values(item) as OperationObject[]) {
      if (typeof operation !== 'object' || !('responses' in operation)) continue;
      const scope = operation.operationId ? SCOPE_OF[operation.operationId] : undefined;
      if (scope) {
        operation.security = [{ apiKey: [scope] }];
        operation.responses['401'] = unauthorized;
        operation.responses['403'] = forbidden(scope);
      }
      if (!UNLIMITED.has(operation.operationId ?? '')) operation.responses['429'] = rateLimited;
    }
  }
  return paths;
}
