import { randomUUID } from 'node:crypto';
import { and, eq, isNull, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import type { EventSink } from '../../platform/deps.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import { loadEvent, PING, sourceEvent, sourceEventTypes, type SourceEvent } from './events.js';
import { webhookDeliveries, webhooks } from './schema.js';
import { postDelivery, signedHeaders } from './sender.js';

export interface WebhookWorkOptions {
  db: Db;
  baseUrl: string;
  /** WEBHOOKS_ALLOW_PRIVATE_ADDRESSES. */
  allowPrivateAddresses: boolean;
  /** Tests: only receivers on loopback, by address. */
  loopbackOnly?: boolean | undefined;
  /** Attempts before a delivery is given up as failed; 8 when absent (about two hours with the default delay). */
  maxAttempts?: number | undefined;
  /** Seconds before the first retry, doubling after each; 60 when absent. Tests use 0: retried at once. */
  retryDelaySeconds?: number | undefined;
  /** For each attempt; 10 seconds when absent. */
  timeoutMs?: number | undefined;
}

/** What a delivery's payload is: the envelope receivers read (docs/webhooks.md). */
export interface Envelope {
  id: string;
  type: string;
  createdAt: string;
  group: { slug: string; name: string } | null;
  data: Record<string, unknown>;
}

const deliverData = z.object({ deliveryId: z.number().int().positive() });

/**
 * Webhooks are told of events by two jobs. 'webhooks.event' takes what a request sent (deps.events)
 * and finds the webhooks that want it (the group's own, and its organisation's), writes a delivery
 * for each and queues it. 'webhooks.deliver' posts one delivery, signed; a receiver that does not
 * answer 2xx (a redirect included, as redirects are not followed) is tried again later, each wait
 * twice the last, until the attempts run out; an address the server must not reach is refused at
 * once. Retries are queued by the job itself, not thrown, so that a receiver being down is no error.
 * Returns the sink for main.ts (and the test world) to fan events out to.
 */
export function defineWebhookJobs(jobs: Pick<JobQueue, 'define'>, opts: WebhookWorkOptions): EventSink {
  const { db } = opts;
  const maxAttempts = opts.maxAttempts ?? 8;
  const retryDelay = opts.retryDelaySeconds ?? 60;
  const sender = {
    allowPrivateAddresses: opts.allowPrivateAddresses,
    loopbackOnly: opts.loopbackOnly,
    timeoutMs: opts.timeoutMs ?? 10_000,
    userAgent: `Mutual-Webhooks/1 (+${opts.baseUrl})`,
  };

  const deliver = jobs.define({
    name: 'webhooks.deliver',
    data: deliverData,
    // Pg-boss's own retries are for a worker that died mid-attempt; receivers' failures are counted below.
    retryLimit: 2,
    expireInSeconds: 120,
    run: async ({ deliveryId }) => {
      const [row] = await db
        .select({
          status: webhookDeliveries.status,
          attempts: webhookDeliveries.attempts,
          payload: webhookDeliveries.payload,
          url: webhooks.url,
          secret: webhooks.secret,
          disabledAt: webhooks.disabledAt,
        })
        .from(webhookDeliveries)
        .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
        .where(eq(webhookDeliveries.id, deliveryId));
      if (!row || (row.status !== 'pending' && row.status !== 'retrying')) return;
      const still = and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.attempts, row.attempts));
      if (row.disabledAt) {
        await db
          .update(webhookDeliveries)
          .set({ status: 'failed', lastError: 'the webhook was turned off' })
          .where(still);
        return;
      }
      const body = JSON.stringify(row.payload);
      const id = (row.payload as Envelope).id;
      const attempt = await postDelivery(row.url, body, signedHeaders(row.secret, id, body), sender);
      const attempts = row.attempts + 1;
      const now = new Date();
      if (attempt.outcome === 'delivered') {
        await db
          .update(webhookDeliveries)
          .set({
            status: 'delivered',
            attempts,
            responseStatus: attempt.status,
            lastError: null,
            lastAttemptAt: now,
            deliveredAt: now,
          })
          .where(still);
        return;
      }
      if (attempt.outcome === 'refused') {
        await db
          .update(webhookDeliveries)
          .set({ status: 'refused', attempts, responseStatus: null, lastError: attempt.error, lastAttemptAt: now })
          .where(still);
        return;
      }
      const last = attempts >= maxAttempts;
      const updated = await db
        .update(webhookDeliveries)
        .set({
          status: last ? 'failed' : 'retrying',
          attempts,
          responseStatus: attempt.status,
          lastError: attempt.error,
          lastAttemptAt: now,
        })
        .where(still)
        .returning({ id: webhookDeliveries.id });
      if (!last && updated.length > 0) {
        await deliver.send({ deliveryId }, { startAfter: retryDelay * 2 ** (attempts - 1) });
      }
    },
  });

  const event = jobs.define({
    name: 'webhooks.event',
    data: sourceEvent,
    run: async (source) => {
      const found = await targetsOf(db, opts.baseUrl, source);
      if (!found || found.targets.length === 0) return;
      const createdAt = new Date().toISOString();
      const ids = await db.transaction(async (tx) => {
        const out: number[] = [];
        for (const webhookId of found.targets) {
          // Each delivery its own id, kept across its retries, so that a receiver can skip one it has seen.
          const payload: Envelope = {
            id: randomUUID(),
            type: found.type,
            createdAt,
            group: found.group,
            data: found.data,
          };
          const [row] = await tx
            .insert(webhookDeliveries)
            .values({ webhookId, groupId: found.groupId, event: found.type, payload })
            .returning({ id: webhookDeliveries.id });
          out.push(row!.id);
        }
        return out;
      });
      for (const deliveryId of ids) await deliver.send({ deliveryId });
    },
  });

  return {
    async send(e) {
      if (sourceEventTypes.has(e.type)) await event.send(e as SourceEvent);
    },
  };
}

