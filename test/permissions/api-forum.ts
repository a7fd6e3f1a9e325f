import type { ApiGroupCase, ApiSiteCase } from './cases.js';

/** The JSON API permission cases for threads, posts, replies and reactions (run by table.ts's 'api' part). */
export const apiGroupCases: ApiGroupCase[] = [];
export const apiSiteCases: ApiSiteCase[] = [];
