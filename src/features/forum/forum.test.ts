import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup, makeThread } from '../../../test/helpers/factories.js';

describe('forum', () => {
  let world: TestWorld;
  let owner: Agent;
  let member: Agent;
  let outsider: Agent;
  let slug: string;
  let ownerUser: { id: number; pseudonym: string };

  beforeAll(async () => {
    world = await createWorld();
    await world.createUser('Admin');
    const u = await world.createUser('Group Owner');
    ownerUser = u;
    owner = world.agent();
    await owner.logIn(u.email, u.password);
    slug = (await makeGroup(world, u, { name: 'Caring for Mum' })).slug;
    member = await world.member('Willow');
    await member.post(`/g/${slug}/join`);
    outsider = await world.member('Passer By');
  });
  afterAll(() => world.close());

  async function startThread(agent: Agent, title: string, body: string) {
    const res = await agent.post(`/g/${slug}/threads/new`, { title, body });
    expect(res.statusCode).toBe(303);
    const url = (res.headers.location as string).split('?')[0]!;
    return { url, id: Number(url.split('/').pop()) };
  }

  it('lets members start a thread and renders Markdown safely', async () => {
    const { url } = await startThread(
      member,
      'First night shifts',
      'Some **tips** that helped me:\n\n- sleep\n- [Carers UK](https://www.carersuk.org)\n\n<script>alert(1)</script> <img src=x onerror=alert(1)>\n\n[bad](javascript:alert(1))',
    );
    const page = await world.agent().get(url);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<strong>tips</strong>');
    expect(page.body).toContain('<a href="https://www.carersuk.org" rel="nofollow ugc noopener">Carers UK</a>');
    expect(page.body).not.toContain('<script>alert(1)</script>');
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.body).not.toMatch(/<img[^>]*onerror/);
    expect(page.body).not.toContain('href="javascript:');
    const group = textOf((await world.agent().get(`/g/${slug}`)).body);
    expect(group).toContain('First night shifts');
    expect(group).toContain('Started by Willow');
  });

  it('keeps non-members from posting, and visitors are asked to log in', async () => {
    const res = await outsider.post(`/g/${slug}/threads/new`, { title: 'Hello there', body: 'Hi' });
    expect(res.statusCode).toBe(403);
    expect(textOf(res.body)).toContain('Join this group to take part in it.');
    const visitor = world.agent();
    expect(
      (await visitor.post(`/g/${slug}/threads/new`, { title: 'Hello there', body: 'Hi' })).headers.location,
    ).toMatch(/^\/login/);
  });

  it.each([
    [{ title: '', body: 'Some text' }, 'The title needs 3 to 200 characters.'],
    [{ title: 'x'.repeat(201), body: 'Some text' }, 'The title needs 3 to 200 characters.'],
    [{ title: 'A fine title', body: '   ' }, 'Write a message before posting.'],
    [{ title: 'A fine title', body: 'y'.repeat(50001) }, 'A message can be at most 50,000 characters.'],
  ])('refuses thread %# with a message, keeping the text', async (form, message) => {
    const res = await member.post(`/g/${slug}/threads/new`, form);
    expect(res.statusCode).toBe(400);
    expect(textOf(res.body)).toContain(message);
    if (form.body.trim()) expect(res.body).toContain(form.body.slice(0, 100));
  });

  it('replies without JavaScript (redirect) and with htmx (a fragment and a fresh form)', async () => {
    const { url, id } = await startThread(member, 'Respite care', 'Has anyone used respite care?');
    const plain = await owner
      .post(`/g/${slug}/join`)
      .then(() => owner.post(`/threads/${id}/replies`, { body: 'Yes, it saved me.' }));
    expect(plain.statusCode).toBe(303);
    expect(plain.headers.location).toMatch(new RegExp(`^${url}\\?notice=replied#post-\\d+$`));
    const htmx = await member.post(`/threads/${id}/replies`, { body: 'Thank you, that helps.' }, { htmx: true });
    expect(htmx.statusCode).toBe(200);
    expect(htmx.body).toContain('Thank you, that helps.');
    expect(htmx.body).toContain('hx-swap-oob="outerHTML:#reply-form"');
    expect(htmx.body).toMatch(/<h2 id="reply-count"[^>]*hx-swap-oob="true"[^>]*>2 replies<\/h2>/);
    expect(htmx.body).not.toContain('<html');
    const bad = await member.post(`/threads/${id}/replies`, { body: '' }, { htmx: true });
    expect(bad.statusCode).toBe(422);
    expect(bad.headers['hx-retarget']).toBe('#reply-form');
    expect(textOf(bad.body)).toContain('Write a message before posting.');
    const page = textOf((await world.agent().get(url)).body);
    expect(page).toContain('2 replies');
    expect(page).toContain('Yes, it saved me.');
    expect(textOf((await world.agent().get(`/g/${slug}`)).body)).toContain('2 replies');
  });

  it('toggles empathy reactions, one of each per member', async () => {
    const thread = await makeThread(world, ownerUser, slug, 'Small wins', 'Mum smiled today.');
    const page = await member.get(`/g/${slug}/t/${thread.id}`);
    const postId = /id="post-(\d+)"/.exec(page.body)![1]!;
    const first = await member.post(`/posts/${postId}/reactions/support`, {}, { htmx: true });
    expect(first.body).toMatch(/aria-pressed="true"[^>]*>Sending support <span class="count">1<\/span>/);
    await owner.post(`/posts/${postId}/reactions/support`, {}, { htmx: true });
    const again = await member.post(`/posts/${postId}/reactions/support`, {}, { htmx: true });
    expect(again.body).toMatch(/aria-pressed="false"[^>]*>Sending support <span class="count">1<\/span>/);
    const noJs = await member.post(`/posts/${postId}/reactions/helpful`);
    expect(noJs.statusCode).toBe(303);
    const view = await member.get(`/g/${slug}/t/${thread.id}`);
    expect(view.body).toMatch(/aria-pressed="true"[^>]*>Helpful <span class="count">1<\/span>/);
    expect((await member.post(`/posts/${postId}/reactions/hug-bomb`)).statusCode).toBe(404);
    expect((await outsider.post(`/posts/${postId}/reactions/support`)).statusCode).toBe(403);
  });

  it('lets authors edit, keeping the history for moderators only', async () => {
    const { url } = await startThread(member, 'Original title', 'Original words');
    const page = await member.get(url);
    const postId = /id="post-(\d+)"/.exec(page.body)![1]!;
    expect((await owner.get(`/posts/${postId}/edit`)).statusCode).toBe(404);
    expect((await owner.post(`/posts/${postId}/edit`, { title: 'Hijacked', body: 'x' })).statusCode).toBe(403);
    const bad = await member.post(`/posts/${postId}/edit`, { title: 'Better title', body: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Better title');
    const ok = await member.post(`/posts/${postId}/edit`, { title: 'Better title', body: 'Better words' });
    expect(ok.statusCode).toBe(303);
    const after = textOf((await world.agent().get(url)).body);
    expect(after).toContain('Better title');
    expect(after).toContain('Better words');
    expect(after).toContain('edited');
    expect((await member.get(`/posts/${postId}/history`)).statusCode).toBe(403);
    const history = textOf((await owner.get(`/posts/${postId}/history`)).body);
    expect(history).toContain('Original words');
    expect(history).toContain('Original title');
    expect(history).toContain('Better words');
  });

  it('lets authors delete a reply, or a whole thread by deleting its opening post', async () => {
    const { url, id } = await startThread(member, 'To be removed', 'Opening words');
    await member.post(`/threads/${id}/replies`, { body: 'A reply I regret' });
    const page = await member.get(url);
    const ids = [...page.body.matchAll(/id="post-(\d+)"/g)].map((m) => m[1]!);
    expect((await owner.post(`/posts/${ids[1]}/delete`)).statusCode).toBe(403);
    expect(textOf((await member.get(`/posts/${ids[1]}/delete`)).body)).toContain('Delete your post?');
    await member.post(`/posts/${ids[1]}/delete`);
    const after = textOf((await member.get(url)).body);
    expect(after).not.toContain('A reply I regret');
    expect(after).toContain('0 replies');
    const whole = await member.post(`/posts/${ids[0]}/delete`);
    expect(whole.headers.location).toBe(`/g/${slug}?notice=postDeleted`);
    expect((await member.get(url)).statusCode).toBe(404);
    expect(textOf((await member.get(`/g/${slug}`)).body)).not.toContain('To be removed');
  });

  it('lets moderators hide and restore posts, lock and pin threads; members cannot', async () => {
    const { url, id } = await startThread(member, 'Moderated thread', 'Opening');
    await member.post(`/threads/${id}/replies`, { body: 'Something unkind' });
    const page = await member.get(url);
    const replyId = [...page.body.matchAll(/id="post-(\d+)"/g)].map((m) => m[1]!)[1]!;

    expect((await member.post(`/posts/${replyId}/hide`)).statusCode).toBe(403);
    expect((await member.post(`/threads/${id}/lock`)).statusCode).toBe(403);

    await owner.post(`/posts/${replyId}/hide`);
    expect(textOf((await world.agent().get(url)).body)).not.toContain('Something unkind');
    expect(textOf((await member.get(url)).body)).not.toContain('Something unkind');
    const modView = textOf((await owner.get(url)).body);
    expect(modView).toContain('Something unkind');
    expect(modView).toContain('Hidden by a moderator');
    await owner.post(`/posts/${replyId}/restore`);
    expect(textOf((await world.agent().get(url)).body)).toContain('Something unkind');

    await owner.post(`/threads/${id}/lock`);
    const locked = await member.post(`/threads/${id}/replies`, { body: 'Can I still reply?' });
    expect(locked.statusCode).toBe(403);
    expect(textOf(locked.body)).toContain('This discussion is locked');
    await owner.post(`/threads/${id}/unlock`);
    expect((await member.post(`/threads/${id}/replies`, { body: 'Now I can.' })).statusCode).toBe(303);

    await owner.post(`/threads/${id}/pin`);
    const list = await world.agent().get(`/g/${slug}`);
    const firstThread = /class="thread-title">([^<]+)</.exec(list.body)![1];
    expect(firstThread).toBe('Moderated thread');
    expect(textOf(list.body)).toContain('Pinned');
  });

  it('keeps members-only discussions from visitors, outsiders and search engines', async () => {
    const hostUser = await world.createUser('Quiet Host');
    const group = await makeGroup(world, hostUser, { name: 'Private circle', visibility: 'members' });
    const thread = await makeThread(world, hostUser, group.slug, 'Private thoughts', 'Only for us.');
    const visitor = world.agent();
    const groupPage = await visitor.get(`/g/${group.slug}`);
    expect(groupPage.statusCode).toBe(200);
    expect(textOf(groupPage.body)).toContain('for members only');
    expect(groupPage.body).not.toContain('Private thoughts');
    expect(groupPage.body).toContain('<meta name="robots" content="noindex"/>');
    const threadPage = await visitor.get(`/g/${group.slug}/t/${thread.id}`);
    // The same answer as for a thread that does not exist: nothing is revealed.
    expect(threadPage.statusCode).toBe(404);
    expect(threadPage.body).not.toContain('Only for us.');
    expect((await outsider.get(`/g/${group.slug}/t/${thread.id}`)).statusCode).toBe(404);
  });

  it('answers unknown or malformed ids with a friendly 404', async () => {
    for (const url of [
      `/g/${slug}/t/999999`,
      `/g/${slug}/t/abc`,
      '/posts/-1/edit',
      `/g/${slug}/t/99999999999999999999`,
    ]) {
      const res = await member.get(url);
      expect(res.statusCode, url).toBe(404);
      expect(textOf(res.body)).toContain('We could not find that page');
    }
    expect((await member.post('/threads/abc/replies', { body: 'x' })).statusCode).toBe(404);
  });
});
