/** A problem the user can fix, reported as one clear message instead of a stack trace. */
export class OpsError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'OpsError';
  }
}

/** The command line itself is wrong: exit code 2, as for a shell builtin given bad arguments. */
export class UsageError extends OpsError {
  constructor(message: string, usage: string) {
    super(message, usage);
    this.name = 'UsageError';
  }
}

/**
 * Runs an ops command's body and turns failures into a readable message and exit code 1 (2 for a
 * UsageError).
 */
export async function runCli(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    if (err instanceof OpsError) {
      console.error(`\n✖ ${err.message}`);
      if (err.hint) console.error(`  ${err.hint}`);
    } else {
      console.error(err);
    }
    process.exitCode = err instanceof UsageError ? 2 : 1;
  }
}
