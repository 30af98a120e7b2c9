/**
 * Every path the API serves, written once in the OpenAPI form (`{param}`): the routes register
 * them through `routed` (the router's `:param` form) and the OpenAPI document describes them, so
 * neither can name a path the other does not know.
 */
export const PATHS = {
  index: '/',
  batches: '/v1/batches',
  bulk: '/v1/batches/bulk',
  batch: '/v1/batches/{batch_id}',
  allCountriesStarts: '/v1/countries/starts',
  countryStarts: '/v1/countries/{country}/starts',
  playerSessions: '/v1/players/{player_id}/sessions',
  player: '/v1/players/{player_id}',
  erasure: '/v1/erasures/{erasure_id}',
  pipeline: '/v1/pipeline',
  healthz: '/healthz',
  readyz: '/readyz',
  metrics: '/metrics',
  openapi: '/openapi.json',
  docs: '/docs',
  docsAsset: '/docs/assets/{asset}',
  dashboard: '/dashboard',
  dashboardAsset: '/dashboard/assets/{asset}',
  /** Bull Board's UI; its own assets and JSON API live below it. */
  board: '/admin/queues',
} as const;

/** The probes: never rate-limited. */
export const PROBE_PATHS = [PATHS.healthz, PATHS.readyz] as const;

/** The dashboard's files below `PATHS.dashboardAsset` (src/api/dashboard/ and uPlot's). */
export const DASHBOARD_ASSETS = [
  'dashboard.css',
  'dashboard.js',
  'uPlot.esm.js',
  'uPlot.min.css',
] as const;
export type DashboardAsset = (typeof DASHBOARD_ASSETS)[number];

/** The router's form of a path: `{batch_id}` becomes `:batch_id`. */
export function routed(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

/** A path with its parameters filled in, e.g. an asset's URL. */
export function filled(path: string, params: Readonly<Record<string, string>>): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(params[name] ?? ''));
}
