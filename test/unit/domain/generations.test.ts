import { expect } from 'chai';
import {
  BadGenerationsError,
  FIRST_GENERATIONS,
  formatGenerations,
  parseGenerations,
  ringFraction,
  tableOf,
} from '../../../src/domain/generations.ts';

describe('generations of a read model', () => {
  it('reads a keyspace without a setting as generation 0, read and written', () => {
    expect(parseGenerations(undefined)).to.deep.equal({ read: 0, write: [0] });
    expect(FIRST_GENERATIONS).to.deep.equal({ read: 0, write: [0] });
  });

  it('reads back what it stores, one generation or the two of a rebuild', () => {
    for (const g of [
      { read: 0, write: [0] },
      { read: 0, write: [0, 1] },
      { read: 1, write: [0, 1] },
      { read: 7, write: [7] },
    ])
      expect(parseGenerations(formatGenerations(g))).to.deep.equal(g);
  });

  it('refuses a setting that is not JSON, lacks a field, or writes two generations of one table', () => {
    for (const text of [
      'zero',
      '{}',
      '{"read":0}',
      '{"read":-1,"write":[0]}',
      '{"read":0,"write":[]}',
      '{"read":0,"write":[0,1,2]}',
      '{"read":0,"write":[0,2]}',
      '{"read":0.5,"write":[0]}',
      'null',
    ])
      expect(() => parseGenerations(text), text).to.throw(BadGenerationsError);
  });

  it('keeps even generations in the migrations’ table and odd ones in its twin', () => {
    expect(tableOf('completed_sessions_by_player', 0)).to.equal('completed_sessions_by_player');
    expect(tableOf('completed_sessions_by_player', 1)).to.equal('completed_sessions_by_player_alt');
    expect(tableOf('completed_sessions_by_player', 2)).to.equal('completed_sessions_by_player');
  });

  it('measures a scan’s progress as its share of the token ring', () => {
    expect(ringFraction('-9223372036854775808')).to.equal(0);
    expect(ringFraction('0')).to.equal(0.5);
    expect(ringFraction('4611686018427387904')).to.equal(0.75);
    expect(ringFraction('9223372036854775807')).to.be.within(0.999999, 1);
    expect(ringFraction('done')).to.equal(1);
  });
});
