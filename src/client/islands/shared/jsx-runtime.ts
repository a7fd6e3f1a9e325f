// Stands in for 'preact/jsx-runtime' in islands' bundles: the page's one copy (./runtime.ts).
import { shared } from './global.js';

export const { Fragment, jsx, jsxs } = shared.jsxRuntime;
