import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/log.js';
import { createWorld, type TestWorld } from '../helpers/app.js';

describe('the request log', () => {
  const lines: string[] = [];
  let world: TestWorld;
  beforeAll(async () => {
    world = await createWorld({
      logger: createLogger('info', 'web', { write: (line: string) => void lines.push(line) }),
    });
    await world.createUser('Admin');
  });
  afterAll(() => world.close());

  it('keeps the method and path of a request, never its query, cookies or address', async () => {
    const res = await world.app.inject({
      method: 'GET',
      url: '/help?country=GB&q=my+mum+has+dementia',
      headers: { cookie: 'mutual_session=secret-token', 'x-forwarded-for': '203.0.113.7' },
      remoteAddress: '198.51.100.9',
    });
    expect(res.statusCode).toBe(200);
    const log = lines.join('');
    expect(log).toContain('"url":"/help"');
    expect(log).not.toMatch(/dementia|secret-token|198\.51\.100\.9|203\.0\.113\.7/);
  });
});
