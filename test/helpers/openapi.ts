import { dereference } from '@readme/openapi-parser';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { expect } from 'chai';
import type {
  MediaTypeObject,
  OpenAPIObject,
  OperationObject,
  ResponseObject,
  SchemaObject,
} from 'openapi3-ts/oas31';

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** A response as the tests saw it. */
export interface SeenResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: unknown;
}

/** `/v1/batches/:batchId` and `/v1/batches/{batch_id}` both become `/v1/batches/{}`. */
export const pathShape = (path: string): string =>
  path.replace(/:[A-Za-z0-9_]+/g, '{}').replace(/\{[^}]+\}/g, '{}');

/** Each schema object in the document, with where it is (for messages). */
export function* schemasOf(node: unknown, where = '#'): Generator<[string, SchemaObject]> {
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'schema' || (where === '#/components/schemas' && typeof value === 'object')) {
      yield [`${where}/${key}`, value as SchemaObject];
    } else if (key !== 'examples' && key !== 'example') {
      yield* schemasOf(value, `${where}/${key}`);
    }
  }
}

/**
 * The served OpenAPI document, dereferenced, as a judge of real responses: a response must have a
 * documented status and media type, its body must validate (Ajv, JSON Schema 2020-12, formats
 * checked) and an error's code must be one the document lists for that status. Every documented
 * (operation, status, code) a response proved is remembered, so a test can ask what was never seen.
 */
export class DocumentedApi {
  readonly seen = new Set<string>();
  // Strict, except for `required` naming properties defined elsewhere: the idiom of if/then.
  private readonly ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();

  private constructor(readonly document: OpenAPIObject) {
    formats.default(this.ajv);
  }

  static async load(document: unknown): Promise<DocumentedApi> {
    // The parser's own typings are openapi-types'; the document's are openapi3-ts'.
    const dereferenced: unknown = await dereference(structuredClone(document) as never);
    return new DocumentedApi(dereferenced as OpenAPIObject);
  }

  operation(method: string, path: string): OperationObject {
    const operation = (this.document.paths?.[path] as Record<string, unknown> | undefined)?.[
      method
    ];
    expect(operation, `${method.toUpperCase()} ${path} is documented`).to.be.an('object');
    return operation as OperationObject;
  }

  response(method: string, path: string, status: number): ResponseObject {
    const responses = this.operation(method, path).responses as Record<string, ResponseObject>;
    const response = responses[String(status)];
    expect(response, `${method.toUpperCase()} ${path} documents status ${status}`).to.be.an(
      'object',
    );
    return response!;
  }

  /** The error codes documented for one status of an operation. */
  codes(method: string, path: string, status: number): string[] {
    const schema = this.response(method, path, status).content?.['application/json']?.schema as
      { properties?: { error?: { properties?: { code?: { enum?: string[] } } } } } | undefined;
    return schema?.properties?.error?.properties?.code?.enum ?? [];
  }

  /** Holds a real response against the document; throws an assertion error when they disagree. */
  check(method: string, path: string, seen: SeenResponse): void {
    const label = `${method.toUpperCase()} ${path} ${seen.status}`;
    const response = this.response(method, path, seen.status);
    const mediaType = seen.contentType.split(';')[0]!.trim().toLowerCase();
    const media: MediaTypeObject | undefined = response.content?.[mediaType];
    expect(media, `${label}: media type ${mediaType} is documented`).to.be.an('object');
    const validate = this.validator(`${label} ${mediaType}`, media!.schema as SchemaObject);
    expect(validate(seen.body), `${label}: ${this.ajv.errorsText(validate.errors)}`).to.be.true;

    // Error envelopes list their codes; other answers (like /readyz's 503) have none.
    const codes = this.codes(method, path, seen.status);
    let code = '';
    if (codes.length > 0) {
      code = (seen.body as { error: { code: string } }).error.code;
      expect(codes, `${label}: error code`).to.include(code);
    }
    this.seen.add(`${label} ${code}`.trim());
  }

  /** Every documented "METHOD path status [code]". */
  documentedOutcomes(): string[] {
    const outcomes: string[] = [];
    for (const [path, item] of Object.entries(this.document.paths ?? {})) {
      for (const method of HTTP_METHODS.filter((m) => m in item)) {
        const responses = this.operation(method, path).responses as Record<string, unknown>;
        for (const status of Object.keys(responses)) {
          const label = `${method.toUpperCase()} ${path} ${status}`;
          const codes = this.codes(method, path, Number(status));
          outcomes.push(...(codes.length ? codes.map((c) => `${label} ${c}`) : [label]));
        }
      }
    }
    return outcomes;
  }

  compile(schema: SchemaObject): ValidateFunction {
    return this.ajv.compile(schema);
  }

  private validator(key: string, schema: SchemaObject): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.validators.set(key, validate);
    }
    return validate;
  }
}
