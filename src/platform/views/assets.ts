import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const require = createRequire(import.meta.url);

/** Files served under /assets/, each with a content hash in its URL so it can be cached for a year. */
export const assetFiles: Record<string, string> = {
  'styles.css': fileURLToPath(new URL('../../client/styles.css', import.meta.url)),
  'htmx.min.js': require.resolve('htmx.org/dist/htmx.min.js'),
  // Passkeys: the WebAuthn browser library (it sets window.SimpleWebAuthnBrowser), then our buttons.
  'webauthn.js': join(dirname(require.resolve('@simplewebauthn/browser')), '../dist/bundle/index.umd.min.js'),
  'passkeys.js': fileURLToPath(new URL('../../client/passkeys.js', import.meta.url)),
  'live.js': fileURLToPath(new URL('../../client/live.js', import.meta.url)),
  // The header's notification count, live, on every page of someone signed in.
  'bell.js': fileURLToPath(new URL('../../client/bell.js', import.meta.url)),
  'directory.js': fileURLToPath(new URL('../../client/directory.js', import.meta.url)),
  'mentions.js': fileURLToPath(new URL('../../client/mentions.js', import.meta.url)),
  'conversation.js': fileURLToPath(new URL('../../client/conversation.js', import.meta.url)),
  // Every page: registers the service worker (offline page, push). /account/push: turning push on.
  'sw-register.js': fileURLToPath(new URL('../../client/sw-register.js', import.meta.url)),
  'push.js': fileURLToPath(new URL('../../client/push.js', import.meta.url)),
  // Photos and files in a post's or message's form: uploaded when chosen, dropped or pasted.
  'attach.js': fileURLToPath(new URL('../../client/attach.js', import.meta.url)),
  // Before joining a voice or video circle: the microphone's level, the camera, the device pickers.
  'device-check.js': fileURLToPath(new URL('../../client/device-check.js', import.meta.url)),
};

export const PREACT_BUNDLE = 'preact.js';

/**
 * Islands: Preact components the server renders into a page and the browser hydrates, bundled
 * with esbuild from their entry (src/client/islands/…) the first time they are asked for, then
 * kept for the life of the process. From the sources under `npm start`, from the compiled
 * JavaScript in dist/ after `npm run build`.
 */
export const assetBundles: Record<string, string> = {
  // Preact itself, once for all of a page's islands (layout.tsx loads it before them).
  [PREACT_BUNDLE]: '../../client/islands/shared/runtime',
  'chat-room.js': '../../client/islands/chat-room.client',
  'circle.js': '../../client/islands/circle.client',
};

const contents = new Map<string, Buffer>();

/** A source file by its path without extension: .tsx or .ts under `npm start`, .js once compiled. */
function sourceOf(relative: string): string {
  const base = fileURLToPath(new URL(relative, import.meta.url));
  const path = [`${base}.tsx`, `${base}.ts`, `${base}.js`].find((p) => existsSync(p));
  if (!path) throw new Error(`the source of a bundled asset is missing: ${base}`);
  return path;
}

/** In an island's bundle, Preact's modules are the page's one copy (src/client/islands/shared). */
function sharedPreact(): Record<string, string> {
  return {
    preact: sourceOf('../../client/islands/shared/preact'),
    'preact/hooks': sourceOf('../../client/islands/shared/hooks'),
    'preact/jsx-runtime': sourceOf('../../client/islands/shared/jsx-runtime'),
  };
}

function bundle(name: string, entry: string): Buffer {
  const path = sourceOf(entry);
  const built = buildSync({
    entryPoints: [path],
    alias: name === PREACT_BUNDLE ? {} : sharedPreact(),
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  return Buffer.from(built.outputFiles[0]!.contents);
}

export function isAsset(name: string): boolean {
  return Object.hasOwn(assetFiles, name) || Object.hasOwn(assetBundles, name);
}

/** An asset's bytes: read, or bundled, once per process. */
export function assetContent(name: string): Buffer {
  let content = contents.get(name);
  if (!content) {
    const file = Object.hasOwn(assetFiles, name) ? assetFiles[name] : undefined;
    const entry = Object.hasOwn(assetBundles, name) ? assetBundles[name] : undefined;
    if (file) content = readFileSync(file);
    else if (entry) content = bundle(name, entry);
    else throw new Error(`unknown asset ${name}`);
    contents.set(name, content);
  }
  return content;
}

const versions = new Map<string, string>();

export function assetUrl(name: string): string {
  let version = versions.get(name);
  if (!version) {
    version = createHash('sha256').update(assetContent(name)).digest('hex').slice(0, 10);
    versions.set(name, version);
  }
  return `/assets/${version}/${name}`;
}
