import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, FormErrors, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { GroupFields } from '../groups/index.js';
import type { OrganisationAccess } from './policy.js';
import { organisationUrl } from './views.js';

/**
 * Starting a group for an organisation: the same fields as /groups/new, posted to the
 * organisation's address so the group belongs to it. Organisations mostly run facilitated,
 * members-only groups, so those are chosen to begin with.
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
  return (
    <Layout ctx={ctx} title={title}>
      <p class="breadcrumb">
        <a href={base}>{organisation.name}</a>
      </p>
      <section class="panel">
        <h1>{title}</h1>
        <p class="lede">{t('organisations.newGroup.intro')}</p>
        <FormErrors ctx={ctx} errors={errors} />
        <form method="post" action={`${base}/groups/new`} novalidate>
          <CsrfField ctx={ctx} />
          <GroupFields
            ctx={ctx}
            errors={errors}
            values={values}
            defaults={{ leadership: 'professional', visibility: 'members' }}
          />
          <button type="submit" class="button">
            {t('groups.new.submit')}
          </button>
        </form>
      </section>
    </Layout>
  );
}
