import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, Field, FormErrors, type FieldErrors } from '../../platform/views/forms.js';
import type { MessageKey } from '../../platform/views/i18n.js';
import { Layout } from '../../platform/views/layout.js';
import { groupLanguages } from '../groups/index.js';
import type { OrganisationAccess } from './policy.js';
import { organisationUrl } from './views.js';

function languageName(ctx: PageContext, code: string): string {
  try {
    return new Intl.DisplayNames([ctx.locale], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * Starting a group for an organisation: the same fields as /groups/new, posted to the
 * organisation's address so the group belongs to it.
 */
export function OrganisationGroupFormPage({
  ctx,
  access,
  errors = {},
  values = {},
}: {
  ctx: PageContext;
  access: OrganisationAccess;
  errors?: FieldErrors;
  values?: Record<string, string>;
}) {
  const { t } = ctx;
  const { organisation } = access;
  const base = organisationUrl(organisation);
  const title = t('organisations.newGroup.title', { name: organisation.name });
  const fieldError = (name: string) =>
    errors[name] ? (
      <p class="error" id={`field-${name}-error`}>
        {t(errors[name] as MessageKey)}
      </p>
    ) : null;
  const radio = (name: string, value: string, label: string, hint: string, fallback: string) => (
    <div class="choice">
      <input
        type="radio"
        id={`${name}-${value}`}
        name={name}
        value={value}
        checked={(values[name] ?? fallback) === value}
        aria-describedby={`${name}-${value}-hint`}
      />
      <label for={`${name}-${value}`}>{label}</label>
      <p class="hint" id={`${name}-${value}-hint`}>
        {hint}
      </p>
    </div>
  );
  return (
    <Layout ctx={ctx} title={title} noindex>
      <p class="breadcrumb">
        <a href={base}>{organisation.name}</a>
      </p>
      <section class="panel">
        <h1>{title}</h1>
        <p class="lede">{t('organisations.newGroup.intro')}</p>
        <FormErrors ctx={ctx} errors={errors} />
        <form method="post" action={`${base}/groups/new`} novalidate>
          <CsrfField ctx={ctx} />
          <Field
            ctx={ctx}
            name="name"
            label={t('groups.fields.name')}
            errors={errors}
            value={values.name}
            required
            maxLength={80}
          />
          <Field
            ctx={ctx}
            name="summary"
            label={t('groups.fields.summary')}
            hint={t('groups.fields.summaryHint')}
            errors={errors}
            value={values.summary}
            required
            maxLength={200}
          />
          <Field
            ctx={ctx}
            name="description"
            label={t('groups.fields.description')}
            hint={t('groups.fields.descriptionHint')}
            errors={errors}
            value={values.description}
            multiline
          />
          <Field
            ctx={ctx}
            name="tags"
            label={t('groups.fields.tags')}
            hint={t('groups.fields.tagsHint')}
            errors={errors}
            value={values.tags}
          />
          <div class={errors.language ? 'field field-error' : 'field'}>
            <label for="field-language">{t('groups.fields.language')}</label>
            {fieldError('language')}
            <select
              id="field-language"
              name="language"
              aria-describedby={errors.language ? 'field-language-error' : undefined}
            >
              {groupLanguages.map((code) => (
                <option key={code} value={code} selected={(values.language ?? ctx.locale) === code}>
                  {languageName(ctx, code)}
                </option>
              ))}
            </select>
          </div>
          <fieldset class={errors.leadership ? 'field field-error' : 'field'}>
            <legend>{t('groups.fields.leadership')}</legend>
            {fieldError('leadership')}
            {radio(
              'leadership',
              'professional',
              t('groups.leadership.professional'),
              t('groups.leadership.professionalHint'),
              'professional',
            )}
            {radio('leadership', 'peer', t('groups.leadership.peer'), t('groups.leadership.peerHint'), 'professional')}
          </fieldset>
          <fieldset class={errors.visibility ? 'field field-error' : 'field'}>
            <legend>{t('groups.fields.visibility')}</legend>
            {fieldError('visibility')}
            {radio(
              'visibility',
              'members',
              t('groups.visibility.members'),
              t('groups.visibility.membersHint'),
              'members',
            )}
            {radio('visibility', 'public', t('groups.visibility.public'), t('groups.visibility.publicHint'), 'members')}
          </fieldset>
          <button type="submit" class="button">
            {t('groups.new.submit')}
          </button>
        </form>
      </section>
    </Layout>
  );
}
