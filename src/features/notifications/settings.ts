import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { Invalid } from '../../platform/errors.js';
import { signMailToken, verifyMailToken } from '../../platform/mail/tokens.js';
import {
  alwaysOnSiteKinds,
  channelEnabledSql,
  defaultChannels,
  emailIntervals,
  ownEmailKinds,
  type Channel,
} from './preferences.js';
import { notificationKindEnum, type NotificationKind } from './schema.js';

export const notificationKinds: readonly NotificationKind[] = notificationKindEnum.enumValues;
export const channels: readonly Channel[] = ['inApp', 'email', 'push'];

/** What the preferences page shows: every kind's channels as they stand (their choice or the default). */
export interface NotificationChoices {
  channels: Record<NotificationKind, Record<Channel, boolean>>;
  /** Minutes after midnight on the person's own clock; null: no quiet hours. */
  quietFrom: number | null;
  quietUntil: number | null;
  emailEveryMinutes: number;
  emailDetails: boolean;
  pushDetails: boolean;
  /** Notification emails go only to a confirmed address. */
  emailConfirmed: boolean;
}

/** The person's choices, in one query. */
export async function readNotificationChoices(db: Db, userId: number): Promise<NotificationChoices> {
  const result = (await db.execute(sql`
    select s.quiet_from, s.quiet_until, coalesce(s.email_every_minutes, 60) as every,
      coalesce(s.email_details, false) as email_details, coalesce(s.push_details, false) as push_details,
      u.email_verified_at is not null as confirmed,
      coalesce((select json_agg(json_build_object('kind', p.kind, 'inApp', p.in_app, 'email', p.email, 'push', p.push))
        from notification_preferences p where p.user_id = u.id), '[]'::json) as chosen
    from users u left join notification_settings s on s.user_id = u.id
    where u.id = ${userId}`)) as unknown as { rows: Record<string, unknown>[] };
  const row = result.rows[0] ?? {};
  const chosen = (typeof row.chosen === 'string' ? JSON.parse(row.chosen) : (row.chosen ?? [])) as ({
    kind: NotificationKind;
  } & Record<Channel, boolean>)[];
  const byKind = new Map(chosen.map((c) => [c.kind, c]));
  const all = Object.fromEntries(
    notificationKinds.map((kind) => {
      const c = byKind.get(kind);
      return [kind, c ? { inApp: c.inApp, email: c.email, push: c.push } : { ...defaultChannels[kind] }];
    }),
  ) as Record<NotificationKind, Record<Channel, boolean>>;
  const minutes = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    channels: all,
    quietFrom: minutes(row.quiet_from),
    quietUntil: minutes(row.quiet_until),
    emailEveryMinutes: Number(row.every ?? 60),
    emailDetails: Boolean(row.email_details),
    pushDetails: Boolean(row.push_details),
    emailConfirmed: Boolean(row.confirmed),
  };
}

/** "22:30" → 1350; '' → null. */
const clock = z
  .string()
  .trim()
  .optional()
  .transform((v) => v ?? '')
  .pipe(z.string().regex(/^(|([01]?\d|2[0-3]):[0-5]\d)$/, 'notifications.preferences.errors.time'))
  .transform((v) => {
    if (v === '') return null;
    const [h, m] = v.split(':').map(Number);
    return h! * 60 + m!;
  });

const checkbox = z
  .unknown()
  .optional()
  .transform((v) => v === 'on');

const settingsInput = z
  .object({
    quietFrom: clock,
    quietUntil: clock,
    emailEvery: z.coerce
      .number('notifications.preferences.errors.every')
      .refine((n) => (emailIntervals as readonly number[]).includes(n), 'notifications.preferences.errors.every'),
    emailDetails: checkbox,
    pushDetails: checkbox,
  })
  .superRefine((v, ctx) => {
    if ((v.quietFrom === null) !== (v.quietUntil === null)) {
      ctx.addIssue({
        code: 'custom',
        path: [v.quietFrom === null ? 'quietFrom' : 'quietUntil'],
        message: 'notifications.preferences.errors.bothTimes',
      });
    } else if (v.quietFrom !== null && v.quietFrom === v.quietUntil) {
      ctx.addIssue({ code: 'custom', path: ['quietUntil'], message: 'notifications.preferences.errors.sameTimes' });
    }
  });

/** The form's name for a kind's channel: "reply.email". */
export const channelField = (kind: NotificationKind, channel: Channel): string => `${kind}.${channel}`;

/**
 * Which channels the form asks for, kind by kind: a ticked box is on. What is not offered stays as
 * it must: kinds that always show on the site, and kinds whose email is sent on its own.
 */
