import fs from 'node:fs';
import { expect } from 'chai';
import { CONFIG_VARIABLES } from '../../../src/config/env.ts';

describe('configuration documentation', () => {
  it('lists every environment variable the config module reads in the README table', () => {
    const readme = fs.readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'));
    const undocumented = CONFIG_VARIABLES.filter((name) => !table.includes(`\`${name}\``));
    expect(undocumented).to.deep.equal([]);
  });
});
