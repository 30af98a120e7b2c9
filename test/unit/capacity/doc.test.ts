import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { DEFAULT_INPUT, capacityModel } from '../../../ops/capacity/model.ts';
import { renderComparison } from '../../../ops/capacity/render-comparison.ts';
import { renderPerNode } from '../../../ops/capacity/render-more.ts';
import { renderModel } from '../../../ops/capacity/render.ts';

// Table rows with their padding dropped: prettier aligns the document's columns its own way.
const rows = (markdown: string) =>
  markdown
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|[\s|:-]+\|$/.test(line))
    .map((line) => line.replace(/\s+/g, ' '));

describe('docs/CAPACITY.md', () => {
  it('shows the tables npm run capacity prints now (regenerate them after changing a figure)', () => {
    const doc = new Set(rows(readFileSync('docs/CAPACITY.md', 'utf8')));
    const models = [10_000, 100_000, 1_000_000].map((eventsPerSecond) =>
      capacityModel({ ...DEFAULT_INPUT, eventsPerSecond }),
    );
    const thirty = capacityModel({ ...DEFAULT_INPUT, eventsPerSecond: 1_000_000, nodes: 30 });
    const printed = rows(
      [renderComparison(models), ...models.map(renderModel), renderPerNode(thirty)].join('\n'),
    );
    expect(printed.filter((row) => !doc.has(row))).to.deep.equal([]);
  });
});
