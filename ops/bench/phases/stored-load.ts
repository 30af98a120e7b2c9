import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import readline from 'node:readline';
import { loadFile } from '../../data/loader.ts';
import { generatedFile } from '../generated-file.ts';
import { drained, type BenchTarget } from '../target.ts';

export interface StoredLoad {
  readonly events: number;
  readonly accepted: number;
  readonly lost: number;
  /** From the first POST until the last batch was processed. */
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /** Players and the most frequent country of the file, for the read phase. */
  readonly players: string[];
  readonly topCountry: string;
}

const SEED = 20161101;

/**
 * Fills the store the way data arrives from the public data set: a generated file in its exact
 * shape (cached under `cacheDir`, ~160 MB for a million events), loaded through the API by the
 * project's loader with --rebase-to-now, until every batch is processed. Its rate is the ingest
 * rate of historical, out-of-order data (every start in another second), the hard case for the
 * rollup.
 */
export async function storedLoad(
  target: BenchTarget,
  options: { events: number; days: number; cacheDir: string; concurrency?: number },
): Promise<StoredLoad> {
  const file = await generatedFile({ ...options, seed: SEED }, target.say);
  const { players, topCountry } = await sampleFile(file, 2000);

  target.say(`  loading ${path.basename(file)} through POST /v1/batches (--rebase-to-now)`);
  const started = performance.now();
  let lastReport = 0;
  const result = await loadFile({
    file,
    url: target.client.url,
    apiKey: target.client.apiKey,
    concurrency: options.concurrency ?? 32,
    batchSize: 10,
    rebaseToNow: true,
    onProgress: (p) => {
      if (p.phase !== 'load' || performance.now() - lastReport < 15_000) return;
      lastReport = performance.now();
      target.say(
        `    ${p.done.toLocaleString('en-US')} / ${(p.total ?? 0).toLocaleString('en-US')} events posted`,
      );
    },
  });
  await drained(target, 3_600_000);
  const seconds = (performance.now() - started) / 1000;
  return {
    events: result.tally.read,
    accepted: result.tally.accepted,
    lost: result.tally.lost,
    seconds,
    eventsPerSecond: Math.round(result.tally.accepted / seconds),
    players,
    topCountry,
  };
}

/** Up to `maxPlayers` players of a file's first 50,000 events, and its most frequent country. */
export async function sampleFile(
  file: string,
  maxPlayers: number,
): Promise<{ players: string[]; topCountry: string }> {
  const players = new Set<string>();
  const countries = new Map<string, number>();
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  let read = 0;
  for await (const line of lines) {
    const event = JSON.parse(line) as { player_id: string; country?: string };
    if (players.size < maxPlayers) players.add(event.player_id);
    if (event.country) countries.set(event.country, (countries.get(event.country) ?? 0) + 1);
    if (++read >= 50_000) break;
  }
  lines.close();
  const topCountry = [...countries].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'US';
  return { players: [...players], topCountry };
}
