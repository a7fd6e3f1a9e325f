import { and, desc, eq, inArray, like, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import type { Viewer } from '../../platform/http/page.js';
import { firstFreeSlug, slugify } from '../../platform/text/slug.js';
import { wallClockToUtc } from '../../platform/text/zoned-time.js';
import { renderMarkdown } from '../../platform/views/markdown.js';
import {
  accessGroup,
  accessGroupById,
  memberNameSql,
  recordAudit,
  type Actor,
  type GroupAccess,
} from '../groups/index.js';
import {
  assertCanListCampaigns,
  assertCanSeeCampaign,
  assertCanSign,
  assertCanWriteCampaigns,
  canWriteCampaigns,
} from './policy.js';
import { campaigns, campaignSignatures, campaignUpdates, type Campaign } from './schema.js';

/*
 * Advocacy campaigns: a group's leaders write one, publish it (its page is then public) and close
 * it; they post updates; people sign it with their name in the group, or anonymously, and may
 * take their name back. Every change goes through a function here.
 */

const oneLine = (s: string) => !/[\r\n]/u.test(s);

/** An address people are sent to: http or https, with a host. */
const actionUrl = z
  .string()
  .trim()
  .max(2000, 'campaigns.errors.actionUrl')
  .transform((v) => v || null)
  .refine((v) => {
    if (v === null) return true;
    try {
      const url = new URL(v);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'campaigns.errors.actionUrl');

export const campaignInput = z
  .object({
    title: z
      .string()
      .trim()
      .min(3, 'campaigns.errors.title')
      .max(120, 'campaigns.errors.title')
      .refine(oneLine, 'campaigns.errors.title'),
    statement: z.string().trim().min(1, 'campaigns.errors.statement').max(20_000, 'campaigns.errors.statement'),
    callToAction: z
      .string()
      .trim()
      .min(1, 'campaigns.errors.callToAction')
      .max(200, 'campaigns.errors.callToAction')
      .refine(oneLine, 'campaigns.errors.callToAction'),
    actionUrl: actionUrl.optional().transform((v) => v ?? null),
    eventDate: z
      .string()
      .trim()
      .regex(/^(\d{4}-\d{2}-\d{2})?$/u, 'campaigns.errors.eventDate')
      .optional()
      .transform((v) => v || null),
    eventTime: z
      .string()
      .trim()
      .regex(/^(\d{2}:\d{2})?$/u, 'campaigns.errors.eventTime')
      .optional()
      .transform((v) => v || null),
    // A checkbox: present when ticked.
    signable: z
      .string()
      .optional()
      .transform((v) => v !== undefined),
  })
  .refine((v) => (v.eventDate === null) === (v.eventTime === null), {
    message: 'campaigns.errors.eventBoth',
    path: ['eventDate'],
  });

const updateInput = z.object({
  body: z.string().trim().min(1, 'campaigns.errors.update').max(10_000, 'campaigns.errors.update'),
});

const signInput = z.object({
  how: z.enum(['public', 'anonymous'], 'campaigns.errors.how'),
});

/** The form's fields as a row, the event read on the writer's clock. */
function campaignFields(input: unknown, actor: Viewer) {
  const data = parseInput(campaignInput, input);
  let eventAt: Date | null = null;
  if (data.eventDate && data.eventTime) {
    eventAt = wallClockToUtc(data.eventDate, data.eventTime, actor.timeZone ?? 'UTC');
    if (!eventAt) throw new Invalid({ eventDate: 'campaigns.errors.eventDate' });
  }
  return {
    title: data.title,
    statement: data.statement,
    statementHtml: renderMarkdown(data.statement),
    callToAction: data.callToAction,
    actionUrl: data.actionUrl,
    eventAt,
    signable: data.signable,
  };
}

// Writing ---------------------------------------------------------------------------------------

/** The group, with the check that this person may write its campaigns. */
export async function accessForWriting(db: DbOrTx, actor: Actor, slug: string): Promise<GroupAccess> {
  const access = await accessGroup(db, actor, slug);
  assertCanWriteCampaigns(access);
  return access;
}

/** A campaign of the group, as its writers see it (drafts too). */
async function ownCampaign(db: DbOrTx, access: GroupAccess, id: number): Promise<Campaign> {
  const [row] = await db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.id, id), eq(campaigns.groupId, access.group.id)));
  if (!row) throw new NotFound();
  return row;
}

export async function campaignForWriting(
  db: DbOrTx,
  actor: Actor,
  slug: string,
  id: number,
): Promise<{ access: GroupAccess; campaign: Campaign }> {
  const access = await accessForWriting(db, actor, slug);
  return { access, campaign: await ownCampaign(db, access, id) };
}

