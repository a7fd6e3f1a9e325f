import { sql, type SQL } from 'drizzle-orm';

/**
 * Each group's recent life, for the directory's ranking, as a subquery with the columns group_id,
 * active_members (distinct people who posted in the last 30 days), posts_last_30_days, reply_rate
 * (share of discussions started in the last 90 days that someone other than their author answered)
 * and last_activity_at (the latest post of the last 90 days; older groups keep the date they
 * have). Only published posts count: a hidden, deleted or waiting post is not life
 * others can see. Groups without a post in 90 days are absent.
 */
export function groupActivitySql(): SQL {
  return sql`(
    select p.group_id,
      count(distinct p.author_id) filter (where p.created_at > now() - interval '30 days')::int as active_members,
      count(*) filter (where p.created_at > now() - interval '30 days')::int as posts_last_30_days,
      coalesce((
        select avg(case when exists (
            select 1 from posts r
            where r.thread_id = t.id and not r.is_opening and r.status = 'published'
              and r.deleted_at is null and r.hidden_at is null and r.author_id is distinct from t.author_id
          ) then 1.0 else 0.0 end)
        from threads t
        where t.group_id = p.group_id and t.created_at > now() - interval '90 days'
      ), 0)::real as reply_rate,
      max(p.created_at) as last_activity_at
    from posts p
    where p.status = 'published' and p.deleted_at is null and p.hidden_at is null
      and p.created_at > now() - interval '90 days'
    group by p.group_id
  )`;
}
