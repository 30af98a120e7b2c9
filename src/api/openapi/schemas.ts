import type { SchemaObject } from 'openapi3-ts/oas31';
import { eventSchema } from '../../domain/event-schema.ts';
import type { RejectionCode } from '../../domain/event-validation.ts';
import { MAX_LIMIT, batchEvents } from '../../domain/rules.ts';
import type { BatchState } from '../ingest/batch-producer.ts';
import { describeProperties, fromJoi } from './from-joi.ts';
import {
  closed,
  count,
  hours,
  identifier,
  instant,
  membersOf,
  schemaRef,
  storedCountry,
} from './schema-kit.ts';
import type { DocumentSettings } from './settings.ts';

const REJECTION_CODES = membersOf<RejectionCode>({
  invalid_event: true,
  expired: true,
  ts_in_future: true,
});
const BATCH_STATES = membersOf<BatchState>({
  queued: true,
  processing: true,
  done: true,
  failed: true,
});

const ERASURE_ID: SchemaObject = { type: 'string', pattern: '^erasure-[0-9a-f-]{36}$' };
const SHA256: SchemaObject = {
  type: 'string',
  pattern: '^[0-9a-f]{64}$',
  description: 'SHA-256 of the player id, hex: the erasure never keeps the id itself.',
};

/** A batch body of 1 to `maxEvents` events, in either JSON form. */
function batchJson(maxEvents: number): SchemaObject {
  const events: SchemaObject = { ...fromJoi(batchEvents(maxEvents)), items: schemaRef('Event') };
  return {
    description: `${String(events.minItems)} to ${String(events.maxItems)} events: an array, or an object with the array under \`events\`.`,
    oneOf: [events, { type: 'object', required: ['events'], properties: { events } }],
  };
}

/** components.schemas: the shapes of events, results and errors. */
export function componentSchemas(settings: DocumentSettings): Record<string, SchemaObject> {
  const retention = settings.retention;
  return {
    Event: describeProperties(
      fromJoi(
        eventSchema,
        'One game-session event, the shape of the public sample data. Other fields are ignored.',
      ),
      {
        country: 'Required on `start` (two ASCII letters, stored upper-case); ignored on `end`.',
        ts: `ISO-8601 date-time. Fractional seconds optional (truncated to the millisecond); zone optional (none means UTC). Older than ${retention} before now: \`expired\`; more than ${settings.maxFutureSkew} ahead: \`ts_in_future\`.`,
      },
    ),
    BatchJson: batchJson(settings.maxBatchEvents),
    BulkBatchJson: batchJson(settings.bulkMaxEvents),
    RejectedEvent: closed(['index', 'code', 'message'], {
      index: { type: 'integer', minimum: 0, description: 'Position of the event in the batch.' },
      code: { type: 'string', enum: REJECTION_CODES },
      message: { type: 'string' },
      field: { type: 'string', description: 'The field to blame, when there is one.' },
    }),
    BatchAccepted: closed(['batch_id', 'accepted', 'rejected'], {
      batch_id: { type: 'string', format: 'uuid' },
      accepted: { type: 'integer', minimum: 1, description: 'Events durably queued.' },
      rejected: { type: 'array', items: schemaRef('RejectedEvent') },
    }),
    ErasureAccepted: closed(['erasure_id', 'state', 'player_sha256', 'requested_at'], {
      erasure_id: ERASURE_ID,
      state: { type: 'string', enum: ['queued'] },
      player_sha256: SHA256,
      requested_at: instant,
    }),
    ErasureStatus: closed(
      [
        'erasure_id',
        'state',
        'player_sha256',
        'requested_at',
        'finished_at',
        'sessions',
        'facts',
        'completed_rows',
      ],
      {
        erasure_id: ERASURE_ID,
        state: { type: 'string', enum: ['queued', 'running', 'done', 'failed'] },
        player_sha256: SHA256,
        requested_at: instant,
        finished_at: { ...instant, type: ['string', 'null'] },
        sessions: {
          ...count,
          type: ['integer', 'null'],
          description: 'Sessions in which the player had events (when done).',
        },
        facts: {
          ...count,
          type: ['integer', 'null'],
          description: 'Events of the player removed (when done).',
        },
        completed_rows: {
          ...count,
          type: ['integer', 'null'],
          description: 'Completed sessions removed (when done).',
        },
      },
    ),
    BatchStatus: closed(['batch_id', 'state', 'accepted'], {
      batch_id: { type: 'string', format: 'uuid' },
      state: { type: 'string', enum: BATCH_STATES },
      accepted: count,
    }),
    CountriesStarts: closed(['from', 'to', 'hours', 'total', 'countries'], {
      from: instant,
      to: instant,
      hours,
      total: count,
      countries: {
        type: 'array',
        description: 'Countries with at least one start; most starts first, then by code.',
        items: closed(['country', 'starts'], { country: storedCountry, starts: count }),
      },
    }),
    CountryStarts: closed(['country', 'from', 'to', 'hours', 'starts', 'hourly'], {
      country: storedCountry,
      from: instant,
      to: instant,
      hours,
      starts: count,
      hourly: {
        type: 'array',
        description:
          'UTC hours of the window that have starts, oldest first; the first and last may be clipped to the window.',
        items: closed(['hour', 'starts'], { hour: instant, starts: count }),
      },
    }),
    PlayerSessions: closed(['player_id', 'sessions'], {
      player_id: identifier,
      sessions: {
        type: 'array',
        maxItems: MAX_LIMIT,
        description: 'Newest `end_ts` first, ties by `session_id`.',
        items: closed(['session_id', 'country', 'start_ts', 'end_ts', 'duration_seconds'], {
          session_id: identifier,
          country: storedCountry,
          start_ts: instant,
          end_ts: instant,
          duration_seconds: { type: 'number', minimum: 0, description: 'May have milliseconds.' },
        }),
      },
    }),
    Health: closed(['status'], { status: { const: 'ok' } }),
    ReadinessCheck: closed(['check', 'ok'], {
      check: { type: 'string', enum: ['redis', 'cassandra', 'schema'] },
      ok: { type: 'boolean' },
      reason: {
        type: 'string',
        description:
          'Why a failing check failed, when that is known (e.g. "keyspace player_sessions does not exist").',
      },
    }),
    Readiness: closed(['status', 'checks'], {
      status: { const: 'ready' },
      checks: {
        type: 'object',
        description: 'Each dependency and whether it answered in time.',
        properties: {
          redis: { type: 'boolean' },
          cassandra: { type: 'boolean' },
          schema: { type: 'boolean' },
        },
        additionalProperties: { type: 'boolean' },
      },
    }),
    Error: closed(['error'], {
      error: closed(['code', 'message', 'details'], {
        code: {
          type: 'string',
          pattern: '^[a-z][a-z_]*$',
          description: 'Stable, machine-readable.',
        },
        message: { type: 'string', description: 'For people; may change.' },
        details: { type: 'array' },
      }),
    }),
  };
}
