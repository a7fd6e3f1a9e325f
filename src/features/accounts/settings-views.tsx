import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, FormErrors, type FieldErrors } from '../../platform/views/forms.js';
import { supportedLocales, type MessageKey } from '../../platform/views/i18n.js';
import { Layout } from '../../platform/views/layout.js';
import { countryList } from '../../platform/text/countries.js';
import { timeZoneList, type Settings } from './settings.js';
import { AccountNav } from './views.js';

function FieldError({ ctx, errors, name }: { ctx: PageContext; errors: FieldErrors; name: string }) {
  const error = errors[name];
  return error ? (
    <p class="error" id={`field-${name}-error`}>
      {ctx.t(error as MessageKey)}
    </p>
  ) : null;
}

/** The settings form; what was typed comes back after an error, as in every form. */
export function SettingsPage({
  ctx,
  settings,
  errors = {},
  values,
}: {
  ctx: PageContext;
  settings: Settings;
  errors?: FieldErrors;
  values?: Record<string, string> | undefined;
}) {
  const { t } = ctx;
  const v = values
    ? {
        membershipVisibility: values.membershipVisibility ?? '',
        appearOnline: values.appearOnline === 'on',
        emailReplies: settings.emailReplies,
        emailNewsletters: values.emailNewsletters === 'on',
        timeZone: values.timeZone ?? '',
        locale: values.locale ?? '',
        country: values.country ?? '',
      }
    : settings;
  const languageName = (code: string) => new Intl.DisplayNames([ctx.locale], { type: 'language' }).of(code) ?? code;
  return (
    <Layout ctx={ctx} title={t('accounts.settings.title')}>
      <h1>{t('accounts.settings.title')}</h1>
      <AccountNav ctx={ctx} />
      <FormErrors ctx={ctx} errors={errors} />
      <form method="post" action="/account/settings" novalidate>
        <CsrfField ctx={ctx} />
        <section class="panel" aria-labelledby="privacy-heading">
          <h2 id="privacy-heading">{t('accounts.settings.privacy')}</h2>
          <fieldset class="field">
            <legend>{t('accounts.settings.membership.legend')}</legend>
            <p class="hint">{t('accounts.settings.membership.hint')}</p>
            <FieldError ctx={ctx} errors={errors} name="membershipVisibility" />
            {(['members', 'nobody'] as const).map((choice) => (
              <label key={choice} class="choice">
                <input
                  type="radio"
                  name="membershipVisibility"
                  value={choice}
                  checked={v.membershipVisibility === choice}
                />{' '}
                {t(`accounts.settings.membership.${choice}`)}
              </label>
            ))}
          </fieldset>
          <div class="field">
            <label class="choice">
              <input type="checkbox" name="appearOnline" checked={v.appearOnline} aria-describedby="online-hint" />{' '}
              {t('accounts.settings.online.label')}
            </label>
            <p class="hint" id="online-hint">
              {t('accounts.settings.online.hint')}
            </p>
          </div>
        </section>

        <section class="panel" aria-labelledby="email-heading">
          <h2 id="email-heading">{t('accounts.settings.email.heading')}</h2>
          <p class="hint">{t('accounts.settings.email.always')}</p>
          <p>
            <a href="/account/notifications">{t('accounts.settings.email.replies')}</a>
          </p>
          <p>
            <a href="/account/email">{t('accounts.settings.email.lists')}</a>
          </p>
          <div class="field">
            <label class="choice">
              <input type="checkbox" name="emailNewsletters" checked={v.emailNewsletters} />{' '}
              {t('accounts.settings.email.newsletters')}
            </label>
          </div>
        </section>

        <section class="panel" aria-labelledby="place-heading">
          <h2 id="place-heading">{t('accounts.settings.place')}</h2>
          <div class={errors.timeZone ? 'field field-error' : 'field'}>
            <label for="field-timeZone">{t('accounts.settings.timeZone')}</label>
            <p class="hint" id="field-timeZone-hint">
              {t('accounts.settings.timeZoneHint')}
            </p>
            <FieldError ctx={ctx} errors={errors} name="timeZone" />
            <select id="field-timeZone" name="timeZone" aria-describedby="field-timeZone-hint">
              {timeZoneList.map((zone) => (
                <option key={zone} value={zone} selected={v.timeZone === zone}>
                  {zone.replace(/_/g, ' ')}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="field-country">{t('accounts.settings.country')}</label>
            <p class="hint" id="field-country-hint">
              {t('accounts.settings.countryHint')}
            </p>
            <FieldError ctx={ctx} errors={errors} name="country" />
            <select id="field-country" name="country" aria-describedby="field-country-hint">
              <option value="" selected={!v.country}>
                {t('accounts.settings.countryFromBrowser')}
              </option>
              {countryList(ctx.locale).map((c) => (
                <option key={c.code} value={c.code} selected={v.country === c.code}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="field-locale">{t('accounts.settings.language')}</label>
            <FieldError ctx={ctx} errors={errors} name="locale" />
            <select id="field-locale" name="locale">
              <option value="auto" selected={v.locale === 'auto'}>
                {t('accounts.settings.browserLanguage')}
              </option>
              {supportedLocales.map((code) => (
                <option key={code} value={code} selected={v.locale === code}>
                  {languageName(code)}
                </option>
              ))}
            </select>
          </div>
        </section>
        <button type="submit" class="button">
          {t('accounts.settings.submit')}
        </button>
      </form>
    </Layout>
  );
}
