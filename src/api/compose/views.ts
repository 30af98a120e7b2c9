import type { Config } from '../../config/env.ts';
import { CountryStartsQueries } from '../../queries/country-starts.ts';
import { PlayerSessionsQueries } from '../../queries/player-sessions.ts';
import type { CassandraClient } from '../../storage/cassandra-client.ts';
import { CompletedSessionGenerations } from '../../storage/completed-sessions.ts';
import { StartCountGenerations } from '../../storage/start-count-generations.ts';
import { followGenerations, ViewGenerations } from '../../storage/view-generations.ts';
import type { Guard } from '../access/access.ts';
import type { RouteModule } from '../app.ts';
import { countryRoutes } from '../routes/countries.ts';
import { playerRoutes } from '../routes/players.ts';

/** The two read models' routes, each over its query module (src/queries/). */
export function viewRoutes(
  config: Config,
  cassandra: CassandraClient,
  guard: Guard,
  now: () => number,
): RouteModule[] {
  const ks = config.cassandra.keyspace;
  return [
    countryRoutes(
      new CountryStartsQueries({
        // Reads follow the generation a rebuild switched them to (docs/DATA-MODEL.md, "Rebuild").
        ...new StartCountGenerations(
          cassandra,
          ks,
          followGenerations(
            new ViewGenerations(cassandra, ks),
            'start-counts',
            config.cassandra.generationsMaxAgeMs,
          ),
        ).reader(),
        retentionMs: config.events.retentionSeconds * 1000,
        now,
      }),
      guard,
    ),
    playerRoutes(
      new PlayerSessionsQueries({
        // Reads follow the generation a rebuild switched them to (docs/DATA-MODEL.md, "Rebuild").
        completed: new CompletedSessionGenerations(
          cassandra,
          ks,
          followGenerations(
            new ViewGenerations(cassandra, ks),
            'completed-sessions',
            config.cassandra.generationsMaxAgeMs,
          ),
        ),
      }),
      guard,
    ),
  ];
}
