import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import {
  laneEnv,
  SIDE_LANE,
  SIDE_LANES,
  SUITE_SPECS,
  suiteLanes,
} from '../../../ops/lib/test-lanes.ts';
import { C1_ONLY, jvmArguments, UNSAFE_SYSTEM } from '../../../ops/lib/cassandra-node-config.ts';
import { loadLocalSettings } from '../../../ops/lib/local-settings.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe("npm test's lanes", () => {
  const [main, ...sides] = suiteLanes(['--reporter=dot']);

  it('names only test files that exist, each once, so that a renamed file is not silently dropped', () => {
    for (const file of SIDE_LANE) expect(fs.existsSync(`${ROOT}${file}`), file).to.be.true;
    expect(new Set(SIDE_LANE).size).to.equal(SIDE_LANE.length);
  });

  it('runs every file of the suite in exactly one lane: the side lane its own, the main lane the rest', () => {
    expect(sides.map((lane) => lane.command)).to.deep.equal(
      SIDE_LANES.map((files) => ['npx', 'mocha', '--reporter=dot', ...files]),
    );
    const args = main!.command;
    expect(args.slice(0, 3)).to.deep.equal(['npx', 'mocha', '--reporter=dot']);
    for (const file of SIDE_LANE) {
      expect(
        SUITE_SPECS.some((spec) => file.startsWith(spec.split('**')[0]!)),
        `${file} is under the suite's specs`,
      ).to.be.true;
      const ignored = args.some((arg, i) => arg === file && args[i - 1] === '--ignore');
      expect(ignored, `${file} left out of the main lane`).to.be.true;
    }
    const specs = args
      .slice(3)
      .filter((arg, i, all) => arg !== '--ignore' && all[i - 1] !== '--ignore');
    expect(specs).to.deep.equal([...SUITE_SPECS]);
  });

  it("starts the tests' own Cassandra nodes with C1 only, unless the environment chooses", () => {
    const jitOf = (env: NodeJS.ProcessEnv) => loadLocalSettings(laneEnv(env)).cassandraJit;
    expect(jitOf({ REDIS_URL: 'redis://127.0.0.1:6390' })).to.equal('c1');
    expect(jitOf({ LOCAL_CASSANDRA_JIT: 'full' })).to.equal('full');
    expect(loadLocalSettings({}).cassandraJit, 'npm start and the bench').to.equal('full');
    const node = {
      jmxPort: 7199,
      heapMb: 512,
      jars: [],
      jamm: 'j',
      yaml: 'y',
      logs: 'l',
      data: 'd',
    };
    expect(jvmArguments({ ...node, jit: 'c1' })).to.include(C1_ONLY);
    expect(jvmArguments({ ...node, jit: 'full' })).not.to.include(C1_ONLY);
  });

  it('skips the schema flushes only on a node started as throwaway, never by default', () => {
    const node = { jit: 'full' as const, jmxPort: 7199, heapMb: 512, jars: [], jamm: 'j' };
    const paths = { yaml: 'y', logs: 'l', data: 'd' };
    expect(jvmArguments({ ...node, ...paths, throwawaySchema: true })).to.include(UNSAFE_SYSTEM);
    expect(jvmArguments({ ...node, ...paths })).not.to.include(UNSAFE_SYSTEM);
  });
});
