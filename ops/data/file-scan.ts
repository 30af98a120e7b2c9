import type { LineSource } from './line-source.ts';
import { lineTimestamp } from './rebase.ts';

/** The first pass: the non-blank lines, and with `newest` the newest valid ts. */
export async function scan(
  source: LineSource,
  newest: boolean,
  onLines: (lines: number) => void,
): Promise<{ lines: number; newestMs: number | undefined }> {
  let newestMs: number | undefined;
  let lines = 0;
  for await (const line of source.lines()) {
    if (line.trim() === '') continue;
    if (++lines % 10_000 === 0) onLines(lines);
    if (!newest) continue;
    const ts = lineTimestamp(line);
    if (ts !== undefined && (newestMs === undefined || ts > newestMs)) newestMs = ts;
  }
  return { lines, newestMs };
}
