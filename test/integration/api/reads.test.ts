import { expect } from 'chai';
import { TestService } from '../../helpers/service.ts';

describe('GET views: parameters', function () {
  this.timeout(30_000);
  let service: TestService;

  before(async () => {
    service = await TestService.start({ workers: 0 });
  });
  after(async () => {
    await service.close();
  });

  const code = (body: Record<string, unknown>) =>
    (body.error as { code: string } | undefined)?.code;

  for (const hours of ['', '0', '-1', '8761', 'abc', '1e3', 'Infinity', '1&hours=2']) {
    it(`refuses hours=${JSON.stringify(hours)} with invalid_hours`, async () => {
      for (const path of ['/v1/countries/starts', '/v1/countries/FI/starts']) {
        const result = await service.get(`${path}?hours=${hours}`);
        expect(result.status, path).to.equal(400);
        expect(code(result.body)).to.equal('invalid_hours');
      }
    });
  }

  it('refuses a missing hours parameter', async () => {
    expect(code((await service.get('/v1/countries/starts')).body)).to.equal('invalid_hours');
  });

  it('answers an empty window with zero starts and the exact window', async () => {
    const result = await service.get<{
      from: string;
      to: string;
      hours: number;
      total: number;
      countries: unknown[];
    }>('/v1/countries/starts?hours=0.5');
    expect(result.status).to.equal(200);
    expect(result.body.total).to.equal(0);
    expect(result.body.countries).to.deep.equal([]);
    expect(result.body.hours).to.equal(0.5);
    expect(Date.parse(result.body.to) - Date.parse(result.body.from)).to.equal(30 * 60_000);
    expect(result.body.to).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/);
  });

  it('takes the country code in any case and refuses a malformed one', async () => {
    const lower = await service.get<{ country: string }>('/v1/countries/fi/starts?hours=1');
    expect(lower.status).to.equal(200);
    expect(lower.body.country).to.equal('FI');
    for (const bad of ['FIN', 'F', '12', 'F%C3%8F']) {
      const result = await service.get(`/v1/countries/${bad}/starts?hours=1`);
      expect(result.status, bad).to.equal(400);
      expect(code(result.body)).to.equal('invalid_country');
    }
  });

  it('gives a player without sessions an empty list, and refuses bad ids and limits', async () => {
    expect((await service.get('/v1/players/nobody/sessions')).body).to.deep.equal({
      player_id: 'nobody',
      sessions: [],
    });
    expect(code((await service.get(`/v1/players/${'x'.repeat(65)}/sessions`)).body)).to.equal(
      'invalid_player_id',
    );
    expect(code((await service.get('/v1/players/a%20b/sessions')).body)).to.equal(
      'invalid_player_id',
    );
    for (const limit of ['0', '21', 'x', '-1', '1.5', '']) {
      const result = await service.get(`/v1/players/p/sessions?limit=${limit}`);
      expect(result.status, limit).to.equal(400);
      expect(code(result.body)).to.equal('invalid_limit');
    }
    expect((await service.get('/v1/players/p/sessions?limit=20')).status).to.equal(200);
  });
});
