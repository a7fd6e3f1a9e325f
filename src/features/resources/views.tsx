import type { PageContext } from '../../platform/http/page.js';
import {
  CsrfField,
  errorMessage,
  Field,
  FormErrors,
  PostButton,
  type FieldErrors,
} from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { DateTime } from '../../platform/views/time.js';
import { GroupHeader, type GroupAccess } from '../groups/index.js';
import type { Resource } from './schema.js';
import { snippetParts, type LibraryItem } from './search.js';
import { MAX_ARTICLE, MAX_TAGS, type LibraryPage as LibraryData, type ResourceView } from './service.js';

const base = (access: GroupAccess) => `/g/${access.group.slug}/resources`;

function Tags({ ctx, access, tags }: { ctx: PageContext; access: GroupAccess; tags: string[] }) {
  if (tags.length === 0) return null;
  return (
    <ul class="tags" aria-label={ctx.t('resources.tags')}>
      {tags.map((tag) => (
        <li key={tag}>
          <a class="tag" href={`${base(access)}?tag=${encodeURIComponent(tag)}`}>
            {tag}
          </a>
        </li>
      ))}
    </ul>
  );
}

function Snippet({ snippet }: { snippet: string }) {
  return (
    <p class="snippet">{snippetParts(snippet).map((p, i) => (p.marked ? <mark key={i}>{p.text}</mark> : p.text))}</p>
  );
}

function Item({ ctx, access, item }: { ctx: PageContext; access: GroupAccess; item: LibraryItem }) {
  const { t } = ctx;
  return (
    <li class="resource-item">
      <h3>
        <a href={`${base(access)}/${item.id}`}>{item.title}</a>
      </h3>
      <p class="meta">
        {t(`resources.kind.${item.kind}`)}
        {' · '}
        {item.helpedCount === 0 ? t('resources.helpedNone') : t('resources.helpedCount', { count: item.helpedCount })}
        {item.facilitatorReviewed && access.group.leadership === 'professional' ? (
          <> · {t('resources.facilitatorReviewed')}</>
        ) : null}
      </p>
      {item.snippet ? <Snippet snippet={item.snippet} /> : null}
      <Tags ctx={ctx} access={access} tags={item.tags} />
    </li>
  );
}

/** A group's library: search, tags, sorting, and the approved resources. */
export function LibraryPage({
  ctx,
  page,
  canSuggest,
  canReview,
}: {
  ctx: PageContext;
  page: LibraryData;
  canSuggest: boolean;
  canReview: boolean;
}) {
  const { t } = ctx;
  const { access, input, items } = page;
  const sortLink = (sort: 'newest' | 'helpful') => {
    const q = new URLSearchParams({ sort });
    if (input.tag) q.set('tag', input.tag);
    return `${base(access)}?${q.toString()}`;
  };
  return (
    <Layout ctx={ctx} title={t('resources.title', { group: access.group.name })}>
      <GroupHeader ctx={ctx} access={access} />
      <section class="panel" aria-labelledby="library-heading">
        <h2 id="library-heading">{t('resources.heading')}</h2>
        <p>{t('resources.intro')}</p>
        <p class="actions">
          {canSuggest ? (
            <a class="button" href={`${base(access)}/new`}>
              {t('resources.suggest')}
            </a>
          ) : null}{' '}
          <a href={`/g/${access.group.slug}/coping`}>{t('resources.coping.link')}</a>
          {canReview ? (
            <>
              {' · '}
              <a href={`${base(access)}/review`}>{t('resources.review.link', { count: page.waiting })}</a>
            </>
          ) : null}
        </p>
        <form method="get" action={base(access)} role="search">
          <label for="library-q">{t('resources.search.label')}</label>
          <input id="library-q" type="search" name="q" value={input.q ?? ''} maxLength={200} />
          {input.tag ? <input type="hidden" name="tag" value={input.tag} /> : null}
          <button type="submit" class="button button-secondary">
            {t('resources.search.submit')}
          </button>
        </form>
        {page.tags.length > 0 ? (
          <nav aria-label={t('resources.filterByTag')}>
            <Tags ctx={ctx} access={access} tags={page.tags} />
            {input.tag ? (
              <p>
                {t('resources.taggedWith', { tag: input.tag })} <a href={base(access)}>{t('resources.allTags')}</a>
              </p>
            ) : null}
          </nav>
        ) : null}
        {input.q ? null : (
          <p class="meta">
            {t('resources.sort.label')}{' '}
            {input.sort === 'newest' ? (
              <strong>{t('resources.sort.newest')}</strong>
            ) : (
              <a href={sortLink('newest')}>{t('resources.sort.newest')}</a>
            )}
            {' · '}
            {input.sort === 'helpful' ? (
              <strong>{t('resources.sort.helpful')}</strong>
            ) : (
              <a href={sortLink('helpful')}>{t('resources.sort.helpful')}</a>
            )}
          </p>
        )}
        {items.length === 0 ? (
          <p>{input.q || input.tag ? t('resources.noMatches') : t('resources.none')}</p>
        ) : (
          <ul class="plain-list">
            {items.map((item) => (
              <Item key={item.id} ctx={ctx} access={access} item={item} />
            ))}
          </ul>
        )}
      </section>
    </Layout>
  );
}

