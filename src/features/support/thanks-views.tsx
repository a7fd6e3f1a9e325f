import type { VNode } from 'preact';
import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, errorMessage, FormErrors, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { authorLabel, threadUrl, type PostView, type ThreadExtension, type ThreadExtra } from '../forum/index.js';
import { GroupHeader, type GroupAccess } from '../groups/index.js';
import { offersThanks } from './policy.js';
import type { Badge } from './schema.js';
import { THANKS_MAX, type ThreadRecognition } from './thanks.js';

/** A thread page as the forum hands it to extensions. */
type ThreadPage = Parameters<ThreadExtension['render']>[2];

/** The badges a member chose to show, beside their name on a post. */
export function ShownBadges({ ctx, list }: { ctx: PageContext; list: Badge[] }) {
  return (
    <>
      {list.map((badge) => (
        <span key={badge} class="badge" title={ctx.t(`support.badges.about.${badge}`, badgeVars)}>
          {ctx.t(`support.badges.names.${badge}`)}
        </span>
      ))}{' '}
    </>
  );
}

export const badgeVars = { welcomed: 10, weeks: 8 };

/** The note's field: one per reply on the page, so its id carries the post's. */
function ThanksFields({
  ctx,
  view,
  errors,
  message,
}: {
  ctx: PageContext;
  view: PostView;
  errors: FieldErrors;
  message: string;
}) {
  const { t } = ctx;
  const id = `thanks-${view.post.id}`;
  const error = errors.message;
  return (
    <form method="post" action={`/posts/${view.post.id}/thanks`} class="thanks-form">
      <CsrfField ctx={ctx} />
      <div class={error ? 'field field-error' : 'field'}>
        <label for={id}>{t('support.thanks.label')}</label>
        <p class="hint" id={`${id}-hint`}>
          {view.post.anonymous
            ? t('support.thanks.hintAnonymous', { max: THANKS_MAX })
            : t('support.thanks.hint', { name: authorLabel(ctx, view), max: THANKS_MAX })}
        </p>
        {error ? (
          <p class="error" id={`${id}-error`}>
            {errorMessage(ctx, error)}
          </p>
        ) : null}
        <textarea
          id={id}
          name="message"
          rows={3}
          maxLength={THANKS_MAX}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
        >
          {message}
        </textarea>
      </div>
      <button type="submit" class="button button-small">
        {t('support.thanks.send')}
      </button>
    </form>
  );
}

/** Under a reply: "Say thank you", opened without JavaScript (details), or what the reader sent. */
function ThanksAction({ ctx, view, thanked }: { ctx: PageContext; view: PostView; thanked: boolean }) {
  if (thanked) return <p class="meta">{ctx.t('support.thanks.sent')}</p>;
  return (
    <details class="thanks">
      <summary>{ctx.t('support.thanks.say')}</summary>
      <ThanksFields ctx={ctx} view={view} errors={{}} message="" />
    </details>
  );
}

/** What recognition adds to a thread page: badges beside names, "Say thank you" under replies. */
export function renderThreadRecognition(ctx: PageContext, data: ThreadRecognition, page: ThreadPage): ThreadExtra {
  const belowPost = new Map<number, VNode>();
  const besideAuthor = new Map<number, VNode>();
  for (const view of page.posts) {
    const { post } = view;
    const badges = data.shownBadges.get(post.id);
    // Never beside an anonymous post: its author's badges would point to them.
    if (badges && !post.anonymous) besideAuthor.set(post.id, <ShownBadges ctx={ctx} list={badges} />);
    const thanked = data.thanked.has(post.id);
    if (thanked || (ctx.viewer && offersThanks(page.access, post, view))) {
      belowPost.set(post.id, <ThanksAction ctx={ctx} view={view} thanked={thanked} />);
    }
  }
  return { belowPost, besideAuthor };
}

/** The note's form on a page of its own, when what was sent needs another look (its text kept). */
export function ThanksPage({
  ctx,
  access,
  threadId,
  view,
  errors,
  message,
}: {
  ctx: PageContext;
  access: GroupAccess;
  threadId: number;
  view: PostView;
  errors: FieldErrors;
  message: string;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('support.thanks.title')}>
      <GroupHeader ctx={ctx} access={access} />
      <section class="panel" aria-labelledby="thanks-heading">
        <h2 id="thanks-heading">{t('support.thanks.title')}</h2>
        <FormErrors ctx={ctx} errors={errors} />
        <p>{t('support.thanks.forReply', { name: authorLabel(ctx, view) })}</p>
        <ThanksFields ctx={ctx} view={view} errors={errors} message={message} />
        <p>
          <a href={`${threadUrl(access.group.slug, { id: threadId })}#post-${view.post.id}`}>
            {t('support.thanks.back')}
          </a>
        </p>
      </section>
    </Layout>
  );
}
