import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { RouteModule } from '../app.ts';
import { NotFoundError } from '../errors.ts';
import { PATHS, routed, type DashboardAsset } from '../paths.ts';

// The page's own files sit next to the code (copied into dist/ by `npm run build`); the chart
// library comes from its npm package: nothing is fetched from elsewhere.
const own = (name: string) => fileURLToPath(new URL(`../dashboard/${name}`, import.meta.url));
const uplot = (name: string) => createRequire(import.meta.url).resolve(`uplot/dist/${name}`);

const FILES: Readonly<Record<DashboardAsset, { type: string; file: string }>> = {
  'dashboard.css': { type: 'text/css', file: own('dashboard.css') },
  'dashboard.js': { type: 'text/javascript', file: own('dashboard.js') },
  'uPlot.esm.js': { type: 'text/javascript', file: uplot('uPlot.esm.js') },
  'uPlot.min.css': { type: 'text/css', file: uplot('uPlot.min.css') },
};

/** The page needs nothing but this origin: no inline script, no other host. */
const DASHBOARD_CSP =
  "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** What the page must know before its first request: whether to ask for a key, where the board is. */
export interface DashboardSettings {
  /** Keys are checked (AUTH=on): the page asks for one before calling the API. */
  readonly auth: boolean;
  /** Bull Board on this listener, on the internal one (ADMIN_PORT), or off (no ADMIN_PASSWORD). */
  readonly bullBoard: 'here' | 'admin-port' | 'off';
}

/** The board as the pages show it: a link only where it answers, else what a person can do. */
function bullBoardMarkup(where: DashboardSettings['bullBoard']): string {
  if (where === 'here') return `<a href="${PATHS.board}">Bull Board</a>`;
  if (where === 'admin-port')
    return `<span class="off">Bull Board: on the admin port (ADMIN_PORT), not here</span>`;
  return `<span class="off">Bull Board: off (set ADMIN_PASSWORD to turn it on)</span>`;
}

const index = (board: string) => `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Player Session Service</title></head>
  <body>
    <h1>Player Session Service</h1>
    <ul>
      <li><a href="${PATHS.dashboard}">Dashboard</a></li>
      <li><a href="${PATHS.docs}">API documentation</a></li>
      <li>${board}</li>
    </ul>
  </body>
</html>
`;

/** GET / (links), GET /dashboard and its assets; read once at start, so a missing file fails early. */
export function dashboardRoutes(settings: DashboardSettings): RouteModule {
  const board = bullBoardMarkup(settings.bullBoard);
  const page = readFileSync(own('index.html'), 'utf8')
    .replace('<body>', `<body data-auth="${settings.auth ? 'on' : 'off'}">`)
    .replaceAll('<!-- bull-board -->', board);
  const home = index(board);
  const assets = Object.fromEntries(
    Object.entries(FILES).map(([name, a]) => [name, { type: a.type, body: readFileSync(a.file) }]),
  );
  return (router) => {
    router.get(PATHS.index, (ctx) => {
      ctx.type = 'text/html';
      ctx.body = home;
    });
    router.get(PATHS.dashboard, (ctx) => {
      ctx.type = 'text/html';
      ctx.set('Content-Security-Policy', DASHBOARD_CSP);
      ctx.body = page;
    });
    router.get(routed(PATHS.dashboardAsset), (ctx) => {
      const name = ctx.params.asset ?? '';
      const asset = Object.hasOwn(assets, name) ? assets[name] : undefined;
      if (!asset) throw new NotFoundError('not_found', `no asset ${name}`);
      ctx.type = asset.type;
      ctx.set('Cache-Control', 'public, max-age=300');
      ctx.body = asset.body;
    });
  };
}
