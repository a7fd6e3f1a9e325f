import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { Invalid } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import { verifyMailToken } from '../../platform/mail/tokens.js';
import { defaultLocale, translator } from '../../platform/views/i18n.js';
import { userContactSql } from '../accounts/index.js';
import { recordAudit, type Actor, type GroupAccess } from '../groups/index.js';
import { accessListSettings, accessOwnListChoice } from './policy.js';
import { listModes, listSettings, listSubscriptions, mailSettings, type ListMode } from './schema.js';
import { unsubscribeFromList } from './unsubscribe.js';

/*
 * A member's email choices (per group, and when digests arrive), a group's list settings, and
 * one-click unsubscribe: the rules behind the pages in routes.ts.
 */

const mode = z.enum(listModes, 'mailLists.errors.mode');
const checkbox = z
  .string()
  .max(10)
  .optional()
  .transform((v) => v === 'on');
/** A small whole number from a form field ("7"), within bounds; anything else gets `message`. */
const smallNumber = (max: number, message: string) =>
  z
    .string(message)
    .trim()
    .regex(/^\d{1,2}$/, message)
    .transform(Number)
    .pipe(z.number().max(max, message));

const timingInput = z.object({
  digestHour: smallNumber(23, 'mailLists.errors.hour'),
  digestWeekday: smallNumber(6, 'mailLists.errors.weekday'),
});
const groupChoiceInput = z.object({ mode, newsletters: checkbox });
const listSettingsInput = z.object({
  defaultMode: mode,
  postByEmail: checkbox,
  newsletterArchivePublic: checkbox,
});

export interface GroupChoice {
  groupId: number;
  slug: string;
  name: string;
  mode: ListMode;
  newsletters: boolean;
}

export interface EmailChoices {
  groups: GroupChoice[];
  digestHour: number;
  digestWeekday: number;
  /** Mail stopped after repeated hard bounces, until the person resumes it. */
  pausedAt: Date | null;
  /** Without a confirmed address no list mail is sent at all. */
  verified: boolean;
}

/**
 * The person's mail settings (defaults without a row) and whether their address is confirmed, as
 * columns of a one-row query: `from (select 1) one ${personSql(id)}`.
 */
function personSql(userId: number) {
  return sql`left join mail_settings ms on ms.user_id = ${userId}`;
}
const personColumns = (userId: number) => sql`coalesce(ms.digest_hour, 8) as "digestHour",
  coalesce(ms.digest_weekday, 1) as "digestWeekday", ms.paused_at as "pausedAt",
  exists ${userContactSql(sql`${userId}`)} as verified`;

type PersonRow = Pick<EmailChoices, 'digestHour' | 'digestWeekday' | 'pausedAt' | 'verified'>;
const pausedDate = (v: Date | string | null) => (v === null ? null : new Date(v));

/** Every group the person belongs to, with what it sends them, and when their digests arrive: one query. */
export async function readEmailChoices(db: Db, userId: number): Promise<EmailChoices> {
  const result = (await db.execute(sql`select ${personColumns(userId)},
      coalesce((select json_agg(json_build_object('groupId', g.id, 'slug', g.slug, 'name', g.name,
          'mode', s.mode, 'newsletters', s.newsletters) order by lower(g.name), g.id)
        from list_subscriptions s join groups g on g.id = s.group_id where s.user_id = ${userId}), '[]') as groups
    from (select 1) one ${personSql(userId)}`)) as unknown as { rows: (PersonRow & { groups: GroupChoice[] })[] };
  const row = result.rows[0]!;
  return { ...row, pausedAt: pausedDate(row.pausedAt) };
}

/**
 * Saves the /account/email form: each group's mode (`mode-<group id>`) and newsletters
 * (`newsletters-<group id>`, a checkbox) for the groups the form names, and the digest hour and
 * day. Nothing is saved unless all of it is valid.
 */
