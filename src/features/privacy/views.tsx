import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, Field, FormErrors, type FieldErrors } from '../../platform/views/forms.js';
import type { MessageKey } from '../../platform/views/i18n.js';
import { Layout } from '../../platform/views/layout.js';
import { DateTime } from '../../platform/views/time.js';
import { AccountNav } from '../accounts/index.js';
import type { ExportRow } from './exports.js';

/** What Mutual keeps, why, for how long, and who sees it: in plain words. */
export function PrivacyPage({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  const sections = ['account', 'content', 'security', 'addresses', 'mail', 'retention', 'rights', 'outside'] as const;
  return (
    <Layout ctx={ctx} title={t('privacy.page.title')} description={t('privacy.page.intro')}>
      <h1>{t('privacy.page.title')}</h1>
      <p class="lede">{t('privacy.page.intro')}</p>
      {sections.map((s) => (
        <section key={s} class="panel" aria-labelledby={`privacy-${s}`}>
          <h2 id={`privacy-${s}`}>{t(`privacy.page.${s}.heading` as MessageKey)}</h2>
          <p>{t(`privacy.page.${s}.body` as MessageKey)}</p>
        </section>
      ))}
      {ctx.viewer ? (
        <p>
          <a href="/account/data">{t('privacy.page.yourData')}</a>
        </p>
      ) : null}
    </Layout>
  );
}

/** Downloading one's data, and the way to delete the account. */
export function DataPage({ ctx, exports }: { ctx: PageContext; exports: ExportRow[] }) {
  const { t } = ctx;
  const preparing = exports.some((e) => e.status === 'preparing');
  return (
    <Layout ctx={ctx} title={t('privacy.data.title')}>
      <h1>{t('privacy.data.title')}</h1>
      <AccountNav ctx={ctx} />
      <section class="panel" aria-labelledby="export-heading">
        <h2 id="export-heading">{t('privacy.data.export.heading')}</h2>
        <p>{t('privacy.data.export.intro')}</p>
        {exports.length ? (
          <ul class="plain-list">
            {exports.map((e) => (
              <li key={e.id}>
                {t('privacy.data.export.asked')} <DateTime ctx={ctx} date={e.createdAt} />
                {' · '}
                {e.status === 'ready' ? (
                  <>
                    <a href={`/account/data/exports/${e.id}`} download>
                      {t('privacy.data.export.download')}
                    </a>{' '}
                    ({t('privacy.data.export.until')} <DateTime ctx={ctx} date={e.expiresAt} />)
                  </>
                ) : (
                  <span>{t(`privacy.data.export.status.${e.status}`)}</span>
                )}
              </li>
            ))}
          </ul>
        ) : null}
        {preparing ? null : (
          <form method="post" action="/account/data/export">
            <CsrfField ctx={ctx} />
            <button type="submit" class="button">
              {t('privacy.data.export.submit')}
            </button>
          </form>
        )}
      </section>
      <section class="panel" aria-labelledby="delete-heading">
        <h2 id="delete-heading">{t('privacy.data.delete.heading')}</h2>
        <p>{t('privacy.data.delete.intro')}</p>
        <p>
          <a class="button button-danger" href="/account/delete">
            {t('privacy.data.delete.link')}
          </a>
        </p>
      </section>
    </Layout>
  );
}

/** Deleting the account: the choice about posts, the password again, and one clear button. */
export function DeleteAccountPage({
  ctx,
  errors = {},
  values = {},
}: {
  ctx: PageContext;
  errors?: FieldErrors;
  values?: Record<string, string>;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('privacy.delete.title')}>
      <section class="panel narrow">
        <h1>{t('privacy.delete.title')}</h1>
        <p class="lede">{t('privacy.delete.intro')}</p>
        <p>{t('privacy.delete.export')}</p>
        <FormErrors ctx={ctx} errors={errors} />
        <form method="post" action="/account/delete" novalidate>
          <CsrfField ctx={ctx} />
          <fieldset class={errors.posts ? 'field field-error' : 'field'}>
            <legend>{t('privacy.delete.posts.legend')}</legend>
            {errors.posts ? <p class="error">{t(errors.posts as MessageKey)}</p> : null}
            {(['erase', 'keep'] as const).map((choice) => (
              <label key={choice} class="choice">
                <input type="radio" name="posts" value={choice} checked={values.posts === choice} />{' '}
                {t(`privacy.delete.posts.${choice}`)}
              </label>
            ))}
          </fieldset>
          <Field
            ctx={ctx}
            name="password"
            type="password"
            label={t('privacy.delete.password')}
            errors={errors}
            autocomplete="current-password"
            required
          />
          <button type="submit" class="button button-danger">
            {t('privacy.delete.submit')}
          </button>{' '}
          <a href="/account/data">{t('privacy.delete.cancel')}</a>
        </form>
      </section>
    </Layout>
  );
}
