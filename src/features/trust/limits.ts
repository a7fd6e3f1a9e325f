import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { defaultPostingLimits, type PostingLimits } from '../../platform/deps.js';
import { Invalid } from '../../platform/errors.js';
import { withValues } from '../../platform/views/forms.js';
import { canModerate, type GroupAccess } from '../groups/index.js';
import { queryActivity, trustLevel, type TrustLevel } from './levels.js';

export interface PostAttempt {
  kind: 'thread' | 'reply' | 'edit';
  title?: string | undefined;
  body: string;
  /** Photos and files attached to it: each counts as a picture in its words would. */
  attachments?: number | undefined;
}

/** Below this level, a member's first post in a group that asks for it waits for approval. */
export const APPROVE_FIRST_POSTS_BELOW: TrustLevel = 2;

/**
 * Short words of comfort ("Thinking of you.") are said again and again in a support group: only
 * longer posts, or any post with a link, are checked for being the same as an earlier one.
 */
const DUPLICATE_MIN_LENGTH = 25;

/** Links and images in a post's Markdown: web addresses, bare www. ones, and images however given. */
export function countLinks(text: string): number {
  const urls = text.match(/\b(?:https?:\/\/|www\.)[^\s)\]>]+/giu) ?? [];
  const images = text.match(/!\[[^\]]*\]\((?!\s*(?:https?:\/\/|www\.))[^)]*\)|<img\b/giu) ?? [];
  return urls.length + images.length;
}

/** The words of a post as compared for duplicates: case and runs of spaces do not matter. */
export function normaliseForDuplicates(body: string): string {
  return body.replace(/\s+/gu, ' ').trim().toLowerCase();
}

const since = (now: Date, hours: number) =>
  sql`${new Date(now.getTime() - hours * 3600_000).toISOString()}::timestamptz`;

/**
 * Whether this person may post this now, given their trust level (docs/safety.md): posts an hour
 * and a day, new discussions a day, links and images, the same words again; in groups that ask,
 * whether their first post there waits for approval. One query. Leaders are free of all of it in
 * their own group, and edits are only held to the link limit (so a post cannot gain links later).
 */
export async function assertMayPost(
  tx: DbOrTx,
  access: GroupAccess,
  actor: { id: number },
  attempt: PostAttempt,
  now: Date,
  limits: PostingLimits = defaultPostingLimits,
): Promise<{ needsApproval: boolean }> {
  if (canModerate(access)) return { needsApproval: false };
  const text = [attempt.title ?? '', attempt.body].join('\n');
  const linksInText = countLinks(text);
  const links = linksInText + (attempt.attachments ?? 0);
  const writing = attempt.kind !== 'edit';
  const normalised = normaliseForDuplicates(attempt.body);
  const checkDuplicate =
    writing && limits.duplicateHours > 0 && (normalised.length >= DUPLICATE_MIN_LENGTH || linksInText > 0);
  const checkFirstPost = writing && access.group.approveFirstPosts;
  const extra = writing
    ? [
        sql`(select count(*) from posts p where p.author_id = u.id and p.created_at > ${since(now, 1)}) as "lastHour"`,
        sql`(select count(*) from posts p where p.author_id = u.id and p.created_at > ${since(now, 24)}) as "lastDay"`,
        sql`(select count(*) from posts p where p.author_id = u.id and p.is_opening
          and p.created_at > ${since(now, 24)}) as "threadsLastDay"`,
        checkDuplicate
          ? sql`exists (select 1 from posts p where p.author_id = u.id and p.deleted_at is null
              and p.created_at > ${since(now, limits.duplicateHours)}
              and lower(btrim(regexp_replace(p.body, '\\s+', ' ', 'g'))) = ${normalised}) as "duplicate"`
          : sql`false as "duplicate"`,
        checkFirstPost
          ? sql`exists (select 1 from posts p where p.author_id = u.id and p.group_id = ${access.group.id}
              and p.status = 'published' and p.deleted_at is null) as "postedHere"`
          : sql`true as "postedHere"`,
      ]
    : [];
  const found = await queryActivity(tx, actor.id, extra);
  if (!found) return { needsApproval: false };
  const level = trustLevel(found.activity, now);
  const row = found.row;
  if (links > limits.links[level]!) {
    const allowed = limits.links[level]!;
    throw new Invalid({
      '': allowed === 0 ? 'trust.errors.noLinksYet' : withValues('trust.errors.tooManyLinks', { count: allowed }),
    });
  }
  if (!writing) return { needsApproval: false };
  if (row.duplicate === true) throw new Invalid({ '': 'trust.errors.duplicate' });
  if (attempt.kind === 'thread' && Number(row.threadsLastDay) >= limits.threadsPerDay[level]!) {
    throw new Invalid({ '': withValues('trust.errors.threadsPerDay', { count: limits.threadsPerDay[level]! }) });
  }
  if (Number(row.lastHour) >= limits.perHour[level]!) {
    throw new Invalid({ '': withValues('trust.errors.perHour', { count: limits.perHour[level]! }) });
  }
  if (Number(row.lastDay) >= limits.perDay[level]!) {
    throw new Invalid({ '': withValues('trust.errors.perDay', { count: limits.perDay[level]! }) });
  }
  return { needsApproval: checkFirstPost && row.postedHere !== true && level < APPROVE_FIRST_POSTS_BELOW };
}
