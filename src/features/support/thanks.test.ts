import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { findUserIdByPseudonym } from '../accounts/index.js';
import { users } from '../accounts/schema.js';
import { gatherMemberData } from '../privacy/index.js';
import { thanks } from './schema.js';

const settings = { joinPolicy: 'open', listed: 'on', slowModeMinutes: '0', anonymousPosts: 'on' };

/*
 * "My support" and thank-you notes, after a scripted conversation in a grief group. Ada goes by
 * "Quiet Harbour" there; Bo answers her first; Cy and Bo talk; Bo also answers Cy anonymously.
 * Notes are seen only by the person thanked (and, as sent, by their sender).
 */
describe('my support and thank-you notes', () => {
  let world: TestWorld;
  let ada: Agent;
  let bo: Agent;
  let cy: Agent;
  let dee: Agent;
  let slug: string;
  const ids = { adaThread: 0, cyThread: 0, boFirst: 0, cyReply: 0, boSecond: 0, boAnonymous: 0, cyOwnReply: 0 };

  async function start(agent: Agent, title: string, body: string): Promise<number> {
    const res = await agent.post(`/g/${slug}/threads/new`, { title, body });
    expect(res.statusCode).toBe(303);
    return Number((res.headers.location as string).split('?')[0]!.split('/').pop());
  }
  async function reply(agent: Agent, threadId: number, body: string, anonymous = false) {
    const res = await agent.post(`/threads/${threadId}/replies`, anonymous ? { body, anonymous: 'on' } : { body });
    expect(res.statusCode).toBe(303);
    return Number(/#post-(\d+)/.exec(res.headers.location as string)![1]);
  }
  const page = async (agent: Agent, url: string) => textOf((await agent.get(url)).body);

  beforeAll(async () => {
    world = await createWorld();
    await world.createUser('Admin');
    const o = await world.createUser('Owner Olu');
    const owner = world.agent();
    await owner.logIn(o.email, o.password);
    slug = (await makeGroup(world, o, { name: 'Grief circle' })).slug;
    await owner.post(`/g/${slug}/settings`, settings);
    ada = await world.member('Ada Pseudo');
    bo = await world.member('Bo Pseudo');
    cy = await world.member('Cy Pseudo');
    dee = await world.member('Dee Outsider');
    await ada.post(`/g/${slug}/join`, { alias: 'Quiet Harbour' });
    await bo.post(`/g/${slug}/join`);
    await cy.post(`/g/${slug}/join`);

    ids.adaThread = await start(ada, 'My first week without Mum', 'I do not know how to do this.');
    ids.boFirst = await reply(bo, ids.adaThread, 'I lost my dad last spring. One hour at a time.');
    ids.cyReply = await reply(cy, ids.adaThread, 'We are here with you.');
    ids.boSecond = await reply(bo, ids.adaThread, 'Write to her, if it helps. I still do.');
    ids.cyThread = await start(cy, 'Anniversaries', 'How do you get through the day itself?');
    ids.boAnonymous = await reply(bo, ids.cyThread, 'I hide from the calendar. It is all right.', true);
    ids.cyOwnReply = await reply(cy, ids.cyThread, 'Thank you, that helps.');
    for (const [agent, post, kind] of [
      [ada, ids.boFirst, 'support'],
      [cy, ids.boFirst, 'helpful'],
      [bo, ids.cyReply, 'support'],
    ] as const) {
      expect((await agent.post(`/posts/${post}/reactions/${kind}`)).statusCode).toBe(303);
    }
  });
  afterAll(() => world.close());

  it('counts, for Bo alone, the replies he wrote, what he answered first and the reactions', async () => {
    const text = await page(bo, '/account/support');
    expect(text).toContain('This page is only for you');
    // Three replies (one anonymous), two first answers, one reaction given, two received.
    expect(text).toMatch(/Replies you wrote\s+3/);
    expect(text).toMatch(/Discussions you answered first\s+2/);
    expect(text).toMatch(/Reactions you gave\s+1/);
    expect(text).toMatch(/Reactions to your posts\s+2/);
    expect(text).toContain('Grief circle');
    // Cy answered nobody first: Ada's thread had Bo's answer before hers.
    expect(await page(cy, '/account/support')).toMatch(/Discussions you answered first\s+0/);
    expect((await world.agent().get('/account/support')).headers.location).toBe('/login?next=%2Faccount%2Fsupport');
  });

  it('offers "Say thank you" under others’ replies only, and delivers the note to its helper alone', async () => {
    const html = (await ada.get(`/g/${slug}/t/${ids.adaThread}`)).body;
    expect(html).toContain(`action="/posts/${ids.boFirst}/thanks"`);
    expect(html).toContain(`action="/posts/${ids.cyReply}/thanks"`);
    const own = (await bo.get(`/g/${slug}/t/${ids.adaThread}`)).body;
    expect(own).not.toContain(`action="/posts/${ids.boFirst}/thanks"`);
    const forms = (body: string) => body.match(/action="\/posts\/\d+\/thanks"/g)?.length ?? 0;
    expect(forms(html)).toBe(3);
    // Bo sees it under Cy's reply only: not under his own, nor under Ada's opening post.
    expect(forms(own)).toBe(1);
    // Not for a visitor.
    expect((await world.agent().get(`/g/${slug}/t/${ids.adaThread}`)).body).not.toContain('/thanks"');

    const note = 'Your words got me through the night.';
    const sent = await ada.post(`/posts/${ids.boFirst}/thanks`, { message: note });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`/g/${slug}/t/${ids.adaThread}?notice=supportThanked#post-${ids.boFirst}`);

    const mine = await page(bo, '/account/support');
    expect(mine).toContain('Quiet Harbour, in Grief circle');
    expect(mine).toContain(note);
    expect(mine).not.toContain('Ada Pseudo');
    expect((await bo.get('/account/support')).body).toContain(
      `href="/g/${slug}/t/${ids.adaThread}#post-${ids.boFirst}"`,
    );
    const told = await page(bo, '/notifications');
    expect(told).toContain('Quiet Harbour thanked you for your reply in Grief circle.');
    expect(told).not.toContain('Ada Pseudo');

    // Nobody else sees the note: not Cy, not on the thread page, not the sender's page as a figure.
    for (const agent of [cy, ada, bo, world.agent()]) {
      expect(await page(agent, `/g/${slug}/t/${ids.adaThread}`)).not.toContain(note);
    }
    expect(await page(cy, '/account/support')).not.toContain(note);
    expect(await page(cy, '/notifications')).not.toContain('thanked you');
    expect(await page(ada, `/g/${slug}/t/${ids.adaThread}`)).toContain('You thanked them for this reply.');
  });

  it('refuses a second note for the same reply, one’s own reply, and a non-member', async () => {
    const again = await ada.post(`/posts/${ids.boFirst}/thanks`, { message: 'And again.' });
    expect(again.statusCode).toBe(400);
    expect(textOf(again.body)).toContain('You have already thanked them for this reply.');
    expect(textOf(again.body)).toContain('And again.');

    const own = await bo.post(`/posts/${ids.boFirst}/thanks`, { message: 'Me!' });
    expect(own.statusCode).toBe(403);
    expect(textOf(own.body)).toContain('This is your own reply');

    const outsider = await dee.post(`/posts/${ids.boFirst}/thanks`, { message: 'Lovely.' });
    expect(outsider.statusCode).toBe(403);
    const opening = await bo.post(`/posts/${ids.adaThread}/thanks`, {});
    expect([403, 404]).toContain(opening.statusCode);
    expect(await world.database.db.select().from(thanks)).toHaveLength(1);
  });

  it('keeps the text of a note that is too long, with a kind message', async () => {
    const long = `Thank you ${'so very much '.repeat(45)}`;
    expect(long.trim().length).toBeGreaterThan(500);
    const res = await cy.post(`/posts/${ids.boSecond}/thanks`, { message: long });
    expect(res.statusCode).toBe(400);
    const text = textOf(res.body);
    expect(text).toContain('Please keep your note to 500 characters or fewer.');
    expect(res.body).toContain(long.trim().slice(0, 200));
    expect(await page(bo, '/account/support')).not.toContain('so very much');
  });

  it('lets an anonymous reply be thanked without telling the sender who wrote it', async () => {
    const res = await cy.post(`/posts/${ids.boAnonymous}/thanks`, { message: 'The calendar thing, yes.' });
    expect(res.statusCode).toBe(303);
    const thread = await page(cy, `/g/${slug}/t/${ids.cyThread}`);
    expect(thread).toContain('You thanked them for this reply.');
    expect(thread).not.toContain('Bo Pseudo');
    expect(await page(bo, '/account/support')).toContain('The calendar thing, yes.');
  });

  it('refuses a note across a block, either way, on a named reply', async () => {
    expect((await cy.post(`/posts/${ids.boSecond}/block`)).statusCode).toBe(303);
    const fromBlocker = await cy.post(`/posts/${ids.boSecond}/thanks`, { message: 'Thanks.' });
    expect(fromBlocker.statusCode).toBe(403);
    expect(textOf(fromBlocker.body)).toContain('one of you has blocked the other');
    const fromBlocked = await bo.post(`/posts/${ids.cyOwnReply}/thanks`, { message: 'Thanks.' });
    expect(fromBlocked.statusCode).toBe(403);
    // The note Cy sent to the anonymous reply before is left out of Bo's page while the block stands.
    expect(await page(bo, '/account/support')).not.toContain('The calendar thing, yes.');
  });

  it('exports notes sent and received with names as shown, and deletes them with the account', async () => {
    const db = world.database.db;
    const boId = (await findUserIdByPseudonym(db, 'Bo Pseudo'))!;
    const cyId = (await findUserIdByPseudonym(db, 'Cy Pseudo'))!;
    const bos = (await gatherMemberData(db, boId))!;
    expect(bos.support.thanksReceived.map((n) => [n.from, n.group, n.message])).toContainEqual([
      'Quiet Harbour',
      'Grief circle',
      'Your words got me through the night.',
    ]);
    const cys = (await gatherMemberData(db, cyId))!;
    // Cy thanked an anonymous reply: her archive does not name its author.
    expect(cys.support.thanksSent).toHaveLength(1);
    expect(cys.support.thanksSent[0]!.to).toBeNull();

    await db.delete(users).where(eq(users.id, cyId));
    expect((await db.select().from(thanks).where(eq(thanks.fromUserId, cyId))).length).toBe(0);
    expect(await db.select().from(thanks)).toHaveLength(1);
  });
});
