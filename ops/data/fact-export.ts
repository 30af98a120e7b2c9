import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { SECOND_MS } from '../../src/domain/duration.ts';
import { isRetained } from '../../src/domain/retention.ts';
import { formatTimestamp } from '../../src/domain/timestamp.ts';
import {
  FIRST_TOKEN,
  scanFacts,
  scanFinished,
  type StoredFact,
} from '../../src/storage/fact-scan.ts';
import type { StatementRunner } from '../../src/storage/request-limit.ts';
import { OpsError } from '../lib/errors.ts';
import { formatLine, formatTs } from './event-format.ts';

export interface ExportProgress {
  readonly facts: number;
  readonly skipped: number;
  /** How much of the token ring was read, 0 to 1: facts are spread evenly over it. */
  readonly fraction: number;
}

export interface ExportOptions {
  readonly client: Pick<StatementRunner, 'execute'>;
  readonly keyspace: string;
  readonly out: string;
  readonly retentionMs: number;
  readonly now: () => number;
  readonly signal?: AbortSignal;
  readonly rowsPerSecond?: number;
  readonly onProgress?: (progress: ExportProgress) => void;
}

export interface ExportResult {
  readonly facts: number;
  /** Facts left out because they had just left the retention (their rows were about to expire). */
  readonly skipped: number;
  readonly interrupted: boolean;
}

/**
 * Streams every fact within the retention into a file in the loader's format (one event a line,
 * `.bz2` compressed by the system's bzip2), so that `npm run load -- FILE --bulk` restores it. The
 * file is written as `FILE.partial` and renamed only once complete: an interrupted or failed export
 * leaves no file that looks finished.
 */
export async function exportFacts(options: ExportOptions): Promise<ExportResult> {
  const partial = `${options.out}.partial`;
  const sink = await openSink(partial, options.out.endsWith('.bz2'));
  let facts = 0;
  let skipped = 0;
  let interrupted = false;
  try {
    for await (const page of scanFacts(options.client, options.keyspace, {
      ...(options.rowsPerSecond ? { rowsPerSecond: options.rowsPerSecond } : {}),
    })) {
      let text = '';
      for (const fact of page.facts) {
        if (!isRetained(fact.ts, options.now(), options.retentionMs)) {
          skipped++;
          continue;
        }
        text += `${exportLine(fact)}\n`;
        facts++;
      }
      if (!sink.stream.write(text)) await once(sink.stream, 'drain');
      options.onProgress?.({ facts, skipped, fraction: ringFraction(page.resumeToken) });
      if (options.signal?.aborted) {
        interrupted = true;
        break;
      }
    }
    await sink.close();
    if (interrupted) await fs.promises.rm(partial, { force: true });
    else await fs.promises.rename(partial, options.out);
  } catch (err) {
    sink.abort();
    await fs.promises.rm(partial, { force: true });
    throw err;
  }
  return { facts, skipped, interrupted };
}

/** One fact as a line of the data set's format; a fraction of a second is kept when there is one. */
export function exportLine(fact: StoredFact): string {
  const ts = fact.ts % SECOND_MS === 0 ? formatTs(fact.ts / SECOND_MS) : formatTimestamp(fact.ts);
  return formatLine({
    player_id: fact.playerId,
    ...(fact.kind === 'start' ? { country: fact.country } : {}),
    event: fact.kind,
    session_id: fact.sessionId,
    ts,
  });
}

const RING = 2n ** 64n;

/** How far into the Murmur3 ring a resume token is. */
export function ringFraction(resumeToken: string): number {
  if (scanFinished(resumeToken)) return 1;
  return Number(((BigInt(resumeToken) - BigInt(FIRST_TOKEN)) * 10_000n) / RING) / 10_000;
}

interface Sink {
  readonly stream: Writable;
  close(): Promise<void>;
  abort(): void;
}

async function openSink(file: string, compress: boolean): Promise<Sink> {
  const output = fs.createWriteStream(file, { flags: 'w' });
  await new Promise<void>((resolve, reject) => {
    output.once('open', () => resolve());
    output.once('error', (err) =>
      reject(
        new OpsError(
          `cannot write ${file}: ${err.message}`,
          'Is the directory there and writable?',
        ),
      ),
    );
  });
  if (!compress) {
    return {
      stream: output,
      close: async () => {
        output.end();
        await finished(output);
      },
      abort: () => output.destroy(),
    };
  }
  const child = spawn('bzip2', ['-c'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  exited.catch(() => undefined); // awaited in close(); this keeps an early failure from being "unhandled"
  // A bzip2 that is missing or died shows in its exit code, not in the broken pipe.
  child.stdin.on('error', () => undefined);
  child.stdout.pipe(output);
  return {
    stream: child.stdin,
    async close() {
      child.stdin.end();
      const code = await exited.catch((err: unknown) => {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        throw new OpsError(
          'writing a .bz2 file needs the bzip2 program, which is not installed',
          'Debian/Ubuntu: sudo apt-get install bzip2',
        );
      });
      if (code !== 0) throw new OpsError(`bzip2 failed: ${stderr.trim() || `exit code ${code}`}`);
      await finished(output);
    },
    abort() {
      child.kill();
      output.destroy();
    },
  };
}
