import { createReadStream } from 'node:fs';
import type { RouteModule } from '../app.ts';
import { NotFoundError } from '../errors.ts';
import { API_TITLE, buildOpenApiDocument } from '../openapi/document.ts';
import { DOCS_ASSETS, DOCS_CSP, docsPage } from '../openapi/docs-page.ts';
import { documentSettings, type DocumentConfig } from '../openapi/settings.ts';
import { PATHS, routed } from '../paths.ts';

/** GET /openapi.json (the API's OpenAPI 3.1 document) and GET /docs (it, rendered). */
export function docsRoutes(config: DocumentConfig, now: () => number = Date.now): RouteModule {
  // Built once: it depends only on the code and the configuration of this process.
  const document = JSON.stringify(buildOpenApiDocument(documentSettings(config), now()));
  const page = docsPage(API_TITLE);

  return (router) => {
    router.get(PATHS.openapi, (ctx) => {
      ctx.type = 'application/json';
      ctx.body = document;
    });
    router.get(PATHS.docs, (ctx) => {
      ctx.type = 'text/html';
      ctx.set('Content-Security-Policy', DOCS_CSP);
      ctx.body = page;
    });
    router.get(routed(PATHS.docsAsset), (ctx) => {
      const name = ctx.params.asset ?? '';
      const asset = Object.hasOwn(DOCS_ASSETS, name) ? DOCS_ASSETS[name] : undefined;
      if (!asset) throw new NotFoundError('not_found', `no asset ${name}`);
      ctx.type = asset.type;
      ctx.set('Cache-Control', 'public, max-age=3600');
      ctx.body = 'file' in asset.source ? createReadStream(asset.source.file) : asset.source.text;
    });
  };
}
