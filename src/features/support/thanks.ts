/**
 * Thank-you notes: a member thanks another for a reply, privately. Only the person thanked and
 * the sender ever see a note. An anonymous reply can be thanked too: the note goes to its author,
 * and the sender learns nothing of who that is.
 */
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { Forbidden, Invalid } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import type { Viewer } from '../../platform/http/page.js';
import { blockedEitherWay } from '../blocking/index.js';
import { accessPost } from '../forum/index.js';
import { nameInGroup, type Actor, type GroupAccess } from '../groups/index.js';
import { notify } from '../notifications/index.js';
import { assertMayThank } from './policy.js';
import { thanks, type Badge } from './schema.js';

export const THANKS_MAX = 500;

export const thanksInput = z.object({
  message: z.string().trim().max(THANKS_MAX, 'support.thanks.errors.length').default(''),
});

/**
 * Sends a thank-you for a reply, and tells its author. One per member per reply; never for one's
 * own. A block between the two, in the group, refuses it for a named reply. For an anonymous one a
 * refusal would tell the sender who wrote it, so the note is kept but its author is not told, and
 * their page leaves it out while the block stands (recognition.ts).
 */
export async function sendThanks(
  db: Db,
  actor: Actor,
  postId: number,
  input: unknown,
): Promise<{ access: GroupAccess; threadId: number }> {
  const { message } = parseInput(thanksInput, input);
  return db.transaction(async (tx) => {
    const { access, post, thread } = await accessPost(tx, actor, postId);
    const sender = assertMayThank(access, post);
    const authorId = post.authorId!;
    const blocked = await blockedEitherWay(tx, post.groupId, sender.id, authorId);
    if (blocked && !post.anonymous) throw new Forbidden('support.thanks.errors.blocked');
    const [row] = await tx
      .insert(thanks)
      .values({ groupId: post.groupId, postId, fromUserId: sender.id, toUserId: authorId, message })
      .onConflictDoNothing()
      .returning({ id: thanks.id });
    if (!row) throw new Invalid({ '': 'support.thanks.errors.already' });
    if (!blocked) {
      await notify(tx, {
        userId: authorId,
        kind: 'thanks_received',
        groupId: post.groupId,
        threadId: thread.id,
        postId,
        // The sender's name in the group, as its members see it: the one name the note carries.
        reason: nameInGroup(access),
      });
    }
    return { access, threadId: thread.id };
  });
}

export interface ThreadRecognition {
  /** Replies in the thread the viewer has thanked. */
  thanked: Set<number>;
  /** The badges each named post's author chose to show, by post id. */
  shownBadges: Map<number, Badge[]>;
}

/**
 * For the thread page, in one query: which of the thread's replies the viewer thanked (their own
 * notes), and the badges the authors of its named posts chose to show. Nothing else: badges not
 * shown, and anything about an anonymous post's author, never leave the database. The page shows
 * these only beside posts the reader may see.
 */
export function threadRecognitionSql(viewer: Viewer | null, threadId: number): SQL {
  return sql`
    select p.id,
      case when p.anonymous then null else (select array_agg(b.badge::text order by b.badge)
        from member_badges b where b.user_id = p.author_id and b.shown) end as badges,
      exists (select 1 from thanks t where t.post_id = p.id and t.from_user_id = ${viewer?.id ?? -1}) as thanked
    from posts p
    where p.thread_id = ${threadId} and p.deleted_at is null
      and ((not p.anonymous and exists (select 1 from member_badges b2 where b2.user_id = p.author_id and b2.shown))
        or exists (select 1 from thanks t2 where t2.post_id = p.id and t2.from_user_id = ${viewer?.id ?? -1}))`;
}

/** What threadRecognitionSql's rows say: the replies thanked, and each named post's shown badges. */
export function readThreadRecognition(rows: Record<string, unknown>[]): ThreadRecognition {
  const thanked = new Set<number>();
  const shownBadges = new Map<number, Badge[]>();
  for (const row of rows as { id: number | string; badges: Badge[] | string | null; thanked: boolean }[]) {
    const id = Number(row.id);
    if (row.thanked) thanked.add(id);
    const list = parseBadges(row.badges);
    if (list.length > 0) shownBadges.set(id, list);
  }
  return { thanked, shownBadges };
}

/** A text[] arrives as an array from pg, and may arrive as '{a,b}' from other drivers. */
function parseBadges(value: Badge[] | string | null): Badge[] {
  if (value === null) return [];
  if (Array.isArray(value)) return value;
  return value
    .replace(/^\{|\}$/g, '')
    .split(',')
    .filter(Boolean) as Badge[];
}
