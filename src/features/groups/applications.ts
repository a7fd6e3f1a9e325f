import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { sendAfterCommit, type EventSink } from '../../platform/deps.js';
import { Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { translator } from '../../platform/views/i18n.js';
import { emailOf } from '../accounts/index.js';
import { acceptAgreementsField, acceptOnEntry } from '../agreements/index.js';
import { notify } from '../notifications/index.js';
import { memberNameSql, optionalAlias, writeAlias } from './aliases.js';
import { recordAudit } from './audit.js';
import { addMember, announceNewMember, assertMayEnter } from './membership.js';
import {
  accessGroup,
  accessGroupById,
  assertCanModerate,
  canModerate,
  type Actor,
  type GroupAccess,
} from './policy.js';
import { applications, type Application } from './schema.js';

const answersInput = z.object({
  answers: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : [v].flat().map((a) => a.trim()))),
  alias: optionalAlias,
  acceptAgreements: acceptAgreementsField,
});

/**
 * Applies to a group that approves its members, answering its entry questions, under an alias
 * when one is given: those who review the application see that name, never the pseudonym.
 */
export async function applyToGroup(
  db: Db,
  actor: Actor,
  slug: string,
  input: unknown,
  events?: EventSink,
): Promise<Application> {
  const { answers, alias, acceptAgreements } = parseInput(answersInput, input);
  let received = false;
  const application = await db.transaction(async (tx) => {
    const access = await accessGroup(tx, actor, slug);
    await assertMayEnter(tx, access);
    if (access.group.joinPolicy !== 'approval') throw new Forbidden('groups.errors.notApproval');
    if (access.membership) throw new Invalid({ '': 'groups.errors.alreadyMember' });
    const questions = access.group.entryQuestions;
    const errors: Record<string, string> = {};
    questions.forEach((_, i) => {
      const answer = answers[i] ?? '';
      if (!answer) errors[`answer-${i}`] = 'groups.errors.answerRequired';
      else if (answer.length > 2000) errors[`answer-${i}`] = 'groups.errors.answerLength';
    });
    if (Object.keys(errors).length) throw new Invalid(errors);
    // Accepted at the version applied to; approved later, they accept again only if it changed meanwhile.
    await acceptOnEntry(tx, access, acceptAgreements);
    if (alias) await writeAlias(tx, access.group.id, actor!.id, alias);
    const [pending] = await tx
      .select()
      .from(applications)
      .where(
        and(
          eq(applications.groupId, access.group.id),
          eq(applications.userId, actor!.id),
          eq(applications.status, 'pending'),
        ),
      );
    if (pending) return pending;
    const [created] = await tx
      .insert(applications)
      .values({
        groupId: access.group.id,
        userId: actor!.id,
        questions,
        answers: questions.map((_, i) => answers[i] ?? ''),
      })
      .returning();
    received = true;
    return created!;
  });
  // For the group's webhooks (src/features/webhooks).
  if (received) await sendAfterCommit(events, { type: 'application.received', applicationId: application.id });
  return application;
}

/** The applicant's latest application to a group, so they can see where it stands. */
export async function myApplication(db: Db, access: GroupAccess): Promise<Application | null> {
  if (!access.actor) return null;
  const [row] = await db
    .select()
    .from(applications)
    .where(and(eq(applications.groupId, access.group.id), eq(applications.userId, access.actor.id)))
    .orderBy(desc(applications.createdAt), desc(applications.id))
    .limit(1);
  return row ?? null;
}

export async function withdrawApplication(db: Db, actor: Actor, slug: string): Promise<void> {
  const access = await accessGroup(db, actor, slug);
  if (!actor) throw new Forbidden('groups.errors.logInFirst');
  await db
    .update(applications)
    .set({ status: 'withdrawn', decidedAt: new Date() })
    .where(
      and(
        eq(applications.groupId, access.group.id),
        eq(applications.userId, actor.id),
        eq(applications.status, 'pending'),
      ),
    );
}

export interface ApplicationRow {
  id: number;
  applicant: string;
  questions: string[];
  answers: string[];
  createdAt: Date;
}

/** Pending applications with their answers, oldest first: for the group's moderators and leaders. */
export async function pendingApplications(db: Db, access: GroupAccess): Promise<ApplicationRow[]> {
  assertCanModerate(access);
  const rows = await db
    .select({
      id: applications.id,
      applicant: memberNameSql(sql.raw('applications.group_id'), sql.raw('applications.user_id')),
      questions: applications.questions,
      answers: applications.answers,
      createdAt: applications.createdAt,
    })
    .from(applications)
    .where(and(eq(applications.groupId, access.group.id), eq(applications.status, 'pending')))
    .orderBy(asc(applications.createdAt), asc(applications.id));
  return rows.map((r) => ({ ...r, applicant: r.applicant ?? '' }));
}

const decisionInput = z.object({
  decision: z.enum(['approve', 'decline'], 'groups.errors.decision'),
  message: z.string().trim().max(2000, 'groups.errors.messageLength').optional(),
});

/**
 * Approves (the applicant becomes a member) or declines an application, with an optional
 * message; the applicant is told by email either way, and sees the decision on the group's page.
 * They accepted the group's agreements when they applied (applyToGroup); approved, they are
 * welcomed (addMember) and the group's webhooks hear of a new member.
 */
export async function decideApplication(
  db: Db,
  mailer: Mailer,
  baseUrl: string,
  actor: Actor,
  applicationId: number,
  input: unknown,
  events?: EventSink,
): Promise<GroupAccess> {
  const { decision, message } = parseInput(decisionInput, input);
  let joined = false;
  const result = await db.transaction(async (tx) => {
    const [application] = await tx.select().from(applications).where(eq(applications.id, applicationId));
    if (!application) throw new NotFound();
    const access = await accessGroupById(tx, actor, application.groupId);
    // Only those who review applications see them: to anyone else one does not exist.
    if (!canModerate(access)) throw new NotFound();
    if (application.status !== 'pending') throw new Invalid({ '': 'groups.errors.alreadyDecided' });
    await tx
      .update(applications)
      .set({
        status: decision === 'approve' ? 'approved' : 'declined',
        decisionMessage: message || null,
        decidedBy: actor!.id,
        decidedAt: new Date(),
      })
      .where(eq(applications.id, applicationId));
    if (decision === 'approve') joined = await addMember(tx, application.groupId, application.userId);
    // On their notifications page (and pushed) as well as by the email below; never who decided.
    await notify(tx, {
      userId: application.userId,
      kind: 'application_decision',
      groupId: application.groupId,
      reason: decision === 'approve' ? 'approved' : 'declined',
    });
    await recordAudit(tx, {
      groupId: application.groupId,
      actorId: actor!.id,
      action: decision === 'approve' ? 'approve_application' : 'decline_application',
      subjectUserId: application.userId,
      reason: message || null,
    });
    return { access, applicantId: application.userId };
  });
  if (joined) await announceNewMember(events, result.access.group.id, result.applicantId);
  const email = await emailOf(db, result.applicantId);
  if (email) {
    // Mail says which group only in its body, never in the subject a lock screen shows.
    const t = translator('en');
    const group = result.access.group;
    const key = decision === 'approve' ? 'groups.applicationMail.approved' : 'groups.applicationMail.declined';
    await mailer.send({
      to: email,
      subject: t('groups.applicationMail.subject'),
      text: t(key, {
        group: group.name,
        link: `${baseUrl}/g/${group.slug}`,
        message: message ? `\n\n${t('groups.applicationMail.messageIntro')}\n\n${message}` : '',
      }),
    });
  }
  return result.access;
}
