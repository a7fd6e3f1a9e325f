import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, FormErrors, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { RelativeTime } from '../../platform/views/time.js';
import { WarningFields } from '../content-warnings/index.js';
import { AttachmentFields } from '../files/attaching.js';
import { canTakePart, type GroupAccess } from '../groups/index.js';
import type { Thread } from './schema.js';
import type { PostView, Revision } from './service.js';
import { authorLabel, PostFields, threadUrl, type PostAttach } from './views.js';

export function EditPostPage({
  ctx,
  access,
  thread,
  view,
  errors = {},
  values,
  attach,
}: {
  ctx: PageContext;
  access: GroupAccess;
  thread: Thread;
  view: PostView;
  errors?: FieldErrors;
  values?: Record<string, string>;
  /** What the post may have added, and the files it keeps (those it has, when first shown). */
  attach?: PostAttach | undefined;
}) {
  const { t } = ctx;
  const v = values ?? { title: thread.title, body: view.post.body };
  // Files it has stay listed, to keep or remove, even where nothing new may be added any more.
  const attaching =
    attach !== undefined && (attach.limits.images || attach.limits.files || (attach.pending ?? []).length > 0);
  return (
    <Layout ctx={ctx} title={t('forum.editPost.title')}>
      <p class="breadcrumb">
        <a href={`/g/${access.group.slug}`}>{access.group.name}</a> ›{' '}
        <a href={threadUrl(access.group.slug, thread)}>{thread.title}</a>
      </p>
      <section class="panel">
        <h1>{t('forum.editPost.title')}</h1>
        <FormErrors ctx={ctx} errors={errors} />
        <form
          method="post"
          action={`/posts/${view.post.id}/edit`}
          enctype={attaching ? 'multipart/form-data' : undefined}
          novalidate
        >
          <CsrfField ctx={ctx} />
          <PostFields
            ctx={ctx}
            errors={errors}
            values={v}
            withTitle={view.post.isOpening}
            mentionsIn={canTakePart(access) ? access.group.slug : undefined}
          />
          {attaching ? (
            <AttachmentFields
              ctx={ctx}
              limits={attach.limits}
              place={`g:${access.group.slug}`}
              pending={attach.pending}
              errors={errors}
              values={v}
              editing
            />
          ) : null}
          <WarningFields ctx={ctx} errors={errors} values={v} current={view.post.contentWarning} />
          <button type="submit" class="button">
            {t('forum.editPost.submit')}
          </button>{' '}
          <a href={`${threadUrl(access.group.slug, thread)}#post-${view.post.id}`}>{t('forum.cancel')}</a>
        </form>
      </section>
    </Layout>
  );
}

export function DeletePostPage({
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
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('forum.deletePost.title')}>
      <section class="panel narrow">
        <h1>{t('forum.deletePost.title')}</h1>
        <p>{view.post.isOpening ? t('forum.deletePost.wholeThread') : t('forum.deletePost.confirm')}</p>
        <form method="post" action={`/posts/${view.post.id}/delete`}>
          <CsrfField ctx={ctx} />
          <button type="submit" class="button button-danger">
            {t('forum.deletePost.submit')}
          </button>{' '}
          <a href={`${threadUrl(access.group.slug, thread)}#post-${view.post.id}`}>{t('forum.cancel')}</a>
        </form>
      </section>
    </Layout>
  );
}

export function HistoryPage({
  ctx,
  access,
  thread,
  view,
  revisions,
}: {
  ctx: PageContext;
  access: GroupAccess;
  thread: Thread;
  view: PostView;
  revisions: Revision[];
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('forum.history')}>
      <p class="breadcrumb">
        <a href={`${threadUrl(access.group.slug, thread)}#post-${view.post.id}`}>{thread.title}</a>
      </p>
      <h1>{t('forum.historyOf', { name: authorLabel(ctx, view) })}</h1>
      <section class="panel">
        <h2>{t('forum.currentVersion')}</h2>
        <pre class="source">{view.post.body}</pre>
      </section>
      {revisions.map((r, i) => (
        <section class="panel" key={i}>
          <h2>
            {t('forum.replacedVersion')} <RelativeTime ctx={ctx} date={r.replacedAt} />
          </h2>
          {r.title ? (
            <p>
              <strong>{r.title}</strong>
            </p>
          ) : null}
          <pre class="source">{r.body}</pre>
        </section>
      ))}
    </Layout>
  );
}
