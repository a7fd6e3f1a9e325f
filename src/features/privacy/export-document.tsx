import type { Translate } from '../../platform/views/i18n.js';
import type { AccountExport } from '../accounts/index.js';
import type { DirectoryExport } from '../directory/index.js';
import type { MailListExport } from '../mail-lists/index.js';
import type { ModerationExport } from '../moderation/index.js';
import type { ResourcesExport } from '../resources/index.js';
import { CampaignsExportSection, type CampaignExport } from '../campaigns/index.js';
import { MeetingsExportSection, type MeetingExport } from '../meetings/index.js';
import { PushExportSection, type PushExport } from '../push/index.js';
import { ChatExportSection, type ChatExport } from '../chat/index.js';
import { CirclesExportSection, type CircleExport } from '../circles/index.js';
import { FollowingExportSection, type FollowingExport } from '../following/index.js';
import { MessagesExportSection, type MessagesExport } from '../messages/index.js';
import { NotificationsExportSection, type NamedNotificationExport } from '../notifications/index.js';
import type { SafetyExport } from '../safety/index.js';
import type { PromptsExport, SupportExport } from '../support/index.js';
import type { TrustExport } from '../trust/index.js';

type Named<T> = Omit<T, 'groupId'> & { group: string };

/** Everything kept about a member: the export archive's data.json, and what its index.html shows. */
export interface MemberData {
  exportedAt: Date;
  account: AccountExport;
  organisations: { administers: { name: string; since: Date }[] };
  /** Listings of groups hosted elsewhere the member submitted, and claims they made (src/features/directory). */
  directory: DirectoryExport;
  /** How the member follows each group by email, when digests come, and bounces (src/features/mail-lists). */
  mail: {
    subscriptions: Named<MailListExport['subscriptions'][number]>[];
    settings: MailListExport['settings'];
    bounces: MailListExport['bounces'];
  };
  /** Resources suggested and found helpful, coping strategies asked for and shared (src/features/resources). */
  resources: { [K in keyof ResourcesExport]: Named<ResourcesExport[K][number]>[] };
  /** The campaigns the member signed, with their name or anonymously (src/features/campaigns). */
  campaigns: { signatures: Named<CampaignExport['signatures'][number]>[] };
  /** Answers to meetings, meetings scheduled, reminder settings, a calendar address (src/features/meetings). */
  meetings: {
    answers: Named<MeetingExport['answers'][number]>[];
    scheduled: Named<MeetingExport['scheduled'][number]>[];
    reminders: MeetingExport['reminders'];
    calendarFeed: boolean;
  };
  /** The devices the member gets push notifications on, by name only (src/features/push). */
  push: PushExport;
  /** What the member said in live rooms, and the rooms they were in (src/features/chat). */
  chat: { [K in keyof ChatExport]: Named<ChatExport[K][number]>[] };
  /** The voice and video circles they were in (src/features/circles). */
  circles: Named<CircleExport['circles'][number]>[];
  /** The levels the member chose for threads and groups, and posts that mentioned them (src/features/following). */
  following: { [K in keyof FollowingExport]: Named<FollowingExport[K][number]>[] };
  /** Who may message the member, their conversations, what they wrote, what they reported (src/features/messages). */
  messages: Omit<MessagesExport, 'conversations' | 'messages'> & {
    conversations: Named<MessagesExport['conversations'][number]>[];
    messages: Named<MessagesExport['messages'][number]>[];
  };
  /** Notifications, the channels chosen by kind, quiet hours and email settings (src/features/notifications). */
  notifications: NamedNotificationExport;
  /** Whether the member wants suggestions of discussions to answer (src/features/support). */
  supportPrompts: PromptsExport;
  /** Thank-you notes sent and received (names as the group showed them), badges (src/features/support). */
  support: {
    thanksSent: Named<SupportExport['thanksSent'][number]>[];
    thanksReceived: Named<SupportExport['thanksReceived'][number]>[];
    badges: SupportExport['badges'];
  };
  groups: {
    memberships: Named<{ groupId: number; role: string; joinedAt: Date; credential: string | null }>[];
    applications: Named<{
      groupId: number;
      questions: string[];
      answers: string[];
      status: string;
      decisionMessage: string | null;
      createdAt: Date;
    }>[];
    /** The names the member goes by in groups. */
    aliases: Named<{ groupId: number; alias: string; createdAt: Date }>[];
  };
  forum: {
    threads: Named<{ groupId: number; id: number; title: string; createdAt: Date }>[];
    posts: Named<{
      groupId: number;
      id: number;
      threadId: number;
      threadTitle: string;
      body: string;
      status: string;
      /** Posted as "Anonymous member". */
      anonymous: boolean;
      createdAt: Date;
      editedAt: Date | null;
      deletedAt: Date | null;
    }>[];
    reactions: Named<{ groupId: number; postId: number; kind: string; createdAt: Date }>[];
  };
  payments: {
    payments: Named<{
      groupId: number;
      amountCents: number;
      currency: string;
      provider: string;
      receivedAt: Date;
      periodStart: Date;
      periodEnd: Date;
    }>[];
    hardshipRequests: Named<{ groupId: number; message: string; status: string; createdAt: Date }>[];
  };
  /** Posts the member flagged, and pauses from posting put on them (src/features/moderation). */
  moderation: {
    flags: Named<ModerationExport['flags'][number]>[];
    pauses: Named<ModerationExport['pauses'][number]>[];
  };
  /** Whom the member blocked (by the name they saw), what they muted or hid, warnings they always see. */
  safety: {
    blocked: Named<{ groupId: number; name: string; createdAt: Date }>[];
    mutedThreads: Named<{ groupId: number; threadId: number; createdAt: Date }>[];
    hiddenPosts: Named<{ groupId: number; postId: number; createdAt: Date }>[];
    /** Content-warning topics shown open (src/features/content-warnings); all others stay closed. */
    warningsShown: string[];
    /** Crisis alerts raised on the member's posts, with what the group's leaders recorded (src/features/safety). */
    crisisAlerts: Named<SafetyExport['crisisAlerts'][number]>[];
    /** The member's trust level and how it stands (src/features/trust); null for an account never seen. */
    trust: TrustExport | null;
  };
}

