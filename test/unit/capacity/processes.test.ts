import { expect } from 'chai';
import { CPU_MS_PER_EVENT, POLICY } from '../../../ops/capacity/measured.ts';
import { DEFAULT_INPUT, capacityModel, perNode } from '../../../ops/capacity/model.ts';
import { processesFor, quorum } from '../../../ops/capacity/processes.ts';

const model = (more: Partial<Parameters<typeof capacityModel>[0]> & { eventsPerSecond: number }) =>
  capacityModel({ ...DEFAULT_INPUT, ...more });

describe('the capacity model: processes and nodes', () => {
  it('gives each process one core, planned at the stated utilisation', () => {
    expect(processesFor(0)).to.equal(1);
    expect(processesFor(POLICY.cpuUtilisation)).to.equal(1);
    expect(processesFor(POLICY.cpuUtilisation * 1.01)).to.equal(2);
    expect(processesFor(POLICY.cpuUtilisation * 10)).to.equal(10);
  });

  it('asks a majority of the replicas on every quorum read', () => {
    expect([1, 2, 3, 5].map(quorum)).to.deep.equal([1, 2, 2, 3]);
  });

  it('chooses workers and API processes from the measured CPU per event', () => {
    const m = model({ eventsPerSecond: 100_000 });
    const apiCores = (100_000 * CPU_MS_PER_EVENT.api) / 1000;
    expect(m.processes.apiCores).to.be.closeTo(apiCores, 1e-9);
    expect(m.processes.apiProcesses).to.equal(Math.ceil(apiCores / POLICY.cpuUtilisation));
    const workerCores = (100_000 * CPU_MS_PER_EVENT.worker) / 1000;
    expect(m.processes.workerCores).to.be.closeTo(
      workerCores + m.processes.workerRollupCores,
      1e-9,
    );
    expect(m.workers.chosen).to.be.true;
    expect(m.workers.value).to.equal(Math.ceil(m.processes.workerCores / POLICY.cpuUtilisation));
  });

  it('adds worker time for the rollups that grows with the square of the shards', () => {
    const ten = model({ eventsPerSecond: 1_000_000, shards: 100 });
    const twenty = model({ eventsPerSecond: 1_000_000, shards: 200 });
    expect(twenty.processes.workerRollupCores / ten.processes.workerRollupCores).to.be.closeTo(
      4,
      0.05,
    );
  });

  it('implies Cassandra nodes from the CPU per event times RF over the cores per node', () => {
    const m = model({ eventsPerSecond: 100_000 });
    const perEvent = (100_000 * CPU_MS_PER_EVENT.cassandra * 3) / 1000;
    expect(m.processes.cassandraCores).to.be.closeTo(
      perEvent + m.processes.cassandraRollupCores,
      1e-9,
    );
    expect(m.nodesForCpu).to.equal(
      Math.ceil(m.processes.cassandraCores / (8 * POLICY.cpuUtilisation)),
    );
    const bigger = model({ eventsPerSecond: 100_000, coresPerNode: 16 });
    expect(bigger.nodesForCpu).to.equal(
      Math.ceil(m.processes.cassandraCores / (16 * POLICY.cpuUtilisation)),
    );
  });

  it('never plans fewer nodes than replicas', () => {
    const m = model({ eventsPerSecond: 1, rf: 5 });
    expect(m.nodesForCpu).to.equal(5);
    expect(m.nodes.value).to.equal(5);
  });

  it('stores per node what all nodes store times RF over N', () => {
    const rf3n30 = model({ eventsPerSecond: 100_000, nodes: 30, rf: 3 });
    const rf3n60 = model({ eventsPerSecond: 100_000, nodes: 60, rf: 3 });
    const rf1n30 = model({ eventsPerSecond: 100_000, nodes: 30, rf: 1 });
    const day = rf3n30.tables.reduce((sum, t) => sum + t.bytesPerDay, 0);
    expect(perNode(rf3n30, day)).to.be.closeTo((day * 3) / 30, 1e-3);
    expect(perNode(rf3n60, day)).to.be.closeTo(perNode(rf3n30, day) / 2, 1e-3);
    expect(perNode(rf1n30, day)).to.be.closeTo(perNode(rf3n30, day) / 3, 1e-3);
  });

  it('plans nodes for a full retention of data when the data needs more than the CPU', () => {
    const m = model({ eventsPerSecond: 100_000 });
    expect(m.nodesForData).to.equal(Math.ceil(m.steadyStateBytes / POLICY.dataBytesPerNode));
    expect(m.nodes.value).to.equal(Math.max(m.nodesForCpu, m.nodesForData));
    const denser = model({
      eventsPerSecond: 100_000,
      dataBytesPerNode: 2 * POLICY.dataBytesPerNode,
    });
    expect(denser.nodesForData).to.equal(Math.ceil(m.nodesForData / 2));
  });
});
