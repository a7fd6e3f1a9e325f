import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, errorMessage, Field, FormErrors, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { RelativeTime } from '../../platform/views/time.js';
import { groupLanguages } from '../groups/index.js';
import type { ListingView, MyListing } from './listings.js';
import type { EntryProfileValues, EntryProfileView } from './profile.js';
import { EntryProfileFields, EntryProfileSummary } from './profile-views.js';
import { directoryAccess } from './schema.js';
import type { SearchPresence } from './seo.js';
import type { TopicNode } from './topics.js';

function languageName(locale: string, code: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** A set of radio buttons in a fieldset whose legend names it; its message sits under the legend. */
function Choices({
  ctx,
  name,
  legend,
  options,
  chosen,
  errors,
}: {
  ctx: PageContext;
  name: string;
  legend: string;
  options: { value: string; label: string }[];
  chosen: string | undefined;
  errors: FieldErrors;
}) {
  const error = errors[name];
  return (
    <fieldset class={error ? 'field field-error' : 'field'} aria-describedby={error ? `${name}-error` : undefined}>
      <legend>{legend}</legend>
      {error ? (
        <p class="error" id={`${name}-error`}>
          {errorMessage(ctx, error)}
        </p>
      ) : null}
      {options.map((o) => (
        <div class="choice" key={o.value}>
          <input type="radio" id={`${name}-${o.value}`} name={name} value={o.value} checked={chosen === o.value} />
          <label for={`${name}-${o.value}`}>{o.label}</label>
        </div>
      ))}
    </fieldset>
  );
}

export interface ListingFormProps {
  ctx: PageContext;
  topics: TopicNode[];
  /** The listing's own fields, as typed or as saved. */
  values: Record<string, string>;
  profile: EntryProfileValues;
  errors?: FieldErrors;
  /** Editing listing `id`; absent for a new one. */
  id?: number;
}

/** The form to list a group hosted elsewhere, or change a listing. */
export function ListingFormPage({ ctx, topics, values, profile, errors = {}, id }: ListingFormProps) {
  const { t } = ctx;
  const title = id === undefined ? t('listings.new.title') : t('listings.edit.title');
  const action = id === undefined ? '/listings/new' : `/listings/${id}/edit`;
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      {id === undefined ? <p class="lede">{t('listings.new.intro')}</p> : null}
      <FormErrors ctx={ctx} errors={errors} />
      <form method="post" action={action} novalidate>
        <CsrfField ctx={ctx} />
        <Field
          ctx={ctx}
          name="name"
          label={t('listings.fields.name')}
          errors={errors}
          value={values.name}
          maxLength={80}
        />
        <Field
          ctx={ctx}
          name="summary"
          label={t('listings.fields.summary')}
          hint={t('listings.fields.summaryHint')}
          errors={errors}
          value={values.summary}
          maxLength={200}
        />
        <Field
          ctx={ctx}
          name="description"
          label={t('listings.fields.description')}
          hint={t('listings.fields.descriptionHint')}
          errors={errors}
          value={values.description}
          maxLength={5000}
          multiline
          rows={5}
        />
        <Field
          ctx={ctx}
          name="contact"
          label={t('listings.fields.contact')}
          hint={t('listings.fields.contactHint')}
          errors={errors}
          value={values.contact}
          maxLength={300}
        />
        <Field
          ctx={ctx}
          name="website"
          label={t('listings.fields.website')}
          hint={t('listings.fields.websiteHint')}
          errors={errors}
          value={values.website}
          maxLength={500}
        />
        <Field
          ctx={ctx}
          name="organiser"
          label={t('listings.fields.organiser')}
          hint={t('listings.fields.organiserHint')}
          errors={errors}
          value={values.organiser}
          maxLength={120}
        />
        <Choices
          ctx={ctx}
          name="leadership"
          legend={t('listings.fields.leadership')}
          options={[
            { value: 'peer', label: t('groups.leadership.peer') },
            { value: 'professional', label: t('groups.leadership.professional') },
          ]}
          chosen={values.leadership ?? 'peer'}
          errors={errors}
        />
        <Choices
          ctx={ctx}
          name="access"
          legend={t('listings.fields.access')}
          options={directoryAccess.map((a) => ({ value: a, label: t(`listings.access.${a}`) }))}
          chosen={values.access ?? 'open'}
          errors={errors}
        />
        <Choices
          ctx={ctx}
          name="free"
          legend={t('listings.fields.free')}
          options={[
            { value: 'yes', label: t('listings.free.yes') },
            { value: 'no', label: t('listings.free.no') },
          ]}
          chosen={values.free ?? 'yes'}
          errors={errors}
        />
        <div class={errors.language ? 'field field-error' : 'field'}>
          <label for="field-language">{t('listings.fields.language')}</label>
          {errors.language ? (
            <p class="error" id="field-language-error">
              {errorMessage(ctx, errors.language)}
            </p>
          ) : null}
          <select
            id="field-language"
            name="language"
            aria-describedby={errors.language ? 'field-language-error' : undefined}
          >
            {groupLanguages.map((code) => (
              <option key={code} value={code} selected={(values.language ?? ctx.locale) === code}>
                {languageName(ctx.locale, code)}
              </option>
            ))}
          </select>
        </div>
        <h2>{t('listings.fields.profileHeading')}</h2>
        <EntryProfileFields ctx={ctx} topics={topics} values={profile} errors={errors} />
        <button type="submit" class="button">
          {id === undefined ? t('listings.new.submit') : t('listings.edit.submit')}
        </button>
      </form>
    </Layout>
  );
}

