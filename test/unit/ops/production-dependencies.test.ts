import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

/**
 * The image installs production dependencies only (`npm ci --omit=dev`), so every package that
 * the Procfile's processes and the one-off commands import at run time must be a dependency —
 * `npm run generate` once failed there because pure-rand was a devDependency. Walks the import
 * graph of their sources from the entry points: every compiled script the Procfile, the
 * Dockerfile, docker-compose.yml or README tells someone to run (`node dist/….js`).
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
/** The sources of the compiled scripts `text` runs. */
const scriptsIn = (text: string) =>
  new Set([...text.matchAll(/\bdist\/([\w/.-]+)\.js\b/g)].map((m) => `${m[1]!}.ts`));
const ENTRY_POINTS = [
  ...new Set(
    ['Procfile', 'Dockerfile', 'docker-compose.yml', 'README.md'].flatMap((f) => [
      ...scriptsIn(read(f)),
    ]),
  ),
];
// Value imports only: `import type` and `export type` vanish when compiled.
const IMPORT =
  /(?:^|[;\s])(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?'([^']+)'|import(?:\.meta\.resolve)?\(\s*'([^']+)'/gm;

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function runtimePackages(entries: readonly string[]): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const pending = entries.map((e) => path.join(ROOT, e));
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    for (const match of fs.readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2]!;
      if (specifier.startsWith('.')) pending.push(path.resolve(path.dirname(file), specifier));
      else if (!specifier.startsWith('node:') && !builtinModules.includes(specifier))
        packages.add(packageOf(specifier));
    }
  }
  return packages;
}

describe('the production image’s dependencies', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const needed = runtimePackages(ENTRY_POINTS);

  it('include every package the processes and one-off commands import at run time', () => {
    const missing = [...needed].filter((p) => !(p in manifest.dependencies));
    expect(missing).to.deep.equal([]);
  });

  it('are found from every process and one-off command, each named in the Dockerfile', () => {
    expect(ENTRY_POINTS).to.include.members([
      'src/api/main.ts',
      'workers/main.ts',
      'ops/migrate.ts',
      'ops/replay-failed.ts',
      'ops/keys.ts',
      'ops/generate.ts',
      'ops/load.ts',
    ]);
    for (const entry of ENTRY_POINTS)
      expect(fs.existsSync(path.join(ROOT, entry)), entry).to.be.true;
    // The image's comment lists the one-off commands by file name.
    const dockerfile = read('Dockerfile');
    for (const entry of ENTRY_POINTS.filter((e) => e.startsWith('ops/')))
      expect(dockerfile, entry).to.include(`${path.basename(entry, '.ts')}.js`);
  });

  it('finds the packages it must, so an empty walk cannot pass', () => {
    for (const p of ['koa', 'bullmq', 'cassandra-driver', 'pure-rand'])
      expect(needed).to.include(p);
  });

  it('leave TypeScript tooling out: nothing at run time loads tsx', () => {
    expect(needed).not.to.include('tsx');
    expect(manifest.dependencies).not.to.have.property('tsx');
  });

  it('leave the TypeScript compiler out of the image, though npm installs it as an optional peer', () => {
    const lock = JSON.parse(read('package-lock.json')) as {
      packages: Record<string, { dev?: boolean; devOptional?: boolean }>;
    };
    // devOptional: `npm ci --omit=dev` installs it (valibot's optional peer), so the image must
    // remove it; a plain dev entry would make the removal below unnecessary.
    expect(lock.packages['node_modules/typescript']?.devOptional).to.equal(true);
    expect(needed).not.to.include('typescript');
    const deps = /FROM \S+ AS deps\n([\s\S]*?)\n\nFROM/.exec(read('Dockerfile'))?.[1] ?? '';
    expect(deps).to.include('npm ci --omit=dev');
    expect(deps).to.match(/rm -rf node_modules\/typescript\b/);
  });
});
