import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { loadMigrations } from '../../../src/storage/migrator.ts';

const README = fileURLToPath(new URL('../../../src/storage/migrations/README.md', import.meta.url));

describe('every migration', () => {
  it('says whether it is safe to apply while the previous release still runs', () => {
    const rows = fs
      .readFileSync(README, 'utf8')
      .split('\n')
      .map((line) => line.split('|').map((cell) => cell.trim()))
      .filter((cells) => /^\d{4}$/.test(cells[1] ?? ''));
    const verdicts = new Map(rows.map((c) => [Number(c[1]), { name: c[2], safe: c[3] ?? '' }]));
    for (const m of loadMigrations()) {
      const row = verdicts.get(m.version);
      expect(row?.name, `migration ${m.version} in migrations/README.md`).to.equal(m.name);
      expect(row?.safe).to.match(/^(yes|no)\b/);
    }
  });
});
