import { eq } from 'drizzle-orm';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { grantTrustLevel } from '../trust/index.js';
import { silences } from './schema.js';

/*
 * Flags, the review queue and moderators' decisions, through the pages people use: members flag a
 * post, enough flags hide it, moderators decide, and the flaggers are told what was decided.
 */
describe('flags and moderation', () => {
  let world: TestWorld;
  let owner: Agent;
  let moderator: Agent;
  let flaggers: Agent[];
  let newcomer: Agent;
  let outsider: Agent;
  let slug: string;
  let threadId: number;
  let threadUrl: string;
  let made = 0;

  /** A member who has been around long enough for their flags to count (trust level 1). */
  async function trusted(name: string): Promise<Agent> {
    const user = await world.createUser(name);
    await grantTrustLevel(world.database.db, user.id, 1, false);
    const agent = world.agent();
    await agent.logIn(user.email, user.password);
    expect((await agent.post(`/g/${slug}/join`)).statusCode).toBe(303);
    return agent;
  }

  /** A reply by a new author in the shared thread; its id. */
  async function replyBy(author: Agent, body: string, extra: Record<string, string> = {}): Promise<number> {
    const res = await author.post(`/threads/${threadId}/replies`, { body, ...extra });
    expect(res.statusCode).toBe(303);
    return Number(/#post-(\d+)/.exec(String(res.headers.location))![1]);
  }

  async function freshAuthor(): Promise<Agent> {
    return trusted(`Author ${++made}`);
  }

  const flag = (agent: Agent, postId: number, reason = 'harassment', note = '') =>
    agent.post(`/posts/${postId}/flag`, { reason, note });
  const page = async (agent: Agent, url = threadUrl) => textOf((await agent.get(url)).body);

  beforeAll(async () => {
    world = await createWorld();
    await world.createUser('Site Admin');
    const o = await world.createUser('Owner Olu');
    owner = world.agent();
    await owner.logIn(o.email, o.password);
    slug = (await makeGroup(world, o, { name: 'Grief and hope' })).slug;
    moderator = await trusted('Moderator Mo');
    await owner.post(`/g/${slug}/members/${encodeURIComponent('Moderator Mo')}/role`, { role: 'moderator' });
    flaggers = [await trusted('Ada'), await trusted('Ben'), await trusted('Cy')];
    newcomer = await world.member('Newcomer Nia');
    await newcomer.post(`/g/${slug}/join`);
    outsider = await world.member('Passer By');
    const res = await owner.post(`/g/${slug}/threads/new`, { title: 'Missing them today', body: 'Anniversaries.' });
    threadUrl = String(res.headers.location).split('?')[0]!;
    threadId = Number(threadUrl.split('/').pop());
  });
  afterAll(() => world.close());

  it('hides a post once three members flag it, and puts it in the queue (issue 7, done when)', async () => {
    const author = await freshAuthor();
    const postId = await replyBy(author, 'You are all pathetic for still crying.');
    const [ada, ben, cy] = flaggers as [Agent, Agent, Agent];

    const thread = (await ada.get(threadUrl)).body;
    expect(thread).toContain(`href="/posts/${postId}/flag"`);
    expect((await author.get(threadUrl)).body).not.toContain(`href="/posts/${postId}/flag"`);

    const first = await flag(ada, postId, 'harassment', 'Mocking people who grieve.');
    expect(first.headers.location).toBe(`${threadUrl}?notice=flagged#post-${postId}`);
    expect(await page(ada, String(first.headers.location))).toContain('Thank you for flagging this post.');
    expect((await ada.get(threadUrl)).body).not.toContain(`href="/posts/${postId}/flag"`);
    expect(await page(ada)).toContain('You flagged this');
    expect(await page(ben)).toContain('You are all pathetic');

    await flag(ben, postId, 'harmful');
    const third = await flag(cy, postId, 'spam');
    expect(third.headers.location).toBe(`${threadUrl}?notice=flaggedHidden#post-${postId}`);
    for (const reader of [ada, ben, cy, author, world.agent()]) {
      expect(await page(reader)).not.toContain('You are all pathetic');
    }

    const queue = await page(moderator, `/g/${slug}/review`);
    expect(queue).toContain('Flagged posts');
    expect(queue).toContain('You are all pathetic');
    expect(queue).toContain('3 open flags');
    expect(queue).toContain('Harassment or bullying');
    expect(queue).toContain('Mocking people who grieve.');
    expect(queue).toContain('Flagged by Ada');
    expect(queue).toContain('Hidden from members by these flags until you decide.');
    expect(await page(owner, `/g/${slug}/audit`)).toContain('Automatic A post was hidden by members’ flags');
  });

  it('counts only trusted members’ flags towards hiding, and follows the group’s threshold', async () => {
    const author = await freshAuthor();
    const postId = await replyBy(author, 'Buy cheap pills at my site.');
    expect((await flag(newcomer, postId, 'spam')).headers.location).toContain('notice=flagged#');
    await flag(flaggers[0]!, postId, 'spam');
    await flag(flaggers[1]!, postId, 'spam');
    expect(await page(flaggers[2]!)).toContain('Buy cheap pills');

    const settings = { joinPolicy: 'open', listed: 'on', slowModeMinutes: '0' };
    const bad = await owner.post(`/g/${slug}/settings`, { ...settings, flagHideThreshold: '0' });
    expect(bad.statusCode).toBe(400);
    expect(textOf(bad.body)).toContain('Enter a number of flags from 1 to 20.');
    expect((await owner.post(`/g/${slug}/settings`, { ...settings, flagHideThreshold: '1' })).statusCode).toBe(303);
    expect((await owner.get(`/g/${slug}/settings`)).body).toMatch(/name="flagHideThreshold"[^>]*value="1"/);
    const other = await replyBy(author, 'More cheap pills.');
    expect((await flag(flaggers[2]!, other, 'spam')).headers.location).toContain('notice=flaggedHidden');
    await owner.post(`/g/${slug}/settings`, { ...settings, flagHideThreshold: '3' });
  });

  it('hides a post at once on one moderator’s flag; approving shows it again and tells every flagger', async () => {
    const author = await freshAuthor();
    const postId = await replyBy(author, 'A sharp remark that might be fine.');
    await flag(flaggers[0]!, postId, 'harmful');
    expect((await flag(moderator, postId, 'harmful')).headers.location).toContain('notice=flaggedHidden');
    expect(await page(flaggers[1]!)).not.toContain('A sharp remark');
    expect(textOf((await world.agent().get(`/g/${slug}`)).body)).toMatch(/\d+ repl/);

    const res = await owner.post(`/posts/${postId}/flags/decision`, { decision: 'approve' });
    expect(res.headers.location).toBe(`/g/${slug}/review?notice=flagsDecided`);
    expect(await page(flaggers[1]!)).toContain('A sharp remark');
    expect(await page(owner, `/g/${slug}/review`)).not.toContain('A sharp remark');
    for (const told of [flaggers[0]!, moderator]) {
      const note = await page(told, '/notifications');
      expect(note).toContain('looked at the post you flagged and decided to keep it up');
      expect(note).not.toContain('Owner Olu');
    }
    // Decided once: a second decision finds nothing open.
    const again = await owner.post(`/posts/${postId}/flags/decision`, { decision: 'hide' });
    expect(again.statusCode).toBe(400);
    expect(textOf(again.body)).toContain('These flags have already been decided');
  });

  it.each([
    ['hide', {}, 'hid the post you flagged'],
    ['delete', {}, 'deleted the post you flagged'],
    ['warning', { contentWarning: 'death' }, 'put a content warning on the post you flagged'],
    ['warn', { message: 'Please be gentler here.' }, 'spoke privately with the author of the post you flagged'],
    ['silence', { message: 'Taking a break.', days: '3' }, 'paused the author of the post you flagged'],
    ['remove', { message: 'Repeated cruelty.', ban: 'on' }, 'removed the author of the post you flagged'],
  ])('decides “%s”, audits it, and tells the flagger the outcome', async (decision, form, told) => {
    const author = await freshAuthor();
    const postId = await replyBy(author, `Something to decide: ${decision}.`);
    const flagger = await trusted(`Flagger ${++made}`);
    await flag(flagger, postId, 'other', 'It upset me.');
    const res = await moderator.post(`/posts/${postId}/flags/decision`, { decision, ...form });
    expect(res.statusCode).toBe(303);
    const note = await page(flagger, '/notifications');
    expect(note).toContain(`A moderator of Grief and hope ${told}`);
    expect(note).not.toContain('Moderator Mo');
    const visible = (await page(flagger)).includes(`Something to decide: ${decision}.`);
    expect(visible).toBe(!['hide', 'delete'].includes(decision));
    if (decision === 'delete') expect(await page(owner)).not.toContain('Something to decide: delete.');
    if (decision === 'warn') expect(await page(author, '/notifications')).toContain('Please be gentler here.');
    if (decision === 'remove') {
      const refused = await author.post(`/threads/${threadId}/replies`, { body: 'Let me back.' });
      expect(refused.statusCode).toBe(403);
    }
    const audit = await page(owner, `/g/${slug}/audit`);
    const action = {
      hide: 'Hid a post',
      delete: 'Deleted a post',
      warning: null,
      warn: 'Warned the author of a post',
      silence: 'Paused the author of a post from posting',
      remove: 'Removed the author of a post from the group',
    }[decision];
    if (action) expect(audit).toContain(action);
  });

  it('refuses a decision without its message, keeping what was typed', async () => {
    const author = await freshAuthor();
    const postId = await replyBy(author, 'A post to be warned about.');
    await flag(flaggers[0]!, postId);
    const res = await moderator.post(`/posts/${postId}/flags/decision`, {
      decision: 'silence',
      message: '',
      days: '7',
    });
    expect(res.statusCode).toBe(400);
    expect(textOf(res.body)).toContain('Write the reason for the pause');
    expect(res.body).toMatch(/<option value="7" selected/);
    await moderator.post(`/posts/${postId}/flags/decision`, { decision: 'approve' });
  });

  it('pauses an author from posting, says until when, lets a moderator lift it, and ends on time', async () => {
    const author = await freshAuthor();
    const postId = await replyBy(author, 'Posting too much.');
    await flag(flaggers[0]!, postId, 'spam');
    await moderator.post(`/posts/${postId}/flags/decision`, { decision: 'silence', message: 'Slow down.', days: '1' });

    const refused = await author.post(`/threads/${threadId}/replies`, { body: 'But I have more to say.' });
    expect(refused.statusCode).toBe(403);
    expect(textOf(refused.body)).toMatch(/paused your posting in this group until [^.]*\d{4}/);
    expect((await author.post(`/g/${slug}/threads/new`, { title: 'New one', body: 'Hello' })).statusCode).toBe(403);
    expect(await page(author)).toContain('A moderator has paused your posting in this group until');
    expect(await page(author, `/g/${slug}/threads/new`)).toContain('paused your posting');
    expect(await page(author, '/notifications')).toContain('Slow down.');
    // Reacting is not posting: still allowed.
    expect((await author.post(`/posts/${postId}/reactions/support`)).statusCode).toBe(303);

    const list = (await moderator.get(`/g/${slug}/silences`)).body;
    const silenceId = /\/silences\/(\d+)\/lift/.exec(list)![1];
    expect(textOf(list)).toContain('Slow down.');
    expect((await flaggers[0]!.post(`/g/${slug}/silences/${silenceId}/lift`)).statusCode).toBe(403);
    expect((await moderator.post(`/g/${slug}/silences/${silenceId}/lift`)).statusCode).toBe(303);
    expect((await author.post(`/threads/${threadId}/replies`, { body: 'Thank you.' })).statusCode).toBe(303);

    // Paused again, then the day passes.
    const next = await replyBy(author, 'Another one.');
    await flag(flaggers[1]!, next, 'spam');
    await moderator.post(`/posts/${next}/flags/decision`, { decision: 'silence', message: 'Again.', days: '1' });
    expect((await author.post(`/threads/${threadId}/replies`, { body: 'Hello?' })).statusCode).toBe(403);
    await world.database.db
      .update(silences)
      .set({ endsAt: new Date(Date.now() - 1000) })
      .where(eq(silences.reason, 'Again.'));
    expect((await author.post(`/threads/${threadId}/replies`, { body: 'Back again.' })).statusCode).toBe(303);
  });

  it('validates a flag and allows one open flag per member per post', async () => {
    const author = await freshAuthor();
    const postId = await replyBy(author, 'A post to flag carefully.');
    const ada = flaggers[0]!;
    const form = await page(ada, `/posts/${postId}/flag`);
    expect(form).toContain('Flag this post for the moderators');
    expect(form).toContain('Someone may be in danger');
    const noReason = await ada.post(`/posts/${postId}/flag`, { note: 'hmm' });
    expect(noReason.statusCode).toBe(400);
    expect(textOf(noReason.body)).toContain('Choose why you are flagging this post.');
    const noNote = await ada.post(`/posts/${postId}/flag`, { reason: 'other', note: '' });
    expect(noNote.statusCode).toBe(400);
    expect(textOf(noNote.body)).toContain('Please say in a few words what is wrong.');
    const long = await ada.post(`/posts/${postId}/flag`, { reason: 'spam', note: 'x'.repeat(501) });
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('x'.repeat(501));
    expect((await flag(ada, postId, 'spam')).statusCode).toBe(303);
    const twice = await flag(ada, postId, 'harmful');
    expect(twice.statusCode).toBe(400);
    expect(textOf(twice.body)).toContain('You have flagged this post');
    expect(await page(ada, `/posts/${postId}/flag`)).toContain('You have flagged this post.');
  });

  it('opens the flag form under the post and answers it there with htmx', async () => {
    const author = await freshAuthor();
    const postId = await replyBy(author, 'A post flagged in place.');
    const ada = flaggers[0]!;
    const form = await ada.get(`/posts/${postId}/flag`, { 'hx-request': 'true' });
    expect(form.statusCode).toBe(200);
    expect(form.body).not.toContain('<html');
    expect(form.body).toContain(`hx-post="/posts/${postId}/flag"`);
    expect(form.body).toContain(`id="flag-${postId}-reason-spam"`);
    const bad = await ada.post(`/posts/${postId}/flag`, { reason: 'other', note: '' }, { htmx: true });
    expect(bad.statusCode).toBe(422);
    expect(textOf(bad.body)).toContain('Please say in a few words what is wrong.');
    expect(bad.body).not.toContain('<html');
    const ok = await ada.post(`/posts/${postId}/flag`, { reason: 'spam' }, { htmx: true });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('role="status"');
    expect(textOf(ok.body)).toContain('Thank you for flagging this post.');
    expect(textOf((await ada.get(`/posts/${postId}/flag`, { 'hx-request': 'true' })).body)).toContain(
      'You have flagged this post.',
    );
  });

  // Who may flag, and who may decide, from the same set-up.
  it.each([
    ['the author', 'author', 403, 403],
    ['a member', 'member', 303, 403],
    ['a new member', 'newcomer', 303, 403],
    ['someone outside the group', 'outsider', 403, 403],
    ['a visitor', 'visitor', 'login', 'login'],
    ['a moderator', 'moderator', 303, 303],
    ['the owner', 'owner', 303, 303],
  ] as const)('lets %s flag and decide as the rules say', async (_label, who, flagStatus, decideStatus) => {
    const author = await freshAuthor();
    const postId = await replyBy(author, `A post for the permission table: ${who}.`);
    const agent = {
      author,
      member: await trusted(`Member ${++made}`),
      newcomer,
      outsider,
      visitor: world.agent(),
      moderator,
      owner,
    }[who];
    const status = (res: { statusCode: number; headers: Record<string, unknown> }) =>
      res.statusCode === 303 && String(res.headers.location).startsWith('/login') ? 'login' : res.statusCode;
    expect(status(await flag(agent, postId, 'other', 'Checking who may.'))).toBe(flagStatus);
    if (who !== 'member') await flag(flaggers[2]!, postId, 'spam');
    const decided = await agent.post(`/posts/${postId}/flags/decision`, { decision: 'approve' });
    expect(status(decided)).toBe(decideStatus);
    // The queue and the pauses are for moderators only.
    const queue = await agent.get(`/g/${slug}/review`);
    expect(status(queue)).toBe(decideStatus === 303 ? 200 : decideStatus);
  });

  it('never hides a post flagged as someone in danger', async () => {
    const author = await freshAuthor();
    const postId = await replyBy(author, 'I do not know how much longer I can go on.');
    for (const agent of [...flaggers, moderator]) await flag(agent, postId, 'danger');
    expect(await page(flaggers[0]!)).toContain('how much longer I can go on');
    expect(await page(moderator, `/g/${slug}/review`)).toContain('Someone may be in danger');
  });

  it('puts the flags a member raised, and the pauses put on them, in their data archive', async () => {
    const author = await freshAuthor();
    const postId = await replyBy(author, 'Something for the archive.');
    const flagger = await trusted(`Archivist ${++made}`);
    await flag(flagger, postId, 'other', 'Flagged for the archive test.');
    await moderator.post(`/posts/${postId}/flags/decision`, { decision: 'silence', message: 'Archive me.', days: '1' });
    const archive = async (agent: Agent) => {
      expect((await agent.post('/account/data/export')).statusCode).toBe(303);
      await world.jobs.drain();
      const href = /href="(\/account\/data\/exports\/\d+)"/.exec((await agent.get('/account/data')).body)![1]!;
      const files = unzipSync(new Uint8Array((await agent.get(href)).rawPayload));
      return {
        data: JSON.parse(strFromU8(files['mutual-data/data.json']!)),
        html: strFromU8(files['mutual-data/index.html']!),
      };
    };
    const mine = await archive(flagger);
    expect(mine.data.moderation.flags).toMatchObject([
      { group: 'Grief and hope', reason: 'other', note: 'Flagged for the archive test.', outcome: 'silenced' },
    ]);
    expect(mine.html).toContain('Flagged for the archive test.');
    const theirs = await archive(author);
    expect(theirs.data.moderation.pauses).toMatchObject([{ group: 'Grief and hope', reason: 'Archive me.' }]);
    expect(theirs.html).toContain('Paused from posting in Grief and hope');
  });

  it('refuses flags on posts that cannot be seen, and from people who cannot take part', async () => {
    const author = await freshAuthor();
    const postId = await replyBy(author, 'Soon hidden by a moderator.');
    await moderator.post(`/posts/${postId}/hide`);
    expect((await flag(flaggers[0]!, postId)).statusCode).toBe(404);
    expect((await flag(moderator, postId)).statusCode).toBe(403);
    expect((await flag(flaggers[0]!, 2_000_000_000)).statusCode).toBe(404);
    expect((await flaggers[0]!.get('/posts/abc/flag')).statusCode).toBe(404);
  });
});
