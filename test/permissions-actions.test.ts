import { permissionSuite } from './permissions/table.js';

/** Who may do what (actions); the table and its oracle are in ./permissions/table.ts. */
permissionSuite('actions');
