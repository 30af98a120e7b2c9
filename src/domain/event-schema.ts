import Joi from 'joi';
import { countryCode, identifier } from './rules.ts';
import { ISO_DATE_TIME, NOT_ISO_DATE_TIME } from './timestamp.ts';

/**
 * The joi schemas of one event (docs/CONTRACT.md §2). `eventSchema` is the reference: the whole
 * rule in one schema, from which the OpenAPI document is derived. The validator runs two narrower
 * schemas instead, one per kind, built from the same field rules, for a fifth of the cost: a
 * per-kind schema has no object-level condition to resolve on every call, and one validated with
 * joi's default preferences lets joi reuse each field's compiled messages (with any other
 * preferences it merges them again for every field of every call, a third of the cost).
 * test/unit/domain/event-schema.test.ts holds the two paths to the same outcome, code and message.
 */

const eventKind = Joi.string().valid('start', 'end').required().messages({
  'any.required': '"event" is required',
  'any.only': '"event" must be "start" or "end"',
  'string.base': '"event" must be "start" or "end"',
});
const ids = {
  player_id: identifier('player_id').required(),
  session_id: identifier('session_id').required(),
};
const startCountry = countryCode
  .required()
  .messages({ 'any.required': '"country" is required on a start event' });
const tsString = Joi.string().required().messages({
  'any.required': '"ts" is required',
  'string.base': '"ts" must be an ISO-8601 date-time string',
  'string.empty': '"ts" must be an ISO-8601 date-time string',
});

export const NOT_AN_OBJECT = 'an event must be a JSON object';

/**
 * One event. The country rule is an object-level condition (not a `Joi.when('event')` on the
 * field) so that the OpenAPI document derived from it gets a JSON Schema if/then.
 */
export const eventSchema = Joi.object({
  event: eventKind,
  ...ids,
  // Ignored on an end, whatever it holds.
  country: Joi.any(),
  ts: tsString.pattern(ISO_DATE_TIME).messages({
    'string.pattern.base': `"ts" ${NOT_ISO_DATE_TIME}`,
  }),
})
  .unknown(true)
  .when(Joi.object({ event: Joi.valid('start') }).unknown(true), {
    then: Joi.object({ country: startCountry }).unknown(true),
  })
  .messages({ 'object.base': NOT_AN_OBJECT });

/** How the reference is applied: first problem only, values as they are. */
export const VALIDATION_PREFERENCES = { abortEarly: true, convert: false } as const;

/**
 * The schema for an object whose `event` is already known to be `start` or `end`, to validate
 * with joi's defaults. Those stop at the first problem like the reference's preferences; their
 * `convert` changes nothing here, as no field rule converts (no trim, case or normalisation).
 * Keys are in the reference's order, so the first problem found is the same. `event` needs no
 * check here, and `ts` only needs to be a non-empty string: its format is checked by
 * parseTimestamp, whose message for a malformed ts is the reference's pattern message.
 */
export const kindSchemas = {
  start: Joi.object({ ...ids, country: startCountry, ts: tsString }).unknown(true),
  end: Joi.object({ ...ids, ts: tsString }).unknown(true),
} as const;
