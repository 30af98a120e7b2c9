import { CountsUnavailableError } from '../../../../workers/counts/counted-waiter.ts';
import cassandra from 'cassandra-driver';
import { expect } from 'chai';
import { NotReplicatedError } from '../../../../src/queue/replica-ack.ts';
import { classifyFailure } from '../../../../workers/jobs/classify-failure.ts';
import { InvalidBatchError } from '../../../../workers/pipeline/decode.ts';

const { errors, types } = cassandra;
const code = types.responseErrorCodes;
const response = (c: number, message = 'refused') => new errors.ResponseError(c, message);
// The driver throws DriverError itself; its typings declare the class abstract.
class DriverError extends errors.DriverError {}
const systemError = (c: string) =>
  Object.assign(new Error(`connect ${c} 127.0.0.1:6379`), { code: c });

describe('classifying a failed batch job', () => {
  it('retries the job when no Cassandra host answers or a request times out', () => {
    expect(
      classifyFailure(
        new errors.NoHostAvailableError({ '127.0.0.1:9042': new Error('ECONNREFUSED') }),
      ),
    ).to.deep.equal({
      reason: 'storage_unavailable',
      transient: true,
    });
    expect(
      classifyFailure(new errors.OperationTimedOutError('timed out', '127.0.0.1:9042')).reason,
    ).to.equal('storage_unavailable');
    expect(classifyFailure(new errors.BusyConnectionError('127.0.0.1:9042', 2048, 1)).transient).to
      .be.true;
  });

  it('retries the job when the connection to Cassandra closed under a request (the node died)', () => {
    // The driver's own shape for it: a DriverError flagged as a socket error.
    const closed = Object.assign(new DriverError('Socket was closed'), {
      isSocketError: true,
    });
    expect(classifyFailure(closed)).to.deep.equal({
      reason: 'storage_unavailable',
      transient: true,
    });
    expect(classifyFailure(new DriverError('some other driver failure')).reason).to.equal('bug');
  });

  for (const [name, c] of Object.entries({
    unavailable: code.unavailableException,
    overloaded: code.overloaded,
    'is bootstrapping': code.isBootstrapping,
    truncate: code.truncateError,
    'read timeout': code.readTimeout,
    'write timeout': code.writeTimeout,
  })) {
    it(`retries the job when Cassandra answers "${name}"`, () => {
      expect(classifyFailure(response(c))).to.deep.equal({
        reason: 'storage_unavailable',
        transient: true,
      });
    });
  }

  it('fails the job at once when Cassandra refuses a statement as wrong (a bug, not an outage)', () => {
    expect(
      classifyFailure(response(code.syntaxError, 'line 1:0 no viable alternative')),
    ).to.deep.equal({
      reason: 'bug',
      transient: false,
    });
    expect(
      classifyFailure(response(code.invalid, 'Invalid null value for partition key')).transient,
    ).to.be.false;
    expect(classifyFailure(new errors.ArgumentError('wrong number of parameters')).transient).to.be
      .false;
  });

  it('names a missing keyspace or table as such, for the schema guard to pause on', () => {
    expect(
      classifyFailure(response(code.invalid, 'table ks.completed_sessions does not exist')),
    ).to.deep.equal({
      reason: 'schema_missing',
      transient: true,
    });
  });

  it('retries the job when Redis cannot be reached or is not ready', () => {
    for (const err of [
      systemError('ECONNREFUSED'),
      systemError('ECONNRESET'),
      new Error('Connection is closed.'),
      Object.assign(new Error('Reached the max retries per request limit (which is 1).'), {
        name: 'MaxRetriesPerRequestError',
      }),
      Object.assign(new Error('LOADING Redis is loading the dataset in memory'), {
        name: 'ReplyError',
      }),
      // A primary that a failover has just made a replica.
      Object.assign(new Error("READONLY You can't write against a read only replica."), {
        name: 'ReplyError',
      }),
      // A pipeline whose connection closed before every answer came.
      Object.assign(new Error('Command aborted due to connection close'), { name: 'AbortError' }),
    ]) {
      expect(classifyFailure(err), err.message).to.deep.equal({
        reason: 'redis_unavailable',
        transient: true,
      });
    }
  });

  it('fails at once on a Redis reply that is not a "not now" (an error in a command: a bug)', () => {
    const err = Object.assign(new Error('WRONGTYPE Operation against a key'), {
      name: 'ReplyError',
    });
    expect(classifyFailure(err)).to.deep.equal({ reason: 'bug', transient: false });
    // Matched by type, not by text: another error that merely says LOADING is no outage.
    expect(classifyFailure(new Error('LOADING the config'))).to.deep.equal({
      reason: 'bug',
      transient: false,
    });
  });

  it('retries the job when too few replicas acknowledged its done record, or the connection moved meanwhile', () => {
    for (const err of [new NotReplicatedError(0, 1), new NotReplicatedError(1, 1, true)]) {
      expect(classifyFailure(err), err.message).to.deep.equal({
        reason: 'redis_not_replicated',
        transient: true,
      });
    }
  });

  it('retries the job when the rollup of its marks failed or did not come', () => {
    expect(classifyFailure(new CountsUnavailableError('rollup of shard 3 failed'))).to.deep.equal({
      reason: 'counts_unavailable',
      transient: true,
    });
  });

  it('fails a job whose payload does not decode at once, as invalid', () => {
    expect(classifyFailure(new InvalidBatchError('events is not an array'))).to.deep.equal({
      reason: 'invalid_payload',
      transient: false,
    });
  });

  it('fails the job at once on any other error, as a bug', () => {
    expect(
      classifyFailure(new TypeError("Cannot read properties of undefined (reading 'map')")),
    ).to.deep.equal({
      reason: 'bug',
      transient: false,
    });
    expect(classifyFailure('a thrown string').reason).to.equal('bug');
    expect(classifyFailure(undefined).reason).to.equal('bug');
  });
});
