import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { turnOnTwoFactor } from '../../../test/helpers/two-factor.js';
import { findWatchedWords, type WordMatch } from './matching.js';
import { screenWatchedWords } from './index.js';

describe('matching watched words', () => {
  const uses = (text: string, word: string) =>
    findWatchedWords(text, [{ word, action: 'flag' }]).map((w: WordMatch) => w.word);

  it.each([
    ['whole words only', 'I love my cat', 'cat', true],
    ['not inside another word', 'Education matters; a catalogue', 'cat', false],
    ['whatever the case', 'CASINO tonight', 'casino', true],
    ['whatever the accents, in the text', 'Un café, s’il vous plaît', 'cafe', true],
    ['whatever the accents, in the word', 'a cafe nearby', 'café', true],
    ['a wildcard for any letters', 'the best casinos online', 'casino*', true],
    ['a wildcard at the start', 'cheap megapills', '*pills', true],
    ['a wildcard stays within one word', 'casino night', 'casino*night', false],
    ['a phrase, with any spacing', 'you should just   give up now', 'give up', true],
    ['a phrase needs its words together', 'give it up', 'give up', false],
    ['a dot is only a dot', 'a b and axb', 'a.b', false],
    ['a dot matches itself', 'see a.b here', 'a.b', true],
    ['brackets and pluses are literal', 'I write c++ daily', 'c++', true],
    ['a bracket cannot inject a pattern', 'anything at all', '(.*)', false],
    ['an alternation cannot inject a pattern', 'anything at all', 'x|any', false],
    ['a backslash is literal', 'path\\to', 'path\\to', true],
  ])('%s', (_name, text, word, expected) => {
    expect(uses(text, word)).toEqual(expected ? [word] : []);
  });
});

describe('watched words on the site', () => {
  let world: TestWorld;
  let admin: Agent;
  let adminId: number;
  let member: Agent;
  let slug: string;
  let threadId: number;

  beforeAll(async () => {
    world = await createWorld();
    const a = await world.createUser('Site Admin');
    adminId = a.id;
    admin = world.agent();
    await admin.logIn(a.email, a.password);
    const o = await world.createUser('Owner Oak');
    const owner = world.agent();
    await owner.logIn(o.email, o.password);
    slug = (await makeGroup(world, o)).slug;
    const started = await owner.post(`/g/${slug}/threads/new`, { title: 'Welcome', body: 'Say hello.' });
    threadId = Number(String(started.headers.location).split('?')[0]!.split('/').pop());
    member = await world.member('Willow');
    await member.post(`/g/${slug}/join`);
  });
  afterAll(() => world.close());

  it('are managed by site admins with two-step verification on', async () => {
    expect((await member.get('/admin/watched-words')).statusCode).toBe(404);
    expect((await member.post('/admin/watched-words', { word: 'spam', action: 'block' })).statusCode).toBe(404);
    const before = await admin.get('/admin/watched-words');
    expect(before.statusCode).toBe(403);
    expect(textOf(before.body)).toContain('two-step verification');
    expect((await world.agent().get('/admin/watched-words')).headers.location).toBe(
      '/login?next=%2Fadmin%2Fwatched-words',
    );
  });

  it('are added with an action, refused when empty or already watched', async () => {
    await turnOnTwoFactor(world.database.db, adminId);
    for (const [word, action] of [
      ['casino*', 'block'],
      ['miracle cure', 'approve'],
      ['(dm me)', 'flag'],
    ]) {
      const res = await admin.post('/admin/watched-words', { word: word!, action: action! });
      expect(res.statusCode, textOf(res.body)).toBe(303);
    }
    const page = textOf((await admin.get('/admin/watched-words?notice=watchedWordAdded')).body);
    expect(page).toContain('The watched word is added.');
    expect(page).toMatch(/casino\* Block .*miracle cure Require approval .*\(dm me\) Flag/);

    const again = await admin.post('/admin/watched-words', { word: 'CASINO*', action: 'flag' });
    expect(again.statusCode).toBe(400);
    expect(textOf(again.body)).toContain('That word is watched already.');
    expect(again.body).toContain('value="CASINO*"');
    const empty = await admin.post('/admin/watched-words', { word: ' * ', action: 'block' });
    expect(textOf(empty.body)).toContain('A word needs at least one letter or digit.');
    const noAction = await admin.post('/admin/watched-words', { word: 'spam' });
    expect(textOf(noAction.body)).toContain('Choose what happens.');
  });

  it('block a post, naming the word, and keep the text', async () => {
    const body = 'Try the Casinos down the road, they helped me forget';
    const res = await member.post(`/threads/${threadId}/replies`, { body });
    expect(res.statusCode).toBe(400);
    expect(textOf(res.body)).toContain('This message uses “casino*”, which isn’t allowed here.');
    expect(res.body).toContain(body);
    const thread = await member.post(`/g/${slug}/threads/new`, { title: 'Casino nights', body: 'Who is in?' });
    expect(thread.statusCode).toBe(400);
    expect(thread.body).toContain('Casino nights');
  });

  it('hold a post for approval', async () => {
    const res = await member.post(`/threads/${threadId}/replies`, { body: 'Has anyone tried this Miracle  Cure?' });
    expect(res.statusCode).toBe(303);
    expect(String(res.headers.location)).toContain('notice=awaitingApproval');
    expect(textOf((await world.agent().get(`/g/${slug}/t/${threadId}`)).body)).not.toContain('Miracle');
  });

  it('flag a post for review, which still stands', async () => {
    const res = await member.post(`/threads/${threadId}/replies`, { body: 'Lovely to meet you all (DM me) anytime' });
    expect(String(res.headers.location)).toContain('notice=replied');
    expect(textOf((await world.agent().get(`/g/${slug}/t/${threadId}`)).body)).toContain('Lovely to meet you all');
    expect(await screenWatchedWords(world.database.db, 'Lovely (DM me)')).toEqual({
      needsApproval: false,
      flags: ['watched_word:(dm me)'],
    });
  });

  it('leave other posts alone, and stop once removed', async () => {
    const ok = await member.post(`/threads/${threadId}/replies`, { body: 'Occasional casual chats help me' });
    expect(String(ok.headers.location)).toContain('notice=replied');
    const page = (await admin.get('/admin/watched-words')).body;
    const id = /action="\/admin\/watched-words\/(\d+)\/remove"/.exec(page)![1];
    const removed = await admin.post(`/admin/watched-words/${id}/remove`);
    expect(removed.headers.location).toBe('/admin/watched-words?notice=watchedWordRemoved');
    expect(textOf((await admin.get('/admin/watched-words')).body)).not.toContain('casino* Block');
    const now = await member.post(`/threads/${threadId}/replies`, { body: 'The casino was fun once' });
    expect(String(now.headers.location)).toContain('notice=replied');
    expect((await admin.post(`/admin/watched-words/${id}/remove`)).statusCode).toBe(404);
    expect((await member.post(`/admin/watched-words/${id}/remove`)).statusCode).toBe(404);
  });
});
