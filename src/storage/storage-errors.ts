import cassandra from 'cassandra-driver';

/**
 * True for the driver errors that mean "Cassandra cannot answer right now" (no host reachable,
 * a timeout, a connection that closed under a request, too few replicas up, overloaded, a node
 * still starting or truncating) as opposed to a bug in a statement.
 */
export function isStorageUnavailable(err: unknown): boolean {
  const { errors, types } = cassandra;
  if (err instanceof errors.NoHostAvailableError || err instanceof errors.OperationTimedOutError)
    return true;
  if (err instanceof errors.BusyConnectionError) return true;
  // A node that dies with requests in flight fails them with a plain DriverError ("Socket was
  // closed") that the driver flags as a socket error; the driver retries it itself only for
  // statements marked idempotent that had not been written yet.
  if (err instanceof errors.DriverError && (err as { isSocketError?: boolean }).isSocketError)
    return true;
  if (err instanceof errors.ResponseError) {
    const code = types.responseErrorCodes;
    const unavailable: number[] = [
      code.unavailableException,
      code.overloaded,
      code.isBootstrapping,
      code.truncateError,
      code.readTimeout,
      code.writeTimeout,
      code.readFailure,
      code.writeFailure,
    ];
    return unavailable.includes(err.code);
  }
  return false;
}

/**
 * True for the driver errors a missing keyspace or table gives: a statement naming it is refused
 * as invalid ("keyspace x does not exist", "table y does not exist"), or — when the table went
 * away after the statement was prepared — every host answers "unprepared" and re-preparing fails.
 * A missing schema is not an outage to wait out with retries; see workers/schema-guard.ts.
 */
export function isSchemaMissing(err: unknown): boolean {
  if (err instanceof KeyspaceSettingMissingError) return true;
  const { errors, types } = cassandra;
  const invalid: number = types.responseErrorCodes.invalid;
  const unprepared: number = types.responseErrorCodes.unprepared;
  if (err instanceof errors.ResponseError)
    return err.code === invalid && /does not exist|unconfigured table/i.test(err.message);
  if (err instanceof errors.NoHostAvailableError) {
    const inner = Object.values(err.innerErrors as Record<string, unknown>);
    return (
      inner.length > 0 &&
      inner.every((e) => e instanceof errors.ResponseError && e.code === unprepared)
    );
  }
  return false;
}

/** A keyspace without a setting every migrated keyspace records (src/storage/keyspace-settings.ts). */
export class KeyspaceSettingMissingError extends Error {
  override readonly name = 'KeyspaceSettingMissingError';
  constructor(
    readonly keyspace: string,
    readonly setting: string,
  ) {
    super(`keyspace ${keyspace} has no ${setting} recorded: run npm run migrate`);
  }
}
