import { expect } from 'chai';
import { parseSeries } from '../../../ops/bench/pipeline-figures.ts';

describe("the bench's reading of the worker's grouping from /metrics", () => {
  it('adds up every label set of each series it reads, and ignores comments and other series', () => {
    const text = [
      '# HELP micro_batch_events Events in each micro-batch',
      '# TYPE micro_batch_events histogram',
      'micro_batch_events_bucket{le="10"} 3',
      'micro_batch_events_sum 1200',
      'micro_batch_events_count 4',
      'rollup_duration_seconds_count{worker="a"} 7',
      'rollup_duration_seconds_count{worker="b"} 5',
      'rollup_seconds_total 90',
      'rollup_nodes_written_total 1.5e2',
      'events_processed_total{kind="start"} 99',
    ].join('\n');
    expect(parseSeries(text)).to.deep.equal({
      micro_batch_events_sum: 1200,
      micro_batch_events_count: 4,
      rollup_duration_seconds_count: 12,
      rollup_seconds_total: 90,
      rollup_nodes_written_total: 150,
    });
  });

  it('reads a series missing from the text as zero', () => {
    expect(parseSeries('').rollup_seconds_total).to.equal(0);
  });
});
