import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { findUserIdByPseudonym } from '../accounts/index.js';
import { gatherMemberData } from '../privacy/index.js';

const settings = { joinPolicy: 'open', listed: 'on', slowModeMinutes: '0', anonymousPosts: 'on' };

/*
 * Blocking, muting and "hide this post for me". Ada blocks Bo, who goes by the alias "Night Owl"
 * in the group (and "Sea Glass" in another): in that group neither sees the other's named posts
 * or threads, Bo cannot reply to Ada's threads, and nothing links Night Owl to Bo's pseudonym or
 * other alias. Anonymous posts are never taken out by a block.
 */
describe('blocking and muting', () => {
  let world: TestWorld;
  let owner: Agent;
  let ada: Agent;
  let bo: Agent;
  let cy: Agent;
  let slug: string;
  let other: string;
  const ids = { adaThread: 0, boThread: 0, cyThread: 0, boReply: 0, boAnonymous: 0, adaReply: 0 };

  async function start(agent: Agent, group: string, title: string, body: string): Promise<number> {
    const res = await agent.post(`/g/${group}/threads/new`, { title, body });
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
    owner = world.agent();
    await owner.logIn(o.email, o.password);
    slug = (await makeGroup(world, o, { name: 'Grief circle' })).slug;
    other = (await makeGroup(world, o, { name: 'Walking group' })).slug;
    await owner.post(`/g/${slug}/settings`, settings);
    ada = await world.member('Ada Pseudo');
    bo = await world.member('Bo Pseudo');
    cy = await world.member('Cy Pseudo');
    await ada.post(`/g/${slug}/join`);
    await bo.post(`/g/${slug}/join`, { alias: 'Night Owl' });
    await cy.post(`/g/${slug}/join`);
    await ada.post(`/g/${other}/join`);
    await bo.post(`/g/${other}/join`, { alias: 'Sea Glass' });

    ids.adaThread = await start(ada, slug, 'Ada remembers her father', 'He taught me to swim.');
    ids.boThread = await start(bo, slug, 'Night Owl cannot sleep', 'Three in the morning again.');
    ids.cyThread = await start(cy, slug, 'Small comforts', 'What helps you on hard days?');
    ids.boReply = await reply(bo, ids.cyThread, 'Walking the dog at dawn helps me.');
    ids.boAnonymous = await reply(bo, ids.cyThread, 'Sometimes nothing helps, and that is all right.', true);
    ids.adaReply = await reply(ada, ids.cyThread, 'Tea with honey, every evening.');
    await start(bo, other, 'Sea Glass walks the coast', 'Ten miles on Sunday.');
  });
  afterAll(() => world.close());

  it('offers a block on named posts only, and refuses one on an anonymous post', async () => {
    const html = (await ada.get(`/g/${slug}/t/${ids.cyThread}`)).body;
    expect(html).toContain(`action="/posts/${ids.boReply}/block"`);
    expect(html).toContain('aria-label="Block Night Owl"');
    expect(html).not.toContain(`action="/posts/${ids.boAnonymous}/block"`);
    expect(html).toContain(`action="/posts/${ids.boAnonymous}/hide-for-me"`);
    const refused = await ada.post(`/posts/${ids.boAnonymous}/block`);
    expect(refused.statusCode).toBe(403);
    expect(textOf(refused.body)).toContain('Anonymous posts cannot be blocked');
    const self = await ada.post(`/posts/${ids.adaReply}/block`);
    expect(self.statusCode).toBe(400);
  });

  it('leaves each out of the other’s thread page and thread list, both ways, in that group only', async () => {
    const blocked = await ada.post(`/posts/${ids.boReply}/block`);
    expect(blocked.statusCode).toBe(303);
    expect(blocked.headers.location).toBe(`/g/${slug}?notice=blocked`);

    // Ada no longer sees Bo's named posts or threads.
    const adaList = await page(ada, `/g/${slug}`);
    expect(adaList).not.toContain('Night Owl cannot sleep');
    expect(adaList).toContain('Small comforts');
    const adaThread = await page(ada, `/g/${slug}/t/${ids.cyThread}`);
    expect(adaThread).not.toContain('Walking the dog at dawn');
    expect(adaThread).not.toContain('Night Owl');
    // An anonymous post stays: taking it out would tell Ada who wrote it.
    expect(adaThread).toContain('Sometimes nothing helps');
    expect((await ada.get(`/g/${slug}/t/${ids.boThread}`)).statusCode).toBe(404);

    // And Bo no longer sees Ada's.
    const boList = await page(bo, `/g/${slug}`);
    expect(boList).not.toContain('Ada remembers her father');
    const boThread = await page(bo, `/g/${slug}/t/${ids.cyThread}`);
    expect(boThread).not.toContain('Tea with honey');
    expect(boThread).toContain('Walking the dog at dawn');
    expect((await bo.get(`/g/${slug}/t/${ids.adaThread}`)).statusCode).toBe(404);

    // Everyone else, and the group's moderators, see everything.
    for (const agent of [cy, owner]) {
      const text = await page(agent, `/g/${slug}/t/${ids.cyThread}`);
      expect(text).toContain('Walking the dog at dawn');
      expect(text).toContain('Tea with honey');
    }
    // The block holds in its own group only: elsewhere it would link Night Owl to Sea Glass.
    expect(await page(ada, `/g/${other}`)).toContain('Sea Glass walks the coast');
  });

  it('refuses the blocked person’s replies to the blocker’s threads, kindly', async () => {
    const refused = await bo.post(`/threads/${ids.adaThread}/replies`, { body: 'Hello Ada' });
    expect(refused.statusCode).toBe(403);
    expect(textOf(refused.body)).toContain('You cannot reply to this thread.');
    // Ada may still reply anywhere, and a moderator may still reply to Ada's thread.
    await reply(owner, ids.adaThread, 'Thank you for sharing this, Ada.');
    expect((await ada.post(`/threads/${ids.cyThread}/replies`, { body: 'Still here.' })).statusCode).toBe(303);
  });

  it('lists the block under the name Ada saw, with its group, and nothing that links it to the account', async () => {
    const res = await ada.get('/account/blocked');
    expect(res.statusCode).toBe(200);
    const text = textOf(res.body);
    expect(text).toContain('Night Owl');
    expect(text).toContain('Grief circle');
    expect(res.body).not.toMatch(/Bo Pseudo|bopseudo|Sea Glass/i);
    expect(textOf((await bo.get('/account/blocked')).body)).toContain('You have not blocked anyone.');
    // Her data archive holds the block as she made it, and his holds nothing of it.
    const adaId = (await findUserIdByPseudonym(world.database.db, 'Ada Pseudo'))!;
    const boId = (await findUserIdByPseudonym(world.database.db, 'Bo Pseudo'))!;
    const archive = await gatherMemberData(world.database.db, adaId);
    expect(archive!.safety.blocked).toEqual([expect.objectContaining({ name: 'Night Owl', group: 'Grief circle' })]);
    expect((await gatherMemberData(world.database.db, boId))!.safety.blocked).toEqual([]);
    // The thread page and list Ada sees hold nothing of Bo either.
    for (const url of [`/g/${slug}`, `/g/${slug}/t/${ids.cyThread}`]) {
      expect((await ada.get(url)).body).not.toMatch(/Bo Pseudo|Sea Glass/i);
    }
  });

  it('blocks from the member list by the name shown there, and unblocks from the list', async () => {
    const res = await cy.post(`/g/${slug}/members/${encodeURIComponent('Night Owl')}/block`);
    expect(res.statusCode).toBe(303);
    expect(await page(cy, `/g/${slug}`)).not.toContain('Night Owl cannot sleep');
    // A pseudonym does not find someone who goes by an alias in the group.
    expect((await cy.post(`/g/${slug}/members/${encodeURIComponent('Bo Pseudo')}/block`)).statusCode).toBe(404);

    const form = /name="group" value="(\d+)"/.exec((await ada.get('/account/blocked')).body)!;
    const undone = await ada.post('/account/blocked/unblock', { group: form[1]!, name: 'Night Owl' });
    expect(undone.headers.location).toBe('/account/blocked?notice=unblocked');
    expect(await page(ada, `/g/${slug}`)).toContain('Night Owl cannot sleep');
    expect(await page(bo, `/g/${slug}/t/${ids.adaThread}`)).toContain('He taught me to swim.');
    // Cy's block still stands: Cy's thread stays out of Bo's way.
    expect((await bo.get(`/g/${slug}/t/${ids.cyThread}`)).statusCode).toBe(404);
  });

  it('hides one post for the member who asks, and for nobody else', async () => {
    const hidden = await ada.post(`/posts/${ids.boAnonymous}/hide-for-me`);
    expect(hidden.headers.location).toContain('notice=postHiddenForMe');
    const html = (await ada.get(`/g/${slug}/t/${ids.cyThread}`)).body;
    expect(html).toMatch(/<details class="hidden-for-me">\s*<summary>You hid this post for yourself\./);
    expect((await cy.get(`/g/${slug}/t/${ids.cyThread}`)).body).not.toContain('hidden-for-me');
    await ada.post(`/posts/${ids.boAnonymous}/show-for-me`);
    expect((await ada.get(`/g/${slug}/t/${ids.cyThread}`)).body).not.toContain('hidden-for-me');
  });

  it('mutes a thread out of the list, with a way to see it again', async () => {
    expect((await ada.get(`/g/${slug}/t/${ids.cyThread}`)).body).toContain(`action="/threads/${ids.cyThread}/mute"`);
    const muted = await ada.post(`/threads/${ids.cyThread}/mute`);
    expect(muted.headers.location).toContain('notice=threadMuted');
    expect(await page(ada, `/g/${slug}`)).not.toContain('Small comforts');
    expect(await page(cy, `/g/${slug}`)).toContain('Small comforts');
    const list = await page(ada, `/g/${slug}?muted=1`);
    expect(list).toContain('Threads you muted');
    expect(list).toContain('Small comforts');
    expect(list).not.toContain('Ada remembers her father');
    const thread = await page(ada, `/g/${slug}/t/${ids.cyThread}`);
    expect(thread).toContain('You muted this thread');
    await ada.post(`/threads/${ids.cyThread}/unmute`);
    expect(await page(ada, `/g/${slug}`)).toContain('Small comforts');
  });
});
