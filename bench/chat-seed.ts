/**
 * The world of `npm run bench:chat`: one group with its members, each signed in (a session per
 * member, its token kept for the cookie and only its hash stored, as logging in does), written in
 * bulk on a fresh database before Mutual starts.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { hashToken } from '../src/features/accounts/service.js';
import { createThread } from '../src/features/forum/index.js';
import { createGroup } from '../src/features/groups/index.js';
import { openDatabase, type DatabaseTarget } from '../src/platform/db/client.js';
import { unlimitedPosting } from '../src/platform/deps.js';

export interface Seeded {
  slug: string;
  groupId: number;
  /** Session tokens, one per member; the first belongs to the group's owner. */
  tokens: string[];
  thread?: { id: number; replies: number };
  /** The group's chat room, and the account id of the member whose messages --via bus stands for. */
  room?: { id: number; authorId: number };
}

const BATCH = 1000;

export async function seedChatBench(
  target: DatabaseTarget,
  members: number,
  opts: { scenario: 'thread' | 'chat' },
): Promise<Seeded> {
  const database = await openDatabase(target);
  try {
    await database.migrate();
    const { db } = database;
    // Accounts a year old, so that no new-member rule holds their messages back.
    const created = (await db.execute(sql`
      insert into users (email, pseudonym, password_hash, email_verified_at, created_at)
      select 'chat' || g || '@bench.mutual.test', 'Chat member ' || g, 'not a password hash',
        now() - interval '365 days', now() - interval '365 days'
      from generate_series(1, ${members}) g
      returning id`)) as unknown as { rows: { id: number }[] };
    const ids = created.rows.map((r) => Number(r.id)).sort((a, b) => a - b);
    const owner = { id: ids[0]!, pseudonym: 'Chat member 1', isAdmin: false };
    const group = await createGroup(db, owner, {
      name: 'Evening circle',
      summary: 'A place to talk in the evenings, with people who understand.',
      description: 'We meet here most evenings.',
      tags: 'support',
      language: 'en',
      leadership: 'peer',
      visibility: 'members',
    });
    await db.execute(sql`
      insert into memberships (group_id, user_id, role, joined_at)
      select ${group.id}, u.id, 'member', now() - interval '300 days'
      from users u where u.id <> ${owner.id}`);
    await db.execute(sql`update groups set member_count = ${members} where id = ${group.id}`);

    const tokens = ids.map(() => randomBytes(32).toString('base64url'));
    for (let start = 0; start < ids.length; start += BATCH) {
      const rows = ids
        .slice(start, start + BATCH)
        .map((id, i) => sql`(${hashToken(tokens[start + i]!)}, ${id}, 'Bench', now() + interval '30 days')`);
      await db.execute(sql`
        insert into sessions (token_hash, user_id, device, expires_at) values ${sql.join(rows, sql`, `)}`);
    }

    let thread: Seeded['thread'];
    let room: Seeded['room'];
    if (opts.scenario === 'chat') {
      // The group's own room, as opening /g/:slug/chat the first time makes it.
      const made = (await db.execute(
        sql`insert into chat_rooms (group_id) values (${group.id}) returning id`,
      )) as unknown as { rows: { id: number }[] };
      room = { id: Number(made.rows[0]!.id), authorId: ids[1] ?? ids[0]! };
    } else {
      const opening = await createThread(
        db,
        owner,
        group.slug,
        { title: 'How was your week?', body: 'Say as much or as little as you like.' },
        { postingLimits: unlimitedPosting },
      );
      thread = { id: opening.id, replies: 0 };
    }
    return { slug: group.slug, groupId: group.id, tokens, thread, room };
  } finally {
    await database.close();
  }
}
