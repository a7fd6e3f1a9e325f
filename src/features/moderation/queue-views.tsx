import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, errorMessage, FormErrors, PostButton, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { DateTime, RelativeTime } from '../../platform/views/time.js';
import { PendingSection, threadUrl, type PendingPost } from '../forum/index.js';
import { GroupHeader, type GroupAccess } from '../groups/index.js';
import { decisions } from './decisions.js';
import type { FlaggedPost } from './queue.js';
import { silenceDays, type SilenceRow } from './silences.js';

/** A form's errors, and what was typed, for the one flagged post whose decision was refused. */
export interface DecisionErrors {
  postId: number;
  errors: FieldErrors;
  values: Record<string, string>;
}

/** The review queue: posts waiting for approval, then flagged posts with a decision form each. */
export function QueuePage({
  ctx,
  access,
  pending,
  flagged,
  refused,
}: {
  ctx: PageContext;
  access: GroupAccess;
  pending: PendingPost[];
  flagged: FlaggedPost[];
  refused?: DecisionErrors | undefined;
}) {
  const { t } = ctx;
  const { group } = access;
  return (
    <Layout ctx={ctx} title={t('forum.review.title', { name: group.name })}>
      <GroupHeader ctx={ctx} access={access} />
      <PendingSection ctx={ctx} access={access} pending={pending} />
      <section aria-labelledby="flagged-heading">
        <h2 id="flagged-heading">{t('moderation.queue.flaggedHeading')}</h2>
        <p>
          <a href={`/g/${group.slug}/silences`}>{t('moderation.queue.silencesLink')}</a>
        </p>
        {/* A decision refused for a post no longer here (another moderator decided first). */}
        {refused && !flagged.some((p) => p.id === refused.postId) ? (
          <FormErrors ctx={ctx} errors={refused.errors} />
        ) : null}
        {flagged.length === 0 ? <p class="empty">{t('moderation.queue.flaggedNone')}</p> : null}
        {flagged.map((p) => (
          <FlaggedItem
            key={p.id}
            ctx={ctx}
            access={access}
            post={p}
            refused={refused?.postId === p.id ? refused : undefined}
          />
        ))}
      </section>
    </Layout>
  );
}

