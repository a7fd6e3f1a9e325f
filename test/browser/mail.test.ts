import { sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import type { ParsedMail } from 'mailparser';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startInboundServer, type InboundServer } from '../../src/features/mail-lists/index.js';
import { createWorld, type Agent, type TestWorld } from '../helpers/app.js';
import { makeGroup } from '../helpers/factories.js';
import { TestSmtpServer } from '../helpers/smtp.js';
import { Audit, chromiumInstalled, chromiumPath, launchChromium, Person } from './browser.js';

/*
 * The mailing list, end to end, as the issue's "done when" tells it. Mara chooses "every post" for
 * her group in a real browser. Sam starts a discussion on the web; it reaches Mara's mail client
 * (a real SMTP relay on loopback, parsed as a client would) from "Sam via Carers' Circle" at the
 * group's address, threaded and with one-click unsubscribe. Mara answers from her mail client,
 * quoting Sam as Gmail does; her reply appears on the web under her pseudonym, without the quote.
 * Her mail client's "unsubscribe" button stops the list mail. The group's owner then sends a
 * newsletter: it reaches Mara and a visitor who subscribed on the group's page and confirmed by
 * email. No message anywhere carries any address but its recipient's own.
 */

if (!chromiumInstalled && process.env.CI === 'true') {
  throw new Error(`${chromiumPath} is missing, and CI must run the browser journeys: apt-get install -y chromium`);
}

const thread = { title: 'Respite care that worked for us', body: 'After months of searching we found a day centre.' };

