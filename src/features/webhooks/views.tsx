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
import { DateTime } from '../../platform/views/time.js';
import { GroupHeader } from '../groups/index.js';
import { webhookEventTypes, type WebhookEventType } from './events.js';
import type { Scope } from './policy.js';
import type { WebhookRow } from './schema.js';
import type { DeliveryPage, WebhookSummary } from './service.js';

const eventKeys = {
  'thread.created': 'webhooks.events.threadCreated',
  'post.created': 'webhooks.events.postCreated',
  'member.joined': 'webhooks.events.memberJoined',
  'application.received': 'webhooks.events.applicationReceived',
  'meeting.scheduled': 'webhooks.events.meetingScheduled',
} as const;

const statusKeys = {
  pending: 'webhooks.status.pending',
  retrying: 'webhooks.status.retrying',
  delivered: 'webhooks.status.delivered',
  failed: 'webhooks.status.failed',
  refused: 'webhooks.status.refused',
} as const;

function eventLabel(ctx: PageContext, type: string): string {
  return type in eventKeys ? ctx.t(eventKeys[type as WebhookEventType]) : ctx.t('webhooks.events.ping');
}

/** The group's header, or the organisation's name and a way back to it. */
function ScopeHeader({ ctx, scope }: { ctx: PageContext; scope: Scope }) {
  if (scope.kind === 'group') return <GroupHeader ctx={ctx} access={scope.access} />;
  return (
    <header class="panel">
      <h1>{scope.name}</h1>
      <p>
        <a href={`/o/${scope.slug}`}>{ctx.t('webhooks.backToOrganisation')}</a>
      </p>
    </header>
  );
}

