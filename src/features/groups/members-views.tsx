import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, Field, FormErrors, PostButton, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { RelativeTime } from '../../platform/views/time.js';
import type { AuditRow } from './audit.js';
import type { NoteRow } from './leadership.js';
import type { BanRow } from './membership.js';
import { canManage, canModerate, canTakePart, canVerifyCredentials, isLeader, type GroupAccess } from './policy.js';
import type { MemberRow } from './service.js';
import { GroupHeader } from './views.js';

/** "Send a private message", by the name the group knows them by (src/features/messages holds the rest). */
function MessageMember({ ctx, slug, name }: { ctx: PageContext; slug: string; name: string }) {
  const href = `/messages/new?to=${encodeURIComponent(name)}&group=${encodeURIComponent(slug)}`;
  return (
    <a href={href} aria-label={ctx.t('messages.sendLinkLabel', { name })}>
      {ctx.t('messages.sendLink')}
    </a>
  );
}

/** "Block", by the name the group knows them by (src/features/blocking holds the rest). */
function BlockMember({ ctx, path, name }: { ctx: PageContext; path: string; name: string }) {
  return (
    <form method="post" action={`${path}/block`} class="inline-form">
      <CsrfField ctx={ctx} />
      <button type="submit" class="link-button" aria-label={ctx.t('blocking.blockLabel', { name })}>
        {ctx.t('blocking.block')}
      </button>
    </form>
  );
}

