import type {
  HeaderObject,
  ReferenceObject,
  ResponseObject,
  SchemaObject,
} from 'openapi3-ts/oas31';
import { errorBody } from '../errors.ts';
import { schemaRef } from './schema-kit.ts';

/** One stable error code of a response: when it is answered, and a real message for the example. */
export interface ErrorCase {
  readonly when: string;
  readonly message: string;
  readonly details?: readonly unknown[];
}

export const headerRef = (name: string): ReferenceObject => ({
  $ref: `#/components/headers/${name}`,
});

export const jsonResponse = (
  description: string,
  schema: SchemaObject | ReferenceObject,
  example: unknown,
): ResponseObject => ({
  description,
  content: { 'application/json': { schema, examples: { example: { value: example } } } },
});

/**
 * An error response: the envelope with `error.code` narrowed to the codes listed (an enum, so a
 * client generator and the tests both see them), each described and given an example.
 */
export function errorResponse(
  summary: string,
  cases: Readonly<Record<string, ErrorCase>>,
  options: {
    details?: SchemaObject | ReferenceObject;
    headers?: Record<string, ReferenceObject | HeaderObject>;
  } = {},
): ResponseObject {
  const codes = Object.keys(cases);
  const list = Object.entries(cases).map(([code, c]) => `- \`${code}\`: ${c.when}`);
  const error: SchemaObject = {
    type: 'object',
    properties: {
      code: { type: 'string', enum: codes },
      ...(options.details ? { details: { type: 'array', items: options.details } } : {}),
    },
  };
  return {
    description: `${summary}\n\n${list.join('\n')}`,
    ...(options.headers ? { headers: options.headers } : {}),
    content: {
      'application/json': {
        schema: { allOf: [schemaRef('Error')], type: 'object', properties: { error } },
        examples: Object.fromEntries(
          Object.entries(cases).map(([code, c]) => [
            code,
            { summary: code, value: errorBody(code, c.message, c.details ?? []) },
          ]),
        ),
      },
    },
  };
}

/** What every operation that does real work may answer: a bug on our side. */
export const internalError = errorResponse('The server failed; nothing to fix on the client.', {
  internal_error: {
    when: 'an unexpected failure (logged with the request id).',
    message: 'the server failed to handle the request',
  },
});

export const storageUnavailable = errorResponse(
  'Cassandra cannot answer right now; retry after `Retry-After` seconds.',
  {
    storage_unavailable: {
      when: 'no Cassandra node answered in time.',
      message: 'the read models cannot be read right now; retry',
    },
  },
  { headers: { 'Retry-After': headerRef('RetryAfter') } },
);

const QUEUE_UNAVAILABLE = {
  queue_unavailable: {
    when: 'Redis is not connected, or did not answer within the enqueue timeout.',
    message: 'the queue cannot take batches right now; retry',
  },
  queue_not_writable: {
    when: 'Redis answers but refuses writes because it cannot persist them (MISCONF: its disk is full); nothing was accepted.',
    message: 'the queue cannot store batches right now; retry later',
  },
  upgrade_in_progress: {
    when: 'a rolling upgrade is under way and the batch was recorded by a newer release than the API process that took the request; another process answers shortly.',
    message: 'this batch was recorded by a newer release of the service; retry',
  },
} satisfies Record<string, ErrorCase>;

/** The 503 of a route that uses the queue's Redis, with the cases that route can meet. */
export function queueUnavailableOf(
  ...codes: readonly (keyof typeof QUEUE_UNAVAILABLE)[]
): ResponseObject {
  return errorResponse(
    'Redis cannot take or answer the request right now; nothing was accepted. Retry after `Retry-After` seconds.',
    Object.fromEntries(codes.map((code) => [code, QUEUE_UNAVAILABLE[code]])),
    { headers: { 'Retry-After': headerRef('RetryAfter') } },
  );
}

/** The batch status route's 503: it reads a record, which a newer release may have written. */
export const queueUnavailable = queueUnavailableOf(
  'queue_unavailable',
  'queue_not_writable',
  'upgrade_in_progress',
);

/** The ingest routes' 503: Redis away, or the queue shedding load before Redis fills up. */
export const ingestUnavailable = errorResponse(
  'The queue cannot take the batch now; nothing was accepted. Retry after `Retry-After` seconds (the same `Idempotency-Key` keeps a retry from being queued twice).',
  {
    ...QUEUE_UNAVAILABLE,
    queue_full: {
      when: 'the backlog (`MAX_QUEUE_BACKLOG` jobs waiting or delayed) or Redis memory (`REDIS_MEMORY_REFUSE_FRACTION` of `maxmemory`) is at its bound: the service is up and shedding load; it takes batches again by itself once the workers have drained below it. A repeat of an accepted `Idempotency-Key` still gets its first answer.',
      message: 'the queue is full (too many batches waiting); retry later',
    },
  },
  { headers: { 'Retry-After': headerRef('RetryAfter') } },
);

export const notFound = (when: string, message: string): ResponseObject =>
  errorResponse('Not found.', { not_found: { when, message } });

export const componentHeaders: Record<string, HeaderObject> = {
  RetryAfter: {
    description: 'Seconds to wait before retrying.',
    schema: { type: 'integer', minimum: 1 },
    example: 1,
  },
};
