import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/helpers/database.js';
import { TestSmtpServer } from '../../../test/helpers/smtp.js';
import type { Database } from '../db/client.js';
import { createJobQueue, type JobQueue } from '../jobs/queue.js';
import { createMailTransport, forgetRecipient, queuedMailer, readOutbox } from './mailer.js';

/* Mail goes out through the job queue: kept in the database until a worker delivers it. */

const from = 'Mutual <no-reply@groups.example.org>';
const message = { to: 'rowan@example.org', subject: 'Reset your password', text: 'Follow this link.' };

describe('mail through the job queue', () => {
  let database: Database;
  let smtp: TestSmtpServer;
  const queues: JobQueue[] = [];
  const open = () => {
    const queue = createJobQueue(database, {
      worker: false,
      report: (error) => {
        throw error;
      },
    });
    queues.push(queue);
    return queue;
  };

  beforeAll(async () => {
    database = await openTestDatabase();
    smtp = await new TestSmtpServer().start();
  });
  afterAll(async () => {
    for (const queue of queues) await queue.stop();
    await smtp.close();
    await database.close();
  });

  it('keeps mail until a worker delivers it to the outbox, once', async () => {
    const queue = open();
    const transport = createMailTransport({ db: database.db, smtpUrl: undefined, from });
    const mailer = queuedMailer(queue, transport, from);
    await queue.start();
    await mailer.send(message);
    expect(await readOutbox(database.db)).toEqual([]);
    await queue.drain();
    const [kept, ...more] = await readOutbox(database.db);
    expect(more).toEqual([]);
    expect(kept).toMatchObject({ ...message, messageId: expect.stringMatching(/^<[\w-]+@groups\.example\.org>$/) });
    // A worker that dies after delivering and before recording it delivers again: still one message.
    await transport.deliver(message, kept!.messageId!);
    expect(await readOutbox(database.db)).toHaveLength(1);
  });

  it('forgets everything kept for an address: its outbox mail and its queued and finished jobs', async () => {
    const queue = open();
    const mailer = queuedMailer(queue, createMailTransport({ db: database.db, smtpUrl: undefined, from }), from);
    await queue.start();
    const other = { ...message, to: 'hazel@example.org' };
    await mailer.send(message);
    await mailer.send(other);
    await queue.drain();
    await mailer.send(message);
    await forgetRecipient(database.db, message.to);
    const jobs = (await database.db.execute(
      sql`select data->>'to' as "to" from pgboss.job where name = 'mail.send'`,
    )) as unknown as { rows: { to: string }[] };
    expect(jobs.rows.map((j) => j.to)).not.toContain(message.to);
    expect(jobs.rows.map((j) => j.to)).toContain(other.to);
    expect((await readOutbox(database.db)).map((m) => m.to)).not.toContain(message.to);
    expect(await queue.drain()).toBe(0);
  });

  it('delivers over SMTP with the job as its Message-ID', async () => {
    const queue = open();
    const mailer = queuedMailer(queue, createMailTransport({ db: database.db, smtpUrl: smtp.url, from }), from);
    await queue.start();
    await mailer.send(message);
    expect(smtp.messages).toEqual([]);
    await queue.drain();
    const [mail] = await smtp.received(1);
    expect(mail!.subject).toBe(message.subject);
    expect(mail!.text?.trim()).toBe(message.text);
    expect(mail!.to).toMatchObject({ text: message.to });
    expect(mail!.from).toMatchObject({ text: from.replace('Mutual', '"Mutual"') });
    expect(mail!.messageId).toMatch(/^<[\w-]+@groups\.example\.org>$/);
    mailer.close();
  });
});
