import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OpsError } from './errors.ts';
import { run } from './process.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export type ProcessType = 'web' | 'worker';

let built: Promise<void> | undefined;

/**
 * Compiles the service to dist/ (`npm run build`, incremental: a few seconds when nothing
 * changed), once per process. The Procfile runs the compiled JavaScript, so whatever runs the
 * Procfile's commands locally — `npm start`, the benchmark, the end-to-end tests — builds first
 * and never runs a stale dist/.
 */
export function ensureBuilt(): Promise<void> {
  built ??= run('npm', ['run', '--silent', 'build'], { cwd: ROOT }).then((result) => {
    if (result.code !== 0)
      throw new OpsError(
        `npm run build failed:\n${result.stdout}${result.stderr}`,
        'Fix the type errors above (npm run check shows them all).',
      );
  });
  return built;
}

/**
 * Tells this process that dist/ is already built and current: for the mocha processes `npm test`
 * starts after building it (test/support/prebuilt.ts), so that two of them running side by side
 * never rebuild it under the processes the other runs from it.
 */
export function assumeBuilt(): void {
  built ??= Promise.resolve();
}

/** The Procfile's command for a process type, as an argument list (`exec` dropped). */
export function procfileCommand(type: ProcessType, root: string = ROOT): string[] {
  const text = fs.readFileSync(`${root.replace(/\/?$/, '/')}Procfile`, 'utf8');
  const line = text.split('\n').find((l) => l.startsWith(`${type}:`));
  if (!line) throw new OpsError(`the Procfile has no ${type} process`);
  return line
    .slice(type.length + 1)
    .trim()
    .replace(/^exec /, '')
    .split(/\s+/);
}
