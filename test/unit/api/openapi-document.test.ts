import { compileErrors, validate } from '@readme/openapi-parser';
import { expect } from 'chai';
import type Joi from 'joi';
import type {
  MediaTypeObject,
  OpenAPIObject,
  ParameterObject,
  SchemaObject,
} from 'openapi3-ts/oas31';
import { buildOpenApiDocument } from '../../../src/api/openapi/document.ts';
import { documentSettings } from '../../../src/api/openapi/settings.ts';
import { loadConfig } from '../../../src/config/env.ts';
import * as rules from '../../../src/domain/rules.ts';
import { DocumentedApi, HTTP_METHODS, schemasOf } from '../../helpers/openapi.ts';

const NOW = Date.UTC(2026, 10, 23, 12, 34, 56);
const build = (env: Record<string, string> = {}) =>
  buildOpenApiDocument(documentSettings(loadConfig(env)), NOW);

/** Every media type object and parameter of the document, with where it is. */
function* examplesOf(doc: OpenAPIObject): Generator<[string, SchemaObject, unknown]> {
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of HTTP_METHODS.filter((m) => m in item)) {
      const op = (item as Record<string, Record<string, unknown>>)[method]!;
      const where = `${method.toUpperCase()} ${path}`;
      const media: [string, MediaTypeObject][] = [];
      const body = op.requestBody as { content: Record<string, MediaTypeObject> } | undefined;
      for (const [type, m] of Object.entries(body?.content ?? {}))
        media.push([`${where} ${type}`, m]);
      for (const [status, r] of Object.entries(
        op.responses as Record<string, { content?: object }>,
      ))
        for (const [type, m] of Object.entries(r.content ?? {}))
          media.push([`${where} ${status} ${type}`, m as MediaTypeObject]);
      for (const [label, m] of media) {
        if (m.example !== undefined) yield [label, m.schema as SchemaObject, m.example];
        for (const [name, e] of Object.entries(m.examples ?? {}))
          yield [`${label} ${name}`, m.schema as SchemaObject, (e as { value: unknown }).value];
      }
      for (const p of (op.parameters ?? []) as ParameterObject[]) {
        if (p.example !== undefined)
          yield [`${where} ${p.name}`, p.schema as SchemaObject, p.example];
        for (const [name, e] of Object.entries(p.examples ?? {}))
          yield [
            `${where} ${p.name} ${name}`,
            p.schema as SchemaObject,
            (e as { value: unknown }).value,
          ];
      }
    }
  }
}

describe('the OpenAPI document', () => {
  let api: DocumentedApi;
  before(async () => {
    api = await DocumentedApi.load(build());
  });

  it('is valid OpenAPI 3.1 with the default configuration', async () => {
    const result = await validate(build() as never);
    expect(result.valid, result.valid ? '' : compileErrors(result)).to.be.true;
  });

  it('holds only schemas that compile as strict JSON Schema 2020-12', () => {
    const schemas = [...schemasOf(api.document)];
    expect(schemas.length).to.be.above(30);
    for (const [where, schema] of schemas) expect(() => api.compile(schema), where).not.to.throw();
  });

  it('gives only examples that its own schemas accept', () => {
    const all = [...examplesOf(api.document)];
    expect(all.length).to.be.above(30);
    for (const [where, schema, value] of all) {
      const valid = api.compile(schema);
      expect(valid(value), `${where}: ${JSON.stringify(valid.errors)}`).to.be.true;
    }
  });

  it('gives NDJSON examples whose every line is a documented event', () => {
    const ndjson = (
      api.document.paths!['/v1/batches']!.post!.requestBody as {
        content: Record<string, MediaTypeObject>;
      }
    ).content['application/x-ndjson']!;
    const event = api.compile(api.document.components!.schemas!.Event as SchemaObject);
    const text = (ndjson.examples!.ndjson as { value: string }).value;
    const lines = text.trim().split('\n');
    expect(lines).to.have.length.above(1);
    for (const line of lines) expect(event(JSON.parse(line)), line).to.be.true;
  });

  it('states the configured batch size, body limit and retention, not the defaults', () => {
    const doc = build({
      MAX_BATCH_EVENTS: '25',
      MAX_BODY_BYTES: '1000',
      RETENTION_SECONDS: '86400',
    });
    const batch = (doc.components!.schemas!.BatchJson as SchemaObject).oneOf![0] as SchemaObject;
    expect(batch.maxItems).to.equal(25);
    const post = doc.paths!['/v1/batches']!.post!;
    expect(post.description).to.include('1 to 25 events, at most 1000 bytes');
    expect(JSON.stringify(doc.components!.schemas!.Event)).to.include('Older than 1 day');
  });

  it('states the parameter rules exactly as the API checks them, also for regex engines without the u flag', () => {
    const parameters = api.document.components!.parameters as Record<string, ParameterObject>;
    const cases: [string, Joi.Schema, unknown[]][] = [
      [
        'PlayerId',
        rules.identifier('player_id'),
        [
          'd6313e1fb7d247a6a034e2aadc30ab3f',
          'pCc',
          'é-ü',
          '🎮',
          'x'.repeat(64),
          'x'.repeat(65),
        ].concat(['a b', 'a\tb', 'a\u0000', 'a\u007f', 'a\u0085', 'a\u00a0', 'a\u2028', '']),
      ],
      ['Country', rules.countryCode, ['FI', 'fi', 'fI', 'FIN', 'F', '', 'F1', 'FÏ']],
      ['IdempotencyKey', rules.idempotencyKey, ['k', '~'.repeat(128), '~'.repeat(129), 'a b', '']],
      ['Hours', rules.hours, [0.0001, 24, 8760, 0, -1, 8760.5]],
      ['Limit', rules.limit, [1, 20, 0, 21, 1.5]],
    ];
    for (const [name, rule, samples] of cases) {
      const schema = parameters[name]!.schema as SchemaObject;
      const documented = api.compile(schema);
      for (const s of samples) {
        const label = `${name} ${JSON.stringify(s)}`;
        expect(documented(s), label).to.equal(rules.obeys(rule, s));
        if (schema.pattern !== undefined && typeof s === 'string')
          expect(new RegExp(schema.pattern).test(s), `${label} without u`).to.equal(
            new RegExp(schema.pattern, 'u').test(s),
          );
      }
    }
  });
});
