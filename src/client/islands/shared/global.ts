import type * as Preact from 'preact';
import type * as Hooks from 'preact/hooks';
import type * as JsxRuntime from 'preact/jsx-runtime';

/** Preact as the page's preact.js bundle (./runtime.ts) set it on window, for the stand-ins beside this file. */
export const shared = (
  window as unknown as { MutualPreact: { preact: typeof Preact; hooks: typeof Hooks; jsxRuntime: typeof JsxRuntime } }
).MutualPreact;
