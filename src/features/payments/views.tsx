import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, Field, FormErrors, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { AcceptAgreementsField } from '../agreements/index.js';
import { GRACE_DAYS, GroupHeader, type GroupAccess } from '../groups/index.js';
import { amountText, currencies, feeIntervals, type Fee } from './fees.js';
import { dayText, feeText, money } from './format.js';
import { graceEnds, mayPay, type Standing } from './policy.js';
import type { HardshipRequest } from './schema.js';

function currencyName(ctx: PageContext, code: string): string {
  try {
    return `${code} · ${new Intl.DisplayNames([ctx.locale], { type: 'currency' }).of(code) ?? ''}`;
  } catch {
    return code;
  }
}

/** Links between the fee pages, for the people who manage the group. */
export function FeeNav({ ctx, slug }: { ctx: PageContext; slug: string }) {
  const { t } = ctx;
  const link = (path: string, label: string) => (
    <a href={`/g/${slug}/${path}`} aria-current={ctx.path.startsWith(`/g/${slug}/${path}`) ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <nav aria-label={t('payments.nav.label')} class="tabs">
      {link('fees', t('payments.nav.fees'))}
      {link('payments', t('payments.nav.payments'))}
    </nav>
  );
}

export function FeesPage({
  ctx,
  access,
  values,
  errors = {},
}: {
  ctx: PageContext;
  access: GroupAccess;
  values: Record<string, string>;
  errors?: FieldErrors;
}) {
  const { t } = ctx;
  const { group } = access;
  return (
    <Layout ctx={ctx} title={t('payments.settings.title', { name: group.name })}>
      <GroupHeader ctx={ctx} access={access} />
      <FeeNav ctx={ctx} slug={group.slug} />
      <section class="panel" aria-labelledby="fees-heading">
        <h2 id="fees-heading">{t('payments.settings.heading')}</h2>
        <p>{t('payments.settings.intro', { days: GRACE_DAYS })}</p>
        {group.joinPolicy === 'paid' ? null : <p class="hint">{t('payments.settings.notPaid')}</p>}
        <FormErrors ctx={ctx} errors={errors} />
        <form method="post" action={`/g/${group.slug}/fees`} novalidate>
          <CsrfField ctx={ctx} />
          <Field
            ctx={ctx}
            name="amount"
            label={t('payments.settings.amount')}
            hint={t('payments.settings.amountHint')}
            errors={errors}
            value={values.amount}
            required
            maxLength={12}
          />
          <Field
            ctx={ctx}
            name="minimum"
            label={t('payments.settings.minimum')}
            hint={t('payments.settings.minimumHint')}
            errors={errors}
            value={values.minimum}
            maxLength={12}
          />
          <div class={errors.currency ? 'field field-error' : 'field'}>
            <label for="field-currency">{t('payments.settings.currency')}</label>
            {errors.currency ? <p class="error">{t('payments.errors.currency')}</p> : null}
            <select id="field-currency" name="currency">
              {currencies.map((code) => (
                <option key={code} value={code} selected={(values.currency ?? 'GBP') === code}>
                  {currencyName(ctx, code)}
                </option>
              ))}
            </select>
          </div>
          <fieldset class={errors.interval ? 'field field-error' : 'field'}>
            <legend>{t('payments.settings.interval')}</legend>
            {errors.interval ? <p class="error">{t('payments.errors.interval')}</p> : null}
            {feeIntervals.map((interval) => (
              <div class="choice" key={interval}>
                <input
                  type="radio"
                  id={`interval-${interval}`}
                  name="interval"
                  value={interval}
                  checked={(values.interval ?? 'month') === interval}
                />
                <label for={`interval-${interval}`}>{t(`payments.intervals.${interval}`)}</label>
              </div>
            ))}
          </fieldset>
          <button type="submit" class="button">
            {t('payments.settings.submit')}
          </button>
        </form>
      </section>
    </Layout>
  );
}

function StandingMessage({ ctx, access, standing }: { ctx: PageContext; access: GroupAccess; standing: Standing }) {
  const { t } = ctx;
  const paidUntil = access.membership?.paidUntil ?? null;
  switch (standing) {
    case 'none':
      return null;
    case 'leader':
    case 'waived':
    case 'lapsed':
      return <p class="notice">{t(`payments.pay.standing.${standing}`)}</p>;
    case 'paid':
      return <p class="notice">{t('payments.pay.standing.paid', { date: dayText(ctx, paidUntil!) })}</p>;
    case 'grace':
      return (
        <p class="notice">
          {t('payments.pay.standing.grace', {
            date: dayText(ctx, paidUntil!),
            until: dayText(ctx, graceEnds(paidUntil!)),
          })}
        </p>
      );
  }
}

/** The pay page's two forms: which one a refused post came from. */
export type PayForm = 'card' | 'waiver';

interface PayPageProps {
  ctx: PageContext;
  access: GroupAccess;
  fee: Fee | null;
  standing: Standing;
  waiver: HardshipRequest | null;
  cardEnabled: boolean;
  errors?: FieldErrors;
  values?: Record<string, string>;
  sent?: PayForm | undefined;
}

/** What joining or renewing costs, and the three ways through: card, the treasurer, or a waiver. */
export function PayPage(p: PayPageProps) {
  const { ctx, access, fee, standing, waiver, cardEnabled, errors = {}, values = {}, sent } = p;
  const { t } = ctx;
  const { group } = access;
  const open = fee !== null && mayPay(standing, fee.interval);
  return (
    <Layout ctx={ctx} title={t('payments.pay.title', { name: group.name })}>
      <GroupHeader ctx={ctx} access={access} />
      <section class="panel" aria-labelledby="pay-heading">
        <h2 id="pay-heading">{t('payments.pay.heading')}</h2>
        <FormErrors ctx={ctx} errors={errors} />
        <StandingMessage ctx={ctx} access={access} standing={standing} />
        {fee === null ? (
          <p>{t('payments.fee.notSet')}</p>
        ) : (
          <>
            <p class="lede">{feeText(ctx, fee)}</p>
            {open ? <p>{t('payments.pay.intro')}</p> : null}
            {fee.minimumCents !== null ? <p>{t('payments.fee.noQuestions')}</p> : null}
            {fee.interval === 'once' ? null : (
              <>
                <p>{t(`payments.pay.perPeriod.${fee.interval}`)}</p>
                <p>{t('payments.pay.grace', { days: GRACE_DAYS })}</p>
              </>
            )}
          </>
        )}
      </section>
      {open && fee ? (
        <>
          {cardEnabled ? (
            <CardForm ctx={ctx} access={access} fee={fee} errors={errors} values={values} sent={sent === 'card'} />
          ) : null}
          <section class="panel" aria-labelledby="treasurer-heading">
            <h2 id="treasurer-heading">{t('payments.pay.treasurer.heading')}</h2>
            <p>{t('payments.pay.treasurer.body')}</p>
          </section>
          <WaiverForm
            ctx={ctx}
            access={access}
            waiver={waiver}
            errors={errors}
            values={values}
            sent={sent === 'waiver'}
          />
        </>
      ) : null}
    </Layout>
  );
}

interface PayFormProps {
  ctx: PageContext;
  access: GroupAccess;
  errors: FieldErrors;
  values: Record<string, string>;
  /** This form was the one sent (and refused): its box keeps its tick, and shows its error. */
  sent: boolean;
}

/**
 * "I accept the group's agreements", for someone paying or asking to come in (a member renewing
 * came in already). Each form has its own, so the box's id names the form.
 */
function JoinAgreements({ form, ...p }: PayFormProps & { form: PayForm }) {
  if (p.access.membership) return null;
  return (
    <AcceptAgreementsField
      ctx={p.ctx}
      access={p.access}
      errors={p.sent ? p.errors : {}}
      checked={p.sent && p.values.acceptAgreements === 'on'}
      id={`${form}-acceptAgreements`}
    />
  );
}

function CardForm(p: PayFormProps & { fee: Fee }) {
  const { t } = p.ctx;
  const { fee } = p;
  return (
    <section class="panel" aria-labelledby="card-heading">
      <h2 id="card-heading">{t('payments.pay.card.heading')}</h2>
      <form method="post" action={`/g/${p.access.group.slug}/pay/card`} novalidate>
        <CsrfField ctx={p.ctx} />
        {fee.minimumCents === null ? null : (
          <Field
            ctx={p.ctx}
            name="amount"
            label={t('payments.pay.card.amount', { currency: fee.currency })}
            hint={t('payments.pay.card.amountHint', {
              minimum: money(p.ctx, fee.minimumCents, fee.currency),
              amount: money(p.ctx, fee.amountCents, fee.currency),
            })}
            errors={p.errors}
            value={p.values.amount ?? amountText(fee.amountCents)}
            required
            maxLength={12}
          />
        )}
        <JoinAgreements {...p} form="card" />
        <button type="submit" class="button">
          {t('payments.pay.card.submit')}
        </button>
        <p class="hint">{t('payments.pay.card.secure')}</p>
      </form>
    </section>
  );
}

function WaiverForm(p: PayFormProps & { waiver: HardshipRequest | null }) {
  const { t } = p.ctx;
  return (
    <section class="panel" aria-labelledby="waiver-heading">
      <h2 id="waiver-heading">{t('payments.pay.waiver.heading')}</h2>
      {p.waiver?.status === 'pending' ? (
        <p class="notice">{t('payments.pay.waiver.pending')}</p>
      ) : (
        <>
          {p.waiver?.status === 'declined' ? <p>{t('payments.pay.waiver.declined')}</p> : null}
          <p>{t('payments.pay.waiver.intro')}</p>
          <form method="post" action={`/g/${p.access.group.slug}/pay/waiver`} novalidate>
            <CsrfField ctx={p.ctx} />
            <Field
              ctx={p.ctx}
              name="message"
              label={t('payments.pay.waiver.message')}
              errors={p.errors}
              value={p.values.message}
              multiline
              rows={5}
              required
              maxLength={2000}
            />
            <JoinAgreements {...p} form="waiver" />
            <button type="submit" class="button button-secondary">
              {t('payments.pay.waiver.submit')}
            </button>
          </form>
        </>
      )}
    </section>
  );
}

/**
 * After starting a card payment without JavaScript: a link to the provider's page. A redirect
 * would not do, as browsers apply the form-action 'self' policy to where a form post redirects.
 */
export function ContinueToPaymentPage({ ctx, access, url }: { ctx: PageContext; access: GroupAccess; url: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('payments.pay.continue.title')}>
      <section class="panel">
        <h1>{t('payments.pay.continue.title')}</h1>
        <p>{t('payments.pay.continue.body', { name: access.group.name })}</p>
        <p>
          <a class="button" href={url}>
            {t('payments.pay.continue.link')}
          </a>
        </p>
      </section>
    </Layout>
  );
}
