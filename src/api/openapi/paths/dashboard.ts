import type { PathsObject, ResponseObject, SchemaObject } from 'openapi3-ts/oas31';
import { DASHBOARD_ASSETS, PATHS } from '../../paths.ts';
import { jsonResponse, notFound } from '../responses.ts';
import { closed, count, instant } from '../schema-kit.ts';

const html = (description: string): ResponseObject => ({
  description,
  content: { 'text/html': { schema: { type: 'string' } } },
});
const seconds: SchemaObject = { type: ['number', 'null'], minimum: 0 };

const PIPELINE = closed(
  [
    'at',
    'events_accepted_total',
    'events_processed_total',
    'backlog_jobs',
    'failed_jobs',
    'end_to_end',
  ],
  {
    at: instant,
    events_accepted_total: count,
    events_processed_total: count,
    backlog_jobs: count,
    failed_jobs: count,
    end_to_end: closed(['batches', 'mean_seconds', 'p95_seconds'], {
      batches: count,
      mean_seconds: seconds,
      p95_seconds: seconds,
    }),
  },
);

const PIPELINE_EXAMPLE = {
  at: '2026-01-01T12:00:00.000Z',
  events_accepted_total: 1200,
  events_processed_total: 1180,
  backlog_jobs: 1,
  failed_jobs: 0,
  end_to_end: { batches: 12, mean_seconds: 0.21, p95_seconds: 0.5 },
};

/** The people's pages (index and dashboard) and the pipeline summary the dashboard reads. */
export function dashboardPaths(): PathsObject {
  return {
    [PATHS.index]: {
      get: {
        tags: ['Dashboard'],
        operationId: 'getIndex',
        summary: 'Links to the dashboard and the API documentation',
        responses: { '200': html('An HTML page.') },
      },
    },
    [PATHS.dashboard]: {
      get: {
        tags: ['Dashboard'],
        operationId: 'getDashboard',
        summary: 'The dashboard: starts per country, one country by hour, a player, the pipeline',
        description:
          'Reads only the public API. Its scripts, styles and chart library (uPlot) are served below `/dashboard/assets/`; it loads nothing from elsewhere.',
        responses: { '200': html('An HTML page.') },
      },
    },
    [PATHS.dashboardAsset]: {
      get: {
        tags: ['Dashboard'],
        operationId: 'getDashboardAsset',
        summary: 'A script or stylesheet of the dashboard',
        parameters: [
          {
            name: 'asset',
            in: 'path',
            required: true,
            schema: { type: 'string', enum: [...DASHBOARD_ASSETS] },
          },
        ],
        responses: {
          '200': {
            description: 'The file.',
            content: Object.fromEntries(
              ['text/javascript', 'text/css'].map((t) => [t, { schema: { type: 'string' } }]),
            ),
          },
          '404': notFound('no such asset.', 'no asset missing.js'),
        },
      },
    },
    [PATHS.pipeline]: {
      get: {
        tags: ['Operations'],
        operationId: 'getPipeline',
        summary: 'The pipeline in figures: events accepted and processed, backlog, end-to-end time',
        description:
          'Totals since the processes started, summed over the API and every live worker (the same figures as `/metrics`). Rates come from two readings: the difference of a total divided by the difference of `at`. `p95_seconds` is the smallest bucket bound of `batch_end_to_end_seconds` holding 95 % of the batches; both times are `null` before the first batch.',
        responses: {
          '200': jsonResponse('The figures.', PIPELINE, PIPELINE_EXAMPLE),
        },
      },
    },
  };
}
