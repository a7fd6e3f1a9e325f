import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { defaultChannels, type Channel } from './preferences.js';
import type { NotificationKind } from './schema.js';

/**
 * What notifications keep about a person, for their data export: their notifications (what kind,
 * in which group, when, whether read and emailed; never another person's name, which rows do not
 * keep), the channels they chose by kind, and their settings (quiet hours, email interval,
 * lock-screen details). Deleting the account deletes all three with the account row (cascade).
 */
export interface NotificationExport {
  notifications: {
    kind: NotificationKind;
    groupId: number | null;
    count: number;
    createdAt: Date;
    readAt: Date | null;
    emailedAt: Date | null;
  }[];
  /** Only the kinds where the person chose something else than the defaults. */
  preferences: ({ kind: NotificationKind } & Record<Channel, boolean>)[];
  settings: {
    quietFrom: number | null;
    quietUntil: number | null;
    emailEveryMinutes: number;
    lastEmailAt: Date | null;
    emailDetails: boolean;
    pushDetails: boolean;
  } | null;
}

const date = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string | Date));

export async function exportNotificationData(db: DbOrTx, userId: number): Promise<NotificationExport> {
  const [kept, chosen, settings] = (await Promise.all([
    db.execute(sql`
      select kind, group_id, count, created_at, read_at, emailed_at from notifications
      where user_id = ${userId} order by created_at, id`),
    db.execute(sql`
      select kind, in_app, email, push from notification_preferences where user_id = ${userId} order by kind`),
    db.execute(sql`
      select quiet_from, quiet_until, email_every_minutes, last_email_at, email_details, push_details
      from notification_settings where user_id = ${userId}`),
  ])) as unknown as { rows: Record<string, unknown>[] }[];
  const s = settings!.rows[0];
  return {
    notifications: kept!.rows.map((r) => ({
      kind: r.kind as NotificationKind,
      groupId: r.group_id === null ? null : Number(r.group_id),
      count: Number(r.count),
      createdAt: new Date(r.created_at as string | Date),
      readAt: date(r.read_at),
      emailedAt: date(r.emailed_at),
    })),
    preferences: chosen!.rows
      .map((r) => ({
        kind: r.kind as NotificationKind,
        inApp: Boolean(r.in_app),
        email: Boolean(r.email),
        push: Boolean(r.push),
      }))
      .filter((p) => p.kind in defaultChannels),
    settings: s
      ? {
          quietFrom: s.quiet_from === null ? null : Number(s.quiet_from),
          quietUntil: s.quiet_until === null ? null : Number(s.quiet_until),
          emailEveryMinutes: Number(s.email_every_minutes),
          lastEmailAt: date(s.last_email_at),
          emailDetails: Boolean(s.email_details),
          pushDetails: Boolean(s.push_details),
        }
      : null,
  };
}
