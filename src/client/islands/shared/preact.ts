// Stands in for 'preact' in islands' bundles: the page's one copy (./runtime.ts).
import { shared } from './global.js';

export const { Fragment, createElement, h, hydrate, options, render } = shared.preact;
