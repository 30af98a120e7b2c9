import type { OpenAPIObject } from 'openapi3-ts/oas31';
import { apiKeyScheme, withAccess } from './access.ts';
import { examples } from './examples.ts';
import { componentParameters } from './parameters.ts';
import { dashboardPaths } from './paths/dashboard.ts';
import { ingestPaths } from './paths/ingest.ts';
import { operationPaths } from './paths/operations.ts';
import { viewPaths } from './paths/views.ts';
import { erasurePaths } from './paths/erasures.ts';
import { componentHeaders } from './responses.ts';
import { componentSchemas } from './schemas.ts';
import type { DocumentSettings } from './settings.ts';

export const API_TITLE = 'Player Session Service';

const DESCRIPTION = `Ingests game-session events in batches and serves two precomputed views: starts per country in the last X hours, and a player's last completed sessions.

**Times** in responses are ISO-8601 UTC with milliseconds and \`Z\`. **JSON** is snake_case, like the events.

**Errors** all have one envelope, \`{"error": {"code", "message", "details"}}\`; \`code\` is stable and listed per response below, \`message\` is for people. **Access**: most operations need an API key with a scope (see each operation's security); health, readiness and this documentation are open. Every client is rate-limited per key, or per address without one (\`429 rate_limited\`, with \`Retry-After\` and \`RateLimit-*\` fields); the health and readiness probes are not. The address is the connection's, unless the service is configured to trust a load balancer's \`X-Forwarded-For\`.

Any path not listed here answers \`404 not_found\`; a listed path with another method \`405 method_not_allowed\`.

Every response carries an \`X-Request-Id\` header (the client's own, when it sends a sane one), also found in the service's logs.`;

/**
 * The OpenAPI 3.1 description of the whole HTTP API, served at /openapi.json. Built from the
 * constants the routes use and from the configuration, so it states what this process does.
 * `nowMs` only dates the examples (see examples.ts).
 */
export function buildOpenApiDocument(settings: DocumentSettings, nowMs: number): OpenAPIObject {
  const ex = examples(settings, nowMs);
  return {
    openapi: '3.1.1',
    info: {
      title: API_TITLE,
      version: 'v1',
      description: DESCRIPTION,
    },
    tags: [
      { name: 'Ingest', description: 'Send events, follow a batch.' },
      { name: 'Views', description: 'The read models, answered from precomputed data.' },
      { name: 'Data lifecycle', description: 'Erase a player.' },
      { name: 'Operations', description: 'Health, readiness and metrics.' },
      { name: 'Documentation', description: 'This document and its rendering.' },
      { name: 'Admin', description: 'The queue dashboard.' },
      { name: 'Dashboard', description: 'Pages for people: the data and the pipeline, drawn.' },
    ],
    paths: withAccess({
      ...ingestPaths(settings, ex),
      ...viewPaths(settings, ex),
      ...erasurePaths(ex),
      ...operationPaths(),
      ...dashboardPaths(),
    }),
    components: {
      schemas: componentSchemas(settings),
      parameters: componentParameters(settings, ex),
      headers: componentHeaders,
      securitySchemes: {
        apiKey: apiKeyScheme,
        adminBasic: {
          type: 'http',
          scheme: 'basic',
          description: '`ADMIN_USER` / `ADMIN_PASSWORD`. Without a password the board is off.',
        },
      },
    },
  };
}
