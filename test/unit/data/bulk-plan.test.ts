import { expect } from 'chai';
import { BulkPlanner, bulkBatchKey } from '../../../ops/data/bulk-plan.ts';
import { formatLine } from '../../../ops/data/event-format.ts';
import { EventGenerator } from '../../../ops/data/generator.ts';

const END = Date.UTC(2026, 10, 23, 12);
const fileLines = (events: number, seed = 5) =>
  [...new EventGenerator({ events, days: 3, seed, endMs: END }).events()].map(formatLine);

function planned(lines: readonly string[], maxEvents: number) {
  const planner = new BulkPlanner();
  for (const line of lines) planner.add(line);
  const batches = planner.plan(maxEvents).map((batch) => batch.map((i) => planner.line(i)));
  return { planner, batches };
}
const parsed = (line: string) => JSON.parse(line) as { session_id: string; ts: string };

describe('planning bulk batches', () => {
  it('puts every line of a session in the same batch, wherever the file has them', () => {
    const lines = fileLines(3000);
    const { batches } = planned(lines, 100);
    const batchOf = new Map<string, number>();
    batches.forEach((batch, b) => {
      for (const line of batch) {
        const session = parsed(line).session_id;
        expect(batchOf.get(session) ?? b, session).to.equal(b);
        batchOf.set(session, b);
      }
    });
    // The generator writes the halves far apart, ends often first: grouping did the work.
    const position = new Map<string, number>();
    const apart = lines.filter((line, i) => {
      const s = parsed(line).session_id;
      const first = position.get(s);
      position.set(s, i);
      return first !== undefined && i - first > 100;
    });
    expect(apart.length).to.be.greaterThan(100);
  });

  it('sends every line once, in batches of at most the size asked for', () => {
    const lines = fileLines(3001);
    const { batches } = planned(lines, 64);
    expect(batches.every((b) => b.length >= 1 && b.length <= 64)).to.be.true;
    expect(batches.flat().sort()).to.deep.equal([...lines].sort());
    // Whole sessions of one or two lines leave at most one slot unused per batch.
    expect(batches.slice(0, -1).every((b) => b.length >= 63)).to.be.true;
  });

  it('orders sessions by their earliest ts, so batches follow the time of the data', () => {
    const { batches } = planned(fileLines(2000), 50);
    const earliest = batches.map((batch) => {
      const bySession = new Map<string, number>();
      for (const line of batch) {
        const { session_id: s, ts } = parsed(line);
        bySession.set(s, Math.min(bySession.get(s) ?? Infinity, Date.parse(`${ts}Z`)));
      }
      return [...bySession.values()];
    });
    for (let b = 1; b < earliest.length; b++)
      expect(Math.min(...earliest[b]!)).to.be.at.least(Math.max(...earliest[b - 1]!));
  });

  it('splits only a session with more lines than a batch holds', () => {
    // Seven copies of one end, older than the rest of the file: it goes first.
    const dup = formatLine({
      player_id: 'p',
      event: 'end',
      session_id: 's',
      ts: '2020-01-01T00:00:00',
    });
    const { batches } = planned([...fileLines(6), ...Array<string>(7).fill(dup)], 3);
    expect(batches.slice(0, 2)).to.deep.equal([Array(3).fill(dup), Array(3).fill(dup)]);
    expect(batches[2]![0]).to.equal(dup);
    expect(batches.flat()).to.have.length(13);
    expect(batches.every((b) => b.length <= 3)).to.be.true;
  });

  it('refuses lines that are not JSON and keeps lines without a session id, each on its own', () => {
    const planner = new BulkPlanner();
    expect(planner.add('{"event":')).to.be.false;
    expect(planner.add('"just a string"')).to.be.true;
    expect(planner.add('{"event": "start"}')).to.be.true;
    expect(planner.size).to.equal(2);
    expect(planner.plan(10)).to.deep.equal([[0, 1]]);
  });

  it('knows the newest valid ts, for --rebase-to-now', () => {
    const { planner } = planned(
      [
        formatLine({ player_id: 'p', event: 'end', session_id: 'a', ts: '2026-11-23T10:00:00' }),
        formatLine({ player_id: 'p', event: 'end', session_id: 'b', ts: '2026-11-23T11:00:00' }),
        '{"session_id": "c", "ts": "not a time"}',
      ],
      10,
    );
    expect(planner.newestMs).to.equal(Date.UTC(2026, 10, 23, 11));
  });

  it('plans the same file into the same batches every time, whatever the batch size of the call before', () => {
    const lines = fileLines(1500, 9);
    expect(planned(lines, 40).batches).to.deep.equal(planned(lines, 40).batches);
    const planner = new BulkPlanner();
    for (const line of lines) planner.add(line);
    planner.plan(7);
    expect(planner.plan(40).map((b) => b.map((i) => planner.line(i)))).to.deep.equal(
      planned(lines, 40).batches,
    );
  });

  it('derives each batch key from its content: the same body the same key, any change another', () => {
    const body = fileLines(10).join('\n');
    expect(bulkBatchKey(body)).to.equal(bulkBatchKey(body));
    expect(bulkBatchKey(body)).to.match(/^bulk-[A-Za-z0-9_-]{43}$/);
    expect(bulkBatchKey(`${body} `)).to.not.equal(bulkBatchKey(body));
    expect(bulkBatchKey(body.replace('start', 'end'))).to.not.equal(bulkBatchKey(body));
  });
});
