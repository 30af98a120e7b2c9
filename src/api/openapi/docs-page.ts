import { createRequire } from 'node:module';
import { PATHS, filled } from '../paths.ts';

/**
 * The docs page: Swagger UI rendering /openapi.json. Every file it loads is served by the API
 * itself, from the pinned `swagger-ui-dist` package, so the page works without internet access.
 */

export interface DocsAsset {
  /** Media type, without parameters (Koa adds `charset=utf-8` to text types). */
  readonly type: string;
  /** The file on disk, or the content itself. */
  readonly source: { readonly file: string } | { readonly text: string };
}

const swaggerUiFile = (name: string) => ({
  file: createRequire(import.meta.url).resolve(`swagger-ui-dist/${name}`),
});

// Swagger UI's own initializer points at the petstore and at validator.swagger.io (a badge it
// loads from there): ours points at this API's document and turns the validator off.
const INIT_SCRIPT = `window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(PATHS.openapi)},
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
});
`;

export const DOCS_ASSETS: Readonly<Record<string, DocsAsset>> = {
  'swagger-ui.css': { type: 'text/css', source: swaggerUiFile('swagger-ui.css') },
  'swagger-ui-bundle.js': {
    type: 'text/javascript',
    source: swaggerUiFile('swagger-ui-bundle.js'),
  },
  'favicon-32x32.png': { type: 'image/png', source: swaggerUiFile('favicon-32x32.png') },
  'init.js': { type: 'text/javascript', source: { text: INIT_SCRIPT } },
};

/**
 * The docs page's Content-Security-Policy: scripts, styles and fetches from this origin only (the
 * page has no inline script or style; Swagger UI styles elements through the DOM, which a policy
 * does not restrict). Its stylesheet draws its icons from `data:` URLs. "Try it out" calls this
 * same API.
 */
export const DOCS_CSP =
  "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const asset = (name: keyof typeof DOCS_ASSETS) => filled(PATHS.docsAsset, { asset: name });

/** The page; no inline script, so it also works under a strict Content-Security-Policy. */
export function docsPage(title: string): string {
  const escaped = title.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${escaped}</title>
    <link rel="stylesheet" href="${asset('swagger-ui.css')}" />
    <link rel="icon" type="image/png" href="${asset('favicon-32x32.png')}" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${asset('swagger-ui-bundle.js')}"></script>
    <script src="${asset('init.js')}"></script>
  </body>
</html>
`;
}
