import { expect } from 'chai';
import { parse } from 'yaml';
import { clusterLayout } from '../../../ops/lib/cassandra-cluster-layout.ts';
import { nodeYaml } from '../../../ops/lib/cassandra-node-config.ts';

describe('the layout of a local Cassandra cluster', () => {
  it('puts three nodes on consecutive loopback addresses from the first, with the ring split in thirds', () => {
    expect(clusterLayout('127.0.0.1', 3)).to.deep.equal([
      { address: '127.0.0.1', initialToken: '-9223372036854775808' },
      { address: '127.0.0.2', initialToken: '-3074457345618258603' },
      { address: '127.0.0.3', initialToken: '3074457345618258602' },
    ]);
    expect(clusterLayout('127.0.0.12', 2).map((n) => n.address)).to.deep.equal([
      '127.0.0.12',
      '127.0.0.13',
    ]);
  });

  it('refuses addresses off the loopback network or past its last host', () => {
    expect(() => clusterLayout('10.0.0.1', 3)).to.throw(/loopback/);
    expect(() => clusterLayout('127.0.0.253', 3)).to.throw(/loopback/);
  });

  it('makes every node a seed that owns its token without bootstrapping, and leaves a lone node as it was', () => {
    const [node] = clusterLayout('127.0.0.1', 3);
    const cluster = parse(
      nodeYaml('/d', {
        address: node!.address,
        dir: '/d',
        heapMb: 512,
        cluster: { seeds: ['127.0.0.1', '127.0.0.2', '127.0.0.3'], initialToken: '-9' },
      }),
    ) as Record<string, unknown>;
    expect(cluster).to.include({
      initial_token: -9,
      auto_bootstrap: false,
      listen_address: '127.0.0.1',
    });
    expect(JSON.stringify(cluster.seed_provider)).to.include('"127.0.0.1,127.0.0.2,127.0.0.3"');

    const lone = parse(nodeYaml('/d', { address: '127.0.0.1', dir: '/d', heapMb: 512 })) as Record<
      string,
      unknown
    >;
    expect(lone).to.include({ initial_token: 0 }).and.not.have.property('auto_bootstrap');
    expect(JSON.stringify(lone.seed_provider)).to.include('"127.0.0.1"');
  });
});
