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

  it('takes a TURN server for circles as URLs and a shared secret, both or neither', () => {
    const base = { SESSION_SECRET: 'x'.repeat(32) };
    expect(loadConfig(base).circles.turn).toBeUndefined();
    const turn = {
      TURN_URLS: 'turn:turn.example.org:3478, turns:turn.example.org:5349?transport=tcp',
      TURN_SECRET: 's'.repeat(32),
    };
    expect(loadConfig({ ...base, ...turn }).circles.turn).toEqual({
      urls: ['turn:turn.example.org:3478', 'turns:turn.example.org:5349?transport=tcp'],
      secret: 's'.repeat(32),
      ttlSeconds: 600,
    });
    expect(loadConfig({ ...base, ...turn, TURN_TTL_SECONDS: '300' }).circles.turn?.ttlSeconds).toBe(300);
    expect(() => loadConfig({ ...base, TURN_URLS: turn.TURN_URLS })).toThrow(/TURN_URLS and TURN_SECRET: set both/);
    expect(() => loadConfig({ ...base, TURN_SECRET: turn.TURN_SECRET })).toThrow(/TURN_URLS and TURN_SECRET/);
    expect(() => loadConfig({ ...base, ...turn, TURN_URLS: 'https://turn.example.org' })).toThrow(
      /TURN_URLS: must be turn: or turns: URLs/,
    );
    expect(() => loadConfig({ ...base, ...turn, TURN_SECRET: 'short' })).toThrow(/TURN_SECRET: must be at least 16/);
    expect(() => loadConfig({ ...base, ...turn, TURN_TTL_SECONDS: '5' })).toThrow(/TURN_TTL_SECONDS/);
  });

  it('takes the Janus media server for circles as the address of its HTTP API', () => {
    const base = { SESSION_SECRET: 'x'.repeat(32) };
    expect(loadConfig(base).circles.janus).toBeUndefined();
    expect(loadConfig({ ...base, JANUS_URL: 'http://127.0.0.1:8088/janus/' }).circles.janus).toEqual({
      url: 'http://127.0.0.1:8088/janus',
    });
    expect(
      loadConfig({ ...base, JANUS_URL: 'http://10.0.0.5:8088/janus', JANUS_API_SECRET: 'abc' }).circles.janus,
    ).toEqual({ url: 'http://10.0.0.5:8088/janus', apiSecret: 'abc' });
    expect(() => loadConfig({ ...base, JANUS_URL: 'janus.example.org' })).toThrow(/JANUS_URL: must start with http/);
  });

  it('holds a circle to CIRCLE_MESH_LIMIT people browser to browser, 6 unless set', () => {
    const base = { SESSION_SECRET: 'x'.repeat(32) };
    expect(loadConfig(base).circles.meshLimit).toBe(6);
    expect(loadConfig({ ...base, CIRCLE_MESH_LIMIT: '4' }).circles.meshLimit).toBe(4);
    expect(() => loadConfig({ ...base, CIRCLE_MESH_LIMIT: '1' })).toThrow(/CIRCLE_MESH_LIMIT: must be a whole number/);
    expect(() => loadConfig({ ...base, CIRCLE_MESH_LIMIT: 'many' })).toThrow(/CIRCLE_MESH_LIMIT/);
  });

  it('documents every variable in the README', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const name of Object.keys(settings)) expect(readme, name).toContain(`| \`${name}\``);
  });
});
