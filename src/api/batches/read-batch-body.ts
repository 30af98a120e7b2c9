import { bodyParser } from '@koa/bodyparser';
import type { Context } from 'koa';
import { BadRequestError, UnsupportedMediaTypeError } from '../errors.ts';
import { nestedDeeperThan } from './json-depth.ts';

/** One event slot of a batch: the decoded JSON value, or why its NDJSON line could not be decoded. */
export type BatchItem =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

export const JSON_TYPES = ['application/json'];
export const NDJSON_TYPES = ['application/x-ndjson', 'application/ndjson', 'application/jsonl'];
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A batch body, decoded into event slots, with its exact bytes (the idempotency fingerprint's). */
export type BatchBodyReader = (ctx: Context) => Promise<{ items: BatchItem[]; raw: Buffer }>;

/**
 * Reads batch bodies of at most `maxBytes`: a JSON array of events, `{"events": [...]}`, or NDJSON
 * (one event per line, the sample data's own format). A body that cannot be read at all is a
 * 400/413/415; an NDJSON line that is not JSON only spoils its own event.
 *
 * @koa/bodyparser (koa-bodyparser's successor, the design's parser) reads the body, with its size
 * limit, as text of every batch type; the JSON is parsed here (docs/DECISIONS.md, "Body parsing"):
 * the nesting depth is checked on the text before anything parses it, and an NDJSON line that is
 * not JSON must spoil only its own event. The text is read as latin1, one character per byte, so
 * that the bytes come back exactly: asked for UTF-8 the parser would replace invalid bytes with
 * U+FFFD and never refuse them.
 */
export function createBatchBodyReader(maxBytes: number): BatchBodyReader {
  const parse = bodyParser({
    enableTypes: ['text'],
    extendTypes: { text: [...JSON_TYPES, ...NDJSON_TYPES] },
    textLimit: maxBytes,
    encoding: 'latin1',
  });
  return async (ctx) => {
    const type = ctx.request.type.toLowerCase();
    const isNdjson = NDJSON_TYPES.includes(type);
    if (!isNdjson && !JSON_TYPES.includes(type)) {
      throw new UnsupportedMediaTypeError(
        'unsupported_media_type',
        `Content-Type must be one of ${[...JSON_TYPES, ...NDJSON_TYPES].join(', ')}`,
      );
    }
    const charset = ctx.request.charset.toLowerCase();
    if (charset !== '' && charset !== 'utf-8' && charset !== 'utf8') {
      throw new UnsupportedMediaTypeError('unsupported_charset', 'the body must be UTF-8');
    }
    const encoding = ctx.get('Content-Encoding').toLowerCase();
    if (encoding !== '' && encoding !== 'identity') {
      throw new UnsupportedMediaTypeError(
        'unsupported_encoding',
        `Content-Encoding "${encoding}" is not supported`,
      );
    }

    const raw = await readRaw(ctx, parse);
    let text: string;
    try {
      text = utf8.decode(raw);
    } catch {
      throw new BadRequestError('malformed_body', 'the body is not valid UTF-8');
    }
    return { items: isNdjson ? ndjsonItems(text) : jsonItems(text), raw };
  };
}

/**
 * The body's bytes. The parser (raw-body underneath) raises 413 (entity.too.large) past the limit,
 * before reading the rest of the body, and 400 (request.aborted) when the client goes away while
 * it reads. A request whose connection is already gone when its turn to be read comes cannot be
 * read at all (raw-body calls that a 500, "stream is not readable"; the parser answers a closed
 * one 499 itself): its client closed it, or sent on the same connection something Node refused
 * and answered with a 400 of its own, closing it. Either way the client broke the request, so it
 * is the same 400 request_aborted, never a 500.
 */
async function readRaw(ctx: Context, parse: ReturnType<typeof bodyParser>): Promise<Buffer> {
  const gone = () => ctx.req.destroyed;
  if (gone()) throw aborted();
  try {
    await parse(ctx, () => Promise.resolve());
  } catch (err) {
    if (gone() && !isClientError(err)) throw aborted();
    throw err;
  }
  const text = ctx.request.body;
  if (typeof text !== 'string') throw gone() ? aborted() : new Error('the batch body was not read');
  return Buffer.from(text, 'latin1');
}

const aborted = () => new BadRequestError('request_aborted', 'the request was aborted');

function isClientError(err: unknown): boolean {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/**
 * How deeply a JSON body or an NDJSON line may nest arrays and objects. A valid body needs 3
 * (`{"events": [{...}]}`); the rest leaves room for fields an event may carry and the service
 * ignores (docs/CONTRACT.md §2), while a parse stays as cheap as its size says.
 */
export const MAX_JSON_DEPTH = 32;

const TOO_DEEP = `nested deeper than ${MAX_JSON_DEPTH} levels`;

function jsonItems(text: string): BatchItem[] {
  // Checked before parsing: JSON.parse spends seconds on megabytes of `[[[[`.
  if (nestedDeeperThan(text, MAX_JSON_DEPTH))
    throw new BadRequestError('malformed_body', `the body is ${TOO_DEEP}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new BadRequestError(
      'malformed_body',
      `the body is not valid JSON: ${(err as Error).message}`,
    );
  }
  const events = Array.isArray(body) ? body : isEnvelope(body) ? body.events : undefined;
  if (!events) {
    throw new BadRequestError(
      'malformed_body',
      'the body must be a JSON array of events or {"events": [...]}',
    );
  }
  return (events as unknown[]).map((value) => ({ ok: true, value }));
}

function ndjsonItems(text: string): BatchItem[] {
  const items: BatchItem[] = [];
  text.split('\n').forEach((line, lineIndex) => {
    const trimmed = line.trim();
    if (trimmed === '') return;
    if (nestedDeeperThan(trimmed, MAX_JSON_DEPTH)) {
      items.push({ ok: false, message: `line ${lineIndex + 1} is ${TOO_DEEP}` });
      return;
    }
    try {
      items.push({ ok: true, value: JSON.parse(trimmed) as unknown });
    } catch {
      items.push({ ok: false, message: `line ${lineIndex + 1} is not valid JSON` });
    }
  });
  return items;
}

function isEnvelope(body: unknown): body is { events: unknown[] } {
  return (
    typeof body === 'object' &&
    body !== null &&
    Array.isArray((body as { events?: unknown }).events)
  );
}
