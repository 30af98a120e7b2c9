import Joi from 'joi';

/**
 * Environment variables declared as a table: each leaf names one variable with its schema and
 * default, and stands where its value goes in the object the table is read into. Validation, the
 * object's TypeScript type and the list of variable names all come from that one table, so a
 * variable is never spelled in two places. (Reading process.env stays in env.ts.)
 */

export type RawEnv = Readonly<Record<string, string | undefined>>;

export class Setting<T> {
  constructor(
    readonly name: string,
    readonly schema: Joi.AnySchema,
    /** The default, as the variable would be written (what the README documents). */
    readonly fallback: unknown,
    readonly convert: (validated: unknown) => T,
  ) {}

  /** The same variable, its validated value turned into another shape. */
  map<U>(fn: (value: T) => U): Setting<U> {
    return new Setting(this.name, this.schema, this.fallback, (v) => fn(this.convert(v)));
  }

  /** A leaf that is true when the variable was given (not just defaulted). */
  get given(): Given {
    return new Given(this);
  }
}

export class Given {
  constructor(readonly of: Setting<unknown>) {}
}

export interface Table {
  readonly [key: string]: Setting<unknown> | Given | Table;
}

// The type of the values a Joi schema accepts (Joi's Standard Schema output type).
type Output<S extends Joi.AnySchema> = NonNullable<S['~standard']['types']>['output'];

/** The typed object a table reads into. */
export type Values<S> = {
  readonly [K in keyof S]: S[K] extends Setting<infer T>
    ? T
    : S[K] extends Given
      ? boolean
      : Values<S[K]>;
};

/** A variable without a default (its value may be undefined). */
export function setting<S extends Joi.AnySchema>(
  name: string,
  schema: S,
): Setting<Output<S> | undefined>;
/** A variable with a default. */
export function setting<S extends Joi.AnySchema>(
  name: string,
  schema: S,
  fallback: Output<S>,
): Setting<Output<S>>;
export function setting(name: string, schema: Joi.AnySchema, fallback?: unknown): Setting<unknown> {
  const withDefault = fallback === undefined ? schema : schema.default(fallback);
  return new Setting(name, withDefault, fallback, (v) => v);
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Every variable of a table, in table order; throws when one is declared twice. */
export function settingsOf(table: Table): Setting<unknown>[] {
  const out: Setting<unknown>[] = [];
  const visit = (node: Table) => {
    for (const leaf of Object.values(node)) {
      if (leaf instanceof Setting) out.push(leaf);
      else if (!(leaf instanceof Given)) visit(leaf);
    }
  };
  visit(table);
  const names = out.map((s) => s.name);
  const twice = names.filter((name, i) => names.indexOf(name) !== i);
  if (twice.length > 0) throw new Error(`declared twice: ${twice.join(', ')}`);
  return out;
}

/** Validates `env` against the table; throws ConfigError naming every bad variable. */
export function readSettings<S extends Table>(table: S, env: RawEnv): Values<S> {
  const settings = settingsOf(table);
  const given = emptyAsUnset(env);
  const schema = Joi.object(Object.fromEntries(settings.map((s) => [s.name, s.schema])))
    // Everything else in the environment (PATH, HOME, ...) is none of our business.
    .unknown(true);
  const result = schema.validate(given, { abortEarly: false, convert: true });
  if (result.error) throw new ConfigError(result.error.details.map((d) => d.message));
  const validated = result.value as Record<string, unknown>;
  const build = (node: Table): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(node).map(([key, leaf]) => [
        key,
        leaf instanceof Setting
          ? leaf.convert(validated[leaf.name])
          : leaf instanceof Given
            ? given[leaf.of.name] !== undefined
            : build(leaf),
      ]),
    );
  return build(table) as Values<S>;
}

// `FOO=` in a shell or a .env file means "not set", not "the empty string".
function emptyAsUnset(env: RawEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}
