import { and, eq, notInArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { mentionCandidates, renderMarkdown, renderWithMentions } from '../../platform/views/markdown.js';
import { membershipHiddenSql } from '../accounts/index.js';
import { memberIdByNameSql, memberNameSql } from '../groups/index.js';
import { mentions } from './schema.js';

/*
 * Mentions: "@Name" in a post, where Name is what a member goes by in the post's group (their
 * alias there, or their pseudonym when they have none). A pseudonym hidden behind an alias finds
 * nobody, so a mention can never confirm who is behind an alias; and an anonymous post's author
 * has no name in it ("Anonymous 2" is a label, not a name), so they cannot be mentioned through it.
 * The post's HTML links the names when it is written; who is told is decided later, by the
 * notification job (notifications.ts), with the rules as they stand then.
 */

/** At most this many people are mentioned (linked, and told) by one post. */
export const MENTIONS_MAX = 20;

/** Where a mention links: the person's posts in the group, found by the name everyone there sees. */
export const mentionHref = (slug: string, name: string) => `/g/${slug}/search?author=${encodeURIComponent(name)}`;

interface Writer {
  group: { id: number; slug: string };
  /** The author, who may mention themselves (it tells nobody). */
  authorId: number;
  /** The author moderates the group, and so sees the members who keep their membership to themselves. */
  seesHiddenMembers: boolean;
}

interface Found {
  candidate: string;
  id: number | string;
  name: string;
}

/**
 * The members a post's words may mention, by each possible name written after an "@": people with a
 * membership of the group (of any standing: a ban or a lapse must not show in how a name renders),
 * found by their name there, and only those the author could find on the member list.
 */
async function findNamed(tx: DbOrTx, writer: Writer, candidates: string[]): Promise<Found[]> {
  const group = writer.group.id;
  const asked = sql.join(
    candidates.map((c) => sql`select ${c}::text as candidate, ${memberIdByNameSql(group, c)} as id`),
    sql` union all `,
  );
  const result = (await tx.execute(sql`select c.candidate, c.id, ${memberNameSql(group, sql.raw('c.id'))} as name
    from (${asked}) c
    join memberships m on m.group_id = ${group} and m.user_id = c.id
    where ${
      writer.seesHiddenMembers
        ? sql`true`
        : sql`(m.role <> 'member' or c.id = ${writer.authorId} or not ${membershipHiddenSql(sql.raw('c.id'))})`
    }`)) as unknown as { rows: Found[] };
  return result.rows;
}

/**
 * A post's HTML, with the names it mentions linked, and who those are. Call it inside the
 * transaction that writes the post; record them with recordMentions once the post has its id.
 */
export async function renderPost(
  tx: DbOrTx,
  writer: Writer,
  body: string,
): Promise<{ bodyHtml: string; mentioned: number[] }> {
  const candidates = mentionCandidates(body);
  if (candidates.length === 0) return { bodyHtml: renderMarkdown(body), mentioned: [] };
  const found = await findNamed(tx, writer, candidates);
  // In the order the post names them, at most MENTIONS_MAX people.
  const people = new Map<number, string>();
  for (const c of candidates) {
    const hit = found.find((f) => f.candidate === c);
    if (hit && (people.size < MENTIONS_MAX || people.has(Number(hit.id)))) people.set(Number(hit.id), hit.name);
  }
  const names = new Map(
    found.filter((f) => people.has(Number(f.id))).map((f) => [f.candidate.toLowerCase(), f.name] as const),
  );
  const { html, mentioned } = renderWithMentions(body, {
    names,
    href: (name) => mentionHref(writer.group.slug, name),
  });
  const ids = [...people].filter(([, name]) => mentioned.includes(name)).map(([id]) => id);
  return { bodyHtml: html, mentioned: ids };
}

/**
 * Keeps a post's mentions as its words now are: new ones added (the notification job tells only
 * people mentioned for the first time), ones no longer there removed.
 */
export async function recordMentions(
  tx: DbOrTx,
  post: { id: number; groupId: number },
  userIds: number[],
): Promise<void> {
  await tx
    .delete(mentions)
    .where(and(eq(mentions.postId, post.id), userIds.length > 0 ? notInArray(mentions.userId, userIds) : undefined));
  if (userIds.length === 0) return;
  await tx
    .insert(mentions)
    .values(userIds.map((userId) => ({ postId: post.id, groupId: post.groupId, userId })))
    .onConflictDoNothing();
}
