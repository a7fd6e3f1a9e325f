import type { GroupCase, SiteCase } from './cases.js';

/** The permission table's cases for group agreements and welcomes (run by table.ts with the rest). */
export const groupCases: GroupCase[] = [];
export const siteCases: SiteCase[] = [];
