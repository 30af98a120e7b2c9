import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Streams lines into a file, each ending with "\n", with the file stream's back-pressure: memory
 * stays at a chunk or two however many lines come. The file appears under its name only once it
 * is complete (written to `<file>.partial`, then renamed), so a failed run leaves no truncated file
 * that looks finished.
 */
export async function writeLines(
  file: string,
  lines: Iterable<string>,
): Promise<{ bytes: number }> {
  const partial = `${file}.partial`;
  let bytes = 0;
  function* chunks(): Generator<string> {
    let chunk: string[] = [];
    for (const line of lines) {
      chunk.push(line);
      // Joining a few thousand lines per write keeps the per-chunk overhead of streams negligible.
      if (chunk.length === 4096) {
        yield flush();
      }
    }
    if (chunk.length) yield flush();
    function flush(): string {
      const text = `${chunk.join('\n')}\n`;
      chunk = [];
      bytes += Buffer.byteLength(text);
      return text;
    }
  }
  try {
    await pipeline(Readable.from(chunks()), fs.createWriteStream(partial));
    await fs.promises.rename(partial, file);
  } catch (err) {
    await fs.promises.rm(partial, { force: true });
    throw err;
  }
  return { bytes };
}
