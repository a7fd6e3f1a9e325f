import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, errorMessage, Field, FormErrors, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { RelativeTime } from '../../platform/views/time.js';
import { silenceDays } from '../moderation/index.js';
import { reportOutcomes, type ReportRow } from './reports.js';

function ResolveForm({
  ctx,
  report,
  errors,
  values,
}: {
  ctx: PageContext;
  report: ReportRow;
  errors: FieldErrors;
  values: Record<string, string>;
}) {
  const { t } = ctx;
  const id = (name: string) => `report-${report.id}-${name}`;
  return (
    <form method="post" action={`/admin/conversation-reports/${report.id}/resolve`} novalidate>
      <CsrfField ctx={ctx} />
      <FormErrors ctx={ctx} errors={errors} />
      <fieldset class={errors.outcome ? 'field field-error' : 'field'}>
        <legend>{t('messages.admin.outcomeLegend')}</legend>
        {errors.outcome ? <p class="error">{errorMessage(ctx, errors.outcome)}</p> : null}
        {reportOutcomes.map((o) => (
          <div class="choice" key={o}>
            <input type="radio" id={id(o)} name="outcome" value={o} checked={values.outcome === o} />
            <label for={id(o)}>{t(`messages.admin.outcomes.${o}`)}</label>
          </div>
        ))}
      </fieldset>
      <div class={errors.days ? 'field field-error' : 'field'}>
        <label for={id('days')}>{t('messages.admin.days')}</label>
        {errors.days ? (
          <p class="error" id={id('days-error')}>
            {errorMessage(ctx, errors.days)}
          </p>
        ) : null}
        <select id={id('days')} name="days" aria-describedby={errors.days ? id('days-error') : undefined}>
          {silenceDays.map((d) => (
            <option key={d} value={String(d)} selected={values.days === String(d)}>
              {t('messages.admin.daysOption', { count: d })}
            </option>
          ))}
        </select>
      </div>
      <Field
        ctx={ctx}
        name="note"
        label={t('messages.admin.note')}
        hint={t('messages.admin.noteHint')}
        errors={errors}
        value={values.note}
        multiline
        rows={3}
        maxLength={1000}
      />
      <button type="submit" class="button">
        {t('messages.admin.resolve')}
      </button>
    </form>
  );
}

/**
 * Reported private messages, for the site's moderators: each report's messages as the conversation
 * showed them (its group's names), and nothing else of the conversation.
 */
export function ReportsPage({
  ctx,
  reports,
  errorsFor,
}: {
  ctx: PageContext;
  reports: ReportRow[];
  /** The report whose form came back with errors, its errors and what was entered. */
  errorsFor?: { id: number; errors: FieldErrors; values: Record<string, string> } | undefined;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('messages.admin.title')}>
      <p class="breadcrumb">
        <a href="/admin">{t('admin.index.title')}</a>
      </p>
      <h1>{t('messages.admin.title')}</h1>
      <p>{t('messages.admin.intro')}</p>
      {reports.length === 0 ? <p class="empty">{t('messages.admin.none')}</p> : null}
      {reports.map((r) => (
        <article class="panel" key={r.id} aria-labelledby={`report-${r.id}`}>
          <h2 id={`report-${r.id}`}>{t('messages.admin.reason', { reason: t(`messages.reasons.${r.reason}`) })}</h2>
          <p class="meta">
            {r.group ? t('messages.admin.inGroup', { group: r.group.name }) : null} ·{' '}
            {r.resolvedAt ? (
              <span class="badge">{t('messages.admin.resolved')}</span>
            ) : (
              <span class="badge badge-warning">{t('messages.admin.waiting')}</span>
            )}{' '}
            <RelativeTime ctx={ctx} date={r.createdAt} />
          </p>
          {r.details ? (
            <p>
              {t('messages.admin.details')} <q>{r.details}</q>
            </p>
          ) : null}
          <ol class="plain-list posts">
            {r.messages.map((m) => (
              <li key={m.id} class="post" aria-labelledby={`reported-${m.id}`}>
                <p class="post-head">
                  <strong id={`reported-${m.id}`}>{m.author ?? t('messages.formerMember')}</strong>{' '}
                  <span class="meta">
                    <RelativeTime ctx={ctx} date={m.createdAt} />
                    {m.removed ? <> · {t('messages.admin.removedMessage')}</> : null}
                  </span>
                </p>
                {/* Sanitised Markdown, rendered by renderMarkdown when the message was written. */}
                <div class="prose" dangerouslySetInnerHTML={{ __html: m.bodyHtml }} />
              </li>
            ))}
          </ol>
          {r.resolvedAt ? (
            <>
              <p>{t('messages.admin.outcome', { outcome: outcomeLabel(ctx, r.outcome) })}</p>
              {r.note ? (
                <p>
                  <q>{r.note}</q>
                </p>
              ) : null}
            </>
          ) : (
            <ResolveForm
              ctx={ctx}
              report={r}
              errors={errorsFor?.id === r.id ? errorsFor.errors : {}}
              values={errorsFor?.id === r.id ? errorsFor.values : {}}
            />
          )}
        </article>
      ))}
    </Layout>
  );
}

function outcomeLabel(ctx: PageContext, outcome: string | null): string {
  const known = reportOutcomes.find((o) => o === outcome);
  return known ? ctx.t(`messages.admin.outcomes.${known}`) : '';
}
