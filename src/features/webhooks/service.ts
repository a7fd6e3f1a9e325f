import { isIP } from 'node:net';
import { and, count, desc, eq, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import type { EventSink } from '../../platform/deps.js';
import { Invalid } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import type { Viewer } from '../../platform/http/page.js';
import { isPublicAddress } from '../link-previews/index.js';
import { webhookEventTypes } from './events.js';
import { accessWebhook, type Scope } from './policy.js';
import { newSecret } from './sender.js';
import { webhookDeliveries, webhooks, type WebhookDeliveryRow, type WebhookRow } from './schema.js';

/** A group (or an organisation) keeps at most this many webhooks: each event costs a request to each. */
export const MAX_WEBHOOKS = 10;
/** Deliveries on one page of a webhook's page. */
export const DELIVERIES_PER_PAGE = 30;

/**
 * Where a webhook may point, checked when it is registered: https (http too when the operator
 * allows private addresses), no user name or password in it, and no address written out that the
 * server must not reach. A name is resolved, and each of its addresses checked, at every delivery
 * (sender.ts): its DNS answer can change after registration.
 */
export function urlAllowed(value: string, allowPrivate: boolean): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (allowPrivate) return url.protocol === 'https:' || url.protocol === 'http:';
  if (url.protocol !== 'https:') return false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return isIP(host) === 0 || isPublicAddress(host);
}

export function registerInput(allowPrivate: boolean) {
  return z.object({
    url: z
      .string()
      .trim()
      .min(1, 'webhooks.errors.urlRequired')
      .max(2000, 'webhooks.errors.urlLength')
      .refine((v) => urlAllowed(v, allowPrivate), allowPrivate ? 'webhooks.errors.urlWeb' : 'webhooks.errors.urlHttps'),
    events: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .transform((v) => (v === undefined ? [] : [v].flat()))
      .pipe(z.array(z.enum(webhookEventTypes, 'webhooks.errors.events')).min(1, 'webhooks.errors.events')),
  });
}

/**
 * Registers a webhook for the scope's group (or every group of its organisation). Returns it with
 * its secret, which its maker is shown once; it is kept only to sign deliveries.
 */
export async function registerWebhook(
  db: Db,
  scope: Scope,
  actor: Viewer,
  input: unknown,
  opts: { allowPrivateAddresses: boolean },
): Promise<WebhookRow> {
  const { url, events } = parseInput(registerInput(opts.allowPrivateAddresses), input);
  return db.transaction(async (tx) => {
    // One registration at a time per scope, so two cannot both pass the count.
    await tx.execute(sql`select pg_advisory_xact_lock(7213, ${scope.kind === 'group' ? scope.id : -scope.id})`);
    const [held] = await tx.select({ n: count() }).from(webhooks).where(ownedBy(scope));
    if ((held?.n ?? 0) >= MAX_WEBHOOKS) throw new Invalid({ '': 'webhooks.errors.tooMany' });
    const [created] = await tx
      .insert(webhooks)
      .values({
        groupId: scope.kind === 'group' ? scope.id : null,
        organisationId: scope.kind === 'organisation' ? scope.id : null,
        createdBy: actor.id,
        url,
        secret: newSecret(),
        events: [...new Set(events)],
      })
      .returning();
    return created!;
  });
}

function ownedBy(scope: Scope) {
  return scope.kind === 'group' ? eq(webhooks.groupId, scope.id) : eq(webhooks.organisationId, scope.id);
}

export interface WebhookSummary {
  webhook: Omit<WebhookRow, 'secret'>;
  /** The newest delivery's status and when it was made, or null before the first. */
  last: { status: WebhookDeliveryRow['status']; at: Date } | null;
}

/** The scope's webhooks, newest first, each with how its latest delivery went; never their secrets. */
export async function listWebhooks(db: DbOrTx, scope: Scope): Promise<WebhookSummary[]> {
  const rows = await db
    .select({
      id: webhooks.id,
      groupId: webhooks.groupId,
      organisationId: webhooks.organisationId,
      createdBy: webhooks.createdBy,
      url: webhooks.url,
      events: webhooks.events,
      createdAt: webhooks.createdAt,
      disabledAt: webhooks.disabledAt,
      last: sql<{ status: WebhookDeliveryRow['status']; at: string } | null>`(select json_build_object('status',
        d.status, 'at', d.created_at) from webhook_deliveries d where d.webhook_id = ${webhooks.id}
        order by d.id desc limit 1)`,
    })
    .from(webhooks)
    .where(ownedBy(scope))
    .orderBy(desc(webhooks.id));
  return rows.map(({ last, ...webhook }) => ({
    webhook,
    last: last ? { status: last.status, at: new Date(last.at) } : null,
  }));
}

/** Turns a webhook off (its deliveries still waiting are given up) or on again. */
export async function setWebhookOn(db: Db, scope: Scope, webhookId: number, on: boolean): Promise<void> {
  await db.transaction(async (tx) => {
    const webhook = await accessWebhook(tx, scope, webhookId);
    await tx
      .update(webhooks)
      .set({ disabledAt: on ? null : (webhook.disabledAt ?? new Date()) })
      .where(eq(webhooks.id, webhook.id));
  });
}

/** Deletes a webhook and its deliveries. */
export async function deleteWebhook(db: Db, scope: Scope, webhookId: number): Promise<void> {
  await db.transaction(async (tx) => {
    const webhook = await accessWebhook(tx, scope, webhookId);
    await tx.delete(webhooks).where(eq(webhooks.id, webhook.id));
  });
}

/** Queues a test event ("ping") to a webhook that is on, so its owner can see their receiver work. */
export async function sendTestEvent(db: Db, events: EventSink, scope: Scope, webhookId: number): Promise<void> {
  const webhook = await accessWebhook(db, scope, webhookId);
  if (webhook.disabledAt) throw new Invalid({ '': 'webhooks.errors.turnedOff' });
  await events.send({ type: 'webhook.ping', webhookId: webhook.id });
}

export interface DeliveryPage {
  deliveries: Omit<WebhookDeliveryRow, 'payload'>[];
  /** The id to ask for older deliveries with (?before=), or null on the last page. */
  before: number | null;
}

/** A webhook's deliveries, newest first, a page at a time (older than `before` when given). */
export async function listDeliveries(db: DbOrTx, webhookId: number, before?: number): Promise<DeliveryPage> {
  const rows = await db
    .select({
      id: webhookDeliveries.id,
      webhookId: webhookDeliveries.webhookId,
      groupId: webhookDeliveries.groupId,
      event: webhookDeliveries.event,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      responseStatus: webhookDeliveries.responseStatus,
      lastError: webhookDeliveries.lastError,
      createdAt: webhookDeliveries.createdAt,
      lastAttemptAt: webhookDeliveries.lastAttemptAt,
      deliveredAt: webhookDeliveries.deliveredAt,
    })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.webhookId, webhookId),
        before === undefined ? undefined : lt(webhookDeliveries.id, before),
      ),
    )
    .orderBy(desc(webhookDeliveries.id))
    .limit(DELIVERIES_PER_PAGE + 1);
  const more = rows.length > DELIVERIES_PER_PAGE;
  const deliveries = rows.slice(0, DELIVERIES_PER_PAGE);
  return { deliveries, before: more ? deliveries.at(-1)!.id : null };
}
