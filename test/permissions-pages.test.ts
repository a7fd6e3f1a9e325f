import { permissionSuite } from './permissions/table.js';

/** Who may do what (pages); the table and its oracle are in ./permissions/table.ts. */
permissionSuite('pages');