function chosenChannels(body: Record<string, unknown>): Record<NotificationKind, Record<Channel, boolean>> {
  return Object.fromEntries(
    notificationKinds.map((kind) => {
      const on = (channel: Channel) => body[channelField(kind, channel)] === 'on';
      return [
        kind,
        {
          inApp: alwaysOnSiteKinds.has(kind) || on('inApp'),
          email: !ownEmailKinds.has(kind) && on('email'),
          push: on('push'),
        },
      ];
    }),
  ) as Record<NotificationKind, Record<Channel, boolean>>;
}

/**
 * Saves the preferences page: every kind's channels (a row only where they differ from the kind's
 * defaults, so a better default later reaches everyone who never chose), quiet hours, how often
 * notification emails may come, and lock-screen privacy. Notifications waiting for a channel the
 * person just turned off no longer go out on it.
 */
export async function saveNotificationChoices(db: Db, userId: number, input: unknown): Promise<void> {
  const body = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const parsed = settingsInput.safeParse(body);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? '');
      errors[field] ??= /^[a-z][a-zA-Z]*\.[\w.]+$/.test(issue.message) ? issue.message : 'forms.invalid';
    }
    throw new Invalid(errors);
  }
  const settings = parsed.data;
  const wanted = chosenChannels(body);
  const differing = notificationKinds.filter((kind) =>
    channels.some((c) => wanted[kind][c] !== defaultChannels[kind][c]),
  );
  await db.transaction(async (tx) => {
    await tx.execute(sql`delete from notification_preferences where user_id = ${userId}`);
    if (differing.length > 0) {
      await tx.execute(sql`
        insert into notification_preferences (user_id, kind, in_app, email, push)
        values ${sql.join(
          differing.map(
            (kind) =>
              sql`(${userId}, ${kind}::notification_kind, ${wanted[kind].inApp}, ${wanted[kind].email}, ${wanted[kind].push})`,
          ),
          sql`, `,
        )}`);
    }
    await tx.execute(sql`
      insert into notification_settings (user_id, quiet_from, quiet_until, email_every_minutes, email_details, push_details)
      values (${userId}, ${settings.quietFrom}, ${settings.quietUntil}, ${settings.emailEvery}, ${settings.emailDetails}, ${settings.pushDetails})
      on conflict (user_id) do update set quiet_from = excluded.quiet_from, quiet_until = excluded.quiet_until,
        email_every_minutes = excluded.email_every_minutes, email_details = excluded.email_details,
        push_details = excluded.push_details`);
    await dropTurnedOff(tx, userId);
  });
}

/** Waiting notifications of kinds whose email or push is now off are no longer sent on them. */
async function dropTurnedOff(tx: DbOrTx, userId: number): Promise<void> {
  const kind = sql.raw('n.kind');
  const user = sql`${userId}::int`;
  await tx.execute(sql`
    update notifications n set email_due_at = null
    where n.user_id = ${userId} and n.emailed_at is null and n.email_due_at is not null
      and not ${channelEnabledSql(user, kind, 'email')}`);
  await tx.execute(sql`
    update notifications n set pushed_at = now()
    where n.user_id = ${userId} and n.pushed_at is null and not ${channelEnabledSql(user, kind, 'push')}`);
}

/**
 * Turns notification emails off, for every kind, keeping what shows on the site and what is pushed:
 * what a notification email's unsubscribe link and address do (RFC 8058). The preferences page
 * turns them back on. False when there is no such account.
 */
export async function turnOffNotificationEmail(db: Db, userId: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const found = (await tx.execute(sql`select 1 from users where id = ${userId}`)) as unknown as { rows: unknown[] };
    if (found.rows.length === 0) return false;
    const kind = sql.raw('k.kind');
    const user = sql`${userId}::int`;
    await tx.execute(sql`
      insert into notification_preferences (user_id, kind, in_app, email, push)
      select ${userId}, k.kind, ${channelEnabledSql(user, kind, 'inApp')}, false, ${channelEnabledSql(user, kind, 'push')}
      from unnest(enum_range(null::notification_kind)) as k(kind)
      on conflict (user_id, kind) do update set email = false`);
    await dropTurnedOff(tx, userId);
    return true;
  });
}

type TokenContext = { secret: Buffer };

/** The token in a notification email's unsubscribe link and address: it names the person, signed. */
export function notificationUnsubscribeToken(ctx: TokenContext, userId: number): string {
  return signMailToken(ctx.secret, 'notifications', [userId]);
}

/** The person an unsubscribe token names, or null for one that is not ours or was changed. */
export function readNotificationUnsubscribeToken(ctx: TokenContext, token: string): number | null {
  const numbers = verifyMailToken(ctx.secret, 'notifications', token, 1);
  return numbers ? numbers[0]! : null;
}

/** Minutes after midnight as "07:30", for the time inputs. */
export function clockText(minutes: number | null): string {
  if (minutes === null) return '';
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
