import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, Field, FormErrors, PostButton, type FieldErrors } from '../../platform/views/forms.js';
import type { MessageKey } from '../../platform/views/i18n.js';
import { Layout } from '../../platform/views/layout.js';
import { AcceptAgreementsField } from '../agreements/index.js';
import { RelativeTime } from '../../platform/views/time.js';
import { AliasField } from './alias-views.js';
import type { ApplicationRow } from './applications.js';
import type { InvitationRow } from './invitations.js';
import type { GroupAccess } from './policy.js';
import type { Application } from './schema.js';
import { GroupHeader } from './views.js';

interface Base {
  ctx: PageContext;
  access: GroupAccess;
  errors?: FieldErrors;
  values?: Record<string, string>;
}

export function ApplyPage({
  ctx,
  access,
  application,
  errors = {},
  values = {},
}: Base & { application: Application | null }) {
  const { t } = ctx;
  const { group } = access;
  const questions = group.entryQuestions;
  return (
    <Layout ctx={ctx} title={t('groups.apply.title', { name: group.name })}>
      <GroupHeader ctx={ctx} access={access} />
      <section class="panel" aria-labelledby="apply-heading">
        <h2 id="apply-heading">{t('groups.apply.heading')}</h2>
        {access.membership ? (
          <p>
            {t('groups.apply.member')} <a href={`/g/${group.slug}`}>{t('groups.about.toDiscussions')}</a>
          </p>
        ) : application?.status === 'pending' ? (
          <>
            <p role="status">{t('groups.apply.pending')}</p>
            <PostButton ctx={ctx} action={`/g/${group.slug}/apply/withdraw`} label={t('groups.apply.withdraw')} />
          </>
        ) : (
          <>
            {application?.status === 'declined' ? (
              <div class="panel">
                <p>{t('groups.apply.declined')}</p>
                {application.decisionMessage ? <blockquote>{application.decisionMessage}</blockquote> : null}
              </div>
            ) : null}
            <p>{questions.length ? t('groups.apply.introQuestions') : t('groups.apply.intro')}</p>
            <FormErrors ctx={ctx} errors={errors} />
            <form method="post" action={`/g/${group.slug}/apply`} novalidate>
              <CsrfField ctx={ctx} />
              {questions.map((q, i) => {
                const error = errors[`answer-${i}`];
                return (
                  <div class={error ? 'field field-error' : 'field'} key={i}>
                    <label for={`answer-${i}`}>{q}</label>
                    {error ? (
                      <p class="error" id={`answer-${i}-error`}>
                        {t(error as MessageKey)}
                      </p>
                    ) : null}
                    <textarea
                      id={`answer-${i}`}
                      name="answers"
                      rows={3}
                      maxLength={2000}
                      aria-invalid={error ? 'true' : undefined}
                      aria-describedby={error ? `answer-${i}-error` : undefined}
                    >
                      {values[`answer-${i}`] ?? ''}
                    </textarea>
                  </div>
                );
              })}
              <AliasField ctx={ctx} errors={errors} value={values.alias ?? access.alias ?? ''} />
              <AcceptAgreementsField
                ctx={ctx}
                access={access}
                errors={errors}
                checked={values.acceptAgreements === 'on'}
              />
              <button type="submit" class="button">
                {t('groups.apply.submit')}
              </button>
            </form>
          </>
        )}
      </section>
    </Layout>
  );
}

export function ApplicationsPage({
  ctx,
  access,
  applications,
  errors = {},
}: Base & { applications: ApplicationRow[] }) {
  const { t } = ctx;
  const { group } = access;
  return (
    <Layout ctx={ctx} title={t('groups.applications.title', { name: group.name })}>
      <GroupHeader ctx={ctx} access={access} />
      <h2>{t('groups.applications.heading')}</h2>
      <FormErrors ctx={ctx} errors={errors} />
      {applications.length === 0 ? <p class="empty">{t('groups.applications.none')}</p> : null}
      {applications.map((a) => (
        <article class="panel" key={a.id} aria-labelledby={`application-${a.id}`}>
          <h3 id={`application-${a.id}`}>
            {a.applicant}{' '}
            <span class="meta">
              · <RelativeTime ctx={ctx} date={a.createdAt} />
            </span>
          </h3>
          <dl class="facts">
            {a.questions.map((q, i) => (
              <>
                <dt>{q}</dt>
                <dd>{a.answers[i]}</dd>
              </>
            ))}
          </dl>
          <form method="post" action={`/applications/${a.id}/decision`}>
            <CsrfField ctx={ctx} />
            <div class="field">
              <label for={`message-${a.id}`}>{t('groups.applications.message')}</label>
              <p class="hint" id={`message-${a.id}-hint`}>
                {t('groups.applications.messageHint')}
              </p>
              <textarea id={`message-${a.id}`} name="message" rows={2} aria-describedby={`message-${a.id}-hint`} />
            </div>
            <div class="actions">
              <button type="submit" name="decision" value="approve" class="button">
                {t('groups.applications.approve')}
              </button>
              <button type="submit" name="decision" value="decline" class="button button-secondary">
                {t('groups.applications.decline')}
              </button>
            </div>
          </form>
        </article>
      ))}
    </Layout>
  );
}

