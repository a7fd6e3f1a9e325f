import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, errorMessage, FormErrors, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { renderMarkdown } from '../../platform/views/markdown.js';
import { formatDateTime } from '../../platform/views/time.js';
import { GroupHeader, type GroupAccess } from '../groups/index.js';
import { canEditAgreements, hasAgreements, mustAcceptAgreements, standingOf } from './policy.js';
import type { GroupAgreements } from './schema.js';

/**
 * "I accept the group's agreements", with a link to read them, for every form that lets someone
 * in (joining, applying, an invitation, paying). Nothing when the group has no agreements. A page
 * with two such forms (the pay page: card and waiver) gives each its own `id`.
 */
export function AcceptAgreementsField({
  ctx,
  access,
  errors = {},
  checked = false,
  id = 'acceptAgreements',
}: {
  ctx: PageContext;
  access: GroupAccess;
  errors?: FieldErrors;
  checked?: boolean;
  id?: string;
}) {
  if (!hasAgreements(access)) return null;
  const { t } = ctx;
  const error = errors.acceptAgreements;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div class={error ? 'field choice field-error' : 'field choice'}>
      {error ? (
        <p class="error" id={errorId}>
          {errorMessage(ctx, error)}
        </p>
      ) : null}
      <input
        type="checkbox"
        id={`field-${id}`}
        name="acceptAgreements"
        value="on"
        checked={checked}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${hintId} ${errorId}` : hintId}
      />
      <label for={`field-${id}`}>{t('agreements.field.label')}</label>
      <p class="hint" id={hintId}>
        {t('agreements.field.hint')} <a href={`/g/${access.group.slug}/agreements`}>{t('agreements.field.linkText')}</a>
      </p>
    </div>
  );
}

/** On every page of a group, for a member who must accept changed agreements before posting. */
export function AgreementsBanner({ ctx, access }: { ctx: PageContext; access: GroupAccess }) {
  if (!mustAcceptAgreements(access)) return null;
  const { t } = ctx;
  return (
    <div class="notice agreements-banner" role="status">
      <p>
        {t('agreements.acceptAgain.banner')}{' '}
        <a href={`/g/${access.group.slug}/agreements`}>{t('agreements.acceptAgain.bannerLink')}</a>
      </p>
    </div>
  );
}

/** The short section of a group's about page that says it has agreements, and links to them. */
export function AgreementsAboutSection({ ctx, access }: { ctx: PageContext; access: GroupAccess }) {
  if (!hasAgreements(access)) return null;
  const { t } = ctx;
  return (
    <section class="panel" aria-labelledby="agreements-about-heading">
      <h2 id="agreements-about-heading">{t('agreements.about.heading')}</h2>
      <p>{t('agreements.about.text')}</p>
      <p>
        <a href={`/g/${access.group.slug}/agreements`}>{t('agreements.about.link')}</a>
      </p>
    </section>
  );
}

/** What someone who is not a member yet can do from the agreements: join, apply, pay. */
function JoinFromAgreements({
  ctx,
  access,
  errors,
  values,
}: {
  ctx: PageContext;
  access: GroupAccess;
  errors: FieldErrors;
  values: Record<string, string>;
}) {
  const { t } = ctx;
  const { group } = access;
  if (!ctx.viewer || access.membership || access.banned) return null;
  return (
    <section class="panel" aria-labelledby="join-heading" id="join">
      <h2 id="join-heading">{t('agreements.join.heading')}</h2>
      {group.joinPolicy === 'open' ? (
        <form method="post" action={`/g/${group.slug}/join`} novalidate>
          <CsrfField ctx={ctx} />
          <AcceptAgreementsField ctx={ctx} access={access} errors={errors} checked={values.acceptAgreements === 'on'} />
          <button type="submit" class="button">
            {t('agreements.join.submit')}
          </button>{' '}
          <a href={`/g/${group.slug}/name`}>{t('groups.name.joinUnderAlias')}</a>
        </form>
      ) : group.joinPolicy === 'approval' ? (
        <p>
          <a class="button" href={`/g/${group.slug}/apply`}>
            {t('agreements.join.apply')}
          </a>
        </p>
      ) : group.joinPolicy === 'paid' ? (
        <p>
          <a class="button" href={`/g/${group.slug}/pay`}>
            {t('agreements.join.pay')}
          </a>
        </p>
      ) : (
        <p>{t('agreements.join.invitationOnly')}</p>
      )}
    </section>
  );
}

/** A group's agreements, for anyone (as its about page is); members asked to accept them again do it here. */
export function AgreementsPage({
  ctx,
  access,
  agreements,
  next,
  errors = {},
  values = {},
}: {
  ctx: PageContext;
  access: GroupAccess;
  agreements: GroupAgreements | null;
  /** Where to go back to once accepted (a page of the site). */
  next: string | null;
  errors?: FieldErrors;
  values?: Record<string, string>;
}) {
  const { t } = ctx;
  const { group } = access;
  const written = agreements !== null && agreements.version > 0;
  const standing = standingOf(access);
  return (
    <Layout ctx={ctx} title={t('agreements.title', { name: group.name })}>
      <GroupHeader ctx={ctx} access={access} />
      <section class="panel" aria-labelledby="agreements-heading">
        <h2 id="agreements-heading">{t('agreements.heading')}</h2>
        <FormErrors ctx={ctx} errors={errors} />
        {written ? (
          <>
            <p>{t('agreements.intro')}</p>
            {/* Sanitised Markdown, rendered by renderMarkdown when the agreements were saved. */}
            <div class="prose" dangerouslySetInnerHTML={{ __html: agreements.bodyHtml }} />
            <p class="meta">
              {t('agreements.version', {
                version: agreements.version,
                date: formatDateTime(ctx, agreements.updatedAt),
              })}
            </p>
          </>
        ) : (
          <p>{t('agreements.none')}</p>
        )}
        {written && mustAcceptAgreements(access) ? (
          <form method="post" action={`/g/${group.slug}/agreements/accept`} class="panel">
            <CsrfField ctx={ctx} />
            {next ? <input type="hidden" name="next" value={next} /> : null}
            <h3>{t('agreements.acceptAgain.heading')}</h3>
            <p>{t('agreements.acceptAgain.text')}</p>
            <button type="submit" class="button">
              {t('agreements.acceptAgain.submit')}
            </button>
          </form>
        ) : written && access.membership && standing.accepted >= standing.version ? (
          <p class="meta">{t('agreements.accepted')}</p>
        ) : null}
        {canEditAgreements(access) ? (
          <p>
            <a href={`/g/${group.slug}/agreements/edit`}>{t('agreements.edit')}</a>
          </p>
        ) : null}
      </section>
      <JoinFromAgreements ctx={ctx} access={access} errors={errors} values={values} />
    </Layout>
  );
}

/** Writing the agreements and the welcome, for those who edit the group's settings. */
export function AgreementsEditPage({
  ctx,
  access,
  agreements,
  errors = {},
  values,
}: {
  ctx: PageContext;
  access: GroupAccess;
  agreements: GroupAgreements | null;
  errors?: FieldErrors;
  values?: Record<string, string>;
}) {
  const { t } = ctx;
  const { group } = access;
  const first = !agreements || agreements.version === 0;
  const v = values ?? {
    body: first ? t('agreements.template') : agreements.body,
    welcomeMessage: agreements?.welcomeMessage ?? '',
    monthlyReminder: agreements?.monthlyReminder ? 'on' : '',
    acceptAgain: '',
  };
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
  const area = (name: string, label: string, hint: string, rows: number, max: number) => {
    const error = errors[name];
    return (
      <div class={error ? 'field field-error' : 'field'}>
        <label for={`field-${name}`}>{label}</label>
        <p class="hint" id={`field-${name}-hint`}>
          {hint}
        </p>
        {error ? (
          <p class="error" id={`field-${name}-error`}>
            {errorMessage(ctx, error)}
          </p>
        ) : null}
        <textarea
          id={`field-${name}`}
          name={name}
          rows={rows}
          maxLength={max}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? `field-${name}-hint field-${name}-error` : `field-${name}-hint`}
        >
          {v[name] ?? ''}
        </textarea>
      </div>
    );
  };
  return (
    <Layout ctx={ctx} title={t('agreements.editPage.title')}>
      <GroupHeader ctx={ctx} access={access} />
      <section class="panel" aria-labelledby="agreements-edit-heading">
        <h2 id="agreements-edit-heading">{t('agreements.editPage.title')}</h2>
        <p>{t('agreements.editPage.intro')}</p>
        <FormErrors ctx={ctx} errors={errors} />
        <form method="post" action={`/g/${group.slug}/agreements/edit`} novalidate>
          <CsrfField ctx={ctx} />
          {area('body', t('agreements.editPage.body'), t('agreements.editPage.bodyHint'), 14, 20000)}
          {first ? (
            <p class="hint">{t('agreements.editPage.firstTime')}</p>
          ) : (
            check('acceptAgain', t('agreements.editPage.acceptAgain'), t('agreements.editPage.acceptAgainHint'))
          )}
          {area('welcomeMessage', t('agreements.editPage.welcome'), t('agreements.editPage.welcomeHint'), 5, 5000)}
          {check(
            'monthlyReminder',
            t('agreements.editPage.monthlyReminder'),
            t('agreements.editPage.monthlyReminderHint'),
          )}
          <button type="submit" class="button">
            {t('agreements.editPage.submit')}
          </button>
        </form>
      </section>
    </Layout>
  );
}

/** The welcome message as sanitised HTML: the group's own, or the site's when it wrote none. */
export function welcomeHtml(ctx: Pick<PageContext, 't'>, message: string | null | undefined): string {
  return renderMarkdown(message?.trim() ? message : ctx.t('agreements.welcome.default'));
}

/** A 'group_welcome' notification: the leaders' welcome (as the group has it now), and the way to the group. */
export function WelcomeNotification({
  ctx,
  n,
}: {
  ctx: PageContext;
  n: { id: number; group: { slug: string; name: string } | null; welcome?: string | null | undefined };
}) {
  const { t } = ctx;
  return (
    <>
      {n.group ? <p>{t('notifications.summary.groupWelcome', { group: n.group.name })}</p> : null}
      <p class="meta">{t('agreements.welcome.from')}</p>
      {/* Sanitised Markdown (renderMarkdown escapes any HTML the leaders typed). */}
      <blockquote class="prose welcome-message" dangerouslySetInnerHTML={{ __html: welcomeHtml(ctx, n.welcome) }} />
      {n.group ? (
        <p>
          <a href={`/notifications/${n.id}`}>{t('agreements.welcome.open')}</a>
        </p>
      ) : null}
    </>
  );
}

/** An 'agreements_changed' notification: what changed, and the way to read and accept them. */
export function AgreementsChangedNotification({
  ctx,
  n,
}: {
  ctx: PageContext;
  n: { id: number; group: { slug: string; name: string } | null };
}) {
  const { t } = ctx;
  if (!n.group) return <p>{t('agreements.acceptAgain.text')}</p>;
  return (
    <>
      <p>{t('agreements.changed.text', { group: n.group.name })}</p>
      <p>
        <a href={`/notifications/${n.id}`}>{t('agreements.changed.open')}</a>
      </p>
    </>
  );
}
