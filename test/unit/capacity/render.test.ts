import { expect } from 'chai';
import { DEFAULT_INPUT, capacityModel } from '../../../ops/capacity/model.ts';
import { renderComparison } from '../../../ops/capacity/render-comparison.ts';
import { renderModel } from '../../../ops/capacity/render.ts';

describe('the capacity report', () => {
  const models = [10_000, 1_000_000].map((eventsPerSecond) =>
    capacityModel({ ...DEFAULT_INPUT, eventsPerSecond }),
  );

  it('compares rates one row each, with what each needs', () => {
    const lines = renderComparison(models).split('\n');
    expect(lines).to.have.length(2 + models.length);
    expect(lines[0]).to.match(/^\| events\/s +\| shards S +\| Redis primaries Q/);
    expect(lines[2]).to.match(/^\| 10,000 +\| 1 +\|/);
    expect(lines[3]).to.match(/^\| 1,000,000 +\| 100 +\|/);
  });

  it('says which figures it chose and which it was given', () => {
    const given = capacityModel({ ...DEFAULT_INPUT, eventsPerSecond: 100_000, shards: 20 });
    expect(renderModel(given)).to.match(
      /\| shards S +\| 20 +\| given \(the model would choose 10\)/,
    );
    expect(renderModel(models[0]!)).to.match(/\| shards S +\| 1 +\| chosen: fewest/);
  });
});
