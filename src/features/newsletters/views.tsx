import type { PageContext } from '../../platform/http/page.js';
import {
  CsrfField,
  errorMessage,
  Field,
  FormErrors,
  PostButton,
  WallClockFields,
  type FieldErrors,
} from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { DateTime } from '../../platform/views/time.js';
import { GroupHeader, type GroupAccess } from '../groups/index.js';
import type { NewsletterListItem, NewslettersPage as PageData } from './service.js';
import { newsletterAudienceEnum, type Newsletter } from './schema.js';

const base = (access: GroupAccess) => `/g/${access.group.slug}/newsletters`;

function Status({ ctx, item }: { ctx: PageContext; item: Pick<NewsletterListItem, 'status' | 'scheduledFor'> }) {
  const { t } = ctx;
  if (item.status === 'scheduled' && item.scheduledFor) {
    return (
      <span class="badge">
        {t('newsletters.status.scheduledFor')} <DateTime ctx={ctx} date={item.scheduledFor} />
      </span>
    );
  }
  return <span class="badge">{t(`newsletters.status.${item.status}`)}</span>;
}

/** A group's newsletters: the archive, the sign-up form of a public group, and the leaders' drafts. */
export function NewslettersPage({
  ctx,
  page,
  leader,
  errors = {},
  values = {},
}: {
  ctx: PageContext;
  page: PageData;
  leader: boolean;
  errors?: FieldErrors;
  values?: Record<string, string>;
}) {
  const { t } = ctx;
  const { access, items } = page;
  const sent = items.filter((i) => i.status === 'sent');
  const unsent = items.filter((i) => i.status !== 'sent');
  const title = t('newsletters.title', { group: access.group.name });
  return (
    <Layout ctx={ctx} title={title}>
      <GroupHeader ctx={ctx} access={access} />
      <section class="panel" aria-labelledby="newsletters-heading">
        <h2 id="newsletters-heading">{t('newsletters.heading')}</h2>
        {leader ? (
          <>
            <p>
              <a class="button" href={`${base(access)}/new`}>
                {t('newsletters.write')}
              </a>
            </p>
            <p class="meta">{t('newsletters.subscriberCount', { count: page.subscribers ?? 0 })}</p>
            {unsent.length > 0 ? (
              <>
                <h3>{t('newsletters.unsentHeading')}</h3>
                <ul class="plain-list">
                  {unsent.map((i) => (
                    <li key={i.id}>
                      <a href={`${base(access)}/${i.id}`}>{i.subject}</a> <Status ctx={ctx} item={i} />
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            <h3>{t('newsletters.sentHeading')}</h3>
          </>
        ) : null}
        {!page.canRead ? (
          <p>{t('newsletters.archiveMembersOnly')}</p>
        ) : sent.length === 0 ? (
          <p>{t('newsletters.none')}</p>
        ) : (
          <ul class="plain-list">
            {sent.map((i) => (
              <li key={i.id}>
                <a href={`${base(access)}/${i.id}`}>{i.subject}</a>{' '}
                {i.sentAt ? (
                  <span class="meta">
                    <DateTime ctx={ctx} date={i.sentAt} />
                  </span>
                ) : null}
                {leader && i.recipientCount !== null ? (
                  <span class="meta"> · {t('newsletters.sentTo', { count: i.recipientCount })}</span>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      {access.group.visibility === 'public' ? (
        <section class="panel" aria-labelledby="subscribe-heading">
          <h2 id="subscribe-heading">{t('newsletters.subscribe.heading')}</h2>
          <p>{t('newsletters.subscribe.intro', { group: access.group.name })}</p>
          <FormErrors ctx={ctx} errors={errors} />
          <form method="post" action={`${base(access)}/subscribe`} novalidate>
            <CsrfField ctx={ctx} />
            <Field
              ctx={ctx}
              name="email"
              type="email"
              autocomplete="email"
              label={t('newsletters.subscribe.email')}
              hint={t('newsletters.subscribe.hint')}
              errors={errors}
              value={values.email}
              maxLength={320}
            />
            <button type="submit" class="button">
              {t('newsletters.subscribe.submit')}
            </button>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}

/** Writing a new newsletter, or changing a draft. */
export function NewsletterFormPage({
  ctx,
  access,
  id,
  values,
  errors = {},
}: {
  ctx: PageContext;
  access: GroupAccess;
  id?: number | undefined;
  values: Record<string, string>;
  errors?: FieldErrors;
}) {
  const { t } = ctx;
  const title = id === undefined ? t('newsletters.form.newTitle') : t('newsletters.form.editTitle');
  const action = id === undefined ? `${base(access)}/new` : `${base(access)}/${id}/edit`;
  const audience = values.audience ?? 'members';
  const audienceError = errors.audience;
  return (
    <Layout ctx={ctx} title={title}>
      <p>
        <a href={base(access)}>{t('newsletters.back', { group: access.group.name })}</a>
      </p>
      <h1>{title}</h1>
      <p class="lede">{t('newsletters.form.intro')}</p>
      <FormErrors ctx={ctx} errors={errors} />
      <form method="post" action={action} novalidate>
        <CsrfField ctx={ctx} />
        <Field
          ctx={ctx}
          name="subject"
          label={t('newsletters.form.subject')}
          errors={errors}
          value={values.subject}
          maxLength={200}
        />
        <Field
          ctx={ctx}
          name="body"
          label={t('newsletters.form.body')}
          hint={t('newsletters.form.bodyHint')}
          errors={errors}
          value={values.body}
          maxLength={50_000}
          multiline
          rows={16}
        />
        <fieldset
          class={audienceError ? 'field field-error' : 'field'}
          aria-describedby={audienceError ? 'audience-error' : undefined}
        >
          <legend>{t('newsletters.form.audience')}</legend>
          {audienceError ? (
            <p class="error" id="audience-error">
              {errorMessage(ctx, audienceError)}
            </p>
          ) : null}
          {newsletterAudienceEnum.enumValues.map((value) => (
            <div class="choice" key={value}>
              <input type="radio" id={`audience-${value}`} name="audience" value={value} checked={audience === value} />
              <label for={`audience-${value}`}>{t(`newsletters.audience.${value}`)}</label>
            </div>
          ))}
        </fieldset>
        <button type="submit" class="button">
          {t('newsletters.form.save')}
        </button>
      </form>
    </Layout>
  );
}

/** What a leader can do with a draft: edit, test, send now, or schedule; with a scheduled one, cancel. */
function LeaderActions({
  ctx,
  access,
  newsletter,
  errors,
  values,
}: {
  ctx: PageContext;
  access: GroupAccess;
  newsletter: Newsletter;
  errors: FieldErrors;
  values: Record<string, string>;
}) {
  const { t } = ctx;
  const at = `${base(access)}/${newsletter.id}`;
  if (newsletter.status === 'scheduled') {
    return (
      <section class="panel" aria-labelledby="actions-heading">
        <h2 id="actions-heading">{t('newsletters.actions.heading')}</h2>
        <FormErrors ctx={ctx} errors={errors} />
        <PostButton ctx={ctx} action={`${at}/cancel`} label={t('newsletters.actions.cancel')} />
      </section>
    );
  }
  if (newsletter.status !== 'draft') return null;
  return (
    <section class="panel" aria-labelledby="actions-heading">
      <h2 id="actions-heading">{t('newsletters.actions.heading')}</h2>
      <FormErrors ctx={ctx} errors={errors} />
      <div class="actions">
        <a class="button button-secondary" href={`${at}/edit`}>
          {t('newsletters.actions.edit')}
        </a>
        <PostButton ctx={ctx} action={`${at}/test`} label={t('newsletters.actions.test')} />
        <PostButton ctx={ctx} action={`${at}/send`} label={t('newsletters.actions.sendNow')} className="button" />
      </div>
      <form method="post" action={`${at}/schedule`} novalidate>
        <CsrfField ctx={ctx} />
        <WallClockFields
          ctx={ctx}
          id="schedule"
          legend={t('newsletters.actions.scheduleLegend')}
          hint={t('newsletters.actions.scheduleHint', { zone: ctx.timeZone })}
          date={{ name: 'date', label: t('newsletters.actions.date') }}
          time={{ name: 'time', label: t('newsletters.actions.time') }}
          values={values}
          errors={errors}
        />
        <button type="submit" class="button button-secondary">
          {t('newsletters.actions.schedule')}
        </button>
      </form>
    </section>
  );
}

/** One newsletter: as sent, for the archive; for its writers, the preview of a draft with what they can do. */
export function NewsletterPage({
  ctx,
  access,
  newsletter,
  leader,
  errors = {},
  values = {},
}: {
  ctx: PageContext;
  access: GroupAccess;
  newsletter: Newsletter;
  leader: boolean;
  errors?: FieldErrors;
  values?: Record<string, string>;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={newsletter.subject}>
      <p>
        <a href={base(access)}>{t('newsletters.back', { group: access.group.name })}</a>
      </p>
      <article aria-labelledby="newsletter-subject">
        <h1 id="newsletter-subject">{newsletter.subject}</h1>
        <p class="meta">
          {newsletter.status === 'sent' && newsletter.sentAt ? (
            <>
              {t('newsletters.sentOn', { group: access.group.name })} <DateTime ctx={ctx} date={newsletter.sentAt} />
            </>
          ) : (
            <Status ctx={ctx} item={newsletter} />
          )}
          {leader ? <> · {t(`newsletters.audience.${newsletter.audience}`)}</> : null}
          {leader && newsletter.recipientCount !== null ? (
            <> · {t('newsletters.sentTo', { count: newsletter.recipientCount })}</>
          ) : null}
        </p>
        {newsletter.status !== 'sent' ? <p class="notice">{t('newsletters.previewNote')}</p> : null}
        {/* Sanitised by renderMarkdown when it was saved: the same HTML its email carries. */}
        <div class="prose" dangerouslySetInnerHTML={{ __html: newsletter.bodyHtml }} />
      </article>
      {leader ? (
        <LeaderActions ctx={ctx} access={access} newsletter={newsletter} errors={errors} values={values} />
      ) : null}
    </Layout>
  );
}

/** The page a confirmation link opens: a button, since a link scanner's visit must confirm nothing. */
export function ConfirmPage({
  ctx,
  group,
  token,
  done,
}: {
  ctx: PageContext;
  group: { name: string; slug: string };
  token: string;
  done: boolean;
}) {
  const { t } = ctx;
  const title = done ? t('newsletters.confirm.doneTitle') : t('newsletters.confirm.title');
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      {done ? (
        <>
          <p>{t('newsletters.confirm.done', { group: group.name })}</p>
          <p>
            <a href={`/g/${group.slug}/newsletters`}>{t('newsletters.back', { group: group.name })}</a>
          </p>
        </>
      ) : (
        <>
          <p>{t('newsletters.confirm.intro', { group: group.name })}</p>
          <PostButton
            ctx={ctx}
            action={`/newsletters/confirm/${token}`}
            label={t('newsletters.confirm.submit')}
            className="button"
          />
        </>
      )}
    </Layout>
  );
}

/** The page an unsubscribe link opens: one button, which works without logging in. */
export function UnsubscribePage({
  ctx,
  group,
  done,
}: {
  ctx: PageContext;
  group: { name: string } | null;
  done: boolean;
}) {
  const { t } = ctx;
  const title = done || !group ? t('newsletters.unsubscribe.doneTitle') : t('newsletters.unsubscribe.title');
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      {done || !group ? (
        <p>
          {group
            ? t('newsletters.unsubscribe.done', { group: group.name })
            : t('newsletters.unsubscribe.doneAnonymous')}
        </p>
      ) : (
        <>
          <p>{t('newsletters.unsubscribe.intro', { group: group.name })}</p>
          {/* No action: the form posts to this very address, so the page never repeats the token. */}
          <form method="post">
            <button type="submit" class="button">
              {t('newsletters.unsubscribe.submit')}
            </button>
          </form>
        </>
      )}
    </Layout>
  );
}
