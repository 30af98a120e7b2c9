import type Joi from 'joi';
import joiToJson from 'joi-to-json';
import type { SchemaObject } from 'openapi3-ts/oas31';

// The package's typings describe ES module exports; it is CommonJS (`module.exports = parse`).
const parse = joiToJson as unknown as (rule: Joi.Schema, mode: 'open-api-3.1') => unknown;

/**
 * The document's schema of a joi rule, so the API and its description cannot drift apart.
 * joi-to-json spells `Joi.any()` as a list of all six JSON types; that says nothing, so it goes.
 * A `description` is added here, not in the rule: the rule's messages are for clients, the
 * description for readers of the document.
 */
export function fromJoi(rule: Joi.Schema, description?: string): SchemaObject {
  const schema = withoutAnyType(parse(rule, 'open-api-3.1'));
  return description === undefined ? schema : { ...schema, description };
}

const ALL_TYPES = ['array', 'boolean', 'number', 'object', 'string', 'null'];

function withoutAnyType(node: unknown): SchemaObject {
  if (Array.isArray(node)) return node.map(withoutAnyType) as unknown as SchemaObject;
  if (typeof node !== 'object' || node === null) return node as SchemaObject;
  const entries = Object.entries(node).filter(
    ([key, value]) =>
      !(
        key === 'type' &&
        Array.isArray(value) &&
        ALL_TYPES.every((t) => (value as unknown[]).includes(t))
      ),
  );
  return Object.fromEntries(
    entries.map(([key, value]) => [key, key === 'enum' ? value : withoutAnyType(value)]),
  );
}

/** Adds descriptions to some properties of a derived object schema. */
export function describeProperties(
  schema: SchemaObject,
  descriptions: Readonly<Record<string, string>>,
): SchemaObject {
  const properties = { ...schema.properties };
  for (const [name, description] of Object.entries(descriptions))
    properties[name] = { ...properties[name], description };
  return { ...schema, properties };
}