export function InvitationsPage({
  ctx,
  access,
  invitations,
  created,
  errors = {},
  values = {},
}: Base & { invitations: InvitationRow[]; created?: { link: string; email: string | undefined } }) {
  const { t } = ctx;
  const { group } = access;
  return (
    <Layout ctx={ctx} title={t('groups.invitations.title', { name: group.name })}>
      <GroupHeader ctx={ctx} access={access} />
      <h2>{t('groups.invitations.heading')}</h2>
      {created ? (
        <div class="notice" role="status">
          <p>
            {created.email ? t('groups.invitations.sent', { email: created.email }) : t('groups.invitations.created')}
          </p>
          <p>
            <label for="invite-link">{t('groups.invitations.link')}</label>
            <input id="invite-link" type="text" readOnly value={created.link} class="copy-field" />
          </p>
        </div>
      ) : null}
      <section class="panel" aria-labelledby="new-invitation">
        <h3 id="new-invitation">{t('groups.invitations.new')}</h3>
        <FormErrors ctx={ctx} errors={errors} />
        <form method="post" action={`/g/${group.slug}/invitations`} novalidate>
          <CsrfField ctx={ctx} />
          <Field
            ctx={ctx}
            name="email"
            type="email"
            label={t('groups.invitations.email')}
            hint={t('groups.invitations.emailHint')}
            errors={errors}
            value={values.email}
          />
          <Field
            ctx={ctx}
            name="days"
            label={t('groups.invitations.days')}
            errors={errors}
            value={values.days ?? '14'}
          />
          <Field
            ctx={ctx}
            name="uses"
            label={t('groups.invitations.uses')}
            hint={t('groups.invitations.usesHint')}
            errors={errors}
            value={values.uses ?? '10'}
          />
          <button type="submit" class="button">
            {t('groups.invitations.submit')}
          </button>
        </form>
      </section>
      <section aria-labelledby="active-invitations">
        <h3 id="active-invitations">{t('groups.invitations.active')}</h3>
        {invitations.length === 0 ? <p class="empty">{t('groups.invitations.noneActive')}</p> : null}
        <ul class="plain-list">
          {invitations.map((i) => (
            <li key={i.id}>
              {i.email ?? t('groups.invitations.linkLabel', { id: i.id })} ·{' '}
              {t('groups.invitations.usage', { uses: i.uses, max: i.maxUses })} · {t('groups.invitations.expires')}{' '}
              <RelativeTime ctx={ctx} date={i.expiresAt} />{' '}
              <PostButton
                ctx={ctx}
                action={`/g/${group.slug}/invitations/${i.id}/revoke`}
                label={t('groups.invitations.revoke')}
                className="link-button"
              />
            </li>
          ))}
        </ul>
      </section>
    </Layout>
  );
}

export function InvitePage({ ctx, access, token, errors = {}, values = {} }: Base & { token: string }) {
  const { t } = ctx;
  const { group } = access;
  return (
    <Layout ctx={ctx} title={t('groups.invite.title', { name: group.name })}>
      <section class="panel narrow">
        <h1>{t('groups.invite.heading', { name: group.name })}</h1>
        <p class="lede">{group.summary}</p>
        <FormErrors ctx={ctx} errors={errors} />
        {ctx.viewer ? (
          <form method="post" action={`/invite/${encodeURIComponent(token)}`} novalidate>
            <CsrfField ctx={ctx} />
            <AliasField ctx={ctx} errors={errors} value={values.alias} />
            <AcceptAgreementsField
              ctx={ctx}
              access={access}
              errors={errors}
              checked={values.acceptAgreements === 'on'}
            />
            <button type="submit" class="button">
              {t('groups.invite.accept')}
            </button>
          </form>
        ) : (
          <p class="actions">
            <a class="button" href={`/login?next=${encodeURIComponent(`/invite/${token}`)}`}>
              {t('groups.invite.logIn')}
            </a>
            <a href="/signup">{t('groups.invite.signUp')}</a>
          </p>
        )}
      </section>
    </Layout>
  );
}

