import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, errorMessage, FormErrors, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { AccountNav } from '../accounts/index.js';
import { canManage, GroupHeader } from '../groups/index.js';
import type { EmailChoices, GroupEmail, GroupListSettings, Unsubscribing } from './preferences.js';
import { listModes, type ListMode } from './schema.js';

function FieldError({ ctx, errors, name }: { ctx: PageContext; errors: FieldErrors; name: string }) {
  const error = errors[name];
  return error ? (
    <p class="error" id={`field-${name}-error`}>
      {errorMessage(ctx, error)}
    </p>
  ) : null;
}

/** The four choices, as radio buttons with a line each on what they mean. */
function ModeChoice({
  ctx,
  name,
  legend,
  value,
  errors,
}: {
  ctx: PageContext;
  name: string;
  legend: string;
  value: string;
  errors: FieldErrors;
}) {
  const { t } = ctx;
  return (
    <fieldset class={errors[name] ? 'field field-error' : 'field'}>
      <legend>{legend}</legend>
      <FieldError ctx={ctx} errors={errors} name={name} />
      {listModes.map((mode) => {
        const id = `${name}-${mode}`;
        return (
          <div class="choice" key={mode}>
            <input
              type="radio"
              id={id}
              name={name}
              value={mode}
              checked={value === mode}
              aria-describedby={`${id}-hint`}
            />
            <label for={id}>{t(`mailLists.modes.${mode}`)}</label>
            <p class="hint" id={`${id}-hint`}>
              {t(`mailLists.modeHints.${mode}`)}
            </p>
          </div>
        );
      })}
    </fieldset>
  );
}

function Checkbox({ id, name, checked, label }: { id: string; name: string; checked: boolean; label: string }) {
  return (
    <div class="field">
      <label class="choice" for={id}>
        <input type="checkbox" id={id} name={name} checked={checked} /> <span>{label}</span>
      </label>
    </div>
  );
}

/** "Email is paused": why, and the button that starts it again. */
function PausedPanel({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  return (
    <section class="panel" aria-labelledby="paused-heading">
      <h2 id="paused-heading">{t('mailLists.paused.heading')}</h2>
      <p>{t('mailLists.paused.explain')}</p>
      <form method="post" action="/account/email/resume">
        <CsrfField ctx={ctx} />
        <button type="submit" class="button">
          {t('mailLists.paused.resume')}
        </button>
      </form>
    </section>
  );
}

function UnverifiedNote({ ctx }: { ctx: PageContext }) {
  return (
    <p class="notice">
      {ctx.t('mailLists.account.unverified')} <a href="/account">{ctx.t('accounts.nav.account')}</a>
    </p>
  );
}

const hourLabel = (locale: string, hour: number) =>
  new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }).format(
    Date.UTC(2024, 0, 1, hour),
  );
// 7 January 2024 was a Sunday: day 0, as mail_settings counts them.
const weekdayLabel = (locale: string, day: number) =>
  new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(Date.UTC(2024, 0, 7 + day));

