import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** Files served under /assets/, each with a content hash in its URL so it can be cached for a year. */
export const assetFiles: Record<string, string> = {
  'styles.css': fileURLToPath(new URL('../../client/styles.css', import.meta.url)),
  'htmx.min.js': require.resolve('htmx.org/dist/htmx.min.js'),
  // Passkeys: the WebAuthn browser library (it sets window.SimpleWebAuthnBrowser), then our buttons.
  'webauthn.js': join(dirname(require.resolve('@simplewebauthn/browser')), '../dist/bundle/index.umd.min.js'),
  'passkeys.js': fileURLToPath(new URL('../../client/passkeys.js', import.meta.url)),
  'live.js': fileURLToPath(new URL('../../client/live.js', import.meta.url)),
  'directory.js': fileURLToPath(new URL('../../client/directory.js', import.meta.url)),
};

const versions = new Map<string, string>();

export function assetUrl(name: string): string {
  let version = versions.get(name);
  if (!version) {
    const path = assetFiles[name];
    if (!path) throw new Error(`unknown asset ${name}`);
    version = createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 10);
    versions.set(name, version);
  }
  return `/assets/${version}/${name}`;
}