/** Resources and coping strategies, in the archive's readable page. */
function ResourcesSection({ t, data }: { t: Translate; data: MemberData['resources'] }) {
  const rows = [
    ...data.suggested.map(
      (r) =>
        `${t('resources.archive.suggested', { title: r.title, group: r.group })} · ${r.status} · ${when(r.createdAt)}`,
    ),
    ...data.helped.map(
      (r) => `${t('resources.archive.helped', { title: r.title, group: r.group })} · ${when(r.createdAt)}`,
    ),
    ...data.copingSaved.map(
      (c) =>
        `${t('resources.archive.copingSaved', { title: c.title, group: c.group })} · ${c.status} · ${when(c.createdAt)}`,
    ),
    ...data.copingOfMine.map(
      (c) => `${t('resources.archive.copingOfMine', { title: c.title, group: c.group })} · ${c.status}`,
    ),
  ];
  if (rows.length === 0) return null;
  return (
    <>
      <h2>{t('resources.archive.heading')}</h2>
      <ul>
        {rows.map((r) => (
          <li>{r}</li>
        ))}
      </ul>
    </>
  );
}

/** Thank-you notes and badges, in the archive's readable page. */
function SupportSection({ t, data }: { t: Translate; data: MemberData['support'] }) {
  const rows = [
    ...data.thanksSent.map(
      (n) =>
        `${t('support.export.sent', { name: n.to ?? t('support.export.anonymousAuthor'), group: n.group })} · ${when(n.createdAt)}: ${n.message}`,
    ),
    ...data.thanksReceived.map(
      (n) =>
        `${t('support.export.received', { name: n.from ?? t('support.mine.formerMember'), group: n.group })} · ${when(n.createdAt)}: ${n.message}`,
    ),
    ...data.badges.map(
      (b) =>
        `${t('support.export.badge', { badge: t(`support.badges.names.${b.badge}`), date: when(b.earnedAt) })} · ${t(b.shown ? 'support.export.shown' : 'support.export.hidden')}`,
    ),
  ];
  if (rows.length === 0) return null;
  return (
    <>
      <h2>{t('support.export.heading')}</h2>
      <ul>
        {rows.map((r) => (
          <li>{r}</li>
        ))}
      </ul>
    </>
  );
}

