import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, errorMessage, FormErrors, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { AccountNav } from '../accounts/index.js';
import type { ReminderSettings } from './reminder-settings.js';

type SettingName = 'byEmail' | 'inApp' | 'dayBefore' | 'hourBefore';

/** One checkbox with its label and, when there is one, its hint and error, tied to it for screen readers. */
function Choice({
  ctx,
  name,
  checked,
  label,
  hint,
  errors,
}: {
  ctx: PageContext;
  name: SettingName;
  checked: boolean;
  label: string;
  hint?: string | undefined;
  errors: FieldErrors;
}) {
  const id = `field-${name}`;
  const error = errors[name];
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={error ? 'choice field-error' : 'choice'}>
      <input type="checkbox" id={id} name={name} checked={checked} aria-describedby={describedBy || undefined} />
      <label for={id}>{label}</label>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="error" id={`${id}-error`}>
          {errorMessage(ctx, error)}
        </p>
      ) : null}
    </div>
  );
}

/** The calendar address, just made: shown this once, to copy or to open in a calendar app. */
function NewAddress({ ctx, urls }: { ctx: PageContext; urls: { https: string; webcal: string } }) {
  const { t } = ctx;
  return (
    <div class="notice" role="status">
      <p>
        <label for="calendar-address">{t('meetings.account.addressLabel')}</label>
      </p>
      <p class="hint" id="calendar-address-hint">
        {t('meetings.account.addressHint')}
      </p>
      <input
        id="calendar-address"
        type="text"
        readOnly
        value={urls.https}
        class="copy-field"
        aria-describedby="calendar-address-hint"
      />
      <p>
        <a href={urls.webcal}>{t('meetings.account.subscribe')}</a>
      </p>
    </div>
  );
}

/** How to add the address to the common calendar apps. */
function HowTo({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  return (
    <details>
      <summary>{t('meetings.account.howTo')}</summary>
      <ul>
        <li>{t('meetings.account.howToApple')}</li>
        <li>{t('meetings.account.howToGoogle')}</li>
        <li>{t('meetings.account.howToOutlook')}</li>
      </ul>
    </details>
  );
}

/**
 * /account/meetings: when and how to be reminded of meetings, and the personal calendar address
 * (shown once, when made; a new one replaces it).
 */
export function MeetingsAccountPage({
  ctx,
  settings,
  errors = {},
  values,
  newAddress,
}: {
  ctx: PageContext;
  settings: ReminderSettings;
  errors?: FieldErrors;
  /** What the person sent, when the form comes back with an error. */
  values?: Record<string, string> | undefined;
  /** The address just made, to show this once. */
  newAddress?: { https: string; webcal: string } | undefined;
}) {
  const { t } = ctx;
  const checked = (name: SettingName) => (values ? values[name] === 'on' : settings[name]);
  const hasCalendar = settings.hasCalendar || newAddress !== undefined;
  return (
    <Layout ctx={ctx} title={t('meetings.account.title')}>
      <h1>{t('meetings.account.title')}</h1>
      <AccountNav ctx={ctx} />
      <p>{t('meetings.account.intro')}</p>
      <section class="panel" aria-labelledby="reminders-heading">
        <h2 id="reminders-heading">{t('meetings.account.remindersHeading')}</h2>
        {settings.emailConfirmed ? null : <p class="notice">{t('meetings.account.unconfirmed')}</p>}
        {settings.mailPaused ? (
          <p class="notice">
            {t('meetings.account.paused')} <a href="/account/email">{t('meetings.account.emailSettings')}</a>
          </p>
        ) : null}
        <FormErrors ctx={ctx} errors={errors} />
        <form method="post" action="/account/meetings" novalidate>
          <CsrfField ctx={ctx} />
          <fieldset class="field">
            <legend>{t('meetings.account.when')}</legend>
            <Choice
              ctx={ctx}
              name="dayBefore"
              checked={checked('dayBefore')}
              label={t('meetings.account.dayBefore')}
              errors={errors}
            />
            <Choice
              ctx={ctx}
              name="hourBefore"
              checked={checked('hourBefore')}
              label={t('meetings.account.hourBefore')}
              errors={errors}
            />
          </fieldset>
          <fieldset class="field">
            <legend>{t('meetings.account.how')}</legend>
            <Choice
              ctx={ctx}
              name="byEmail"
              checked={checked('byEmail')}
              label={t('meetings.account.byEmail')}
              hint={t('meetings.account.byEmailHint')}
              errors={errors}
            />
            <Choice
              ctx={ctx}
              name="inApp"
              checked={checked('inApp')}
              label={t('meetings.account.inApp')}
              errors={errors}
            />
          </fieldset>
          <button type="submit" class="button">
            {t('meetings.account.save')}
          </button>
        </form>
      </section>
      <section class="panel" aria-labelledby="calendar-heading">
        <h2 id="calendar-heading">{t('meetings.account.calendarHeading')}</h2>
        <p>{t('meetings.account.calendarIntro')}</p>
        <p>{t('meetings.account.calendarPrivate')}</p>
        {newAddress ? <NewAddress ctx={ctx} urls={newAddress} /> : null}
        {newAddress ? null : (
          <p>{hasCalendar ? t('meetings.account.hasCalendar') : t('meetings.account.noCalendar')}</p>
        )}
        <form method="post" action="/account/meetings/calendar/reset">
          <CsrfField ctx={ctx} />
          <button type="submit" class={hasCalendar ? 'button button-secondary' : 'button'}>
            {hasCalendar ? t('meetings.account.reset') : t('meetings.account.make')}
          </button>
        </form>
        <HowTo ctx={ctx} />
      </section>
    </Layout>
  );
}
