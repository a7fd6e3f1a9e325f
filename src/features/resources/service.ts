/**
 * The resource library's rules: suggesting, reviewing, editing, and "this helped me". Every change
 * goes through one function here, which checks the policy, writes, and records what moderators
 * decided in the group's audit log, in one transaction.
 */
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import type { Viewer } from '../../platform/http/page.js';
import { renderMarkdown } from '../../platform/views/markdown.js';
import {
  accessGroup,
  memberNameSql,
  recordAudit,
  type Actor,
  type AuditAction,
  type GroupAccess,
} from '../groups/index.js';
import { notify } from '../notifications/index.js';
import { assertCanReadLibrary, assertCanReview, assertCanSuggest, assertCanVouch, canReview } from './policy.js';
import { resources, resourceVotes, type Resource } from './schema.js';
import { libraryQuery, listLibrary, type LibraryList, type LibraryQuery } from './search.js';

export const MAX_TAGS = 8;
export const MAX_ARTICLE = 20_000;

const tagsInput = z
  .string()
  .max(1000, 'resources.errors.tags')
  .optional()
  .transform((v) => [
    ...new Set(
      (v ?? '')
        .split(',')
        .map((t) => t.trim().toLowerCase())
        .filter(Boolean),
    ),
  ])
  .pipe(z.array(z.string().max(40, 'resources.errors.tagLength')).max(MAX_TAGS, 'resources.errors.tags'));

/** Only web addresses: a javascript: or file: link in a library would be a trap, not a resource. */
const webAddress = z
  .string()
  .trim()
  .max(2000, 'resources.errors.url')
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'resources.errors.url');

const title = z.string().trim().min(1, 'resources.errors.title').max(200, 'resources.errors.title');

export const resourceInput = z.discriminatedUnion(
  'kind',
  [
    z.object({
      kind: z.literal('link'),
      title,
      url: webAddress,
      body: z.string().trim().max(2000, 'resources.errors.description').default(''),
      tags: tagsInput,
    }),
    z.object({
      kind: z.literal('article'),
      title,
      body: z.string().trim().min(1, 'resources.errors.body').max(MAX_ARTICLE, 'resources.errors.body'),
      tags: tagsInput,
    }),
  ],
  'resources.errors.kind',
);

const reasonInput = z.object({
  reason: z
    .string()
    .trim()
    .max(1000, 'resources.errors.reason')
    .optional()
    .transform((v) => v || null),
});

// Reading -----------------------------------------------------------------------------------------

export interface LibraryPage extends LibraryList {
  access: GroupAccess;
  input: LibraryQuery;
}

export async function libraryPage(db: Db, actor: Actor, slug: string, query: unknown): Promise<LibraryPage> {
  const access = await accessGroup(db, actor, slug);
  assertCanReadLibrary(access);
  const input = libraryQuery.parse(query ?? {});
  const list = await listLibrary(db, access.group.id, input, { countWaiting: canReview(access) });
  return { access, input, ...list };
}

export interface ResourceView {
  resource: Resource;
  /** The suggester's name in the group; null once their account is gone. */
  suggestedBy: string | null;
  /** The reader said "this helped me". */
  helpedByMe: boolean;
  /** The reader suggested it. */
  mine: boolean;
}

/**
 * A resource as this person may see it: an approved one for the library's readers; a suggestion
 * or a declined one only for the group's moderators and its suggester (to anyone else it is not there).
 */
export async function readResource(
  db: Db,
  actor: Actor,
  slug: string,
  id: number,
): Promise<{ access: GroupAccess; view: ResourceView }> {
  const access = await accessGroup(db, actor, slug);
  assertCanReadLibrary(access);
  const me = actor?.id ?? -1;
  const [row] = await db
    .select({
      resource: resources,
      suggestedBy: sql<string | null>`case when ${resources.authorId} is null then null
        else ${memberNameSql(sql.raw('resources.group_id'), sql.raw('resources.author_id'))} end`,
      helpedByMe: sql<boolean>`exists (select 1 from resource_votes v where v.resource_id = ${resources.id} and v.user_id = ${me})`,
    })
    .from(resources)
    .where(and(eq(resources.id, id), eq(resources.groupId, access.group.id)));
  if (!row) throw new NotFound();
  const mine = actor !== null && row.resource.authorId === actor.id;
  if (row.resource.status !== 'approved' && !mine && !canReview(access)) throw new NotFound();
  return { access, view: { ...row, mine } };
}

