import { generateKeyPairSync } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/helpers/database.js';
import { TestSmtpServer } from '../../../test/helpers/smtp.js';
import type { Database } from '../db/client.js';
import { createJobQueue, type JobQueue } from '../jobs/queue.js';
import { deliverOnce } from './ledger.js';
import { createMailTransport, forgetRecipient, queuedMailer, readOutbox, type MailTransport } from './mailer.js';

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

  it('signs with DKIM when a key is configured, and carries the parts and headers list mail needs', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const transport = createMailTransport({
      db: database.db,
      smtpUrl: smtp.url,
      from,
      dkim: {
        domainName: 'groups.example.org',
        keySelector: 'mutual',
        privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
    });
    await transport.deliver(
      {
        to: 'hazel@example.org',
        subject: 'Re: [Caregivers] Sleep',
        text: 'Plain words.',
        html: '<p>Plain words.</p>',
        from: { name: 'Sam via Caregivers', address: 'caregivers@groups.example.org' },
        replyTo: 'reply+1-2-abc@groups.example.org',
        inReplyTo: '<post-1@groups.example.org>',
        references: ['<post-1@groups.example.org>'],
        headers: { 'List-Id': '"Caregivers" <caregivers.groups.example.org>' },
        envelopeFrom: 'bounce+1-abc@groups.example.org',
      },
      '<post-2@groups.example.org>',
    );
    const mail = await smtp.receivedWhere((m) => m.messageId === '<post-2@groups.example.org>');
    const signature = String(
      mail.headers.get('dkim-signature') ? mail.headerLines.find((l) => l.key === 'dkim-signature')?.line : '',
    );
    expect(signature).toMatch(/d=groups\.example\.org;/);
    expect(signature).toMatch(/s=mutual;/);
    expect(mail.from?.text).toBe('"Sam via Caregivers" <caregivers@groups.example.org>');
    expect(mail.replyTo?.text).toBe('reply+1-2-abc@groups.example.org');
    expect(mail.inReplyTo).toBe('<post-1@groups.example.org>');
    expect(mail.html).toContain('<p>Plain words.</p>');
    // Header names are case-insensitive (nodemailer writes List-ID); the value goes out as written.
    expect(mail.headerLines.find((l) => l.key === 'list-id')?.line).toMatch(
      /^List-Id: "Caregivers" <caregivers\.groups\.example\.org>$/i,
    );
    transport.close();
  });

  it('sends bulk mail once per recipient, however often the job is retried', async () => {
    const outbox = createMailTransport({ db: database.db, smtpUrl: undefined, from });
    let refuse = 'b2@example.org';
    // A mail server that refuses one recipient for a while, as a full mailbox or a greylist does.
    const flaky: MailTransport = {
      deliver: async (m, id) => {
        if (m.to === refuse) throw new Error('451 try again later');
        await outbox.deliver(m, id);
      },
      close: () => undefined,
    };
    const mail = ['b1', 'b2', 'b3'].map((name) => ({
      key: `test:bulk:${name}`,
      messageId: '<bulk-1@groups.example.org>',
      message: { to: `${name}@example.org`, subject: 'News', text: 'Hello.' },
    }));
    await expect(deliverOnce(database.db, flaky, mail)).rejects.toThrow('1 message(s) could not be handed');
    refuse = '';
    expect(await deliverOnce(database.db, flaky, mail)).toEqual({ sent: 1, skipped: 2 });
    expect(await deliverOnce(database.db, flaky, mail)).toEqual({ sent: 0, skipped: 3 });
    const kept = (await readOutbox(database.db)).filter((m) => m.messageId === '<bulk-1@groups.example.org>');
    expect(kept.map((m) => m.to).sort()).toEqual(['b1@example.org', 'b2@example.org', 'b3@example.org']);
  });
});
