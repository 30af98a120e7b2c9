import { expect } from 'chai';
import { countsQueueName } from '../../../src/queue/counts-queue.ts';
import { erasuresQueueName } from '../../../src/queue/erasures-queue.ts';
import { TestService } from '../../helpers/service.ts';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('Bull Board at /admin/queues', function () {
  this.timeout(30_000);

  describe('with ADMIN_PASSWORD set', () => {
    let service: TestService;
    before(async () => {
      service = await TestService.start({
        workers: 0,
        overrides: { ADMIN_USER: 'ops', ADMIN_PASSWORD: 'correct horse battery' },
      });
    });
    after(async () => {
      await service.close();
    });

    it('asks for credentials without them (401 with a Basic challenge)', async () => {
      const response = await fetch(`${service.api.url}/admin/queues`);
      expect(response.status).to.equal(401);
      expect(response.headers.get('www-authenticate')).to.match(/^Basic realm=/);
      expect(((await response.json()) as { error: { code: string } }).error.code).to.equal(
        'unauthorized',
      );
    });

    it('refuses a wrong password, a wrong user, and protects the board’s API too', async () => {
      for (const [path, authorization] of [
        ['/admin/queues', basic('ops', 'wrong')],
        ['/admin/queues', basic('admin', 'correct horse battery')],
        ['/admin/queues/api/queues', basic('ops', 'correct horse batter')],
        ['/admin/queues/api/queues', 'Bearer abc'],
      ] as const) {
        const response = await fetch(`${service.api.url}${path}`, { headers: { authorization } });
        expect(response.status, `${path} ${authorization}`).to.equal(401);
        await response.body?.cancel();
      }
    });

    it('serves the board with the right credentials, listing the events queue, its rollups’ and the erasures’', async () => {
      const authorization = basic('ops', 'correct horse battery');
      const page = await fetch(`${service.api.url}/admin/queues`, { headers: { authorization } });
      expect(page.status).to.equal(200);
      expect(page.headers.get('content-type')).to.match(/text\/html/);
      await page.body?.cancel();
      const api = await fetch(`${service.api.url}/admin/queues/api/queues`, {
        headers: { authorization },
      });
      expect(api.status).to.equal(200);
      const body = (await api.json()) as { queues: { name: string }[] };
      expect(body.queues.map((q) => q.name)).to.deep.equal([
        service.config.queue.name,
        countsQueueName(service.config.queue),
        erasuresQueueName(service.config.queue),
      ]);
    });

    it('leaves every other route without authentication', async () => {
      expect((await fetch(`${service.api.url}/healthz`)).status).to.equal(200);
    });
  });

  describe('without ADMIN_PASSWORD', () => {
    let service: TestService;
    before(async () => {
      service = await TestService.start({ workers: 0 });
    });
    after(async () => {
      await service.close();
    });

    it('is not there at all', async () => {
      const response = await fetch(`${service.api.url}/admin/queues`, {
        headers: { authorization: basic('admin', 'anything') },
      });
      expect(response.status).to.equal(404);
      await response.body?.cancel();
    });
  });
});
