import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, Field, FormErrors, PostButton, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { GroupHeader, type GroupAccess } from '../groups/index.js';
import type { Fee } from './fees.js';
import { Day, feeText, money } from './format.js';
import type { WaiverRequestRow } from './hardship.js';
import type { PaymentRow } from './service.js';
import type { BehindRow } from './standing.js';
import { FeeNav } from './views.js';

export interface TreasurerPageProps {
  ctx: PageContext;
  access: GroupAccess;
  fee: Fee | null;
  payments: PaymentRow[];
  waivers: WaiverRequestRow[];
  behind: BehindRow[];
  errors?: FieldErrors;
  values?: Record<string, string>;
}

/** The treasurer's desk: record payments, decide waivers, see who is behind. Managers only. */
export function TreasurerPage(p: TreasurerPageProps) {
  const { ctx, access } = p;
  const { t } = ctx;
  const { group } = access;
  return (
    <Layout ctx={ctx} title={t('payments.treasurer.title', { name: group.name })}>
      <GroupHeader ctx={ctx} access={access} />
      <FeeNav ctx={ctx} slug={group.slug} />
      <p class="hint">{t('payments.treasurer.private')}</p>
      <RecordPaymentForm {...p} />
      <WaiverRequests ctx={ctx} slug={group.slug} waivers={p.waivers} />
      <MembersBehind ctx={ctx} behind={p.behind} />
      <PaymentList ctx={ctx} payments={p.payments} />
    </Layout>
  );
}

function RecordPaymentForm({ ctx, access, fee, errors = {}, values = {} }: TreasurerPageProps) {
  const { t } = ctx;
  const slug = access.group.slug;
  return (
    <section class="panel" aria-labelledby="record-heading">
      <h2 id="record-heading">{t('payments.treasurer.record.heading')}</h2>
      {fee === null ? (
        <p>
          {t('payments.errors.noFee')} <a href={`/g/${slug}/fees`}>{t('payments.nav.fees')}</a>
        </p>
      ) : (
        <>
          <p>{feeText(ctx, fee)}</p>
          <p>{t('payments.treasurer.record.intro')}</p>
          <FormErrors ctx={ctx} errors={errors} />
          <form method="post" action={`/g/${slug}/payments`} novalidate>
            <CsrfField ctx={ctx} />
            <Field
              ctx={ctx}
              name="pseudonym"
              label={t('payments.treasurer.record.pseudonym')}
              errors={errors}
              value={values.pseudonym}
              required
              maxLength={40}
            />
            <Field
              ctx={ctx}
              name="amount"
              label={t('payments.treasurer.record.amount', { currency: fee.currency })}
              errors={errors}
              value={values.amount}
              required
              maxLength={12}
            />
            <div class={errors.receivedOn ? 'field field-error' : 'field'}>
              <label for="field-receivedOn">{t('payments.treasurer.record.receivedOn')}</label>
              <p class="hint" id="field-receivedOn-hint">
                {t('payments.treasurer.record.receivedOnHint')}
              </p>
              {errors.receivedOn ? (
                <p class="error" id="field-receivedOn-error">
                  {t('payments.errors.receivedOn')}
                </p>
              ) : null}
              <input
                type="date"
                id="field-receivedOn"
                name="receivedOn"
                required
                value={values.receivedOn ?? new Date().toISOString().slice(0, 10)}
                aria-invalid={errors.receivedOn ? 'true' : undefined}
                aria-describedby={`field-receivedOn-hint${errors.receivedOn ? ' field-receivedOn-error' : ''}`}
              />
            </div>
            <button type="submit" class="button">
              {t('payments.treasurer.record.submit')}
            </button>
          </form>
        </>
      )}
    </section>
  );
}

function WaiverRequests({ ctx, slug, waivers }: { ctx: PageContext; slug: string; waivers: WaiverRequestRow[] }) {
  const { t } = ctx;
  return (
    <section class="panel" aria-labelledby="waivers-heading">
      <h2 id="waivers-heading">{t('payments.treasurer.waivers.heading')}</h2>
      {waivers.length === 0 ? (
        <p class="empty">{t('payments.treasurer.waivers.none')}</p>
      ) : (
        <ul class="cards">
          {waivers.map((w) => (
            <li key={w.id} class="card">
              <h3 class="card-title">{t('payments.treasurer.waivers.from', { pseudonym: w.pseudonym })}</h3>
              <p class="meta">
                <Day ctx={ctx} date={w.createdAt} />
              </p>
              <p class="prose">{w.message}</p>
              <div class="actions">
                <PostButton
                  ctx={ctx}
                  action={`/g/${slug}/payments/waivers/${w.id}/grant`}
                  label={t('payments.treasurer.waivers.grant')}
                  className="button"
                />
                <PostButton
                  ctx={ctx}
                  action={`/g/${slug}/payments/waivers/${w.id}/decline`}
                  label={t('payments.treasurer.waivers.decline')}
                />
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function MembersBehind({ ctx, behind }: { ctx: PageContext; behind: BehindRow[] }) {
  const { t } = ctx;
  return (
    <section class="panel" aria-labelledby="behind-heading">
      <h2 id="behind-heading">{t('payments.treasurer.behind.heading')}</h2>
      {behind.length === 0 ? (
        <p class="empty">{t('payments.treasurer.behind.none')}</p>
      ) : (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('payments.treasurer.behind.name')}</th>
              <th scope="col">{t('payments.treasurer.behind.paidUntil')}</th>
              <th scope="col">{t('payments.treasurer.behind.accessEnds')}</th>
              <th scope="col">{t('payments.treasurer.behind.standing')}</th>
            </tr>
          </thead>
          <tbody>
            {behind.map((m) => (
              <tr key={m.pseudonym}>
                <td>{m.pseudonym}</td>
                <td>{m.paidUntil ? <Day ctx={ctx} date={m.paidUntil} /> : t('payments.treasurer.behind.never')}</td>
                <td>{m.accessEnds ? <Day ctx={ctx} date={m.accessEnds} /> : '—'}</td>
                <td>{t(`payments.treasurer.behind.${m.standing}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function PaymentList({ ctx, payments }: { ctx: PageContext; payments: PaymentRow[] }) {
  const { t } = ctx;
  return (
    <section class="panel" aria-labelledby="payments-heading">
      <h2 id="payments-heading">{t('payments.treasurer.list.heading')}</h2>
      {payments.length === 0 ? (
        <p class="empty">{t('payments.treasurer.list.none')}</p>
      ) : (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('payments.treasurer.list.received')}</th>
              <th scope="col">{t('payments.treasurer.list.payer')}</th>
              <th scope="col">{t('payments.treasurer.list.amount')}</th>
              <th scope="col">{t('payments.treasurer.list.method')}</th>
              <th scope="col">{t('payments.treasurer.list.until')}</th>
              <th scope="col">{t('payments.treasurer.list.recordedBy')}</th>
            </tr>
          </thead>
          <tbody>
            {payments.map((p) => (
              <tr key={p.id}>
                <td>
                  <Day ctx={ctx} date={p.receivedAt} />
                </td>
                <td>{p.payer ?? t('payments.treasurer.list.formerMember')}</td>
                <td>{money(ctx, p.amountCents, p.currency)}</td>
                <td>{t(`payments.providers.${p.provider}`)}</td>
                <td>
                  <Day ctx={ctx} date={p.periodEnd} />
                </td>
                <td>{p.recordedBy ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
