import type { PageContext } from '../../platform/http/page.js';
import { CsrfField } from '../../platform/views/forms.js';
import { RelativeTime } from '../../platform/views/time.js';
import type { GroupAccess } from '../groups/index.js';
import type { PendingPost } from './premoderation.js';
import { threadUrl } from './views.js';

/** The review queue's first part: posts waiting for approval (the moderation feature renders the page). */
export function PendingSection({
  ctx,
  access,
  pending,
}: {
  ctx: PageContext;
  access: GroupAccess;
  pending: PendingPost[];
}) {
  const { t } = ctx;
  const { group } = access;
  return (
    <section aria-labelledby="pending-heading">
      <h2 id="pending-heading">{t('forum.review.heading')}</h2>
      <p>{group.preModeration ? t('forum.review.on') : t('forum.review.off')}</p>
      {pending.length === 0 ? <p class="empty">{t('forum.review.none')}</p> : null}
      {pending.map((p) => (
        <article class="panel" key={p.id} aria-labelledby={`pending-${p.id}`}>
          <h3 id={`pending-${p.id}`}>
            {p.isOpening
              ? t('forum.review.newThread', { title: p.threadTitle })
              : t('forum.review.reply', { title: p.threadTitle })}
          </h3>
          <p class="meta">
            {p.anonymousNumber !== null
              ? t('forum.anonymous.label', { n: p.anonymousNumber })
              : (p.author ?? t('forum.formerMember'))}{' '}
            · <RelativeTime ctx={ctx} date={p.createdAt} /> ·{' '}
            <a href={`${threadUrl(group.slug, { id: p.threadId })}#post-${p.id}`}>{t('forum.review.open')}</a>
          </p>
          {/* Sanitised Markdown, rendered by renderMarkdown when the post was written. */}
          <div class="prose" dangerouslySetInnerHTML={{ __html: p.bodyHtml }} />
          <form method="post" action={`/posts/${p.id}/review`}>
            <CsrfField ctx={ctx} />
            <div class="field">
              <label for={`reason-${p.id}`}>{t('forum.review.reason')}</label>
              <input type="text" id={`reason-${p.id}`} name="reason" maxLength={1000} />
            </div>
            <div class="actions">
              <button type="submit" name="decision" value="approve" class="button">
                {t('forum.review.approve')}
              </button>
              <button type="submit" name="decision" value="reject" class="button button-secondary">
                {t('forum.review.reject')}
              </button>
            </div>
          </form>
        </article>
      ))}
    </section>
  );
}
