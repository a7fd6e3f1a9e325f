import type { ComponentChildren } from 'preact';
import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, FormErrors, type FieldErrors } from '../../platform/views/forms.js';
import type { MessageKey } from '../../platform/views/i18n.js';
import { Layout } from '../../platform/views/layout.js';
import { AccountNav } from '../accounts/index.js';
import type { Thread } from '../forum/schema.js';
import type { GroupAccess } from '../groups/index.js';
import { isPreset, OWN_WORDS_MAX, warningPresets, warningTopics, type WarningTopic } from './warnings.js';

/** How a stored warning reads: a preset's name, or the author's own words as they wrote them. */
export function warningLabel(ctx: PageContext, warning: string): string {
  return isPreset(warning) ? ctx.t(`contentWarnings.presets.${warning}`) : warning;
}

/**
 * The content-warning choice of the new-thread, reply and edit forms: a list of presets, "other"
 * with the author's own words, or none. Works without JavaScript: the words count only with "other".
 */
export function WarningFields({
  ctx,
  errors,
  values,
  current = null,
  idPrefix = 'field',
}: {
  ctx: PageContext;
  errors: FieldErrors;
  values: Record<string, string | undefined>;
  /** The post's warning now (editing), when the form was not sent back with values. */
  current?: string | null;
  /** Keeps ids apart when more than one of these is on a page. */
  idPrefix?: string;
}) {
  const { t } = ctx;
  const chosen = values.warning ?? (current === null ? '' : isPreset(current) ? current : 'other');
  const ownWords = values.warningOther ?? (current !== null && !isPreset(current) ? current : '');
  const select = `${idPrefix}-warning`;
  const other = `${idPrefix}-warningOther`;
  const error = errors.warningOther;
  return (
    <div class="warning-fields">
      <div class="field">
        <label for={select}>{t('contentWarnings.label')}</label>
        <p class="hint" id={`${select}-hint`}>
          {t('contentWarnings.fieldHint')}
        </p>
        <select id={select} name="warning" aria-describedby={`${select}-hint`}>
          <option value="" selected={chosen === ''}>
            {t('contentWarnings.none')}
          </option>
          {warningPresets.map((preset) => (
            <option key={preset} value={preset} selected={chosen === preset}>
              {t(`contentWarnings.presets.${preset}`)}
            </option>
          ))}
          <option value="other" selected={chosen === 'other'}>
            {t('contentWarnings.other')}
          </option>
        </select>
      </div>
      <div class={error ? 'field field-error' : 'field'}>
        <label for={other}>{t('contentWarnings.ownWords')}</label>
        <p class="hint" id={`${other}-hint`}>
          {t('contentWarnings.ownWordsHint')}
        </p>
        {error ? (
          <p class="error" id={`${other}-error`}>
            {t(error as MessageKey)}
          </p>
        ) : null}
        <input
          type="text"
          id={other}
          name="warningOther"
          value={ownWords}
          maxLength={OWN_WORDS_MAX}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? `${other}-hint ${other}-error` : `${other}-hint`}
        />
      </div>
    </div>
  );
}

/**
 * A post's body behind its warning: closed until the reader opens it, or open when they chose to
 * always see this kind. `<details>` needs no JavaScript.
 */
export function WarnedBody({
  ctx,
  warning,
  open,
  children,
}: {
  ctx: PageContext;
  warning: string | null;
  open: boolean;
  children: ComponentChildren;
}) {
  if (warning === null) return <>{children}</>;
  return (
    <details class="content-warning" open={open}>
      <summary>
        <span class="content-warning-label">
          {ctx.t('contentWarnings.collapsed', { warning: warningLabel(ctx, warning) })}
        </span>{' '}
        <span class="content-warning-open">{ctx.t('contentWarnings.open')}</span>
      </summary>
      {children}
    </details>
  );
}

function WarningFormBody({
  ctx,
  postId,
  current,
  errors = {},
  values = {},
}: {
  ctx: PageContext;
  postId: number;
  current: string | null;
  errors?: FieldErrors;
  values?: Record<string, string>;
}) {
  return (
    <form method="post" action={`/posts/${postId}/warning`} novalidate>
      <CsrfField ctx={ctx} />
      <WarningFields ctx={ctx} errors={errors} values={values} current={current} idPrefix={`post-${postId}`} />
      <button type="submit" class="button button-small button-secondary">
        {ctx.t('contentWarnings.save')}
      </button>
    </form>
  );
}

/** The small form on a post with which moderators (and the author) add, change or remove its warning. */
export function WarningForm({ ctx, postId, current }: { ctx: PageContext; postId: number; current: string | null }) {
  return (
    <details class="warning-form">
      <summary>{ctx.t('contentWarnings.moderatorHeading')}</summary>
      <WarningFormBody ctx={ctx} postId={postId} current={current} />
    </details>
  );
}

/** The same form on a page of its own, when what was sent needs another look. */
export function WarningPage({
  ctx,
  access,
  thread,
  postId,
  errors,
  values,
}: {
  ctx: PageContext;
  access: GroupAccess;
  thread: Pick<Thread, 'id' | 'title'>;
  postId: number;
  errors: FieldErrors;
  values: Record<string, string>;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('contentWarnings.moderatorHeading')}>
      <p class="breadcrumb">
        <a href={`/g/${access.group.slug}/t/${thread.id}#post-${postId}`}>{thread.title}</a>
      </p>
      <section class="panel">
        <h1>{t('contentWarnings.moderatorHeading')}</h1>
        <FormErrors ctx={ctx} errors={errors} />
        <WarningFormBody ctx={ctx} postId={postId} current={null} errors={errors} values={values} />
      </section>
    </Layout>
  );
}

/** A member's page: for each kind of warning, keep such posts closed (the default) or always show them. */
export function PreferencesPage({ ctx, shown }: { ctx: PageContext; shown: Set<WarningTopic> }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('contentWarnings.page.title')}>
      <h1>{t('contentWarnings.page.title')}</h1>
      <AccountNav ctx={ctx} />
      <section class="panel">
        <p class="lede">{t('contentWarnings.page.intro')}</p>
        <form method="post" action="/account/content-warnings">
          <CsrfField ctx={ctx} />
          {warningTopics.map((topic) => (
            <fieldset key={topic} class="field">
              <legend>{t(`contentWarnings.presets.${topic}`)}</legend>
              {(['collapse', 'show'] as const).map((choice) => (
                <div class="choice" key={choice}>
                  <input
                    type="radio"
                    id={`cw-${topic}-${choice}`}
                    name={topic}
                    value={choice}
                    checked={shown.has(topic) === (choice === 'show')}
                  />
                  <label for={`cw-${topic}-${choice}`}>{t(`contentWarnings.page.${choice}`)}</label>
                </div>
              ))}
            </fieldset>
          ))}
          <button type="submit" class="button">
            {t('contentWarnings.page.save')}
          </button>
        </form>
      </section>
    </Layout>
  );
}