/** /account/email: every group's choice, and when digests arrive. */
export function AccountEmailPage({
  ctx,
  choices,
  errors = {},
  values,
}: {
  ctx: PageContext;
  choices: EmailChoices;
  errors?: FieldErrors;
  values?: Record<string, string> | undefined;
}) {
  const { t } = ctx;
  const modeOf = (id: number, saved: ListMode) => (values ? (values[`mode-${id}`] ?? '') : saved);
  const newslettersOf = (id: number, saved: boolean) => (values ? values[`newsletters-${id}`] === 'on' : saved);
  const hour = values ? (values.digestHour ?? '') : String(choices.digestHour);
  const weekday = values ? (values.digestWeekday ?? '') : String(choices.digestWeekday);
  return (
    <Layout ctx={ctx} title={t('mailLists.account.title')}>
      <h1>{t('mailLists.account.title')}</h1>
      <AccountNav ctx={ctx} />
      {choices.pausedAt ? <PausedPanel ctx={ctx} /> : null}
      {choices.verified ? null : <UnverifiedNote ctx={ctx} />}
      <p>{t('mailLists.account.intro')}</p>
      <FormErrors ctx={ctx} errors={errors} />
      <form method="post" action="/account/email" novalidate>
        <CsrfField ctx={ctx} />
        <section class="panel" aria-labelledby="groups-heading">
          <h2 id="groups-heading">{t('mailLists.account.groupsHeading')}</h2>
          {choices.groups.length === 0 ? <p class="empty">{t('mailLists.account.noGroups')}</p> : null}
          {choices.groups.map((g) => (
            <div key={g.groupId} class="field">
              <h3>
                <a href={`/g/${g.slug}`}>{g.name}</a>
              </h3>
              <ModeChoice
                ctx={ctx}
                name={`mode-${g.groupId}`}
                legend={t('mailLists.account.mode', { group: g.name })}
                value={modeOf(g.groupId, g.mode)}
                errors={errors}
              />
              <Checkbox
                id={`newsletters-${g.groupId}`}
                name={`newsletters-${g.groupId}`}
                checked={newslettersOf(g.groupId, g.newsletters)}
                label={t('mailLists.account.newsletters', { group: g.name })}
              />
            </div>
          ))}
        </section>
        <section class="panel" aria-labelledby="timing-heading">
          <h2 id="timing-heading">{t('mailLists.account.timingHeading')}</h2>
          <div class={errors.digestHour ? 'field field-error' : 'field'}>
            <label for="field-digestHour">{t('mailLists.account.hour')}</label>
            <p class="hint" id="field-digestHour-hint">
              {t('mailLists.account.hourHint', { zone: ctx.timeZone.replace(/_/g, ' ') })}
            </p>
            <FieldError ctx={ctx} errors={errors} name="digestHour" />
            <select id="field-digestHour" name="digestHour" aria-describedby="field-digestHour-hint">
              {Array.from({ length: 24 }, (_, h) => (
                <option key={h} value={String(h)} selected={hour === String(h)}>
                  {hourLabel(ctx.locale, h)}
                </option>
              ))}
            </select>
          </div>
          <div class={errors.digestWeekday ? 'field field-error' : 'field'}>
            <label for="field-digestWeekday">{t('mailLists.account.weekday')}</label>
            <FieldError ctx={ctx} errors={errors} name="digestWeekday" />
            <select id="field-digestWeekday" name="digestWeekday">
              {Array.from({ length: 7 }, (_, d) => (
                <option key={d} value={String(d)} selected={weekday === String(d)}>
                  {weekdayLabel(ctx.locale, d)}
                </option>
              ))}
            </select>
          </div>
        </section>
        <button type="submit" class="button">
          {t('mailLists.account.submit')}
        </button>
      </form>
    </Layout>
  );
}

/** /g/:slug/email: the member's choice for this group, and how to write to it. */
export function GroupEmailPage({
  ctx,
  email,
  groupAddress,
  errors = {},
  values,
}: {
  ctx: PageContext;
  email: GroupEmail;
  groupAddress: string;
  errors?: FieldErrors;
  values?: Record<string, string> | undefined;
}) {
  const { t } = ctx;
  const { access } = email;
  const { group } = access;
  return (
    <Layout ctx={ctx} title={t('mailLists.group.title', { group: group.name })}>
      <GroupHeader ctx={ctx} access={access} />
      <section class="panel" aria-labelledby="email-heading">
        <h2 id="email-heading">{t('mailLists.group.title', { group: group.name })}</h2>
        {email.verified ? null : <UnverifiedNote ctx={ctx} />}
        <p>{t('mailLists.group.intro')}</p>
        <FormErrors ctx={ctx} errors={errors} />
        <form method="post" action={`/g/${group.slug}/email`} novalidate>
          <CsrfField ctx={ctx} />
          <ModeChoice
            ctx={ctx}
            name="mode"
            legend={t('mailLists.account.mode', { group: group.name })}
            value={values ? (values.mode ?? '') : email.mode}
            errors={errors}
          />
          <Checkbox
            id="field-newsletters"
            name="newsletters"
            checked={values ? values.newsletters === 'on' : email.newsletters}
            label={t('mailLists.account.newsletters', { group: group.name })}
          />
          <button type="submit" class="button">
            {t('mailLists.group.submit')}
          </button>
        </form>
        <p>{t('mailLists.group.replyByEmail')}</p>
        {email.postByEmail ? <p>{t('mailLists.group.postByEmail', { address: groupAddress })}</p> : null}
        <p>
          <a href="/account/email">{t('mailLists.group.allGroups')}</a>
          {canManage(access) ? (
            <>
              {' · '}
              <a href={`/g/${group.slug}/email/settings`}>{t('mailLists.group.manage')}</a>
            </>
          ) : null}
        </p>
      </section>
    </Layout>
  );
}

