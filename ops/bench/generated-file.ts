import fs from 'node:fs';
import path from 'node:path';
import { formatLine } from '../data/event-format.ts';
import { EventGenerator } from '../data/generator.ts';
import { writeLines } from '../data/write-lines.ts';

/**
 * A file of `events` generated in the public data set's shape over `days` (what `npm run
 * generate` writes), cached under `cacheDir` by its parameters so that runs share it.
 */
export async function generatedFile(
  options: { events: number; days: number; seed: number; cacheDir: string },
  say: (line: string) => void,
): Promise<string> {
  fs.mkdirSync(options.cacheDir, { recursive: true });
  const file = path.join(
    options.cacheDir,
    `events-${options.events}-${options.days}d-${options.seed}.jsonl`,
  );
  if (fs.existsSync(file)) return file;
  say(`  generating ${options.events.toLocaleString('en-US')} events into ${file}`);
  const generator = new EventGenerator({
    events: options.events,
    days: options.days,
    seed: options.seed,
    endMs: Date.UTC(2016, 11, 1),
  });
  await writeLines(
    file,
    (function* () {
      for (const event of generator.events()) yield formatLine(event);
    })(),
  );
  return file;
}
