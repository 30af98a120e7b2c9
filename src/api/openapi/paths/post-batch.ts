import type { MediaTypeObject, OperationObject } from 'openapi3-ts/oas31';
import { IDEMPOTENCY_KEY_MAX_LENGTH, INVALID_IDEMPOTENCY_KEY } from '../../../domain/rules.ts';
import { JSON_TYPES, MAX_JSON_DEPTH, NDJSON_TYPES } from '../../batches/read-batch-body.ts';
import type { Examples } from '../examples.ts';
import { parameterRef } from '../parameters.ts';
import { errorResponse, ingestUnavailable, internalError } from '../responses.ts';
import { schemaRef } from '../schema-kit.ts';

/** What tells the two ingest routes apart in the document: their names and limits. */
export interface IngestRoute {
  readonly operationId: string;
  readonly summary: string;
  /** Said before the limits, ending in a space when given. */
  readonly intro: string;
  readonly maxEvents: number;
  readonly maxBodyBytes: number;
  /** The components.schemas entry of the JSON body. */
  readonly bodySchema: string;
}

/** A POST of a batch: both ingest routes share it, as they share their handler. */
export function postBatchOperation(route: IngestRoute, ex: Examples): OperationObject {
  const json: MediaTypeObject = {
    schema: schemaRef(route.bodySchema),
    examples: {
      array: { summary: 'A JSON array', value: ex.events },
      envelope: { summary: '{"events": [...]}', value: ex.envelope },
      mixed: {
        summary: 'A valid event, a 2016 line of the sample as-is (expired), one a day ahead',
        value: ex.mixed,
      },
    },
  };
  const ndjson: MediaTypeObject = {
    schema: {
      type: 'string',
      description:
        'One event per line, the sample file’s own format. Blank lines are skipped; a line that is not JSON rejects only its own event (`invalid_event`, "line N is not valid JSON").',
    },
    examples: { ndjson: { summary: 'Sample-shaped lines', value: ex.ndjson } },
  };
  const content = {
    ...Object.fromEntries(JSON_TYPES.map((type) => [type, json])),
    ...Object.fromEntries(NDJSON_TYPES.map((type) => [type, ndjson])),
  };

  return {
    tags: ['Ingest'],
    operationId: route.operationId,
    summary: route.summary,
    description: `${route.intro}1 to ${route.maxEvents} events, at most ${route.maxBodyBytes} bytes of UTF-8 (no \`Content-Encoding\`). The answer comes once Redis has stored the batch. Invalid, expired and future events are listed in \`rejected\` by index and do not stop the valid ones.`,
    parameters: [parameterRef('IdempotencyKey')],
    requestBody: { required: true, content },
    responses: {
      '202': {
        description: 'The valid events are durably queued.',
        content: {
          'application/json': {
            schema: schemaRef('BatchAccepted'),
            examples: {
              accepted: { summary: 'Every event accepted', value: ex.accepted },
              partly: { summary: 'Some events rejected', value: ex.partlyAccepted },
            },
          },
        },
      },
      '400': errorResponse(
        'The batch was refused as a whole; nothing was queued.',
        {
          invalid_idempotency_key: {
            when: `the \`Idempotency-Key\` header is not 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} visible ASCII characters.`,
            message: INVALID_IDEMPOTENCY_KEY,
          },
          malformed_body: {
            when: `the body is not UTF-8, not JSON (for \`application/json\`), neither an array nor \`{"events": [...]}\`, nested deeper than ${MAX_JSON_DEPTH} levels of arrays and objects (checked before parsing; in NDJSON such a line only rejects its own event), or shorter than its \`Content-Length\`.`,
            message: 'the body must be a JSON array of events or {"events": [...]}',
          },
          empty_batch: {
            when: 'the batch holds no event.',
            message: 'a batch must hold at least one event',
          },
          too_many_events: {
            when: `the batch holds more than ${route.maxEvents} events.`,
            message: `a batch holds at most ${route.maxEvents} events; this one has ${route.maxEvents + 1}`,
          },
          no_valid_events: {
            when: 'no event of the batch is valid; `details` lists the rejections, as `rejected` would.',
            message: 'no event of the batch is valid; see details',
            details: ex.noValidEvents,
          },
          request_aborted: {
            when: 'the client closed the connection before the body was read, or sent after it on the same connection bytes that are no HTTP request (Node then answers them `400` and closes it); the client never sees this answer, the logs and metrics count it.',
            message: 'the request was aborted',
          },
        },
        { details: schemaRef('RejectedEvent') },
      ),
      '413': errorResponse('The body is too large.', {
        body_too_large: {
          when: `the body is larger than ${route.maxBodyBytes} bytes.`,
          message: 'the request body is too large',
        },
      }),
      '415': errorResponse('The body is not in a form the API reads.', {
        unsupported_media_type: {
          when: `\`Content-Type\` is none of ${[...JSON_TYPES, ...NDJSON_TYPES].join(', ')}.`,
          message: `Content-Type must be one of ${[...JSON_TYPES, ...NDJSON_TYPES].join(', ')}`,
        },
        unsupported_charset: {
          when: 'a `charset` other than UTF-8 is given.',
          message: 'the body must be UTF-8',
        },
        unsupported_encoding: {
          when: 'a `Content-Encoding` (gzip, ...) is given.',
          message: 'Content-Encoding "gzip" is not supported',
        },
      }),
      '422': errorResponse(
        'The `Idempotency-Key` was already used for another body.',
        {
          idempotency_key_reused: {
            when: 'a repeat of a key comes with a different body; `details` names the first batch.',
            message: 'this Idempotency-Key was already used for a different request body',
            details: [{ batch_id: ex.batchId }],
          },
        },
        {
          details: {
            type: 'object',
            required: ['batch_id'],
            properties: { batch_id: { type: 'string', format: 'uuid' } },
            additionalProperties: false,
          },
        },
      ),
      '503': ingestUnavailable,
      '500': internalError,
    },
  };
}