/** One resource: its link or article, tags, who suggested it, when it was last reviewed, and the vote. */
export function ResourcePage({
  ctx,
  access,
  view,
  canVote,
  canReview,
  canVouch,
}: {
  ctx: PageContext;
  access: GroupAccess;
  view: ResourceView;
  canVote: boolean;
  canReview: boolean;
  canVouch: boolean;
}) {
  const { t } = ctx;
  const r = view.resource;
  const at = `${base(access)}/${r.id}`;
  return (
    <Layout ctx={ctx} title={r.title}>
      <p>
        <a href={base(access)}>{t('resources.back', { group: access.group.name })}</a>
      </p>
      <article aria-labelledby="resource-title">
        <h1 id="resource-title">{r.title}</h1>
        {r.status !== 'approved' ? <p class="notice">{t(`resources.status.${r.status}`)}</p> : null}
        <p class="meta">
          {view.suggestedBy ? t('resources.suggestedBy', { name: view.suggestedBy }) : t('resources.suggestedByFormer')}
          {r.reviewedAt ? (
            <>
              {' · '}
              {t('resources.lastReviewed')} <DateTime ctx={ctx} date={r.reviewedAt} />
            </>
          ) : null}
        </p>
        {r.facilitatorReviewedAt && access.group.leadership === 'professional' ? (
          <p class="badge">{t('resources.facilitatorReviewed')}</p>
        ) : null}
        {r.kind === 'link' && r.url ? (
          <p>
            <a href={r.url} rel="nofollow noopener ugc">
              {r.url}
            </a>
          </p>
        ) : null}
        {/* Sanitised by renderMarkdown when it was saved. */}
        {r.bodyHtml ? <div class="prose" dangerouslySetInnerHTML={{ __html: r.bodyHtml }} /> : null}
        <Tags ctx={ctx} access={access} tags={r.tags} />
        {r.status === 'approved' ? (
          <div class="helped">
            <p>
              {r.helpedCount === 0 ? t('resources.helpedNone') : t('resources.helpedCount', { count: r.helpedCount })}
            </p>
            {canVote ? (
              <form method="post" action={`${at}/helped`} class="inline-form">
                <CsrfField ctx={ctx} />
                <button type="submit" class="button button-secondary" aria-pressed={view.helpedByMe ? 'true' : 'false'}>
                  {view.helpedByMe ? t('resources.helpedUndo') : t('resources.helped')}
                </button>
              </form>
            ) : null}
          </div>
        ) : null}
      </article>
      {canReview || canVouch ? (
        <section class="panel" aria-labelledby="resource-actions">
          <h2 id="resource-actions">{t('resources.actions.heading')}</h2>
          <div class="actions">
            {canReview ? (
              <>
                <a class="button button-secondary" href={`${at}/edit`}>
                  {t('resources.actions.edit')}
                </a>
                {r.status === 'approved' ? (
                  <PostButton ctx={ctx} action={`${at}/reviewed`} label={t('resources.actions.reviewed')} />
                ) : null}
                <PostButton ctx={ctx} action={`${at}/delete`} label={t('resources.actions.delete')} />
              </>
            ) : null}
            {canVouch && r.status === 'approved' ? (
              <PostButton ctx={ctx} action={`${at}/vouch`} label={t('resources.actions.vouch')} />
            ) : null}
          </div>
          {canReview && r.status === 'suggested' ? (
            <p>
              <a href={`${base(access)}/review`}>{t('resources.review.open')}</a>
            </p>
          ) : null}
        </section>
      ) : null}
    </Layout>
  );
}

