import type { PageContext } from '../../platform/http/page.js';
import { errorMessage, Field, FormErrors, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { DateTime } from '../../platform/views/time.js';
import { warningLabel } from '../content-warnings/index.js';
import { GroupHeader } from '../groups/index.js';
import { snippetParts, type SearchHit, type SearchResults } from './search.js';

interface SearchPageProps {
  ctx: PageContext;
  results: SearchResults;
  /** What the person typed, to put back into the form. */
  values: Record<string, string>;
  /** The page's own address: /search, or /g/:slug/search. */
  action: string;
}

/** The search page: the form (a GET form, so it works without JavaScript), then the results. */
export function SearchPage({ ctx, results, values, action }: SearchPageProps) {
  const { t } = ctx;
  const access = results.group;
  const onGroupPage = access !== null && action !== '/search';
  const title = onGroupPage
    ? t('discussionSearch.groupTitle', { group: access.group.name })
    : t('discussionSearch.title');
  return (
    <Layout ctx={ctx} title={title}>
      {onGroupPage ? <GroupHeader ctx={ctx} access={access} /> : <h1>{t('discussionSearch.title')}</h1>}
      {onGroupPage ? <h2>{t('discussionSearch.searchThisGroupLabel')}</h2> : null}
      <p>
        {onGroupPage
          ? t('discussionSearch.groupIntro')
          : ctx.viewer
            ? t('discussionSearch.intro')
            : t('discussionSearch.visitorIntro')}
      </p>
      <SearchForm ctx={ctx} results={results} values={values} action={action} onGroupPage={onGroupPage} />
      <SearchResultsSection
        ctx={ctx}
        results={results}
        values={values}
        action={action}
        headingLevel={onGroupPage ? 3 : 2}
      />
    </Layout>
  );
}

function SearchForm({ ctx, results, values, action, onGroupPage }: SearchPageProps & { onGroupPage: boolean }) {
  const { t } = ctx;
  const errors = results.errors;
  const chosenGroup = values.group ?? '';
  const sort = values.sort === 'newest' ? 'newest' : 'relevance';
  return (
    <form
      method="get"
      action={action}
      role="search"
      aria-label={t('discussionSearch.formLabel')}
      class="panel"
      novalidate
      hx-get={action}
      hx-target="#search-results"
      hx-swap="outerHTML"
      hx-push-url="true"
      hx-trigger="submit, change from:select, change from:input[type=date], change from:input[type=radio]"
    >
      <FormErrors ctx={ctx} errors={errors} />
      <Field
        ctx={ctx}
        name="q"
        type="search"
        label={t('discussionSearch.words')}
        hint={t('discussionSearch.wordsHint')}
        errors={errors}
        value={values.q}
        maxLength={200}
      />
      <fieldset>
        <legend>{t('discussionSearch.filters')}</legend>
        {onGroupPage ? null : (
          <div class={errors.group ? 'field field-error' : 'field'}>
            <label for="field-group">{t('discussionSearch.group')}</label>
            {errors.group ? (
              <p class="error" id="field-group-error">
                {errorMessage(ctx, errors.group)}
              </p>
            ) : null}
            <select id="field-group" name="group" aria-describedby={errors.group ? 'field-group-error' : undefined}>
              <option value="">{t('discussionSearch.allGroups')}</option>
              {results.groups.map((g) => (
                <option key={g.slug} value={g.slug} selected={g.slug === chosenGroup}>
                  {g.name}
                </option>
              ))}
              {/* A group reached by its link (not one of theirs) stays chosen. */}
              {results.group && !results.groups.some((g) => g.slug === results.group!.group.slug) ? (
                <option value={results.group.group.slug} selected>
                  {results.group.group.name}
                </option>
              ) : null}
            </select>
          </div>
        )}
        <Field
          ctx={ctx}
          name="author"
          label={t('discussionSearch.author')}
          hint={onGroupPage || results.group ? t('discussionSearch.authorHint') : t('discussionSearch.authorSiteHint')}
          errors={errors}
          value={values.author}
          maxLength={80}
        />
        <DateField ctx={ctx} name="from" label={t('discussionSearch.from')} errors={errors} value={values.from} />
        <DateField ctx={ctx} name="to" label={t('discussionSearch.to')} errors={errors} value={values.to} />
        <fieldset class="choices">
          <legend>{t('discussionSearch.sort')}</legend>
          {(['relevance', 'newest'] as const).map((s) => (
            <div class="choice" key={s}>
              <input type="radio" id={`sort-${s}`} name="sort" value={s} checked={sort === s} />
              <label for={`sort-${s}`}>
                {s === 'relevance' ? t('discussionSearch.sortRelevance') : t('discussionSearch.sortNewest')}
              </label>
            </div>
          ))}
        </fieldset>
      </fieldset>
      <button type="submit" class="button">
        {t('discussionSearch.search')}
      </button>
    </form>
  );
}

function DateField({
  ctx,
  name,
  label,
  errors,
  value,
}: {
  ctx: PageContext;
  name: string;
  label: string;
  errors: FieldErrors;
  value: string | undefined;
}) {
  const id = `field-${name}`;
  const error = errors[name];
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>{label}</label>
      <p class="hint" id={`${id}-hint`}>
        {ctx.t('discussionSearch.dateHint')}
      </p>
      {error ? (
        <p class="error" id={`${id}-error`}>
          {errorMessage(ctx, error)}
        </p>
      ) : null}
      <input
        type="date"
        id={id}
        name={name}
        value={value ?? ''}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
      />
    </div>
  );
}

