import type { Db } from '../../platform/db/client.js';
import { forgetRecipient } from '../../platform/mail/mailer.js';
import { confirmAccountDeletion, deleteAccount } from '../accounts/index.js';
import { eraseChatData } from '../chat/index.js';
import { eraseForumData } from '../forum/index.js';
import { eraseFileData } from '../files/index.js';
import { eraseMessageData } from '../messages/index.js';
import { forgetGroupMember } from '../groups/index.js';
import { forgetNewsletterAddress } from '../newsletters/index.js';
import { forgetCampaignSignatures } from '../campaigns/index.js';
import { forgetMeetingMember } from '../meetings/index.js';
import { erasePushData } from '../push/index.js';
import { forgetResourceVotes } from '../resources/index.js';

/**
 * Deletes a member's account, as they chose: their posts erased, or kept under "Deleted member".
 * Their email, pseudonym, sessions, two-step secrets, passkeys, settings, memberships,
 * applications, reactions, exports and the mail kept for them go, in one transaction; what other
 * people need (a group's audit log, its accounts) keeps the fact without the person.
 */
export async function deleteMyAccount(db: Db, userId: number, input: unknown): Promise<void> {
  const confirmed = await confirmAccountDeletion(db, userId, input);
  await db.transaction(async (tx) => {
    if (confirmed.posts === 'erase') await eraseForumData(tx, userId);
    await eraseChatData(tx, userId, confirmed.posts === 'erase');
    await eraseMessageData(tx, userId, confirmed.posts === 'erase');
    await forgetGroupMember(tx, { userId, email: confirmed.email, pseudonym: confirmed.pseudonym });
    // Signatures go by cascade with the account; their campaigns' counts must drop with them.
    await forgetCampaignSignatures(tx, userId);
    // Answers go by cascade too; a place held at a meeting still to come must go to its waitlist.
    await forgetMeetingMember(tx, userId);
    await forgetResourceVotes(tx, userId);
    await erasePushData(tx, userId);
    // Their images and files go whatever they chose for their posts (src/features/files/personal-data.ts).
    await eraseFileData(tx, userId);
    await deleteAccount(tx, userId);
    await forgetRecipient(tx, confirmed.email);
    await forgetNewsletterAddress(tx, confirmed.email);
  });
}
