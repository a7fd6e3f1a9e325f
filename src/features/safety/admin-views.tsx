import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, Field, FormErrors, PostButton, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { countryName } from '../../platform/text/countries.js';
import { INTERNATIONAL, type CrisisResource } from './schema.js';

type Values = Record<string, string>;

function valuesOf(r: CrisisResource): Values {
  return {
    country: r.country,
    name: r.name,
    description: r.description,
    phone: r.phone ?? '',
    sms: r.sms ?? '',
    chatUrl: r.chatUrl ?? '',
    websiteUrl: r.websiteUrl ?? '',
    hours: r.hours,
    languages: r.languages,
    emergency: r.emergency ? 'on' : '',
    position: String(r.position),
  };
}

function ResourceFields({
  ctx,
  prefix,
  errors,
  values,
}: {
  ctx: PageContext;
  prefix: string;
  errors: FieldErrors;
  values: Values;
}) {
  const { t } = ctx;
  const field = (name: string, label: string, hint?: string, maxLength = 120) => (
    <Field ctx={ctx} name={name} label={label} hint={hint} errors={errors} value={values[name]} maxLength={maxLength} />
  );
  return (
    <>
      {field('country', t('safety.resources.country'), t('safety.resources.countryHint'), 2)}
      {field('name', t('safety.resources.name'))}
      {field('description', t('safety.resources.descriptionField'), undefined, 300)}
      {field('phone', t('safety.resources.phone'), undefined, 40)}
      {field('sms', t('safety.resources.sms'), t('safety.resources.smsHint'), 80)}
      {field('chatUrl', t('safety.resources.chatUrl'), undefined, 500)}
      {field('websiteUrl', t('safety.resources.websiteUrl'), undefined, 500)}
      {field('hours', t('safety.resources.hours'))}
      {field('languages', t('safety.resources.languages'), t('safety.resources.languagesHint'), 60)}
      {field('position', t('safety.resources.position'), undefined, 3)}
      <div class="field">
        <input
          type="checkbox"
          id={`${prefix}-emergency`}
          name="emergency"
          checked={values.emergency === 'on' || values.emergency === 'true'}
        />{' '}
        <label for={`${prefix}-emergency`}>{t('safety.resources.emergency')}</label>
      </div>
    </>
  );
}

/** Site admins keep the crisis resources shown on /help and in the crisis panel up to date. */
export function ResourcesAdminPage({
  ctx,
  resources,
  editing,
  errors = {},
  values = {},
}: {
  ctx: PageContext;
  resources: CrisisResource[];
  /** The resource being edited (its id), or 'new' for the add form. */
  editing?: number | 'new' | undefined;
  errors?: FieldErrors;
  values?: Values;
}) {
  const { t } = ctx;
  const editingOne = typeof editing === 'number' ? resources.find((r) => r.id === editing) : undefined;
  return (
    <Layout ctx={ctx} title={t('safety.resources.title')}>
      <h1>{t('safety.resources.title')}</h1>
      <p>{t('safety.resources.intro')}</p>
      <FormErrors ctx={ctx} errors={errors} />
      {editingOne ? (
        <section aria-labelledby="edit-resource">
          <h2 id="edit-resource">{t('safety.resources.editHeading', { name: editingOne.name })}</h2>
          <form method="post" action={`/admin/crisis-resources/${editingOne.id}`}>
            <CsrfField ctx={ctx} />
            <ResourceFields ctx={ctx} prefix="edit" errors={errors} values={{ ...valuesOf(editingOne), ...values }} />
            <button type="submit" class="button">
              {t('safety.resources.save')}
            </button>
          </form>
        </section>
      ) : null}
      <table class="table">
        <caption>{t('safety.resources.listCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('safety.resources.country')}</th>
            <th scope="col">{t('safety.resources.name')}</th>
            <th scope="col">{t('safety.resources.contact')}</th>
            <th scope="col">{t('safety.resources.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {resources.map((r) => (
            <tr key={r.id}>
              <td>
                {r.country === INTERNATIONAL ? t('safety.resources.everywhere') : countryName(ctx.locale, r.country)}
              </td>
              <td>
                {r.name}
                {r.emergency ? ` (${t('safety.resources.emergencyShort')})` : ''}
              </td>
              <td>{[r.phone, r.sms, r.chatUrl, r.websiteUrl].filter(Boolean).join(' · ')}</td>
              <td>
                <a href={`/admin/crisis-resources?edit=${r.id}#edit-resource`}>{t('safety.resources.edit')}</a>{' '}
                <PostButton
                  ctx={ctx}
                  action={`/admin/crisis-resources/${r.id}/delete`}
                  label={t('safety.resources.remove', { name: r.name })}
                  className="link-button"
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {/* One form at a time: the fields of two forms on one page would share their ids. */}
      {editingOne ? null : (
        <section aria-labelledby="add-resource">
          <h2 id="add-resource">{t('safety.resources.addHeading')}</h2>
          <form method="post" action="/admin/crisis-resources">
            <CsrfField ctx={ctx} />
            <ResourceFields
              ctx={ctx}
              prefix="add"
              errors={editing === 'new' ? errors : {}}
              values={editing === 'new' ? values : {}}
            />
            <button type="submit" class="button">
              {t('safety.resources.add')}
            </button>
          </form>
        </section>
      )}
    </Layout>
  );
}