const when = (d: Date | null) => (d ? d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '');

/**
 * The archive's readable page. It is opened from the person's own disk, so it carries no scripts
 * and loads nothing; posts are shown as the Markdown they were written in, escaped.
 */
export function ExportDocument({ t, locale, data }: { t: Translate; locale: string; data: MemberData }) {
  const { account, groups, forum, payments, organisations, directory, mail } = data;
  const s = account.settings;
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{t('privacy.archive.title', { pseudonym: account.pseudonym })}</title>
      </head>
      <body>
        <h1>{t('privacy.archive.title', { pseudonym: account.pseudonym })}</h1>
        <p>{t('privacy.archive.intro', { date: when(data.exportedAt) })}</p>

        <h2>{t('privacy.archive.account')}</h2>
        <dl>
          <dt>{t('accounts.fields.pseudonym')}</dt>
          <dd>{account.pseudonym}</dd>
          <dt>{t('accounts.fields.email')}</dt>
          <dd>
            {account.email} ({account.emailVerified ? t('privacy.archive.confirmed') : t('privacy.archive.unconfirmed')}
            )
          </dd>
          <dt>{t('privacy.archive.joined')}</dt>
          <dd>{when(account.createdAt)}</dd>
          <dt>{t('accounts.security.twoFactor.heading')}</dt>
          <dd>{account.twoStepVerification ? t('privacy.archive.on') : t('privacy.archive.off')}</dd>
        </dl>

        <h2>{t('accounts.settings.title')}</h2>
        <dl>
          <dt>{t('accounts.settings.membership.legend')}</dt>
          <dd>{t(`accounts.settings.membership.${s.membershipVisibility as 'members' | 'nobody'}`)}</dd>
          <dt>{t('accounts.settings.online.label')}</dt>
          <dd>{s.appearOnline ? t('privacy.archive.on') : t('privacy.archive.off')}</dd>
          <dt>{t('accounts.settings.email.replies')}</dt>
          <dd>{s.emailReplies ? t('privacy.archive.on') : t('privacy.archive.off')}</dd>
          <dt>{t('accounts.settings.email.newsletters')}</dt>
          <dd>{s.emailNewsletters ? t('privacy.archive.on') : t('privacy.archive.off')}</dd>
          <dt>{t('accounts.settings.timeZone')}</dt>
          <dd>{s.timeZone}</dd>
          <dt>{t('accounts.settings.language')}</dt>
          <dd>{s.language}</dd>
          <dt>{t('accounts.settings.country')}</dt>
          <dd>{s.country ?? t('accounts.settings.countryFromBrowser')}</dd>
        </dl>

        <h2>{t('privacy.archive.devices')}</h2>
        <ul>
          {account.sessions.map((d) => (
            <li>
              {d.device || t('accounts.security.sessions.unknownDevice')} · {when(d.createdAt)} · {when(d.lastSeenAt)}
            </li>
          ))}
          {account.passkeys.map((p) => (
            <li>
              {t('accounts.security.passkeys.heading')}: {p.device || t('accounts.security.sessions.unknownDevice')} ·{' '}
              {when(p.createdAt)}
            </li>
          ))}
        </ul>

        <h2>{t('privacy.archive.groups')}</h2>
        <ul>
          {groups.memberships.map((m) => (
            <li>
              {m.group} · {m.role} · {when(m.joinedAt)}
              {m.credential ? ` · ${m.credential}` : ''}
            </li>
          ))}
          {groups.aliases.map((a) => (
            <li>
              {a.group} · {t('privacy.archive.alias', { alias: a.alias })}
            </li>
          ))}
          {organisations.administers.map((o) => (
            <li>
              {o.name} · {t('privacy.archive.organisationAdmin')} · {when(o.since)}
            </li>
          ))}
        </ul>

        {directory.listings.length || directory.claims.length ? (
          <>
            <h2>{t('privacy.archive.listings')}</h2>
            <ul>
              {directory.listings.map((l) => (
                <li>
                  {l.name} · {l.status} · {when(l.createdAt)} · {l.summary} · {l.contact}
                  {l.website ? ` · ${l.website}` : ''}
                  {l.organiser ? ` · ${l.organiser}` : ''}
                </li>
              ))}
              {directory.claims.map((c) => (
                <li>
                  {t('privacy.archive.listingClaim', { name: c.listing })} · {c.status} · {when(c.createdAt)} ·{' '}
                  {c.message}
                </li>
              ))}
            </ul>
          </>
        ) : null}

        {mail.subscriptions.length || mail.settings || mail.bounces.length ? (
          <>
            <h2>{t('privacy.archive.mail')}</h2>
            <ul>
              {mail.subscriptions.map((s) => (
                <li>
                  {s.group} · {t(`privacy.archive.mailModes.${s.mode as 'every_post' | 'daily' | 'weekly' | 'none'}`)} ·{' '}
                  {t('privacy.archive.mailNewsletters')}:{' '}
                  {s.newsletters ? t('privacy.archive.on') : t('privacy.archive.off')}
                </li>
              ))}
              {mail.settings ? (
                <li>
                  {t('privacy.archive.mailDigestTime', {
                    hour: mail.settings.digestHour,
                    weekday: mail.settings.digestWeekday,
                  })}
                  {mail.settings.pausedAt
                    ? ` · ${t('privacy.archive.mailPaused')} ${when(mail.settings.pausedAt)}`
                    : ''}
                </li>
              ) : null}
              {mail.bounces.map((b) => (
                <li>
                  {t('privacy.archive.mailBounce')} · {when(b.receivedAt)} · {b.diagnostic}
                </li>
              ))}
            </ul>
          </>
        ) : null}

        {groups.applications.length ? (
          <>
            <h2>{t('privacy.archive.applications')}</h2>
            {groups.applications.map((a) => (
              <section>
                <h3>
                  {a.group} · {when(a.createdAt)} · {a.status}
                </h3>
                <dl>
                  {a.questions.map((q, i) => (
                    <>
                      <dt>{q}</dt>
                      <dd>{a.answers[i] ?? ''}</dd>
                    </>
                  ))}
                </dl>
                {a.decisionMessage ? <p>{a.decisionMessage}</p> : null}
              </section>
            ))}
          </>
        ) : null}

        <h2>{t('privacy.archive.posts')}</h2>
        {forum.posts.length === 0 ? <p>{t('privacy.archive.none')}</p> : null}
        {forum.posts.map((p) => (
          <article>
            <h3>
              {p.threadTitle} · {p.group}
            </h3>
            <p>
              {when(p.createdAt)}
              {p.anonymous ? ` · ${t('privacy.archive.anonymous')}` : ''}
              {p.editedAt ? ` · ${t('privacy.archive.edited', { date: when(p.editedAt) })}` : ''}
              {p.deletedAt ? ` · ${t('privacy.archive.deleted', { date: when(p.deletedAt) })}` : ''}
            </p>
            {p.body.split(/\n\s*\n/).map((paragraph) => (
              <p>{paragraph}</p>
            ))}
          </article>
        ))}

        <h2>{t('privacy.archive.reactions')}</h2>
        <ul>
          {forum.reactions.map((r) => (
            <li>
              {r.group} · #{r.postId} · {r.kind} · {when(r.createdAt)}
            </li>
          ))}
        </ul>

        {data.moderation.flags.length || data.moderation.pauses.length ? (
          <>
            <h2>{t('privacy.archive.moderation')}</h2>
            <ul>
              {data.moderation.flags.map((f) => (
                <li>
                  {f.group} · #{f.postId} · {f.reason} · {when(f.createdAt)}
                  {f.note ? `: ${f.note}` : ''}
                  {f.outcome ? ` → ${f.outcome} (${when(f.closedAt)})` : ''}
                </li>
              ))}
              {data.moderation.pauses.map((s) => (
                <li>
                  {t('privacy.archive.pause', {
                    group: s.group,
                    from: when(s.createdAt),
                    until: when(s.liftedAt ?? s.endsAt),
                  })}
                  : {s.reason}
                </li>
              ))}
            </ul>
          </>
        ) : null}

        {payments.payments.length || payments.hardshipRequests.length ? (
          <>
            <h2>{t('privacy.archive.payments')}</h2>
            <ul>
              {payments.payments.map((p) => (
                <li>
                  {p.group} · {(p.amountCents / 100).toFixed(2)} {p.currency} · {when(p.receivedAt)}
                </li>
              ))}
              {payments.hardshipRequests.map((h) => (
                <li>
                  {h.group} · {h.status} · {when(h.createdAt)}: {h.message}
                </li>
              ))}
            </ul>
          </>
        ) : null}

        <h2>{t('privacy.archive.safety')}</h2>
        <ul>
          {data.safety.blocked.map((b) => (
            <li>
              {t('privacy.archive.blocked', { name: b.name, group: b.group })} · {when(b.createdAt)}
            </li>
          ))}
          {data.safety.mutedThreads.map((m) => (
            <li>
              {t('privacy.archive.muted', { id: m.threadId, group: m.group })} · {when(m.createdAt)}
            </li>
          ))}
          {data.safety.hiddenPosts.map((h) => (
            <li>
              {t('privacy.archive.hidden', { id: h.postId, group: h.group })} · {when(h.createdAt)}
            </li>
          ))}
          <li>
            {t('privacy.archive.warningsShown', {
              topics: data.safety.warningsShown.join(', ') || t('privacy.archive.none'),
            })}
          </li>
          {data.safety.trust ? (
            <li>
              {t('privacy.archive.trust', {
                level: data.safety.trust.level,
                days: data.safety.trust.daysVisited,
              })}
              {data.safety.trust.levelSetByHand !== null
                ? ` · ${t('privacy.archive.trustSet', { level: data.safety.trust.levelSetByHand })}`
                : ''}
            </li>
          ) : null}
          {data.safety.crisisAlerts.map((a) => (
            <li>
              {t('privacy.archive.crisisAlert', { id: a.postId ?? '–', group: a.group })} · {when(a.createdAt)}
              {a.resolvedAt ? ` · ${t('privacy.archive.crisisResolved', { date: when(a.resolvedAt) })}` : ''}
              {a.resolutionNote ? `: ${a.resolutionNote}` : ''}
            </li>
          ))}
        </ul>
        <ResourcesSection t={t} data={data.resources} />
        <CampaignsExportSection t={t} signatures={data.campaigns.signatures} />
        <MeetingsExportSection t={t} data={data.meetings} />
        <PushExportSection t={t} data={data.push} />
        <ChatExportSection t={t} messages={data.chat.messages} />
        <CirclesExportSection t={t} circles={data.circles} />
        <FollowingExportSection t={t} data={data.following} />
        <MessagesExportSection t={t} data={data.messages} />
        <NotificationsExportSection t={t} data={data.notifications} />
        <SupportSection t={t} data={data.support} />
        {data.supportPrompts.replyPrompts === null ? null : (
          <p>{t(data.supportPrompts.replyPrompts ? 'support.prompts.exportOn' : 'support.prompts.exportOff')}</p>
        )}
      </body>
    </html>
  );
}
