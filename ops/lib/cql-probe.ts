import cassandra from 'cassandra-driver';

/** True when a CQL server at these contact points answers a query within a few seconds. */
export async function cqlAnswers(
  contactPoints: readonly string[],
  localDataCenter: string,
): Promise<boolean> {
  const client = new cassandra.Client({
    contactPoints: [...contactPoints],
    localDataCenter,
    socketOptions: { connectTimeout: 2000, readTimeout: 3000 },
    pooling: { warmup: false },
  });
  try {
    await client.connect();
    await client.execute('SELECT release_version FROM system.local');
    return true;
  } catch {
    return false;
  } finally {
    await client.shutdown().catch(() => undefined);
  }
}
