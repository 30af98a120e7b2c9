import type { Config } from '../../config/env.ts';
import { describeMs, type TimeRules } from '../../domain/event-validation.ts';

/** What the document says that depends on the configuration, so it never states a default. */
export interface DocumentSettings {
  readonly maxBatchEvents: number;
  readonly maxBodyBytes: number;
  readonly bulkMaxEvents: number;
  readonly bulkMaxBodyBytes: number;
  /** Human-readable durations, e.g. "365 days". */
  readonly retention: string;
  readonly maxFutureSkew: string;
  readonly batchKeptFor: string;
  /** The event time rules, so that the examples show the validator's own rejections. */
  readonly rules: TimeRules;
}

export type DocumentConfig = Pick<Config, 'http' | 'events' | 'queue'>;

export function documentSettings(config: DocumentConfig): DocumentSettings {
  return {
    maxBatchEvents: config.events.maxBatchEvents,
    maxBodyBytes: config.http.maxBodyBytes,
    bulkMaxEvents: config.events.bulkMaxEvents,
    bulkMaxBodyBytes: config.http.bulkMaxBodyBytes,
    retention: describeMs(config.events.retentionSeconds * 1000),
    maxFutureSkew: describeMs(config.events.maxFutureSkewSeconds * 1000),
    batchKeptFor: describeMs(config.queue.keepDoneSeconds * 1000),
    rules: {
      retentionMs: config.events.retentionSeconds * 1000,
      maxFutureSkewMs: config.events.maxFutureSkewSeconds * 1000,
    },
  };
}