/** Suggesting a resource, or a moderator changing one. */
export function ResourceFormPage({
  ctx,
  access,
  id,
  values,
  errors = {},
  direct,
}: {
  ctx: PageContext;
  access: GroupAccess;
  id?: number | undefined;
  values: Record<string, string>;
  errors?: FieldErrors;
  /** It goes straight into the library (a moderator's own). */
  direct: boolean;
}) {
  const { t } = ctx;
  const title = id === undefined ? t('resources.form.newTitle') : t('resources.form.editTitle');
  const action = id === undefined ? `${base(access)}/new` : `${base(access)}/${id}/edit`;
  const kind = values.kind === 'article' ? 'article' : 'link';
  const kindError = errors.kind;
  return (
    <Layout ctx={ctx} title={title}>
      <p>
        <a href={base(access)}>{t('resources.back', { group: access.group.name })}</a>
      </p>
      <h1>{title}</h1>
      {id === undefined ? (
        <p class="lede">{direct ? t('resources.form.introDirect') : t('resources.form.intro')}</p>
      ) : null}
      <FormErrors ctx={ctx} errors={errors} />
      <form method="post" action={action} novalidate>
        <CsrfField ctx={ctx} />
        <fieldset class={kindError ? 'field field-error' : 'field'}>
          <legend>{t('resources.form.kind')}</legend>
          {kindError ? <p class="error">{errorMessage(ctx, kindError)}</p> : null}
          {(['link', 'article'] as const).map((value) => (
            <div class="choice" key={value}>
              <input type="radio" id={`kind-${value}`} name="kind" value={value} checked={kind === value} />
              <label for={`kind-${value}`}>{t(`resources.form.kinds.${value}`)}</label>
            </div>
          ))}
        </fieldset>
        <Field
          ctx={ctx}
          name="title"
          label={t('resources.form.title')}
          errors={errors}
          value={values.title}
          maxLength={200}
        />
        <Field
          ctx={ctx}
          name="url"
          label={t('resources.form.url')}
          hint={t('resources.form.urlHint')}
          errors={errors}
          value={values.url}
          maxLength={2000}
        />
        <Field
          ctx={ctx}
          name="body"
          label={t('resources.form.body')}
          hint={t('resources.form.bodyHint', { max: MAX_ARTICLE })}
          errors={errors}
          value={values.body}
          maxLength={MAX_ARTICLE}
          multiline
          rows={12}
        />
        <Field
          ctx={ctx}
          name="tags"
          label={t('resources.form.tags')}
          hint={t('resources.form.tagsHint', { max: MAX_TAGS })}
          errors={errors}
          value={values.tags}
          maxLength={1000}
        />
        <button type="submit" class="button">
          {id === undefined ? t('resources.form.submit') : t('resources.form.save')}
        </button>
      </form>
    </Layout>
  );
}

/** Suggestions waiting for a moderator: approve, or decline with an optional reason. */
export function ReviewPage({
  ctx,
  access,
  waiting,
  errors = {},
}: {
  ctx: PageContext;
  access: GroupAccess;
  waiting: { resource: Resource; suggestedBy: string | null }[];
  errors?: FieldErrors;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('resources.review.title')}>
      <p>
        <a href={base(access)}>{t('resources.back', { group: access.group.name })}</a>
      </p>
      <h1>{t('resources.review.title')}</h1>
      <FormErrors ctx={ctx} errors={errors} />
      {waiting.length === 0 ? (
        <p>{t('resources.review.none')}</p>
      ) : (
        <ul class="plain-list">
          {waiting.map(({ resource: r, suggestedBy }) => (
            <li key={r.id} class="panel">
              <h2>
                <a href={`${base(access)}/${r.id}`}>{r.title}</a>
              </h2>
              <p class="meta">
                {t(`resources.kind.${r.kind}`)} ·{' '}
                {suggestedBy ? t('resources.suggestedBy', { name: suggestedBy }) : t('resources.suggestedByFormer')}
              </p>
              {r.url ? <p class="break">{r.url}</p> : null}
              <div class="actions">
                <PostButton
                  ctx={ctx}
                  action={`${base(access)}/${r.id}/approve`}
                  label={t('resources.review.approve')}
                  className="button"
                />
              </div>
              <form method="post" action={`${base(access)}/${r.id}/decline`}>
                <CsrfField ctx={ctx} />
                <label for={`reason-${r.id}`}>{t('resources.review.reason')}</label>
                <input id={`reason-${r.id}`} name="reason" type="text" maxLength={1000} />
                <button type="submit" class="button button-secondary">
                  {t('resources.review.decline')}
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
