import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrCreateVapidKeys } from './keys.js';

describe('the VAPID key pair kept in the data directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mutual-vapid-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is made once, readable by its owner only, and the same after a restart', () => {
    const first = loadOrCreateVapidKeys(dir);
    expect(Buffer.from(first.publicKey, 'base64url')).toHaveLength(65);
    expect(Buffer.from(first.privateKey, 'base64url')).toHaveLength(32);
    expect(statSync(join(dir, 'vapid.json')).mode & 0o777).toBe(0o600);
    expect(loadOrCreateVapidKeys(dir)).toEqual(first);
    expect(JSON.parse(readFileSync(join(dir, 'vapid.json'), 'utf8'))).toEqual(first);
  });

  it('refuses a file that does not hold a pair, rather than replace the keys devices use', () => {
    const other = mkdtempSync(join(tmpdir(), 'mutual-vapid-'));
    try {
      writeFileSync(join(other, 'vapid.json'), '{"publicKey":"x"}');
      expect(() => loadOrCreateVapidKeys(other)).toThrow(/does not hold a VAPID key pair/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
