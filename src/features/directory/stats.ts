import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { groupActivitySql } from '../forum/index.js';
import { refreshMeetingMinutes } from './profile.js';

/** How often the process that runs jobs refreshes the directory's figures. */
export const STATS_INTERVAL_MS = 15 * 60_000;

/**
 * Brings the directory's derived figures up to date: each group's activity (the forum's figures),
 * the "did you mean" lexicon, and the UTC minute of every weekly meeting (daylight saving moves
 * it twice a year). Cheap enough to run every 15 minutes; each part is one statement, so a search
 * running meanwhile sees either the old figures or the new ones.
 */
export async function refreshDirectoryStats(db: Db, at = new Date()): Promise<void> {
  await refreshActivity(db);
  await rebuildSearchWords(db);
  await refreshMeetingMinutes(db, at);
}

async function refreshActivity(db: Db): Promise<void> {
  await db.execute(sql`
    update directory_entries e set
      active_members = s.active_members,
      posts_last_30_days = s.posts_last_30_days,
      reply_rate = s.reply_rate,
      last_activity_at = s.last_activity_at
    from (
      select d.id,
        coalesce(a.active_members, 0) as active_members,
        coalesce(a.posts_last_30_days, 0) as posts_last_30_days,
        coalesce(a.reply_rate, 0)::real as reply_rate,
        greatest(a.last_activity_at, d.last_activity_at) as last_activity_at
      from directory_entries d
      left join ${groupActivitySql()} a on a.group_id = d.group_id
      where d.kind = 'group'
    ) s
    where e.id = s.id and (e.active_members, e.posts_last_30_days, e.reply_rate, e.last_activity_at)
      is distinct from (s.active_members, s.posts_last_30_days, s.reply_rate, s.last_activity_at)`);
}

/**
 * The words of listed entries' names and tags, and of every topic's name and synonyms, unstemmed
 * and lower-cased by the 'simple' text-search parser. Only listed entries: a correction must never
 * hint at an unlisted group's name.
 */
async function rebuildSearchWords(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`delete from search_words`);
    await tx.execute(sql`
      insert into search_words (word, entries)
      select word, count(*)::int from (
        select unnest(tsvector_to_array(to_tsvector('simple', e.name || ' ' || array_to_string(e.tags, ' ')))) as word
        from directory_entries e where e.listed
        union all
        select unnest(tsvector_to_array(to_tsvector('simple', t.name || ' ' || array_to_string(t.synonyms, ' '))))
        from topics t
      ) w
      where length(word) >= 3 and word !~ '[0-9]'
      group by word`);
  });
}

/**
 * Refreshes the figures now and then every 15 minutes, in the process that runs jobs (one per
 * deployment). Returns a function that stops it. The timer does not keep the process alive.
 */
export function scheduleDirectoryStats(db: Db, report: (error: Error) => void): () => void {
  let running: Promise<void> | null = null;
  const run = () => {
    running ??= refreshDirectoryStats(db)
      .catch((error: unknown) => report(error instanceof Error ? error : new Error(String(error))))
      .finally(() => {
        running = null;
      });
  };
  run();
  const timer = setInterval(run, STATS_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
