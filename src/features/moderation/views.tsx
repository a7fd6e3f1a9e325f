import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, errorMessage, FormErrors, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { RelativeTime } from '../../platform/views/time.js';
import { authorLabel, threadUrl, type PostView } from '../forum/index.js';
import type { GroupAccess } from '../groups/index.js';
import type { Thread } from '../forum/schema.js';
import { memberFlagReasons } from './flags.js';

/** The post a page is about, as its thread shows it. */
export function QuotedPost({
  ctx,
  access,
  thread,
  view,
}: {
  ctx: PageContext;
  access: GroupAccess;
  thread: Thread;
  view: PostView;
}) {
  return (
    <>
      <p class="breadcrumb">
        <a href={`/g/${access.group.slug}`}>{access.group.name}</a> ›{' '}
        <a href={`${threadUrl(access.group.slug, thread)}#post-${view.post.id}`}>{thread.title}</a>
      </p>
      <blockquote class="panel">
        <p class="meta">
          <strong>{authorLabel(ctx, view)}</strong> · <RelativeTime ctx={ctx} date={view.post.createdAt} />
        </p>
        {/* Sanitised Markdown, rendered by renderMarkdown when the post was written. */}
        <div class="prose" dangerouslySetInnerHTML={{ __html: view.post.bodyHtml }} />
      </blockquote>
    </>
  );
}

/** Choosing why a post is flagged, with a note: the page works without JavaScript. */
export function FlagPage({
  ctx,
  access,
  thread,
  view,
  errors = {},
  values = {},
}: {
  ctx: PageContext;
  access: GroupAccess;
  thread: Thread;
  view: PostView;
  errors?: FieldErrors;
  values?: Record<string, string>;
}) {
  const { t } = ctx;
  const back = `${threadUrl(access.group.slug, thread)}#post-${view.post.id}`;
  return (
    <Layout ctx={ctx} title={t('moderation.flagPost.title')}>
      <QuotedPost ctx={ctx} access={access} thread={thread} view={view} />
      <section class="panel narrow">
        <h1>{t('moderation.flagPost.heading')}</h1>
        <FlagForm ctx={ctx} view={view} back={back} errors={errors} values={values} />
      </section>
    </Layout>
  );
}

/**
 * The flag form. On its own page, or (`inline`, with htmx) opened under the post on the thread
 * page and answered there; its ids then carry the post's, as several may be open at once.
 */
export function FlagForm({
  ctx,
  view,
  back,
  errors = {},
  values = {},
  inline = false,
}: {
  ctx: PageContext;
  view: PostView;
  back: string;
  errors?: FieldErrors;
  values?: Record<string, string>;
  inline?: boolean;
}) {
  const { t } = ctx;
  const postId = view.post.id;
  const id = (name: string) => (inline ? `flag-${postId}-${name}` : name);
  const noteError = errors.note;
  if (view.flagged) {
    return (
      <>
        <p role={inline ? 'status' : undefined}>{t('moderation.flagPost.already')}</p>
        {inline ? null : (
          <p>
            <a href={back}>{t('forum.cancel')}</a>
          </p>
        )}
      </>
    );
  }
  const target = `#post-${postId}-flag`;
  return (
    <>
      {inline ? <h3>{t('moderation.flagPost.heading')}</h3> : null}
      <p>{t('moderation.flagPost.intro')}</p>
      <FormErrors ctx={ctx} errors={errors} />
      <form
        method="post"
        action={`/posts/${postId}/flag`}
        novalidate
        hx-post={inline ? `/posts/${postId}/flag` : undefined}
        hx-target={inline ? target : undefined}
        hx-swap={inline ? 'innerHTML' : undefined}
      >
        <CsrfField ctx={ctx} />
        <fieldset
          class={errors.reason ? 'field field-error' : 'field'}
          aria-describedby={errors.reason ? id('reason-error') : undefined}
        >
          <legend>{t('moderation.flagPost.reason')}</legend>
          {errors.reason ? (
            <p class="error" id={id('reason-error')}>
              {t('moderation.errors.reason')}
            </p>
          ) : null}
          {memberFlagReasons.map((reason) => (
            <div class="choice" key={reason}>
              <input
                type="radio"
                id={id(`reason-${reason}`)}
                name="reason"
                value={reason}
                checked={values.reason === reason}
                aria-describedby={id(`reason-${reason}-hint`)}
              />
              <label for={id(`reason-${reason}`)}>{t(`moderation.reasons.${reason}`)}</label>
              <p class="hint" id={id(`reason-${reason}-hint`)}>
                {t(`moderation.reasonHints.${reason}`)}
              </p>
            </div>
          ))}
        </fieldset>
        <div class={noteError ? 'field field-error' : 'field'}>
          <label for={id('field-note')}>{t('moderation.flagPost.note')}</label>
          <p class="hint" id={id('field-note-hint')}>
            {t('moderation.flagPost.noteHint')}
          </p>
          {noteError ? (
            <p class="error" id={id('field-note-error')}>
              {errorMessage(ctx, noteError)}
            </p>
          ) : null}
          <textarea
            id={id('field-note')}
            name="note"
            rows={3}
            maxLength={500}
            aria-invalid={noteError ? 'true' : undefined}
            aria-describedby={noteError ? `${id('field-note-hint')} ${id('field-note-error')}` : id('field-note-hint')}
          >
            {values.note ?? ''}
          </textarea>
        </div>
        <button type="submit" class="button">
          {t('moderation.flagPost.submit')}
        </button>{' '}
        <a href={back}>{t('forum.cancel')}</a>
      </form>
    </>
  );
}

/** What htmx puts under the post once it is flagged: the thanks, read out politely. */
export function Flagged({ ctx, hidden }: { ctx: PageContext; hidden: boolean }) {
  return <p role="status">{ctx.t(hidden ? 'notices.flaggedHidden' : 'notices.flagged')}</p>;
}