export async function saveEmailChoices(db: Db, userId: number, input: unknown): Promise<void> {
  const form = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const errors: Record<string, string> = {};
  const timing = timingInput.safeParse(form);
  if (!timing.success) {
    for (const issue of timing.error.issues) errors[String(issue.path[0])] ??= issue.message;
  }
  await db.transaction(async (tx) => {
    const mine = await tx
      .select({ groupId: listSubscriptions.groupId })
      .from(listSubscriptions)
      .where(eq(listSubscriptions.userId, userId));
    const changes: { groupId: number; mode: ListMode; newsletters: boolean }[] = [];
    for (const { groupId } of mine) {
      if (!(`mode-${groupId}` in form)) continue;
      const choice = groupChoiceInput.safeParse({
        mode: form[`mode-${groupId}`],
        newsletters: form[`newsletters-${groupId}`],
      });
      if (choice.success) changes.push({ groupId, ...choice.data });
      else errors[`mode-${groupId}`] = 'mailLists.errors.mode';
    }
    if (Object.keys(errors).length > 0 || !timing.success) throw new Invalid(errors);
    for (const c of changes) {
      await tx
        .update(listSubscriptions)
        .set({ mode: c.mode, newsletters: c.newsletters, updatedAt: sql`now()` })
        .where(and(eq(listSubscriptions.userId, userId), eq(listSubscriptions.groupId, c.groupId)));
    }
    await tx
      .insert(mailSettings)
      .values({ userId, ...timing.data })
      .onConflictDoUpdate({ target: mailSettings.userId, set: { ...timing.data, updatedAt: sql`now()` } });
  });
}

/** "Resume email" after bounces: the address gets list mail again, and the bounce count starts over. */
export async function resumeMail(db: Db, userId: number): Promise<void> {
  await db
    .update(mailSettings)
    .set({ pausedAt: null, hardBounces: 0, updatedAt: sql`now()` })
    .where(eq(mailSettings.userId, userId));
}

export interface GroupEmail {
  access: GroupAccess;
  mode: ListMode;
  newsletters: boolean;
  postByEmail: boolean;
  pausedAt: Date | null;
  verified: boolean;
}

async function readSettingsRow(db: DbOrTx, groupId: number) {
  const [row] = await db.select().from(listSettings).where(eq(listSettings.groupId, groupId));
  return row ?? { defaultMode: 'daily' as const, postByEmail: true, newsletterArchivePublic: false };
}

/** A member's choice for one group (/g/:slug/email), with what the page tells them about it. */
export async function readGroupEmail(db: Db, actor: Actor, slug: string): Promise<GroupEmail> {
  const access = await accessOwnListChoice(db, actor, slug);
  const userId = access.actor!.id;
  const groupId = access.group.id;
  const result = (await db.execute(sql`select ${personColumns(userId)},
      s.mode, s.newsletters, coalesce(ls.post_by_email, true) as "postByEmail"
    from (select 1) one ${personSql(userId)}
      left join list_subscriptions s on s.group_id = ${groupId} and s.user_id = ${userId}
      left join list_settings ls on ls.group_id = ${groupId}`)) as unknown as {
    rows: (PersonRow & { mode: ListMode | null; newsletters: boolean | null; postByEmail: boolean })[];
  };
  const row = result.rows[0]!;
  return {
    access,
    // A membership always has its row (a trigger adds it); "no email" is the safe reading if not.
    mode: row.mode ?? 'none',
    newsletters: row.newsletters ?? false,
    postByEmail: row.postByEmail,
    pausedAt: pausedDate(row.pausedAt),
    verified: row.verified,
  };
}

