import type { PageContext } from '../../platform/http/page.js';
import {
  CsrfField,
  Field,
  FormErrors,
  PostButton,
  WallClockFields,
  type FieldErrors,
} from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { DateTime } from '../../platform/views/time.js';
import { GroupHeader, type GroupAccess } from '../groups/index.js';
import { canSign, canWriteCampaigns, isIndexable, showsGroup, signersAreMembers } from './policy.js';
import type { Campaign } from './schema.js';
import type { CampaignListItem, CampaignPage as PageData } from './service.js';

const base = (access: GroupAccess) => `/g/${access.group.slug}/campaigns`;
export const campaignUrl = (slug: string) => `/campaigns/${slug}`;

function Status({ ctx, status }: { ctx: PageContext; status: Campaign['status'] }) {
  return <span class="badge">{ctx.t(`campaigns.status.${status}`)}</span>;
}

/** A group's campaigns: published and closed, and the drafts for their writers. */
export function CampaignsPage({
  ctx,
  access,
  items,
}: {
  ctx: PageContext;
  access: GroupAccess;
  items: CampaignListItem[];
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('campaigns.listTitle', { group: access.group.name })}>
      <GroupHeader ctx={ctx} access={access} />
      <section class="panel" aria-labelledby="campaigns-heading">
        <h2 id="campaigns-heading">{t('campaigns.heading')}</h2>
        <p>{t('campaigns.intro')}</p>
        {canWriteCampaigns(access) ? (
          <p>
            <a class="button" href={`${base(access)}/new`}>
              {t('campaigns.write')}
            </a>
          </p>
        ) : null}
        {items.length === 0 ? (
          <p class="empty">{t('campaigns.none')}</p>
        ) : (
          <ul class="plain-list">
            {items.map((i) => (
              <li key={i.id}>
                <a href={campaignUrl(i.slug)}>{i.title}</a> <Status ctx={ctx} status={i.status} />{' '}
                <span class="meta">{t('campaigns.signatureCount', { count: i.signatureCount })}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </Layout>
  );
}

/** Writing a new campaign, or changing one. */
export function CampaignFormPage({
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
  const title = id === undefined ? t('campaigns.form.newTitle') : t('campaigns.form.editTitle');
  const action = id === undefined ? `${base(access)}/new` : `${base(access)}/${id}/edit`;
  // A new form starts signable; a sent one keeps what was chosen (an unticked box sends nothing).
  const signable = values.signable !== undefined || (id === undefined && values.title === undefined);
  return (
    <Layout ctx={ctx} title={title}>
      <p>
        <a href={base(access)}>{t('campaigns.back', { group: access.group.name })}</a>
      </p>
      <h1>{title}</h1>
      <p class="lede">{t('campaigns.form.intro')}</p>
      <FormErrors ctx={ctx} errors={errors} />
      <form method="post" action={action} novalidate>
        <CsrfField ctx={ctx} />
        <Field
          ctx={ctx}
          name="title"
          label={t('campaigns.form.title')}
          hint={t('campaigns.form.titleHint')}
          errors={errors}
          value={values.title}
          maxLength={120}
        />
        <Field
          ctx={ctx}
          name="statement"
          label={t('campaigns.form.statement')}
          hint={t('campaigns.form.statementHint')}
          errors={errors}
          value={values.statement}
          maxLength={20_000}
          multiline
          rows={14}
        />
        <Field
          ctx={ctx}
          name="callToAction"
          label={t('campaigns.form.callToAction')}
          hint={t('campaigns.form.callToActionHint')}
          errors={errors}
          value={values.callToAction}
          maxLength={200}
        />
        <Field
          ctx={ctx}
          name="actionUrl"
          label={t('campaigns.form.actionUrl')}
          hint={t('campaigns.form.actionUrlHint')}
          errors={errors}
          value={values.actionUrl}
          maxLength={2000}
        />
        <WallClockFields
          ctx={ctx}
          id="event"
          legend={t('campaigns.form.event')}
          hint={t('campaigns.form.eventHint', { zone: ctx.timeZone })}
          date={{ name: 'eventDate', label: t('campaigns.form.eventDate') }}
          time={{ name: 'eventTime', label: t('campaigns.form.eventTime') }}
          values={values}
          errors={errors}
        />
        <div class="choice">
          <input
            type="checkbox"
            id="field-signable"
            name="signable"
            checked={signable}
            aria-describedby="signable-hint"
          />
          <label for="field-signable">{t('campaigns.form.signable')}</label>
          <p class="hint" id="signable-hint">
            {t('campaigns.form.signableHint')}
          </p>
        </div>
        <button type="submit" class="button">
          {t('campaigns.form.save')}
        </button>
      </form>
    </Layout>
  );
}

/** Signing, changing how, or taking one's name back. */
function SignSection({ ctx, page, errors }: { ctx: PageContext; page: PageData; errors: FieldErrors }) {
  const { t } = ctx;
  const { access, campaign, mine } = page;
  const at = campaignUrl(campaign.slug);
  const open = campaign.status === 'published' && campaign.signable;
  const who = signersAreMembers(access) ? t('campaigns.sign.whoMembers') : t('campaigns.sign.whoAnyone');
  const name = access.alias ?? ctx.viewer?.pseudonym ?? '';
  return (
    <section class="panel" aria-labelledby="sign-heading">
      <h2 id="sign-heading">{t('campaigns.sign.heading')}</h2>
      {open ? <p>{who}</p> : null}
      <FormErrors ctx={ctx} errors={errors} />
      {mine ? (
        <p>{mine === 'public' ? t('campaigns.sign.signedPublic', { name }) : t('campaigns.sign.signedAnonymous')}</p>
      ) : null}
      {!open ? (
        <p>{t('campaigns.sign.closed')}</p>
      ) : !ctx.viewer ? (
        <p>
          <a href={`/login?next=${encodeURIComponent(at)}`}>{t('campaigns.sign.logIn')}</a>
        </p>
      ) : canSign(access) ? (
        <form method="post" action={`${at}/sign`} novalidate>
          <CsrfField ctx={ctx} />
          <fieldset class="field">
            <legend>{mine ? t('campaigns.sign.changeLegend') : t('campaigns.sign.legend')}</legend>
            <div class="choice">
              <input type="radio" id="sign-public" name="how" value="public" checked={mine !== 'anonymous'} />
              <label for="sign-public">{t('campaigns.sign.public', { name })}</label>
            </div>
            <div class="choice">
              <input type="radio" id="sign-anonymous" name="how" value="anonymous" checked={mine === 'anonymous'} />
              <label for="sign-anonymous">{t('campaigns.sign.anonymous')}</label>
            </div>
          </fieldset>
          <button type="submit" class="button">
            {mine ? t('campaigns.sign.change') : t('campaigns.sign.submit')}
          </button>
        </form>
      ) : (
        <p>{t('campaigns.sign.membersOnly')}</p>
      )}
      {mine ? <PostButton ctx={ctx} action={`${at}/withdraw`} label={t('campaigns.sign.withdraw')} /> : null}
    </section>
  );
}

/** What a group's leaders can do with a campaign: edit, publish, close, post an update. */
function LeaderActions({
  ctx,
  access,
  campaign,
  errors,
  values,
}: {
  ctx: PageContext;
  access: GroupAccess;
  campaign: Campaign;
  errors: FieldErrors;
  values: Record<string, string>;
}) {
  const { t } = ctx;
  const at = `${base(access)}/${campaign.id}`;
  return (
    <section class="panel" aria-labelledby="leader-heading">
      <h2 id="leader-heading">{t('campaigns.actions.heading')}</h2>
      <FormErrors ctx={ctx} errors={errors} />
      <div class="actions">
        {campaign.status !== 'closed' ? (
          <a class="button button-secondary" href={`${at}/edit`}>
            {t('campaigns.actions.edit')}
          </a>
        ) : null}
        {campaign.status === 'draft' ? (
          <PostButton ctx={ctx} action={`${at}/publish`} label={t('campaigns.actions.publish')} className="button" />
        ) : null}
        {campaign.status === 'published' ? (
          <PostButton ctx={ctx} action={`${at}/close`} label={t('campaigns.actions.close')} />
        ) : null}
      </div>
      {campaign.status !== 'draft' ? (
        <form method="post" action={`${at}/updates`} novalidate>
          <CsrfField ctx={ctx} />
          <Field
            ctx={ctx}
            name="body"
            label={t('campaigns.actions.update')}
            hint={t('campaigns.actions.updateHint')}
            errors={errors}
            value={values.body}
            maxLength={10_000}
            multiline
            rows={6}
          />
          <button type="submit" class="button button-secondary">
            {t('campaigns.actions.postUpdate')}
          </button>
        </form>
      ) : null}
    </section>
  );
}

/**
 * A campaign's public page. It names its group only when the group is public: a members-only
 * group chose to make the campaign public, not who its members are.
 */
export function CampaignPage({
  ctx,
  page,
  errors = {},
  errorsAt = 'leader',
  values = {},
}: {
  ctx: PageContext;
  page: PageData;
  errors?: FieldErrors;
  /** Which form the errors are about. */
  errorsAt?: 'sign' | 'leader';
  values?: Record<string, string>;
}) {
  const { t } = ctx;
  const { access, campaign, updates, signers } = page;
  const leader = canWriteCampaigns(access);
  const anonymousCount = Math.max(campaign.signatureCount - signers.length, 0);
  return (
    <Layout
      ctx={ctx}
      title={campaign.title}
      description={campaign.callToAction}
      indexable={isIndexable(access, campaign)}
      canonicalPath={campaignUrl(campaign.slug)}
    >
      <article aria-labelledby="campaign-title">
        <h1 id="campaign-title">{campaign.title}</h1>
        <p class="meta">
          {showsGroup(access) ? (
            <>
              {t('campaigns.byGroup')} <a href={`/g/${access.group.slug}`}>{access.group.name}</a>
            </>
          ) : (
            t('campaigns.byPrivateGroup')
          )}
          {campaign.status !== 'published' ? (
            <>
              {' '}
              <Status ctx={ctx} status={campaign.status} />
            </>
          ) : null}
        </p>
        {campaign.status === 'draft' ? <p class="notice">{t('campaigns.previewNote')}</p> : null}
        <p class="lede">
          <strong>{campaign.callToAction}</strong>
        </p>
        {campaign.actionUrl ? (
          <p>
            <a href={campaign.actionUrl} rel="nofollow noopener noreferrer">
              {t('campaigns.actionLink')}
            </a>{' '}
            <span class="meta">({new URL(campaign.actionUrl).host})</span>
          </p>
        ) : null}
        {campaign.eventAt ? (
          <p>
            {t('campaigns.event')} <DateTime ctx={ctx} date={campaign.eventAt} />{' '}
            <span class="meta">({ctx.timeZone})</span>
          </p>
        ) : null}
        {/* Sanitised by renderMarkdown when it was saved. */}
        <div class="prose" dangerouslySetInnerHTML={{ __html: campaign.statementHtml }} />
      </article>
      <section class="panel" aria-labelledby="signatures-heading">
        <h2 id="signatures-heading">{t('campaigns.signatures.heading')}</h2>
        <p>{t('campaigns.signatureCount', { count: campaign.signatureCount })}</p>
        {signers.length > 0 ? (
          <ul class="tags" aria-label={t('campaigns.signatures.names')}>
            {signers.map((name, i) => (
              <li key={i}>{name}</li>
            ))}
          </ul>
        ) : null}
        {anonymousCount > 0 ? (
          <p class="meta">{t('campaigns.signatures.anonymous', { count: anonymousCount })}</p>
        ) : null}
      </section>
      {campaign.status !== 'draft' && (campaign.signable || page.mine) ? (
        <SignSection ctx={ctx} page={page} errors={errorsAt === 'sign' ? errors : {}} />
      ) : null}
      {updates.length > 0 ? (
        <section class="panel" aria-labelledby="updates-heading">
          <h2 id="updates-heading">{t('campaigns.updates.heading')}</h2>
          {updates.map((u) => (
            <article key={u.id} aria-labelledby={`update-${u.id}`}>
              <h3 id={`update-${u.id}`}>
                <DateTime ctx={ctx} date={u.createdAt} />
              </h3>
              <div class="prose" dangerouslySetInnerHTML={{ __html: u.bodyHtml }} />
            </article>
          ))}
        </section>
      ) : null}
      {leader ? (
        <LeaderActions
          ctx={ctx}
          access={access}
          campaign={campaign}
          errors={errorsAt === 'leader' ? errors : {}}
          values={values}
        />
      ) : null}
    </Layout>
  );
}
