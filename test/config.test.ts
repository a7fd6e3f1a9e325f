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

  it('documents every variable in the README', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const name of Object.keys(settings)) expect(readme, name).toContain(`| \`${name}\``);
  });
});