function FlaggedItem({
  ctx,
  access,
  post: p,
  refused,
}: {
  ctx: PageContext;
  access: GroupAccess;
  post: FlaggedPost;
  refused?: DecisionErrors | undefined;
}) {
  const { t } = ctx;
  const errors = refused?.errors ?? {};
  const values = refused?.values ?? {};
  const id = (name: string) => `d-${p.id}-${name}`;
  const author = p.anonymous
    ? t('forum.anonymous.label', { n: p.anonymousNumber ?? 1 })
    : (p.author ?? t('forum.formerMember'));
  const error = (name: string) =>
    errors[name] ? (
      <p class="error" id={id(`${name}-error`)}>
        {errorMessage(ctx, errors[name]!)}
      </p>
    ) : null;
  const describedBy = (name: string, hint: boolean) =>
    [hint ? id(`${name}-hint`) : '', errors[name] ? id(`${name}-error`) : ''].filter(Boolean).join(' ') || undefined;
  return (
    <article class="panel" aria-labelledby={id('title')}>
      <h3 id={id('title')}>
        {p.isOpening
          ? t('forum.review.newThread', { title: p.threadTitle })
          : t('forum.review.reply', { title: p.threadTitle })}
      </h3>
      <p class="meta">
        {author} · <RelativeTime ctx={ctx} date={p.createdAt} /> ·{' '}
        <a href={`${threadUrl(access.group.slug, { id: p.threadId })}#post-${p.id}`}>{t('forum.review.open')}</a>
      </p>
      {p.hidden ? (
        <p class="badge badge-warning">
          {p.hiddenByFlags ? t('moderation.queue.hiddenByFlags') : t('moderation.queue.hidden')}
        </p>
      ) : null}
      {/* Sanitised Markdown, rendered by renderMarkdown when the post was written. */}
      <div class="prose" dangerouslySetInnerHTML={{ __html: p.bodyHtml }} />
      <h4>{t('moderation.queue.flagCount', { count: p.flags.length })}</h4>
      {p.mine ? <p class="hint">{t('moderation.queue.mineNote')}</p> : null}
      <ul class="plain-list flags">
        {p.flags.map((f, i) => (
          <li key={i}>
            <strong>{t(`moderation.reasons.${f.reason}`)}</strong>
            {f.automatic ? <span class="badge">{t('moderation.queue.automatic')}</span> : null}
            {f.note ? (
              <>
                {' '}
                <q>{f.note}</q>
              </>
            ) : null}{' '}
            <span class="meta">
              {f.automatic
                ? null
                : p.mine
                  ? t('moderation.queue.flaggedByHidden')
                  : f.flagger
                    ? t('moderation.queue.flaggedBy', { name: f.flagger })
                    : t('moderation.queue.formerFlagger')}{' '}
              · <RelativeTime ctx={ctx} date={f.createdAt} />
            </span>
          </li>
        ))}
      </ul>
      {p.anonymous ? <p class="hint">{t('moderation.queue.anonymousNote')}</p> : null}
      <form method="post" action={`/posts/${p.id}/flags/decision`} novalidate>
        <CsrfField ctx={ctx} />
        <FormErrors ctx={ctx} errors={errors} />
        <fieldset class={errors.decision ? 'field field-error' : 'field'}>
          <legend>{t('moderation.queue.decision')}</legend>
          {error('decision')}
          {decisions.map((d) => (
            <div class="choice" key={d}>
              <input
                type="radio"
                id={id(d)}
                name="decision"
                value={d}
                checked={values.decision === d || (!values.decision && d === 'approve')}
              />
              <label for={id(d)}>
                {t(
                  d === 'delete' && p.isOpening
                    ? 'moderation.queue.decisions.deleteOpening'
                    : `moderation.queue.decisions.${d}`,
                )}
              </label>
            </div>
          ))}
        </fieldset>
        <div class={errors.message ? 'field field-error' : 'field'}>
          <label for={id('message')}>{t('moderation.queue.message')}</label>
          <p class="hint" id={id('message-hint')}>
            {t('moderation.queue.messageHint')}
          </p>
          {error('message')}
          <textarea
            id={id('message')}
            name="message"
            rows={3}
            maxLength={1000}
            aria-invalid={errors.message ? 'true' : undefined}
            aria-describedby={describedBy('message', true)}
          >
            {values.message ?? ''}
          </textarea>
        </div>
        <div class={errors.days ? 'field field-error' : 'field'}>
          <label for={id('days')}>{t('moderation.queue.days')}</label>
          {error('days')}
          <select id={id('days')} name="days" aria-describedby={describedBy('days', false)}>
            {silenceDays.map((n) => (
              <option key={n} value={String(n)} selected={values.days === String(n) || (!values.days && n === 1)}>
                {t('moderation.queue.daysOption', { count: n })}
              </option>
            ))}
          </select>
        </div>
        <div class={errors.contentWarning ? 'field field-error' : 'field'}>
          <label for={id('contentWarning')}>{t('moderation.queue.contentWarning')}</label>
          <p class="hint" id={id('contentWarning-hint')}>
            {t('moderation.queue.contentWarningHint')}
          </p>
          {error('contentWarning')}
          <input
            type="text"
            id={id('contentWarning')}
            name="contentWarning"
            maxLength={60}
            value={values.contentWarning ?? p.contentWarning ?? ''}
            aria-describedby={describedBy('contentWarning', true)}
          />
        </div>
        <div class="choice">
          <input type="checkbox" id={id('alsoHide')} name="alsoHide" checked={values.alsoHide === 'on'} />
          <label for={id('alsoHide')}>{t('moderation.queue.alsoHide')}</label>
        </div>
        {p.anonymous ? null : (
          <div class="choice">
            <input type="checkbox" id={id('ban')} name="ban" checked={values.ban === 'on'} />
            <label for={id('ban')}>{t('moderation.queue.ban')}</label>
          </div>
        )}
        <button type="submit" class="button">
          {t('moderation.queue.submit')}
        </button>
      </form>
    </article>
  );
}

/** The pauses in force, each with a way to lift it; an anonymous post's author is named by the post. */
export function SilencesPage({ ctx, access, list }: { ctx: PageContext; access: GroupAccess; list: SilenceRow[] }) {
  const { t } = ctx;
  const { group } = access;
  return (
    <Layout ctx={ctx} title={t('moderation.silences.title', { name: group.name })}>
      <GroupHeader ctx={ctx} access={access} />
      <h2>{t('moderation.silences.heading')}</h2>
      <p>{t('moderation.silences.intro')}</p>
      {list.length === 0 ? (
        <p class="empty">{t('moderation.silences.none')}</p>
      ) : (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('moderation.silences.who')}</th>
              <th scope="col">{t('moderation.silences.until')}</th>
              <th scope="col">{t('moderation.silences.why')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('moderation.silences.lift')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((s) => {
              const who = s.name ?? t('moderation.silences.anonymousAuthor');
              return (
                <tr key={s.id}>
                  <td>
                    {who}
                    {s.threadId && s.postId ? (
                      <>
                        {' '}
                        ·{' '}
                        <a href={`${threadUrl(group.slug, { id: s.threadId })}#post-${s.postId}`}>
                          {t('moderation.silences.openPost')}
                        </a>
                      </>
                    ) : null}
                  </td>
                  <td>
                    <DateTime ctx={ctx} date={s.endsAt} />
                  </td>
                  <td>{s.reason}</td>
                  <td>
                    <PostButton
                      ctx={ctx}
                      action={`/g/${group.slug}/silences/${s.id}/lift`}
                      label={t('moderation.silences.liftLabel', { name: who })}
                      className="button button-small button-secondary"
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
