import { spawn } from 'node:child_process';
import fs from 'node:fs';
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { OpsError } from '../lib/errors.ts';

/** A file read line by line (once per `lines()` call), with how far into the file, in its own bytes, the current reading is. */
export interface LineSource {
  readonly totalBytes: number;
  bytesRead(): number;
  lines(): AsyncGenerator<string>;
}

/**
 * Opens a `.jsonl` / `.ndjson` file, or a bzip2-compressed one (`.bz2`), as a stream of lines.
 * Memory stays constant: readline pauses the file when its consumer falls behind.
 *
 * bzip2 is decompressed by the system's `bzip2 -dc` (libbz2, the reference implementation) fed
 * from our own file stream. The npm decompressors were not sound enough: `unbzip2-stream`, the
 * only streaming one in wide use, has had no release since 2020, throws from inside its pipe on
 * some inputs (an open issue) and is about ten times slower than libbz2; `seek-bzip` and the
 * WebAssembly builds decompress whole buffers only. bzip2 is in every Debian image this project
 * runs on, and a missing one is reported with the command that installs it.
 */
export async function openLines(file: string): Promise<LineSource> {
  const stat = await fs.promises.stat(file).catch((err: unknown) => {
    throw new OpsError(`cannot read ${file}: ${(err as Error).message}`);
  });
  if (!stat.isFile()) throw new OpsError(`${file} is not a file`);
  let bytes = 0;
  const compressed = file.endsWith('.bz2');
  return {
    totalBytes: stat.size,
    bytesRead: () => bytes,
    async *lines() {
      bytes = 0;
      const input = fs.createReadStream(file);
      input.on('data', (chunk) => (bytes += chunk.length));
      if (!compressed) {
        yield* splitLines(input);
        return;
      }
      yield* decompressedLines(file, input);
    },
  };
}

async function* splitLines(input: Readable): AsyncGenerator<string> {
  const reader = readline.createInterface({ input, crlfDelay: Infinity });
  try {
    yield* reader;
  } finally {
    reader.close();
    input.destroy();
  }
}

async function* decompressedLines(file: string, input: Readable): AsyncGenerator<string> {
  const child = spawn('bzip2', ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  exited.catch(() => undefined); // awaited below; this only keeps an early failure from being "unhandled"
  // bzip2 stops reading a corrupt file early: its exit code says so, not the broken pipe.
  child.stdin.on('error', () => undefined);
  input.on('error', (err) => child.stdout.destroy(err));
  input.pipe(child.stdin);
  let complete = false;
  try {
    yield* splitLines(child.stdout);
    complete = true;
  } finally {
    if (!complete) {
      child.kill();
      input.destroy();
    }
  }
  const code = await exited.catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    throw new OpsError(
      'reading a .bz2 file needs the bzip2 program, which is not installed',
      'Debian/Ubuntu: sudo apt-get install bzip2',
    );
  });
  if (code !== 0) {
    throw new OpsError(
      `bzip2 could not decompress ${file}: ${stderr.trim().split('\n')[0] || `exit code ${code}`}`,
    );
  }
}
