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

/** Whether the command line asks for help (anywhere in it, as people type it last). */
export function asksForHelp(argv: readonly string[]): boolean {
  return argv.some((arg) => arg === '--help' || arg === '-h');
}

/**
 * Runs an ops command's body and turns failures into a readable message and exit code 1 (2 for a
 * UsageError). `--help` (or `-h`) prints the usage and exits 0 without running anything.
 */
export async function runCli(usage: string, body: () => Promise<void>): Promise<void> {
  if (asksForHelp(process.argv.slice(2))) {
    console.log(usage);
    return;
  }
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
