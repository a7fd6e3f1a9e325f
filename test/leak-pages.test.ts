import { leakSuite } from './leak/suite.js';

/** The leak test (pages); the world, the fillers and the checks are in ./leak/suite.ts. */
leakSuite('pages');
