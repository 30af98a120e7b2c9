import Koa from 'koa';
import Router from '@koa/router';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { LogContext } from '../observability/logger.ts';
import { trustProxies, type ProxyTrust } from './client-address.ts';
import { errorHandler } from './middleware/error-handler.ts';
import { httpMetrics } from './middleware/http-metrics.ts';
import { requestContext } from './middleware/request-context.ts';
import { securityHeaders } from './middleware/security-headers.ts';

export interface AppDeps {
  readonly logger: Logger;
  readonly logContext: LogContext;
  readonly registry: Registry;
  /** Whose address `ctx.ip` is: the socket's, or one a trusted proxy wrote. */
  readonly proxy: ProxyTrust;
  /** Middleware mounted on its own paths (Bull Board), after the error handler, before the routes. */
  readonly mounts?: readonly Koa.Middleware[];
  /** Each adds its routes to the one router of the app (so 404 and 405 are decided once). */
  readonly routes: readonly RouteModule[];
}

export type RouteModule = (router: Router) => void;

/** One route of the router, as registered: e.g. `/v1/batches/:batchId` with GET and HEAD. */
export interface RouteInfo {
  readonly path: string;
  readonly methods: readonly string[];
}

/** The app, with the routes its router serves (so tests can hold the API docs against them). */
export type ApiApp = Koa & { readonly routes: readonly RouteInfo[] };

/** The Koa application: cross-cutting middleware, then the routers. No I/O happens here. */
export function createApp(deps: AppDeps): ApiApp {
  const app = new Koa();
  trustProxies(app, deps.proxy);
  app.silent = true; // errors are logged by the error middleware, once, with the request id
  app.use(requestContext(deps.logger.child({ module: 'http' }), deps.logContext));
  app.use(securityHeaders());
  app.use(httpMetrics(deps.registry));
  app.use(errorHandler(deps.logger.child({ module: 'errors' })));
  for (const mount of deps.mounts ?? []) app.use(mount);
  const router = new Router();
  for (const register of deps.routes) register(router);
  app.use(router.routes());
  app.use(router.allowedMethods({ throw: false }));
  // Layers without methods are middleware mounted with router.use(), not routes.
  const routes = router.stack
    .filter((layer) => layer.methods.length > 0)
    .map((layer) => ({ path: String(layer.path), methods: [...layer.methods] }));
  return Object.assign(app, { routes });
}
