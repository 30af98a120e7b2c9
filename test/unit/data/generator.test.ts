import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { expect } from 'chai';
import { COUNTRY_CODES } from '../../../ops/data/countries.ts';
import { formatLine, type PublicEvent } from '../../../ops/data/event-format.ts';
import { EventGenerator, type GeneratorOptions } from '../../../ops/data/generator.ts';

const SAMPLE = new URL('../../fixtures/sample-first100.jsonl', import.meta.url);
const END = Date.parse('2016-12-01T00:00:00Z');
const DAY = 86_400_000;
const OPTIONS: GeneratorOptions = { events: 20_000, days: 30, seed: 42, endMs: END };

const START_LINE =
  /^\{"player_id": "[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}", "country": "[A-Z]{2}", "event": "start", "session_id": "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", "ts": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d"\}$/;
const END_LINE =
  /^\{"player_id": "[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}", "event": "end", "session_id": "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", "ts": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d"\}$/;

const lines = (options: GeneratorOptions) =>
  [...new EventGenerator(options).events()].map(formatLine);
const digest = (text: string[]) => createHash('sha256').update(text.join('\n')).digest('hex');
const ms = (e: PublicEvent) => Date.parse(`${e.ts}Z`);

describe('the data set generator', () => {
  const generator = new EventGenerator(OPTIONS);
  const events = [...generator.events()];
  const text = events.map(formatLine);
  const sessions = new Map<string, { start?: PublicEvent; end?: PublicEvent }>();
  events.forEach((e) => {
    const s = sessions.get(e.session_id) ?? {};
    s[e.event] = e;
    sessions.set(e.session_id, s);
  });
  const complete = [...sessions.values()].filter((s) => s.start && s.end) as {
    start: PublicEvent;
    end: PublicEvent;
  }[];

  it('writes lines byte for byte like the public sample: its 100 lines come out unchanged', () => {
    const sample = fs.readFileSync(SAMPLE, 'utf8').trim().split('\n');
    for (const line of sample) expect(formatLine(JSON.parse(line) as PublicEvent)).to.equal(line);
  });

  it('makes exactly the requested number of events, every one in the shape of the data set', () => {
    expect(text).to.have.length(20_000);
    const misfits = text.filter((l) => !START_LINE.test(l) && !END_LINE.test(l));
    expect(misfits).to.deep.equal([]);
  });

  it('never repeats an event, and never gives the two halves of a session different players', () => {
    expect(new Set(events.map((e) => `${e.session_id}|${e.event}`)).size).to.equal(events.length);
    for (const s of complete) expect(s.start.player_id).to.equal(s.end.player_id);
  });

  it('leaves a few sessions half-open, as rarely as the real data does', () => {
    const startsOnly = [...sessions.values()].filter((s) => s.start && !s.end).length;
    const endsOnly = [...sessions.values()].filter((s) => !s.start && s.end).length;
    expect(startsOnly).to.equal(generator.figures.orphanStarts).and.be.within(1, 3);
    expect(endsOnly).to.equal(generator.figures.orphanEnds).and.be.within(1, 3);
    expect(complete).to.have.length(generator.figures.completeSessions);
    expect(sessions.size).to.equal(generator.figures.sessions);
  });

  it('gives about one player per 51 events, each with 1 to 50 completed sessions that never overlap', () => {
    const byPlayer = new Map<string, { start: number; end: number }[]>();
    for (const s of complete) {
      const list = byPlayer.get(s.start.player_id) ?? [];
      list.push({ start: ms(s.start), end: ms(s.end) });
      byPlayer.set(s.start.player_id, list);
    }
    expect(byPlayer.size).to.equal(generator.figures.players).and.be.within(350, 450);
    for (const list of byPlayer.values()) {
      expect(list.length).to.be.within(1, 50);
      list.sort((a, b) => a.start - b.start);
      list.slice(1).forEach((s, i) => expect(s.start).to.be.at.least(list[i]!.end));
    }
    const counts = [...byPlayer.values()].map((l) => l.length);
    expect(Math.max(...counts)).to.be.at.least(45);
    expect(Math.min(...counts)).to.be.at.most(5);
  });

  it('spreads the events over every day of the window and never outside it', () => {
    const times = events.map(ms);
    expect(Math.min(...times)).to.be.at.least(END - 30 * DAY);
    expect(Math.max(...times)).to.be.at.most(END);
    const perDay = new Array<number>(30).fill(0);
    for (const t of times) perDay[Math.min(29, Math.floor((t - (END - 30 * DAY)) / DAY))]! += 1;
    // Every day holds a fair share: at least half of the average.
    expect(Math.min(...perDay)).to.be.above(20_000 / 30 / 2);
  });

  it('makes sessions last minutes to hours, never ending before they start', () => {
    const durations = complete.map((s) => (ms(s.end) - ms(s.start)) / 1000).sort((a, b) => a - b);
    expect(durations[0]).to.be.at.least(60);
    expect(durations.at(-1)).to.be.at.most(8 * 3600);
    const median = durations[durations.length >> 1]!;
    expect(median).to.be.within(15 * 60, 40 * 60);
    expect(durations.filter((d) => d > 3600).length / durations.length).to.be.within(0.05, 0.4);
  });

  it('shuffles the file: not in time order, and ends often come before their starts', () => {
    const times = events.map(ms);
    const descents = times.slice(1).filter((t, i) => t < times[i]!).length / times.length;
    expect(descents).to.be.within(0.4, 0.6);
    const position = new Map(events.map((e, i) => [`${e.session_id}|${e.event}`, i]));
    const endFirst = complete.filter(
      (s) =>
        position.get(`${s.end.session_id}|end`)! < position.get(`${s.start.session_id}|start`)!,
    ).length;
    expect(endFirst / complete.length).to.be.within(0.4, 0.6);
  });

  it('draws real country codes with a skewed popularity', () => {
    const starts = events.filter((e) => e.event === 'start');
    const byCountry = new Map<string, number>();
    for (const e of starts) byCountry.set(e.country!, (byCountry.get(e.country!) ?? 0) + 1);
    for (const code of byCountry.keys()) expect(COUNTRY_CODES).to.include(code);
    expect(byCountry.size).to.be.within(100, 246);
    const top = Math.max(...byCountry.values()) / starts.length;
    expect(top).to.be.above(10 / 246);
  });

  it('writes the same bytes for the same options, and other bytes for another seed', () => {
    expect(digest(lines(OPTIONS))).to.equal(digest(text));
    expect(digest(lines({ ...OPTIONS, seed: 43 }))).to.not.equal(digest(text));
  });

  it('moves every ts by the same amount, and nothing else, when only the end of the window moves', () => {
    const later = [...new EventGenerator({ ...OPTIONS, endMs: END + 3 * DAY + 7000 }).events()];
    later.forEach((e, i) => {
      expect({ ...e, ts: '' }).to.deep.equal({ ...events[i], ts: '' });
      expect(ms(e) - ms(events[i]!)).to.equal(3 * DAY + 7000);
    });
  });

  it('refuses sizes it cannot make', () => {
    expect(() => new EventGenerator({ ...OPTIONS, events: 1 })).to.throw(RangeError);
    expect(() => new EventGenerator({ ...OPTIONS, events: 2.5 })).to.throw(RangeError);
    expect(() => new EventGenerator({ ...OPTIONS, days: 0 })).to.throw(RangeError);
    expect(() => new EventGenerator({ ...OPTIONS, days: Number.NaN })).to.throw(RangeError);
  });
});
