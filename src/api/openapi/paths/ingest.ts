import type { PathsObject } from 'openapi3-ts/oas31';
import { PATHS } from '../../paths.ts';
import type { Examples } from '../examples.ts';
import { parameterRef } from '../parameters.ts';
import { errorResponse, internalError, jsonResponse, queueUnavailable } from '../responses.ts';
import { schemaRef } from '../schema-kit.ts';
import type { DocumentSettings } from '../settings.ts';
import { postBatchOperation } from './post-batch.ts';

/** POST /v1/batches, POST /v1/batches/bulk and GET /v1/batches/{batch_id}. */
export function ingestPaths(settings: DocumentSettings, ex: Examples): PathsObject {
  return {
    [PATHS.batches]: {
      post: postBatchOperation(
        {
          operationId: 'postBatch',
          summary: 'Ingest one batch of events',
          intro: '',
          maxEvents: settings.maxBatchEvents,
          maxBodyBytes: settings.maxBodyBytes,
          bodySchema: 'BatchJson',
        },
        ex,
      ),
    },
    [PATHS.bulk]: {
      post: postBatchOperation(
        {
          operationId: 'postBulkBatch',
          summary: 'Ingest a large batch of events (bulk import of a data set)',
          intro:
            'For loading whole data sets (`npm run load -- FILE --bulk`): the same body forms, event rules, answers and `Idempotency-Key` as `POST /v1/batches`, and one queued job per request, in larger batches. ',
          maxEvents: settings.bulkMaxEvents,
          maxBodyBytes: settings.bulkMaxBodyBytes,
          bodySchema: 'BulkBatchJson',
        },
        ex,
      ),
    },
    [PATHS.batch]: {
      get: {
        tags: ['Ingest'],
        operationId: 'getBatch',
        summary: 'Where a batch is',
        parameters: [parameterRef('BatchId')],
        responses: {
          '200': jsonResponse('The batch’s state.', schemaRef('BatchStatus'), ex.status),
          '404': errorResponse('No such batch.', {
            batch_not_found: {
              when: `the id is unknown, or its batch was done more than ${settings.batchKeptFor} ago.`,
              message: `no batch ${ex.batchId} is known`,
            },
          }),
          '503': queueUnavailable,
          '500': internalError,
        },
      },
    },
  };
}
