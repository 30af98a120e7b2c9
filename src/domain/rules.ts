import Joi from 'joi';

/**
 * The API's input rules (docs/CONTRACT.md §2–3), each stated once: the event validator, the
 * routes and the OpenAPI document (which derives its schemas from these with joi-to-json) all use
 * them. Pure.
 *
 * Patterns carry no flags: JSON Schema has none, and browsers' UIs compile a document's patterns
 * without the `u` flag. Lengths are JavaScript string lengths (UTF-16 code units).
 */

export const IDENTIFIER_MAX_LENGTH = 64;
/** No whitespace and no control character (`\p{Cc}`, spelled as ranges so it needs no `u` flag). */
// eslint-disable-next-line no-control-regex -- the control characters are what it refuses
export const VISIBLE_TEXT = /^[^\s\x00-\x1f\x7f-\x9f]+$/;

/**
 * Whether a string is well-formed UTF-16 (no lone surrogate). A lone surrogate cannot be encoded
 * as UTF-8: stored, it would become U+FFFD, so two ids differing only in them would merge.
 * (String.prototype.isWellFormed is Node 20's, not yet in the es2023 typings.)
 */
export const isWellFormed = (text: string): boolean =>
  (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/** player_id and session_id; `name` goes into the messages. */
export const identifier = (name: string) =>
  Joi.string()
    .min(1)
    .max(IDENTIFIER_MAX_LENGTH)
    .pattern(VISIBLE_TEXT)
    .custom((value: string, helpers) =>
      isWellFormed(value) ? value : helpers.error('string.wellFormed'),
    )
    .messages({
      'string.wellFormed': `"${name}" must be well-formed Unicode (no lone surrogates)`,
      'any.required': `"${name}" is required`,
      'string.base': `"${name}" must be a string`,
      'string.empty': `"${name}" must not be empty`,
      'string.max': `"${name}" must be at most ${IDENTIFIER_MAX_LENGTH} characters`,
      'string.pattern.base': `"${name}" must not contain whitespace or control characters`,
    });

export const invalidIdentifier = (name: string) =>
  `${name} must be 1 to ${IDENTIFIER_MAX_LENGTH} characters without whitespace or control characters`;

/** ISO 3166-1 alpha-2, any case: stored and answered upper-case. */
export const countryCode = Joi.string()
  .pattern(/^[A-Za-z]{2}$/)
  .messages({
    'string.base': '"country" must be a string of two ASCII letters',
    'string.empty': '"country" must be two ASCII letters',
    'string.pattern.base': '"country" must be two ASCII letters',
  });
export const INVALID_COUNTRY = 'country must be a two-letter ISO 3166-1 alpha-2 code';

export const IDEMPOTENCY_KEY_MAX_LENGTH = 128;
/** Visible ASCII only, so that a key survives every HTTP stack unchanged. */
export const idempotencyKey = Joi.string()
  .min(1)
  .max(IDEMPOTENCY_KEY_MAX_LENGTH)
  .pattern(/^[\x21-\x7e]+$/);
export const INVALID_IDEMPOTENCY_KEY = `Idempotency-Key must be 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} visible ASCII characters`;

/** The starts views' window length X, in hours: 0 < X ≤ a year. */
export const MAX_HOURS = 8760;
export const hours = Joi.number().greater(0).max(MAX_HOURS);
export const INVALID_HOURS = `hours must be a number in (0, ${MAX_HOURS}]`;

/** How many completed sessions a player's view answers. */
export const MAX_LIMIT = 20;
export const limit = Joi.number().integer().min(1).max(MAX_LIMIT).default(MAX_LIMIT);
export const INVALID_LIMIT = `limit must be an integer from 1 to ${MAX_LIMIT}`;

/** A batch holds 1 to `maxEvents` events (the configured MAX_BATCH_EVENTS). */
export const batchEvents = (maxEvents: number) => Joi.array().min(1).max(maxEvents);

/** Whether a value, as it is (no conversion), obeys a rule. */
export function obeys(rule: Joi.Schema, value: unknown): boolean {
  return rule.validate(value, { convert: false, presence: 'required' }).error === undefined;
}
