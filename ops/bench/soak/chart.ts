import { SERIES, type SoakSample } from './sample.ts';

const W = 360;
const H = 120;
const PAD = 28;
const COLUMNS = 3;

/**
 * The soak's samples as one SVG of small charts, one per series over the same time axis: written
 * without a browser or a plotting library, so that `npm run bench -- --soak` can draw it anywhere.
 */
export function soakSvg(samples: readonly SoakSample[], title: string): string {
  const end = Math.max(1, samples.at(-1)?.t ?? 1);
  const rows = Math.ceil(SERIES.length / COLUMNS);
  const panels = SERIES.map(({ key, label }, i) => {
    const x0 = (i % COLUMNS) * W;
    const y0 = 30 + Math.floor(i / COLUMNS) * H;
    const values = samples.map((s) => s[key]);
    const top = Math.max(1e-9, ...values) * 1.1;
    const points = samples
      .map((s) => {
        const x = x0 + PAD + ((W - 2 * PAD) * s.t) / end;
        const y = y0 + H - PAD + 4 - ((H - PAD - 8) * s[key]) / top;
        return `${x.toFixed(1)},${y.toFixed(1)}`;
      })
      .join(' ');
    return [
      `<text x="${x0 + PAD}" y="${y0 + 14}" font-size="11">${escape(label)}</text>`,
      `<text x="${x0 + 2}" y="${y0 + 26}" font-size="9" fill="#666">${format(top / 1.1)}</text>`,
      `<line x1="${x0 + PAD}" y1="${y0 + H - PAD + 4}" x2="${x0 + W - PAD}" y2="${y0 + H - PAD + 4}" stroke="#999"/>`,
      `<text x="${x0 + W - PAD}" y="${y0 + H - PAD + 16}" font-size="9" fill="#666" text-anchor="end">${Math.round(end / 60)} min</text>`,
      `<polyline fill="none" stroke="#1f77b4" stroke-width="1.5" points="${points}"/>`,
    ].join('\n');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${COLUMNS * W}" height="${30 + rows * H}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="8" y="20" font-size="14">${escape(title)}</text>`,
    ...panels,
    '</svg>',
    '',
  ].join('\n');
}

function format(v: number): string {
  return v >= 100 ? v.toFixed(0) : v.toFixed(1);
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}