export interface ListingPageProps {
  ctx: PageContext;
  view: ListingView;
  profile: EntryProfileView | null;
  claimPending: boolean;
  canEdit: boolean;
  seo: SearchPresence;
  claimErrors?: FieldErrors;
  claimValues?: Record<string, string>;
}

/** A listing's page: plainly marked as hosted elsewhere, with how to reach the group. */
export function ListingPage({
  ctx,
  view,
  profile,
  claimPending,
  canEdit,
  seo,
  claimErrors = {},
  claimValues = {},
}: ListingPageProps) {
  const { t } = ctx;
  const { listing } = view;
  const approved = listing.status === 'approved';
  return (
    <Layout
      ctx={ctx}
      title={view.name}
      description={view.summary}
      indexable={approved && seo.indexable}
      jsonLd={seo.jsonLd}
    >
      <header class="group-header">
        <h1>{view.name}</h1>
        <p class="badges">
          <span class="badge">{t('listings.hostedElsewhere')}</span>{' '}
          <span class="badge">{t(`groups.leadership.${view.leadership}`)}</span>
        </p>
        <p class="lede">{view.summary}</p>
      </header>
      {listing.status === 'pending' ? <p class="notice">{t('listings.page.pending')}</p> : null}
      {listing.status === 'declined' ? (
        <div class="notice">
          <p>{t('listings.page.declined')}</p>
          {listing.declineReason ? (
            <p>
              {t('listings.page.declinedReason')} <q>{listing.declineReason}</q>
            </p>
          ) : null}
        </div>
      ) : null}
      {canEdit ? (
        <p>
          <a href={`/listings/${listing.id}/edit`}>{t('listings.edit.link')}</a>
        </p>
      ) : null}
      <section class="panel" aria-labelledby="contact-heading">
        <h2 id="contact-heading">{t('listings.page.contact')}</h2>
        <p>{t('listings.hostedElsewhereHint')}</p>
        <dl class="entry-profile">
          {listing.contact ? (
            <>
              <dt>{t('listings.page.contact')}</dt>
              <dd class="listing-contact">{listing.contact}</dd>
            </>
          ) : null}
          {listing.website ? (
            <>
              <dt>{t('listings.page.website')}</dt>
              <dd>
                {/* Typed by whoever submitted it: no endorsement, no referrer, no access to this page. */}
                <a href={listing.website} rel="nofollow ugc noopener noreferrer" target="_blank">
                  {listing.website}
                </a>
              </dd>
            </>
          ) : null}
          {listing.organiser ? (
            <>
              <dt>{t('listings.page.organiser')}</dt>
              <dd>{listing.organiser}</dd>
            </>
          ) : null}
          <dt>{t('listings.page.access')}</dt>
          <dd>{t(`listings.access.${view.access}`)}</dd>
          <dt>{t('listings.page.cost')}</dt>
          <dd>{view.free ? t('listings.free.yes') : t('listings.free.no')}</dd>
          <dt>{t('listings.page.language')}</dt>
          <dd>{languageName(ctx.locale, view.language)}</dd>
        </dl>
      </section>
      {profile ? (
        <section class="panel" aria-labelledby="profile-heading">
          <h2 id="profile-heading">{t('listings.fields.profileHeading')}</h2>
          <EntryProfileSummary ctx={ctx} profile={profile} />
        </section>
      ) : null}
      {view.description ? (
        <section class="panel" aria-labelledby="description-heading">
          <h2 id="description-heading">{t('groups.about.heading')}</h2>
          {view.description.split(/\n{2,}/u).map((para, i) => (
            <p key={i}>{para}</p>
          ))}
        </section>
      ) : null}
      {approved ? (
        <ClaimSection ctx={ctx} id={listing.id} pending={claimPending} errors={claimErrors} values={claimValues} />
      ) : null}
    </Layout>
  );
}