export async function saveGroupEmail(db: Db, actor: Actor, slug: string, input: unknown): Promise<GroupAccess> {
  const data = parseInput(groupChoiceInput, input);
  return db.transaction(async (tx) => {
    const access = await accessOwnListChoice(tx, actor, slug);
    await tx
      .insert(listSubscriptions)
      .values({ groupId: access.group.id, userId: access.actor!.id, ...data })
      .onConflictDoUpdate({
        target: [listSubscriptions.groupId, listSubscriptions.userId],
        set: { ...data, updatedAt: sql`now()` },
      });
    return access;
  });
}

export interface GroupListSettings {
  access: GroupAccess;
  defaultMode: ListMode;
  postByEmail: boolean;
  newsletterArchivePublic: boolean;
}

export async function readListSettings(db: Db, actor: Actor, slug: string): Promise<GroupListSettings> {
  const access = await accessListSettings(db, actor, slug);
  const row = await readSettingsRow(db, access.group.id);
  return {
    access,
    defaultMode: row.defaultMode,
    postByEmail: row.postByEmail,
    newsletterArchivePublic: row.newsletterArchivePublic,
  };
}

/** The group's owner sets up its list; the change goes in the group's audit log. */
export async function saveListSettings(db: Db, actor: Actor, slug: string, input: unknown): Promise<GroupAccess> {
  const data = parseInput(listSettingsInput, input);
  return db.transaction(async (tx) => {
    const access = await accessListSettings(tx, actor, slug);
    // A members-only group's newsletters are for members: its archive cannot be opened to all.
    if (data.newsletterArchivePublic && access.group.visibility !== 'public') {
      throw new Invalid({ newsletterArchivePublic: 'mailLists.errors.archivePublic' });
    }
    await tx
      .insert(listSettings)
      .values({ groupId: access.group.id, ...data })
      .onConflictDoUpdate({ target: listSettings.groupId, set: { ...data, updatedAt: sql`now()` } });
    // The audit log is read by the group's leaders in the site's language, as other entries are.
    const t = translator(defaultLocale);
    const onOff = (v: boolean) => t(v ? 'mailLists.groupSettings.on' : 'mailLists.groupSettings.off');
    await recordAudit(tx, {
      groupId: access.group.id,
      actorId: access.actor!.id,
      action: 'change_settings',
      reason: t('mailLists.groupSettings.audit', {
        mode: t(`mailLists.modes.${data.defaultMode}`),
        postByEmail: onOff(data.postByEmail),
        archive: onOff(data.newsletterArchivePublic),
      }),
    });
    return access;
  });
}

export interface Unsubscribing {
  userId: number;
  groupId: number;
  slug: string;
  name: string;
  /** Still a member (a former member's link stops nothing: there is nothing left to stop). */
  member: boolean;
}

/**
 * The member and group an unsubscribe link names, or null for a link that was not ours or was
 * changed. The signed token is the only authority: no login is needed, as mail clients' one-click
 * unsubscribe (RFC 8058) posts with no cookies.
 */
export async function readUnsubscribe(db: Db, secret: Buffer, token: string): Promise<Unsubscribing | null> {
  if (token.length > 100) return null;
  const numbers = verifyMailToken(secret, 'unsubscribe', token, 2);
  if (!numbers) return null;
  const [userId, groupId] = numbers as [number, number];
  if (userId > 2_147_483_647 || groupId > 2_147_483_647) return null;
  const result = (await db.execute(sql`select g.slug, g.name,
      exists (select 1 from list_subscriptions s where s.group_id = g.id and s.user_id = ${userId}) as member
    from groups g where g.id = ${groupId}`)) as unknown as { rows: { slug: string; name: string; member: boolean }[] };
  const row = result.rows[0];
  return row ? { userId, groupId, ...row } : null;
}

/** Stops the group's list mail for the member the link names. */
export async function confirmUnsubscribe(db: Db, secret: Buffer, token: string): Promise<Unsubscribing | null> {
  const found = await readUnsubscribe(db, secret, token);
  if (!found) return null;
  const member = await unsubscribeFromList(db, found.userId, found.groupId);
  return { ...found, member };
}
