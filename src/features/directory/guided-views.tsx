import type { ComponentChildren } from 'preact';
import type { PageContext } from '../../platform/http/page.js';
import { Field, FormErrors, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { ResourceList, type resourcesFor } from '../safety/index.js';
import {
  answerPairs,
  findUrl,
  forWhomChoices,
  guidedLanguages,
  guidedSteps,
  type GuidedAnswers,
  type GuidedResults,
  type GuidedStep,
  type Interpretation,
  type TopicInfo,
} from './guided.js';
import { languageName, reasonFor } from './guided-reasons.js';
import { directoryFormats } from './schema.js';
import { yourLocation } from './search.js';
import type { Place } from './types.js';

/** Crisis lines, as /help lists them. */
type CrisisResource = Awaited<ReturnType<typeof resourcesFor>>[number];

export interface GuidedView {
  answers: GuidedAnswers;
  /** 1 … 5, or 'results'. */
  step: number | 'results';
  errors: FieldErrors;
  categories: TopicInfo[];
  place: Place | null;
  meaning: Interpretation | null;
  found: GuidedResults | null;
  /** Help lines, when what they wrote reads as someone who may be in danger now. */
  help: CrisisResource[] | null;
  /** Swapped in by htmx: only the step, its heading focused. */
  fragment: boolean;
}

const STEPS = guidedSteps.length;

/** The whole page, or only the step for htmx. The title never holds what the person wrote. */
export function GuidedPage({ ctx, view }: { ctx: PageContext; view: GuidedView }) {
  const { t } = ctx;
  const step = <GuidedStepView ctx={ctx} view={view} />;
  const title =
    view.step === 'results' ? t('guided.titleResults') : t('guided.titleStep', { step: view.step, steps: STEPS });
  // htmx takes a title at the top of a fragment as the page's new title.
  if (view.fragment)
    return (
      <>
        <title>{`${title} · ${t('site.name')}`}</title>
        {step}
      </>
    );
  // Only the first question, with nothing answered, is for search engines; answers are personal.
  const indexable = view.step === 1 && answerPairs(view.answers).length === 0;
  return (
    <Layout
      ctx={ctx}
      title={indexable ? t('guided.title') : title}
      description={t('guided.description')}
      indexable={indexable}
      canonicalPath="/find"
      scripts={['directory.js']}
    >
      {step}
    </Layout>
  );
}

/** The swappable part: hx-history="false" keeps what they wrote out of the browser's history cache. */
function GuidedStepView({ ctx, view }: { ctx: PageContext; view: GuidedView }) {
  return (
    <div id="find-step" hx-history="false">
      {view.step === 'results' ? (
        <Results ctx={ctx} view={view} />
      ) : (
        <Question ctx={ctx} view={view} step={view.step} />
      )}
    </div>
  );
}

function Heading({ view, children }: { view: GuidedView; children: ComponentChildren }) {
  return (
    <h1 id="find-heading" tabIndex={-1} autofocus={view.fragment}>
      {children}
    </h1>
  );
}

function HelpPanel({ ctx, resources }: { ctx: PageContext; resources: CrisisResource[] }) {
  const { t } = ctx;
  return (
    <section class="panel crisis-panel" aria-labelledby="find-help-heading">
      <h2 id="find-help-heading">{t('guided.crisis.heading')}</h2>
      <p>{t('guided.crisis.text')}</p>
      <ResourceList ctx={ctx} resources={resources} />
      <p>
        <a href="/help">{t('guided.crisis.more')}</a>
      </p>
    </section>
  );
}

/** A link that htmx follows in place, and a browser without JavaScript as a plain link. */
function StepLink({ href, children, className }: { href: string; children: ComponentChildren; className?: string }) {
  return (
    <a href={href} class={className} hx-get={href} hx-target="#find-step" hx-swap="outerHTML" hx-push-url="true">
      {children}
    </a>
  );
}

function Hidden({ pairs }: { pairs: [string, string][] }) {
  return (
    <>
      {pairs.map(([name, value], i) => (
        <input key={`${name}-${i}`} type="hidden" name={name} value={value} />
      ))}
    </>
  );
}

function Question({ ctx, view, step }: { ctx: PageContext; view: GuidedView; step: number }) {
  const { t } = ctx;
  const a = view.answers;
  const name: GuidedStep = guidedSteps[step - 1] ?? 'about';
  const last = step === STEPS;
  const next = last ? 'results' : step + 1;
  return (
    <>
      <p class="meta">
        {t('guided.title')} · {t('guided.stepOf', { step, steps: STEPS })}
      </p>
      {view.help ? <HelpPanel ctx={ctx} resources={view.help} /> : null}
      <Heading view={view}>{t(`guided.${name}.heading`)}</Heading>
      {step === 1 ? <p>{t('guided.intro')}</p> : null}
      <FormErrors ctx={ctx} errors={view.errors} />
      <form
        id="directory-form"
        method="get"
        action="/find"
        hx-get="/find"
        hx-target="#find-step"
        hx-swap="outerHTML"
        hx-push-url="true"
        novalidate
      >
        <input type="hidden" name="step" value={String(next)} />
        <Hidden pairs={answerPairs(a, name)} />
        {name === 'about' ? <AboutStep ctx={ctx} view={view} /> : null}
        {name === 'for' ? (
          <Choices
            ctx={ctx}
            name="for"
            legend={t('guided.for.legend')}
            type="radio"
            options={forWhomChoices.map((c) => ({
              value: c,
              label: t(`guided.for.${c}`),
              hint: c === 'carer' ? t('guided.for.carerHint') : undefined,
            }))}
            chosen={a.forWhom ? [a.forWhom] : []}
          />
        ) : null}
        {name === 'way' ? (
          <Choices
            ctx={ctx}
            name="way"
            legend={t('guided.way.legend')}
            hint={t('guided.way.hint')}
            type="checkbox"
            options={directoryFormats.map((f) => ({ value: f, label: t(`guided.way.${f}`) }))}
            chosen={a.formats}
          />
        ) : null}
        {name === 'language' ? (
          <Choices
            ctx={ctx}
            name="language"
            legend={t('guided.language.legend')}
            type="radio"
            options={[
              { value: 'any', label: t('guided.language.any') },
              ...guidedLanguages.map((l) => ({ value: l, label: languageName(l, ctx.locale) })),
            ]}
            chosen={[a.language ?? 'any']}
          />
        ) : null}
        {name === 'where' ? (
          <Field
            ctx={ctx}
            name="near"
            label={t('guided.where.label')}
            hint={t('guided.where.hint')}
            errors={view.errors}
            value={a.near}
            maxLength={100}
            autocomplete="address-level2"
          />
        ) : null}
        {name === 'where' ? (
          // The directory's script shows this where the browser can share a location (rounded to about 100 m).
          <p>
            <button type="button" class="button-secondary" data-locate hidden>
              {t('guided.where.locate')}
            </button>
          </p>
        ) : null}
        <p class="actions">
          <button type="submit" class="button">
            {last ? t('guided.showGroups') : t('guided.next')}
          </button>{' '}
          <StepLink href={findUrl(a, next, name)}>{t('guided.skip')}</StepLink>
        </p>
      </form>
      {step > 1 ? (
        <p>
          <StepLink href={findUrl(a, step - 1)}>{t('guided.back')}</StepLink>
        </p>
      ) : null}
    </>
  );
}

function AboutStep({ ctx, view }: { ctx: PageContext; view: GuidedView }) {
  const { t } = ctx;
  return (
    <>
      <Field
        ctx={ctx}
        name="about"
        label={t('guided.about.label')}
        hint={t('guided.about.hint')}
        errors={view.errors}
        value={view.answers.about}
        multiline
        rows={3}
      />
      <Choices
        ctx={ctx}
        name="topic"
        legend={t('guided.about.categories')}
        type="checkbox"
        options={view.categories.map((c) => ({ value: c.slug, label: c.name }))}
        chosen={view.answers.topics}
      />
    </>
  );
}

interface Option {
  value: string;
  label: string;
  hint?: string | undefined;
}

function Choices(p: {
  ctx: PageContext;
  name: string;
  legend: string;
  hint?: string;
  type: 'radio' | 'checkbox';
  options: Option[];
  chosen: string[];
}) {
  const hintId = `${p.name}-hint`;
  return (
    <fieldset class="field" aria-describedby={p.hint ? hintId : undefined}>
      <legend>{p.legend}</legend>
      {p.hint ? (
        <p class="hint" id={hintId}>
          {p.hint}
        </p>
      ) : null}
      {p.options.map((o) => {
        const id = `${p.name}-${o.value}`;
        return (
          <div class="choice" key={o.value}>
            <input
              type={p.type}
              id={id}
              name={p.name}
              value={o.value}
              checked={p.chosen.includes(o.value)}
              aria-describedby={o.hint ? `${id}-hint` : undefined}
            />
            <label for={id}>{o.label}</label>
            {o.hint ? (
              <p class="hint" id={`${id}-hint`}>
                {o.hint}
              </p>
            ) : null}
          </div>
        );
      })}
    </fieldset>
  );
}

function placeLabel(ctx: PageContext, place: Place): string {
  return place.label === yourLocation ? ctx.t('guided.results.yourLocation') : place.label;
}

function Results({ ctx, view }: { ctx: PageContext; view: GuidedView }) {
  const { t } = ctx;
  const a = view.answers;
  const meaning = view.meaning;
  const found = view.found;
  const list = new Intl.ListFormat(ctx.locale, { type: 'conjunction' });
  const either = new Intl.ListFormat(ctx.locale, { type: 'disjunction' });
  const otherWays = view.place ? a.formats.filter((f) => f !== 'in_person') : a.formats;
  const unmetText = (u: GuidedResults['unmet'][number]) => {
    if (u.wish === 'place')
      return t('guided.unmet.placeNone', { place: view.place ? placeLabel(ctx, view.place) : '' });
    if (u.wish === 'format') {
      const ways = either.format(otherWays.map((f) => t(`guided.ways.${f}`)));
      return t(u.none ? 'guided.unmet.formatNone' : 'guided.unmet.formatFew', { ways });
    }
    const language = a.language ? languageName(a.language, ctx.locale) : '';
    return t(u.none ? 'guided.unmet.languageNone' : 'guided.unmet.languageFew', { language });
  };
  return (
    <>
      <Heading view={view}>{t('guided.titleResults')}</Heading>
      {view.help ? (
        <>
          <HelpPanel ctx={ctx} resources={view.help} />
          <p>{t('guided.crisis.groupsBelow')}</p>
        </>
      ) : null}
      {meaning ? (
        <p>
          {meaning.understood.length > 0
            ? t('guided.results.understood', { topics: list.format(meaning.understood.map((u) => u.name)) })
            : t('guided.results.understoodNothing')}
          {meaning.audience === 'carers' ? <> {t('guided.results.forCarers')}</> : null}
          {meaning.audience === 'both' ? <> {t('guided.results.forBoth')}</> : null}
        </p>
      ) : null}
      {found?.unmet.map((u) => (
        <p class="notice" key={u.wish}>
          {unmetText(u)}
        </p>
      ))}
      {found && found.suggestions.length > 0 ? (
        <ol class="cards" aria-label={t('guided.results.count', { count: found.suggestions.length })}>
          {found.suggestions.map((r) => (
            <li class="card" key={r.entryId}>
              <h2 class="card-title">
                <a href={r.href}>{r.name}</a>
              </h2>
              <p>{reasonFor(ctx, r, a.language)}</p>
              {r.summary ? <p class="meta">{r.summary}</p> : null}
            </li>
          ))}
        </ol>
      ) : (
        <p class="empty">{t('guided.results.none')}</p>
      )}
      <ul class="plain-list">
        {found ? (
          <li>
            <a href={found.directoryUrl}>{t('guided.results.refine')}</a>
          </li>
        ) : null}
        <li>
          <a href="/listings/new">{t('guided.results.listGroup')}</a>
        </li>
        <li>
          <StepLink href={findUrl(a, 1)}>{t('guided.results.change')}</StepLink>
        </li>
        <li>
          <StepLink href="/find">{t('guided.results.startAgain')}</StepLink>
        </li>
      </ul>
    </>
  );
}
