import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, Field, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { RelativeTime } from '../../platform/views/time.js';
import type { ReviewQueue } from './listing-review.js';

/** /admin/listings: listings and claims waiting for a site admin's decision. */
export function ReviewPage({
  ctx,
  queue,
  errors = {},
  values = {},
  failedId,
}: {
  ctx: PageContext;
  queue: ReviewQueue;
  errors?: FieldErrors;
  values?: Record<string, string>;
  /** The listing whose decline form came back with a message. */
  failedId?: number;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('listings.review.title')}>
      <h1>{t('listings.review.title')}</h1>
      <p>{t('listings.review.intro')}</p>
      <section aria-labelledby="pending-heading">
        <h2 id="pending-heading">{t('listings.review.pendingHeading')}</h2>
        {queue.listings.length === 0 ? <p class="empty">{t('listings.review.none')}</p> : null}
        {queue.listings.map((l) => (
          <article key={l.listing.id} class="panel" aria-labelledby={`listing-${l.listing.id}`}>
            <h3 id={`listing-${l.listing.id}`}>
              <a href={`/listings/${l.listing.id}`}>{l.name}</a>
            </h3>
            <p>{l.summary}</p>
            <dl class="entry-profile">
              <dt>{t('listings.page.contact')}</dt>
              <dd>{l.listing.contact || '—'}</dd>
              <dt>{t('listings.page.website')}</dt>
              <dd>{l.listing.website ?? '—'}</dd>
              <dt>{t('listings.page.organiser')}</dt>
              <dd>{l.listing.organiser || '—'}</dd>
            </dl>
            <p>
              {t('listings.review.meetings', { count: l.meetings })} ·{' '}
              <RelativeTime ctx={ctx} date={l.listing.createdAt} />
            </p>
            <div class="actions">
              <form method="post" action={`/admin/listings/${l.listing.id}/approve`} class="inline-form">
                <CsrfField ctx={ctx} />
                <button type="submit" class="button">
                  {t('listings.review.approve', { name: l.name })}
                </button>
              </form>
              <form method="post" action={`/admin/listings/${l.listing.id}/decline`} novalidate>
                <CsrfField ctx={ctx} />
                <fieldset>
                  <legend>{t('listings.review.declineLegend', { name: l.name })}</legend>
                  <Field
                    ctx={ctx}
                    name={`reason-${l.listing.id}`}
                    label={t('listings.review.reason')}
                    errors={failedId === l.listing.id ? { [`reason-${l.listing.id}`]: errors.reason ?? '' } : {}}
                    value={failedId === l.listing.id ? values.reason : undefined}
                    maxLength={500}
                  />
                  <button type="submit" class="button button-secondary">
                    {t('listings.review.decline')}
                  </button>
                </fieldset>
              </form>
            </div>
          </article>
        ))}
      </section>
      <section aria-labelledby="claims-heading">
        <h2 id="claims-heading">{t('listings.review.claimsHeading')}</h2>
        {queue.claims.length === 0 ? <p class="empty">{t('listings.review.claimsNone')}</p> : null}
        {queue.claims.map((c) => (
          <article key={c.id} class="panel" aria-labelledby={`claim-${c.id}`}>
            <h3 id={`claim-${c.id}`}>
              <a href={`/listings/${c.listingId}`}>{t('listings.review.claimOf', { name: c.name })}</a>
            </h3>
            <blockquote>{c.message}</blockquote>
            <p>
              <RelativeTime ctx={ctx} date={c.createdAt} />
            </p>
            <div class="actions">
              <form method="post" action={`/admin/listings/claims/${c.id}/approve`} class="inline-form">
                <CsrfField ctx={ctx} />
                <button type="submit" class="button">
                  {t('listings.review.approveClaim')}
                </button>
              </form>
              <form method="post" action={`/admin/listings/claims/${c.id}/decline`} novalidate>
                <CsrfField ctx={ctx} />
                <Field
                  ctx={ctx}
                  name={`claim-reason-${c.id}`}
                  label={t('listings.review.claimReason')}
                  errors={{}}
                  maxLength={500}
                />
                <button type="submit" class="button button-secondary">
                  {t('listings.review.declineClaim')}
                </button>
              </form>
            </div>
          </article>
        ))}
      </section>
    </Layout>
  );
}

interface ListingNotice {
  kind: string;
  listing: { id: number; name: string } | null;
  group: { slug: string; name: string } | null;
  reason: string | null;
}

/** What the notifications page says about a listing the person submitted or claimed. */
export function ListingNotification({ ctx, n }: { ctx: PageContext; n: ListingNotice }) {
  const { t } = ctx;
  const name = n.listing?.name ?? t('listings.notifications.formerListing');
  const text =
    n.kind === 'listing_approved'
      ? t('listings.notifications.approved', { name })
      : n.kind === 'listing_declined'
        ? t('listings.notifications.declined', { name })
        : n.kind === 'listing_claim_approved'
          ? t('listings.notifications.claimApproved', { name: n.group?.name ?? name })
          : t('listings.notifications.claimDeclined', { name });
  return (
    <>
      <p>{text}</p>
      {n.reason ? (
        <p>
          {t('listings.notifications.reason')} <q>{n.reason}</q>
        </p>
      ) : null}
      {n.kind === 'listing_claim_approved' && n.group ? (
        <p>
          <a href={`/g/${n.group.slug}`}>{t('listings.notifications.seeGroup')}</a>
        </p>
      ) : n.listing ? (
        <p>
          <a href={`/listings/${n.listing.id}`}>{t('listings.notifications.see')}</a>
        </p>
      ) : null}
    </>
  );
}
