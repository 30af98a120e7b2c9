import type { ParameterObject, ReferenceObject } from 'openapi3-ts/oas31';
import {
  IDEMPOTENCY_KEY_MAX_LENGTH,
  MAX_HOURS,
  MAX_LIMIT,
  countryCode,
  idempotencyKey,
  limit,
} from '../../domain/rules.ts';
import type { Examples } from './examples.ts';
import { fromJoi } from './from-joi.ts';
import { hours, identifier } from './schema-kit.ts';
import type { DocumentSettings } from './settings.ts';

export const parameterRef = (name: string): ReferenceObject => ({
  $ref: `#/components/parameters/${name}`,
});

/** components.parameters: every path, query and header parameter of the API. */
export function componentParameters(
  settings: DocumentSettings,
  ex: Examples,
): Record<string, ParameterObject> {
  return {
    Hours: {
      name: 'hours',
      in: 'query',
      required: true,
      description: `Window length in hours, \`0 < hours ≤ ${MAX_HOURS}\`, a plain decimal (\`24\`, \`0.5\`, \`.5\`; no sign, exponent or whitespace). Rounded to whole minutes, at least one. The window is \`[from, to)\`, \`to\` being the start of the minute after now.`,
      schema: hours,
      examples: { day: { value: 24 }, halfHour: { value: 0.5 }, year: { value: MAX_HOURS } },
    },
    Country: {
      name: 'country',
      in: 'path',
      required: true,
      description: 'ISO 3166-1 alpha-2 code, any case (`fi` = `FI`).',
      schema: fromJoi(countryCode),
      example: ex.country.country,
    },
    PlayerId: {
      name: 'player_id',
      in: 'path',
      required: true,
      description: 'The player, as in the events.',
      schema: identifier,
      example: ex.playerId,
    },
    Limit: {
      name: 'limit',
      in: 'query',
      required: false,
      description: `How many sessions, an integer from 1 to ${MAX_LIMIT}.`,
      schema: fromJoi(limit),
    },
    ErasureId: {
      name: 'erasure_id',
      in: 'path',
      required: true,
      description: 'As answered by `DELETE /v1/players/{player_id}`.',
      schema: { type: 'string', pattern: '^erasure-[0-9a-f-]{36}$' },
      example: ex.erasureId,
    },
    BatchId: {
      name: 'batch_id',
      in: 'path',
      required: true,
      description: 'As answered by `POST /v1/batches`.',
      schema: { type: 'string', format: 'uuid' },
      example: ex.batchId,
    },
    IdempotencyKey: {
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: `1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} visible ASCII characters. A repeat with the same key and body gets the first answer (same \`batch_id\`) and is not queued again; with another body it is a \`422\`. Keys are remembered as long as their batch is (${settings.batchKeptFor} after it is done).`,
      schema: fromJoi(idempotencyKey),
      example: 'client-7f3a-batch-0042',
    },
  };
}
