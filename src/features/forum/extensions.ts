import { sql, type SQL } from 'drizzle-orm';
import type { VNode } from 'preact';
import type { PageContext, Viewer } from '../../platform/http/page.js';
import type { GroupAccess } from '../groups/index.js';
import type { ThreadPage } from './reading.js';

/**
 * What other features add to a thread page (a "Thank" button under a reply, the badges an author
 * chose to show, "Someone is waiting for a reply", link previews), without the forum knowing them:
 * each registers a ThreadExtension with `app.threadExtensions.push(…)` when its routes are set up
 * (after the forum's, which create the list). The forum depends on nothing of theirs, and they may
 * use the forum's public face.
 *
 * Every extension's question goes to the database inside the thread's own statement (as a column),
 * so that a page with four extensions costs no more round trips than a page with none.
 */
export interface ThreadExtension<T = unknown> {
  name: string;
  /**
   * One SELECT for this reader and thread, which must check for itself what the reader may see;
   * null when there is nothing to ask (a visitor, say). It runs as a subquery: its rows reach
   * `read` as JSON objects (timestamps as ISO strings, arrays as arrays).
   */
  query(viewer: Viewer | null, threadId: number): SQL | null;
  /** The rows, as data for `render` ([] when the query was null). */
  read(rows: Record<string, unknown>[]): T;
  /** What to show, once the page's posts are known (only posts the reader may see are there). */
  render(ctx: PageContext, data: T, page: ThreadPage): ThreadExtra;
}

export interface ThreadExtra {
  /** Under a post, by post id. */
  belowPost?: Map<number, VNode>;
  /** Beside the author's name in a post's heading, by post id. */
  besideAuthor?: Map<number, VNode>;
  /** After the replies, before the reply form. */
  afterReplies?: VNode | null;
}

/**
 * What other features add to a group's page, above its discussions ("Notifications for this
 * group"), the same way: each question is a column of the statement that counts the group's
 * threads, so the page costs no round trip more. Asked only of people who may read the discussions.
 */
export interface GroupPageExtension<T = unknown> {
  name: string;
  /** One SELECT for this reader and group, checking for itself what the reader may see; null for nothing. */
  query(viewer: Viewer | null, access: GroupAccess): SQL | null;
  read(rows: Record<string, unknown>[]): T;
  render(ctx: PageContext, data: T, access: GroupAccess): VNode | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** What features add to thread pages; see ThreadExtension. */
    threadExtensions: ThreadExtension[];
    /** What features add to group pages; see GroupPageExtension. */
    groupPageExtensions: GroupPageExtension[];
  }
}

/**
 * Each extension's query as a column of the thread's own statement (a JSON array of its rows), so
 * that extensions add no round trip to the page.
 */
export function extensionColumns(
  extensions: readonly ThreadExtension[],
  viewer: Viewer | null,
  threadId: number,
): Record<string, SQL> {
  const columns: Record<string, SQL> = {};
  extensions.forEach((e, i) => {
    const q = e.query(viewer, threadId);
    if (q) columns[`e${i}`] = sql`(select coalesce(json_agg(x), '[]'::json) from (${q}) x)`;
  });
  return columns;
}

/** Reads the extensions' columns back and returns what renders them for a page. */
export function extensionsOf(
  extensions: readonly ThreadExtension[],
  values: Record<string, unknown>,
  page: ThreadPage,
): (ctx: PageContext) => ThreadExtra[] {
  const data = extensions.map((e, i) => {
    const value = values[`e${i}`];
    const rows = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
    return e.read(Array.isArray(rows) ? (rows as Record<string, unknown>[]) : []);
  });
  return (ctx) => extensions.map((e, i) => e.render(ctx, data[i], page));
}

/** Each group page extension's query as a column (a JSON array of its rows). */
export function groupExtensionColumns(
  extensions: readonly GroupPageExtension[],
  viewer: Viewer | null,
  access: GroupAccess,
): Record<string, SQL> {
  const columns: Record<string, SQL> = {};
  extensions.forEach((e, i) => {
    const q = e.query(viewer, access);
    if (q) columns[`g${i}`] = sql`(select coalesce(json_agg(x), '[]'::json) from (${q}) x)`;
  });
  return columns;
}

/** What the group page extensions show, from their columns' values. */
export function groupExtensionsOf(
  extensions: readonly GroupPageExtension[],
  values: Record<string, unknown>,
  ctx: PageContext,
  access: GroupAccess,
): VNode[] {
  return extensions.flatMap((e, i) => {
    const value = values[`g${i}`];
    const rows = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
    const node = e.render(ctx, e.read(Array.isArray(rows) ? (rows as Record<string, unknown>[]) : []), access);
    return node ? [node] : [];
  });
}
