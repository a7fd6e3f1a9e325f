import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, Field, FormErrors, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { AcceptAgreementsField } from '../agreements/index.js';
import { nameInGroup } from './aliases.js';
import type { GroupAccess } from './policy.js';
import { GroupHeader } from './views.js';

/** The alias field, as joining, applying, accepting an invitation and changing one's name share it. */
export function AliasField({
  ctx,
  errors,
  value,
}: {
  ctx: PageContext;
  errors: FieldErrors;
  value: string | undefined;
}) {
  const { t } = ctx;
  return (
    <Field
      ctx={ctx}
      name="alias"
      label={t('groups.name.field')}
      hint={t('groups.name.hint', { pseudonym: ctx.viewer?.pseudonym ?? '' })}
      errors={errors}
      value={value}
      maxLength={40}
    />
  );
}

/**
 * "How you appear in this group": a member's name there, and the form to change it; for someone
 * not in yet, how to come in under another name.
 */
export function NamePage({
  ctx,
  access,
  errors = {},
  values,
}: {
  ctx: PageContext;
  access: GroupAccess;
  errors?: FieldErrors;
  values?: Record<string, string>;
}) {
  const { t } = ctx;
  const { group } = access;
  return (
    <Layout ctx={ctx} title={t('groups.name.title', { name: group.name })}>
      <GroupHeader ctx={ctx} access={access} />
      <section class="panel" aria-labelledby="name-heading">
        <h2 id="name-heading">{t('groups.name.heading')}</h2>
        <p>{t('groups.name.intro')}</p>
        <FormErrors ctx={ctx} errors={errors} />
        {access.membership ? (
          <>
            <p>
              {t('groups.name.current')} <strong>{nameInGroup(access)}</strong>
            </p>
            <form method="post" action={`/g/${group.slug}/name`} novalidate>
              <CsrfField ctx={ctx} />
              <AliasField ctx={ctx} errors={errors} value={values ? values.alias : (access.alias ?? '')} />
              <p class="hint">{t('groups.name.renames')}</p>
              <button type="submit" class="button">
                {t('groups.name.submit')}
              </button>
            </form>
          </>
        ) : access.banned ? (
          <p>{t('groups.errors.banned')}</p>
        ) : group.joinPolicy === 'open' ? (
          <form method="post" action={`/g/${group.slug}/join`} novalidate>
            <CsrfField ctx={ctx} />
            <AliasField ctx={ctx} errors={errors} value={values?.alias} />
            <AcceptAgreementsField
              ctx={ctx}
              access={access}
              errors={errors}
              checked={values?.acceptAgreements === 'on'}
            />
            <button type="submit" class="button">
              {t('groups.name.join')}
            </button>
          </form>
        ) : group.joinPolicy === 'approval' ? (
          <p>
            <a href={`/g/${group.slug}/apply`}>{t('groups.name.onApplication')}</a>
          </p>
        ) : (
          <p>{t('groups.name.onceIn')}</p>
        )}
      </section>
    </Layout>
  );
}
