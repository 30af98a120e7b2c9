// npm run generate -- --events N --days D --out FILE [--seed S] [--end TS]: writes a synthetic data
// set shaped like the public one (see ops/data/generator.ts), reproducibly.
import { parseArgs } from 'node:util';
import { parseTimestamp } from '../src/domain/timestamp.ts';
import { formatLine, formatTs } from './data/event-format.ts';
import { EventGenerator } from './data/generator.ts';
import { writeLines } from './data/write-lines.ts';
import { OpsError, runCli } from './lib/errors.ts';

const USAGE =
  'usage: npm run generate -- --events N --out FILE [--days 30] [--seed 1] [--end 2016-12-01T00:00:00]';

await runCli(USAGE, async () => {
  const { values } = parseOptions();
  const events = integer('--events', values.events);
  const days = Number(values.days);
  const seed = integer('--seed', values.seed);
  const out = values.out;
  if (out === undefined) throw new OpsError('--out FILE is required', USAGE);
  const endMs = values.end === undefined ? Date.now() : timestamp(values.end);

  const started = performance.now();
  let generator: EventGenerator;
  try {
    generator = new EventGenerator({ events, days, seed, endMs });
  } catch (err) {
    throw new OpsError(err instanceof Error ? err.message : String(err), USAGE);
  }
  const countries = new Set<string>();
  function* lines(): Generator<string> {
    for (const event of generator.events()) {
      if (event.country !== undefined) countries.add(event.country);
      yield formatLine(event);
    }
  }
  const { bytes } = await writeLines(out, lines());
  const seconds = (performance.now() - started) / 1000;

  const f = generator.figures;
  const end = formatTs(f.toMs / 1000);
  const n = (x: number) => x.toLocaleString('en-US');
  console.log(
    `Wrote ${out}: ${n(f.events)} events, ${(bytes / 1e6).toFixed(1)} MB, in ${seconds.toFixed(1)} s`,
  );
  console.log(
    `  sessions ${n(f.sessions)} (${n(f.completeSessions)} complete, ${f.orphanStarts} start(s) without end, ${f.orphanEnds} end(s) without start)`,
  );
  console.log(`  players ${n(f.players)}, countries ${countries.size}`);
  console.log(`  ts from ${formatTs(f.fromMs / 1000)} to ${end} (UTC, ${days} days), seed ${seed}`);
  console.log(
    `  the same file again: --events ${events} --days ${days} --seed ${seed} --end ${end}`,
  );
});

function parseOptions() {
  try {
    return parseArgs({
      options: {
        events: { type: 'string' },
        days: { type: 'string', default: '30' },
        out: { type: 'string' },
        seed: { type: 'string', default: '1' },
        end: { type: 'string' },
      },
      strict: true,
    });
  } catch (err) {
    throw new OpsError(err instanceof Error ? err.message : String(err), USAGE);
  }
}

function integer(name: string, text: string | undefined): number {
  const value = Number(text);
  if (text === undefined || !/^-?\d+$/.test(text) || !Number.isSafeInteger(value)) {
    throw new OpsError(`${name} must be an integer`, USAGE);
  }
  return value;
}

function timestamp(text: string): number {
  const parsed = parseTimestamp(text);
  if (!parsed.ok) throw new OpsError(`--end ${parsed.reason}`, USAGE);
  return parsed.ms;
}
