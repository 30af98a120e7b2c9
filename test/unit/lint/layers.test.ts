import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

/**
 * The layering rules of eslint.config.js (README, "Where things are") catch what they are there
 * for. Each case lints one real file of the tree with an import added, through the project's own
 * configuration: the rules depend on settings (resolver, extensions, parsers) whose absence makes
 * them pass silently — without `import-x/extensions` and `import-x/parsers` the cycle rule saw no
 * cycle at all. Only the import rules run, without type information, so that each case takes
 * milliseconds.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const eslint = new ESLint({
  cwd: ROOT,
  overrideConfig: { files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked },
  ruleFilter: ({ ruleId }) => ruleId.startsWith('import-x/'),
});

/** The rules that fail when `file` starts with `imports`. */
async function violations(file: string, imports: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${imports}\nexport const probe = 1;\n`, {
    filePath: `${ROOT}${file}`,
  });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

describe('the layers the linter enforces', function () {
  this.timeout(60_000);

  it('lets each layer import what it may', async () => {
    expect(await violations('src/domain/window.ts', "import './duration.ts';")).to.deep.equal([]);
    expect(
      await violations('src/storage/rollups.ts', "import '../domain/shard.ts';"),
    ).to.deep.equal([]);
    expect(await violations('src/api/app.ts', "import '../queue/events-queue.ts';")).to.deep.equal(
      [],
    );
    expect(await violations('ops/migrate.ts', "import '../workers/tuning.ts';")).to.deep.equal([]);
    expect(
      await violations('test/unit/lint/probe.ts', "import '../../../workers/tuning.ts';"),
    ).to.deep.equal([]);
  });

  it('refuses a domain module that imports another layer', async () => {
    expect(await violations('src/domain/window.ts', "import '../config/env.ts';")).to.deep.equal([
      'import-x/no-restricted-paths',
    ]);
    expect(
      await violations(
        'src/domain/window.ts',
        "import type { Logger } from '../observability/logger.ts';",
      ),
    ).to.deep.equal(['import-x/no-restricted-paths']);
  });

  it('refuses storage or queue code that imports the API', async () => {
    expect(await violations('src/storage/rollups.ts', "import '../api/errors.ts';")).to.deep.equal([
      'import-x/no-restricted-paths',
    ]);
    expect(
      await violations('src/queue/events-queue.ts', "import '../api/errors.ts';"),
    ).to.deep.equal(['import-x/no-restricted-paths']);
  });

  it('refuses src importing the workers or ops, and the workers importing ops', async () => {
    expect(await violations('src/api/app.ts', "import '../../workers/tuning.ts';")).to.deep.equal([
      'import-x/no-restricted-paths',
    ]);
    expect(await violations('src/api/app.ts', "import '../../ops/lib/errors.ts';")).to.deep.equal([
      'import-x/no-restricted-paths',
    ]);
    expect(await violations('workers/tuning.ts', "import '../ops/lib/errors.ts';")).to.deep.equal([
      'import-x/no-restricted-paths',
    ]);
  });

  it('refuses a worker or a tool that imports the API, its ingest side included', async () => {
    expect(
      await violations('workers/tuning.ts', "import '../src/api/ingest/batch-producer.ts';"),
    ).to.deep.equal(['import-x/no-restricted-paths']);
    expect(
      await violations('ops/migrate.ts', "import '../src/api/ingest/backpressure.ts';"),
    ).to.deep.equal(['import-x/no-restricted-paths']);
    expect(
      await violations('ops/migrate.ts', "import '../src/queue/events-queue.ts';"),
    ).to.deep.equal([]);
  });

  it('refuses an import that closes a cycle', async () => {
    // window.ts imports duration.ts; duration.ts importing window.ts back closes the cycle.
    expect(await violations('src/domain/duration.ts', "import './window.ts';")).to.deep.equal([
      'import-x/no-cycle',
    ]);
  });
});
