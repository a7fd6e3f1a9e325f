import { permissionSuite } from './permissions/table.js';

// The JSON API's permission table: the same roles and kinds of group as the pages', with bearer tokens.
permissionSuite('api');