/** An event as receivers see it, the group it happened in, and the webhooks that want it. */
interface Found {
  type: string;
  group: Envelope['group'];
  data: Record<string, unknown>;
  groupId: number | null;
  targets: number[];
}

async function targetsOf(db: Db, baseUrl: string, source: SourceEvent): Promise<Found | null> {
  if (source.type === 'webhook.ping') {
    const result = (await db.execute(sql`select w.id, w.group_id as "groupId", g.slug, g.name,
        o.slug as "organisationSlug", o.name as "organisationName"
      from webhooks w left join groups g on g.id = w.group_id left join organisations o on o.id = w.organisation_id
      where w.id = ${source.webhookId} and w.disabled_at is null`)) as unknown as {
      rows: {
        id: number;
        groupId: number | null;
        slug: string | null;
        name: string | null;
        organisationSlug: string | null;
        organisationName: string | null;
      }[];
    };
    const w = result.rows[0];
    if (!w) return null;
    return {
      type: PING,
      group: w.slug && w.name ? { slug: w.slug, name: w.name } : null,
      data: {
        message: 'A test event from Mutual: your webhook is reached.',
        ...(w.organisationSlug ? { organisation: { slug: w.organisationSlug, name: w.organisationName } } : {}),
      },
      groupId: w.groupId,
      targets: [w.id],
    };
  }
  const event = await loadEvent(db, baseUrl, source);
  if (!event) return null;
  const rows = await db
    .select({ id: webhooks.id })
    .from(webhooks)
    .where(
      and(
        isNull(webhooks.disabledAt),
        sql`${event.type} = any(${webhooks.events})`,
        or(
          eq(webhooks.groupId, event.groupId),
          sql`${webhooks.organisationId} = (select g.organisation_id from groups g where g.id = ${event.groupId})`,
        ),
      ),
    );
  return { ...event, targets: rows.map((r) => r.id) };
}
