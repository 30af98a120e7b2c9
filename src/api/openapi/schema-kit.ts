import type { ReferenceObject, SchemaObject } from 'openapi3-ts/oas31';
import {
  IDENTIFIER_MAX_LENGTH,
  hours as hoursRule,
  identifier as identifierRule,
} from '../../domain/rules.ts';
import { fromJoi } from './from-joi.ts';

/** Building blocks of the document's schemas. */

export const schemaRef = (name: string): ReferenceObject => ({
  $ref: `#/components/schemas/${name}`,
});

/** Every member of a string union; the compiler refuses a missing or an unknown one. */
export const membersOf = <T extends string>(members: Record<T, true>): T[] =>
  Object.keys(members) as T[];

export const identifier: SchemaObject = fromJoi(
  identifierRule('id'),
  `1 to ${IDENTIFIER_MAX_LENGTH} characters, none of them whitespace or a control character.`,
);
// Responses always carry the contract's output format: UTC, milliseconds, `Z`.
export const instant: SchemaObject = {
  type: 'string',
  format: 'date-time',
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$',
};
export const storedCountry: SchemaObject = { type: 'string', pattern: '^[A-Z]{2}$' };
export const count: SchemaObject = { type: 'integer', minimum: 0 };
export const hours: SchemaObject = fromJoi(hoursRule);

/** A closed object: the tests then catch a field the API sends but the document does not list. */
export const closed = (
  required: string[],
  properties: Record<string, SchemaObject | ReferenceObject>,
) => ({ type: 'object', required, properties, additionalProperties: false }) satisfies SchemaObject;
