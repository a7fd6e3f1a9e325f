import { sql, type SQL } from 'drizzle-orm';

/**
 * Each group's recent life, for the directory's ranking, as a subquery with the columns group_id,
 * active_members (distinct people who posted in the last 30 days), posts_last_30_days, reply_rate
 * (share of discussions started in the last 90 days that someone other than their author answered)
 * and last_activity_at (the latest post of the last 90 days; older groups keep the date they
 * have). Only published posts count: a hidden, deleted or waiting post is not life
 * others can see. Groups without a post in 90 days are absent. Each part is one grouped pass over
 * the last 90 days (not a lookup per thread), so it stays cheap with a million posts.
 */
export function groupActivitySql(): SQL {
  return sql`(
    select p.group_id, p.active_members, p.posts_last_30_days,
      coalesce(rr.reply_rate, 0)::real as reply_rate, p.last_activity_at
    from (
      select group_id,
        count(distinct author_id) filter (where created_at > now() - interval '30 days')::int as active_members,
        count(*) filter (where created_at > now() - interval '30 days')::int as posts_last_30_days,
        max(created_at) as last_activity_at
      from posts
      where status = 'published' and deleted_at is null and hidden_at is null
        and created_at > now() - interval '90 days'
      group by group_id
    ) p
    left join (
      select t.group_id, avg((answered.thread_id is not null)::int) as reply_rate
      from threads t
      left join (
        select distinct r.thread_id
        from posts r join threads rt on rt.id = r.thread_id
        where not r.is_opening and r.status = 'published' and r.deleted_at is null and r.hidden_at is null
          and r.created_at > now() - interval '90 days' and r.author_id is distinct from rt.author_id
      ) answered on answered.thread_id = t.id
      where t.created_at > now() - interval '90 days'
      group by t.group_id
    ) rr on rr.group_id = p.group_id
  )`;
}
