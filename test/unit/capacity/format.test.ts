import { expect } from 'chai';
import { bytes, num } from '../../../ops/capacity/format.ts';

describe('the capacity tables’ numbers', () => {
  it('prints figures as the tables show them', () => {
    expect([0, 0.004, 0.972, 12.34, 1_234.5].map(num)).to.deep.equal([
      '0',
      '< 0.01',
      '0.97',
      '12.3',
      '1,235',
    ]);
    expect([212, 32_700_000, 1.91e15].map(bytes)).to.deep.equal(['212 B', '32.7 MB', '1.91 PB']);
  });
});
