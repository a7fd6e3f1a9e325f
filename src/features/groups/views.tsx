import type { ComponentChildren } from 'preact';
import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, Field, FormErrors, PostButton, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { AgreementsAboutSection, AgreementsBanner, hasAgreements } from '../agreements/index.js';
import { EntryProfileSummary, notIndexed, type EntryProfileView, type SearchPresence } from '../directory/index.js';
import {
  awaitsSecondFactor,
  canManage,
  canModerate,
  canReadDiscussions,
  canSeeMembers,
  isLapsed,
  isLeader,
  type GroupAccess,
} from './policy.js';
import { nameInGroup } from './aliases.js';
import type { Group } from './schema.js';
import { groupLanguages } from './service.js';

/** Language names in each locale, made once: building an Intl.DisplayNames costs more than a page. */
const languageNames = new Map<string, Intl.DisplayNames>();

function languageName(ctx: PageContext, code: string): string {
  try {
    let names = languageNames.get(ctx.locale);
    if (!names) {
      names = new Intl.DisplayNames([ctx.locale], { type: 'language' });
      languageNames.set(ctx.locale, names);
    }
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

export function LeadershipBadge({ ctx, group }: { ctx: PageContext; group: Group }) {
  return (
    <span class={`badge badge-${group.leadership}`}>
      {group.leadership === 'peer' ? ctx.t('groups.leadership.peer') : ctx.t('groups.leadership.professional')}
    </span>
  );
}

/** Where a list of groups sits in the page's outline: its cards' names are one heading level below. */
type CardHeading = 'h2' | 'h3';

/** One group in a list: name, summary, kind and size. */
export function GroupCard({ ctx, group, heading = 'h3' }: { ctx: PageContext; group: Group; heading?: CardHeading }) {
  const { t } = ctx;
  const Heading = heading;
  return (
    <li class="card">
      <Heading class="card-title">
        <a href={`/g/${group.slug}`}>{group.name}</a>
      </Heading>
      <p>{group.summary}</p>
      <p class="meta">
        <LeadershipBadge ctx={ctx} group={group} /> <span>{t('groups.memberCount', { count: group.memberCount })}</span>
        {' · '}
        <span>{languageName(ctx, group.language)}</span>
        {group.visibility === 'members' ? (
          <>
            {' · '}
            <span>{t('groups.visibility.membersShort')}</span>
          </>
        ) : null}
      </p>
      {group.tags.length ? (
        <ul class="tags" aria-label={t('groups.fields.tags')}>
          {group.tags.map((tag) => (
            <li key={tag}>{tag}</li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

export function GroupList({ ctx, groups, heading }: { ctx: PageContext; groups: Group[]; heading?: CardHeading }) {
  if (groups.length === 0) return <p class="empty">{ctx.t('groups.none')}</p>;
  return (
    <ul class="cards">
      {groups.map((g) => (
        <GroupCard key={g.id} ctx={ctx} group={g} heading={heading} />
      ))}
    </ul>
  );
}

export function HomePage({ ctx, newest, active }: { ctx: PageContext; newest: Group[]; active: Group[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('home.title')} description={t('home.description')} indexable>
      <section class="hero">
        <h1>{t('home.heading')}</h1>
        <p class="lede">{t('home.intro')}</p>
        <form method="get" action="/groups" role="search" class="home-search">
          <label for="home-q">{t('directory.homeSearch')}</label>
          <div class="search-row">
            <input type="search" id="home-q" name="q" maxLength={200} autocomplete="off" />
            <button type="submit">{t('directory.searchButton')}</button>
          </div>
        </form>
        <p class="actions">
          <a class="button" href="/groups">
            {t('home.findGroup')}
          </a>
          {ctx.viewer ? (
            <a class="button button-secondary" href="/groups/new">
              {t('home.startGroup')}
            </a>
          ) : (
            <a class="button button-secondary" href="/signup">
              {t('home.join')}
            </a>
          )}
        </p>
        <p>
          <a href="/find">{t('guided.homeLink')}</a>
        </p>
      </section>
      <section aria-labelledby="active-groups">
        <h2 id="active-groups">{t('home.active')}</h2>
        <GroupList ctx={ctx} groups={active} />
      </section>
      <section aria-labelledby="new-groups">
        <h2 id="new-groups">{t('home.newest')}</h2>
        <GroupList ctx={ctx} groups={newest} />
      </section>
    </Layout>
  );
}

/**
 * The fields that describe a group, shared by every form that starts or edits one (here and an
 * organisation's "start a group"). `defaults` pre-select leadership and visibility.
 */
export function GroupFields({
  ctx,
  errors,
  values,
  defaults = { leadership: 'peer', visibility: 'public' },
}: {
  ctx: PageContext;
  errors: FieldErrors;
  values: Record<string, string>;
  defaults?: { leadership: 'peer' | 'professional'; visibility: 'public' | 'members' };
}) {
  const { t } = ctx;
  const radio = (name: 'leadership' | 'visibility', value: string, label: string, hint: string) => (
    <div class="choice">
      <input
        type="radio"
        id={`${name}-${value}`}
        name={name}
        value={value}
        checked={(values[name] ?? defaults[name]) === value}
        aria-describedby={`${name}-${value}-hint`}
      />
      <label for={`${name}-${value}`}>{label}</label>
      <p class="hint" id={`${name}-${value}-hint`}>
        {hint}
      </p>
    </div>
  );
  return (
    <>
      <Field
        ctx={ctx}
        name="name"
        label={t('groups.fields.name')}
        errors={errors}
        value={values.name}
        required
        maxLength={80}
      />
      <Field
        ctx={ctx}
        name="summary"
        label={t('groups.fields.summary')}
        hint={t('groups.fields.summaryHint')}
        errors={errors}
        value={values.summary}
        required
        maxLength={200}
      />
      <Field
        ctx={ctx}
        name="description"
        label={t('groups.fields.description')}
        hint={t('groups.fields.descriptionHint')}
        errors={errors}
        value={values.description}
        multiline
      />
      <Field
        ctx={ctx}
        name="tags"
        label={t('groups.fields.tags')}
        hint={t('groups.fields.tagsHint')}
        errors={errors}
        value={values.tags}
      />
      <div class={errors.language ? 'field field-error' : 'field'}>
        <label for="field-language">{t('groups.fields.language')}</label>
        {errors.language ? <p class="error">{t('groups.errors.language')}</p> : null}
        <select id="field-language" name="language">
          {groupLanguages.map((code) => (
            <option key={code} value={code} selected={(values.language ?? ctx.locale) === code}>
              {languageName(ctx, code)}
            </option>
          ))}
        </select>
      </div>
      <fieldset class={errors.leadership ? 'field field-error' : 'field'}>
        <legend>{t('groups.fields.leadership')}</legend>
        {errors.leadership ? <p class="error">{t('groups.errors.leadership')}</p> : null}
        {radio('leadership', 'peer', t('groups.leadership.peer'), t('groups.leadership.peerHint'))}
        {radio(
          'leadership',
          'professional',
          t('groups.leadership.professional'),
          t('groups.leadership.professionalHint'),
        )}
      </fieldset>
      <fieldset class={errors.visibility ? 'field field-error' : 'field'}>
        <legend>{t('groups.fields.visibility')}</legend>
        {errors.visibility ? <p class="error">{t('groups.errors.visibility')}</p> : null}
        {radio('visibility', 'public', t('groups.visibility.public'), t('groups.visibility.publicHint'))}
        {radio('visibility', 'members', t('groups.visibility.members'), t('groups.visibility.membersHint'))}
      </fieldset>
    </>
  );
}

export function GroupFormPage({
  ctx,
  errors = {},
  values = {},
  slug,
}: {
  ctx: PageContext;
  errors?: FieldErrors;
  values?: Record<string, string>;
  slug?: string;
}) {
  const { t } = ctx;
  const title = slug ? t('groups.edit.title') : t('groups.new.title');
  return (
    <Layout ctx={ctx} title={title}>
      <section class="panel">
        <h1>{title}</h1>
        {slug ? (
          <p>
            <a href={`/g/${slug}/listing`}>{t('directorySettings.listing.link')}</a>
          </p>
        ) : (
          <p class="lede">{t('groups.new.intro')}</p>
        )}
        <FormErrors ctx={ctx} errors={errors} />
        <form method="post" action={slug ? `/g/${slug}/edit` : '/groups/new'} novalidate>
          <CsrfField ctx={ctx} />
          <GroupFields ctx={ctx} errors={errors} values={values} />
          <button type="submit" class="button">
            {slug ? t('groups.edit.submit') : t('groups.new.submit')}
          </button>
        </form>
      </section>
    </Layout>
  );
}

/** The top of every group page: what the group is, who leads it, and joining or leaving. */
/** How this person can come in: join, apply, pay, accept an invitation, or leave. */
function JoinAction({ ctx, access }: { ctx: PageContext; access: GroupAccess }) {
  const { t } = ctx;
  const { group } = access;
  if (!ctx.viewer) {
    return (
      <a class="button" href={`/login?next=${encodeURIComponent(`/g/${group.slug}`)}`}>
        {t('groups.logInToJoin')}
      </a>
    );
  }
  if (access.banned) return <p class="muted">{t('groups.errors.banned')}</p>;
  if (access.membership) {
    return (
      <>
        {isLapsed(access) ? (
          <a class="button" href={`/g/${group.slug}/pay`}>
            {t('groups.renew')}
          </a>
        ) : null}
        <PostButton ctx={ctx} action={`/g/${group.slug}/leave`} label={t('groups.leave')} />
      </>
    );
  }
  switch (group.joinPolicy) {
    case 'open':
      // With agreements, joining starts by reading them (and ticking "I accept") on their page.
      return (
        <>
          {hasAgreements(access) ? (
            <a class="button" href={`/g/${group.slug}/agreements#join`}>
              {t('groups.join')}
            </a>
          ) : (
            <PostButton ctx={ctx} action={`/g/${group.slug}/join`} label={t('groups.join')} className="button" />
          )}
          <a href={`/g/${group.slug}/name`}>{t('groups.name.joinUnderAlias')}</a>
        </>
      );
    case 'approval':
      return access.applying ? (
        <a href={`/g/${group.slug}/apply`}>{t('groups.apply.waiting')}</a>
      ) : (
        <a class="button" href={`/g/${group.slug}/apply`}>
          {t('groups.apply.link')}
        </a>
      );
    case 'paid':
      return (
        <a class="button" href={`/g/${group.slug}/pay`}>
          {t('groups.payToJoin')}
        </a>
      );
    case 'invitation':
      return <p class="muted">{t('groups.invitationOnly')}</p>;
  }
}

/**
 * The group's sections, as one navigation list that scrolls sideways on a narrow phone rather
 * than wrapping into a wall of links; the section being read is marked for screen readers.
 */
function GroupNav({ ctx, access }: { ctx: PageContext; access: GroupAccess }) {
  const { t } = ctx;
  const base = `/g/${access.group.slug}`;
  const readable = canReadDiscussions(access);
  const sections: { href: string; label: string; show: boolean }[] = [
    { href: base, label: t('groups.nav.discussions'), show: readable },
    { href: `${base}/meetings`, label: t('groups.nav.meetings'), show: readable },
    { href: `${base}/chat`, label: t('groups.nav.chat'), show: readable },
    { href: `${base}/waiting`, label: t('support.waiting.link'), show: readable },
    { href: `${base}/resources`, label: t('groups.resourcesLink'), show: readable },
    { href: `${base}/coping`, label: t('groups.copingLink'), show: readable },
    { href: `${base}/campaigns`, label: t('groups.campaignsLink'), show: readable },
    { href: `${base}/newsletters`, label: t('newsletters.link'), show: readable },
    { href: `${base}/members`, label: t('groups.membersLink'), show: canSeeMembers(access) },
    { href: `${base}/about`, label: t('groups.aboutLink'), show: true },
  ];
  // The longest matching section is the current one (/g/x/meetings/3 is under Meetings, not Discussions).
  const path = ctx.path.split('?')[0] ?? '';
  const current = sections
    .filter((s) => s.show && (path === s.href || path.startsWith(`${s.href}/`)))
    .sort((a, b) => b.href.length - a.href.length)[0];
  return (
    <nav class="group-nav" aria-label={t('groups.nav.label')}>
      <ul>
        {sections
          .filter((s) => s.show)
          .map((s) => (
            <li>
              <a href={s.href} aria-current={s === current ? 'page' : undefined}>
                {s.label}
              </a>
            </li>
          ))}
      </ul>
    </nav>
  );
}

export function GroupHeader({
  ctx,
  access,
  children,
}: {
  ctx: PageContext;
  access: GroupAccess;
  children?: ComponentChildren;
}) {
  const { t } = ctx;
  const { group, role } = access;
  return (
    <header class="group-header">
      <h1>{group.name}</h1>
      <p class="lede">{group.summary}</p>
      {access.organisation ? (
        <p class="meta">
          {t('groups.runBy')} <a href={`/o/${access.organisation.slug}`}>{access.organisation.name}</a>
        </p>
      ) : null}
      <p class="meta">
        <LeadershipBadge ctx={ctx} group={group} /> <span>{t('groups.memberCount', { count: group.memberCount })}</span>
        {' · '}
        <span>{languageName(ctx, group.language)}</span>
        {' · '}
        <span>
          {group.visibility === 'public' ? t('groups.visibility.publicShort') : t('groups.visibility.membersShort')}
        </span>
        {role ? (
          <>
            {' · '}
            <strong>{t(`groups.roles.you.${role}`)}</strong>
          </>
        ) : null}
      </p>
      {access.membership ? (
        <p class="meta">
          {t('groups.name.youAppearAs')} <strong>{nameInGroup(access)}</strong>{' '}
          <a href={`/g/${group.slug}/name`}>{t('groups.name.change')}</a>
        </p>
      ) : null}
      <div class="actions">
        <JoinAction ctx={ctx} access={access} />
        {access.membership && !access.banned ? (
          <a href={`/g/${group.slug}/email`}>{t('mailLists.group.link')}</a>
        ) : null}
        {canManage(access) ? <a href={`/g/${group.slug}/edit`}>{t('groups.editLink')}</a> : null}
      </div>
      <AgreementsBanner ctx={ctx} access={access} />
      <GroupNav ctx={ctx} access={access} />
      {canReadDiscussions(access) ? (
        <form
          method="get"
          action={`/g/${group.slug}/search`}
          role="search"
          aria-label={t('discussionSearch.searchThisGroupLabel')}
          class="group-search"
        >
          <label for="group-search-q" class="visually-hidden">
            {t('discussionSearch.searchThisGroupLabel')}
          </label>
          <input type="search" id="group-search-q" name="q" maxLength={200} />
          <button type="submit" class="button button-secondary">
            {t('discussionSearch.searchThisGroup')}
          </button>
        </form>
      ) : null}
      {canModerate(access) ? (
        <nav class="leader-nav" aria-label={t('groups.leaderNav.label')}>
          <a href={`/g/${group.slug}/applications`}>{t('groups.leaderNav.applications')}</a>
          <a href={`/g/${group.slug}/invitations`}>{t('groups.leaderNav.invitations')}</a>
          <a href={`/g/${group.slug}/review`}>{t('groups.leaderNav.review')}</a>
          <a href={`/g/${group.slug}/safety`}>{t('groups.leaderNav.safety')}</a>
          {isLeader(access) ? <a href={`/g/${group.slug}/audit`}>{t('groups.leaderNav.audit')}</a> : null}
          {isLeader(access) ? <a href={`/g/${group.slug}/health`}>{t('support.health.link')}</a> : null}
          {canManage(access) ? <a href={`/g/${group.slug}/settings`}>{t('groups.leaderNav.settings')}</a> : null}
          {canManage(access) ? <a href={`/g/${group.slug}/listing`}>{t('directorySettings.listing.link')}</a> : null}
          {canManage(access) ? <a href={`/g/${group.slug}/webhooks`}>{t('webhooks.link')}</a> : null}
          {canManage(access) ? <a href={`/g/${group.slug}/settings/files`}>{t('files.settings.link')}</a> : null}
          {canManage(access) && group.joinPolicy === 'paid' ? (
            <>
              <a href={`/g/${group.slug}/fees`}>{t('groups.leaderNav.fees')}</a>
              <a href={`/g/${group.slug}/payments`}>{t('groups.leaderNav.payments')}</a>
            </>
          ) : null}
        </nav>
      ) : null}
      {awaitsSecondFactor(access) ? (
        <p class="notice">
          {t('accounts.twoFactor.leaderHint')}{' '}
          <a href={`/account/two-factor?next=${encodeURIComponent(`/g/${group.slug}`)}`}>
            {t('accounts.twoFactor.turnOnNow')}
          </a>
        </p>
      ) : null}
      {children}
    </header>
  );
}

export function GroupAboutPage({
  ctx,
  access,
  seo = notIndexed,
  profile = null,
}: {
  ctx: PageContext;
  access: GroupAccess;
  /** Whether search engines may list the page (the group chose it), and its structured data. */
  seo?: SearchPresence;
  /** Topics, ways to take part, meetings and place, from the group's directory settings. */
  profile?: EntryProfileView | null;
}) {
  const { t } = ctx;
  const { group } = access;
  return (
    <Layout
      ctx={ctx}
      title={t('groups.about.title', { name: group.name })}
      description={group.summary}
      indexable={seo.indexable}
      jsonLd={seo.jsonLd}
    >
      <GroupHeader ctx={ctx} access={access} />
      <section class="panel" aria-labelledby="about-heading">
        <h2 id="about-heading">{t('groups.about.heading')}</h2>
        {group.descriptionHtml ? (
          // Sanitised Markdown, rendered by renderMarkdown when the description was saved.
          <div class="prose" dangerouslySetInnerHTML={{ __html: group.descriptionHtml }} />
        ) : (
          <p>{group.summary}</p>
        )}
        <p>{group.leadership === 'peer' ? t('groups.leadership.peerHint') : t('groups.leadership.professionalHint')}</p>
        {profile ? <EntryProfileSummary ctx={ctx} profile={profile} /> : null}
        <p>
          <a href={`/g/${group.slug}`}>{t('groups.about.toDiscussions')}</a>
        </p>
      </section>
      <AgreementsAboutSection ctx={ctx} access={access} />
    </Layout>
  );
}
