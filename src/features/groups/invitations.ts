import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import type { EventSink } from '../../platform/deps.js';
import { Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { translator } from '../../platform/views/i18n.js';
import { emailOf } from '../accounts/index.js';
import { acceptAgreementsField, acceptOnEntry } from '../agreements/index.js';
import { optionalAlias, writeAlias } from './aliases.js';
import { recordAudit } from './audit.js';
import { addMember, announceNewMember, assertMayEnter } from './membership.js';
import { accessGroup, accessGroupById, assertCanModerate, type Actor, type GroupAccess } from './policy.js';
import { invitations } from './schema.js';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const invitationInput = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(254, 'accounts.errors.emailInvalid')
    .optional()
    .transform((v) => v || undefined)
    .pipe(z.email('accounts.errors.emailInvalid').optional()),
  days: z.coerce
    .number()
    .int('groups.errors.inviteDays')
    .min(1, 'groups.errors.inviteDays')
    .max(90, 'groups.errors.inviteDays'),
  uses: z.coerce
    .number()
    .int('groups.errors.inviteUses')
    .min(1, 'groups.errors.inviteUses')
    .max(1000, 'groups.errors.inviteUses'),
});

/**
 * Makes an invite link (or an invitation for one email address, sent by mail). The link is shown
 * once to its maker; only its hash is kept.
 */
export async function createInvitation(
  db: Db,
  mailer: Mailer,
  baseUrl: string,
  actor: Actor,
  slug: string,
  input: unknown,
): Promise<{ link: string; email: string | undefined }> {
  const data = parseInput(invitationInput, input);
  const token = randomBytes(24).toString('base64url');
  const link = `${baseUrl}/invite/${token}`;
  const access = await db.transaction(async (tx) => {
    const a = await accessGroup(tx, actor, slug);
    assertCanModerate(a);
    const [row] = await tx
      .insert(invitations)
      .values({
        groupId: a.group.id,
        tokenHash: hashToken(token),
        email: data.email ?? null,
        createdBy: actor!.id,
        expiresAt: new Date(Date.now() + data.days * 24 * 3600 * 1000),
        maxUses: data.email ? 1 : data.uses,
      })
      .returning({ id: invitations.id });
    await recordAudit(tx, {
      groupId: a.group.id,
      actorId: actor!.id,
      action: 'create_invitation',
      reason: data.email ? `#${row!.id} (email)` : `#${row!.id} (link, ${data.uses} uses)`,
    });
    return a;
  });
  if (data.email) {
    const t = translator('en');
    await mailer.send({
      to: data.email,
      subject: t('groups.invitationMail.subject'),
      text: t('groups.invitationMail.body', { group: access.group.name, link, days: data.days }),
    });
  }
  return { link, email: data.email };
}

export interface InvitationRow {
  id: number;
  email: string | null;
  uses: number;
  maxUses: number;
  expiresAt: Date;
}

/** Invitations that still work, for the group's moderators. */
export async function activeInvitations(db: Db, access: GroupAccess): Promise<InvitationRow[]> {
  assertCanModerate(access);
  return db
    .select({
      id: invitations.id,
      email: invitations.email,
      uses: invitations.uses,
      maxUses: invitations.maxUses,
      expiresAt: invitations.expiresAt,
    })
    .from(invitations)
    .where(
      and(
        eq(invitations.groupId, access.group.id),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, new Date()),
        sql`${invitations.uses} < ${invitations.maxUses}`,
      ),
    )
    .orderBy(desc(invitations.createdAt));
}

export async function revokeInvitation(db: Db, actor: Actor, slug: string, invitationId: number): Promise<void> {
  await db.transaction(async (tx) => {
    const access = await accessGroup(tx, actor, slug);
    assertCanModerate(access);
    const revoked = await tx
      .update(invitations)
      .set({ revokedAt: new Date() })
      .where(and(eq(invitations.id, invitationId), eq(invitations.groupId, access.group.id)))
      .returning({ id: invitations.id });
    if (revoked.length === 0) throw new NotFound();
    await recordAudit(tx, {
      groupId: access.group.id,
      actorId: actor!.id,
      action: 'revoke_invitation',
      reason: `#${invitationId}`,
    });
  });
}

/** The group an invitation leads to, while it still works; otherwise NotFound (saying nothing more). */
export async function invitationGroup(db: Db, actor: Actor, token: string): Promise<GroupAccess> {
  const [row] = await db
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.tokenHash, hashToken(token)),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, new Date()),
        sql`${invitations.uses} < ${invitations.maxUses}`,
      ),
    );
  if (!row) throw new NotFound();
  return accessGroupById(db, actor, row.groupId);
}

const acceptInput = z.object({ alias: optionalAlias, acceptAgreements: acceptAgreementsField });

/**
 * Accepts an invitation: the person becomes a member, whatever the group's join policy, under an
 * alias when they give one, having accepted the group's agreements as joining asks.
 */
export async function acceptInvitation(
  db: Db,
  actor: Actor,
  token: string,
  input: unknown = {},
  events?: EventSink,
): Promise<GroupAccess> {
  const { alias, acceptAgreements } = parseInput(acceptInput, input ?? {});
  let joined = false;
  const access = await db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(invitations)
      .where(
        and(
          eq(invitations.tokenHash, hashToken(token)),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, new Date()),
          sql`${invitations.uses} < ${invitations.maxUses}`,
        ),
      )
      .for('update');
    if (!row) throw new NotFound();
    const access = await accessGroupById(tx, actor, row.groupId);
    await assertMayEnter(tx, access);
    if (row.email && (await emailOf(tx, actor!.id)) !== row.email)
      throw new Forbidden('groups.errors.invitationForOther');
    if (access.membership) throw new Invalid({ '': 'groups.errors.alreadyMember' });
    await acceptOnEntry(tx, access, acceptAgreements);
    if (alias) await writeAlias(tx, row.groupId, actor!.id, alias);
    joined = await addMember(tx, row.groupId, actor!.id);
    await tx
      .update(invitations)
      .set({ uses: sql`${invitations.uses} + 1` })
      .where(eq(invitations.id, row.id));
    return accessGroupById(tx, actor, row.groupId);
  });
  if (joined) await announceNewMember(events, access.group.id, actor!.id);
  return access;
}