/** An address made from the title, unique across the site: "fund-the-clinic", "fund-the-clinic-2"… */
async function freeSlug(tx: DbOrTx, title: string, keep?: number): Promise<string> {
  const base = slugify(title, 'campaign');
  // Two writers choosing the same title wait for each other here, so each gets its own address.
  await tx.execute(sql`select pg_advisory_xact_lock(7310, hashtext(${base}))`);
  const taken = await tx
    .select({ slug: campaigns.slug, id: campaigns.id })
    .from(campaigns)
    .where(or(eq(campaigns.slug, base), like(campaigns.slug, `${base}-%`)));
  return firstFreeSlug(
    base,
    taken.filter((t) => t.id !== keep).map((t) => t.slug),
  );
}

/** Saves a new draft; returns it. */
export async function createCampaign(db: Db, actor: Viewer, slug: string, input: unknown): Promise<Campaign> {
  const access = await accessForWriting(db, actor, slug);
  const fields = campaignFields(input, actor);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(campaigns)
      .values({ ...fields, slug: await freeSlug(tx, fields.title), groupId: access.group.id, authorId: actor.id })
      .returning();
    return row!;
  });
}

/**
 * Changes a draft or a published campaign (a closed one is history). A draft's address follows
 * its title; once published, the address people have shared stays.
 */
export async function updateCampaign(
  db: Db,
  actor: Viewer,
  slug: string,
  id: number,
  input: unknown,
): Promise<Campaign> {
  const access = await accessForWriting(db, actor, slug);
  const fields = campaignFields(input, actor);
  return db.transaction(async (tx) => {
    const current = await ownCampaign(tx, access, id);
    if (current.status === 'closed') throw new Invalid({ '': 'campaigns.errors.closed' });
    const newSlug =
      current.status === 'draft' && current.title !== fields.title
        ? await freeSlug(tx, fields.title, id)
        : current.slug;
    const [row] = await tx
      .update(campaigns)
      .set({ ...fields, slug: newSlug })
      .where(and(eq(campaigns.id, id), eq(campaigns.groupId, access.group.id)))
      .returning();
    return row!;
  });
}

/** Draft → published: the page becomes public. */
export async function publishCampaign(db: Db, actor: Viewer, slug: string, id: number): Promise<Campaign> {
  return changeStatus(db, actor, slug, id, 'draft', 'published');
}

/** Published → closed: the page stays, signing stops. */
export async function closeCampaign(db: Db, actor: Viewer, slug: string, id: number): Promise<Campaign> {
  return changeStatus(db, actor, slug, id, 'published', 'closed');
}

async function changeStatus(
  db: Db,
  actor: Viewer,
  slug: string,
  id: number,
  from: 'draft' | 'published',
  to: 'published' | 'closed',
): Promise<Campaign> {
  const access = await accessForWriting(db, actor, slug);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(campaigns)
      .set(to === 'published' ? { status: to, publishedAt: sql`now()` } : { status: to })
      .where(and(eq(campaigns.id, id), eq(campaigns.groupId, access.group.id), eq(campaigns.status, from)))
      .returning();
    if (!row) {
      await ownCampaign(tx, access, id);
      throw new Invalid({ '': from === 'draft' ? 'campaigns.errors.notDraft' : 'campaigns.errors.notPublished' });
    }
    await recordAudit(tx, {
      groupId: access.group.id,
      actorId: actor.id,
      action: to === 'published' ? 'publish_campaign' : 'close_campaign',
      reason: row.title,
    });
    return row;
  });
}

/** An update on a published or closed campaign, shown on its page newest first. */
export async function postUpdate(db: Db, actor: Viewer, slug: string, id: number, input: unknown): Promise<Campaign> {
  const access = await accessForWriting(db, actor, slug);
  const data = parseInput(updateInput, input);
  const campaign = await ownCampaign(db, access, id);
  if (campaign.status === 'draft') throw new Invalid({ '': 'campaigns.errors.updateDraft' });
  await db
    .insert(campaignUpdates)
    .values({ campaignId: id, groupId: access.group.id, body: data.body, bodyHtml: renderMarkdown(data.body) });
  return campaign;
}

// Reading ---------------------------------------------------------------------------------------

export interface CampaignListItem {
  id: number;
  slug: string;
  title: string;
  status: Campaign['status'];
  signatureCount: number;
  publishedAt: Date | null;
}

/** A group's campaigns: published and closed ones, and drafts for their writers; newest first. */
export async function listCampaigns(
  db: Db,
  actor: Actor,
  slug: string,
): Promise<{ access: GroupAccess; items: CampaignListItem[] }> {
  const access = await accessGroup(db, actor, slug);
  assertCanListCampaigns(access);
  const statuses: Campaign['status'][] = canWriteCampaigns(access)
    ? ['draft', 'published', 'closed']
    : ['published', 'closed'];
  const items = await db
    .select({
      id: campaigns.id,
      slug: campaigns.slug,
      title: campaigns.title,
      status: campaigns.status,
      signatureCount: campaigns.signatureCount,
      publishedAt: campaigns.publishedAt,
    })
    .from(campaigns)
    .where(and(eq(campaigns.groupId, access.group.id), inArray(campaigns.status, statuses)))
    .orderBy(desc(campaigns.createdAt), desc(campaigns.id));
  return { access, items };
}

