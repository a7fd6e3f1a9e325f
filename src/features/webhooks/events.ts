import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../platform/db/client.js';
import { memberNameSql } from '../groups/index.js';

/** What a webhook can be told of; its owner ticks the ones they want. */
export const webhookEventTypes = [
  'thread.created',
  'post.created',
  'member.joined',
  'application.received',
  'meeting.scheduled',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/** The test event a webhook's owner sends from its page; every webhook takes it. */
export const PING = 'ping';

/**
 * What other features send (deps.events, after their transactions commit) that webhooks care
 * about. Ids only: what the payload says is read when the job runs, so it is what the group shows then.
 */
export const sourceEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('post.created'), postId: z.number().int().positive() }),
  z.object({
    type: z.literal('member.joined'),
    groupId: z.number().int().positive(),
    userId: z.number().int().positive(),
  }),
  z.object({ type: z.literal('application.received'), applicationId: z.number().int().positive() }),
  z.object({ type: z.literal('meeting.scheduled'), meetingId: z.number().int().positive() }),
  z.object({ type: z.literal('webhook.ping'), webhookId: z.number().int().positive() }),
]);
export type SourceEvent = z.infer<typeof sourceEvent>;
export const sourceEventTypes = new Set<string>(sourceEvent.options.map((o) => o.shape.type.value));

/** An event ready to deliver: the group it happened in, and what the receiver is told of it. */
export interface WebhookEvent {
  type: WebhookEventType | typeof PING;
  groupId: number;
  group: { slug: string; name: string };
  data: Record<string, unknown>;
}

/** What anonymous posts are signed with in a payload, as on the group's pages: never the account. */
export const ANONYMOUS_AUTHOR = 'Anonymous member';

interface Rows<T> {
  rows: T[];
}

async function one<T>(db: DbOrTx, query: ReturnType<typeof sql>): Promise<T | undefined> {
  return ((await db.execute(query)) as unknown as Rows<T>).rows[0];
}

/**
 * The payload's data for an event, as the group's leaders see it on its pages (a post's author by
 * their name in the group, or "Anonymous member"; no email address or account id anywhere), or
 * null when the thing is no longer there to see (deleted, hidden, waiting for review).
 * Read like the mail-list jobs read posts: one statement per event, in the job.
 */
export async function loadEvent(db: DbOrTx, baseUrl: string, event: SourceEvent): Promise<WebhookEvent | null> {
  const site = baseUrl.replace(/\/$/u, '');
  switch (event.type) {
    case 'post.created': {
      const row = await one<{
        id: number;
        groupId: number;
        threadId: number;
        isOpening: boolean;
        anonymous: boolean;
        body: string;
        contentWarning: string | null;
        createdAt: string | Date;
        title: string;
        slug: string;
        name: string;
        author: string | null;
      }>(
        db,
        sql`select p.id, p.group_id as "groupId", p.thread_id as "threadId", p.is_opening as "isOpening",
          p.anonymous, p.body, p.content_warning as "contentWarning", p.created_at as "createdAt", t.title,
          g.slug, g.name,
          case when p.anonymous or p.author_id is null then null
            else ${memberNameSql(sql.raw('p.group_id'), sql.raw('p.author_id'))} end as author
        from posts p join threads t on t.id = p.thread_id join groups g on g.id = p.group_id
        where p.id = ${event.postId} and p.status = 'published' and p.hidden_at is null and p.deleted_at is null`,
      );
      if (!row) return null;
      const threadUrl = `${site}/g/${row.slug}/t/${row.threadId}`;
      return {
        type: row.isOpening ? 'thread.created' : 'post.created',
        groupId: row.groupId,
        group: { slug: row.slug, name: row.name },
        data: {
          thread: { id: row.threadId, title: row.title, url: threadUrl },
          post: {
            id: row.id,
            url: `${threadUrl}#post-${row.id}`,
            author: { name: row.anonymous ? ANONYMOUS_AUTHOR : row.author, anonymous: row.anonymous },
            body: row.body,
            contentWarning: row.contentWarning,
            createdAt: new Date(row.createdAt).toISOString(),
          },
        },
      };
    }
    case 'member.joined': {
      const row = await one<{ slug: string; name: string; member: string | null }>(
        db,
        sql`select g.slug, g.name, ${memberNameSql(event.groupId, event.userId)} as member
        from groups g join memberships m on m.group_id = g.id and m.user_id = ${event.userId}
        where g.id = ${event.groupId}`,
      );
      if (!row) return null;
      return {
        type: 'member.joined',
        groupId: event.groupId,
        group: { slug: row.slug, name: row.name },
        data: { member: { name: row.member } },
      };
    }
    case 'application.received': {
      const row = await one<{ groupId: number; slug: string; name: string; applicant: string | null }>(
        db,
        // "ap", not "a": memberNameSql names group_aliases "a" inside.
        sql`select ap.group_id as "groupId", g.slug, g.name,
          ${memberNameSql(sql.raw('ap.group_id'), sql.raw('ap.user_id'))} as applicant
        from applications ap join groups g on g.id = ap.group_id
        where ap.id = ${event.applicationId} and ap.status = 'pending'`,
      );
      if (!row) return null;
      return {
        type: 'application.received',
        groupId: row.groupId,
        group: { slug: row.slug, name: row.name },
        data: {
          application: {
            id: event.applicationId,
            url: `${site}/g/${row.slug}/applications`,
            applicant: { name: row.applicant },
          },
        },
      };
    }
    case 'meeting.scheduled': {
      const row = await one<{
        groupId: number;
        slug: string;
        name: string;
        title: string;
        kind: string;
        timeZone: string;
        durationMinutes: number;
        dates: { id: number; startsAt: string }[] | null;
      }>(
        db,
        sql`select m.group_id as "groupId", g.slug, g.name, m.title, m.kind, m.time_zone as "timeZone",
          m.duration_minutes as "durationMinutes",
          (select json_agg(json_build_object('id', o.id, 'startsAt', o.starts_at) order by o.starts_at)
            from (select id, starts_at from meeting_occurrences where meeting_id = m.id and cancelled_at is null
              order by starts_at limit 3) o) as dates
        from meetings m join groups g on g.id = m.group_id
        where m.id = ${event.meetingId} and m.cancelled_at is null`,
      );
      if (!row) return null;
      const dates = row.dates ?? [];
      return {
        type: 'meeting.scheduled',
        groupId: row.groupId,
        group: { slug: row.slug, name: row.name },
        data: {
          meeting: {
            id: event.meetingId,
            title: row.title,
            kind: row.kind,
            timeZone: row.timeZone,
            durationMinutes: row.durationMinutes,
            url: dates[0] ? `${site}/meetings/${dates[0].id}` : `${site}/g/${row.slug}/meetings`,
            firstDates: dates.map((d) => new Date(d.startsAt).toISOString()),
          },
        },
      };
    }
    case 'webhook.ping':
      // A ping has no group of its own: the job fills in the webhook's (see work.ts).
      return null;
  }
}