export function SettingsPage({ ctx, access, errors = {}, values }: Base) {
  const { t } = ctx;
  const { group } = access;
  const v = values ?? {
    joinPolicy: group.joinPolicy,
    listed: group.listed ? 'on' : '',
    entryQuestions: group.entryQuestions.join('\n'),
    allowedEmailDomain: group.allowedEmailDomain ?? '',
    preModeration: group.preModeration ? 'on' : '',
    approveFirstPosts: group.approveFirstPosts ? 'on' : '',
    slowModeMinutes: String(group.slowModeMinutes),
    closedToPosts: group.closedToPosts ? 'on' : '',
    flagHideThreshold: String(group.flagHideThreshold),
    anonymousPosts: group.anonymousPosts ? 'on' : '',
    facilitatorsReveal: group.facilitatorsReveal ? 'on' : '',
    facilitatorsMayMessage: group.facilitatorsMayMessage ? 'on' : '',
  };
  const policies = ['open', 'approval', 'invitation', 'paid'] as const;
  const check = (name: string, label: string, hint: string) => (
    <div class="choice">
      <input
        type="checkbox"
        id={`field-${name}`}
        name={name}
        checked={v[name] === 'on'}
        aria-describedby={`${name}-hint`}
      />
      <label for={`field-${name}`}>{label}</label>
      <p class="hint" id={`${name}-hint`}>
        {hint}
      </p>
    </div>
  );
  return (
    <Layout ctx={ctx} title={t('groups.settings.title', { name: group.name })}>
      <GroupHeader ctx={ctx} access={access} />
      <section class="panel">
        <h2>{t('groups.settings.heading')}</h2>
        <FormErrors ctx={ctx} errors={errors} />
        <form method="post" action={`/g/${group.slug}/settings`} novalidate>
          <CsrfField ctx={ctx} />
          <fieldset class="field">
            <legend>{t('groups.settings.joinPolicy')}</legend>
            {policies.map((p) => (
              <div class="choice" key={p}>
                <input
                  type="radio"
                  id={`joinPolicy-${p}`}
                  name="joinPolicy"
                  value={p}
                  checked={v.joinPolicy === p}
                  aria-describedby={`joinPolicy-${p}-hint`}
                />
                <label for={`joinPolicy-${p}`}>{t(`groups.settings.policies.${p}`)}</label>
                <p class="hint" id={`joinPolicy-${p}-hint`}>
                  {t(`groups.settings.policies.${p}Hint`)}
                </p>
              </div>
            ))}
          </fieldset>
          <Field
            ctx={ctx}
            name="entryQuestions"
            label={t('groups.settings.questions')}
            hint={t('groups.settings.questionsHint')}
            errors={errors}
            value={v.entryQuestions}
            multiline
            rows={5}
          />
          {check('listed', t('groups.settings.listed'), t('groups.settings.listedHint'))}
          {group.organisationId !== null ? (
            <Field
              ctx={ctx}
              name="allowedEmailDomain"
              label={t('groups.settings.domain')}
              hint={t('groups.settings.domainHint')}
              errors={errors}
              value={v.allowedEmailDomain}
            />
          ) : null}
          <h3>{t('groups.settings.discussion')}</h3>
          {check('preModeration', t('groups.settings.preModeration'), t('groups.settings.preModerationHint'))}
          {check(
            'approveFirstPosts',
            t('groups.settings.approveFirstPosts'),
            t('groups.settings.approveFirstPostsHint'),
          )}
          {check('closedToPosts', t('groups.settings.closed'), t('groups.settings.closedHint'))}
          <Field
            ctx={ctx}
            name="slowModeMinutes"
            label={t('groups.settings.slowMode')}
            hint={t('groups.settings.slowModeHint')}
            errors={errors}
            value={v.slowModeMinutes}
          />
          <Field
            ctx={ctx}
            name="flagHideThreshold"
            label={t('groups.settings.flagThreshold')}
            hint={t('groups.settings.flagThresholdHint')}
            errors={errors}
            value={v.flagHideThreshold}
          />
          <h3>{t('groups.settings.anonymity')}</h3>
          {check('anonymousPosts', t('groups.settings.anonymousPosts'), t('groups.settings.anonymousPostsHint'))}
          {group.leadership === 'professional'
            ? check(
                'facilitatorsReveal',
                t('groups.settings.facilitatorsReveal'),
                t('groups.settings.facilitatorsRevealHint'),
              )
            : null}
          {group.leadership === 'professional'
            ? check(
                'facilitatorsMayMessage',
                t('groups.settings.facilitatorsMayMessage'),
                t('groups.settings.facilitatorsMayMessageHint'),
              )
            : null}
          <button type="submit" class="button">
            {t('groups.settings.submit')}
          </button>
        </form>
      </section>
    </Layout>
  );
}
