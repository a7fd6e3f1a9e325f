import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { findUserIdByPseudonym } from '../accounts/index.js';
import { groupEntryId } from '../directory/index.js';
import { gatherMemberData } from '../privacy/index.js';
import { nextStart } from './waiting-notice.js';

const settings = { joinPolicy: 'open', listed: 'on', slowModeMinutes: '0', anonymousPosts: 'on' };
const HOUR = 3600_000;

/*
 * "Needs a reply", as members and leaders see it. Olu owns "Grief circle"; Ana, Ben, Cleo and Dan
 * are members. A discussion stays in the list until someone other than its author replies.
 */
describe('needs a reply', () => {
  let world: TestWorld;
  let owner: Agent;
  let ana: Agent;
  let ben: Agent;
  let cleo: Agent;
  let dan: Agent;
  let slug: string;
  let privateSlug: string;
  const ids = { ana: 0, cleo: 0, dan: 0, cleoPost: 0, anaPrivate: 0 };

  async function start(agent: Agent, group: string, title: string, body: string): Promise<number> {
    const res = await agent.post(`/g/${group}/threads/new`, { title, body });
    expect(res.statusCode).toBe(303);
    return Number((res.headers.location as string).split('?')[0]!.split('/').pop());
  }
  async function reply(agent: Agent, threadId: number, body: string): Promise<number> {
    const res = await agent.post(`/threads/${threadId}/replies`, { body });
    expect(res.statusCode).toBe(303);
    return Number(/#post-(\d+)/.exec(res.headers.location as string)![1]);
  }
  const page = async (agent: Agent, url: string) => textOf((await agent.get(url)).body);
  const openingOf = async (threadId: number) => {
    const result = await world.database.db.execute(
      sql`select id from posts where thread_id = ${threadId} and is_opening`,
    );
    return Number((result as unknown as { rows: { id: number }[] }).rows[0]!.id);
  };

  beforeAll(async () => {
    world = await createWorld();
    await world.createUser('Admin');
    const o = await world.createUser('Owner Olu');
    owner = world.agent();
    await owner.logIn(o.email, o.password);
    slug = (await makeGroup(world, o, { name: 'Grief circle' })).slug;
    privateSlug = (await makeGroup(world, o, { name: 'Night shift', visibility: 'members' })).slug;
    await owner.post(`/g/${slug}/settings`, settings);
    await owner.post(`/g/${privateSlug}/settings`, settings);
    ana = await world.member('Ana Pseudo');
    ben = await world.member('Ben Pseudo');
    cleo = await world.member('Cleo Pseudo');
    dan = await world.member('Dan Pseudo');
    for (const a of [ana, ben, cleo, dan]) expect((await a.post(`/g/${slug}/join`)).statusCode).toBe(303);
    await ana.post(`/g/${privateSlug}/join`);
    ids.ana = await start(ana, slug, 'Ana misses her mother', 'Sundays are the hardest.');
    ids.cleo = await start(cleo, slug, 'Cleo cannot sleep', 'Awake again at four.');
    ids.cleoPost = await openingOf(ids.cleo);
  });
  afterAll(() => world.close());

  it('lists a discussion until another member replies: not for the author’s own reply, nor a reaction', async () => {
    const before = await page(ben, `/g/${slug}/waiting`);
    expect(before).toContain('Needs a reply');
    expect(before).toContain('Ana misses her mother');
    expect(before).toContain('started by Ana Pseudo');
    expect(before).toMatch(/waiting 1 minute/);
    // Oldest first.
    expect(before.indexOf('Ana misses her mother')).toBeLessThan(before.indexOf('Cleo cannot sleep'));
    expect(await page(ben, '/waiting')).toContain('Ana misses her mother');
    expect((await ben.get(`/g/${slug}`)).body).toContain(`href="/g/${slug}/waiting"`);

    await reply(ana, ids.ana, 'I forgot to say: it was a year ago today.');
    const opening = await openingOf(ids.ana);
    expect((await ben.post(`/posts/${opening}/reactions/support`)).statusCode).toBeLessThan(400);
    expect(await page(ben, `/g/${slug}/waiting`)).toContain('Ana misses her mother');

    await reply(ben, ids.ana, 'Thinking of you, Ana. Sundays are hard for me too.');
    const after = await page(ben, `/g/${slug}/waiting`);
    expect(after).not.toContain('Ana misses her mother');
    expect(after).toContain('Cleo cannot sleep');
    expect(await page(ana, '/waiting')).not.toContain('Ana misses her mother');
  });

  it('leaves out what a member may not see: blocks either way, mutes, locked discussions, members-only groups', async () => {
    // Dan blocks Cleo: her discussion leaves Dan's list; the owner, who moderates, still sees it.
    expect((await dan.post(`/posts/${ids.cleoPost}/block`)).statusCode).toBe(303);
    expect(await page(dan, `/g/${slug}/waiting`)).not.toContain('Cleo cannot sleep');
    expect(await page(dan, '/waiting')).not.toContain('Cleo cannot sleep');
    expect(await page(cleo, `/g/${slug}/waiting`)).toContain('Cleo cannot sleep');
    expect(await page(owner, `/g/${slug}/waiting`)).toContain('Cleo cannot sleep');
    // …and the other way round: Dan's discussion is not in Cleo's list.
    ids.dan = await start(dan, slug, 'Dan is new here', 'Hello everyone.');
    expect(await page(cleo, `/g/${slug}/waiting`)).not.toContain('Dan is new here');
    expect(await page(ben, `/g/${slug}/waiting`)).toContain('Dan is new here');

    expect((await ben.post(`/threads/${ids.dan}/mute`)).statusCode).toBe(303);
    expect(await page(ben, `/g/${slug}/waiting`)).not.toContain('Dan is new here');

    // A members-only group's list is for its members.
    ids.anaPrivate = await start(ana, privateSlug, 'Private worries', 'Only for the night shift.');
    expect(await page(ana, `/g/${privateSlug}/waiting`)).toContain('Private worries');
    expect(await page(ana, '/waiting')).toContain('Private worries');
    const outsider = await world.agent().get(`/g/${privateSlug}/waiting`);
    expect(outsider.statusCode).toBeGreaterThanOrEqual(400);
    expect(outsider.body).not.toContain('Private worries');
    expect((await ben.get(`/g/${privateSlug}/waiting`)).body).not.toContain('Private worries');
    expect(await page(ben, '/waiting')).not.toContain('Private worries');
    // A public group's list is open to visitors, like its discussions.
    expect(await page(world.agent(), `/g/${slug}/waiting`)).toContain('Cleo cannot sleep');
    expect((await world.agent().get('/waiting')).statusCode).toBe(303);
  });

  it('marks discussions waiting more than a day for leaders, and lists them in a leader’s digest', async () => {
    const locked = await start(ben, slug, 'Ben’s locked question', 'Will be locked.');
    await world.database.db.execute(sql`update threads set locked = true where id = ${locked}`);
    expect(await page(owner, `/g/${slug}/waiting`)).not.toContain('Ben’s locked question');

    expect(await page(owner, `/g/${slug}/waiting`)).not.toContain('Waiting more than a day');
    await world.database.db.execute(
      sql`update posts set created_at = now() - interval '25 hours' where id = ${ids.cleoPost}`,
    );
    const leader = await page(owner, `/g/${slug}/waiting`);
    expect(leader).toMatch(/Cleo cannot sleep started by Cleo Pseudo · waiting 25 hours Waiting more than a day/);
    expect(leader).not.toMatch(/Dan is new here[^·]*· waiting \d+ \w+ Waiting more than a day/);
    const member = await page(ben, `/g/${slug}/waiting`);
    expect(member).toContain('waiting 25 hours');
    expect(member).not.toContain('Waiting more than a day');

    // The owner takes a daily digest at this hour (UTC): it has a section for the long wait.
    const now = new Date();
    const db = world.database.db;
    await db.execute(sql`update users set email_verified_at = now(), time_zone = 'UTC' where pseudonym = 'Owner Olu'`);
    await db.execute(sql`insert into mail_settings (user_id, digest_hour, digest_weekday)
      select id, ${now.getUTCHours()}, 1 from users where pseudonym = 'Owner Olu'
      on conflict (user_id) do update set digest_hour = excluded.digest_hour`);
    await db.execute(sql`update list_subscriptions s set mode = 'daily', updated_at = now() - interval '2 days'
      from users u, groups g where u.id = s.user_id and u.pseudonym = 'Owner Olu' and g.id = s.group_id and g.slug = ${slug}`);
    await db.execute(sql`update users set email_verified_at = now(), time_zone = 'UTC' where pseudonym = 'Ben Pseudo'`);
    await db.execute(sql`insert into mail_settings (user_id, digest_hour, digest_weekday)
      select id, ${now.getUTCHours()}, 1 from users where pseudonym = 'Ben Pseudo'
      on conflict (user_id) do update set digest_hour = excluded.digest_hour`);
    await db.execute(sql`update list_subscriptions s set mode = 'daily', updated_at = now() - interval '2 days'
      from users u, groups g where u.id = s.user_id and u.pseudonym = 'Ben Pseudo' and g.id = s.group_id and g.slug = ${slug}`);
    await world.tick(new Date(now.getTime() + 60_000));
    const outbox = await world.outbox();
    const digests = outbox.filter((m) => /Grief circle/.test(m.subject));
    const toOwner = digests.find((m) => m.to.includes('ownerolu@example.org'));
    expect(toOwner?.text).toContain('Waiting for a reply for more than a day');
    const section = toOwner!.text.split('Waiting for a reply for more than a day')[1]!;
    expect(section).toContain('Cleo cannot sleep');
    expect(section).toContain('Started by Cleo Pseudo');
    expect(section).not.toContain('Dan is new here');
    const toBen = digests.find((m) => m.to.includes('benpseudo@example.org'));
    expect(toBen?.text ?? '').not.toContain('Waiting for a reply for more than a day');
  });

  it('suggests a waiting discussion to a helped author, never their own, and stops when asked', async () => {
    // Ana's discussion has Ben's reply; Cleo's and Dan's are waiting (Ana blocks no one).
    const html = (await ana.get(`/g/${slug}/t/${ids.ana}`)).body;
    const text = textOf(html);
    expect(text).toContain('Someone in this group is waiting for a reply');
    expect(html).toContain(`href="/g/${slug}/t/${ids.cleo}"`);
    // Not for someone else reading Ana's discussion, and not on a discussion with no reply from others.
    expect(await page(ben, `/g/${slug}/t/${ids.ana}`)).not.toContain('Someone in this group is waiting');
    expect(await page(cleo, `/g/${slug}/t/${ids.cleo}`)).not.toContain('Someone in this group is waiting');

    // Cleo, once helped, is never pointed to her own discussion nor to Dan's (a block stands between them).
    await reply(ben, ids.cleo, 'I am awake too, Cleo.');
    expect(await page(cleo, `/g/${slug}/t/${ids.cleo}`)).not.toContain('Someone in this group is waiting');

    const off = await ana.post('/account/support/prompts/off');
    expect(off.statusCode).toBe(303);
    const settingsPage = (await ana.get('/account/support/prompts?notice=supportPromptsOff')).body;
    expect(textOf(settingsPage)).toContain('We won’t suggest discussions to answer');
    expect(settingsPage).not.toMatch(/name="replyPrompts" value="on" checked/);
    expect(await page(ana, `/g/${slug}/t/${ids.ana}`)).not.toContain('Someone in this group is waiting');
    // The choice is the member's data, in their export.
    const anaId = (await findUserIdByPseudonym(world.database.db, 'Ana Pseudo'))!;
    expect((await gatherMemberData(world.database.db, anaId))!.supportPrompts).toEqual({ replyPrompts: false });

    expect((await ana.post('/account/support/prompts', { replyPrompts: 'on' })).statusCode).toBe(303);
    const again = (await ana.get(`/g/${slug}/t/${ids.ana}`)).body;
    expect(again).toContain('Someone in this group is waiting for a reply');
    expect(again).toContain(`href="/g/${slug}/t/${ids.dan}"`);
  });

  it('tells an author once, a day on, that their first discussion is there to see, with the next meeting', async () => {
    const db = world.database.db;
    const eveUser = await world.createUser('Eve Pseudo');
    const eve = world.agent();
    await eve.logIn(eveUser.email, eveUser.password);
    await eve.post(`/g/${slug}/join`);
    const groupId = Number(
      (
        (await db.execute(sql`select id from groups where slug = ${slug}`)) as unknown as {
          rows: { id: number }[];
        }
      ).rows[0]!.id,
    );
    const entryId = await groupEntryId(db, groupId);
    await db.execute(sql`insert into meeting_times (entry_id, group_id, weekday, start_minute, duration_minutes,
      time_zone, place, utc_week_minute) values (${entryId}, ${groupId}, 2, 1170, 90, 'Europe/London', 'online', 0)`);
    await db.execute(sql`update users set time_zone = 'Europe/London' where id = ${eveUser.id}`);
    const first = await start(eve, slug, 'Eve’s first words here', 'I lost my brother in May.');
    const second = await start(eve, slug, 'Eve again', 'A second discussion.');

    const later = new Date(Date.now() + 25 * HOUR);
    await world.tick(later);
    await world.tick(later);
    const notices = (await db.execute(sql`select thread_id from notifications
      where user_id = ${eveUser.id} and kind = 'thread_seen'`)) as unknown as { rows: { thread_id: number }[] };
    expect(notices.rows.map((r) => Number(r.thread_id))).toEqual([first]);
    expect(notices.rows.map((r) => Number(r.thread_id))).not.toContain(second);

    const text = await page(eve, '/notifications');
    expect(text).toContain('Your post in Grief circle is there for its members to see');
    expect(text).toContain('The group also meets Tuesdays 19:30–21:00 (your time), online');
    const next = nextStart(
      { weekday: 2, startMinute: 1170, durationMinutes: 90, timeZone: 'Europe/London', place: 'online' },
      later,
    )!;
    expect(next.getTime()).toBeGreaterThan(later.getTime());
    expect(next.getTime() - later.getTime()).toBeLessThanOrEqual(7 * 24 * HOUR);
    const london = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      weekday: 'long',
      hour: '2-digit',
      minute: '2-digit',
    });
    expect(london.format(next)).toBe('Tuesday 19:30');
    expect(text).toContain('The next meeting is on');
    // Ana's first discussion in Grief circle was answered; her first in Night shift was not.
    const anaNotices = (await db.execute(sql`select n.thread_id from notifications n join users u
      on u.id = n.user_id where u.pseudonym = 'Ana Pseudo' and n.kind = 'thread_seen'`)) as unknown as {
      rows: { thread_id: number }[];
    };
    expect(anaNotices.rows.map((r) => Number(r.thread_id))).toEqual([ids.anaPrivate]);
  });
});
