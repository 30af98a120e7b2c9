import type cassandra from 'cassandra-driver';
import pLimit from 'p-limit';

type Params = cassandra.ArrayOrObject;
type Options = cassandra.QueryOptions;

/** The part of the driver's client the write side uses, promise style. */
export interface StatementRunner {
  execute(query: string, params?: Params, options?: Options): Promise<cassandra.types.ResultSet>;
  batch(
    queries: { query: string; params?: Params }[],
    options?: Options,
  ): Promise<cassandra.types.ResultSet>;
}

/**
 * A client whose requests queue in this process once `max` are in flight. The driver refuses a
 * request when every connection already carries its maximum (2,048 on one connection per host),
 * and a worker holding hundreds of jobs could ask for more than that at once: waiting here costs
 * nothing, a refusal costs a retried job.
 */
export function limitRequests(client: StatementRunner, max: number): StatementRunner {
  const limit = pLimit(max);
  return {
    execute: (query, params, options) => limit(() => client.execute(query, params, options)),
    batch: (queries, options) => limit(() => client.batch(queries, options)),
  };
}
