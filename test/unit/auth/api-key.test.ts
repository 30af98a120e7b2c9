import { expect } from 'chai';
import {
  bearerOf,
  hashSecret,
  issueKey,
  parseKey,
  secretMatches,
  type ApiKeyRecord,
} from '../../../src/auth/api-key.ts';
import { KeyLookup } from '../../../src/auth/key-lookup.ts';

describe('API keys', () => {
  const issued = () => issueKey('game-eu', ['ingest', 'ingest', 'read'], new Date(0));

  it('issues pss_<id>_<secret> keys whose record holds the secret’s hash, never the secret', () => {
    const { key, record } = issued();
    const parsed = parseKey(key);
    expect(key).to.match(/^pss_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(parsed?.id).to.equal(record.id);
    expect(record.secretHash).to.equal(hashSecret(parsed!.secret));
    expect(JSON.stringify(record)).to.not.include(parsed!.secret);
    expect(record.scopes).to.deep.equal(['ingest', 'read']);
  });

  it('matches the right secret only, and no secret of a revoked key', () => {
    const { key, record } = issued();
    const secret = parseKey(key)!.secret;
    expect(secretMatches(record, secret)).to.be.true;
    expect(secretMatches(record, `${secret.slice(0, -1)}A`)).to.equal(secret.endsWith('A'));
    expect(secretMatches({ ...record, revokedAt: new Date() }, secret)).to.be.false;
  });

  it('reads only well-formed keys and Bearer headers', () => {
    expect(parseKey('pss_xyz_abc')).to.be.undefined;
    expect(parseKey(`pss_0123456789abcdef_${'a'.repeat(42)}`)).to.be.undefined;
    expect(bearerOf('Bearer abc')).to.equal('abc');
    expect(bearerOf('bearer  abc ')).to.equal('abc');
    expect(bearerOf('Basic abc')).to.be.undefined;
    expect(bearerOf(undefined)).to.be.undefined;
  });

  it('looks a key up once per cache period, found or not, and again after it', async () => {
    const { key, record } = issued();
    let lookups = 0;
    let now = 0;
    let stored: ApiKeyRecord | undefined = record;
    const lookup = new KeyLookup(
      { find: () => (lookups++, Promise.resolve(stored)) },
      { cacheMs: 5000, now: () => now },
    );
    expect(lookup.isCached(key)).to.be.false;
    await Promise.all([lookup.authenticate(key), lookup.authenticate(key)]);
    expect(lookups).to.equal(1);
    expect(lookup.isCached(key)).to.be.true;
    stored = { ...record, revokedAt: new Date() };
    now = 4999;
    expect(await lookup.authenticate(key)).to.equal(record); // revoked, but cached
    now = 5000;
    expect(await lookup.authenticate(key)).to.be.undefined;
    expect(lookups).to.equal(2);
  });

  it('does not remember a failed lookup', async () => {
    const { key } = issued();
    let fail = true;
    const lookup = new KeyLookup(
      { find: () => (fail ? Promise.reject(new Error('down')) : Promise.resolve(undefined)) },
      { cacheMs: 5000, now: () => 0 },
    );
    let error: unknown;
    await lookup.authenticate(key).catch((err: unknown) => (error = err));
    expect(error).to.be.instanceOf(Error);
    fail = false;
    expect(await lookup.authenticate(key)).to.be.undefined;
  });
});
