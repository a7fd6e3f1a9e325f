import { and, desc, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import { findUserIdByName, memberIdByNameSql, memberNameSql } from './aliases.js';
import { recordAudit } from './audit.js';
import {
  accessGroup,
  assertCanManage,
  assertIsLeader,
  assertCanVerifyCredentials,
  type Actor,
  type GroupAccess,
} from './policy.js';
import { facilitatorNotes, groups, memberships, type Group, type GroupRole } from './schema.js';

const checkbox = z
  .union([z.literal('on'), z.literal('true'), z.literal(''), z.boolean()])
  .optional()
  .transform((v) => v === 'on' || v === 'true' || v === true);

export const accessSettingsInput = z.object({
  joinPolicy: z.enum(['open', 'approval', 'invitation', 'paid'], 'groups.errors.joinPolicy'),
  listed: checkbox,
  entryQuestions: z
    .string()
    .max(2000, 'groups.errors.questions')
    .optional()
    .transform((v) =>
      (v ?? '')
        .split('\n')
        .map((q) => q.trim())
        .filter(Boolean),
    )
    .refine((qs) => qs.length <= 5 && qs.every((q) => q.length <= 300), 'groups.errors.questions'),
  allowedEmailDomain: z
    .string()
    .trim()
    .toLowerCase()
    .max(253)
    .optional()
    .transform((v) => v?.replace(/^@/, '') || null)
    .refine((v) => v === null || /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(v), 'groups.errors.domain'),
  preModeration: checkbox,
  approveFirstPosts: checkbox,
  slowModeMinutes: z.coerce
    .number('groups.errors.slowMode')
    .int('groups.errors.slowMode')
    .min(0, 'groups.errors.slowMode')
    .max(1440, 'groups.errors.slowMode'),
  closedToPosts: checkbox,
  // Left as it is when the form does not send it (forms from before it was added).
  flagHideThreshold: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce
      .number('groups.errors.flagThreshold')
      .int('groups.errors.flagThreshold')
      .min(1, 'groups.errors.flagThreshold')
      .max(20, 'groups.errors.flagThreshold')
      .optional(),
  ),
  anonymousPosts: checkbox,
  facilitatorsReveal: checkbox,
  facilitatorsMayMessage: checkbox,
});

/**
 * Who may come in and how the discussion is run: join policy, listing, entry questions, an
 * organisation's email domain, pre-moderation, slow mode, and closing to new posts.
 */
export async function updateAccessSettings(db: Db, actor: Actor, slug: string, input: unknown): Promise<Group> {
  const data = parseInput(accessSettingsInput, input);
  return db.transaction(async (tx) => {
    const access = await accessGroup(tx, actor, slug);
    assertCanManage(access);
    // Only an organisation's group may be restricted to the organisation's email domain.
    if (data.allowedEmailDomain && access.group.organisationId === null) {
      throw new Invalid({ '': 'groups.errors.domainNeedsOrganisation' });
    }
    // Only a professionally run group offers the choice (src/features/messages); a peer group's
    // form leaves it as it is.
    const values: Partial<typeof data> =
      access.group.leadership === 'professional' ? data : { ...data, facilitatorsMayMessage: undefined };
    const [group] = await tx.update(groups).set(values).where(eq(groups.id, access.group.id)).returning();
    const changed = (Object.keys(values) as (keyof typeof data)[]).filter(
      (k) => values[k] !== undefined && JSON.stringify(access.group[k]) !== JSON.stringify(values[k]),
    );
    if (changed.length) {
      await recordAudit(tx, {
        groupId: access.group.id,
        actorId: actor!.id,
        action: 'change_settings',
        reason: changed.join(', '),
      });
    }
    return group!;
  });
}

const credentialInput = z.object({
  credential: z.string().trim().max(120, 'groups.errors.credentialLength'),
});

/** A facilitator states their credential; any change needs verifying again. */
export async function setCredential(db: Db, actor: Actor, slug: string, input: unknown): Promise<void> {
  const { credential } = parseInput(credentialInput, input);
  const access = await accessGroup(db, actor, slug);
  if (access.role !== 'facilitator') throw new Forbidden('groups.errors.notFacilitator');
  await db
    .update(memberships)
    .set({ credential: credential || null, credentialVerifiedAt: null, credentialVerifiedBy: null })
    .where(and(eq(memberships.groupId, access.group.id), eq(memberships.userId, actor!.id)));
}

