import type { Translate } from '../../platform/views/i18n.js';
import type { NotificationActor, NotificationView } from './reading.js';
import type { NotificationKind } from './schema.js';

/**
 * The name a notification gives whoever did what it is about: their name in the group, "an
 * anonymous member" for an anonymous post (never more), "a former member" for an account that is
 * gone.
 */
export function actorName(t: Translate, actor: NotificationActor | null): string {
  if (actor?.anonymous) return t('notifications.anonymousMember');
  return actor?.name ?? t('notifications.formerMember');
}

/**
 * One sentence for a notification, in plain text: what the notifications page says of the kinds
 * of issue 15 (replies, mentions, messages…), and what an email lists when its reader asked for
 * details. Names are as the group shows them, worked out when it is shown (reading.ts).
 */
export function notificationSummary(t: Translate, n: NotificationView): string {
  const group = n.group?.name ?? t('notifications.formerGroup');
  const name = actorName(t, n.actor);
  const title = n.threadTitle ?? t('notifications.summary.aDiscussion');
  const meeting = n.occurrence?.title ?? t('notifications.summary.aMeeting');
  const listing = n.listing?.name ?? t('listings.notifications.formerListing');
  switch (n.kind) {
    case 'reply':
      return t('notifications.summary.reply', { name, title });
    case 'mention':
      return t('notifications.summary.mention', { name, title });
    case 'watched_post':
      return t('notifications.summary.watchedPost', { name, title });
    case 'reactions':
      return t('notifications.summary.reactions', { count: n.count, title });
    case 'message_request':
      return t('notifications.summary.messageRequest', { name });
    case 'private_message':
      return t('notifications.summary.privateMessage', { name, count: n.count });
    case 'application_decision':
      return t(
        n.reason === 'approved'
          ? 'notifications.summary.applicationApproved'
          : 'notifications.summary.applicationDeclined',
        { group },
      );
    case 'moderator_alert':
      return t('notifications.summary.moderatorAlert', { group, count: n.count });
    case 'author_revealed':
      return t('notifications.summary.authorRevealed', { group });
    case 'flag_outcome':
      return t('notifications.summary.flagOutcome', { group });
    case 'moderator_warning':
      return t('notifications.warning.text', { group });
    case 'silenced':
      return t('notifications.summary.silenced', { group });
    case 'crisis_alert':
      return t('notifications.summary.crisisAlert', { group });
    case 'check_in_request':
      return t('notifications.summary.checkInRequest', { group });
    case 'check_in_message':
      return t('notifications.summary.checkInMessage', { group });
    case 'listing_approved':
      return t('listings.notifications.approved', { name: listing });
    case 'listing_declined':
      return t('listings.notifications.declined', { name: listing });
    case 'listing_claim_approved':
      return t('listings.notifications.claimApproved', { name: listing });
    case 'listing_claim_declined':
      return t('listings.notifications.claimDeclined', { name: listing });
    case 'thanks_received':
      return t('notifications.summary.thanks', { group });
    case 'thread_seen':
      return t('notifications.summary.threadSeen', { group });
    case 'coping_request':
      return t('notifications.summary.copingRequest', { group });
    case 'resource_approved':
      return t('notifications.resourceApproved.text', { group });
    case 'resource_declined':
      return t('notifications.resourceDeclined.text', { group });
    case 'meeting_reminder':
      return t('notifications.summary.meetingReminder', { title: meeting, group });
    case 'meeting_place_offered':
      return t('notifications.summary.meetingPlaceOffered', { title: meeting, group });
    case 'meeting_cancelled':
      return t('notifications.summary.meetingCancelled', { title: meeting, group });
    case 'meeting_changed':
      return t('notifications.summary.meetingChanged', { title: meeting, group });
    case 'group_welcome':
      return t('notifications.summary.groupWelcome', { group });
    case 'agreements_changed':
      return t('notifications.summary.agreementsChanged', { group });
    case 'poll_closed':
      // To those who chose the time a "find a time" poll's meeting was made at.
      if (n.occurrence) return t('notifications.summary.pollScheduled', { title: meeting, group });
      return t('notifications.summary.pollClosed', { title });
  }
}

/**
 * What a discreet email counts, by kind: people understand "2 new replies and 1 new message", and
 * the kinds that would say more about them (a crisis alert, a moderator's job) are "other".
 */
type CountPhrase = 'replies' | 'mentions' | 'messages' | 'requests' | 'posts' | 'support' | 'other';
const phraseOf: Partial<Record<NotificationKind, CountPhrase>> = {
  reply: 'replies',
  mention: 'mentions',
  private_message: 'messages',
  message_request: 'requests',
  watched_post: 'posts',
  reactions: 'support',
};
const phraseOrder: CountPhrase[] = ['replies', 'mentions', 'messages', 'requests', 'posts', 'support', 'other'];

/** "2 new replies and 1 new message", from notifications' kinds and counts. */
export function countSentence(t: Translate, locale: string, list: readonly Pick<NotificationView, 'kind' | 'count'>[]) {
  const totals = new Map<CountPhrase, number>();
  for (const n of list) {
    const phrase = phraseOf[n.kind] ?? 'other';
    totals.set(phrase, (totals.get(phrase) ?? 0) + Math.max(1, n.count));
  }
  const parts = phraseOrder
    .filter((p) => totals.has(p))
    .map((p) => t(`notifications.email.count.${p}`, { count: totals.get(p)! }));
  return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(parts);
}