describe.runIf(chromiumInstalled)(
  'A mailing list, from the browser to a mail client and back',
  { timeout: 90_000 },
  () => {
    let world: TestWorld;
    let smtp: TestSmtpServer;
    let inbound: InboundServer;
    let browser: Browser;
    const audit = new Audit();
    let maraAt: Person;
    let sam: Agent;
    let olu: Agent;
    let slug = '';
    let threadPath = '';
    const people: Record<string, { id: number; email: string; password: string; pseudonym: string }> = {};
    const visitor = 'neighbour.visitor@example.net';

    const mailTo = (address: string) => smtp.messages.filter((m) => m.to && 'text' in m.to && m.to.text === address);
    const header = (mail: ParsedMail, name: string) => mail.headerLines.find((l) => l.key === name)?.line ?? '';

    beforeAll(async () => {
      smtp = await new TestSmtpServer().start();
      world = await createWorld({ smtpUrl: smtp.url });
      inbound = await startInboundServer(world.mail, { port: 0, host: '127.0.0.1', maxBytes: 1_000_000 });
      await world.createUser('Admin');
      for (const name of ['Olu', 'Mara', 'Sam']) people[name] = await world.createUser(name);
      // Their addresses are confirmed: list mail goes only to confirmed addresses.
      await world.database.db.execute(sql`update users set email_verified_at = now()`);
      slug = (await makeGroup(world, people.Olu!, { name: 'Carers’ Circle' })).slug;
      olu = world.agent();
      await olu.logIn(people.Olu!.email, people.Olu!.password);
      sam = world.agent();
      await sam.logIn(people.Sam!.email, people.Sam!.password);
      expect((await sam.post(`/g/${slug}/join`, {})).statusCode).toBe(303);
      const mara = world.agent();
      await mara.logIn(people.Mara!.email, people.Mara!.password);
      expect((await mara.post(`/g/${slug}/join`, {})).statusCode).toBe(303);

      const baseUrl = await world.app.listen({ port: 0, host: '127.0.0.1' });
      browser = await launchChromium();
      maraAt = await Person.open(browser, baseUrl, 'Mara', audit);
      await maraAt.logIn(people.Mara!.email, people.Mara!.password);
    });

    afterEach(() => {
      expect(audit.takeProblems()).toEqual([]);
    });

    afterAll(async () => {
      await browser?.close();
      await inbound?.close();
      await world?.close();
      await smtp?.close();
    });

    it('lets a member choose every post from the group’s page', async () => {
      const { page } = maraAt;
      await maraAt.visit(`/g/${slug}`);
      await maraAt.follow(() => page.getByRole('link', { name: 'Email settings', exact: true }).click());
      await page.getByLabel('Every post').check();
      await Promise.all([
        page.waitForURL(/notice=mailListsSaved/),
        page.getByRole('button', { name: 'Save', exact: true }).click(),
      ]);
      await maraAt.check();
      expect(await maraAt.notice()).toBe('Your email choices are saved.');
      expect(await page.getByLabel('Every post').isChecked()).toBe(true);
    });

    it('mails a new discussion to her, from the author’s pseudonym at the group’s address', async () => {
      const posted = await sam.post(`/g/${slug}/threads/new`, thread);
      expect(posted.statusCode).toBe(303);
      threadPath = String(posted.headers.location).split('?')[0]!;
      await world.mailTick();
      const [mail, ...more] = mailTo(people.Mara!.email);
      expect(more).toEqual([]);
      expect(mail!.from?.value).toEqual([{ name: 'Sam via Carers’ Circle', address: `${slug}@lists.test` }]);
      expect(mail!.subject).toBe(`[Carers’ Circle] ${thread.title}`);
      expect(mail!.text).toContain(thread.body);
      expect(mail!.html).toContain(thread.body);
      expect(mail!.messageId).toMatch(/^<post-\d+@lists\.test>$/);
      expect(mail!.replyTo?.value[0]?.address).toMatch(/^reply\+[\da-z-]+@lists\.test$/);
      expect(header(mail!, 'list-id')).toMatch(new RegExp(`<${slug}\\.lists\\.test>$`));
      expect(header(mail!, 'list-unsubscribe-post')).toMatch(/List-Unsubscribe=One-Click$/);
      // Sam gets a daily digest by default: nothing per post, and never his own post.
      expect(mailTo(people.Sam!.email)).toEqual([]);
    });

    it('posts her answer from her mail client into the thread, under her pseudonym, without the quote', async () => {
      const [mail] = mailTo(people.Mara!.email);
      const client = nodemailer.createTransport({
        host: '127.0.0.1',
        port: inbound.port,
        secure: false,
        ignoreTLS: true,
      });
      await client.sendMail({
        from: people.Mara!.email,
        to: mail!.replyTo!.value[0]!.address!,
        subject: `Re: ${mail!.subject}`,
        inReplyTo: mail!.messageId,
        references: [mail!.messageId!],
        text: [
          'Thank you, Sam. Which day centre was it?',
          '',
          `On Thu, 26 Nov 2026 at 10:02, Sam via Carers’ Circle <${slug}@lists.test> wrote:`,
          `> ${thread.body}`,
        ].join('\n'),
      });
      client.close();
      const { page } = maraAt;
      await maraAt.visit(threadPath);
      const reply = page.getByRole('article', { name: 'Mara' });
      await reply.getByText('Thank you, Sam. Which day centre was it?').waitFor();
      expect(await reply.textContent()).not.toContain('wrote:');
    });

    it('threads the reply under the discussion in the mail of those who follow every post', async () => {
      await world.database.db.execute(
        sql`update list_subscriptions set mode = 'every_post' where user_id = ${people.Olu!.id}`,
      );
      await sam.post(`/threads/${/\d+/.exec(threadPath)![0]}/replies`, {
        body: 'It was the Meadow Centre, on Tuesdays.',
      });
      await world.mailTick();
      const reply = mailTo(people.Olu!.email).find((m) => m.text?.includes('Meadow Centre'));
      const opening = mailTo(people.Mara!.email)[0]!;
      expect(reply?.subject).toBe(`Re: [Carers’ Circle] ${thread.title}`);
      expect(reply?.inReplyTo).toBe(opening.messageId);
      expect(reply?.references).toContain(opening.messageId);
    });

    it('stops list mail with the mail client’s one-click unsubscribe, without signing in', async () => {
      const before = mailTo(people.Mara!.email).length;
      const last = mailTo(people.Mara!.email).at(-1)!;
      const link = /<(https?:[^>]+)>/.exec(header(last, 'list-unsubscribe'))![1]!;
      // As RFC 8058 has a mail client do it: a POST with no cookies, from outside the site.
      const answer = await world.app.inject({
        method: 'POST',
        url: new URL(link).pathname,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      });
      expect(answer.statusCode).toBe(200);
      await sam.post(`/g/${slug}/threads/new`, { title: 'Another week', body: 'How is everyone doing this week?' });
      await world.mailTick();
      expect(mailTo(people.Mara!.email)).toHaveLength(before);
    });

    it('sends a newsletter to members and to a visitor who confirmed by email', async () => {
      const subscribed = await world.agent().post(`/g/${slug}/newsletters/subscribe`, { email: visitor });
      expect(subscribed.statusCode).toBeLessThan(400);
      await world.mailTick();
      const confirmation = mailTo(visitor).at(-1)!;
      const confirm = /(\/newsletters\/confirm\/[\da-z-]+)/.exec(confirmation.text ?? '')![1]!;
      const stranger = world.agent();
      await stranger.get(confirm);
      expect((await stranger.post(confirm, {})).statusCode).toBeLessThan(400);

      const written = await olu.post(`/g/${slug}/newsletters/new`, {
        subject: 'Our December gathering',
        body: 'We meet on **12 December** at the library.',
        audience: 'members_and_subscribers',
      });
      expect(written.statusCode).toBe(303);
      const newsletter = String(written.headers.location).split('?')[0]!;
      expect((await olu.post(`${newsletter}/send`, {})).statusCode).toBe(303);
      await world.mailTick();
      for (const address of [people.Mara!.email, people.Sam!.email, visitor]) {
        expect(mailTo(address).map((m) => m.subject)).toContain('Our December gathering');
      }
    });

    it('never shows anyone an address but their own, in any header or part of any message', async () => {
      const addresses = [...Object.values(people).map((p) => p.email), visitor];
      expect(smtp.sources.length).toBeGreaterThan(5);
      for (const [i, source] of smtp.sources.entries()) {
        const recipient = source.envelopeTo[0]!;
        for (const address of addresses) {
          if (address === recipient) continue;
          expect(source.raw.toLowerCase(), `message ${i} to ${recipient}`).not.toContain(address.toLowerCase());
        }
        // Bounces come back to a signed address naming the member, not to anyone's own.
        expect(source.envelopeFrom).toMatch(/@(lists\.test)$/);
      }
    });
  },
);