export interface CampaignPage {
  access: GroupAccess;
  campaign: Campaign;
  updates: { id: number; bodyHtml: string; createdAt: Date }[];
  /** The names of those who signed with their name, in the order they signed. */
  signers: string[];
  /** How the viewer signed, or null. */
  mine: 'public' | 'anonymous' | null;
}

/** Names shown on a page at most: the count says how many there are. */
const SIGNERS_SHOWN = 500;

/**
 * A campaign's page: the campaign with its updates, its public signers' names in the group and
 * the viewer's own signature, in one query, beside the viewer's standing in the group.
 */
export async function readCampaign(db: Db, actor: Actor, slug: string): Promise<CampaignPage> {
  const viewerId = actor?.id ?? -1;
  const group = sql.raw('s.group_id');
  const [access, rows] = await Promise.all([
    accessGroupById(db, actor, sql`(select c.group_id from campaigns c where c.slug = ${slug})`),
    db
      .select({
        campaign: campaigns,
        updates: sql<{ id: number; bodyHtml: string; createdAt: string }[]>`(select coalesce(json_agg(json_build_object(
            'id', u.id, 'bodyHtml', u.body_html, 'createdAt', u.created_at) order by u.created_at desc, u.id desc), '[]'::json)
          from campaign_updates u where u.campaign_id = campaigns.id)`,
        signers: sql<string[]>`(select coalesce(json_agg(x.name order by x.created_at, x.user_id), '[]'::json) from (
            select ${memberNameSql(group, sql.raw('s.user_id'))} as name, s.created_at, s.user_id
            from campaign_signatures s where s.campaign_id = campaigns.id and s.public
            order by s.created_at, s.user_id limit ${SIGNERS_SHOWN}) x)`,
        mine: sql<boolean | null>`(select s.public from campaign_signatures s
          where s.campaign_id = campaigns.id and s.user_id = ${viewerId})`,
      })
      .from(campaigns)
      .where(eq(campaigns.slug, slug)),
  ]);
  const row = rows[0];
  if (!row) throw new NotFound();
  assertCanSeeCampaign(access, row.campaign);
  return {
    access,
    campaign: row.campaign,
    updates: row.updates.map((u) => ({ ...u, createdAt: new Date(u.createdAt) })),
    signers: row.signers.filter((n): n is string => typeof n === 'string'),
    mine: row.mine === null ? null : row.mine ? 'public' : 'anonymous',
  };
}

// Signing ---------------------------------------------------------------------------------------

/** The published, signable campaign at an address, and the viewer's standing in its group. */
async function campaignToSign(
  tx: DbOrTx,
  actor: Actor,
  slug: string,
): Promise<{ access: GroupAccess; campaign: Campaign }> {
  const [campaign] = await tx.select().from(campaigns).where(eq(campaigns.slug, slug));
  if (!campaign) throw new NotFound();
  const access = await accessGroupById(tx, actor, campaign.groupId);
  assertCanSeeCampaign(access, campaign);
  return { access, campaign };
}

/**
 * Adds the viewer's name (or an anonymous mark) to the campaign; signing again changes only how.
 * The count changes in the same transaction as the signatures, so it is never out of step.
 */
export async function signCampaign(db: Db, actor: Viewer, slug: string, input: unknown): Promise<Campaign> {
  const { how } = parseInput(signInput, input);
  return db.transaction(async (tx) => {
    const { access, campaign } = await campaignToSign(tx, actor, slug);
    assertCanSign(access);
    if (campaign.status !== 'published' || !campaign.signable)
      throw new Invalid({ '': 'campaigns.errors.notSignable' });
    const isPublic = how === 'public';
    const added = await tx
      .insert(campaignSignatures)
      .values({ campaignId: campaign.id, userId: actor.id, groupId: campaign.groupId, public: isPublic })
      .onConflictDoNothing()
      .returning({ userId: campaignSignatures.userId });
    if (added.length > 0) {
      await tx
        .update(campaigns)
        .set({ signatureCount: sql`${campaigns.signatureCount} + 1` })
        .where(eq(campaigns.id, campaign.id));
    } else {
      await tx
        .update(campaignSignatures)
        .set({ public: isPublic })
        .where(and(eq(campaignSignatures.campaignId, campaign.id), eq(campaignSignatures.userId, actor.id)));
    }
    return campaign;
  });
}

/** Takes the viewer's signature back, whatever the campaign's state: a name is its owner's to withdraw. */
export async function withdrawSignature(db: Db, actor: Viewer, slug: string): Promise<Campaign> {
  return db.transaction(async (tx) => {
    const { campaign } = await campaignToSign(tx, actor, slug);
    const removed = await tx
      .delete(campaignSignatures)
      .where(and(eq(campaignSignatures.campaignId, campaign.id), eq(campaignSignatures.userId, actor.id)))
      .returning({ userId: campaignSignatures.userId });
    if (removed.length > 0) {
      await tx
        .update(campaigns)
        .set({ signatureCount: sql`greatest(${campaigns.signatureCount} - 1, 0)` })
        .where(eq(campaigns.id, campaign.id));
    }
    return campaign;
  });
}
