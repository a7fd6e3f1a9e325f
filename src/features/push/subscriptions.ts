import { isIP } from 'node:net';
import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import { isPublicAddress } from '../link-previews/index.js';
import { pushSubscriptions } from './schema.js';

/** URL-safe base64 of exactly `bytes` bytes (browsers leave the padding off; some keep it). */
const base64url = (bytes: number, message: string) =>
  z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, message)
    .transform((v) => v.replace(/=+$/, ''))
    .refine((v) => Buffer.from(v, 'base64url').length === bytes, message);

/**
 * Where a push service takes this browser's pushes. Browsers give https addresses on the
 * internet; anything else is refused unless the operator allows a push service on their own
 * network (PUSH_PRIVATE_NETWORK). Names are resolved and checked again at every send (sender.ts).
 */
function endpointAllowed(value: string, allowPrivate: boolean): boolean {
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
  if (isIP(host) !== 0) return isPublicAddress(host);
  return host.includes('.') && !/(^|\.)(localhost|local|internal|home\.arpa)$/i.test(host);
}

export function subscriptionInput(allowPrivate: boolean) {
  return z.object({
    endpoint: z
      .string()
      .trim()
      .max(2000, 'push.errors.endpoint')
      .refine((v) => endpointAllowed(v, allowPrivate), 'push.errors.endpoint'),
    // The browser's P-256 public key, uncompressed (0x04, x, y), and its 16-byte auth secret.
    p256dh: base64url(65, 'push.errors.keys').refine((v) => Buffer.from(v, 'base64url')[0] === 4, 'push.errors.keys'),
    auth: base64url(16, 'push.errors.keys'),
  });
}

/**
 * Keeps a browser's subscription for the person. The same browser subscribed again (another
 * account on a shared computer, say) now belongs to whoever subscribed last: pushes must never
 * reach a device for someone no longer using it. A person's first device starts from now, so
 * it is not sent a summary of what they were told before they turned push on.
 */
export async function saveSubscription(
  db: Db,
  userId: number,
  input: unknown,
  opts: { allowPrivateEndpoints: boolean; label: string },
): Promise<void> {
  const { endpoint, p256dh, auth } = parseInput(subscriptionInput(opts.allowPrivateEndpoints), input);
  await db.transaction(async (tx) => {
    const [had] = await tx
      .select({ id: pushSubscriptions.id })
      .from(pushSubscriptions)
      .where(eq(pushSubscriptions.userId, userId))
      .limit(1);
    if (!had) {
      await tx.execute(sql`update notifications set pushed_at = now()
        where user_id = ${userId} and pushed_at is null and created_at > now() - interval '1 day'`);
    }
    await tx
      .insert(pushSubscriptions)
      .values({ userId, endpoint, p256dh, auth, label: opts.label.slice(0, 80) })
      .onConflictDoUpdate({
        target: pushSubscriptions.endpoint,
        set: {
          userId,
          p256dh,
          auth,
          label: opts.label.slice(0, 80),
          createdAt: sql`now()`,
          lastSuccessAt: null,
          failures: 0,
        },
      });
  });
}

/** Turns push off for one of the person's own devices; anyone else's reads as not found. */
export async function removeSubscription(db: Db, userId: number, id: unknown): Promise<void> {
  const n = Number(id);
  if (!Number.isSafeInteger(n) || n <= 0 || n > 2 ** 31 - 1) throw new NotFound();
  const removed = await db
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.id, n), eq(pushSubscriptions.userId, userId)))
    .returning({ id: pushSubscriptions.id });
  if (removed.length === 0) throw new NotFound();
}

export interface DeviceRow {
  id: number;
  label: string;
  createdAt: Date;
  lastSuccessAt: Date | null;
}

export interface PushPageData {
  devices: DeviceRow[];
  /** notification_settings.push_details: the lock-screen choice, shared with the notification settings page. */
  details: boolean;
}

/** The person's devices and their lock-screen choice, in one round trip. */
export async function readPushPage(db: DbOrTx, userId: number): Promise<PushPageData> {
  const result = (await db.execute(sql`
    select coalesce((select s.push_details from notification_settings s where s.user_id = ${userId}), false) as details,
      coalesce((select json_agg(json_build_object('id', p.id, 'label', p.label, 'createdAt', p.created_at,
        'lastSuccessAt', p.last_success_at) order by p.created_at, p.id)
        from push_subscriptions p where p.user_id = ${userId}), '[]'::json) as devices`)) as unknown as {
    rows: {
      details: boolean;
      devices: { id: number; label: string; createdAt: string; lastSuccessAt: string | null }[];
    }[];
  };
  const row = result.rows[0]!;
  return {
    details: row.details,
    devices: row.devices.map((d) => ({
      id: d.id,
      label: d.label,
      createdAt: new Date(d.createdAt),
      lastSuccessAt: d.lastSuccessAt ? new Date(d.lastSuccessAt) : null,
    })),
  };
}

const detailsInput = z.object({ details: z.enum(['on']).optional() });

/** The lock-screen choice for push, in the same column the notification settings page writes. */
export async function setPushDetails(db: Db, userId: number, input: unknown): Promise<void> {
  const details = parseInput(detailsInput, input).details === 'on';
  await db.execute(sql`insert into notification_settings (user_id, push_details) values (${userId}, ${details})
    on conflict (user_id) do update set push_details = excluded.push_details`);
}

/** The person's devices, for sending. */
export async function devicesOf(db: DbOrTx, userId: number) {
  return db
    .select({
      id: pushSubscriptions.id,
      endpoint: pushSubscriptions.endpoint,
      p256dh: pushSubscriptions.p256dh,
      auth: pushSubscriptions.auth,
    })
    .from(pushSubscriptions)
    .where(eq(pushSubscriptions.userId, userId))
    .orderBy(asc(pushSubscriptions.id));
}
