import { sql, type SQL } from 'drizzle-orm';

/**
 * For the session query (accounts): whether the person's list mail is paused after bounces, so
 * that every page can say so without another round trip. A leaf module: accounts imports it.
 */
export function mailPausedSql(userId: SQL): SQL<boolean> {
  return sql<boolean>`exists (select 1 from mail_settings ms where ms.user_id = ${userId} and ms.paused_at is not null)`;
}
