import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import pMap from 'p-map';
import { ensureBuilt } from '../../../ops/lib/build.ts';
import { run } from '../../../ops/lib/process.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// Every command of ops/, found rather than listed, so a new one is held to the same rule.
const COMMANDS = fs
  .readdirSync(`${ROOT}ops`)
  .filter((name) => name.endsWith('.ts'))
  .map((name) => name.slice(0, -'.ts'.length));

describe('every ops command, asked for --help', function () {
  // Two dozen Node processes on a shared machine.
  this.timeout(180_000);

  it('finds the commands it checks', () => {
    expect(COMMANDS).to.include.members(['load', 'generate', 'keys', 'stack', 'start', 'migrate']);
  });

  for (const form of ['source', 'compiled'] as const)
    it(`prints its usage and exits 0, run from ${form === 'source' ? 'ops/*.ts' : 'dist/ops/*.js'}`, async () => {
      if (form === 'compiled') await ensureBuilt();
      const answers = await pMap(
        COMMANDS,
        async (name) => {
          const args =
            form === 'source'
              ? ['--import', 'tsx', `ops/${name}.ts`, '--help']
              : [`dist/ops/${name}.js`, '--help'];
          const result = await run(process.execPath, args, { cwd: ROOT });
          return { name, code: result.code, usage: result.stdout.startsWith('usage: ') };
        },
        { concurrency: 2 },
      );
      expect(answers).to.deep.equal(COMMANDS.map((name) => ({ name, code: 0, usage: true })));
    });
});
