import type { PathsObject } from 'openapi3-ts/oas31';
import { IDENTIFIER_MAX_LENGTH, invalidIdentifier } from '../../../domain/rules.ts';
import { ERASURE_STATUS_KEPT_SECONDS } from '../../../queue/erasures-queue.ts';
import { PATHS } from '../../paths.ts';
import type { Examples } from '../examples.ts';
import { parameterRef } from '../parameters.ts';
import { errorResponse, internalError, jsonResponse, queueUnavailableOf } from '../responses.ts';
import { schemaRef } from '../schema-kit.ts';

const KEPT_DAYS = ERASURE_STATUS_KEPT_SECONDS / 86_400;

/** Erasing a player (README "Data lifecycle"). */
export function erasurePaths(ex: Examples): PathsObject {
  return {
    [PATHS.player]: {
      delete: {
        tags: ['Data lifecycle'],
        operationId: 'deletePlayer',
        summary: 'Erase a player',
        description:
          'Queues the erasure of every event and completed session of the player from every table; the starts-per-country counts are recounted without them. Idempotent: erasing again (or an unknown player) is harmless. Events of the player that arrive later are stored as usual. Covers every event whose batch was `done` before the request; one still in the queue or being processed meanwhile may stay (erase again once it is done). The audit log names the key and the SHA-256 of the id, never the id.',
        parameters: [parameterRef('PlayerId')],
        responses: {
          '202': {
            ...jsonResponse(
              'Queued; follow it at `Location`.',
              schemaRef('ErasureAccepted'),
              ex.erasureAccepted,
            ),
            headers: {
              Location: {
                description: 'The erasure’s status: `/v1/erasures/{erasure_id}`.',
                schema: { type: 'string' },
              },
            },
          },
          '400': errorResponse('A parameter is malformed.', {
            invalid_player_id: {
              when: `\`player_id\` is longer than ${IDENTIFIER_MAX_LENGTH} characters or holds whitespace or a control character.`,
              message: invalidIdentifier('player_id'),
            },
          }),
          // Adding the job is a write: a Redis that cannot persist refuses it.
          '503': queueUnavailableOf('queue_unavailable', 'queue_not_writable'),
          '500': internalError,
        },
      },
    },
    [PATHS.erasure]: {
      get: {
        tags: ['Data lifecycle'],
        operationId: 'getErasure',
        summary: 'Where an erasure is',
        parameters: [parameterRef('ErasureId')],
        responses: {
          '200': jsonResponse(
            'The erasure’s state; its counts once done.',
            schemaRef('ErasureStatus'),
            ex.erasureStatus,
          ),
          '404': errorResponse('No such erasure.', {
            erasure_not_found: {
              when: `the id is unknown, or its erasure finished more than ${KEPT_DAYS} days ago.`,
              message: `no erasure ${ex.erasureId} is known`,
            },
          }),
          '503': queueUnavailableOf('queue_unavailable'),
          '500': internalError,
        },
      },
    },
  };
}
