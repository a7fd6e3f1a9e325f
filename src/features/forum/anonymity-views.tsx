import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, Field, FormErrors, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import type { GroupAccess } from '../groups/index.js';
import type { Revealed } from './anonymity.js';
import type { Thread } from './schema.js';
import type { PostView } from './service.js';
import { authorLabel, threadUrl } from './views.js';

interface PostPageProps {
  ctx: PageContext;
  access: GroupAccess;
  thread: Thread;
  view: PostView;
  errors?: FieldErrors;
  values?: Record<string, string>;
}

/** The anonymous post a page is about, as the thread shows it. */
function QuotedPost({ ctx, access, thread, view }: PostPageProps) {
  return (
    <>
      <p class="breadcrumb">
        <a href={`/g/${access.group.slug}`}>{access.group.name}</a> ›{' '}
        <a href={`${threadUrl(access.group.slug, thread)}#post-${view.post.id}`}>{thread.title}</a>
      </p>
      <blockquote class="panel">
        <p class="meta">
          <strong>{authorLabel(ctx, view)}</strong>
        </p>
        {/* Sanitised Markdown, rendered by renderMarkdown when the post was written. */}
        <div class="prose" dangerouslySetInnerHTML={{ __html: view.post.bodyHtml }} />
      </blockquote>
    </>
  );
}

export function RevealPage(props: PostPageProps) {
  const { ctx, view, errors = {}, values = {} } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('forum.reveal.title')}>
      <QuotedPost {...props} />
      <section class="panel narrow">
        <h1>{t('forum.reveal.title')}</h1>
        <p>{t('forum.reveal.intro')}</p>
        <FormErrors ctx={ctx} errors={errors} />
        <form method="post" action={`/posts/${view.post.id}/reveal`} novalidate>
          <CsrfField ctx={ctx} />
          <Field
            ctx={ctx}
            name="reason"
            label={t('forum.reveal.reason')}
            hint={t('forum.reveal.reasonHint')}
            errors={errors}
            value={values.reason}
            multiline
            rows={4}
            required
          />
          <button type="submit" class="button button-danger">
            {t('forum.reveal.submit')}
          </button>
        </form>
      </section>
    </Layout>
  );
}

/** The answer to a reveal: shown once, to the person who asked, on the page that answers the form. */
export function RevealedPage({ ctx, revealed }: { ctx: PageContext; revealed: Revealed }) {
  const { t } = ctx;
  const { access, thread, post } = revealed;
  return (
    <Layout ctx={ctx} title={t('forum.reveal.done')}>
      <p class="breadcrumb">
        <a href={`${threadUrl(access.group.slug, thread)}#post-${post.id}`}>{thread.title}</a>
      </p>
      <section class="panel narrow">
        <h1>{t('forum.reveal.done')}</h1>
        {revealed.name === null ? (
          <p>{t('forum.reveal.gone')}</p>
        ) : (
          <dl class="facts">
            <dt>{t('forum.reveal.nameInGroup')}</dt>
            <dd>{revealed.name}</dd>
            {revealed.pseudonym ? (
              <>
                <dt>{t('forum.reveal.pseudonym')}</dt>
                <dd>{revealed.pseudonym}</dd>
              </>
            ) : null}
          </dl>
        )}
        <p>{t('forum.reveal.recorded')}</p>
      </section>
    </Layout>
  );
}

export function BanAuthorPage(props: PostPageProps) {
  const { ctx, access, thread, view, errors = {}, values = {} } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('forum.banAuthor.title')}>
      <QuotedPost {...props} />
      <section class="panel narrow">
        <h1>{t('forum.banAuthor.title')}</h1>
        <p>{t('forum.banAuthor.intro')}</p>
        <FormErrors ctx={ctx} errors={errors} />
        <form method="post" action={`/posts/${view.post.id}/ban-author`} novalidate>
          <CsrfField ctx={ctx} />
          <Field
            ctx={ctx}
            name="reason"
            label={t('groups.remove.reason')}
            hint={t('groups.remove.reasonHint')}
            errors={errors}
            value={values.reason}
            multiline
            rows={3}
            required
          />
          <button type="submit" class="button button-danger">
            {t('forum.banAuthor.submit')}
          </button>{' '}
          <a href={`${threadUrl(access.group.slug, thread)}#post-${view.post.id}`}>{t('forum.cancel')}</a>
        </form>
      </section>
    </Layout>
  );
}
