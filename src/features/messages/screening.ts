import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { defaultPostingLimits, type PostingLimits } from '../../platform/deps.js';
import { Invalid } from '../../platform/errors.js';
import { withValues } from '../../platform/views/forms.js';
import { canModerate, type GroupAccess } from '../groups/index.js';
import { assertNotSilenced } from '../moderation/index.js';
import { detectRisk, type RiskResult } from '../safety/index.js';
import { countLinks, trustLevelOf } from '../trust/index.js';
import { screenWatchedWords } from '../watched-words/index.js';

/*
 * Every private message passes here before it is written, under the same rules as a post: a pause
 * from posting in the group holds for its conversations too; the author's trust level limits how
 * many they send and how many links; the site's watched words; and crisis language.
 */

/** Short words of comfort are said again and again; only longer messages, or links, are checked for repeats. */
const DUPLICATE_MIN_LENGTH = 25;

const since = (now: Date, hours: number) =>
  sql`${new Date(now.getTime() - hours * 3600_000).toISOString()}::timestamptz`;

/**
 * How many messages an account may send by its trust level: the posting limits' numbers, counted
 * over private messages, so that a new account cannot spam people privately instead of in public.
 * Each attached photo or file counts as a link, as it does in a post: a new account cannot send
 * privately the pictures it could not post. The same words again to someone else soon after are
 * refused, as spam is. Leaders of the group are free of it there, as they are of the posting limits.
 */
async function assertWithinLimits(
  tx: DbOrTx,
  access: GroupAccess,
  authorId: number,
  body: string,
  now: Date,
  limits: PostingLimits,
  attachments: number,
): Promise<void> {
  if (canModerate(access)) return;
  const linksInText = countLinks(body);
  const links = linksInText + attachments;
  const normalised = body.replace(/\s+/gu, ' ').trim().toLowerCase();
  const checkDuplicate = limits.duplicateHours > 0 && (normalised.length >= DUPLICATE_MIN_LENGTH || linksInText > 0);
  const level = await trustLevelOf(tx, authorId, now);
  const duplicate = checkDuplicate
    ? sql`exists (select 1 from private_messages m where m.author_id = ${authorId}
        and m.created_at > ${since(now, limits.duplicateHours)}
        and lower(btrim(regexp_replace(m.body, '\\s+', ' ', 'g'))) = ${normalised})`
    : sql`false`;
  const counted = (await tx.execute(sql`select
      (select count(*) from private_messages m where m.author_id = ${authorId} and m.created_at > ${since(now, 1)}) as "lastHour",
      (select count(*) from private_messages m where m.author_id = ${authorId} and m.created_at > ${since(now, 24)}) as "lastDay",
      ${duplicate} as "duplicate"`)) as unknown as {
    rows: { lastHour: number | string; lastDay: number | string; duplicate: boolean }[];
  };
  const row = counted.rows[0]!;
  const allowedLinks = limits.links[level]!;
  if (links > allowedLinks) {
    throw new Invalid({
      body:
        allowedLinks === 0
          ? 'trust.errors.noLinksYet'
          : withValues('trust.errors.tooManyLinks', { count: allowedLinks }),
    });
  }
  if (row.duplicate) throw new Invalid({ body: 'messages.errors.duplicate' });
  if (Number(row.lastHour) >= limits.perHour[level]!) {
    throw new Invalid({ body: withValues('messages.errors.perHour', { count: limits.perHour[level]! }) });
  }
  if (Number(row.lastDay) >= limits.perDay[level]!) {
    throw new Invalid({ body: withValues('messages.errors.perDay', { count: limits.perDay[level]! }) });
  }
}

/**
 * Before a message is written, in this order: is the author paused from posting in the group,
 * within their limits, free of watched words; and does it read as someone in crisis. Throws a
 * readable error (the author's text is kept) when it cannot be sent.
 */
export async function screenMessage(
  tx: DbOrTx,
  access: GroupAccess,
  authorId: number,
  body: string,
  now: Date,
  limits: PostingLimits = defaultPostingLimits,
  /** Photos and files attached: each counts as a link does in the words. */
  attachments = 0,
): Promise<{ risk: RiskResult }> {
  await assertNotSilenced(tx, access, now);
  await assertWithinLimits(tx, access, authorId, body, now, limits, attachments);
  const words = await screenWatchedWords(tx, body);
  // A word that holds a post for a moderator cannot hold a private message: nobody may read it
  // to approve it. It is refused instead (the author keeps their text); words that only flag a
  // post pass, as the review queue is the group's and must never show a private message.
  if (words.needsApproval) throw new Invalid({ body: 'messages.errors.heldWord' });
  return { risk: detectRisk(body) };
}
