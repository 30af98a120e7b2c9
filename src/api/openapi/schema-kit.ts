import type { ReferenceObject, SchemaObject } from 'openapi3-ts/oas31';
import { MAX_HOURS } from '../../domain/window.ts';

/** Building blocks of the document's schemas. */

export const schemaRef = (name: string): ReferenceObject => ({
  $ref: `#/components/schemas/${name}`,
});

/** Every member of a string union; the compiler refuses a missing or an unknown one. */
export const membersOf = <T extends string>(members: Record<T, true>): T[] =>
  Object.keys(members) as T[];

/**
 * The API's identifier rule (`PLAYER_ID`) without `\p{Cc}`: browsers' UIs compile patterns without
 * the `u` flag, where `\p{Cc}` would forbid the letters p, C and c. The unit tests check that both
 * agree.
 */
export const IDENTIFIER_PATTERN = '^[^\\s\\x00-\\x1f\\x7f-\\x9f]+$';

export const identifier: SchemaObject = {
  type: 'string',
  minLength: 1,
  maxLength: 64,
  pattern: IDENTIFIER_PATTERN,
  description: '1 to 64 characters, none of them whitespace or a control character.',
};
// Responses always carry the contract's output format: UTC, milliseconds, `Z`.
export const instant: SchemaObject = {
  type: 'string',
  format: 'date-time',
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$',
};
export const storedCountry: SchemaObject = { type: 'string', pattern: '^[A-Z]{2}$' };
export const count: SchemaObject = { type: 'integer', minimum: 0 };
export const hours: SchemaObject = { type: 'number', exclusiveMinimum: 0, maximum: MAX_HOURS };

/** JSON Schema's if/then, which the oas31 typings lack. */
export const withCondition = (
  schema: SchemaObject,
  condition: { if: SchemaObject; then: SchemaObject },
): SchemaObject => ({ ...schema, ...condition });

/** A closed object: the tests then catch a field the API sends but the document does not list. */
export const closed = (
  required: string[],
  properties: Record<string, SchemaObject | ReferenceObject>,
) => ({ type: 'object', required, properties, additionalProperties: false }) satisfies SchemaObject;