/** The results, swapped in place by htmx when the filters change. */
export function SearchResultsSection({
  ctx,
  results,
  values,
  action,
  headingLevel = 2,
}: Omit<SearchPageProps, 'values'> & { values: Record<string, string>; headingLevel?: 2 | 3 }) {
  const { t } = ctx;
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const input = results.input;
  if (!results.searched || !input?.q) {
    // With htmx, a form with a mistake shows its messages here (the form itself is not swapped).
    return (
      <section id="search-results" aria-live="polite">
        {Object.keys(results.errors).length > 0 ? (
          <ul class="error">
            {Object.entries(results.errors).map(([field, error]) => (
              <li key={field}>{errorMessage(ctx, error)}</li>
            ))}
          </ul>
        ) : null}
      </section>
    );
  }
  const page = input.page;
  const link = (p: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(values)) if (v && k !== 'page' && k !== 'notice') params.set(k, v);
    if (p > 1) params.set('page', String(p));
    return `${action}?${params.toString()}`;
  };
  return (
    <section id="search-results" aria-labelledby="results-heading" aria-live="polite">
      <Heading id="results-heading">{t('discussionSearch.resultsFor', { q: input.q })}</Heading>
      {results.hits.length === 0 ? (
        <div class="empty">
          <p>{t('discussionSearch.none', { q: input.q })}</p>
          <p>{t('discussionSearch.noneHint')}</p>
        </div>
      ) : (
        <ol class="search-results" start={(page - 1) * 20 + 1}>
          {results.hits.map((hit) => (
            <SearchHitItem key={hit.postId} ctx={ctx} hit={hit} showGroup={results.group === null} />
          ))}
        </ol>
      )}
      {page > 1 || results.more ? (
        <nav aria-label={t('discussionSearch.pages')} class="pager">
          {page > 1 ? <a href={link(page - 1)}>{t('discussionSearch.previous')}</a> : null}
          {results.more ? <a href={link(page + 1)}>{t('discussionSearch.next')}</a> : null}
        </nav>
      ) : null}
    </section>
  );
}

function SearchHitItem({ ctx, hit, showGroup }: { ctx: PageContext; hit: SearchHit; showGroup: boolean }) {
  const { t } = ctx;
  // An anonymous post shows as it does in its thread; a former member's as a deleted member.
  const author = hit.anonymous
    ? t('forum.anonymous.label', { n: hit.anonymousNumber ?? 1 })
    : (hit.author ?? t('forum.formerMember'));
  return (
    <li class="search-result">
      <p>
        <a href={`/g/${hit.groupSlug}/t/${hit.threadId}#post-${hit.postId}`}>{hit.threadTitle}</a>
      </p>
      <p class="meta">
        {showGroup ? <>{t('discussionSearch.inGroup', { group: hit.groupName })} · </> : null}
        {t('discussionSearch.by', { name: author })} · <DateTime ctx={ctx} date={hit.createdAt} />
      </p>
      {hit.awaiting ? <p class="meta">{t('discussionSearch.awaiting')}</p> : null}
      {hit.warning !== null ? (
        <p class="snippet">{t('discussionSearch.warning', { warning: warningLabel(ctx, hit.warning) })}</p>
      ) : (
        <p class="snippet">
          {snippetParts(hit.snippet).map((part, i) => (part.marked ? <mark key={i}>{part.text}</mark> : part.text))}
        </p>
      )}
    </li>
  );
}
