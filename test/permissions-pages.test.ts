import { vi } from 'vitest';

// The table keeps its fixtures in module-level caches, made in this file's own database: a worker
// that ran another file first (vitest runs without isolation) must load the table afresh.
vi.resetModules();
const { permissionSuite } = await import('./permissions/table.js');

/** Who may do what; the table and its oracle are in ./permissions/table.ts. */
permissionSuite('pages');
