import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../../ops/lib/process.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The release a rolling upgrade starts from: the newest tag before this code (README, Upgrading),
 * with its commit — a clone that was given the branch but not its tags still has the commit.
 */
export const PREVIOUS_RELEASE = {
  tag: 'v0.1.0',
  commit: '6448e96ad93a5fbcb1b67d80cd2144075914cd25',
} as const;

export interface Release {
  readonly tag: string;
  readonly commit: string;
  /** A clean, built checkout of the release (dist/ and node_modules/ in place). */
  readonly dir: string;
}

/**
 * Builds a release from a clean clone of this repository at its tag — `npm ci`, `npm run build`,
 * nothing of this working tree — under `.local/releases/<commit>`, once per commit: later runs
 * find it built (the marker file is written last, so a build cut short is redone).
 */
export async function builtRelease(
  release: { readonly tag: string; readonly commit: string } = PREVIOUS_RELEASE,
): Promise<Release> {
  const { tag } = release;
  const tagged = await run('git', ['rev-parse', '--verify', '--quiet', `${tag}^{commit}`], {
    cwd: ROOT,
  });
  const commit = tagged.code === 0 ? tagged.stdout.trim() : release.commit;
  if (commit !== release.commit)
    throw new Error(`${tag} is ${commit} here, not the release's ${release.commit}`);
  const dir = path.join(ROOT, '.local', 'releases', commit);
  const marker = path.join(dir, '.built');
  if (fs.existsSync(marker)) return { tag, commit, dir };
  fs.rmSync(dir, { recursive: true, force: true });
  // The repository itself (a worktree's .git is only a pointer to it), where the tags are.
  const repo = path.resolve(ROOT, (await git(['rev-parse', '--git-common-dir'], ROOT)).trim());
  await git(['clone', '--quiet', '--no-checkout', repo, dir], ROOT);
  await git(['checkout', '--quiet', '--detach', commit], dir);
  await must('npm', ['ci', '--no-audit', '--no-fund'], dir);
  await must('npm', ['run', '--silent', 'build'], dir);
  fs.writeFileSync(marker, `${tag} ${commit}\n`);
  return { tag, commit, dir };
}

async function git(args: string[], cwd: string): Promise<string> {
  return must('git', args, cwd);
}

async function must(command: string, args: string[], cwd: string): Promise<string> {
  const result = await run(command, args, { cwd });
  if (result.code !== 0)
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd}:\n${result.stdout}${result.stderr}`,
    );
  return result.stdout;
}
