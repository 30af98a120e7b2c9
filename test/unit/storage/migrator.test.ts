import { expect } from 'chai';
import { loadMigrations, splitStatements } from '../../../src/storage/migrator.ts';

describe('migration files', () => {
  it('split into statements at a semicolon that ends a line, without comments', () => {
    const statements = splitStatements(`-- header
CREATE TABLE {{keyspace}}.a (x int PRIMARY KEY); -- trailing
CREATE TABLE {{keyspace}}.b (
  y text,   -- a column
  PRIMARY KEY (y)
);
`);
    expect(statements).to.deep.equal([
      'CREATE TABLE {{keyspace}}.a (x int PRIMARY KEY)',
      'CREATE TABLE {{keyspace}}.b (\n  y text,\n  PRIMARY KEY (y)\n)',
    ]);
  });

  it('are numbered from 1 without gaps, and name every table with the keyspace placeholder', () => {
    const migrations = loadMigrations();
    expect(migrations.map((m) => m.version)).to.deep.equal(migrations.map((_, i) => i + 1));
    for (const statement of migrations.flatMap((m) => m.statements)) {
      expect(statement).to.match(
        /^(CREATE|ALTER|DROP) (TABLE|TYPE|INDEX)( IF (NOT )?EXISTS)? \{\{keyspace\}\}\./,
      );
    }
  });

  it('have a checksum that changes with the text', () => {
    const [first] = loadMigrations();
    expect(first?.checksum).to.match(/^[0-9a-f]{16}$/);
  });
});
