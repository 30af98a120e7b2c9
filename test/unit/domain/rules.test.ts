import { expect } from 'chai';
import {
  VISIBLE_TEXT,
  batchEvents,
  countryCode,
  hours,
  idempotencyKey,
  identifier,
  limit,
  obeys,
} from '../../../src/domain/rules.ts';

describe('the input rules', () => {
  it('refuses exactly whitespace and the control characters (\\p{Cc}), with or without the u flag', () => {
    const reference = /^[^\s\p{Cc}]+$/u;
    const plain = new RegExp(VISIBLE_TEXT.source);
    const unicode = new RegExp(VISIBLE_TEXT.source, 'u');
    for (let code = 0; code <= 0xffff; code++) {
      const text = `a${String.fromCharCode(code)}`;
      const expected = reference.test(text);
      expect(plain.test(text), `U+${code.toString(16)}`).to.equal(expected);
      expect(unicode.test(text), `U+${code.toString(16)} u`).to.equal(expected);
    }
    expect(plain.test('🎮')).to.be.true;
  });

  it('takes identifiers of 1 to 64 characters without whitespace or control characters', () => {
    const id = identifier('player_id');
    for (const ok of ['p', 'x'.repeat(64), 'sessão-ü', '674606b1-2270-4285-928f-eef4a6b90a60'])
      expect(obeys(id, ok), ok).to.be.true;
    for (const bad of ['', 'x'.repeat(65), 'a b', 'a\u0085', 42, undefined])
      expect(obeys(id, bad), String(bad)).to.be.false;
  });

  it('takes two ASCII letters of any case as a country', () => {
    for (const ok of ['FI', 'fi', 'Fi']) expect(obeys(countryCode, ok), ok).to.be.true;
    for (const bad of ['FIN', 'F', 'F1', 'FÏ', ''])
      expect(obeys(countryCode, bad), bad).to.be.false;
  });

  it('takes 1 to 128 visible ASCII characters as an idempotency key', () => {
    expect(obeys(idempotencyKey, '~'.repeat(128))).to.be.true;
    for (const bad of ['', '~'.repeat(129), 'a b', 'é'])
      expect(obeys(idempotencyKey, bad), bad).to.be.false;
  });

  it('takes hours in (0, 8760] and limits from 1 to 20, numbers only', () => {
    expect([0.001, 24, 8760].map((h) => obeys(hours, h))).to.deep.equal([true, true, true]);
    expect([0, -1, 8760.001, '24'].map((h) => obeys(hours, h))).to.deep.equal([
      false,
      false,
      false,
      false,
    ]);
    expect([1, 20].map((n) => obeys(limit, n))).to.deep.equal([true, true]);
    expect([0, 21, 1.5, '5'].map((n) => obeys(limit, n))).to.deep.equal([
      false,
      false,
      false,
      false,
    ]);
  });

  it('holds a batch to 1 to the configured number of events', () => {
    expect(obeys(batchEvents(2), [1])).to.be.true;
    expect(obeys(batchEvents(2), [1, 2])).to.be.true;
    expect(obeys(batchEvents(2), [])).to.be.false;
    expect(obeys(batchEvents(2), [1, 2, 3])).to.be.false;
  });
});
