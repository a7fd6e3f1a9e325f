import { vi } from 'vitest';

// The leak test keeps its world and fixtures in module-level state, made in this file's own
// database: a worker that ran another file first (vitest runs without isolation) loads it afresh.
vi.resetModules();
const { leakSuite } = await import('./leak/suite.js');

/** The leak test (pages); the world, the fillers and the checks are in ./leak/suite.ts. */
leakSuite('pages');
