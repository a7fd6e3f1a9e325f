import { desc, eq, sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { z } from 'zod';
import type { Db, DbOrTx } from '../db/client.js';
import { forgetJobs, type JobQueue } from '../jobs/queue.js';
import { outbox } from './schema.js';

export const mailMessage = z.object({
  to: z.string().min(3).max(320),
  subject: z.string().max(998),
  text: z.string().max(1_000_000),
});
export type MailMessage = z.infer<typeof mailMessage>;

/** What features send mail with. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** Hands a message over now: to the SMTP server, or into the outbox. */
export interface MailTransport {
  /** `messageId` is the same on every attempt, so a message delivered twice reads as one. */
  deliver(message: MailMessage, messageId: string): Promise<void>;
  close(): void;
}

/** Sends through SMTP when a URL is configured; otherwise keeps the message in the outbox table. */
export function createMailTransport(opts: { db: Db; smtpUrl: string | undefined; from: string }): MailTransport {
  if (!opts.smtpUrl) {
    return {
      deliver: async (m, messageId) => {
        await opts.db
          .insert(outbox)
          .values({ to: m.to, subject: m.subject, text: m.text, messageId })
          .onConflictDoNothing({ target: outbox.messageId });
      },
      close: () => undefined,
    };
  }
  const url = new URL(opts.smtpUrl);
  url.searchParams.set('pool', 'true');
  const transport = nodemailer.createTransport(url.toString());
  return {
    deliver: async (m, messageId) => {
      await transport.sendMail({ from: opts.from, to: m.to, subject: m.subject, text: m.text, messageId });
    },
    close: () => transport.close(),
  };
}

/**
 * Mail that survives a crash: sending puts a `mail.send` job in the database, and a worker
 * delivers it through the transport, retrying while the mail server is unreachable. The job's
 * id makes the Message-ID, so a retry after a delivery that was not recorded is recognisable
 * as the same message (and the outbox keeps it once).
 */
export function queuedMailer(jobs: JobQueue, transport: MailTransport, from: string): Mailer {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'mutual.invalid';
  const job = jobs.define({
    name: 'mail.send',
    data: mailMessage,
    retryLimit: 10,
    retryDelay: 30,
    expireInSeconds: 5 * 60,
    run: (message, { id }) => transport.deliver(message, `<${id}@${domain}>`),
  });
  return {
    send: async (message) => {
      await job.send(message);
    },
    close: () => transport.close(),
  };
}

export async function readOutbox(db: Db, limit = 100) {
  return db.select().from(outbox).orderBy(desc(outbox.id)).limit(limit);
}

/**
 * Forgets the mail kept for an address (a deleted account's): the outbox must not outlive it, nor
 * the mail still queued for it, nor the finished jobs pg-boss keeps for a while.
 */
export async function forgetRecipient(db: DbOrTx, address: string): Promise<void> {
  await db.delete(outbox).where(eq(outbox.to, address));
  await forgetJobs(db, 'mail.send', sql`data->>'to' = ${address}`);
}
