import type { Config } from '../../config/env.ts';
import type { ApiApp } from '../app.ts';
import { listen, type Listener } from '../listener.ts';

export interface Listeners {
  readonly main: Listener;
  /** The internal listener, when ADMIN_PORT is set. */
  readonly admin: Listener | undefined;
}

/** Listens on PORT, then on ADMIN_PORT when there is an admin app; both or neither. */
export async function listenAll(
  config: Config,
  app: ApiApp,
  adminApp: ApiApp | undefined,
): Promise<Listeners> {
  const main = await listen(app, config.http.port, config.http);
  const admin =
    adminApp && config.http.adminPort !== undefined
      ? await listen(adminApp, config.http.adminPort, config.http).catch(async (err: unknown) => {
          await main.close();
          throw err;
        })
      : undefined;
  return { main, admin };
}
