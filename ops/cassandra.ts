// npm run cassandra -- fetch | start | stop | status
import { LocalCassandra } from './lib/cassandra-local.ts';
import { OpsError, runCli } from './lib/errors.ts';
import { loadLocalSettings } from './lib/local-settings.ts';

await runCli(async () => {
  const node = new LocalCassandra(loadLocalSettings());
  const command = process.argv[2] ?? 'status';
  switch (command) {
    case 'fetch': {
      const jars = await node.fetch();
      console.log(`Cassandra classpath ready (${jars.length} jars).`);
      return;
    }
    case 'start':
      if (!(await node.start()))
        console.log(`Cassandra already answers on ${node.contactPoint}; reusing it.`);
      return;
    case 'stop':
      if (!(await node.stop()))
        console.log('No local Cassandra started from this checkout is running.');
      return;
    case 'status': {
      const up = await node.isUp();
      const pid = node.pid();
      console.log(
        `Cassandra on ${node.contactPoint}: ${up ? 'answers' : 'not answering'}` +
          (pid ? ` (local node pid ${pid}, ${node.dir})` : ''),
      );
      if (!up) process.exitCode = 3;
      return;
    }
    default:
      throw new OpsError(
        `unknown command "${command}"`,
        'usage: npm run cassandra -- fetch|start|stop|status',
      );
  }
});
