import { expect } from 'chai';
import fc from 'fast-check';
import { nestedDeeperThan } from '../../../src/api/batches/json-depth.ts';

/** How deep a parsed value nests arrays and objects: the reference the scanner must agree with. */
function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(depthOf));
}

/** The smallest limit the text is not deeper than, by the scanner. */
function scannedDepth(text: string): number {
  let limit = 0;
  while (nestedDeeperThan(text, limit)) limit++;
  return limit;
}

// Strings made of what could fool a scanner: brackets, quotes, backslashes, escapes, newlines.
const tricky = fc.string({
  unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', '\\"', '\\\\', 'a', ' ', '\n', '\u2028'),
  maxLength: 12,
});
const { value } = fc.letrec<{ value: unknown; array: unknown[]; object: Record<string, unknown> }>(
  (tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      tricky,
      fc.integer(),
      fc.constantFrom(null, true, false),
      tie('array'),
      tie('object'),
    ),
    array: fc.array(tie('value'), { maxLength: 4 }),
    object: fc.dictionary(tricky, tie('value'), { maxKeys: 4 }),
  }),
);

describe('the nesting scanner (nestedDeeperThan)', () => {
  it('gives the depth of the bodies the API accepts', () => {
    expect(scannedDepth('[]')).to.equal(1);
    expect(scannedDepth('[{"event":"start","player_id":"p"}]')).to.equal(2);
    expect(scannedDepth('{"events":[{"event":"end","ts":"2024-01-01T00:00:00Z"}]}')).to.equal(3);
    expect(scannedDepth('{"event":"start"}\n{"event":"end"}')).to.equal(1);
    expect(scannedDepth('"a string"')).to.equal(0);
    expect(scannedDepth('')).to.equal(0);
  });

  it('is deeper than a limit exactly when the nesting exceeds it, for arrays, objects and both', () => {
    for (let n = 0; n <= 40; n++) {
      const arrays = '['.repeat(n) + ']'.repeat(n);
      const objects = '{"a":'.repeat(n) + '1' + '}'.repeat(n);
      const mixed = Array.from({ length: n }, (_, i) => (i % 2 ? '{"k":' : '[')).join('') + '0';
      const closed =
        mixed +
        Array.from({ length: n }, (_, i) => (i % 2 ? '}' : ']'))
          .reverse()
          .join('');
      for (const text of [arrays, objects, closed]) {
        expect(nestedDeeperThan(text, n), text).to.equal(false);
        if (n > 0) expect(nestedDeeperThan(text, n - 1), text).to.equal(true);
      }
    }
  });

  it('counts siblings once: depth is how deep, not how many', () => {
    const wide = `[${Array.from({ length: 1000 }, () => '{"a":[1,2,{}]}').join(',')}]`;
    expect(scannedDepth(wide)).to.equal(4);
  });

  it('ignores brackets inside strings, keys included', () => {
    expect(scannedDepth('["[[[[[[", "{{{{{{", "]]]]"]')).to.equal(1);
    expect(scannedDepth('{"[[[[": "}}}}", "{": "["}')).to.equal(1);
    expect(scannedDepth('[{"player_id":"[{[{[{[{"}]')).to.equal(2);
  });

  it('knows an escaped quote does not end a string, and an escaped backslash does', () => {
    // "\"[[[[" is one string holding a quote and brackets.
    expect(scannedDepth('["\\"[[[["]')).to.equal(1);
    // "\\" is a string holding one backslash; the brackets after it are real.
    expect(scannedDepth('["\\\\", [[[]]]]')).to.equal(4);
    expect(scannedDepth('["\\\\\\"[[", [[]]]')).to.equal(3);
    // A unicode escape of a bracket is a string's character, not a bracket.
    expect(scannedDepth('["\\u005b\\u005b", {"\\u007b": 1}]')).to.equal(2);
  });

  it('cannot be fooled by closing brackets before the opening ones', () => {
    expect(nestedDeeperThan(`${']'.repeat(100)}${'['.repeat(40)}`, 32)).to.equal(true);
    expect(nestedDeeperThan(`${'}'.repeat(100)}${'{"a":'.repeat(40)}`, 32)).to.equal(true);
  });

  it('agrees with JSON.parse on any JSON text, however its strings are made', () => {
    fc.assert(
      fc.property(value, (v) => {
        const text = JSON.stringify(v);
        expect(scannedDepth(text), text).to.equal(depthOf(JSON.parse(text)));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with JSON.parse on texts spliced at random, whenever they still parse', () => {
    const piece = fc.constantFrom('[', ']', '{', '}', '"', '\\', ',', ':', '0', ' ', '[]', '{}');
    fc.assert(
      fc.property(value, fc.nat(), piece, (v, at, inserted) => {
        const text = JSON.stringify(v);
        const cut = at % (text.length + 1);
        const spliced = text.slice(0, cut) + inserted + text.slice(cut);
        let parsed: unknown;
        try {
          parsed = JSON.parse(spliced);
        } catch {
          return; // not JSON: the API refuses it either way
        }
        expect(scannedDepth(spliced), spliced).to.equal(depthOf(parsed));
      }),
      { numRuns: 3000 },
    );
  });
});
