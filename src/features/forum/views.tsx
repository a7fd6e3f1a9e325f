import type { ThreadExtra } from './extensions.js';
import { Fragment, type VNode } from 'preact';
import type { PageContext } from '../../platform/http/page.js';
import { assetUrl } from '../../platform/views/assets.js';
import { CsrfField, Field, FormErrors, PostButton, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { formatDateTime, RelativeTime } from '../../platform/views/time.js';
import {
  canModerate,
  canReadDiscussions,
  canRevealAuthor,
  canTakePart,
  GroupHeader,
  type GroupAccess,
} from '../groups/index.js';
import { BlockButton, HiddenForMe, HideForMeButton, MuteButton } from '../blocking/index.js';
import { WarnedBody, WarningFields, WarningForm, warningLabel } from '../content-warnings/index.js';
import { CrisisPanel, type CrisisPanelData } from '../safety/index.js';
import { notIndexed, type SearchPresence } from '../directory/index.js';
import { MentionsField } from '../following/index.js';
import { AttachmentFields, Attachments, type PendingAttachment, type UploadLimits } from '../files/attaching.js';
import { anonymityOf, type AnonymityOption } from './anonymity.js';
import type { Thread } from './schema.js';
import type { PostView, ThreadSummary } from './service.js';

export const threadUrl = (slug: string, thread: Pick<Thread, 'id'>) => `/g/${slug}/t/${thread.id}`;

/** What a post's form may attach (src/features/files), and the uploads it holds already. */
export interface PostAttach {
  limits: UploadLimits;
  pending?: PendingAttachment[] | undefined;
}

const canAttach = (attach: PostAttach | undefined): attach is PostAttach =>
  attach !== undefined && (attach.limits.images || attach.limits.files);

export function GroupPage({
  ctx,
  access,
  threads,
  total,
  page,
  pageSize,
  muted = false,
  seo = notIndexed,
  extras = [],
}: {
  ctx: PageContext;
  access: GroupAccess;
  /** What other features add above the discussions (extensions.ts: GroupPageExtension). */
  extras?: VNode[];
  threads: ThreadSummary[];
  total: number;
  page: number;
  pageSize: number;
  /** Listing only the threads the viewer muted. */
  muted?: boolean;
  /** Whether search engines may list the page (the group chose it), and its structured data. */
  seo?: SearchPresence;
}) {
  const { t } = ctx;
  const { group } = access;
  const readable = canReadDiscussions(access);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const listUrl = (n: number) => `/g/${group.slug}?${muted ? 'muted=1&' : ''}page=${n}`;
  return (
    <Layout
      ctx={ctx}
      title={group.name}
      description={group.summary}
      indexable={seo.indexable && !muted}
      jsonLd={seo.jsonLd}
    >
      <GroupHeader ctx={ctx} access={access} />
      <section aria-labelledby="discussions-heading">
        <div class="section-head">
          <h2 id="discussions-heading">{muted ? t('blocking.mutedHeading') : t('forum.discussions')}</h2>
          {canTakePart(access) ? (
            <a class="button" href={`/g/${group.slug}/threads/new`}>
              {t('forum.newThread.link')}
            </a>
          ) : null}
        </div>
        {extras}
        {!readable ? (
          <p class="panel">{t('groups.errors.membersOnly')}</p>
        ) : threads.length === 0 ? (
          <p class="empty">{muted ? t('blocking.noMuted') : t('forum.noThreads')}</p>
        ) : (
          <ul class="threads">
            {threads.map(({ thread, author, anonymous, awaiting, warning }) => (
              <li key={thread.id} class="thread-row">
                <a href={threadUrl(group.slug, thread)} class="thread-title">
                  {thread.title}
                </a>
                {warning ? (
                  <>
                    {' '}
                    <span class="badge badge-warning">
                      {t('contentWarnings.inList', { warning: warningLabel(ctx, warning) })}
                    </span>
                  </>
                ) : null}
                <p class="meta">
                  {thread.pinned ? <span class="badge">{t('forum.pinned')}</span> : null}{' '}
                  {thread.locked ? <span class="badge">{t('forum.locked')}</span> : null}{' '}
                  {awaiting ? <span class="badge badge-warning">{t('forum.awaiting')}</span> : null}{' '}
                  <span>
                    {t('forum.startedBy', {
                      name: anonymous ? t('forum.anonymous.member') : (author ?? t('forum.formerMember')),
                    })}
                  </span>
                  {' · '}
                  <span>{t('forum.replyCount', { count: thread.replyCount })}</span>
                  {' · '}
                  <span>
                    {t('forum.lastActivity')} <RelativeTime ctx={ctx} date={thread.lastPostAt} />
                  </span>
                </p>
              </li>
            ))}
          </ul>
        )}
        {pages > 1 ? (
          <nav aria-label={t('directory.pages')} class="pager">
            {page > 1 ? <a href={listUrl(page - 1)}>{t('directory.previous')}</a> : null}
            <span>{t('directory.pageOf', { page, pages })}</span>
            {page < pages ? <a href={listUrl(page + 1)}>{t('directory.next')}</a> : null}
          </nav>
        ) : null}
        {readable && ctx.viewer ? (
          <p>
            <a href={muted ? `/g/${group.slug}` : `/g/${group.slug}?muted=1`}>
              {muted ? t('blocking.showAll') : t('blocking.showMuted')}
            </a>
          </p>
        ) : null}
      </section>
    </Layout>
  );
}

export function NewThreadPage({
  ctx,
  access,
  errors = {},
  values = {},
  attach,
}: {
  ctx: PageContext;
  access: GroupAccess;
  errors?: FieldErrors;
  values?: Record<string, string>;
  attach?: PostAttach | undefined;
}) {
  const { t } = ctx;
  const { group } = access;
  return (
    <Layout ctx={ctx} title={t('forum.newThread.title', { name: group.name })}>
      <p class="breadcrumb">
        <a href={`/g/${group.slug}`}>{group.name}</a>
      </p>
      <section class="panel">
        <h1>{t('forum.newThread.heading')}</h1>
        <p class="lede">{t('forum.newThread.intro')}</p>
        {access.silencedUntil ? <SilencedNotice ctx={ctx} until={access.silencedUntil} /> : null}
        <FormErrors ctx={ctx} errors={errors} />
        <form
          method="post"
          action={`/g/${group.slug}/threads/new`}
          enctype={canAttach(attach) ? 'multipart/form-data' : undefined}
          novalidate
        >
          <CsrfField ctx={ctx} />
          <PostFields ctx={ctx} errors={errors} values={values} withTitle mentionsIn={group.slug} />
          {canAttach(attach) ? (
            <AttachmentFields
              ctx={ctx}
              limits={attach.limits}
              place={`g:${group.slug}`}
              pending={attach.pending}
              errors={errors}
              values={values}
            />
          ) : null}
          <WarningFields ctx={ctx} errors={errors} values={values} />
          <AnonymousChoice ctx={ctx} option={anonymityOf(access)} checked={values.anonymous === 'on'} />
          <button type="submit" class="button">
            {t('forum.newThread.submit')}
          </button>
        </form>
      </section>
    </Layout>
  );
}

/** The body of a post, with the "@" autocomplete of the group's names when they are given. */
function BodyField({
  ctx,
  errors,
  value,
  label,
  rows,
  mentionsIn,
}: {
  ctx: PageContext;
  errors: FieldErrors;
  value: string | undefined;
  label: string;
  rows: number;
  /** The group whose names may be mentioned (the writer may see its members). */
  mentionsIn?: string | undefined;
}) {
  const { t } = ctx;
  const hint = mentionsIn
    ? `${t('forum.fields.markdownHint')} ${t('following.mentions.hint')}`
    : t('forum.fields.markdownHint');
  const field = (
    <Field
      ctx={ctx}
      name="body"
      label={label}
      hint={hint}
      errors={errors}
      value={value}
      multiline
      rows={rows}
      required
    />
  );
  return mentionsIn ? (
    <MentionsField ctx={ctx} slug={mentionsIn}>
      {field}
    </MentionsField>
  ) : (
    field
  );
}

/** The title (for an opening post) and Markdown body of a post, as starting and editing share them. */
export function PostFields({
  ctx,
  errors,
  values,
  withTitle,
  mentionsIn,
}: {
  ctx: PageContext;
  errors: FieldErrors;
  values: Record<string, string | undefined>;
  withTitle: boolean;
  /** The group whose names the body may mention, with the autocomplete. */
  mentionsIn?: string | undefined;
}) {
  const { t } = ctx;
  return (
    <>
      {withTitle ? (
        <Field
          ctx={ctx}
          name="title"
          label={t('forum.fields.title')}
          errors={errors}
          value={values.title}
          required
          maxLength={200}
        />
      ) : null}
      <BodyField
        ctx={ctx}
        errors={errors}
        value={values.body}
        label={t('forum.fields.body')}
        rows={10}
        mentionsIn={mentionsIn}
      />
    </>
  );
}

/**
 * "Post anonymously", where the group allows it, with who could ever uncover the author: told
 * here, before they post, as the group's policy stands (and stays, for this post).
 */
export function AnonymousChoice({
  ctx,
  option,
  checked,
}: {
  ctx: PageContext;
  option: AnonymityOption | null;
  checked: boolean;
}) {
  const { t } = ctx;
  if (!option) return null;
  const id = 'field-anonymous';
  return (
    <div class="choice">
      <input type="checkbox" id={id} name="anonymous" checked={checked} aria-describedby={`${id}-hint`} />
      <label for={id}>{t('forum.anonymous.choice')}</label>
      <p class="hint" id={`${id}-hint`}>
        {t('forum.anonymous.hint')}{' '}
        {option.facilitatorsReveal ? t('forum.anonymous.revealFacilitators') : t('forum.anonymous.revealAdmins')}
      </p>
    </div>
  );
}

/** How a post's author is named: by name in the group, or by their anonymous label in the thread. */
export function authorLabel(ctx: PageContext, view: Pick<PostView, 'post' | 'author'>): string {
  if (view.post.anonymous) return ctx.t('forum.anonymous.label', { n: view.post.anonymousNumber ?? 1 });
  return view.author ?? ctx.t('forum.formerMember');
}

const reactionLabels = {
  support: 'forum.reactions.support',
  me_too: 'forum.reactions.meToo',
  thinking_of_you: 'forum.reactions.thinkingOfYou',
  helpful: 'forum.reactions.helpful',
} as const;

/** Empathy reactions: each a button that toggles, with its count; htmx swaps the bar in place. */
export function ReactionBar({ ctx, view, canReact }: { ctx: PageContext; view: PostView; canReact: boolean }) {
  const { t } = ctx;
  const id = view.post.id;
  return (
    <div class="reactions" id={`reactions-${id}`}>
      {view.reactions.map((r) =>
        canReact ? (
          <form
            key={r.kind}
            method="post"
            action={`/posts/${id}/reactions/${r.kind}`}
            class="inline-form"
            hx-post={`/posts/${id}/reactions/${r.kind}`}
            hx-target={`#reactions-${id}`}
            hx-swap="outerHTML"
          >
            <CsrfField ctx={ctx} />
            <button
              type="submit"
              class={r.mine ? 'reaction reaction-mine' : 'reaction'}
              aria-pressed={r.mine ? 'true' : 'false'}
            >
              {t(reactionLabels[r.kind])} <span class="count">{r.count}</span>
            </button>
          </form>
        ) : r.count > 0 ? (
          <span key={r.kind} class="reaction reaction-static">
            {t(reactionLabels[r.kind])} <span class="count">{r.count}</span>
          </span>
        ) : null,
      )}
    </div>
  );
}

export function PostItem({
  ctx,
  access,
  view,
  extras = [],
}: {
  ctx: PageContext;
  access: GroupAccess;
  view: PostView;
  /** What other features add beside the author and under the post (extensions.ts). */
  extras?: ThreadExtra[];
}) {
  const { t } = ctx;
  const { post } = view;
  const mine = view.mine;
  const moderator = canModerate(access);
  const anonymousActions = post.anonymous && moderator;
  const reveal = post.anonymous && canRevealAuthor(access, post.facilitatorsMayReveal);
  return (
    <article
      class={post.hiddenAt ? 'post post-hidden' : 'post'}
      id={`post-${post.id}`}
      aria-labelledby={`post-${post.id}-by`}
    >
      <header class="post-head">
        <strong id={`post-${post.id}-by`}>{authorLabel(ctx, view)}</strong>{' '}
        {extras.map((e) => e.besideAuthor?.get(post.id) ?? null)}
        {post.anonymous ? <span class="badge">{t('forum.anonymous.member')}</span> : null}{' '}
        {post.anonymous && mine ? <span class="meta">{t('forum.anonymous.you')}</span> : null}{' '}
        {view.badge ? (
          <span class="badge badge-professional">
            {t(`groups.roles.${view.badge.role}`)}
            {view.badge.credential ? ` · ${view.badge.credential} ✓` : ''}
          </span>
        ) : null}{' '}
        <span class="meta">
          <RelativeTime ctx={ctx} date={post.createdAt} />
          {post.editedAt ? <> · {t('forum.edited')}</> : null}
        </span>
        {post.hiddenAt ? <p class="badge badge-warning">{t('forum.hiddenNotice')}</p> : null}
        {post.status === 'pending' ? <p class="badge badge-warning">{t('forum.pendingNotice')}</p> : null}
        {post.status === 'rejected' ? <p class="badge badge-warning">{t('forum.rejectedNotice')}</p> : null}
      </header>
      <HiddenForMe ctx={ctx} hidden={view.hiddenForMe}>
        <WarnedBody ctx={ctx} warning={post.contentWarning} open={view.warningOpen}>
          {/* Sanitised Markdown, rendered by renderMarkdown when the post was written. */}
          <div class="prose" dangerouslySetInnerHTML={{ __html: post.bodyHtml }} />
          <Attachments ctx={ctx} files={view.attachments} />
        </WarnedBody>
      </HiddenForMe>
      <ReactionBar ctx={ctx} view={view} canReact={canTakePart(access)} />
      {extras.map((e) => e.belowPost?.get(post.id) ?? null)}
      {/* Blocking names one person, so an anonymous post offers only "hide this post for me". */}
      {ctx.viewer && !mine ? (
        <div class="post-actions">
          {!post.anonymous && view.author !== null && canTakePart(access) ? (
            <BlockButton ctx={ctx} postId={post.id} name={view.author} />
          ) : null}
          {post.anonymous || view.hiddenForMe ? (
            <HideForMeButton ctx={ctx} postId={post.id} hidden={view.hiddenForMe} />
          ) : null}
          {canTakePart(access) && post.status === 'published' && !post.hiddenAt ? (
            view.flagged ? (
              <span class="meta">{t('moderation.flagged')}</span>
            ) : (
              <a
                href={`/posts/${post.id}/flag`}
                aria-describedby={`post-${post.id}-by`}
                hx-get={`/posts/${post.id}/flag`}
                hx-target={`#post-${post.id}-flag`}
                hx-swap="innerHTML"
              >
                {t('moderation.flag')}
              </a>
            )
          ) : null}
        </div>
      ) : null}
      {/* Where the flag form opens with htmx, and its thanks are read out. */}
      {ctx.viewer && !mine ? <div id={`post-${post.id}-flag`} class="flag-slot"></div> : null}
      {moderator ? <WarningForm ctx={ctx} postId={post.id} current={post.contentWarning} /> : null}
      {mine || moderator || reveal ? (
        <div class="post-actions">
          {mine ? <a href={`/posts/${post.id}/edit`}>{t('forum.edit')}</a> : null}
          {mine ? <a href={`/posts/${post.id}/delete`}>{t('forum.delete')}</a> : null}
          {moderator && post.editedAt ? <a href={`/posts/${post.id}/history`}>{t('forum.history')}</a> : null}
          {moderator ? (
            <PostButton
              ctx={ctx}
              action={`/posts/${post.id}/${post.hiddenAt ? 'restore' : 'hide'}`}
              label={post.hiddenAt ? t('forum.restore') : t('forum.hide')}
              className="link-button"
            />
          ) : null}
          {anonymousActions ? <a href={`/posts/${post.id}/ban-author`}>{t('forum.anonymous.banAuthor')}</a> : null}
          {reveal ? <a href={`/posts/${post.id}/reveal`}>{t('forum.anonymous.reveal')}</a> : null}
        </div>
      ) : null}
    </article>
  );
}

export function ReplyForm({
  ctx,
  threadId,
  anonymity,
  mentionsIn,
  errors = {},
  values = {},
  attach,
}: {
  ctx: PageContext;
  threadId: number;
  /** What the reply may attach; nothing when absent. */
  attach?: PostAttach | undefined;
  /** The group whose names the reply may mention, with the autocomplete. */
  mentionsIn?: string | undefined;
  /** Whether the person may reply anonymously here, and on what terms. */
  anonymity: AnonymityOption | null;
  errors?: FieldErrors;
  values?: Record<string, string>;
}) {
  const { t } = ctx;
  return (
    <form
      id="reply-form"
      method="post"
      action={`/threads/${threadId}/replies`}
      hx-post={`/threads/${threadId}/replies`}
      hx-target="#posts"
      hx-swap="beforeend"
      enctype={canAttach(attach) ? 'multipart/form-data' : undefined}
      novalidate
    >
      <CsrfField ctx={ctx} />
      <FormErrors ctx={ctx} errors={errors} />
      <BodyField
        ctx={ctx}
        errors={errors}
        value={values.body}
        label={t('forum.reply.label')}
        rows={6}
        mentionsIn={mentionsIn}
      />
      {canAttach(attach) && mentionsIn ? (
        <AttachmentFields
          ctx={ctx}
          limits={attach.limits}
          place={`g:${mentionsIn}`}
          pending={attach.pending}
          errors={errors}
          values={values}
          idPrefix="reply-attach"
        />
      ) : null}
      <WarningFields ctx={ctx} errors={errors} values={values} />
      <AnonymousChoice ctx={ctx} option={anonymity} checked={values.anonymous === 'on'} />
      <button type="submit" class="button">
        {t('forum.reply.submit')}
      </button>
    </form>
  );
}

export function ThreadPage({
  ctx,
  access,
  thread,
  posts,
  errors,
  values,
  seen,
  muted = false,
  crisisPanel,
  extras = [],
  attach,
}: {
  ctx: PageContext;
  access: GroupAccess;
  thread: Thread;
  posts: PostView[];
  /** What a reply may attach. */
  attach?: PostAttach | undefined;
  /** What other features add to the page (extensions.ts). */
  extras?: ThreadExtra[];
  /** The viewer muted the thread. */
  muted?: boolean;
  errors?: FieldErrors;
  values?: Record<string, string>;
  /** How many replies the reader had seen before following "Show them": the next one is marked. */
  seen?: number | undefined;
  /** Help for the author of a post that reads as someone in crisis, just after they posted it. */
  crisisPanel?: CrisisPanelData | null | undefined;
}) {
  const { t } = ctx;
  const { group } = access;
  const moderator = canModerate(access);
  const [opening, ...replies] = posts;
  const firstNew = firstNewReply(replies, seen);
  return (
    <Layout ctx={ctx} title={thread.title}>
      <p class="breadcrumb">
        <a href={`/g/${group.slug}`}>{group.name}</a>
      </p>
      <h1>{thread.title}</h1>
      <p class="meta">
        {thread.pinned ? <span class="badge">{t('forum.pinned')}</span> : null}{' '}
        {thread.locked ? <span class="badge">{t('forum.locked')}</span> : null}
      </p>
      {ctx.viewer ? <MuteButton ctx={ctx} threadId={thread.id} muted={muted} /> : null}
      {moderator ? (
        <div class="mod-actions" aria-label={t('forum.moderation')} role="group">
          <PostButton
            ctx={ctx}
            action={`/threads/${thread.id}/${thread.locked ? 'unlock' : 'lock'}`}
            label={thread.locked ? t('forum.unlock') : t('forum.lock')}
            className="button button-small button-secondary"
          />
          <PostButton
            ctx={ctx}
            action={`/threads/${thread.id}/${thread.pinned ? 'unpin' : 'pin'}`}
            label={thread.pinned ? t('forum.unpin') : t('forum.pin')}
            className="button button-small button-secondary"
          />
        </div>
      ) : null}
      {opening ? <PostItem ctx={ctx} access={access} view={opening} extras={extras} /> : null}
      <ReplyCount ctx={ctx} count={thread.replyCount} />
      <div id="posts" class="posts">
        {replies.map((view, i) => (
          <Fragment key={view.post.id}>
            {i === firstNew ? (
              <p id="new-replies" class="new-replies">
                {t('live.newSince')}
              </p>
            ) : null}
            <PostItem ctx={ctx} access={access} view={view} extras={extras} />
          </Fragment>
        ))}
      </div>
      {extras.map((e) => e.afterReplies ?? null)}
      <LiveNotice ctx={ctx} thread={thread} url={threadUrl(group.slug, thread)} />
      <CrisisSlot ctx={ctx} panel={crisisPanel} />
      <section class="panel" aria-labelledby="reply-heading">
        <h2 id="reply-heading">{t('forum.reply.heading')}</h2>
        {access.silencedUntil ? (
          <SilencedNotice ctx={ctx} until={access.silencedUntil} />
        ) : thread.locked && !moderator ? (
          <p>{t('forum.errors.locked')}</p>
        ) : canTakePart(access) ? (
          <ReplyForm
            ctx={ctx}
            threadId={thread.id}
            anonymity={anonymityOf(access)}
            mentionsIn={group.slug}
            errors={errors}
            values={values}
            attach={attach}
          />
        ) : ctx.viewer ? (
          <p>{t('forum.reply.joinToReply')}</p>
        ) : (
          <p>
            <a href={`/login?next=${encodeURIComponent(threadUrl(group.slug, thread))}`}>
              {t('forum.reply.logInToReply')}
            </a>
          </p>
        )}
      </section>
    </Layout>
  );
}

/** In place of a form: a moderator paused this person's posting here, and until when. */
function SilencedNotice({ ctx, until }: { ctx: PageContext; until: Date }) {
  return <p class="notice">{ctx.t('moderation.silence.notice', { until: formatDateTime(ctx, until) })}</p>;
}

/** Which of the replies is the first the reader had not seen: replies count as the thread counts them. */
function firstNewReply(replies: PostView[], seen: number | undefined): number {
  if (seen === undefined) return -1;
  let counted = 0;
  return replies.findIndex(({ post }) => {
    if (post.status !== 'published' || post.hiddenAt) return false;
    counted += 1;
    return counted > seen;
  });
}

/**
 * Where the page says "New replies. Show them" when someone replies meanwhile: src/client/live.js
 * follows the thread over /live and fills the polite status region from the template. Without
 * JavaScript it stays empty and the page works as ever.
 */
function LiveNotice({ ctx, thread, url }: { ctx: PageContext; thread: Thread; url: string }) {
  return (
    <>
      <div id="live-notice" class="live-notice" role="status" data-thread={thread.id}></div>
      <template id="live-notice-text">
        <p>
          {ctx.t('live.newReplies')}{' '}
          <a href={`${url}?seen=${thread.replyCount}#new-replies`}>{ctx.t('live.showThem')}</a>
        </p>
      </template>
      <script src={assetUrl('live.js')} defer></script>
    </>
  );
}

function ReplyCount({ ctx, count, oob }: { ctx: PageContext; count: number; oob?: boolean }) {
  return (
    <h2 id="reply-count" class="replies-heading" data-replies={count} hx-swap-oob={oob ? 'true' : undefined}>
      {ctx.t('forum.replyCount', { count })}
    </h2>
  );
}

/**
 * What htmx appends after a reply: the new post, plus (out of band) the new reply count and a
 * fresh, empty form in place of the old one.
 */
/**
 * Where the help panel appears after someone posts words that read as a crisis: above the reply
 * form, where they are. A live region, so a screen reader announces it when a reply adds it in place.
 */
function CrisisSlot({
  ctx,
  panel,
  oob,
}: {
  ctx: PageContext;
  panel: CrisisPanelData | null | undefined;
  oob?: boolean;
}) {
  return (
    <div id="crisis-slot" aria-live="polite" hx-swap-oob={oob ? 'outerHTML' : undefined}>
      {panel ? <CrisisPanel ctx={ctx} {...panel} /> : null}
    </div>
  );
}

export function ReplyAdded({
  ctx,
  access,
  thread,
  view,
  crisisPanel,
  attach,
}: {
  ctx: PageContext;
  access: GroupAccess;
  thread: Thread;
  view: PostView;
  crisisPanel?: CrisisPanelData | null | undefined;
  attach?: PostAttach | undefined;
}) {
  return (
    <>
      <PostItem ctx={ctx} access={access} view={view} />
      <ReplyCount ctx={ctx} count={thread.replyCount} oob />
      {crisisPanel ? <CrisisSlot ctx={ctx} panel={crisisPanel} oob /> : null}
      <div hx-swap-oob="outerHTML:#reply-form">
        <ReplyForm
          ctx={ctx}
          threadId={thread.id}
          anonymity={anonymityOf(access)}
          mentionsIn={access.group.slug}
          attach={attach}
        />
      </div>
    </>
  );
}
