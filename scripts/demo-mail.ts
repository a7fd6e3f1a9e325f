import { eq, like, sql } from 'drizzle-orm';
import type { Db } from '../src/platform/db/client.js';
import { users } from '../src/features/accounts/schema.js';
import { listSubscriptions } from '../src/features/mail-lists/schema.js';
import { DEMO_EMAIL_DOMAIN } from './demo-content.js';

/**
 * The demo's mailing lists: its addresses count as confirmed, so what the lists would send shows
 * in the outbox (/admin/outbox; the demo has no mail server), and a few members follow their
 * groups post by post rather than by the daily digest everyone else gets.
 */
export async function seedDemoMail(db: Db, now: Date): Promise<void> {
  await db
    .update(users)
    .set({ emailVerifiedAt: now })
    .where(like(users.email, `%@${DEMO_EMAIL_DOMAIN}`));
  // The first member of each group (by id) reads it post by post.
  await db.execute(sql`
    update list_subscriptions s set mode = 'every_post'
    from (select distinct on (group_id) group_id, user_id from memberships where role = 'member'
          order by group_id, user_id) first
    where s.group_id = first.group_id and s.user_id = first.user_id`);
  // Nobody gets a digest of the demo's invented past on the first morning.
  await db.update(listSubscriptions).set({ lastDigestAt: now }).where(eq(listSubscriptions.mode, 'daily'));
}
