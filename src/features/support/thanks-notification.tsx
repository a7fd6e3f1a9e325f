import type { PageContext } from '../../platform/http/page.js';

/** What a "thanks_received" notification carries (a row of the notifications list). */
interface ThanksNotice {
  group: { slug: string; name: string } | null;
  threadId: number | null;
  postId: number | null;
  /** The sender's name in the group when they thanked. */
  reason: string | null;
}

/** "Sam thanked you for your reply": the note itself is read on the helper's own page. */
export function ThanksNotification({ ctx, n }: { ctx: PageContext; n: ThanksNotice }) {
  const { t } = ctx;
  return (
    <>
      <p>
        {t('notifications.thanksReceived.text', {
          name: n.reason ?? t('support.mine.formerMember'),
          group: n.group?.name ?? t('notifications.formerGroup'),
        })}
      </p>
      <p>
        <a href="/account/support#support-thanks">{t('notifications.thanksReceived.read')}</a>
        {n.group && n.threadId && n.postId ? (
          <>
            {' · '}
            <a href={`/g/${n.group.slug}/t/${n.threadId}#post-${n.postId}`}>
              {t('notifications.thanksReceived.reply')}
            </a>
          </>
        ) : null}
      </p>
    </>
  );
}
