import fs from 'node:fs';
import { expect } from 'chai';
import { LOCAL_SETTINGS } from '../../../ops/lib/local-settings.ts';
import { SETTINGS } from '../../../src/config/env.ts';
import { settingsOf } from '../../../src/config/settings.ts';

describe('configuration documentation', () => {
  const readme = fs.readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const tables = readme.slice(readme.indexOf('## Configuration'));
  const rowOf = (name: string) =>
    tables.split('\n').find((line) => line.startsWith('|') && line.includes(`\`${name}\``));
  const settings = [...settingsOf(SETTINGS), ...settingsOf(LOCAL_SETTINGS)];

  it('lists every environment variable the service and the ops scripts read in a README table', () => {
    const undocumented = settings.filter((s) => rowOf(s.name) === undefined).map((s) => s.name);
    expect(undocumented).to.deep.equal([]);
  });

  it('gives each variable the default the code gives it', () => {
    const wrong = settings
      .filter(
        (s) =>
          s.fallback !== undefined &&
          !rowOf(s.name)?.includes(`\`${s.fallback as string | number}\``),
      )
      .map((s) => `${s.name} (code: ${s.fallback as string | number})`);
    expect(wrong).to.deep.equal([]);
  });
});
