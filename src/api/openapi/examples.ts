import { validateEvent, type RejectedEvent } from '../../domain/event-validation.ts';
import { formatTimestamp } from '../../domain/timestamp.ts';
import { HOUR_MS, MINUTE_MS, floorTo } from '../../domain/duration.ts';
import { playerHash } from '../../queue/erasures-queue.ts';
import type { DocumentSettings } from './settings.ts';

/**
 * Examples in the shape of the public sample data (its ids, countries and second-precision,
 * zone-less timestamps). The sample is from 2016, so today it would only be `expired`: the events
 * are moved to a couple of hours before the document was built (rounded to the hour, so the
 * document stays the same for an hour), which makes "try it out" work. One line is kept as-is to
 * show an `expired` rejection. Rejection messages come from the real validator. Request examples
 * stay valid against the request schema; the invalid event only shows in a response.
 */

/** Verbatim lines of the sample (test/fixtures/sample-first100.jsonl, lines 1 and 5). */
const SAMPLE_START = {
  player_id: 'd6313e1fb7d247a6a034e2aadc30ab3f',
  country: 'PK',
  event: 'start',
  session_id: '674606b1-2270-4285-928f-eef4a6b90a60',
  ts: '2016-11-22T20:40:50',
};
const OTHER_SAMPLE_START = {
  player_id: 'a477ecabc3cc455cb1c6d1dab77d8e5c',
  country: 'GH',
  event: 'start',
  session_id: '4c55263e-66b2-4814-b431-8ca4c1a9dcc8',
  ts: '2016-11-29T19:31:43',
};

const BATCH_ID = '0b6f4c4e-5d1c-4d8e-9f62-6f2c1b7a9e13';
const ERASURE_ID = 'erasure-5f0e2a7c-93b1-4c4d-8e0a-2f6b9d1c3e57';
const SESSION_SECONDS = 25 * 60 + 17;

// The sample's own format: seconds, no zone (UTC).
const sampleTs = (ms: number) => formatTimestamp(ms).slice(0, 19);
const instant = (ms: number) => formatTimestamp(ms);

export type Examples = ReturnType<typeof examples>;

export function examples(settings: DocumentSettings, nowMs: number) {
  const now = floorTo(nowMs, HOUR_MS);
  const startMs = now - 2 * HOUR_MS + 40 * MINUTE_MS + 50_000;
  const endMs = startMs + SESSION_SECONDS * 1000;
  const start = { ...SAMPLE_START, ts: sampleTs(startMs) };
  const end = {
    player_id: SAMPLE_START.player_id,
    event: 'end',
    session_id: SAMPLE_START.session_id,
    ts: sampleTs(endMs),
  };
  const otherStart = { ...OTHER_SAMPLE_START, ts: sampleTs(now - 31 * MINUTE_MS + 43_000) };
  const events = [start, end, otherStart];
  // From a client whose clock is a day ahead.
  const future = { ...otherStart, ts: sampleTs(now + 24 * HOUR_MS) };
  const badCountry = { ...otherStart, country: 'GHA' };
  const mixed = [start, SAMPLE_START, future];
  const rejections = (batch: readonly unknown[]): RejectedEvent[] =>
    batch.flatMap((event, index) => {
      const result = validateEvent(event, now, settings.rules);
      return result.ok ? [] : [{ index, ...result.rejection }];
    });
  const rejected = rejections(mixed);
  const window = { from: instant(now - 24 * HOUR_MS), to: instant(now), hours: 24 };

  return {
    events,
    envelope: { events },
    ndjson: events.map((e) => JSON.stringify(e)).join('\n') + '\n',
    mixed,
    accepted: { batch_id: BATCH_ID, accepted: events.length, rejected: [] },
    partlyAccepted: { batch_id: BATCH_ID, accepted: mixed.length - rejected.length, rejected },
    noValidEvents: rejections([SAMPLE_START, badCountry]),
    batchId: BATCH_ID,
    status: { batch_id: BATCH_ID, state: 'done', accepted: events.length },
    countries: {
      ...window,
      total: 2,
      countries: [
        { country: 'GH', starts: 1 },
        { country: 'PK', starts: 1 },
      ],
    },
    country: {
      country: 'PK',
      ...window,
      starts: 1,
      hourly: [{ hour: instant(floorTo(startMs, HOUR_MS)), starts: 1 }],
    },
    playerId: SAMPLE_START.player_id,
    erasureId: ERASURE_ID,
    erasureAccepted: {
      erasure_id: ERASURE_ID,
      state: 'queued',
      player_sha256: playerHash(SAMPLE_START.player_id),
      requested_at: instant(now),
    },
    erasureStatus: {
      erasure_id: ERASURE_ID,
      state: 'done',
      player_sha256: playerHash(SAMPLE_START.player_id),
      requested_at: instant(now - MINUTE_MS),
      finished_at: instant(now),
      sessions: 12,
      facts: 23,
      completed_rows: 11,
    },
    sessions: {
      player_id: SAMPLE_START.player_id,
      sessions: [
        {
          session_id: SAMPLE_START.session_id,
          country: 'PK',
          start_ts: instant(startMs),
          end_ts: instant(endMs),
          duration_seconds: SESSION_SECONDS,
        },
      ],
    },
  };
}
