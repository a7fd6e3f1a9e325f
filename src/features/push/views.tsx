import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, FormErrors, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { formatDateTime } from '../../platform/views/time.js';
import { AccountNav } from '../accounts/index.js';
import type { PushPageData } from './subscriptions.js';

/**
 * /account/push: turning push on for this device (push.js; each reason it cannot is explained
 * where it applies), the devices that get pushes, a test, and the lock-screen choice.
 */
export function AccountPushPage({
  ctx,
  data,
  available,
  errors = {},
}: {
  ctx: PageContext;
  data: PushPageData;
  available: boolean;
  errors?: FieldErrors;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('push.account.title')} scripts={available ? ['push.js'] : []}>
      <h1>{t('push.account.title')}</h1>
      <AccountNav ctx={ctx} />
      <FormErrors ctx={ctx} errors={errors} />
      <p>{t('push.account.intro')}</p>
      <p class="hint">{t('push.account.private')}</p>
      {available ? (
        <section
          class="panel"
          aria-labelledby="push-device-heading"
          id="push-device"
          data-csrf={ctx.csrfToken}
          data-enabling={t('push.account.enabling')}
          data-failed={t('push.account.failed')}
        >
          <h2 id="push-device-heading">{t('push.account.thisDevice')}</h2>
          <p data-push="script">{t('push.account.needsScript')}</p>
          <p data-push="unsupported" hidden>
            {t('push.account.unsupported')}
          </p>
          <p data-push="denied" hidden>
            {t('push.account.denied')}
          </p>
          <p data-push="ready" hidden>
            <button type="button" class="button" data-push-enable>
              {t('push.account.enable')}
            </button>
          </p>
          <p id="push-status" role="status"></p>
        </section>
      ) : (
        <p class="notice">{t('push.account.unavailable')}</p>
      )}

      <section class="panel" aria-labelledby="push-devices-heading">
        <h2 id="push-devices-heading">{t('push.account.devices')}</h2>
        {data.devices.length === 0 ? <p class="empty">{t('push.account.noDevices')}</p> : null}
        <ul class="plain-list">
          {data.devices.map((d) => {
            const name = d.label || t('push.account.unknownDevice');
            return (
              <li key={d.id}>
                <strong>{name}</strong> ·{' '}
                <span class="muted">
                  {t('push.account.since', { date: formatDateTime(ctx, d.createdAt) })} ·{' '}
                  {d.lastSuccessAt
                    ? t('push.account.lastSent', { when: formatDateTime(ctx, d.lastSuccessAt) })
                    : t('push.account.neverSent')}
                </span>{' '}
                <form method="post" action={`/push/subscriptions/${d.id}/delete`} class="inline-form">
                  <CsrfField ctx={ctx} />
                  <button type="submit" class="link-button">
                    {t('push.account.remove')}{' '}
                    <span class="visually-hidden">{t('push.account.removeDevice', { device: name })}</span>
                  </button>
                </form>
              </li>
            );
          })}
        </ul>
        {available && data.devices.length > 0 ? (
          <form method="post" action="/account/push">
            <CsrfField ctx={ctx} />
            <input type="hidden" name="intent" value="test" />
            <p class="hint" id="push-test-hint">
              {t('push.account.testHint')}
            </p>
            <button type="submit" class="button button-secondary" aria-describedby="push-test-hint">
              {t('push.account.test')}
            </button>
          </form>
        ) : null}
      </section>

      <section class="panel" aria-labelledby="push-lock-heading">
        <h2 id="push-lock-heading">{t('push.account.lockScreen')}</h2>
        <form method="post" action="/account/push">
          <CsrfField ctx={ctx} />
          <input type="hidden" name="intent" value="details" />
          <div class="field">
            <label class="choice">
              <input type="checkbox" name="details" checked={data.details} aria-describedby="push-details-hint" />{' '}
              {t('push.account.details')}
            </label>
            <p class="hint" id="push-details-hint">
              {t('push.account.detailsHint')}
            </p>
          </div>
          <button type="submit" class="button">
            {t('push.account.save')}
          </button>
        </form>
        <p>
          <a href="/account/notifications">{t('push.account.choose')}</a>
        </p>
      </section>
    </Layout>
  );
}

/**
 * What the service worker shows when a page cannot be reached. It is kept on the device, so it is
 * the same for everyone and holds nothing of anyone: it is rendered as a visitor sees it.
 */
export function OfflinePage({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  // Not a copy of ctx: spreading it would make a CSRF token, and the page personal.
  const visitor: PageContext = {
    t,
    locale: ctx.locale,
    viewer: null,
    timeZone: 'UTC',
    get csrfToken() {
      return ctx.csrfToken;
    },
    path: '/offline',
    baseUrl: ctx.baseUrl,
    notice: undefined,
  };
  return (
    <Layout ctx={visitor} title={t('push.offline.title')}>
      <h1>{t('push.offline.title')}</h1>
      <p>{t('push.offline.text')}</p>
      <p>
        {/* An empty address is the page itself: the one that could not be reached. */}
        <a href="" class="button">
          {t('push.offline.retry')}
        </a>
      </p>
      <p>
        <strong>{t('push.offline.danger')}</strong>
      </p>
    </Layout>
  );
}
