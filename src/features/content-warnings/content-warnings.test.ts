import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';

const settings = { joinPolicy: 'open', listed: 'on', slowModeMinutes: '0', anonymousPosts: 'on' };

/** The body of a post as the page gives it: inside a closed or an open <details>, or not behind a warning. */
function warningState(html: string, postId: number): 'closed' | 'open' | 'none' {
  const article = new RegExp(`<article[^>]*id="post-${postId}"[\\s\\S]*?</article>`).exec(html)?.[0] ?? '';
  const details = /<details class="content-warning"( open(="")?)?>/.exec(article);
  if (!details) return 'none';
  return details[1] ? 'open' : 'closed';
}

describe('content warnings', () => {
  let world: TestWorld;
  let owner: Agent;
  let moderator: Agent;
  let author: Agent;
  let reader: Agent;
  let brave: Agent;
  let slug: string;
  let threadId: number;
  let openingId: number;

  const postIdOf = (location: string) => Number(/#post-(\d+)/.exec(location)![1]);

  beforeAll(async () => {
    world = await createWorld();
    await world.createUser('Admin');
    const o = await world.createUser('Owner Olu');
    owner = world.agent();
    await owner.logIn(o.email, o.password);
    slug = (await makeGroup(world, o, { name: 'Eating disorder recovery' })).slug;
    await owner.post(`/g/${slug}/settings`, settings);
    moderator = await world.member('Moderator Mo');
    await moderator.post(`/g/${slug}/join`);
    await owner.post(`/g/${slug}/members/${encodeURIComponent('Moderator Mo')}/role`, { role: 'moderator' });
    author = await world.member('Author Ash');
    reader = await world.member('Reader Rae');
    brave = await world.member('Brave Bea');
    for (const agent of [author, reader, brave]) await agent.post(`/g/${slug}/join`);
  });
  afterAll(() => world.close());

  it('lets an author start a thread behind a preset warning; the list shows it beside the title', async () => {
    const form = (await author.get(`/g/${slug}/threads/new`)).body;
    expect(form).toContain('<select id="field-warning" name="warning"');
    expect(form).toContain('<option value="eating_disorders">eating disorders</option>');
    const res = await author.post(`/g/${slug}/threads/new`, {
      title: 'A hard relapse',
      body: 'I counted every calorie again this week.',
      warning: 'eating_disorders',
    });
    expect(res.statusCode).toBe(303);
    threadId = Number((res.headers.location as string).split('?')[0]!.split('/').pop());
    const page = (await reader.get(`/g/${slug}/t/${threadId}`)).body;
    openingId = Number(/id="post-(\d+)"/.exec(page)![1]);
    expect(warningState(page, openingId)).toBe('closed');
    expect(textOf(page)).toContain('Content warning: eating disorders');
    // The author sees their own post open; the list names the warning beside the title.
    expect(warningState((await author.get(`/g/${slug}/t/${threadId}`)).body, openingId)).toBe('open');
    expect(textOf((await reader.get(`/g/${slug}`)).body)).toMatch(/A hard relapse Content warning: eating disorders/);
  });

  it('shows it open to a member who chose "always show" for that topic, and only that topic', async () => {
    const prefs = await brave.get('/account/content-warnings');
    expect(prefs.statusCode).toBe(200);
    expect(prefs.body).toContain('id="cw-eating_disorders-collapse" name="eating_disorders" value="collapse" checked');
    expect(
      (await brave.post('/account/content-warnings', { eating_disorders: 'show', death: 'collapse' })).statusCode,
    ).toBe(303);
    expect((await brave.get('/account/content-warnings')).body).toContain(
      'id="cw-eating_disorders-show" name="eating_disorders" value="show" checked',
    );
    expect(warningState((await brave.get(`/g/${slug}/t/${threadId}`)).body, openingId)).toBe('open');
    expect(warningState((await reader.get(`/g/${slug}/t/${threadId}`)).body, openingId)).toBe('closed');
    // A visitor (no preferences) gets the default: closed.
    expect(warningState((await world.agent().get(`/g/${slug}/t/${threadId}`)).body, openingId)).toBe('closed');
  });

  it('takes own words on an anonymous reply; "other warnings" follows its own setting', async () => {
    const res = await author.post(`/threads/${threadId}/replies`, {
      body: 'The hospital weighed me every morning.',
      warning: 'other',
      warningOther: 'hospital stay',
      anonymous: 'on',
    });
    expect(res.statusCode).toBe(303);
    const replyId = postIdOf(res.headers.location as string);
    const page = (await reader.get(`/g/${slug}/t/${threadId}`)).body;
    expect(warningState(page, replyId)).toBe('closed');
    expect(textOf(page)).toContain('Content warning: hospital stay');
    expect(warningState((await brave.get(`/g/${slug}/t/${threadId}`)).body, replyId)).toBe('closed');
    await brave.post('/account/content-warnings', { eating_disorders: 'show', other: 'show' });
    expect(warningState((await brave.get(`/g/${slug}/t/${threadId}`)).body, replyId)).toBe('open');
    // Open for its author, and only for them: nothing else tells who wrote it.
    expect(warningState((await author.get(`/g/${slug}/t/${threadId}`)).body, replyId)).toBe('open');
  });

  it('asks for own words with "other", keeping what was typed', async () => {
    const res = await author.post(`/g/${slug}/threads/new`, {
      title: 'Kept text',
      body: 'My words here.',
      warning: 'other',
    });
    expect(res.statusCode).toBe(400);
    expect(textOf(res.body)).toContain('Please write the warning in a few words');
    expect(res.body).toContain('My words here.');
    const long = await author.post(`/g/${slug}/threads/new`, {
      title: 'Kept text',
      body: 'My words here.',
      warning: 'other',
      warningOther: 'x'.repeat(61),
    });
    expect(long.statusCode).toBe(400);
    expect(textOf(long.body)).toContain('60 characters or fewer');
  });

  it('lets the author change the warning when editing, and keeps it when the form does not say', async () => {
    const edit = (await author.get(`/posts/${openingId}/edit`)).body;
    expect(edit).toContain('<option value="eating_disorders" selected>');
    await author.post(`/posts/${openingId}/edit`, { title: 'A hard relapse', body: 'Edited.', warning: 'death' });
    expect(textOf((await reader.get(`/g/${slug}/t/${threadId}`)).body)).toContain('Content warning: death');
    await author.post(`/posts/${openingId}/edit`, { title: 'A hard relapse', body: 'Edited again.' });
    expect(textOf((await reader.get(`/g/${slug}/t/${threadId}`)).body)).toContain('Content warning: death');
  });

  it('lets a moderator add, change or remove a warning (audited), and not a member', async () => {
    const plain = await reader.post(`/threads/${threadId}/replies`, { body: 'Sending you strength.' });
    const plainId = postIdOf(plain.headers.location as string);
    const modPage = (await moderator.get(`/g/${slug}/t/${threadId}`)).body;
    expect(modPage).toContain(`action="/posts/${plainId}/warning"`);
    expect((await reader.get(`/g/${slug}/t/${threadId}`)).body).not.toContain(`action="/posts/${plainId}/warning"`);

    const refused = await brave.post(`/posts/${plainId}/warning`, { warning: 'abuse' });
    expect(refused.statusCode).toBe(403);
    expect(warningState((await reader.get(`/g/${slug}/t/${threadId}`)).body, plainId)).toBe('none');

    const set = await moderator.post(`/posts/${plainId}/warning`, { warning: 'abuse' });
    expect(set.statusCode).toBe(303);
    expect(set.headers.location).toContain('notice=warningSaved');
    expect(warningState((await brave.get(`/g/${slug}/t/${threadId}`)).body, plainId)).toBe('closed');
    const bad = await moderator.post(`/posts/${plainId}/warning`, { warning: 'other', warningOther: '' });
    expect(bad.statusCode).toBe(400);
    expect(textOf(bad.body)).toContain('Please write the warning in a few words');
    await moderator.post(`/posts/${plainId}/warning`, { warning: '' });
    expect(warningState((await brave.get(`/g/${slug}/t/${threadId}`)).body, plainId)).toBe('none');
    const audit = textOf((await owner.get(`/g/${slug}/audit`)).body);
    expect(audit).toContain('Changed a post’s content warning');
  });
});