/** /g/:slug/email/settings: the group's list, for those who manage the group. */
export function ListSettingsPage({
  ctx,
  settings,
  groupAddress,
  errors = {},
  values,
}: {
  ctx: PageContext;
  settings: GroupListSettings;
  groupAddress: string;
  errors?: FieldErrors;
  values?: Record<string, string> | undefined;
}) {
  const { t } = ctx;
  const { access } = settings;
  const { group } = access;
  const v = values
    ? {
        defaultMode: values.defaultMode ?? '',
        postByEmail: values.postByEmail === 'on',
        newsletterArchivePublic: values.newsletterArchivePublic === 'on',
      }
    : settings;
  return (
    <Layout ctx={ctx} title={`${t('mailLists.groupSettings.title')} · ${group.name}`}>
      <GroupHeader ctx={ctx} access={access} />
      <section class="panel" aria-labelledby="list-heading">
        <h2 id="list-heading">{t('mailLists.groupSettings.title')}</h2>
        <p>{t('mailLists.groupSettings.intro', { group: group.name })}</p>
        <FormErrors ctx={ctx} errors={errors} />
        <form method="post" action={`/g/${group.slug}/email/settings`} novalidate>
          <CsrfField ctx={ctx} />
          <ModeChoice
            ctx={ctx}
            name="defaultMode"
            legend={t('mailLists.groupSettings.defaultMode')}
            value={v.defaultMode}
            errors={errors}
          />
          <p class="hint">{t('mailLists.groupSettings.defaultModeHint')}</p>
          <div class="field">
            <div class="choice">
              <input
                type="checkbox"
                id="field-postByEmail"
                name="postByEmail"
                checked={v.postByEmail}
                aria-describedby="field-postByEmail-hint"
              />
              <label for="field-postByEmail">{t('mailLists.groupSettings.postByEmail')}</label>
              <p class="hint" id="field-postByEmail-hint">
                {t('mailLists.groupSettings.postByEmailHint', { address: groupAddress })}
              </p>
            </div>
          </div>
          {group.visibility === 'public' ? (
            <div class={errors.newsletterArchivePublic ? 'field field-error' : 'field'}>
              <FieldError ctx={ctx} errors={errors} name="newsletterArchivePublic" />
              <div class="choice">
                <input
                  type="checkbox"
                  id="field-newsletterArchivePublic"
                  name="newsletterArchivePublic"
                  checked={v.newsletterArchivePublic}
                  aria-describedby="field-newsletterArchivePublic-hint"
                />
                <label for="field-newsletterArchivePublic">{t('mailLists.groupSettings.archivePublic')}</label>
                <p class="hint" id="field-newsletterArchivePublic-hint">
                  {t('mailLists.groupSettings.archivePublicHint')}
                </p>
              </div>
            </div>
          ) : (
            <>
              <FieldError ctx={ctx} errors={errors} name="newsletterArchivePublic" />
              <p class="hint">{t('mailLists.groupSettings.archiveMembersOnly')}</p>
            </>
          )}
          <button type="submit" class="button">
            {t('mailLists.groupSettings.submit')}
          </button>
        </form>
      </section>
    </Layout>
  );
}

/** The page an unsubscribe link opens: the group's name and one button (no login needed). */
export function UnsubscribePage({ ctx, found }: { ctx: PageContext; found: Unsubscribing }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('mailLists.unsubscribe.title', { group: found.name })}>
      <h1>{t('mailLists.unsubscribe.title', { group: found.name })}</h1>
      {found.member ? (
        // No action: the form posts back to the link it came from, so the page never repeats the
        // token (which names the member) in its own text.
        <form method="post">
          <p>{t('mailLists.unsubscribe.confirm', { group: found.name })}</p>
          <button type="submit" class="button">
            {t('mailLists.unsubscribe.button')}
          </button>
        </form>
      ) : (
        <p>{t('mailLists.unsubscribe.gone', { group: found.name })}</p>
      )}
    </Layout>
  );
}

export function UnsubscribedPage({ ctx, found }: { ctx: PageContext; found: Unsubscribing }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('mailLists.unsubscribe.doneTitle')}>
      <h1>{t('mailLists.unsubscribe.doneTitle')}</h1>
      {found.member ? (
        <>
          <p role="status">{t('mailLists.unsubscribe.done', { group: found.name })}</p>
          <p>
            <a href={`/g/${found.slug}/email`}>{t('mailLists.unsubscribe.undo', { group: found.name })}</a>
          </p>
        </>
      ) : (
        <p>{t('mailLists.unsubscribe.gone', { group: found.name })}</p>
      )}
    </Layout>
  );
}
