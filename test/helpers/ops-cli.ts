import { fileURLToPath } from 'node:url';
import { inheritedEnv } from '../../src/config/env.ts';
import { run } from '../../ops/lib/process.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** One ops command run from source as a user runs it (`ops/export.ts`, `ops/rebuild.ts`, …), quiet logs. */
export function runOpsCli(
  script: string,
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return run(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: inheritedEnv({ LOG_LEVEL: 'silent', ...env }),
  });
}
