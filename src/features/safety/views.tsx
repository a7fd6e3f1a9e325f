import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, Field, FormErrors, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { RelativeTime } from '../../platform/views/time.js';
import { GroupHeader, type GroupAccess } from '../groups/index.js';
import type { AlertRow } from './alerts.js';
import { countryList, countryName } from '../../platform/text/countries.js';
import { INTERNATIONAL, type CrisisResource } from './schema.js';

/** The tel: address of a number as people write it ("116 123" → "116123"). */
const dial = (phone: string) => phone.replace(/[^+0-9]/g, '');

function Resource({ ctx, r }: { ctx: PageContext; r: CrisisResource }) {
  const { t } = ctx;
  return (
    <li class={r.emergency ? 'resource resource-emergency' : 'resource'}>
      <h3 class="resource-name">{r.name}</h3>
      {r.description ? <p>{r.description}</p> : null}
      <ul class="resource-ways">
        {r.phone ? (
          <li>
            {t('safety.resource.call')} <a href={`tel:${dial(r.phone)}`}>{r.phone}</a>
          </li>
        ) : null}
        {r.sms ? (
          <li>
            {t('safety.resource.text')} {r.sms}
          </li>
        ) : null}
        {r.chatUrl ? (
          <li>
            <a href={r.chatUrl} rel="noopener noreferrer">
              {t('safety.resource.chat')}
            </a>
          </li>
        ) : null}
        {r.websiteUrl ? (
          <li>
            <a href={r.websiteUrl} rel="noopener noreferrer">
              {t('safety.resource.website', { host: new URL(r.websiteUrl).host })}
            </a>
          </li>
        ) : null}
      </ul>
      {r.hours ? <p class="meta">{r.hours}</p> : null}
    </li>
  );
}

