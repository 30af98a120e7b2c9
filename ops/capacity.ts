// npm run capacity -- --events-per-second N [--nodes N] [--shards S] [--queues Q] [--workers W] …:
// the scale model of the sharded write path (ops/capacity/), printed as Markdown tables.
import { parseCapacityArgs, USAGE } from './capacity/args.ts';
import { capacityModel } from './capacity/model.ts';
import { renderModel } from './capacity/render.ts';
import { renderComparison } from './capacity/render-comparison.ts';
import { runCli } from './lib/errors.ts';

function main(): void {
  const args = parseCapacityArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const models = args.inputs.map(capacityModel);
  const sections = models.map(renderModel);
  console.log(
    (models.length > 1 ? [renderComparison(models), ...sections] : sections).join('\n\n'),
  );
}

// Pure computation: nothing to wait for, but the same error handling and exit codes as every CLI.
await runCli(USAGE, () => Promise.resolve().then(main));
