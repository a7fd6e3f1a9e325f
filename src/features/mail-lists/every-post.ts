import { eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../platform/db/client.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import { deliverOnce } from '../../platform/mail/ledger.js';
import { blockedBetweenSql, mutedThreadsSql } from '../blocking/index.js';
import { GRACE_DAYS, memberNameSql } from '../groups/index.js';
import type { MailContext, MailWork } from './context.js';
import { everyPostMail, type MailablePost } from './every-post-mail.js';
import { listMailings } from './schema.js';

/** Recipients per job: a retried job repeats at most this many checks against the ledger. */
export const RECIPIENTS_PER_JOB = 500;
/** A post older than this when it becomes mailable (approved late, say) is left to the digests. */
const WINDOW_MS = 2 * 24 * 3600_000;
/** Posts claimed per round of the scan. */
const CLAIM_BATCH = 100;

const jobData = z.object({
  postId: z.number().int().positive(),
  userIds: z.array(z.number().int().positive()).min(1).max(RECIPIENTS_PER_JOB),
});

/**
 * A post members may read: published (a pre-moderated one once approved), neither hidden nor
 * deleted, in a thread whose opening post is the same (a thread whose opening is hidden or
 * waiting is gone for members). `p` is the post.
 */
const mailableSql = sql`p.status = 'published' and p.hidden_at is null and p.deleted_at is null
  and exists (select 1 from posts o where o.thread_id = p.thread_id and o.is_opening
    and o.status = 'published' and o.hidden_at is null and o.deleted_at is null)`;

/**
 * The members of a post's group who get it now: "every post", a verified address, mail not paused
 * after bounces, still reading the group (a member in good standing: not banned, not a paid
 * member past the grace period), not its author, no block between them and a named author
 * (anonymous posts are never taken out by a block, as on the web, where that would tell who wrote
 * them), and not having muted the thread. `s` is list_subscriptions, `u` users.
 */
function recipientsSql(post: { groupId: number; threadId: number; authorId: number | null; anonymous: boolean }): SQL {
  const grace = `${GRACE_DAYS} days`;
  return sql`from list_subscriptions s
    join memberships m on m.group_id = s.group_id and m.user_id = s.user_id
    join groups g on g.id = s.group_id
    join users u on u.id = s.user_id
    where s.group_id = ${post.groupId} and s.mode = 'every_post'
      and u.email_verified_at is not null
      and not exists (select 1 from mail_settings ms where ms.user_id = u.id and ms.paused_at is not null)
      and not exists (select 1 from bans b where b.group_id = s.group_id and b.user_id = s.user_id)
      and not (g.join_policy = 'paid' and m.role = 'member' and not m.fee_waived
        and (m.paid_until is null or m.paid_until + ${grace}::interval < now()))
      and s.user_id <> ${post.authorId ?? -1}
      and ${post.anonymous ? sql`true` : sql`not ${blockedBetweenSql(post.authorId, sql.raw('s.group_id'), sql.raw('s.user_id'))}`}
      and ${post.threadId} not in ${mutedThreadsSql(sql.raw('s.user_id'))}`;
}

interface Rows<T> {
  rows: T[];
}

/** A post as its mail needs it, or null when it is no longer one members may read. */
async function loadPost(db: DbOrTx, postId: number): Promise<MailablePost | null> {
  const result = (await db.execute(sql`select p.id, p.group_id as "groupId", p.thread_id as "threadId",
      p.author_id as "authorId", p.is_opening as "isOpening", p.anonymous, p.anonymous_number as "anonymousNumber",
      p.body, p.body_html as "bodyHtml", p.content_warning as "contentWarning", t.title,
      g.slug, g.name, coalesce(ls.post_by_email, true) as "postByEmail",
      (select o.id from posts o where o.thread_id = p.thread_id and o.is_opening) as "openingId",
      case when p.anonymous or p.author_id is null then null
        else ${memberNameSql(sql.raw('p.group_id'), sql.raw('p.author_id'))} end as "authorName"
    from posts p join threads t on t.id = p.thread_id join groups g on g.id = p.group_id
      left join list_settings ls on ls.group_id = p.group_id
    where p.id = ${postId} and ${mailableSql}`)) as unknown as Rows<MailablePost>;
  const row = result.rows[0];
  return row ? { ...row, openingId: Number(row.openingId) } : null;
}

/**
 * "Every post": each newly published post (an opening or a reply) goes by mail to the members of
 * its group who chose every post and may read it. The scan claims a post (a list_mailings row;
 * only the process whose insert lands queues it), then queues one job per 500 recipients, each
 * naming its recipients, so that a retry reaches exactly those still missing (deliverOnce).
 */
export function defineEveryPost(jobs: JobQueue, ctx: MailContext): MailWork[] {
  const { db } = ctx;

  const sendJob = jobs.define({
    name: 'mail-lists.every-post',
    data: jobData,
    retryLimit: 10,
    retryDelay: 30,
    run: async ({ postId, userIds }) => {
      // Asked again when the job runs: a post hidden or a member who left or unsubscribed since
      // the scan gets nothing.
      const post = await loadPost(db, postId);
      if (!post) return;
      const recipients = (await db.execute(sql`select u.id, u.email, u.locale ${recipientsSql(post)}
        and s.user_id in (${sql.join(
          userIds.map((id) => sql`${id}`),
          sql`, `,
        )})`)) as unknown as Rows<{ id: number; email: string; locale: string }>;
      await deliverOnce(
        db,
        ctx.transport,
        recipients.rows.map((r) => ({
          key: `post:${postId}:u:${r.id}`,
          messageId: everyPostMail.messageId(ctx, post),
          message: everyPostMail.compose(ctx, post, { id: Number(r.id), email: r.email, locale: r.locale }),
        })),
      );
    },
  });

  /** Queues a claimed post's jobs; on failure the claim goes, so a later scan queues it again. */
  async function queuePost(postId: number): Promise<void> {
    try {
      const post = await loadPost(db, postId);
      if (!post) return;
      const ids = (await db.execute(
        sql`select s.user_id as id ${recipientsSql(post)} order by s.user_id`,
      )) as unknown as Rows<{ id: number }>;
      const userIds = ids.rows.map((r) => Number(r.id));
      for (let i = 0; i < userIds.length; i += RECIPIENTS_PER_JOB) {
        await sendJob.send({ postId, userIds: userIds.slice(i, i + RECIPIENTS_PER_JOB) });
      }
    } catch (error) {
      await db.delete(listMailings).where(eq(listMailings.postId, postId));
      throw error;
    }
  }

  return [
    {
      name: 'every post',
      everySeconds: 15,
      run: async (now) => {
        const since = new Date(now.getTime() - WINDOW_MS);
        for (;;) {
          // A post becomes published with its thread's last_post_at and its group's
          // last_activity_at set to that moment: those narrow the scan to recently active groups
          // and threads (posts.created_at has no index of its own).
          const claimed = (await db.execute(sql`with found as (
              select p.id, p.group_id from posts p
                join threads t on t.id = p.thread_id
                join groups g on g.id = p.group_id
              where g.last_activity_at >= ${since} and t.last_post_at >= ${since}
                and p.created_at >= ${since} and ${mailableSql}
                and not exists (select 1 from list_mailings lm where lm.post_id = p.id)
              order by p.id
              limit ${CLAIM_BATCH})
            insert into list_mailings (post_id, group_id, queued_at)
              select id, group_id, ${now} from found
            on conflict do nothing
            returning post_id as "postId"`)) as unknown as Rows<{ postId: number }>;
          for (const row of claimed.rows) await queuePost(Number(row.postId));
          if (claimed.rows.length < CLAIM_BATCH) return;
        }
      },
    },
  ];
}
