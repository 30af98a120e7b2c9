import { expect } from 'chai';
import fc from 'fast-check';
import { decide, type Variant } from '../../../src/domain/pairing.ts';

const S = 's-1';
const start = (ts: number, country = 'FI', playerId = 'p1'): Variant => ({
  kind: 'start',
  ts,
  playerId,
  country,
});
const end = (ts: number, playerId = 'p1'): Variant => ({ kind: 'end', ts, playerId, country: '' });

describe('pairing decisions', () => {
  it('completes a session once both halves are present, in either order', () => {
    for (const view of [
      [start(1000), end(61_000)],
      [end(61_000), start(1000)],
    ]) {
      const d = decide(S, view);
      expect(d.completed).to.deep.equal({
        playerId: 'p1',
        sessionId: S,
        startTs: 1000,
        endTs: 61_000,
        country: 'FI',
      });
      expect(d.anomaly).to.be.undefined;
      expect(d.retracted).to.deep.equal([]);
      expect(d.sessionVersion).to.equal(2);
    }
  });

  it('completes nothing with one half only, and marks the lone start live', () => {
    const onlyStart = decide(S, [start(1000)]);
    expect(onlyStart.completed).to.be.undefined;
    expect(onlyStart.startFacts).to.deep.equal([{ variant: start(1000), live: true }]);
    expect(onlyStart.startVersion).to.equal(1);
    const onlyEnd = decide(S, [end(1000)]);
    expect(onlyEnd.completed).to.be.undefined;
    expect(onlyEnd.startFacts).to.deep.equal([]);
    expect(onlyEnd.retracted).to.deep.equal([]);
  });

  it('accepts a session of zero length', () => {
    expect(decide(S, [start(5000), end(5000)]).completed?.endTs).to.equal(5000);
  });

  it('reports an end before its start as an anomaly, not a completed session', () => {
    const d = decide(S, [start(5000), end(4999)]);
    expect(d.completed).to.be.undefined;
    expect(d.anomaly).to.equal('end_before_start');
    // The start still counts as a start.
    expect(d.startFacts).to.deep.equal([{ variant: start(5000), live: true }]);
  });

  it('reports halves of different players as an anomaly', () => {
    const d = decide(S, [start(1000, 'FI', 'p1'), end(2000, 'p2')]);
    expect(d.completed).to.be.undefined;
    expect(d.anomaly).to.equal('player_mismatch');
  });

  describe('conflicting duplicates', () => {
    it('keeps the earliest start live and the others as dead facts', () => {
      const d = decide(S, [start(3000, 'SE'), start(1000, 'FI'), end(9000)]);
      expect(d.conflicting).to.be.true;
      expect(d.start).to.deep.equal(start(1000, 'FI'));
      expect(d.startFacts.map((f) => [f.variant.ts, f.live])).to.deep.equal([
        [1000, true],
        [3000, false],
      ]);
      expect(d.startVersion).to.equal(2);
      expect(d.completed?.startTs).to.equal(1000);
      expect(d.completed?.country).to.equal('FI');
    });

    it('breaks a tie on ts by country, then by player id', () => {
      expect(decide(S, [start(1000, 'SE'), start(1000, 'FI')]).start?.country).to.equal('FI');
      expect(
        decide(S, [start(1000, 'FI', 'pb'), start(1000, 'FI', 'pa')]).start?.playerId,
      ).to.equal('pa');
    });

    it('pairs with the earliest end and retracts the rows the other ends would give', () => {
      const d = decide(S, [start(1000), end(9000), end(5000)]);
      expect(d.completed?.endTs).to.equal(5000);
      expect(d.retracted).to.deep.equal([{ playerId: 'p1', endTs: 9000 }]);
      expect(d.sessionVersion).to.equal(3);
    });

    it('retracts every end row when the chosen start belongs to another player', () => {
      const d = decide(S, [start(2000, 'FI', 'p1'), start(1000, 'FI', 'p2'), end(9000, 'p1')]);
      expect(d.completed).to.be.undefined;
      expect(d.anomaly).to.equal('player_mismatch');
      expect(d.retracted).to.deep.equal([{ playerId: 'p1', endTs: 9000 }]);
    });
  });

  it('decides the same whatever order the variants come in', () => {
    const variant = fc.oneof(
      fc.record({
        kind: fc.constant('start' as const),
        ts: fc.integer({ min: 0, max: 20 }),
        playerId: fc.constantFrom('p1', 'p2'),
        country: fc.constantFrom('FI', 'SE'),
      }),
      fc.record({
        kind: fc.constant('end' as const),
        ts: fc.integer({ min: 0, max: 20 }),
        playerId: fc.constantFrom('p1', 'p2'),
        country: fc.constant(''),
      }),
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(variant, { selector: (v) => JSON.stringify(v), maxLength: 6 }),
        fc.nat(),
        (variants, seed) => {
          const shuffled = [...variants].sort(
            (a, b) =>
              ((JSON.stringify(a).length * 31 + seed) % 7) -
              ((JSON.stringify(b).length * 17 + seed) % 5),
          );
          const a = decide(S, variants);
          const b = decide(S, shuffled);
          expect(b.completed).to.deep.equal(a.completed);
          expect(b.anomaly).to.equal(a.anomaly);
          expect(b.startFacts.map((f) => [f.variant, f.live])).to.deep.equal(
            a.startFacts.map((f) => [f.variant, f.live]),
          );
          expect(new Set(b.retracted.map((k) => JSON.stringify(k)))).to.deep.equal(
            new Set(a.retracted.map((k) => JSON.stringify(k))),
          );
        },
      ),
    );
  });

  it('converges: applying the writes of every view, in any order, leaves what the largest view implies', () => {
    // A model of Cassandra's reconciliation for these writes: the higher write timestamp wins; on a
    // tie a deletion wins, then the larger value.
    type Cell = { version: number; value: string | null };
    const write = (
      store: Map<string, Cell>,
      key: string,
      version: number,
      value: string | null,
    ) => {
      const current = store.get(key);
      const wins =
        !current ||
        version > current.version ||
        (version === current.version &&
          (value === null || (current.value !== null && value > current.value)));
      if (wins) store.set(key, { version, value });
    };
    const apply = (store: Map<string, Cell>, d: ReturnType<typeof decide>) => {
      if (d.completed)
        write(
          store,
          `row:${d.completed.playerId}:${d.completed.endTs}`,
          d.sessionVersion,
          JSON.stringify(d.completed),
        );
      for (const k of d.retracted)
        write(store, `row:${k.playerId}:${k.endTs}`, d.sessionVersion, null);
      for (const f of d.startFacts)
        write(store, `fact:${JSON.stringify(f.variant)}`, d.startVersion, String(f.live));
    };
    const visible = (store: Map<string, Cell>) =>
      new Map([...store].filter(([, c]) => c.value !== null).map(([k, c]) => [k, c.value]));

    const variant = fc.record({
      kind: fc.constantFrom('start' as const, 'end' as const),
      ts: fc.integer({ min: 0, max: 30 }),
      playerId: fc.constantFrom('p1', 'p2'),
      country: fc.constantFrom('FI', 'SE'),
    });
    fc.assert(
      fc.property(
        fc.array(variant, { minLength: 1, maxLength: 7 }),
        fc.array(fc.nat(), { minLength: 7, maxLength: 7 }),
        (raw, order) => {
          const variants = raw
            .map((v) => ({ ...v, country: v.kind === 'start' ? v.country : '' }))
            .filter(
              (v, i, all) => all.findIndex((w) => JSON.stringify(w) === JSON.stringify(v)) === i,
            );
          // Every worker sees a prefix of the variants (writes land in some order, each worker reads
          // after its own write); their decisions are applied in an arbitrary order.
          const decisions = variants.map((_, n) => decide(S, variants.slice(0, n + 1)));
          const shuffled = decisions
            .map((d, i) => ({ d, key: order[i] ?? i }))
            .sort((a, b) => a.key - b.key)
            .map((x) => x.d);
          const store = new Map<string, Cell>();
          for (const d of shuffled) apply(store, d);
          const expected = new Map<string, Cell>();
          apply(expected, decisions.at(-1)!);
          expect(visible(store)).to.deep.equal(visible(expected));
        },
      ),
      { numRuns: 3000 },
    );
  });
});
