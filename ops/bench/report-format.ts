// Number formats and the table every bench and capacity report shares.

export const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '—');
export const n = (v: number) => Math.round(v).toLocaleString('en-US');
// Per-event costs are fractions of a millisecond or of a statement; null is a process not seen.
export const each = (v: number | null | undefined) =>
  v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(3);

/** A Markdown table whose columns line up in a terminal too. */
export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    line(head),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}
