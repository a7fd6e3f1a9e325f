import type { PageContext } from '../../platform/http/page.js';
import { AgreementsChangedNotification, WelcomeNotification } from '../agreements/index.js';
import { ListingNotification } from '../directory/index.js';
import { ThanksNotification, ThreadSeenNotification } from '../support/index.js';
import { ResourceNotification } from '../resources/index.js';
import { MeetingNewsNotification, MeetingReminderNotification } from '../meetings/index.js';
import { PollNotification } from '../polls/index.js';
import { isStayingInTouchKind, StayingInTouchMessage } from './kind-views.js';
import type { NotificationView } from './reading.js';
import type { NotificationRow } from './service.js';

/** What one notification says, by its kind, with the links it offers. */
export function NotificationMessage({ ctx, n }: { ctx: PageContext; n: NotificationView }) {
  const { t } = ctx;
  if (isStayingInTouchKind(n.kind)) return <StayingInTouchMessage ctx={ctx} n={{ ...n, kind: n.kind }} />;
  switch (n.kind) {
    case 'author_revealed':
      return (
        <>
          <p>
            {t(
              n.actorRole === 'siteAdmin' ? 'notifications.revealed.byAdmin' : 'notifications.revealed.byFacilitator',
              {
                group: n.group?.name ?? t('notifications.formerGroup'),
              },
            )}
          </p>
          {n.reason ? (
            <p>
              {t('notifications.revealed.reason')} <q>{n.reason}</q>
            </p>
          ) : null}
          {n.group && n.threadId && n.postId ? (
            <p>
              <a href={`/g/${n.group.slug}/t/${n.threadId}#post-${n.postId}`}>{t('notifications.revealed.open')}</a>
            </p>
          ) : null}
        </>
      );
    case 'crisis_alert':
    case 'check_in_request':
    case 'check_in_message':
      return <SafetyMessage ctx={ctx} n={n} />;
    case 'flag_outcome':
    case 'moderator_warning':
    case 'silenced':
      return <ModerationMessage ctx={ctx} n={n} />;
    case 'listing_approved':
    case 'listing_declined':
    case 'listing_claim_approved':
    case 'listing_claim_declined':
      return <ListingNotification ctx={ctx} n={n} />;
    case 'thanks_received':
      return <ThanksNotification ctx={ctx} n={n} />;
    case 'thread_seen':
      return <ThreadSeenNotification ctx={ctx} n={n} />;
    case 'coping_request':
    case 'resource_approved':
    case 'resource_declined':
      return <ResourceNotification ctx={ctx} n={n} />;
    case 'meeting_reminder':
      return <MeetingReminderNotification ctx={ctx} n={n} />;
    case 'meeting_place_offered':
    case 'meeting_cancelled':
    case 'meeting_changed':
      return <MeetingNewsNotification ctx={ctx} n={n} />;
    case 'group_welcome':
      return <WelcomeNotification ctx={ctx} n={n} />;
    case 'agreements_changed':
      return <AgreementsChangedNotification ctx={ctx} n={n} />;
    case 'poll_closed':
      return <PollNotification ctx={ctx} n={n} />;
  }
}

/**
 * Safety: to a group's leaders, that a post may come from someone in crisis, or that its author
 * asked for a check-in (with the way to their safety page); to an author, a leader's check-in.
 */
function SafetyMessage({ ctx, n }: { ctx: PageContext; n: NotificationRow }) {
  const { t } = ctx;
  const group = n.group?.name ?? t('notifications.formerGroup');
  const text =
    n.kind === 'crisis_alert'
      ? t('notifications.crisisAlert.text', { group })
      : n.kind === 'check_in_request'
        ? t('notifications.checkInRequest.text', { group })
        : t(
            n.actorRole === 'facilitator' ? 'notifications.checkIn.byFacilitator' : 'notifications.checkIn.byModerator',
            {
              group,
            },
          );
  return (
    <>
      <p>{text}</p>
      {n.kind === 'check_in_message' && n.reason ? <blockquote class="check-in-message">{n.reason}</blockquote> : null}
      {n.group && n.threadId && n.postId ? (
        <p>
          <a href={`/g/${n.group.slug}/t/${n.threadId}#post-${n.postId}`}>{t('notifications.openPost')}</a>
          {n.kind === 'check_in_message' ? null : (
            <>
              {' · '}
              <a href={`/g/${n.group.slug}/safety`}>{t('notifications.crisisAlert.alerts')}</a>
            </>
          )}
        </p>
      ) : null}
      {n.group && !n.threadId && n.kind !== 'check_in_message' ? (
        // About a live chat message, which has no thread: the alerts page shows it and links to its room.
        <p>
          <a href={`/g/${n.group.slug}/safety`}>{t('notifications.crisisAlert.alerts')}</a>
        </p>
      ) : null}
      {n.kind === 'check_in_message' ? (
        <p>
          <a href="/help">{t('notifications.checkIn.help')}</a>
        </p>
      ) : null}
    </>
  );
}

const flagOutcomes = ['approved', 'hidden', 'deleted', 'content_warning', 'warned', 'silenced', 'removed'] as const;

/**
 * What moderators decided: to a flagger, the outcome of their flag (a flag_outcome's reason is the
 * outcome); to an author, a moderator's private warning or a pause from posting. Never who decided.
 */
function ModerationMessage({ ctx, n }: { ctx: PageContext; n: NotificationRow }) {
  const { t } = ctx;
  const group = n.group?.name ?? t('notifications.formerGroup');
  const outcome = flagOutcomes.find((o) => o === n.reason);
  // A post that was hidden or deleted is not there to see.
  const linked = n.kind !== 'flag_outcome' || (outcome !== 'hidden' && outcome !== 'deleted');
  return (
    <>
      {n.kind === 'flag_outcome' ? (
        <p>{t(`notifications.flagOutcome.${outcome ?? 'approved'}`, { group })}</p>
      ) : (
        <>
          <p>{t(n.kind === 'silenced' ? 'notifications.silenced.text' : 'notifications.warning.text', { group })}</p>
          {n.reason ? (
            <p>
              {t(n.kind === 'silenced' ? 'notifications.silenced.reason' : 'notifications.warning.message')}{' '}
              <q>{n.reason}</q>
            </p>
          ) : null}
        </>
      )}
      {linked && n.group && n.threadId && n.postId ? (
        <p>
          <a href={`/g/${n.group.slug}/t/${n.threadId}#post-${n.postId}`}>{t('notifications.openPost')}</a>
        </p>
      ) : null}
    </>
  );
}
