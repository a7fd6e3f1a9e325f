import type { PageContext } from '../../platform/http/page.js';
import {
  CsrfField,
  errorMessage,
  Field,
  FormErrors,
  PostButton,
  type FieldErrors,
} from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { RelativeTime } from '../../platform/views/time.js';
import { ResourceList, type CrisisPanelData } from '../safety/index.js';
import { AttachmentFields, Attachments, type PendingAttachment, type UploadLimits } from '../files/attaching.js';
import { maySend } from './policy.js';
import type { ConversationPage, MessageView, OtherMember } from './reading.js';
import { reportReasons } from './reports.js';
import { conversationUrl, groupName, namesOf, starterOf } from './views.js';

/*
 * A conversation's page: its messages, the reply form, a message request with Accept and Decline,
 * and the form that reports messages. Everyone is named by their name in the conversation's group.
 */
/** One message as everyone in the conversation sees it. */
export function MessageItem({ ctx, m, choose }: { ctx: PageContext; m: MessageView; choose?: boolean }) {
  const { t } = ctx;
  const author = m.mine ? t('messages.you') : (m.author ?? t('messages.formerMember'));
  const headId = `message-${m.id}-by`;
  return (
    <li id={`message-${m.id}`} class="post" data-id={m.id} aria-labelledby={headId}>
      <p class="post-head">
        <strong id={headId}>{author}</strong>{' '}
        <span class="meta">
          <RelativeTime ctx={ctx} date={m.createdAt} />
        </span>
      </p>
      {m.bodyHtml === null ? (
        <p class="muted">{t('messages.removed')}</p>
      ) : (
        // Sanitised Markdown, rendered by renderMarkdown when the message was written.
        <>
          <div class="prose" dangerouslySetInnerHTML={{ __html: m.bodyHtml }} />
          <Attachments ctx={ctx} files={m.attachments} />
        </>
      )}
      {choose && !m.mine && m.bodyHtml !== null ? (
        <div class="choice">
          <input type="checkbox" id={`report-${m.id}`} name="messages" value={String(m.id)} />
          <label for={`report-${m.id}`}>{t('messages.reportChoose', { name: author })}</label>
        </div>
      ) : null}
    </li>
  );
}

/** Messages appended live (src/client/conversation.js asks for the ones after the last it has). */
export function MessageItems({ ctx, messages }: { ctx: PageContext; messages: MessageView[] }) {
  return (
    <>
      {messages.map((m) => (
        <MessageItem key={m.id} ctx={ctx} m={m} />
      ))}
    </>
  );
}

function ReplyForm({
  ctx,
  id,
  errors = {},
  values = {},
  attach,
}: {
  ctx: PageContext;
  id: number;
  errors?: FieldErrors;
  values?: Record<string, string>;
  attach?: MessageAttach | undefined;
}) {
  const { t } = ctx;
  const attaching = attach !== undefined && (attach.limits.images || attach.limits.files);
  return (
    <form
      method="post"
      action={conversationUrl(id)}
      id="reply-form"
      enctype={attaching ? 'multipart/form-data' : undefined}
      novalidate
    >
      <CsrfField ctx={ctx} />
      <FormErrors ctx={ctx} errors={errors} />
      <Field
        ctx={ctx}
        name="body"
        label={t('messages.replyLabel')}
        hint={t('messages.replyHint')}
        errors={errors}
        value={values.body}
        multiline
        rows={4}
        maxLength={5000}
      />
      {attaching ? (
        <AttachmentFields
          ctx={ctx}
          limits={attach.limits}
          place="pm"
          pending={attach.pending}
          errors={errors}
          values={values}
        />
      ) : null}
      <button type="submit" class="button">
        {t('messages.send')}
      </button>
    </form>
  );
}

/** What a message may attach (the site's limits: a private message belongs to no group's settings). */
export interface MessageAttach {
  limits: UploadLimits;
  pending?: PendingAttachment[] | undefined;
}

/** Help for someone whose message reads as a crisis: the help lines, and nothing for anyone else. */
type Resources = CrisisPanelData['resources'];