export function MembersPage({
  ctx,
  access,
  members,
  facilitators,
  bans,
  errors = {},
}: {
  ctx: PageContext;
  access: GroupAccess;
  members: MemberRow[];
  facilitators: MemberRow[];
  bans: BanRow[];
  errors?: FieldErrors;
}) {
  const { t } = ctx;
  const manage = canManage(access);
  const moderate = canModerate(access);
  // Members may block one another from here (src/features/blocking), by the name shown.
  const blocks = canTakePart(access);
  const leader = isLeader(access);
  const { group } = access;
  const roles =
    group.leadership === 'professional'
      ? (['member', 'moderator', 'facilitator', 'owner'] as const)
      : (['member', 'moderator', 'owner'] as const);
  const base = `/g/${group.slug}/members`;
  const mine = facilitators.find((f) => f.self);
  return (
    <Layout ctx={ctx} title={t('groups.members.title', { name: group.name })}>
      <GroupHeader ctx={ctx} access={access} />
      <FormErrors ctx={ctx} errors={errors} />
      {facilitators.length ? (
        <section class="panel" aria-labelledby="facilitators-heading">
          <h2 id="facilitators-heading">{t('groups.facilitators.heading')}</h2>
          <ul class="plain-list">
            {facilitators.map((f) => (
              <li key={f.name}>
                <strong>{f.name}</strong>
                {f.credential ? ` · ${f.credential}` : ''}{' '}
                <span class={f.verified ? 'badge' : 'badge badge-warning'}>
                  {f.verified ? t('groups.facilitators.verified') : t('groups.facilitators.unverified')}
                </span>{' '}
                {!f.verified && f.credential && canVerifyCredentials(access) ? (
                  <PostButton
                    ctx={ctx}
                    action={`${base}/${encodeURIComponent(f.name)}/verify`}
                    label={t('groups.facilitators.verify')}
                    className="button button-small button-secondary"
                  />
                ) : null}
              </li>
            ))}
          </ul>
          {mine ? (
            <form method="post" action={`/g/${group.slug}/credential`} novalidate>
              <CsrfField ctx={ctx} />
              <Field
                ctx={ctx}
                name="credential"
                label={t('groups.facilitators.yourCredential')}
                hint={t('groups.facilitators.credentialHint')}
                errors={errors}
                value={mine.credential ?? ''}
              />
              <button type="submit" class="button button-secondary">
                {t('groups.facilitators.saveCredential')}
              </button>
            </form>
          ) : null}
        </section>
      ) : null}
      <section class="panel" aria-labelledby="members-heading">
        <h2 id="members-heading">{t('groups.members.heading')}</h2>
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('groups.members.name')}</th>
              <th scope="col">{t('groups.members.role')}</th>
              {moderate || blocks ? <th scope="col">{t('groups.members.actions')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {members.map((m, i) => {
              const path = `${base}/${encodeURIComponent(m.name)}`;
              const self = m.self;
              return (
                <tr key={m.name}>
                  <td>
                    {m.name}
                    {m.hidden && moderate ? <span class="muted"> ({t('accounts.settings.hiddenMember')})</span> : null}
                  </td>
                  <td>{t(`groups.roles.${m.role}`)}</td>
                  {blocks && !moderate ? (
                    <td>
                      {self ? null : (
                        <>
                          <MessageMember ctx={ctx} slug={group.slug} name={m.name} />{' '}
                          <BlockMember ctx={ctx} path={path} name={m.name} />
                        </>
                      )}
                    </td>
                  ) : null}
                  {moderate ? (
                    <td>
                      {blocks && !self ? (
                        <>
                          <MessageMember ctx={ctx} slug={group.slug} name={m.name} />{' '}
                          <BlockMember ctx={ctx} path={path} name={m.name} />
                        </>
                      ) : null}{' '}
                      {manage ? (
                        <form method="post" action={`${path}/role`} class="inline-form">
                          <CsrfField ctx={ctx} />
                          <label for={`role-${i}`} class="visually-hidden">
                            {t('groups.members.roleFor', { pseudonym: m.name })}
                          </label>
                          <select id={`role-${i}`} name="role">
                            {roles.map((r) => (
                              <option key={r} value={r} selected={m.role === r}>
                                {t(`groups.roles.${r}`)}
                              </option>
                            ))}
                          </select>{' '}
                          <button type="submit" class="button button-small button-secondary">
                            {t('groups.members.save')}
                          </button>
                        </form>
                      ) : null}{' '}
                      {!self && (m.role === 'member' || manage) ? (
                        <a href={`${path}/remove`}>{t('groups.members.remove')}</a>
                      ) : null}{' '}
                      {leader ? <a href={`${path}/notes`}>{t('groups.members.notes')}</a> : null}
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
        {moderate && !manage ? <p class="hint">{t('groups.members.ownerOnly')}</p> : null}
      </section>
      {moderate && bans.length ? (
        <section class="panel" aria-labelledby="bans-heading">
          <h2 id="bans-heading">{t('groups.bans.heading')}</h2>
          <ul class="plain-list">
            {bans.map((b, i) => (
              <li key={i}>
                <strong>{b.name ?? t('groups.bans.anonymousAuthor', { post: b.anonymousPostId ?? 0 })}</strong> ·{' '}
                {b.reason} · <RelativeTime ctx={ctx} date={b.createdAt} />{' '}
                <PostButton
                  ctx={ctx}
                  action={
                    b.name === null
                      ? `/g/${group.slug}/bans/anonymous/${b.anonymousPostId}/lift`
                      : `/g/${group.slug}/bans/${encodeURIComponent(b.name)}/lift`
                  }
                  label={t('groups.bans.lift')}
                  className="link-button"
                />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </Layout>
  );
}

export function RemoveMemberPage({
  ctx,
  access,
  name,
  errors = {},
  values = {},
}: {
  ctx: PageContext;
  access: GroupAccess;
  /** The person's name in the group. */
  name: string;
  errors?: FieldErrors;
  values?: Record<string, string>;
}) {
  const { t } = ctx;
  const { group } = access;
  const path = `/g/${group.slug}/members/${encodeURIComponent(name)}/remove`;
  return (
    <Layout ctx={ctx} title={t('groups.remove.title', { pseudonym: name })}>
      <section class="panel narrow">
        <h1>{t('groups.remove.title', { pseudonym: name })}</h1>
        <p>{t('groups.remove.intro', { name: group.name })}</p>
        <FormErrors ctx={ctx} errors={errors} />
        <form method="post" action={path} novalidate>
          <CsrfField ctx={ctx} />
          <Field
            ctx={ctx}
            name="reason"
            label={t('groups.remove.reason')}
            hint={t('groups.remove.reasonHint')}
            errors={errors}
            value={values.reason}
            multiline
            rows={3}
            required
          />
          <div class="choice">
            <input
              type="checkbox"
              id="field-ban"
              name="ban"
              checked={values.ban === 'on'}
              aria-describedby="ban-hint"
            />
            <label for="field-ban">{t('groups.remove.ban')}</label>
            <p class="hint" id="ban-hint">
              {t('groups.remove.banHint')}
            </p>
          </div>
          <button type="submit" class="button button-danger">
            {t('groups.remove.submit')}
          </button>{' '}
          <a href={`/g/${group.slug}/members`}>{t('forum.cancel')}</a>
        </form>
      </section>
    </Layout>
  );
}

export function NotesPage({
  ctx,
  access,
  name,
  notes,
  errors = {},
  values = {},
}: {
  ctx: PageContext;
  access: GroupAccess;
  /** The person's name in the group. */
  name: string;
  notes: NoteRow[];
  errors?: FieldErrors;
  values?: Record<string, string>;
}) {
  const { t } = ctx;
  const { group } = access;
  return (
    <Layout ctx={ctx} title={t('groups.notes.title', { pseudonym: name })}>
      <p class="breadcrumb">
        <a href={`/g/${group.slug}/members`}>{group.name}</a>
      </p>
      <h1>{t('groups.notes.title', { pseudonym: name })}</h1>
      <p>{t('groups.notes.private')}</p>
      {notes.length === 0 ? <p class="empty">{t('groups.notes.none')}</p> : null}
      {notes.map((n) => (
        <article
          class="panel"
          key={n.id}
          aria-label={t('groups.notes.by', { name: n.author ?? t('forum.formerMember') })}
        >
          <p class="meta">
            {n.author ?? t('forum.formerMember')} · <RelativeTime ctx={ctx} date={n.createdAt} />
          </p>
          <p class="source">{n.body}</p>
        </article>
      ))}
      <section class="panel" aria-labelledby="add-note">
        <h2 id="add-note">{t('groups.notes.add')}</h2>
        <FormErrors ctx={ctx} errors={errors} />
        <form method="post" action={`/g/${group.slug}/members/${encodeURIComponent(name)}/notes`} novalidate>
          <CsrfField ctx={ctx} />
          <Field
            ctx={ctx}
            name="body"
            label={t('groups.notes.body')}
            errors={errors}
            value={values.body}
            multiline
            rows={4}
          />
          <button type="submit" class="button">
            {t('groups.notes.submit')}
          </button>
        </form>
      </section>
    </Layout>
  );
}

export function AuditPage({ ctx, access, entries }: { ctx: PageContext; access: GroupAccess; entries: AuditRow[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('groups.audit.title', { name: access.group.name })}>
      <GroupHeader ctx={ctx} access={access} />
      <h2>{t('groups.audit.heading')}</h2>
      {entries.length === 0 ? <p class="empty">{t('groups.audit.none')}</p> : null}
      <table class="table">
        <thead>
          <tr>
            <th scope="col">{t('groups.audit.when')}</th>
            <th scope="col">{t('groups.audit.who')}</th>
            <th scope="col">{t('groups.audit.what')}</th>
            <th scope="col">{t('groups.audit.why')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td>
                <RelativeTime ctx={ctx} date={e.createdAt} />
              </td>
              <td>
                {e.actor ?? (e.action === 'auto_hide_post' ? t('groups.audit.automatic') : t('forum.formerMember'))}
              </td>
              <td>
                {t(`groups.audit.actions.${e.action}`)}
                {e.subject ? ` · ${e.subject}` : ''}
              </td>
              <td>{e.reason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}
