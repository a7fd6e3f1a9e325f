import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, errorMessage, FormErrors, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { AccountNav } from '../accounts/index.js';
import { alwaysOnSiteKinds, emailIntervals, kindSections, ownEmailKinds, type Channel } from './preferences.js';
import type { NotificationKind } from './schema.js';
import { channelField, channels, clockText, type NotificationChoices } from './settings.js';

function FieldError({ ctx, errors, name }: { ctx: PageContext; errors: FieldErrors; name: string }) {
  const error = errors[name];
  return error ? (
    <p class="error" id={`field-${name}-error`}>
      {errorMessage(ctx, error)}
    </p>
  ) : null;
}

/**
 * /account/notifications: for each kind of notification, grouped as people think of them, whether
 * it shows on the site, comes by email, and is pushed to their devices; quiet hours on their own
 * clock; how often notification emails may come; and lock-screen privacy. A plain form: it works
 * without JavaScript. After a form with mistakes, every box is as the person left it.
 */
export function NotificationPreferencesPage({
  ctx,
  choices,
  errors = {},
  values,
}: {
  ctx: PageContext;
  choices: NotificationChoices;
  errors?: FieldErrors;
  values?: Record<string, string> | undefined;
}) {
  const { t } = ctx;
  const checked = (kind: NotificationKind, channel: Channel) =>
    values ? values[channelField(kind, channel)] === 'on' : choices.channels[kind][channel];
  const value = (name: string, saved: string) => (values ? (values[name] ?? '') : saved);
  const every = value('emailEvery', String(choices.emailEveryMinutes));
  const on = (name: 'emailDetails' | 'pushDetails') => (values ? values[name] === 'on' : choices[name]);
  const described = (name: string, hint: boolean) =>
    [hint ? `field-${name}-hint` : '', errors[name] ? `field-${name}-error` : ''].filter(Boolean).join(' ') ||
    undefined;
  return (
    <Layout ctx={ctx} title={t('notifications.preferences.title')}>
      <h1>{t('notifications.preferences.title')}</h1>
      <AccountNav ctx={ctx} />
      <p>{t('notifications.preferences.intro')}</p>
      {choices.emailConfirmed ? null : (
        <p class="notice">
          {t('notifications.preferences.unconfirmed')}{' '}
          <a href="/account">{t('notifications.preferences.confirmLink')}</a>
        </p>
      )}
      <FormErrors ctx={ctx} errors={errors} />
      <form method="post" action="/account/notifications" novalidate>
        <CsrfField ctx={ctx} />
        {kindSections.map((section) => (
          <section key={section.key} class="panel" aria-labelledby={`kinds-${section.key}`}>
            <h2 id={`kinds-${section.key}`}>{t(`notifications.preferences.sections.${section.key}`)}</h2>
            <table class="preferences-table" aria-labelledby={`kinds-${section.key}`}>
              <thead>
                <tr>
                  <th scope="col">{t('notifications.preferences.what')}</th>
                  {channels.map((channel) => (
                    <th key={channel} scope="col">
                      {t(`notifications.preferences.channels.${channel}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {section.kinds.map((kind) => (
                  <tr key={kind}>
                    <th scope="row" id={`kind-${kind}`}>
                      {t(`notifications.preferences.kinds.${kind}`)}
                    </th>
                    {channels.map((channel) => (
                      <td key={channel}>
                        <ChannelBox ctx={ctx} kind={kind} channel={channel} checked={checked(kind, channel)} />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}

        <section class="panel" aria-labelledby="quiet-heading">
          <h2 id="quiet-heading">{t('notifications.preferences.quiet.heading')}</h2>
          <p class="hint" id="quiet-hint">
            {t('notifications.preferences.quiet.hint', { zone: ctx.timeZone.replace(/_/g, ' ') })}
          </p>
          <div class={errors.quietFrom ? 'field field-error' : 'field'}>
            <label for="field-quietFrom">{t('notifications.preferences.quiet.from')}</label>
            <FieldError ctx={ctx} errors={errors} name="quietFrom" />
            <input
              type="time"
              id="field-quietFrom"
              name="quietFrom"
              value={value('quietFrom', clockText(choices.quietFrom))}
              aria-describedby={['quiet-hint', described('quietFrom', false)].filter(Boolean).join(' ')}
              aria-invalid={errors.quietFrom ? 'true' : undefined}
            />
          </div>
          <div class={errors.quietUntil ? 'field field-error' : 'field'}>
            <label for="field-quietUntil">{t('notifications.preferences.quiet.until')}</label>
            <FieldError ctx={ctx} errors={errors} name="quietUntil" />
            <input
              type="time"
              id="field-quietUntil"
              name="quietUntil"
              value={value('quietUntil', clockText(choices.quietUntil))}
              aria-describedby={['quiet-hint', described('quietUntil', false)].filter(Boolean).join(' ')}
              aria-invalid={errors.quietUntil ? 'true' : undefined}
            />
          </div>
        </section>

        <section class="panel" aria-labelledby="email-heading">
          <h2 id="email-heading">{t('notifications.preferences.email.heading')}</h2>
          <div class={errors.emailEvery ? 'field field-error' : 'field'}>
            <label for="field-emailEvery">{t('notifications.preferences.email.every')}</label>
            <p class="hint" id="field-emailEvery-hint">
              {t('notifications.preferences.email.everyHint')}
            </p>
            <FieldError ctx={ctx} errors={errors} name="emailEvery" />
            <select id="field-emailEvery" name="emailEvery" aria-describedby={described('emailEvery', true)}>
              {emailIntervals.map((minutes) => (
                <option key={minutes} value={String(minutes)} selected={every === String(minutes)}>
                  {t(`notifications.preferences.email.intervals.m${minutes}`)}
                </option>
              ))}
            </select>
          </div>
        </section>

        <section class="panel" aria-labelledby="privacy-heading">
          <h2 id="privacy-heading">{t('notifications.preferences.privacy.heading')}</h2>
          <p>{t('notifications.preferences.privacy.intro')}</p>
          <div class="field">
            <label class="choice" for="field-emailDetails">
              <input
                type="checkbox"
                id="field-emailDetails"
                name="emailDetails"
                checked={on('emailDetails')}
                aria-describedby="field-emailDetails-hint"
              />{' '}
              <span>{t('notifications.preferences.privacy.emailDetails')}</span>
            </label>
            <p class="hint" id="field-emailDetails-hint">
              {t('notifications.preferences.privacy.emailDetailsHint')}
            </p>
          </div>
          <div class="field">
            <label class="choice" for="field-pushDetails">
              <input
                type="checkbox"
                id="field-pushDetails"
                name="pushDetails"
                checked={on('pushDetails')}
                aria-describedby="field-pushDetails-hint"
              />{' '}
              <span>{t('notifications.preferences.privacy.pushDetails')}</span>
            </label>
            <p class="hint" id="field-pushDetails-hint">
              {t('notifications.preferences.privacy.pushDetailsHint')}
            </p>
          </div>
        </section>
        <button type="submit" class="button">
          {t('notifications.preferences.submit')}
        </button>
      </form>
    </Layout>
  );
}

/**
 * One kind on one channel: a box named by its row and column for screen readers. Kinds that always
 * show on the site, and kinds whose email comes on its own, say so instead of offering a box.
 */
function ChannelBox({
  ctx,
  kind,
  channel,
  checked,
}: {
  ctx: PageContext;
  kind: NotificationKind;
  channel: Channel;
  checked: boolean;
}) {
  const { t } = ctx;
  if (channel === 'inApp' && alwaysOnSiteKinds.has(kind)) return <span>{t('notifications.preferences.always')}</span>;
  if (channel === 'email' && ownEmailKinds.has(kind)) return <span>{t('notifications.preferences.ownEmail')}</span>;
  const id = `field-${kind}-${channel}`;
  return (
    <label for={id} class="choice">
      <input type="checkbox" id={id} name={channelField(kind, channel)} checked={checked} />
      <span class="visually-hidden">
        {t('notifications.preferences.boxLabel', {
          kind: t(`notifications.preferences.kinds.${kind}`),
          channel: t(`notifications.preferences.channels.${channel}`),
        })}
      </span>
    </label>
  );
}

/** The page a notification email's unsubscribe link opens: one button, which needs no sign-in. */
export function NotificationUnsubscribePage({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('notifications.unsubscribe.title')}>
      <h1>{t('notifications.unsubscribe.title')}</h1>
      {/* No action: the form posts back to the link it came from, so the page never repeats the
          token (which names the person) in its own text. */}
      <form method="post">
        <p>{t('notifications.unsubscribe.confirm')}</p>
        <button type="submit" class="button">
          {t('notifications.unsubscribe.button')}
        </button>
      </form>
    </Layout>
  );
}

export function NotificationUnsubscribedPage({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('notifications.unsubscribe.doneTitle')}>
      <h1>{t('notifications.unsubscribe.doneTitle')}</h1>
      <p role="status">{t('notifications.unsubscribe.done')}</p>
      <p>
        <a href="/account/notifications">{t('notifications.unsubscribe.undo')}</a>
      </p>
    </Layout>
  );
}