/** Emergency numbers, then support lines, then services for every country. */
export function ResourceList({ ctx, resources }: { ctx: PageContext; resources: CrisisResource[] }) {
  const { t } = ctx;
  const emergency = resources.filter((r) => r.emergency && r.country !== INTERNATIONAL);
  const lines = resources.filter((r) => !r.emergency && r.country !== INTERNATIONAL);
  const everywhere = resources.filter((r) => r.country === INTERNATIONAL);
  return (
    <>
      {emergency.length > 0 ? (
        <section aria-labelledby="help-emergency">
          <h2 id="help-emergency">{t('safety.help.emergency')}</h2>
          <ul class="plain-list resources">
            {emergency.map((r) => (
              <Resource key={r.id} ctx={ctx} r={r} />
            ))}
          </ul>
        </section>
      ) : null}
      {lines.length > 0 ? (
        <section aria-labelledby="help-lines">
          <h2 id="help-lines">{t('safety.help.lines')}</h2>
          <ul class="plain-list resources">
            {lines.map((r) => (
              <Resource key={r.id} ctx={ctx} r={r} />
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="help-everywhere">
        <h2 id="help-everywhere">{t('safety.help.everywhere')}</h2>
        <ul class="plain-list resources">
          {everywhere.map((r) => (
            <Resource key={r.id} ctx={ctx} r={r} />
          ))}
        </ul>
      </section>
    </>
  );
}

function CountryPicker({ ctx, country }: { ctx: PageContext; country: string | null }) {
  const { t } = ctx;
  return (
    <form method="get" action="/help" class="country-picker">
      <div class="field">
        <label for="help-country">{t('safety.help.country')}</label>
        <select id="help-country" name="country">
          <option value="" selected={!country}>
            {t('safety.help.noCountry')}
          </option>
          {countryList(ctx.locale).map((c) => (
            <option key={c.code} value={c.code} selected={c.code === country}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" class="button button-secondary">
        {t('safety.help.show')}
      </button>
    </form>
  );
}

/** "Get help now": linked from every page, readable without signing in. */
export function HelpPage({
  ctx,
  country,
  resources,
}: {
  ctx: PageContext;
  country: string | null;
  resources: CrisisResource[];
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('safety.help.title')} description={t('safety.help.description')} indexable>
      <h1>{t('safety.help.title')}</h1>
      <p class="lead">{t('safety.help.intro')}</p>
      <p>
        {country
          ? t('safety.help.showingFor', { country: countryName(ctx.locale, country) })
          : t('safety.help.showingEverywhere')}
      </p>
      <ResourceList ctx={ctx} resources={resources} />
      <CountryPicker ctx={ctx} country={country} />
      <section aria-labelledby="help-someone">
        <h2 id="help-someone">{t('safety.help.someoneElse')}</h2>
        <p>{t('safety.help.someoneElseText')}</p>
      </section>
    </Layout>
  );
}

/**
 * Shown to someone whose post reads as if they may be in danger, right after they posted: the post
 * stands, and help for their country is in front of them, with a way to ask for a check-in.
 */
export function CrisisPanel({
  ctx,
  alertId,
  checkInRequested,
  resources,
}: {
  ctx: PageContext;
  alertId: number;
  checkInRequested: boolean;
  resources: CrisisResource[];
}) {
  const { t } = ctx;
  return (
    <section class="panel crisis-panel" id="crisis-panel" aria-labelledby="crisis-heading" tabIndex={-1}>
      <h2 id="crisis-heading">{t('safety.panel.heading')}</h2>
      <p>{t('safety.panel.posted')}</p>
      <p>{t('safety.panel.notAlone')}</p>
      <ResourceList ctx={ctx} resources={resources} />
      {checkInRequested ? (
        <p role="status">{t('safety.panel.checkInAsked')}</p>
      ) : (
        <form
          method="post"
          action={`/safety/alerts/${alertId}/check-in`}
          hx-post={`/safety/alerts/${alertId}/check-in`}
          hx-target="#crisis-panel"
          hx-swap="outerHTML"
        >
          <CsrfField ctx={ctx} />
          <p>{t('safety.panel.checkInText')}</p>
          <button type="submit" class="button">
            {t('safety.panel.checkIn')}
          </button>
        </form>
      )}
      <p>
        <a href="/help">{t('safety.panel.more')}</a>
      </p>
    </section>
  );
}

function AlertItem({
  ctx,
  access,
  alert,
  errors,
  values,
}: {
  ctx: PageContext;
  access: GroupAccess;
  alert: AlertRow;
  errors: FieldErrors;
  values: Record<string, string>;
}) {
  const { t } = ctx;
  // A post links to its place in the thread; a live chat message to its room, and its words are
  // shown here, as the room moves on.
  const chat = alert.chatMessageId !== null;
  const link = chat
    ? `${alert.chatRoomPath}#message-${alert.chatMessageId}`
    : `/g/${access.group.slug}/t/${alert.threadId}#post-${alert.postId}`;
  return (
    <article class="panel" aria-labelledby={`alert-${alert.id}`}>
      <h3 id={`alert-${alert.id}`}>
        <a href={link}>
          {chat
            ? alert.chatRoomPath?.startsWith('/meetings/')
              ? t('safety.alerts.meetingMessage')
              : t('safety.alerts.chatMessage')
            : alert.threadTitle}
        </a>
      </h3>
      {chat && alert.chatBody ? <blockquote class="chat-alert-message">{alert.chatBody}</blockquote> : null}
      <p class="meta">
        {alert.author ?? t('safety.alerts.anonymousAuthor')} ·{' '}
        {alert.source === 'flag' ? t('safety.alerts.fromFlag') : t('safety.alerts.fromDetection')} ·{' '}
        <RelativeTime ctx={ctx} date={alert.createdAt} />
      </p>
      {alert.categories.length > 0 ? (
        <p>
          {t('safety.alerts.categories')}{' '}
          {alert.categories.map((c) => t(`safety.categories.${c as 'suicide'}`)).join(', ')}
        </p>
      ) : null}
      {alert.checkInRequestedAt ? <p class="badge badge-urgent">{t('safety.alerts.checkInRequested')}</p> : null}
      {alert.checkedInAt ? <p class="meta">{t('safety.alerts.checkedIn')}</p> : null}
      {alert.resolvedAt ? (
        <p>
          {t('safety.alerts.resolved')} <RelativeTime ctx={ctx} date={alert.resolvedAt} />:{' '}
          <q>{alert.resolutionNote}</q>
        </p>
      ) : (
        <>
          <form method="post" action={`/safety/alerts/${alert.id}/check-in-message`}>
            <CsrfField ctx={ctx} />
            <Field
              ctx={ctx}
              name="message"
              label={t('safety.alerts.message')}
              hint={t('safety.alerts.messageHint')}
              errors={errors}
              value={values.message}
              multiline
              rows={3}
              maxLength={2000}
            />
            <button type="submit" class="button button-secondary">
              {t('safety.alerts.sendMessage')}
            </button>
          </form>
          <form method="post" action={`/safety/alerts/${alert.id}/resolve`}>
            <CsrfField ctx={ctx} />
            <Field
              ctx={ctx}
              name="note"
              label={t('safety.alerts.note')}
              hint={t('safety.alerts.noteHint')}
              errors={errors}
              value={values.note}
              multiline
              rows={3}
              maxLength={2000}
            />
            <button type="submit" class="button">
              {t('safety.alerts.resolve')}
            </button>
          </form>
        </>
      )}
    </article>
  );
}

/** A group's crisis alerts, for its leaders. */
export function AlertsPage({
  ctx,
  access,
  alerts,
  errors = {},
  values = {},
  failed,
}: {
  ctx: PageContext;
  access: GroupAccess;
  alerts: AlertRow[];
  errors?: FieldErrors;
  values?: Record<string, string>;
  /** The alert whose form came back with errors. */
  failed?: number;
}) {
  const { t } = ctx;
  const open = alerts.filter((a) => !a.resolvedAt);
  const closed = alerts.filter((a) => a.resolvedAt);
  return (
    <Layout ctx={ctx} title={t('safety.alerts.title', { name: access.group.name })}>
      <GroupHeader ctx={ctx} access={access} />
      <h2>{t('safety.alerts.heading')}</h2>
      <p>{t('safety.alerts.intro')}</p>
      <FormErrors ctx={ctx} errors={errors} />
      {open.length === 0 ? <p class="empty">{t('safety.alerts.none')}</p> : null}
      {open.map((a) => (
        <AlertItem
          key={a.id}
          ctx={ctx}
          access={access}
          alert={a}
          errors={a.id === failed ? errors : {}}
          values={a.id === failed ? values : {}}
        />
      ))}
      {closed.length > 0 ? <h2>{t('safety.alerts.closed')}</h2> : null}
      {closed.map((a) => (
        <AlertItem key={a.id} ctx={ctx} access={access} alert={a} errors={{}} values={{}} />
      ))}
    </Layout>
  );
}
