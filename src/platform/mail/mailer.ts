import { desc, eq, sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { z } from 'zod';
import type { Db, DbOrTx } from '../db/client.js';
import { forgetJobs, type JobQueue } from '../jobs/queue.js';
import { outbox } from './schema.js';

const address = z.string().min(3).max(320);

export const mailMessage = z.object({
  to: address,
  subject: z.string().max(998),
  text: z.string().max(1_000_000),
  /** An HTML part beside the plain text. */
  html: z.string().max(2_000_000).optional(),
  /** Who it is from; MAIL_FROM when absent. List mail: the author's pseudonym at the group's address. */
  from: z.object({ name: z.string().max(300), address }).optional(),
  replyTo: address.optional(),
  /** A stable Message-ID ("<post-42@lists.example.org>"); the job's own when absent. */
  messageId: z.string().max(998).optional(),
  inReplyTo: z.string().max(998).optional(),
  references: z.array(z.string().max(998)).max(100).optional(),
  /** Further headers: List-Id, List-Unsubscribe, List-Unsubscribe-Post, Auto-Submitted… */
  headers: z.record(z.string(), z.string().max(2000)).optional(),
  /** The envelope sender (Return-Path), where bounces go: a VERP address naming the recipient. */
  envelopeFrom: address.optional(),
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

/** DKIM signing of outgoing mail (config DKIM_SELECTOR and DKIM_PRIVATE_KEY_FILE). */
export interface DkimSettings {
  domainName: string;
  keySelector: string;
  privateKey: string;
}

export interface MailTransportOptions {
  db: Db;
  smtpUrl: string | undefined;
  /** MAIL_FROM: the From of mail that names no other. */
  from: string;
  dkim?: DkimSettings | undefined;
  /** Connections kept open to the SMTP server (nodemailer's pool); 5 unless set. */
  maxConnections?: number | undefined;
}

/** The headers a message carries beyond To, From and Subject, as the outbox keeps them. */
function extraHeaders(m: MailMessage): Record<string, string> {
  const headers: Record<string, string> = { ...m.headers };
  if (m.replyTo) headers['Reply-To'] = m.replyTo;
  if (m.inReplyTo) headers['In-Reply-To'] = m.inReplyTo;
  if (m.references?.length) headers.References = m.references.join(' ');
  if (m.envelopeFrom) headers['Return-Path'] = `<${m.envelopeFrom}>`;
  return headers;
}

/** Sends through SMTP when a URL is configured; otherwise keeps the message in the outbox table. */
export function createMailTransport(opts: MailTransportOptions): MailTransport {
  if (!opts.smtpUrl) {
    return {
      deliver: async (m, messageId) => {
        const headers = extraHeaders(m);
        await opts.db
          .insert(outbox)
          .values({
            to: m.to,
            from: m.from ? formatAddress(m.from) : null,
            subject: m.subject,
            text: m.text,
            html: m.html ?? null,
            headers: Object.keys(headers).length > 0 ? headers : null,
            messageId,
          })
          .onConflictDoNothing({ target: [outbox.messageId, outbox.to] });
      },
      close: () => undefined,
    };
  }
  const transport = nodemailer.createTransport({
    url: opts.smtpUrl,
    pool: true,
    maxConnections: opts.maxConnections ?? 5,
    ...(opts.dkim ? { dkim: opts.dkim } : {}),
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    deliver: async (m, messageId) => {
      await transport.sendMail({
        from: m.from ?? opts.from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        ...(m.html ? { html: m.html } : {}),
        ...(m.replyTo ? { replyTo: m.replyTo } : {}),
        ...(m.inReplyTo ? { inReplyTo: m.inReplyTo } : {}),
        ...(m.references?.length ? { references: m.references } : {}),
        ...(m.headers ? { headers: preparedHeaders(m.headers) } : {}),
        ...(m.envelopeFrom ? { envelope: { from: m.envelopeFrom, to: m.to } } : {}),
        messageId,
      });
    },
    close: () => transport.close(),
  };
}

/**
 * Our extra headers are formatted already (List-Id's quoted phrase, List-Unsubscribe's list of
 * <…>), and nodemailer would turn a whole value into one MIME encoded word at its first quote,
 * which no mail client reads as a List-Id. Printable ASCII goes out as it is (folded); anything
 * else is left to nodemailer to encode.
 */
function preparedHeaders(headers: Record<string, string>) {
  return Object.fromEntries(
    Object.entries(headers).map(([key, value]) => [
      key,
      /^[\x20-\x7e]*$/.test(value) ? { prepared: true, foldLines: true, value } : value,
    ]),
  );
}

/** `"Sam via Caregivers Circle" <caregivers@lists.example.org>`, quoted as a header needs. */
export function formatAddress(a: { name: string; address: string }): string {
  return `"${a.name.replace(/["\\\r\n]/g, ' ')}" <${a.address}>`;
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
    run: (message, { id }) => transport.deliver(message, message.messageId ?? `<${id}@${domain}>`),
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
