// npm run capacity -- --events-per-second N [--nodes N] [--shards S] [--queues Q] [--workers W] …:
// the scale model of the sharded write path (ops/capacity/), printed as Markdown tables.
import { parseCapacityArgs, USAGE } from './capacity/args.ts';
import { capacityModel } from './capacity/model.ts';
import { renderModel } from './capacity/render.ts';
import { runCli } from './lib/errors.ts';

function main(): void {
  const args = parseCapacityArgs(process.argv.slice(2));
  console.log(args.help ? USAGE : renderModel(capacityModel(args.input)));
}

// Pure computation: nothing to wait for, but the same error handling and exit codes as every CLI.
await runCli(() => Promise.resolve().then(main));
