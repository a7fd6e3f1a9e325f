import type { PageContext } from '../../platform/http/page.js';

/** What the notifications page says of this feature's kinds: a suggestion decided, a coping request. */
export function ResourceNotification({
  ctx,
  n,
}: {
  ctx: PageContext;
  n: {
    kind: string;
    group: { slug: string; name: string } | null;
    reason: string | null;
  };
}) {
  const { t } = ctx;
  const group = n.group?.name ?? t('notifications.formerGroup');
  if (n.kind === 'coping_request') {
    return (
      <>
        <p>{t('notifications.copingRequest.text', { group })}</p>
        {n.reason ? (
          <p>
            <q>{n.reason}</q>
          </p>
        ) : null}
        {n.group ? (
          <p>
            <a href={`/g/${n.group.slug}/coping/requests`}>{t('notifications.copingRequest.answer')}</a>
          </p>
        ) : null}
      </>
    );
  }
  const approved = n.kind === 'resource_approved';
  return (
    <>
      <p>{t(approved ? 'notifications.resourceApproved.text' : 'notifications.resourceDeclined.text', { group })}</p>
      {n.reason ? (
        <p>
          {t('notifications.resourceDeclined.about')} <q>{n.reason}</q>
        </p>
      ) : null}
      {n.group ? (
        <p>
          <a href={`/g/${n.group.slug}/resources`}>{t('notifications.resourceApproved.open')}</a>
        </p>
      ) : null}
    </>
  );
}
