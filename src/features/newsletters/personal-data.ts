import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { newsletterSubscribers } from './schema.js';

/**
 * A member who deletes their account is forgotten as a public newsletter subscriber too: the
 * address they signed up with on a group's page goes with it.
 */
export async function forgetNewsletterAddress(db: DbOrTx, email: string): Promise<void> {
  await db.delete(newsletterSubscribers).where(eq(newsletterSubscribers.email, email.toLowerCase()));
}
