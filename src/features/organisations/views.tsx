import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, Field, FormErrors, PostButton, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { renderMarkdown } from '../../platform/views/markdown.js';
import { RelativeTime } from '../../platform/views/time.js';
import type { Group } from '../groups/index.js';
import { canCreateOrganisation, canManageOrganisation, type OrganisationAccess } from './policy.js';
import type { Organisation } from './schema.js';
import { organisationKinds, type AdminRow, type OrganisationListing } from './service.js';

export const organisationUrl = (o: Organisation) => `/o/${o.slug}`;

function KindBadge({ ctx, organisation }: { ctx: PageContext; organisation: Organisation }) {
  return <span class="badge">{ctx.t(`organisations.kinds.${organisation.kind}`)}</span>;
}

/** The website's address without its scheme, so people can see where a link goes before following it. */
function displayAddress(website: string): string {
  const url = new URL(website);
  const path = url.pathname === '/' ? '' : url.pathname;
  return `${url.host}${path}`;
}

export function OrganisationsPage({ ctx, listing }: { ctx: PageContext; listing: OrganisationListing[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('organisations.list.title')} description={t('organisations.list.description')}>
      <div class="section-head">
        <h1>{t('organisations.list.title')}</h1>
        {canCreateOrganisation(ctx.viewer) ? (
          <a class="button" href="/organisations/new">
            {t('organisations.list.add')}
          </a>
        ) : null}
      </div>
      <p class="lede">{t('organisations.list.intro')}</p>
      {listing.length === 0 ? (
        <p class="empty">{t('organisations.list.none')}</p>
      ) : (
        <ul class="cards">
          {listing.map(({ organisation, listedGroups }) => (
            <li key={organisation.id} class="card">
              <h2 class="card-title">
                <a href={organisationUrl(organisation)}>{organisation.name}</a>
              </h2>
              <p class="meta">
                <KindBadge ctx={ctx} organisation={organisation} />{' '}
                <span>{t('organisations.groupCount', { count: listedGroups })}</span>
              </p>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

function KindSelect({ ctx, errors, value }: { ctx: PageContext; errors: FieldErrors; value: string | undefined }) {
  const { t } = ctx;
  const error = errors.kind;
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for="field-kind">{t('organisations.fields.kind')}</label>
      {error ? (
        <p class="error" id="field-kind-error">
          {t('organisations.errors.kind')}
        </p>
      ) : null}
      <select
        id="field-kind"
        name="kind"
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? 'field-kind-error' : undefined}
      >
        {organisationKinds.map((kind) => (
          <option key={kind} value={kind} selected={(value ?? 'hospital') === kind}>
            {t(`organisations.kinds.${kind}`)}
          </option>
        ))}
      </select>
    </div>
  );
}

export function NewOrganisationPage({
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
    <Layout ctx={ctx} title={t('organisations.new.title')}>
      <p class="breadcrumb">
        <a href="/organisations">{t('organisations.list.title')}</a>
      </p>
      <section class="panel">
        <h1>{t('organisations.new.title')}</h1>
        <p class="lede">{t('organisations.new.intro')}</p>
        <FormErrors ctx={ctx} errors={errors} />
        <form method="post" action="/organisations/new" novalidate>
          <CsrfField ctx={ctx} />
          <Field
            ctx={ctx}
            name="name"
            label={t('organisations.fields.name')}
            errors={errors}
            value={values.name}
            required
            maxLength={100}
          />
          <KindSelect ctx={ctx} errors={errors} value={values.kind} />
          <Field
            ctx={ctx}
            name="description"
            label={t('organisations.fields.description')}
            hint={t('organisations.fields.descriptionHint')}
            errors={errors}
            value={values.description}
            multiline
          />
          <Field
            ctx={ctx}
            name="website"
            label={t('organisations.fields.website')}
            hint={t('organisations.fields.websiteHint')}
            errors={errors}
            value={values.website}
            autocomplete="url"
            maxLength={300}
          />
          <button type="submit" class="button">
            {t('organisations.new.submit')}
          </button>
        </form>
      </section>
    </Layout>
  );
}

function OrganisationGroupCard({ ctx, group }: { ctx: PageContext; group: Group }) {
  const { t } = ctx;
  return (
    <li class="card">
      <h3 class="card-title">
        <a href={`/g/${group.slug}`}>{group.name}</a>
      </h3>
      <p>{group.summary}</p>
      <p class="meta">
        <span class={`badge badge-${group.leadership}`}>
          {group.leadership === 'peer' ? t('groups.leadership.peer') : t('groups.leadership.professional')}
        </span>{' '}
        {group.listed ? null : (
          <>
            <span class="badge badge-warning">{t('organisations.unlisted')}</span>{' '}
          </>
        )}
        <span>{t('groups.memberCount', { count: group.memberCount })}</span>
      </p>
    </li>
  );
}

export function OrganisationPage({
  ctx,
  access,
  groups,
}: {
  ctx: PageContext;
  access: OrganisationAccess;
  groups: Group[];
}) {
  const { t } = ctx;
  const { organisation } = access;
  const manage = canManageOrganisation(access);
  const base = organisationUrl(organisation);
  return (
    <Layout
      ctx={ctx}
      title={organisation.name}
      description={t('organisations.page.description', { name: organisation.name })}
    >
      <p class="breadcrumb">
        <a href="/organisations">{t('organisations.list.title')}</a>
      </p>
      <header class="group-header">
        <h1>{organisation.name}</h1>
        <dl class="facts">
          <dt>{t('organisations.fields.kind')}</dt>
          <dd>{t(`organisations.kinds.${organisation.kind}`)}</dd>
          {organisation.website ? (
            <>
              <dt>{t('organisations.page.website')}</dt>
              <dd>
                <a href={organisation.website} rel="nofollow ugc noopener">
                  {displayAddress(organisation.website)}
                </a>
              </dd>
            </>
          ) : null}
        </dl>
        {manage ? (
          <div class="actions">
            <a class="button" href={`${base}/groups/new`}>
              {t('organisations.page.startGroup')}
            </a>
            <a href={`${base}/admins`}>{t('organisations.page.admins')}</a>{' '}
            <a href={`${base}/tokens`}>{t('api.tokens.title')}</a>
          </div>
        ) : null}
      </header>
      {organisation.description ? (
        <section class="panel" aria-labelledby="about-heading">
          <h2 id="about-heading">{t('organisations.page.about', { name: organisation.name })}</h2>
          {/* renderMarkdown escapes raw HTML and refuses script links, so its output is safe to insert. */}
          <div class="prose" dangerouslySetInnerHTML={{ __html: renderMarkdown(organisation.description) }} />
        </section>
      ) : null}
      <section aria-labelledby="groups-heading">
        <h2 id="groups-heading">{t('organisations.page.groups')}</h2>
        {manage && groups.some((g) => !g.listed) ? <p class="hint">{t('organisations.unlistedHint')}</p> : null}
        {groups.length === 0 ? (
          <p class="empty">{t('organisations.page.noGroups')}</p>
        ) : (
          <ul class="cards">
            {groups.map((g) => (
              <OrganisationGroupCard key={g.id} ctx={ctx} group={g} />
            ))}
          </ul>
        )}
      </section>
    </Layout>
  );
}

export function AdminsPage({
  ctx,
  access,
  admins,
  errors = {},
  values = {},
}: {
  ctx: PageContext;
  access: OrganisationAccess;
  admins: AdminRow[];
  errors?: FieldErrors;
  values?: Record<string, string>;
}) {
  const { t } = ctx;
  const { organisation } = access;
  const base = organisationUrl(organisation);
  const removable = admins.length > 1;
  return (
    <Layout ctx={ctx} title={t('organisations.admins.title', { name: organisation.name })}>
      <p class="breadcrumb">
        <a href={base}>{organisation.name}</a>
      </p>
      <section class="panel" aria-labelledby="admins-heading">
        <h1 id="admins-heading">{t('organisations.admins.title', { name: organisation.name })}</h1>
        <p>{t('organisations.admins.intro')}</p>
        <FormErrors ctx={ctx} errors={errors} />
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('organisations.admins.name')}</th>
              <th scope="col">{t('organisations.admins.since')}</th>
              {removable ? <th scope="col">{t('organisations.admins.remove')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {admins.map((a) => (
              <tr key={a.pseudonym}>
                <td>{a.pseudonym}</td>
                <td>
                  <RelativeTime ctx={ctx} date={a.since} />
                </td>
                {removable ? (
                  <td>
                    <PostButton
                      ctx={ctx}
                      action={`${base}/admins/${encodeURIComponent(a.pseudonym)}/remove`}
                      className="button button-small button-secondary"
                      label={
                        <>
                          <span aria-hidden="true">{t('organisations.admins.remove')}</span>
                          <span class="visually-hidden">
                            {t('organisations.admins.removeFor', { pseudonym: a.pseudonym })}
                          </span>
                        </>
                      }
                    />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
        {removable ? null : <p class="hint">{t('organisations.admins.keepOne')}</p>}
      </section>
      <section class="panel" aria-labelledby="add-admin-heading">
        <h2 id="add-admin-heading">{t('organisations.admins.add')}</h2>
        <form method="post" action={`${base}/admins`} novalidate>
          <CsrfField ctx={ctx} />
          <Field
            ctx={ctx}
            name="pseudonym"
            label={t('organisations.admins.pseudonym')}
            hint={t('organisations.admins.pseudonymHint')}
            errors={errors}
            value={values.pseudonym}
            autocomplete="off"
            required
            maxLength={40}
          />
          <button type="submit" class="button">
            {t('organisations.admins.addSubmit')}
          </button>
        </form>
      </section>
    </Layout>
  );
}
