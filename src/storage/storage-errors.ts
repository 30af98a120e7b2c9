import cassandra from 'cassandra-driver';

/**
 * True for the driver errors that mean "Cassandra cannot answer right now" (no host reachable,
 * a timeout, too few replicas up, overloaded) as opposed to a bug in a statement.
 */
export function isStorageUnavailable(err: unknown): boolean {
  const { errors, types } = cassandra;
  if (err instanceof errors.NoHostAvailableError || err instanceof errors.OperationTimedOutError)
    return true;
  if (err instanceof errors.BusyConnectionError) return true;
  if (err instanceof errors.ResponseError) {
    const code = types.responseErrorCodes;
    const unavailable: number[] = [
      code.unavailableException,
      code.overloaded,
      code.isBootstrapping,
      code.readTimeout,
      code.writeTimeout,
      code.readFailure,
      code.writeFailure,
    ];
    return unavailable.includes(err.code);
  }
  return false;
}
