import { inArray, lt } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import type { MailMessage, MailTransport } from './mailer.js';
import { mailSent } from './schema.js';

/** One message for one recipient, with the key that makes sending it idempotent ("post:42:u:7"). */
export interface KeyedMail {
  key: string;
  message: MailMessage;
  /** The Message-ID: the same for every recipient of a list message, so clients thread it. */
  messageId: string;
}

export class DeliveryFailed extends Error {
  constructor(
    readonly failed: number,
    readonly first: Error,
  ) {
    super(`${failed} message(s) could not be handed to the mail server: ${first.message}`);
  }
}

/**
 * Hands every message whose key has not been sent before to the transport, a few at a time, and
 * records each key once the server has taken it. When any fails it throws after trying the rest,
 * so the job is retried and the retry sends only what is still missing: a crash or a restart
 * mid-batch neither loses nor repeats mail. (A crash between the server's "accepted" and the
 * record can repeat one message; it carries the same Message-ID, which mail clients treat as one.)
 */
export async function deliverOnce(
  db: Db,
  transport: MailTransport,
  mail: readonly KeyedMail[],
  concurrency = 8,
): Promise<{ sent: number; skipped: number }> {
  if (mail.length === 0) return { sent: 0, skipped: 0 };
  const done = new Set<string>();
  for (let i = 0; i < mail.length; i += 1000) {
    const keys = mail.slice(i, i + 1000).map((m) => m.key);
    const rows = await db.select({ key: mailSent.key }).from(mailSent).where(inArray(mailSent.key, keys));
    for (const row of rows) done.add(row.key);
  }
  const todo = mail.filter((m) => !done.has(m.key));
  const errors: Error[] = [];
  let sent = 0;
  let next = 0;
  let pending: string[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const keys = pending;
    pending = [];
    await db
      .insert(mailSent)
      .values(keys.map((key) => ({ key })))
      .onConflictDoNothing();
  };
  const lane = async () => {
    while (next < todo.length) {
      const item = todo[next]!;
      next += 1;
      try {
        await transport.deliver(item.message, item.messageId);
        sent += 1;
        pending.push(item.key);
        if (pending.length >= 200) await flush();
      } catch (error) {
        errors.push(error as Error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, todo.length) }, lane));
  await flush();
  if (errors.length > 0) throw new DeliveryFailed(errors.length, errors[0]!);
  return { sent, skipped: done.size };
}

/** Keys older than 30 days are forgotten: by then no job that could repeat them is left. */
export async function forgetOldSends(db: Db, now = new Date()): Promise<void> {
  await db.delete(mailSent).where(lt(mailSent.sentAt, new Date(now.getTime() - 30 * 24 * 3600_000)));
}
