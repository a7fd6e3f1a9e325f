import type { PageContext } from '../../platform/http/page.js';
import { Layout } from '../../platform/views/layout.js';
import { describeMeetingTime } from './schedule.js';
import { directoryHref, withinChoices, yourLocation } from './search.js';
import type { MatchedTopic } from './topic-matching.js';
import type { DirectoryQuery, DirectoryResult, DirectoryResults, FacetName, FacetValue } from './types.js';

/** What the page needs besides the results: the taxonomy for facet labels, and where the time zone came from. */
export interface DirectoryView {
  query: DirectoryQuery;
  found: DirectoryResults;
  topics: MatchedTopic[];
  /** 'account': the person's setting; 'browser': the page's script sent it; 'default': UTC, nothing known. */
  zoneSource: 'account' | 'browser' | 'default';
}

/** Replies to most new discussions: said on a card as "usually replies". */
const RESPONSIVE = 0.6;

const languageNames = new Map<string, Intl.DisplayNames>();
function languageName(locale: string, code: string): string {
  try {
    let names = languageNames.get(locale);
    if (!names) {
      names = new Intl.DisplayNames([locale], { type: 'language' });
      languageNames.set(locale, names);
    }
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

export function DirectoryPage({ ctx, view }: { ctx: PageContext; view: DirectoryView }) {
  const { t } = ctx;
  return (
    <Layout
      ctx={ctx}
      title={t('directory.title')}
      description={t('directory.description')}
      indexable
      canonicalPath="/groups"
      scripts={['directory.js']}
    >
      <h1>{t('directory.title')}</h1>
      <p class="lede">
        {t('directory.intro')} <a href="/find">{t('directory.guidedLink')}</a>
      </p>
      <DirectoryStatus ctx={ctx} view={view} />
      <DirectoryBody ctx={ctx} view={view} />
    </Layout>
  );
}

/**
 * The count, in a live region that stays in the page: htmx fills it again (out of band) after
 * each change, and a screen reader announces it.
 */
export function DirectoryStatus({ ctx, view, oob = false }: { ctx: PageContext; view: DirectoryView; oob?: boolean }) {
  const { t } = ctx;
  return (
    <p
      id="directory-status"
      class="directory-status"
      role="status"
      aria-live="polite"
      hx-swap-oob={oob ? 'innerHTML' : undefined}
    >
      {t('directory.count', { count: view.found.total })}
    </p>
  );
}

/** The answer to htmx: the new filters and results, and the count for the live region. */
export function DirectoryFragment({ ctx, view }: { ctx: PageContext; view: DirectoryView }) {
  return (
    <>
      <DirectoryBody ctx={ctx} view={view} />
      <DirectoryStatus ctx={ctx} view={view} oob />
    </>
  );
}

/** What htmx swaps on each change: the form (its counts change too) and the results. */
export function DirectoryBody({ ctx, view }: { ctx: PageContext; view: DirectoryView }) {
  return (
    <div id="directory" class="directory">
      <DirectoryForm ctx={ctx} view={view} />
      <DirectoryResultsList ctx={ctx} view={view} />
    </div>
  );
}

function counts(values: FacetValue[]): Map<string, number> {
  return new Map(values.map((v) => [v.value, v.count]));
}

function Choice({
  name,
  value,
  label,
  count,
  checked,
}: {
  name: string;
  value: string;
  label: string;
  count: number | undefined;
  checked: boolean;
}) {
  const id = `filter-${name}-${value}`;
  return (
    <div class="facet-choice">
      <input type="checkbox" id={id} name={name} value={value} checked={checked} />
      <label for={id}>
        {label} <span class="facet-count">({count ?? 0})</span>
      </label>
    </div>
  );
}

function Facet({
  view,
  facet,
  name,
  legend,
  values,
  chosen,
}: {
  view: DirectoryView;
  facet: FacetName;
  name: string;
  legend: string;
  values: { value: string; label: string }[];
  chosen: readonly string[];
}) {
  const c = counts(view.found.facets[facet]);
  if (values.length === 0) return null;
  return (
    <fieldset class="facet">
      <legend>{legend}</legend>
      {values.map((v) => (
        <Choice
          key={v.value}
          name={name}
          value={v.value}
          label={v.label}
          count={c.get(v.value)}
          checked={chosen.includes(v.value)}
        />
      ))}
    </fieldset>
  );
}

function TopicFacet({ ctx, view }: { ctx: PageContext; view: DirectoryView }) {
  const { t } = ctx;
  const c = counts(view.found.facets.topic);
  const categories = view.topics.filter((topic) => topic.parentId === null);
  const shown = categories.filter(
    (cat) => c.has(cat.slug) || view.topics.some((topic) => topic.parentId === cat.id && c.has(topic.slug)),
  );
  return (
    <fieldset class="facet">
      <legend>{t('directory.facets.topic')}</legend>
      {shown.length === 0 ? <p class="hint">{t('directory.noTopics')}</p> : null}
      {shown.map((cat) => {
        const children = view.topics.filter((topic) => topic.parentId === cat.id && c.has(topic.slug));
        const open = [cat, ...children].some((topic) => view.query.topics.includes(topic.slug));
        return (
          <details key={cat.slug} class="facet-group" open={open}>
            <summary>
              {cat.name} <span class="facet-count">({c.get(cat.slug) ?? 0})</span>
            </summary>
            <Choice
              name="topic"
              value={cat.slug}
              label={t('directory.allIn', { category: cat.name })}
              count={c.get(cat.slug)}
              checked={view.query.topics.includes(cat.slug)}
            />
            {children.map((topic) => (
              <Choice
                key={topic.slug}
                name="topic"
                value={topic.slug}
                label={topic.name}
                count={c.get(topic.slug)}
                checked={view.query.topics.includes(topic.slug)}
              />
            ))}
          </details>
        );
      })}
    </fieldset>
  );
}

function DirectoryForm({ ctx, view }: { ctx: PageContext; view: DirectoryView }) {
  const { t } = ctx;
  const { query } = view;
  const near = query.near;
  const sharedLocation = near?.label === yourLocation;
  const option = (value: string, label: string) => ({ value, label });
  return (
    <form
      id="directory-form"
      class="directory-form"
      method="get"
      action="/groups"
      role="search"
      aria-label={t('directory.searchLabel')}
      hx-get="/groups"
      hx-trigger="change, submit"
      hx-sync="this:replace"
      hx-target="#directory"
      hx-swap="outerHTML"
      hx-push-url="true"
    >
      <div class="field directory-search">
        <label for="directory-q">{t('directory.searchField')}</label>
        <p class="hint" id="directory-q-hint">
          {t('directory.searchHint')}
        </p>
        <div class="search-row">
          <input
            type="search"
            id="directory-q"
            name="q"
            value={query.text}
            maxLength={200}
            aria-describedby="directory-q-hint"
            autocomplete="off"
          />
          <button type="submit">{t('directory.searchButton')}</button>
        </div>
      </div>
      <input type="hidden" name="tz" value={view.zoneSource === 'browser' ? query.timeZone : ''} data-zone />
      <h2>{t('directory.filtersHeading')}</h2>
      <fieldset class="facet">
        <legend>{t('directory.near.legend')}</legend>
        <div class="field">
          <label for="directory-near">{t('directory.near.place')}</label>
          <p class="hint" id="directory-near-hint">
            {t('directory.near.hint')}
          </p>
          <input
            type="text"
            id="directory-near"
            name="near"
            value={near && !sharedLocation ? near.label : ''}
            maxLength={100}
            list="directory-places"
            aria-describedby="directory-near-hint"
            autocomplete="off"
            hx-get="/places"
            hx-trigger="input changed delay:300ms"
            hx-target="#directory-places"
            hx-swap="innerHTML"
            hx-sync="this:replace"
          />
          <datalist id="directory-places"></datalist>
        </div>
        {sharedLocation ? (
          <>
            <input type="hidden" name="lat" value={near.latitude.toFixed(4)} />
            <input type="hidden" name="lon" value={near.longitude.toFixed(4)} />
            <p>{t('directory.near.usingLocation')}</p>
          </>
        ) : null}
        <p>
          <button type="button" class="button-secondary" data-locate hidden>
            {t('directory.near.useLocation')}
          </button>
        </p>
        <div class="field">
          <label for="directory-within">{t('directory.near.within')}</label>
          <select id="directory-within" name="within">
            {withinChoices.map((km) => (
              <option key={km} value={String(km)} selected={query.withinKm === km}>
                {t('directory.near.km', { km })}
              </option>
            ))}
          </select>
        </div>
        <p class="hint">{t('directory.near.credit')}</p>
      </fieldset>
      <TopicFacet ctx={ctx} view={view} />
      <Facet
        view={view}
        facet="format"
        name="format"
        legend={t('directory.facets.format')}
        chosen={query.formats}
        values={(['forum', 'chat', 'online_meetings', 'in_person', 'phone', 'mailing_list'] as const).map((f) =>
          option(f, t(`directory.formats.${f}`)),
        )}
      />
      <fieldset class="facet">
        <legend>{t('directory.facets.when')}</legend>
        <p class="hint">{t(`directory.zone.${view.zoneSource}`, { zone: query.timeZone })}</p>
        {(['mornings', 'afternoons', 'evenings', 'weekdays', 'weekends'] as const).map((w) => (
          <Choice
            key={w}
            name="when"
            value={w}
            label={t(`directory.when.${w}`)}
            count={counts(view.found.facets.when).get(w)}
            checked={query.when.includes(w)}
          />
        ))}
      </fieldset>
      <Facet
        view={view}
        facet="leadership"
        name="leadership"
        legend={t('directory.facets.leadership')}
        chosen={query.leadership}
        values={[
          option('peer', t('directory.leadership.peer')),
          option('professional', t('directory.leadership.professional')),
        ]}
      />
      <Facet
        view={view}
        facet="audience"
        name="audience"
        legend={t('directory.facets.audience')}
        chosen={query.audiences}
        values={[option('self', t('directory.audiences.self')), option('carers', t('directory.audiences.carers'))]}
      />
      <Facet
        view={view}
        facet="access"
        name="access"
        legend={t('directory.facets.access')}
        chosen={query.access}
        values={(['open', 'approval', 'invitation', 'paid', 'free'] as const).map((a) =>
          option(a, t(`directory.access.${a}`)),
        )}
      />
      <Facet
        view={view}
        facet="language"
        name="language"
        legend={t('directory.facets.language')}
        chosen={query.languages}
        values={view.found.facets.language.map((l) => option(l.value, languageName(ctx.locale, l.value)))}
      />
      <Facet
        view={view}
        facet="kind"
        name="kind"
        legend={t('directory.facets.kind')}
        chosen={query.kinds}
        values={[option('group', t('directory.kinds.group')), option('listing', t('directory.kinds.listing'))]}
      />
      <div class="field">
        <label for="directory-sort">{t('directory.sortLabel')}</label>
        <select id="directory-sort" name="sort">
          {(['relevance', 'active', 'newest', 'distance'] as const)
            .filter((s) => s !== 'distance' || near)
            .map((s) => (
              <option key={s} value={s} selected={query.sort === s}>
                {t(`directory.sort.${s}`)}
              </option>
            ))}
        </select>
      </div>
      <p>
        <button type="submit">{t('directory.apply')}</button> <a href="/groups">{t('directory.clear')}</a>
      </p>
    </form>
  );
}

function DirectoryResultsList({ ctx, view }: { ctx: PageContext; view: DirectoryView }) {
  const { t } = ctx;
  const { query, found } = view;
  const pages = Math.max(1, Math.ceil(found.total / query.pageSize));
  return (
    <section class="directory-results" aria-labelledby="directory-results-heading">
      <h2 id="directory-results-heading">{t('directory.resultsHeading')}</h2>
      {found.correctedText ? (
        <p class="notice-inline">
          {t('directory.corrected', { corrected: found.correctedText, original: query.text })}
        </p>
      ) : null}
      {found.matchedTopics.length ? (
        <p class="notice-inline">
          {t('directory.including', { topics: found.matchedTopics.map((m) => m.name).join(', ') })}
        </p>
      ) : null}
      {found.results.length === 0 ? (
        <div class="empty">
          <p>{t('directory.empty')}</p>
          <ul>
            <li>
              <a href="/find">{t('directory.emptyGuided')}</a>
            </li>
            <li>
              <a href="/listings/new">{t('directory.emptyListing')}</a>
            </li>
            <li>
              <a href="/groups">{t('directory.emptyAll')}</a>
            </li>
          </ul>
        </div>
      ) : (
        <ul class="cards">
          {found.results.map((r) => (
            <ResultCard key={r.entryId} ctx={ctx} view={view} result={r} />
          ))}
        </ul>
      )}
      {pages > 1 ? (
        <nav aria-label={t('directory.pages')} class="pager">
          {query.page > 1 ? <a href={directoryHref(query, query.page - 1)}>{t('directory.previous')}</a> : null}
          <span>{t('directory.pageOf', { page: query.page, pages })}</span>
          {query.page < pages ? <a href={directoryHref(query, query.page + 1)}>{t('directory.next')}</a> : null}
        </nav>
      ) : null}
    </section>
  );
}

function ResultCard({ ctx, view, result: r }: { ctx: PageContext; view: DirectoryView; result: DirectoryResult }) {
  const { t } = ctx;
  const zone = view.zoneSource === 'default' ? null : view.query.timeZone;
  const facts: string[] = [];
  if (r.kind === 'group') facts.push(t('directory.card.members', { count: r.memberCount }));
  if (r.activeMembers > 0) facts.push(t('directory.card.active', { count: r.activeMembers }));
  if (r.replyRate >= RESPONSIVE) facts.push(t('directory.card.replies'));
  return (
    <li class="card directory-card">
      <h3 class="card-title">
        <a href={r.href}>{r.name}</a>
      </h3>
      {r.summary ? <p>{r.summary}</p> : null}
      <p class="meta">
        <span class={`badge badge-${r.leadership}`}>{t(`directory.leadership.${r.leadership}`)}</span>
        {r.kind === 'listing' ? <span class="badge">{t('directory.card.elsewhere')}</span> : null}
        {r.visibility === 'members' ? <span class="badge">{t('directory.card.membersOnly')}</span> : null}
        {r.audiences.includes('carers') ? <span class="badge">{t('directory.card.forCarers')}</span> : null}
        <span>{r.formats.map((f) => t(`directory.formats.${f}`)).join(' · ')}</span>
      </p>
      {r.meetingTimes.length ? (
        <ul class="plain-list meeting-times" aria-label={t('directory.card.meetings')}>
          {r.meetingTimes.slice(0, 3).map((m, i) => (
            <li key={i}>{describeMeetingTime(m, zone, t)}</li>
          ))}
        </ul>
      ) : null}
      {r.placeName ? (
        <p class="meta">
          {r.distanceKm === null
            ? r.placeName
            : t('directory.card.placeDistance', { place: r.placeName, km: formatKm(ctx.locale, r.distanceKm) })}
        </p>
      ) : null}
      {facts.length ? <p class="meta">{facts.join(' · ')}</p> : null}
      {r.topics.length || r.tags?.length ? (
        <ul class="tags" aria-label={t('directory.card.topics')}>
          {r.topics.map((topic) => (
            <li key={topic.slug}>{topic.name}</li>
          ))}
          {(r.tags ?? []).map((tag) => (
            <li key={`tag-${tag}`}>{tag}</li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function formatKm(locale: string, km: number): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: km < 10 ? 1 : 0 }).format(km);
}
