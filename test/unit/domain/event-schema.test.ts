import { expect } from 'chai';
import fc from 'fast-check';
import { Random } from '../../../ops/data/random.ts';
import { VALIDATION_PREFERENCES, eventSchema } from '../../../src/domain/event-schema.ts';
import {
  validateEvent,
  type EventResult,
  type TimeRules,
} from '../../../src/domain/event-validation.ts';
import { parseTimestamp } from '../../../src/domain/timestamp.ts';
import { awkwardEvents } from '../../helpers/awkward-events.ts';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const RULES: TimeRules = { retentionMs: 365 * 86_400_000, maxFutureSkewMs: 5 * 60_000 };

/**
 * The validator as it was before the fast path: the reference schema with its preferences, then
 * the time rules. The fast path must give exactly this, rejection code, message and field alike.
 */
function reference(raw: unknown): EventResult {
  const result = eventSchema.validate(raw, VALIDATION_PREFERENCES);
  const reject = (
    code: 'invalid_event' | 'expired' | 'ts_in_future',
    message: string,
    field?: unknown,
  ) => ({
    ok: false as const,
    rejection: typeof field === 'string' ? { code, message, field } : { code, message },
  });
  const detail = result.error?.details[0];
  if (result.error)
    return reject('invalid_event', detail?.message ?? 'invalid event', detail?.path[0]);
  const value = result.value as Record<string, string>;
  const ts = parseTimestamp(value.ts ?? '');
  if (!ts.ok) return reject('invalid_event', `"ts" ${ts.reason}`, 'ts');
  if (ts.ms < NOW - RULES.retentionMs)
    return reject('expired', '"ts" is older than the retention of 365 days', 'ts');
  if (ts.ms > NOW + RULES.maxFutureSkewMs)
    return reject('ts_in_future', '"ts" is more than 5 minutes in the future', 'ts');
  return {
    ok: true,
    event: {
      kind: value.event as 'start' | 'end',
      sessionId: value.session_id!,
      playerId: value.player_id!,
      country: value.event === 'start' ? value.country?.toUpperCase() : undefined,
      ts: ts.ms,
    },
  };
}

const ABSENT = Symbol('absent');
const anyJson = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.string({ maxLength: 3 }),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.constant({ nested: 1 }),
);
const field = <T>(...typical: T[]) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...typical) },
    { weight: 1, arbitrary: fc.constant(ABSENT) },
    { weight: 1, arbitrary: anyJson },
  );
const identifiers = [
  '0a2d12a1a7e145de8bae44c0c6e06629',
  '4a0c43c9-c43a-42ff-ba55-67563dfa35d4',
  'sessão-ü',
  'x'.repeat(64),
  'x'.repeat(65),
  '',
  'a b',
  'a\tb',
  'a\u0000b',
  'a\u00a0b',
  '🎮',
];
const timestamps = [
  '2026-11-23T11:48:05.520022',
  '2026-11-23T11:49:05',
  '2026-11-23 11:49:05Z',
  '2026-11-23T13:49:05+02:00',
  '2026-11-23T12:04:00Z',
  '2026-11-23T12:06:00Z',
  '2025-11-23T11:59:59Z',
  '2016-11-22T20:40:50',
  '2026-02-30T00:00:00',
  '2026-11-23T24:00:00',
  '2026-11-23T11:00:00+24:00',
  'yesterday',
  '',
];
const event = fc
  .record({
    event: field('start', 'end', 'START', 'pause', ''),
    player_id: field(...identifiers),
    session_id: field(...identifiers),
    country: field('FI', 'fi', 'Gh', 'FIN', 'F', 'FÏ', '12', ''),
    ts: field(...timestamps),
    extra: field<unknown>('ignored', 7),
  })
  .map((fields) =>
    Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== ABSENT)),
  );

describe('the fast event validation path', () => {
  it('gives the reference schema’s outcome, code, message and field for generated events of every shape', () => {
    fc.assert(
      fc.property(
        fc.oneof({ weight: 9, arbitrary: event }, { weight: 1, arbitrary: anyJson }),
        (raw) => {
          expect(validateEvent(raw, NOW, RULES)).to.deep.equal(reference(raw));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('gives the reference schema’s outcome for the awkward events of the model test, valid and refused', () => {
    const generated = awkwardEvents(new Random(3), NOW, 800);
    for (const { event: raw } of generated)
      expect(validateEvent(raw, NOW, RULES)).to.deep.equal(reference(raw));
    const refused = generated.filter((g) => !validateEvent(g.event, NOW, RULES).ok).length;
    expect(refused).to.be.within(1, generated.length - 1);
  });

  it('refuses what is not an object as the reference does', () => {
    for (const raw of [null, 'start', 42, [], [{ event: 'start' }], true])
      expect(validateEvent(raw, NOW, RULES)).to.deep.equal(reference(raw));
  });

  it('refuses undefined as not an object, which no JSON body can hold and the reference let through', () => {
    expect(validateEvent(undefined, NOW, RULES)).to.deep.equal({
      ok: false,
      rejection: { code: 'invalid_event', message: 'an event must be a JSON object' },
    });
  });
});