/** An organisation or site administrator verifies a facilitator's credential, which then shows on posts. */
export async function verifyCredential(db: Db, actor: Actor, slug: string, name: string): Promise<void> {
  await db.transaction(async (tx) => {
    const access = await accessGroup(tx, actor, slug);
    assertCanVerifyCredentials(access);
    const userId = await findUserIdByName(tx, access.group.id, name);
    if (userId === null) throw new NotFound();
    const updated = await tx
      .update(memberships)
      .set({ credentialVerifiedAt: new Date(), credentialVerifiedBy: actor!.id })
      .where(
        and(
          eq(memberships.groupId, access.group.id),
          eq(memberships.userId, userId),
          eq(memberships.role, 'facilitator'),
          isNotNull(memberships.credential),
        ),
      )
      .returning({ credential: memberships.credential });
    if (updated.length === 0) throw new NotFound();
    await recordAudit(tx, {
      groupId: access.group.id,
      actorId: actor!.id,
      action: 'verify_credential',
      subjectUserId: userId,
      reason: updated[0]!.credential,
    });
  });
}

export interface LeaderBadge {
  role: GroupRole;
  credential: string | null;
}

/**
 * For another feature's query: the badge beside an author's name (qualified columns holding the
 * group and the person), or null for plain members and non-members.
 */
export function leaderBadgeSql(groupId: SQL, userId: SQL): SQL<LeaderBadge | null> {
  return sql`(select json_build_object('role', m.role, 'credential',
      case when m.credential_verified_at is not null then m.credential end)
    from memberships m where m.group_id = ${groupId} and m.user_id = ${userId} and m.role <> 'member')`;
}

/**
 * Roles to show beside authors' names in a group, with a facilitator's credential once it is
 * verified; one query for a page of posts.
 */
export async function leaderBadges(
  db: DbOrTx,
  groupId: number,
  userIds: Iterable<number | null>,
): Promise<Map<number, LeaderBadge>> {
  const ids = [...new Set([...userIds].filter((id): id is number => id !== null))];
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({
      userId: memberships.userId,
      role: memberships.role,
      credential: memberships.credential,
      verifiedAt: memberships.credentialVerifiedAt,
    })
    .from(memberships)
    .where(and(eq(memberships.groupId, groupId), inArray(memberships.userId, ids)));
  return new Map(
    rows
      .filter((r) => r.role !== 'member')
      .map((r) => [r.userId, { role: r.role, credential: r.verifiedAt ? r.credential : null }]),
  );
}

/**
 * The people who look after a group's members (owner, moderators, facilitators): those told when
 * someone in the group may be in crisis. Organisation and site admins are not included.
 */
export async function groupLeaderIds(db: DbOrTx, groupId: number): Promise<number[]> {
  const rows = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.groupId, groupId), inArray(memberships.role, ['owner', 'moderator', 'facilitator'])));
  return rows.map((r) => r.userId);
}

const noteInput = z.object({
  body: z.string().trim().min(1, 'groups.errors.noteRequired').max(5000, 'groups.errors.noteLength'),
});

/** A private note about a member, for the group's facilitators and owners only. */
export async function addNote(db: Db, actor: Actor, slug: string, name: string, input: unknown): Promise<void> {
  const { body } = parseInput(noteInput, input);
  const access = await accessGroup(db, actor, slug);
  assertIsLeader(access);
  const subject = await memberId(db, access, name);
  await db
    .insert(facilitatorNotes)
    .values({ groupId: access.group.id, subjectUserId: subject, authorId: actor!.id, body });
}

async function memberId(db: DbOrTx, access: GroupAccess, name: string): Promise<number> {
  const userId = await findUserIdByName(db, access.group.id, name);
  if (userId === null) throw new NotFound();
  const [m] = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.groupId, access.group.id), eq(memberships.userId, userId)));
  if (!m) throw new NotFound();
  return userId;
}

export interface NoteRow {
  id: number;
  author: string | null;
  body: string;
  createdAt: Date;
}

export async function notesAbout(db: Db, access: GroupAccess, name: string): Promise<NoteRow[]> {
  assertIsLeader(access);
  const subjectId = memberIdByNameSql(access.group.id, name);
  // The person is found and checked to be a member with the notes, in the same round trip.
  const [[subject], rows] = await Promise.all([
    db
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.groupId, access.group.id), eq(memberships.userId, subjectId))),
    db
      .select({
        id: facilitatorNotes.id,
        author: memberNameSql(sql.raw('facilitator_notes.group_id'), sql.raw('facilitator_notes.author_id')),
        body: facilitatorNotes.body,
        createdAt: facilitatorNotes.createdAt,
      })
      .from(facilitatorNotes)
      .where(and(eq(facilitatorNotes.groupId, access.group.id), eq(facilitatorNotes.subjectUserId, subjectId)))
      .orderBy(desc(facilitatorNotes.createdAt), desc(facilitatorNotes.id)),
  ]);
  if (!subject) throw new NotFound();
  return rows;
}
