// Stands in for 'preact/hooks' in islands' bundles: the page's one copy (./runtime.ts).
import { shared } from './global.js';

export const { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } = shared.hooks;