/** Suggestions waiting for a moderator, oldest first, with who suggested them. */
export async function reviewQueue(
  db: Db,
  actor: Actor,
  slug: string,
): Promise<{ access: GroupAccess; waiting: { resource: Resource; suggestedBy: string | null }[] }> {
  const access = await accessGroup(db, actor, slug);
  assertCanReview(access);
  const waiting = await db
    .select({
      resource: resources,
      suggestedBy: sql<string | null>`case when ${resources.authorId} is null then null
        else ${memberNameSql(sql.raw('resources.group_id'), sql.raw('resources.author_id'))} end`,
    })
    .from(resources)
    .where(and(eq(resources.groupId, access.group.id), eq(resources.status, 'suggested')))
    .orderBy(resources.id)
    .limit(200);
  return { access, waiting };
}

export async function accessForEditing(db: Db, actor: Actor, slug: string): Promise<GroupAccess> {
  const access = await accessGroup(db, actor, slug);
  assertCanReview(access);
  return access;
}

/** A resource as its moderators edit it. */
export async function resourceForEditing(db: Db, actor: Actor, slug: string, id: number): Promise<Resource> {
  const access = await accessGroup(db, actor, slug);
  assertCanReview(access);
  const [row] = await db
    .select()
    .from(resources)
    .where(and(eq(resources.id, id), eq(resources.groupId, access.group.id)));
  if (!row) throw new NotFound();
  return row;
}

// Suggesting and editing --------------------------------------------------------------------------

export async function accessForSuggesting(db: Db, actor: Actor, slug: string): Promise<GroupAccess> {
  const access = await accessGroup(db, actor, slug);
  assertCanSuggest(access);
  return access;
}

function columnsOf(data: z.infer<typeof resourceInput>) {
  return {
    kind: data.kind,
    title: data.title,
    url: data.kind === 'link' ? data.url : null,
    body: data.body,
    bodyHtml: data.body ? renderMarkdown(data.body) : '',
    tags: data.tags,
  };
}

/**
 * A member's suggestion waits for a moderator; a moderator's or leader's own goes straight into
 * the library (they are the ones who would approve it). Returns its id and where it went.
 */
export async function suggestResource(
  db: Db,
  actor: Viewer,
  slug: string,
  input: unknown,
): Promise<{ id: number; approved: boolean }> {
  const access = await accessForSuggesting(db, actor, slug);
  const data = parseInput(resourceInput, input);
  const approved = canReview(access);
  const now = new Date();
  const [row] = await db
    .insert(resources)
    .values({
      ...columnsOf(data),
      groupId: access.group.id,
      authorId: actor.id,
      status: approved ? 'approved' : 'suggested',
      decidedBy: approved ? actor.id : null,
      decidedAt: approved ? now : null,
      reviewedAt: approved ? now : null,
    })
    .returning({ id: resources.id });
  return { id: row!.id, approved };
}

/** A moderator's action on one of the group's resources, audited in the same transaction. */
async function moderate<T>(
  db: Db,
  actor: Viewer,
  slug: string,
  id: number,
  action: AuditAction,
  run: (tx: Parameters<Parameters<Db['transaction']>[0]>[0], access: GroupAccess, resource: Resource) => Promise<T>,
  check: (a: GroupAccess) => void = assertCanReview,
): Promise<T> {
  const access = await accessGroup(db, actor, slug);
  check(access);
  return db.transaction(async (tx) => {
    const [resource] = await tx
      .select()
      .from(resources)
      .where(and(eq(resources.id, id), eq(resources.groupId, access.group.id)))
      .for('update');
    if (!resource) throw new NotFound();
    const result = await run(tx, access, resource);
    await recordAudit(tx, {
      groupId: access.group.id,
      actorId: actor.id,
      action,
      subjectUserId: resource.authorId,
      reason: resource.title,
    });
    return result;
  });
}

export async function updateResource(db: Db, actor: Viewer, slug: string, id: number, input: unknown): Promise<void> {
  const data = parseInput(resourceInput, input);
  await moderate(db, actor, slug, id, 'edit_resource', async (tx) => {
    await tx
      .update(resources)
      .set({ ...columnsOf(data), updatedAt: sql`now()` })
      .where(eq(resources.id, id));
  });
}

