import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, settings } from '../src/config.js';

describe('configuration', () => {
  it('has defaults that start Mutual on the embedded database at port 3000', () => {
    const config = loadConfig({ SESSION_SECRET: 'x'.repeat(32) });
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toMatch(/data$/);
    expect(config.secureCookies).toBe(false);
  });

  it('marks cookies Secure when the site is served over https', () => {
    expect(loadConfig({ SESSION_SECRET: 'x'.repeat(32), BASE_URL: 'https://groups.example.org' }).secureCookies).toBe(
      true,
    );
  });

  it('stops with a message naming a bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', SESSION_SECRET: 'x'.repeat(32) })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x', SESSION_SECRET: 'x'.repeat(32) })).toThrow(/DATABASE_URL/);
  });

  it('runs web and jobs in one process by default, without Redis', () => {
    const config = loadConfig({ SESSION_SECRET: 'x'.repeat(32) });
    expect(config.role).toBe('all');
    expect(config.webProcesses).toBe(1);
    expect(config.redis).toBeUndefined();
  });

  it('kindly refuses to split the embedded database between processes', () => {
    const base = { SESSION_SECRET: 'x'.repeat(32) };
    expect(() => loadConfig({ ...base, MUTUAL_ROLE: 'worker' })).toThrow(
      /MUTUAL_ROLE=worker needs DATABASE_URL: the embedded database belongs to one process/,
    );
    expect(() => loadConfig({ ...base, MUTUAL_ROLE: 'web' })).toThrow(/MUTUAL_ROLE=web needs DATABASE_URL/);
    expect(() => loadConfig({ ...base, WEB_PROCESSES: '4', REDIS_URL: 'redis://localhost:6379' })).toThrow(
      /WEB_PROCESSES=4 needs DATABASE_URL: the embedded database can be opened by only one process/,
    );
    expect(() => loadConfig({ ...base, MUTUAL_ROLE: 'sometimes' })).toThrow(/MUTUAL_ROLE: must be all, web or worker/);
  });

  it('runs several web processes and workers on PostgreSQL with Redis', () => {
    const server = { SESSION_SECRET: 'x'.repeat(32), DATABASE_URL: 'postgres://localhost/mutual' };
    expect(() => loadConfig({ ...server, WEB_PROCESSES: '4' })).toThrow(/WEB_PROCESSES=4 needs REDIS_URL/);
    const config = loadConfig({ ...server, WEB_PROCESSES: '4', REDIS_URL: 'redis://localhost:6379' });
    expect(config.webProcesses).toBe(4);
    expect(config.redis).toEqual({ url: 'redis://localhost:6379', prefix: 'mutual:' });
    expect(loadConfig({ ...server, MUTUAL_ROLE: 'worker' }).role).toBe('worker');
    expect(() => loadConfig({ ...server, REDIS_URL: 'http://localhost' })).toThrow(/REDIS_URL/);
  });

  it('takes a VAPID key pair for push, or none (one is then kept in DATA_DIR), and a subject', () => {
    const base = { SESSION_SECRET: 'x'.repeat(32) };
    const pair = {
      VAPID_PUBLIC_KEY: `B${'A'.repeat(86)}`,
      VAPID_PRIVATE_KEY: 'A'.repeat(43),
    };
    expect(loadConfig(base).push).toEqual({
      vapid: undefined,
      subject: 'mailto:no-reply@localhost',
      allowPrivateEndpoints: false,
    });
    expect(loadConfig({ ...base, ...pair, BASE_URL: 'https://groups.example.org/' }).push).toEqual({
      vapid: { publicKey: pair.VAPID_PUBLIC_KEY, privateKey: pair.VAPID_PRIVATE_KEY },
      subject: 'https://groups.example.org',
      allowPrivateEndpoints: false,
    });
    expect(() => loadConfig({ ...base, VAPID_PUBLIC_KEY: pair.VAPID_PUBLIC_KEY })).toThrow(
      /VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY: set both/,
    );
    expect(() => loadConfig({ ...base, ...pair, VAPID_PRIVATE_KEY: 'short' })).toThrow(/VAPID_PRIVATE_KEY: must be/);
    expect(() => loadConfig({ ...base, VAPID_SUBJECT: 'http://example.org' })).toThrow(/VAPID_SUBJECT/);
    expect(loadConfig({ ...base, VAPID_SUBJECT: 'mailto:ops@example.org' }).push.subject).toBe(
      'mailto:ops@example.org',
    );
    expect(loadConfig({ ...base, PUSH_PRIVATE_NETWORK: 'on' }).push.allowPrivateEndpoints).toBe(true);
  });

  it('documents every variable in the README', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const name of Object.keys(settings)) expect(readme, name).toContain(`| \`${name}\``);
  });
});
