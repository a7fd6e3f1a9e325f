/*
 * Preact, once for every island on a page: this bundle (preact.js) sets it on window, and each
 * island's bundle takes it from there (./preact.ts, ./hooks.ts, ./jsx-runtime.ts stand in for the
 * packages when islands are bundled: see src/platform/views/assets.ts). A page with the chat room and
 * a circle loads Preact once, not twice. Only what islands use is here, so the rest is left out of
 * the bundle; an island importing anything else fails to bundle, saying which name is missing.
 */
import { Fragment, createElement, h, hydrate, options, render } from 'preact';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Fragment as JsxFragment, jsx, jsxs } from 'preact/jsx-runtime';

(window as unknown as { MutualPreact: unknown }).MutualPreact = {
  preact: { Fragment, createElement, h, hydrate, options, render },
  hooks: { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState },
  jsxRuntime: { Fragment: JsxFragment, jsx, jsxs },
};
