import type { PlannedGroup } from './directory.js';
import { Inserter, type Target } from './inserter.js';
import { capitalise, fill, postBody } from './post-text.js';
import { chance, int, pick, rand } from './random.js';
import * as W from './words.js';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A few recent discussions in each directory-only group that is not dormant, by members who join
 * for it, so that the stats job (the app's own, run at start-up and every 15 minutes) finds the
 * activity the plan gave it: a few busy groups, many quiet ones, a third dormant.
 */
export async function writeRecentDiscussions(
  target: Target,
  groups: PlannedGroup[],
  owners: number[],
  userIds: { base: number; count: number },
): Promise<void> {
  const maxId = async (table: string) =>
    Number((await target.query(`select coalesce(max(id), 0)::int as n from ${table}`)).rows[0]!.n);
  let threadId = await maxId('threads');
  let postId = await maxId('posts');
  const now = Date.now();
  const memberships = new Inserter(
    target,
    'memberships',
    ['group_id', 'user_id', 'role', 'joined_at'],
    ['int', 'int', 'group_role', 'timestamptz'],
    0,
  );
  const threads = new Inserter(
    target,
    'threads',
    ['id', 'group_id', 'author_id', 'title', 'reply_count', 'created_at', 'last_post_at'],
    ['int', 'int', 'int', 'text', 'int', 'timestamptz', 'timestamptz'],
    0,
    { overriding: true },
  );
  const posts = new Inserter(
    target,
    'posts',
    ['id', 'group_id', 'thread_id', 'author_id', 'is_opening', 'body', 'body_html', 'created_at'],
    ['int', 'int', 'int', 'int', 'bool', 'text', 'text', 'timestamptz'],
    0,
    { overriding: true },
  );
  const postRows: unknown[][] = [];
  for (let g = 0; g < groups.length; g++) {
    const { id, plan } = groups[g]!;
    // Capped so that 74,000 groups add a few hundred thousand posts, not millions.
    let left = Math.min(plan.postsLast30Days, 6);
    if (left === 0) continue;
    const posters = [owners[g]!];
    for (let i = 1; i < Math.min(plan.activeMembers, left); i++) {
      const user = userIds.base + 1 + int(userIds.count);
      if (posters.includes(user)) continue;
      posters.push(user);
      await memberships.add(id, user, 'member', iso(plan.createdAt + rand() * (now - plan.createdAt)));
    }
    let n = 0;
    while (left > 0) {
      const replies = chance(plan.replyRate) ? Math.min(left - 1, 1 + int(4)) : 0;
      left -= 1 + replies;
      threadId++;
      const started = now - (1 + rand() * 28) * DAY;
      const times = [started, ...Array.from({ length: replies }, () => started + rand() * (now - started))].sort();
      const author = posters[n % posters.length]!;
      await threads.add(
        threadId,
        id,
        author,
        capitalise(fill(pick(W.titleTemplates), plan.label)),
        replies,
        iso(started),
        iso(times[times.length - 1]!),
      );
      for (let p = 0; p <= replies; p++) {
        const { body, html } = postBody(plan.label, p === 0);
        postRows.push([++postId, id, threadId, posters[n++ % posters.length], p === 0, body, html, iso(times[p]!)]);
      }
    }
  }
  await memberships.finish('memberships (recent posters)');
  await threads.finish('threads (directory only)');
  // Posts only once all their threads are written (batches of the two would otherwise interleave).
  for (const row of postRows) await posts.add(...row);
  await posts.finish('posts (directory only)');
  for (const table of ['threads', 'posts']) {
    await target.query(`select setval(pg_get_serial_sequence('${table}', 'id'), (select max(id) from ${table}))`);
  }
}
