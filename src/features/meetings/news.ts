import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import type { Deps } from '../../platform/deps.js';
import { defaultLocale, supportedLocales, translator } from '../../platform/views/i18n.js';
import { userContactSql } from '../accounts/index.js';
import { activeMemberSql } from '../groups/index.js';
import { mailPausedSql } from '../mail-lists/index.js';
import { notify } from '../notifications/index.js';

/*
 * Telling the members who answered an occurrence what happened to it: a place came free and is
 * theirs now, it is cancelled, or it moved. In the app (a notification, written in the transaction
 * of the change) and by email (sent once the change is committed). A person hears once per change
 * and kind, about the earliest of the dates it touches, and the email lists all of them.
 */

export type MeetingNewsKind = 'meeting_place_offered' | 'meeting_cancelled' | 'meeting_changed';

export interface MeetingNews {
  kind: MeetingNewsKind;
  userId: number;
  groupId: number;
  /** The occurrences it is about, earliest first; the notification links to the first. */
  occurrenceIds: number[];
  /** What the leader who cancelled said, if anything. */
  note?: string | null;
}

/** What mail needs from the request: the mailer, and the site's address for links. */
export type MeetingEffects = Pick<Deps, 'mailer' | 'baseUrl'>;

/**
 * Who to tell about these occurrences: the members still in good standing who answered going,
 * maybe or waitlisted (someone who said "not going" has nothing to change), one entry per person
 * with their occurrences in order.
 */
export async function answeredBy(
  tx: DbOrTx,
  occurrenceIds: number[],
  kind: MeetingNewsKind,
  now: Date,
  note: string | null = null,
): Promise<MeetingNews[]> {
  if (occurrenceIds.length === 0) return [];
  const result = (await tx.execute(sql`
    select r.user_id as "userId", r.group_id as "groupId",
      json_agg(r.occurrence_id order by o.starts_at, o.id) as "occurrenceIds"
    from meeting_rsvps r join meeting_occurrences o on o.id = r.occurrence_id
    where r.occurrence_id in (${sql.join(
      occurrenceIds.map((id) => sql`${id}`),
      sql`, `,
    )})
      and r.status in ('going', 'maybe', 'waitlisted')
      and ${activeMemberSql(sql.raw('r.group_id'), sql.raw('r.user_id'), now)}
    group by r.user_id, r.group_id
    order by r.user_id`)) as unknown as {
    rows: { userId: number | string; groupId: number | string; occurrenceIds: (number | string)[] }[];
  };
  return result.rows.map((r) => ({
    kind,
    userId: Number(r.userId),
    groupId: Number(r.groupId),
    occurrenceIds: r.occurrenceIds.map(Number),
    note,
  }));
}

/** The in-app side: one notification per person and kind, inside the change's transaction. */
export async function tellInApp(tx: DbOrTx, news: MeetingNews[]): Promise<void> {
  for (const n of news) {
    await notify(tx, {
      userId: n.userId,
      kind: n.kind,
      groupId: n.groupId,
      occurrenceId: n.occurrenceIds[0] ?? null,
      reason: n.note ?? null,
    });
  }
}

const subjects = {
  meeting_place_offered: 'meetings.mail.placeOfferedSubject',
  meeting_cancelled: 'meetings.mail.cancelledSubject',
  meeting_changed: 'meetings.mail.changedSubject',
} as const;

const bodies = {
  meeting_place_offered: 'meetings.mail.placeOfferedBody',
  meeting_cancelled: 'meetings.mail.cancelledBody',
  meeting_changed: 'meetings.mail.changedBody',
} as const;

/** Dates listed in one email at most; the page has the rest. */
const DATES_MAILED = 10;

/**
 * The email side, once the change is committed: to each person with a confirmed address whose
 * list mail is not paused by bounces, in their language and time zone. The subject names neither
 * the group nor the meeting (a lock screen shows subjects); the body says what, when and where to look.
 */
export async function mailMeetingNews(db: Db, effects: MeetingEffects, news: MeetingNews[]): Promise<void> {
  if (news.length === 0) return;
  const userIds = [...new Set(news.map((n) => n.userId))];
  const occurrenceIds = [...new Set(news.flatMap((n) => n.occurrenceIds))];
  const list = (ids: number[]) =>
    sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    );
  const [contacts, occurrences] = await Promise.all([
    db.execute(sql`
      select x.id, c.email, c.locale, c.time_zone as "timeZone", c.pseudonym
      from (select unnest(array[${list(userIds)}]::int[]) as id) x
      cross join lateral ${userContactSql(sql.raw('x.id'))} c
      where not ${mailPausedSql(sql.raw('x.id'))}`) as unknown as Promise<{
      rows: { id: number | string; email: string; locale: string; timeZone: string; pseudonym: string }[];
    }>,
    db.execute(sql`
      select o.id, o.starts_at as "startsAt", m.title, g.name as "groupName"
      from meeting_occurrences o join meetings m on m.id = o.meeting_id join groups g on g.id = o.group_id
      where o.id in (${list(occurrenceIds)})`) as unknown as Promise<{
      rows: { id: number | string; startsAt: string | Date; title: string; groupName: string }[];
    }>,
  ]);
  const contactOf = new Map(contacts.rows.map((c) => [Number(c.id), c]));
  const occurrenceOf = new Map(occurrences.rows.map((o) => [Number(o.id), o]));
  for (const n of news) {
    const contact = contactOf.get(n.userId);
    const first = occurrenceOf.get(n.occurrenceIds[0] ?? -1);
    if (!contact || !first) continue;
    const locale = supportedLocales.includes(contact.locale) ? contact.locale : defaultLocale;
    const t = translator(locale);
    const format = new Intl.DateTimeFormat(locale, {
      dateStyle: 'full',
      timeStyle: 'short',
      timeZone: contact.timeZone,
    });
    const dates = n.occurrenceIds
      .slice(0, DATES_MAILED)
      .map((id) => occurrenceOf.get(id))
      .filter((o) => o !== undefined)
      .map((o) => `- ${format.format(new Date(o.startsAt))}`)
      .join('\n');
    await effects.mailer.send({
      to: contact.email,
      subject: t(subjects[n.kind]),
      text: t(bodies[n.kind], {
        name: contact.pseudonym,
        title: first.title,
        group: first.groupName,
        dates,
        zone: contact.timeZone,
        note: n.note ? `\n\n${t('meetings.mail.noteIntro')}\n\n${n.note}` : '',
        link: `${effects.baseUrl}/meetings/${n.occurrenceIds[0]}`,
      }),
    });
  }
}
