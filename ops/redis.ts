// npm run redis -- start | stop | status
import { OpsError, runCli } from './lib/errors.ts';
import { loadLocalSettings } from './lib/local-settings.ts';
import { LocalRedis } from './lib/redis-local.ts';

await runCli(async () => {
  const redis = new LocalRedis(loadLocalSettings());
  const command = process.argv[2] ?? 'status';
  switch (command) {
    case 'start':
      if (!(await redis.start())) console.log(`Redis already answers on ${redis.url}; reusing it.`);
      return;
    case 'stop':
      if (!(await redis.stop()))
        console.log('No local Redis started from this checkout is running.');
      return;
    case 'status': {
      const up = await redis.isUp();
      console.log(`Redis on ${redis.url}: ${up ? 'answers' : 'not answering'}`);
      if (!up) process.exitCode = 3;
      return;
    }
    default:
      throw new OpsError(
        `unknown command "${command}"`,
        'usage: npm run redis -- start|stop|status',
      );
  }
});
