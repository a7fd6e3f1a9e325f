import type { GroupCase, SiteCase } from './cases.js';

/** The permission table's cases for polls (run by table.ts with the rest). */
export const groupCases: GroupCase[] = [];
export const siteCases: SiteCase[] = [];