/** /g/:slug/webhooks and /o/:slug/webhooks: the webhooks, and registering one. */
export function WebhooksPage({
  ctx,
  scope,
  webhooks,
  created,
  errors = {},
  values = {},
}: {
  ctx: PageContext;
  scope: Scope;
  webhooks: WebhookSummary[];
  /** Just registered: its secret is shown this once. */
  created?: WebhookRow | undefined;
  errors?: FieldErrors;
  values?: Record<string, string | string[]>;
}) {
  const { t } = ctx;
  const chosen = new Set([values.events ?? []].flat());
  const url = typeof values.url === 'string' ? values.url : '';
  return (
    <Layout ctx={ctx} title={`${t('webhooks.title')} · ${scope.name}`}>
      <ScopeHeader ctx={ctx} scope={scope} />
      {created ? (
        <section class="panel notice" role="status" aria-labelledby="secret-heading">
          <h2 id="secret-heading">{t('webhooks.secret.heading')}</h2>
          <p>{t('webhooks.secret.intro', { url: created.url })}</p>
          <p>
            <code id="webhook-secret">{created.secret}</code>
          </p>
          <p>{t('webhooks.secret.once')}</p>
          <p>
            <a href={`${scope.base}/${created.id}`}>{t('webhooks.secret.open')}</a>
          </p>
        </section>
      ) : null}
      <section class="panel" aria-labelledby="webhooks-heading">
        <h2 id="webhooks-heading">{t('webhooks.title')}</h2>
        <p>{scope.kind === 'group' ? t('webhooks.introGroup') : t('webhooks.introOrganisation')}</p>
        <p>{t('webhooks.signedHint')}</p>
        {webhooks.length === 0 ? <p class="empty">{t('webhooks.empty')}</p> : null}
        {webhooks.length > 0 ? (
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t('webhooks.url')}</th>
                <th scope="col">{t('webhooks.eventsHeading')}</th>
                <th scope="col">{t('webhooks.lastDelivery')}</th>
              </tr>
            </thead>
            <tbody>
              {webhooks.map(({ webhook, last }) => (
                <tr key={webhook.id}>
                  <td>
                    <a href={`${scope.base}/${webhook.id}`}>{webhook.url}</a>
                    {webhook.disabledAt ? <> ({t('webhooks.off')})</> : null}
                  </td>
                  <td>{webhook.events.map((e) => eventLabel(ctx, e)).join(', ')}</td>
                  <td>
                    {last ? (
                      <>
                        {t(statusKeys[last.status])}, <DateTime ctx={ctx} date={last.at} />
                      </>
                    ) : (
                      t('webhooks.noDeliveries')
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      <section class="panel" aria-labelledby="register-heading">
        <h2 id="register-heading">{t('webhooks.register.heading')}</h2>
        <FormErrors ctx={ctx} errors={errors} />
        <form method="post" action={scope.base} novalidate>
          <CsrfField ctx={ctx} />
          <Field
            ctx={ctx}
            name="url"
            label={t('webhooks.url')}
            hint={t('webhooks.register.urlHint')}
            errors={errors}
            value={url}
            maxLength={2000}
          />
          <fieldset class={errors.events ? 'field field-error' : 'field'}>
            <legend>{t('webhooks.eventsHeading')}</legend>
            {errors.events ? (
              <p class="error" id="events-error">
                {errorMessage(ctx, errors.events)}
              </p>
            ) : null}
            {webhookEventTypes.map((type) => (
              <div class="choice" key={type}>
                <input
                  type="checkbox"
                  id={`event-${type}`}
                  name="events"
                  value={type}
                  checked={chosen.has(type)}
                  aria-describedby={errors.events ? 'events-error' : undefined}
                />
                <label for={`event-${type}`}>{eventLabel(ctx, type)}</label>
              </div>
            ))}
          </fieldset>
          <button type="submit" class="button">
            {t('webhooks.register.submit')}
          </button>
        </form>
      </section>
    </Layout>
  );
}

/** /g/:slug/webhooks/:id: one webhook, what to do with it, and its deliveries, newest first. */
export function WebhookPage({
  ctx,
  scope,
  webhook,
  page,
  errors = {},
}: {
  ctx: PageContext;
  scope: Scope;
  webhook: WebhookRow;
  page: DeliveryPage;
  errors?: FieldErrors;
}) {
  const { t } = ctx;
  const base = `${scope.base}/${webhook.id}`;
  return (
    <Layout ctx={ctx} title={`${t('webhooks.webhook.title')} · ${scope.name}`}>
      <ScopeHeader ctx={ctx} scope={scope} />
      <section class="panel" aria-labelledby="webhook-heading">
        <h2 id="webhook-heading">{t('webhooks.webhook.title')}</h2>
        <FormErrors ctx={ctx} errors={errors} />
        <dl>
          <dt>{t('webhooks.url')}</dt>
          <dd>{webhook.url}</dd>
          <dt>{t('webhooks.eventsHeading')}</dt>
          <dd>{webhook.events.map((e) => eventLabel(ctx, e)).join(', ')}</dd>
          <dt>{t('webhooks.webhook.state')}</dt>
          <dd>{webhook.disabledAt ? t('webhooks.off') : t('webhooks.on')}</dd>
          <dt>{t('webhooks.webhook.created')}</dt>
          <dd>
            <DateTime ctx={ctx} date={webhook.createdAt} />
          </dd>
        </dl>
        <div class="actions">
          {webhook.disabledAt ? (
            <PostButton ctx={ctx} action={`${base}/enable`} label={t('webhooks.webhook.turnOn')} />
          ) : (
            <>
              <PostButton ctx={ctx} action={`${base}/test`} label={t('webhooks.webhook.test')} />
              <PostButton ctx={ctx} action={`${base}/disable`} label={t('webhooks.webhook.turnOff')} />
            </>
          )}
          <PostButton ctx={ctx} action={`${base}/delete`} label={t('webhooks.webhook.delete')} />
        </div>
        <p>
          <a href={scope.base}>{t('webhooks.webhook.back')}</a>
        </p>
      </section>
      <section class="panel" aria-labelledby="deliveries-heading">
        <h2 id="deliveries-heading">{t('webhooks.deliveries.heading')}</h2>
        {page.deliveries.length === 0 ? <p class="empty">{t('webhooks.noDeliveries')}</p> : null}
        {page.deliveries.length > 0 ? (
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t('webhooks.deliveries.time')}</th>
                <th scope="col">{t('webhooks.deliveries.event')}</th>
                <th scope="col">{t('webhooks.deliveries.status')}</th>
                <th scope="col">{t('webhooks.deliveries.response')}</th>
                <th scope="col">{t('webhooks.deliveries.attempts')}</th>
              </tr>
            </thead>
            <tbody>
              {page.deliveries.map((d) => (
                <tr key={d.id} class={`delivery delivery-${d.status}`}>
                  <td>
                    <DateTime ctx={ctx} date={d.lastAttemptAt ?? d.createdAt} />
                  </td>
                  <td>{eventLabel(ctx, d.event)}</td>
                  <td>
                    {t(statusKeys[d.status])}
                    {d.lastError && d.status !== 'delivered' ? <> ({d.lastError})</> : null}
                  </td>
                  <td>{d.responseStatus ?? '—'}</td>
                  <td>{d.attempts}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {page.before !== null ? (
          <p>
            <a href={`${base}?before=${page.before}`}>{t('webhooks.deliveries.older')}</a>
          </p>
        ) : null}
      </section>
    </Layout>
  );
}
