import { expect } from 'chai';
import {
  decodeBatch,
  InvalidBatchError,
  UnknownPayloadVersionError,
} from '../../../../workers/pipeline/decode.ts';

const acceptedAt = 1_700_000_000_000;

describe('decoding a batch job', () => {
  it('turns the wire tuples back into events', () => {
    const decoded = decodeBatch({
      acceptedAt,
      events: [
        ['start', 's-1', 'p-1', acceptedAt - 1000, 'FI'],
        ['end', 's-1', 'p-1', acceptedAt, ''],
      ],
    });
    expect(decoded).to.deep.equal({
      acceptedAt,
      events: [
        { kind: 'start', sessionId: 's-1', playerId: 'p-1', ts: acceptedAt - 1000, country: 'FI' },
        { kind: 'end', sessionId: 's-1', playerId: 'p-1', ts: acceptedAt, country: undefined },
      ],
    });
  });

  const events = [['start', 's-1', 'p-1', acceptedAt, 'FI']];

  it('reads a payload without a version (written by 0.1.0) as version 1', () => {
    expect(decodeBatch({ acceptedAt, events })).to.deep.equal(
      decodeBatch({ v: 1, acceptedAt, events }),
    );
  });

  it('leaves a payload of a newer version unread instead of guessing at it', () => {
    expect(() => decodeBatch({ v: 2, acceptedAt, events: 'a format this release does not know' }))
      .to.throw(UnknownPayloadVersionError)
      .with.property('version', 2);
  });

  const invalid: [string, unknown, string][] = [
    ['a version that is no version', { v: 0, acceptedAt, events }, 'v is not a payload version'],
    ['a version as a string', { v: '1', acceptedAt, events }, 'v is not a payload version'],
    ['no data', null, 'data is not an object'],
    ['no acceptedAt', { events: [] }, 'acceptedAt is not a number'],
    ['events that are not a list', { acceptedAt, events: 'start' }, 'events is not an array'],
    ['an event that is an object', { acceptedAt, events: [{ kind: 'start' }] }, 'events[0]: not a'],
    [
      'an unknown kind',
      { acceptedAt, events: [['pause', 's', 'p', 1, '']] },
      'events[0]: kind "pause"',
    ],
    ['an empty session id', { acceptedAt, events: [['end', '', 'p', 1, '']] }, 'session id'],
    [
      'a ts as a string',
      { acceptedAt, events: [['end', 's', 'p', '2024-01-01', '']] },
      'ts is not',
    ],
    [
      'a start without a country',
      { acceptedAt, events: [['start', 's', 'p', 1, '']] },
      'no country',
    ],
  ];
  for (const [what, data, message] of invalid) {
    it(`refuses a job with ${what}`, () => {
      expect(() => decodeBatch(data))
        .to.throw(InvalidBatchError)
        .with.property('message')
        .that.contains(message);
    });
  }
});
