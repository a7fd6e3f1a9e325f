import { desc } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import type { Db } from '../db/client.js';
import { outbox } from './schema.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** Sends through SMTP when a URL is configured; otherwise keeps the message in the outbox table. */
export function createMailer(opts: { db: Db; smtpUrl: string | undefined; from: string }): Mailer {
  if (!opts.smtpUrl) {
    return {
      send: async (m) => {
        await opts.db.insert(outbox).values({ to: m.to, subject: m.subject, text: m.text });
      },
      close: () => undefined,
    };
  }
  const url = new URL(opts.smtpUrl);
  url.searchParams.set('pool', 'true');
  const transport = nodemailer.createTransport(url.toString());
  return {
    send: async (m) => {
      await transport.sendMail({ from: opts.from, to: m.to, subject: m.subject, text: m.text });
    },
    close: () => transport.close(),
  };
}

export async function readOutbox(db: Db, limit = 100) {
  return db.select().from(outbox).orderBy(desc(outbox.id)).limit(limit);
}