function ClaimSection({
  ctx,
  id,
  pending,
  errors,
  values,
}: {
  ctx: PageContext;
  id: number;
  pending: boolean;
  errors: FieldErrors;
  values: Record<string, string>;
}) {
  const { t } = ctx;
  return (
    <section class="panel" aria-labelledby="claim-heading" id="claim">
      <h2 id="claim-heading">{t('listings.claim.heading')}</h2>
      <p>{t('listings.claim.intro')}</p>
      {pending ? (
        <p class="notice">{t('listings.claim.pending')}</p>
      ) : ctx.viewer ? (
        <form method="post" action={`/listings/${id}/claim`} novalidate>
          <CsrfField ctx={ctx} />
          <FormErrors ctx={ctx} errors={errors} />
          <Field
            ctx={ctx}
            name="message"
            label={t('listings.claim.message')}
            hint={t('listings.claim.messageHint')}
            errors={errors}
            value={values.message}
            maxLength={1000}
            multiline
            rows={3}
          />
          <button type="submit" class="button button-secondary">
            {t('listings.claim.submit')}
          </button>
        </form>
      ) : (
        <p>
          <a href={`/login?next=${encodeURIComponent(`/listings/${id}#claim`)}`}>{t('listings.claim.logIn')}</a>
        </p>
      )}
    </section>
  );
}

export function MyListingsPage({ ctx, list }: { ctx: PageContext; list: MyListing[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('listings.mine.title')}>
      <h1>{t('listings.mine.title')}</h1>
      <p>{t('listings.mine.intro')}</p>
      <p>
        <a class="button" href="/listings/new">
          {t('listings.mine.add')}
        </a>
      </p>
      {list.length === 0 ? (
        <p class="empty">{t('listings.mine.none')}</p>
      ) : (
        <ul class="cards">
          {list.map((l) => (
            <li key={l.id} class="card">
              <h2>
                <a href={`/listings/${l.id}`}>{l.name}</a>
              </h2>
              <p>
                <span class="badge">{t(`listings.mine.status.${l.status}`)}</span>{' '}
                <RelativeTime ctx={ctx} date={l.createdAt} />
              </p>
              {l.status === 'declined' && l.declineReason ? (
                <p>
                  {t('listings.page.declinedReason')} <q>{l.declineReason}</q>
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