export async function deleteResource(db: Db, actor: Viewer, slug: string, id: number): Promise<void> {
  await moderate(db, actor, slug, id, 'delete_resource', async (tx) => {
    await tx.delete(resources).where(eq(resources.id, id));
  });
}

/** Approves a suggestion and tells its suggester (the title rides in the notification's reason). */
export async function approveResource(db: Db, actor: Viewer, slug: string, id: number): Promise<void> {
  await moderate(db, actor, slug, id, 'approve_resource', async (tx, access, resource) => {
    if (resource.status === 'approved') throw new Invalid({ '': 'resources.errors.alreadyDecided' });
    const now = new Date();
    await tx
      .update(resources)
      .set({ status: 'approved', decidedBy: actor.id, decidedAt: now, reviewedAt: now, updatedAt: now })
      .where(eq(resources.id, id));
    if (resource.authorId !== null && resource.authorId !== actor.id)
      await notify(tx, {
        userId: resource.authorId,
        kind: 'resource_approved',
        groupId: access.group.id,
        reason: resource.title,
      });
  });
}

/** Declines a suggestion, with the moderator's reason when they give one, and tells its suggester. */
export async function declineResource(db: Db, actor: Viewer, slug: string, id: number, input: unknown): Promise<void> {
  const { reason } = parseInput(reasonInput, input);
  await moderate(db, actor, slug, id, 'decline_resource', async (tx, access, resource) => {
    if (resource.status !== 'suggested') throw new Invalid({ '': 'resources.errors.alreadyDecided' });
    const now = new Date();
    await tx
      .update(resources)
      .set({ status: 'declined', decidedBy: actor.id, decidedAt: now, updatedAt: now })
      .where(eq(resources.id, id));
    if (resource.authorId !== null && resource.authorId !== actor.id)
      await notify(tx, {
        userId: resource.authorId,
        kind: 'resource_declined',
        groupId: access.group.id,
        // What they suggested and why not, both for them alone.
        reason: reason ? `${resource.title} — ${reason}` : resource.title,
      });
  });
}

/** "Still right": the date members read as "last reviewed". */
export async function markReviewed(db: Db, actor: Viewer, slug: string, id: number): Promise<void> {
  await moderate(db, actor, slug, id, 'review_resource', async (tx, _access, resource) => {
    if (resource.status !== 'approved') throw new Invalid({ '': 'resources.errors.notApproved' });
    await tx
      .update(resources)
      .set({ reviewedAt: sql`now()` })
      .where(eq(resources.id, id));
  });
}

/** A facilitator of a professionally run group vouches for a resource (and its review date moves on). */
export async function vouchForResource(db: Db, actor: Viewer, slug: string, id: number): Promise<void> {
  await moderate(
    db,
    actor,
    slug,
    id,
    'vouch_resource',
    async (tx, _access, resource) => {
      if (resource.status !== 'approved') throw new Invalid({ '': 'resources.errors.notApproved' });
      await tx
        .update(resources)
        .set({ facilitatorReviewedBy: actor.id, facilitatorReviewedAt: sql`now()`, reviewedAt: sql`now()` })
        .where(eq(resources.id, id));
    },
    assertCanVouch,
  );
}

/**
 * "This helped me", on or off: one vote per member, and the count moves with it in the same
 * transaction, so the number shown is always the number of votes. Returns whether it is now on.
 */
export async function toggleHelped(db: Db, actor: Viewer, slug: string, id: number): Promise<boolean> {
  const access = await accessGroup(db, actor, slug);
  assertCanSuggest(access);
  return db.transaction(async (tx) => {
    const [resource] = await tx
      .select({ id: resources.id })
      .from(resources)
      .where(and(eq(resources.id, id), eq(resources.groupId, access.group.id), eq(resources.status, 'approved')))
      .for('update');
    if (!resource) throw new NotFound();
    const added = await tx
      .insert(resourceVotes)
      .values({ resourceId: id, userId: actor.id, groupId: access.group.id })
      .onConflictDoNothing()
      .returning({ id: resourceVotes.resourceId });
    if (added.length === 0) {
      await tx.delete(resourceVotes).where(and(eq(resourceVotes.resourceId, id), eq(resourceVotes.userId, actor.id)));
    }
    await tx
      .update(resources)
      .set({ helpedCount: sql`${resources.helpedCount} + ${added.length > 0 ? 1 : -1}` })
      .where(eq(resources.id, id));
    return added.length > 0;
  });
}
