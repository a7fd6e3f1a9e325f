import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, errorMessage, Field, FormErrors, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { RelativeTime } from '../../platform/views/time.js';
import { AttachmentFields } from '../files/attaching.js';
import type { MessageAttach } from './conversation-views.js';
import type { ConversationSummary, OtherMember } from './reading.js';

/*
 * Private messages' pages. Everyone is named by their name in the conversation's group, never by
 * a pseudonym they hide behind an alias there; each page works without JavaScript.
 */

export const conversationUrl = (id: number) => `/messages/${id}`;

/** "Ana, Bo": the others in a conversation, as the reader knows them. */
export function namesOf(ctx: PageContext, others: OtherMember[]): string {
  const shown = others.filter((o) => o.status !== 'left');
  if (shown.length === 0) return ctx.t('messages.nobodyElse');
  return shown.map((o) => o.name ?? ctx.t('messages.formerMember')).join(', ');
}

export const starterOf = (ctx: PageContext, c: ConversationSummary) =>
  c.others.find((o) => o.starter)?.name ?? ctx.t('messages.formerMember');

export const groupName = (ctx: PageContext, c: ConversationSummary) => c.group?.name ?? ctx.t('messages.formerGroup');

export function ConversationsPage({ ctx, list }: { ctx: PageContext; list: ConversationSummary[] }) {
  const { t } = ctx;
  const requests = list.filter((c) => c.mine === 'requested');
  const talking = list.filter((c) => c.mine === 'active');
  return (
    <Layout ctx={ctx} title={t('messages.title')}>
      <h1>{t('messages.title')}</h1>
      <p>{t('messages.intro')}</p>
      <p>
        {t('messages.howToStart')} <a href="/account/messages">{t('messages.settingsLink')}</a>
      </p>
      {requests.length ? (
        <section class="panel" aria-labelledby="requests-heading">
          <h2 id="requests-heading">{t('messages.requestsHeading')}</h2>
          <p>{t('messages.requestsIntro')}</p>
          <ul class="plain-list">
            {requests.map((c) => (
              <li key={c.id}>
                <a href={conversationUrl(c.id)}>{t('messages.openRequest', { name: starterOf(ctx, c) })}</a>{' '}
                <span class="meta">
                  {t('messages.inGroup', { group: groupName(ctx, c) })} ·{' '}
                  <RelativeTime ctx={ctx} date={c.lastMessageAt} />
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section class="panel" aria-labelledby="conversations-heading">
        <h2 id="conversations-heading">{t('messages.conversationsHeading')}</h2>
        {talking.length === 0 ? <p class="empty">{t('messages.none')}</p> : null}
        <ul class="plain-list">
          {talking.map((c) => {
            const waiting =
              !c.others.some((o) => o.status === 'active') && c.others.some((o) => o.status === 'requested');
            return (
              <li key={c.id}>
                {c.unread ? <span class="badge">{t('messages.unread')}</span> : null}{' '}
                <a href={conversationUrl(c.id)}>{t('messages.open', { names: namesOf(ctx, c.others) })}</a>{' '}
                <span class="meta">
                  {t('messages.inGroup', { group: groupName(ctx, c) })} ·{' '}
                  <RelativeTime ctx={ctx} date={c.lastMessageAt} />
                  {waiting ? <> · {t('messages.waiting')}</> : null}
                </span>
              </li>
            );
          })}
        </ul>
      </section>
    </Layout>
  );
}

export function NewMessagePage({
  ctx,
  groups,
  values,
  errors = {},
  attach,
}: {
  ctx: PageContext;
  /** The groups the person may write in: the choice of group, by address and name. */
  groups: { slug: string; name: string }[];
  values: Record<string, string>;
  errors?: FieldErrors;
  /** What the first message may attach, and the uploads the form holds already. */
  attach?: MessageAttach | undefined;
}) {
  const { t } = ctx;
  const chosen = values.group ?? '';
  const attaching = attach !== undefined && (attach.limits.images || attach.limits.files);
  return (
    <Layout ctx={ctx} title={t('messages.newTitle')}>
      <p class="breadcrumb">
        <a href="/messages">{t('messages.title')}</a>
      </p>
      <h1>{t('messages.newTitle')}</h1>
      <p>{t('messages.newIntro')}</p>
      {groups.length === 0 ? (
        <p class="notice">{t('messages.noGroups')}</p>
      ) : (
        <form method="post" action="/messages/new" enctype={attaching ? 'multipart/form-data' : undefined} novalidate>
          <CsrfField ctx={ctx} />
          <FormErrors ctx={ctx} errors={errors} />
          <div class={errors.group ? 'field field-error' : 'field'}>
            <label for="field-group">{t('messages.group')}</label>
            <p class="hint" id="field-group-hint">
              {t('messages.groupHint')}
            </p>
            {errors.group ? (
              <p class="error" id="field-group-error">
                {errorMessage(ctx, errors.group)}
              </p>
            ) : null}
            <select
              id="field-group"
              name="group"
              aria-describedby={errors.group ? 'field-group-hint field-group-error' : 'field-group-hint'}
              aria-invalid={errors.group ? 'true' : undefined}
            >
              {groups.map((g) => (
                <option key={g.slug} value={g.slug} selected={g.slug === chosen}>
                  {g.name}
                </option>
              ))}
            </select>
          </div>
          <Field
            ctx={ctx}
            name="to"
            label={t('messages.to')}
            hint={t('messages.toHint')}
            errors={errors}
            value={values.to}
          />
          <Field
            ctx={ctx}
            name="body"
            label={t('messages.replyLabel')}
            hint={t('messages.firstHint')}
            errors={errors}
            value={values.body}
            multiline
            rows={6}
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
      )}
    </Layout>
  );
}

export function MessageSettingsPage({
  ctx,
  value,
  errors = {},
}: {
  ctx: PageContext;
  value: string;
  errors?: FieldErrors;
}) {
  const { t } = ctx;
  const choices = ['shared_groups', 'facilitators', 'nobody'] as const;
  return (
    <Layout ctx={ctx} title={t('messages.settings.title')}>
      <p class="breadcrumb">
        <a href="/messages">{t('messages.title')}</a>
      </p>
      <h1>{t('messages.settings.title')}</h1>
      <p>{t('messages.settings.intro')}</p>
      <form method="post" action="/account/messages" novalidate>
        <CsrfField ctx={ctx} />
        <FormErrors ctx={ctx} errors={errors} />
        <fieldset class="field">
          <legend>{t('messages.settings.legend')}</legend>
          {choices.map((c) => (
            <div class="choice" key={c}>
              <input
                type="radio"
                id={`who-${c}`}
                name="whoMayMessage"
                value={c}
                checked={value === c}
                aria-describedby={`who-${c}-hint`}
              />
              <label for={`who-${c}`}>{t(`messages.settings.${c}`)}</label>
              <p class="hint" id={`who-${c}-hint`}>
                {t(`messages.settings.${c}Hint`)}
              </p>
            </div>
          ))}
        </fieldset>
        <p class="hint">{t('messages.settings.facilitatorNote')}</p>
        <button type="submit" class="button">
          {t('messages.settings.save')}
        </button>
      </form>
    </Layout>
  );
}

/** "Send a private message" to someone, by their name in the group (members pages, posts). */
export function SendMessageLink({ ctx, name, slug }: { ctx: PageContext; name: string; slug: string }) {
  const href = `/messages/new?to=${encodeURIComponent(name)}&group=${encodeURIComponent(slug)}`;
  return (
    <p class="post-actions">
      <a href={href} aria-label={ctx.t('messages.sendLinkLabel', { name })}>
        {ctx.t('messages.sendLink')}
      </a>
    </p>
  );
}