function SupportPanel({ ctx, resources }: { ctx: PageContext; resources: Resources }) {
  const { t } = ctx;
  return (
    <section class="panel crisis-panel" id="crisis-panel" aria-labelledby="crisis-heading" tabIndex={-1}>
      <h2 id="crisis-heading">{t('messages.support.heading')}</h2>
      <p>{t('messages.support.text')}</p>
      <p>{t('safety.panel.notAlone')}</p>
      <ResourceList ctx={ctx} resources={resources} />
      <p>
        <a href="/help">{t('safety.panel.more')}</a>
      </p>
    </section>
  );
}

/** Where the page says "New messages have arrived" (src/client/conversation.js); empty without JavaScript. */
function LiveNotice({ ctx, id }: { ctx: PageContext; id: number }) {
  return (
    <>
      <div id="live-notice" class="live-notice" role="status" data-conversation={id}></div>
      <template id="live-notice-text">
        <p>
          {ctx.t('messages.liveNew')} <a href={`${conversationUrl(id)}#latest`}>{ctx.t('messages.liveShow')}</a>
        </p>
      </template>
    </>
  );
}

function StatusLines({ ctx, others }: { ctx: PageContext; others: OtherMember[] }) {
  const { t } = ctx;
  // Only the person who started it asked the others: the rest are told someone has not joined yet.
  const asked = !others.some((o) => o.starter);
  const lines = others.flatMap((o) => {
    const name = o.name ?? t('messages.formerMember');
    if (o.status === 'requested') return [t(asked ? 'messages.waitingFor' : 'messages.notJoined', { name })];
    if (o.status === 'left') return [t('messages.left', { name })];
    return [];
  });
  if (lines.length === 0) return null;
  return (
    <ul class="plain-list meta">
      {lines.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}

function RequestPanel({ ctx, page }: { ctx: PageContext; page: ConversationPage }) {
  const { t } = ctx;
  const c = page.conversation;
  const id = c.id;
  return (
    <section class="panel" aria-labelledby="request-heading">
      <h2 id="request-heading">{t('messages.request.intro', { name: starterOf(ctx, c), group: groupName(ctx, c) })}</h2>
      <ol class="plain-list posts">
        {page.messages.map((m) => (
          <MessageItem key={m.id} ctx={ctx} m={m} />
        ))}
      </ol>
      <p class="hint">{t('messages.request.hint')}</p>
      <div class="actions">
        <PostButton
          ctx={ctx}
          action={`${conversationUrl(id)}/accept`}
          label={t('messages.request.accept')}
          className="button"
        />{' '}
        <PostButton
          ctx={ctx}
          action={`${conversationUrl(id)}/decline`}
          label={t('messages.request.decline')}
          className="button button-secondary"
        />
      </div>
      <p>
        <a href={`${conversationUrl(id)}?report=1`}>{t('messages.report')}</a>
      </p>
    </section>
  );
}

function ReportForm({
  ctx,
  page,
  errors,
  values,
}: {
  ctx: PageContext;
  page: ConversationPage;
  errors: FieldErrors;
  values: Record<string, string>;
}) {
  const { t } = ctx;
  const id = page.conversation.id;
  const reportable = page.messages.some((m) => !m.mine && m.bodyHtml !== null);
  return (
    <form method="post" action={`${conversationUrl(id)}/report`} novalidate>
      <CsrfField ctx={ctx} />
      <h2>{t('messages.reportTitle')}</h2>
      <p>{t('messages.reportIntro')}</p>
      <FormErrors ctx={ctx} errors={errors} />
      <fieldset class={errors.messages ? 'field field-error' : 'field'}>
        <legend>{t('messages.reportTitle')}</legend>
        {errors.messages ? <p class="error">{errorMessage(ctx, errors.messages)}</p> : null}
        {reportable ? null : <p class="empty">{t('messages.reportNothing')}</p>}
        <ol class="plain-list posts">
          {page.messages.map((m) => (
            <MessageItem key={m.id} ctx={ctx} m={m} choose />
          ))}
        </ol>
      </fieldset>
      <fieldset class={errors.reason ? 'field field-error' : 'field'}>
        <legend>{t('messages.reportReason')}</legend>
        {errors.reason ? <p class="error">{errorMessage(ctx, errors.reason)}</p> : null}
        {reportReasons.map((r) => (
          <div class="choice" key={r}>
            <input type="radio" id={`reason-${r}`} name="reason" value={r} checked={values.reason === r} />
            <label for={`reason-${r}`}>{t(`messages.reasons.${r}`)}</label>
          </div>
        ))}
        <p class="hint">{t('messages.reportDanger')}</p>
      </fieldset>
      <Field
        ctx={ctx}
        name="details"
        label={t('messages.reportDetails')}
        hint={t('messages.reportDetailsHint')}
        errors={errors}
        value={values.details}
        multiline
        rows={3}
        maxLength={500}
      />
      <button type="submit" class="button">
        {t('messages.reportSubmit')}
      </button>{' '}
      <a href={conversationUrl(id)}>{t('messages.cancel')}</a>
    </form>
  );
}

export function ConversationView({
  ctx,
  page,
  mode = 'read',
  support = null,
  errors = {},
  values = {},
  attach,
}: {
  ctx: PageContext;
  page: ConversationPage;
  attach?: MessageAttach | undefined;
  mode?: 'read' | 'report';
  /** Help lines for the author of a message that reads as a crisis (`?support=`). */
  support?: Resources | null;
  errors?: FieldErrors;
  values?: Record<string, string>;
}) {
  const { t } = ctx;
  const c = page.conversation;
  const requested = c.mine === 'requested';
  const title = requested
    ? t('messages.requestTitle', { name: starterOf(ctx, c) })
    : t('messages.conversationTitle', { names: namesOf(ctx, c.others) });
  const writable = maySend(page.inGroup, page.standing);
  const waiting = page.standing.others.some((o) => o === 'requested' || o === 'declined');
  return (
    <Layout ctx={ctx} title={title} scripts={requested || mode === 'report' ? [] : ['conversation.js']}>
      <p class="breadcrumb">
        <a href="/messages">{t('messages.title')}</a>
      </p>
      <h1>{title}</h1>
      <p class="meta">{t('messages.inGroup', { group: groupName(ctx, c) })}</p>
      {support ? <SupportPanel ctx={ctx} resources={support} /> : null}
      {requested && mode === 'read' ? (
        <RequestPanel ctx={ctx} page={page} />
      ) : mode === 'report' ? (
        <section class="panel">
          <ReportForm ctx={ctx} page={page} errors={errors} values={values} />
        </section>
      ) : (
        <>
          <StatusLines ctx={ctx} others={c.others} />
          {page.earlierBefore !== null ? (
            <p>
              <a href={`${conversationUrl(c.id)}?before=${page.earlierBefore}`}>{t('messages.earlier')}</a>
            </p>
          ) : null}
          <ol class="plain-list posts" id="message-list" aria-label={t('messages.title')}>
            {page.messages.map((m) => (
              <MessageItem key={m.id} ctx={ctx} m={m} />
            ))}
          </ol>
          <span id="latest"></span>
          <LiveNotice ctx={ctx} id={c.id} />
          {writable || (waiting && Object.keys(errors).length > 0) ? (
            <ReplyForm ctx={ctx} id={c.id} errors={errors} values={values} attach={attach} />
          ) : page.standing.mine === 'active' && !page.inGroup ? (
            <p class="notice">{t('messages.notInGroup', { group: groupName(ctx, c) })}</p>
          ) : page.standing.mine === 'active' && !waiting ? (
            <p class="notice">{t('messages.everyoneLeft')}</p>
          ) : null}
          <div class="post-actions">
            <a href={`${conversationUrl(c.id)}?report=1`}>{t('messages.report')}</a>
            <form method="post" action={`${conversationUrl(c.id)}/leave`} class="inline-form">
              <CsrfField ctx={ctx} />
              <button type="submit" class="link-button" aria-describedby="leave-hint">
                {t('messages.leave')}
              </button>
            </form>
          </div>
          <p class="hint" id="leave-hint">
            {t('messages.leaveHint')}
          </p>
        </>
      )}
    </Layout>
  );
}
