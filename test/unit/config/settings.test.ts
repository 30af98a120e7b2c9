import { expect } from 'chai';
import Joi from 'joi';
import { readSettings, setting, settingsOf } from '../../../src/config/settings.ts';

describe('settings tables', () => {
  const url = setting('URL', Joi.string(), 'redis://here');
  const table = {
    url,
    urlGiven: url.given,
    nested: { hosts: setting('HOSTS', Joi.string(), 'a,b').map((s) => s.split(',')) },
    secret: setting('SECRET', Joi.string()),
  };

  it('places each variable where the table puts it, defaults filled in', () => {
    expect(readSettings(table, {})).to.deep.equal({
      url: 'redis://here',
      urlGiven: false,
      nested: { hosts: ['a', 'b'] },
      secret: undefined,
    });
  });

  it('tells a given variable from a defaulted one, even when the values are equal', () => {
    expect(readSettings(table, { URL: 'redis://here' }).urlGiven).to.be.true;
  });

  it('refuses a table that declares one variable twice', () => {
    const twice = { a: setting('SAME', Joi.string()), b: { c: setting('SAME', Joi.number()) } };
    expect(() => settingsOf(twice)).to.throw(/SAME/);
  });
});
