import { sql, type SQL } from 'drizzle-orm';

/**
 * For another feature's query: a discussion's title (a qualified column holding its id), or null
 * when its opening post is not there for members to read (waiting, hidden or deleted), so a title
 * nobody may see is never repeated elsewhere (a push notification's details).
 */
export function threadTitleSql(threadId: SQL): SQL<string | null> {
  return sql`(select t.title from threads t join posts p on p.thread_id = t.id and p.is_opening
    where t.id = ${threadId} and p.status = 'published' and p.deleted_at is null and p.hidden_at is null)`;
}
