import { createECDH } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { turnOnTwoFactor } from '../../../test/helpers/two-factor.js';
import { passkeys, twoFactor } from '../accounts/schema.js';
import { dataExports } from './schema.js';

const PASSWORD = 'a password of my own';

/**
 * Every row of every table, in every schema (the job queue's too), whose text holds a string:
 * how a test proves that nothing of a person is left.
 */
async function rowsHolding(world: TestWorld, needle: string): Promise<string[]> {
  const db = world.database.db;
  const columns = (await db.execute(sql`
    select table_schema as "schema", table_name as "table", column_name as "column"
    from information_schema.columns c
    where table_schema not in ('pg_catalog', 'information_schema', 'drizzle')
      and table_schema not like 'pg_toast%'
      and exists (select 1 from information_schema.tables t where t.table_schema = c.table_schema
        and t.table_name = c.table_name and t.table_type = 'BASE TABLE')`)) as unknown as {
    rows: { schema: string; table: string; column: string }[];
  };
  expect(columns.rows.length).toBeGreaterThan(100);
  const tables = new Map<string, typeof columns.rows>();
  for (const c of columns.rows) {
    const name = `${c.schema}.${c.table}`;
    tables.set(name, [...(tables.get(name) ?? []), c]);
  }
  const found: string[] = [];
  // One query per table: for each column, whether any row's text holds the needle.
  for (const [name, cols] of tables) {
    const { schema, table } = cols[0]!;
    const checks = sql.join(
      cols.map((c) => sql`coalesce(bool_or(${sql.identifier(c.column)}::text ilike ${`%${needle}%`}), false)`),
      sql`, `,
    );
    const result = (await db.execute(
      sql`select array[${checks}] as hits from ${sql.identifier(schema)}.${sql.identifier(table)}`,
    )) as unknown as { rows: { hits: boolean[] }[] };
    result.rows[0]!.hits.forEach((hit, i) => {
      if (hit) found.push(`${name}.${cols[i]!.column}`);
    });
  }
  return found;
}

describe('privacy', () => {
  let world: TestWorld;
  let owner: Agent;
  let ownerUser: Awaited<ReturnType<TestWorld['createUser']>>;
  beforeAll(async () => {
    world = await createWorld();
    await world.createUser('Admin');
    ownerUser = await world.createUser('Circle Keeper');
    owner = world.agent();
    await owner.logIn(ownerUser.email, ownerUser.password);
  });
  afterAll(() => world.close());
  const db = () => world.database.db;

  /** Someone who signs up, joins, posts, reacts, applies, is invited, and sets up their security. */
  async function activeMember(pseudonym: string, email: string) {
    const agent = world.agent();
    await agent.get('/signup');
    const signedUp = await agent.post('/signup', { pseudonym, email, password: PASSWORD });
    expect(signedUp.statusCode).toBe(303);
    const [{ id }] = (
      (await db().execute(sql`select id from users where email = ${email}`)) as unknown as { rows: { id: number }[] }
    ).rows as [{ id: number }];

    const open = await makeGroup(world, ownerUser, { name: `Open circle for ${id}` });
    await agent.post(`/g/${open.slug}/join`);
    const thread = await agent.post(`/g/${open.slug}/threads/new`, {
      title: 'Sleepless since the diagnosis',
      body: 'I lie awake <script>alert(1)</script> every night.',
    });
    const threadPath = thread.headers.location!.split('?')[0]!;
    const threadId = /\/t\/(\d+)/.exec(threadPath)![1]!;
    await owner.post(`/g/${open.slug}/join`);
    await owner.post(`/threads/${threadId}/replies`, { body: 'You are not alone in this.' });
    const others = await owner.get(threadPath);
    const ownerPost = [...others.body.matchAll(/\/posts\/(\d+)\/reactions\/support/g)].map((m) => m[1]!).at(-1)!;
    await agent.post(`/posts/${ownerPost}/reactions/support`);
    const ownersThread = await owner.post(`/g/${open.slug}/threads/new`, {
      title: 'Our weekly check-in',
      body: 'How is everyone doing?',
    });
    const ownersThreadId = /\/t\/(\d+)/.exec(ownersThread.headers.location!)![1]!;
    await agent.post(`/threads/${ownersThreadId}/replies`, { body: 'Better this week, thank you.' });
    // A private conversation with the owner, who accepts and answers; and who may write to them.
    const asked = await agent.post('/messages/new', {
      group: open.slug,
      to: 'Circle Keeper',
      body: 'Thank you for this group.',
    });
    const conversation = /\/messages\/(\d+)/.exec(asked.headers.location!)![1]!;
    await owner.post(`/messages/${conversation}/accept`);
    await owner.post(`/messages/${conversation}`, { body: 'You are welcome here.' });
    await agent.post('/account/messages', { whoMayMessage: 'facilitators' });

    const approval = await makeGroup(world, ownerUser, { name: `Approval circle for ${id}` });
    await owner.get(`/g/${approval.slug}/settings`);
    await owner.post(`/g/${approval.slug}/settings`, {
      joinPolicy: 'approval',
      slowModeMinutes: '0',
      listed: 'on',
      entryQuestions: 'What brings you here?',
    });
    await agent.post(`/g/${approval.slug}/apply`, { answers: ['My mother died in spring.'] });
    const queue = await owner.get(`/g/${approval.slug}/applications`);
    const applicationId = /\/applications\/(\d+)\/decision/.exec(queue.body)![1]!;
    await owner.post(`/applications/${applicationId}/decision`, {
      decision: 'approve',
      message: `Welcome, ${pseudonym}`,
    });

    const invited = await makeGroup(world, ownerUser, { name: `Invitation circle for ${id}` });
    await owner.get(`/g/${invited.slug}/invitations`);
    await owner.post(`/g/${invited.slug}/invitations`, { email, days: '7', uses: '1' });

    const phone = await turnOnTwoFactor(db(), id);
    await db()
      .insert(passkeys)
      .values({ id: `credential-of-${id}`, userId: id, userHandle: `handle-${id}`, publicKey: 'key' });
    const [factor] = await db()
      .select({ secret: twoFactor.secret })
      .from(twoFactor)
      .where(sql`user_id = ${id}`);
    await agent.post('/account/settings', {
      membershipVisibility: 'nobody',
      timeZone: 'Europe/Lisbon',
      locale: 'auto',
    });
    // Push turned on for a phone (src/features/push): its endpoint and keys are never exported.
    await agent.post(
      '/push/subscriptions',
      {
        endpoint: `https://push.example.net/wpush/endpoint-of-${id}`,
        p256dh: createECDH('prime256v1').generateKeys().toString('base64url'),
        auth: Buffer.alloc(16, 7).toString('base64url'),
      },
      { headers: { 'user-agent': 'Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0' } },
    );
    await agent.post('/account/data/export');
    await world.outbox();
    return { agent, id, secret: factor!.secret, phone, threadId, ownersThreadId, open };
  }

  it('explains what is kept and why, and loads nothing from anywhere else', async () => {
    const page = await world.agent().get('/privacy');
    expect(page.statusCode).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain('We do not store your IP address.');
    expect(text).toContain('no trackers');
    expect(textOf((await world.agent().get('/groups')).body)).toContain('Privacy');
    const csp = String(page.headers['content-security-policy']);
    for (const directive of ['default-src', 'script-src', 'style-src', 'font-src', 'connect-src']) {
      expect(csp).toMatch(new RegExp(`${directive} 'self'(;|$)`));
    }
    expect(csp).toContain("img-src 'self' data:");
    for (const path of ['/', '/groups', '/privacy', '/login', '/signup']) {
      const body = (await world.agent().get(path)).body;
      // Scripts, styles, fonts and images come from this site alone.
      expect(body).not.toMatch(/<(script|img|iframe)[^>]+src="(https?:)?\/\//);
      expect(body).not.toMatch(/<link(?![^>]*rel="canonical")[^>]+href="(https?:)?\/\//);
    }
  });

  it('prepares an archive of everything a member wrote and chose, offered to them alone for 7 days', async () => {
    const member = await activeMember('Archive Ana', 'archive.ana@example.org');
    await world.jobs.drain();
    const page = await member.agent.get('/account/data');
    expect(textOf(page.body)).toContain('Download the archive');
    const href = /href="(\/account\/data\/exports\/\d+)"/.exec(page.body)![1]!;
    const download = await member.agent.get(href);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/zip');
    expect(String(download.headers['content-disposition'])).toMatch(/^attachment; filename="mutual-data-/);
    const files = unzipSync(new Uint8Array(download.rawPayload));
    const data = JSON.parse(strFromU8(files['mutual-data/data.json']!));
    expect(data.account).toMatchObject({ pseudonym: 'Archive Ana', email: 'archive.ana@example.org' });
    expect(data.account.settings).toMatchObject({ membershipVisibility: 'nobody' });
    expect(data.account.twoStepVerification).toBe(true);
    expect(data.forum.threads.map((t: { title: string }) => t.title)).toEqual(['Sleepless since the diagnosis']);
    expect(data.forum.posts.map((p: { body: string }) => p.body)).toEqual([
      'I lie awake <script>alert(1)</script> every night.',
      'Better this week, thank you.',
    ]);
    expect(data.forum.reactions).toEqual([expect.objectContaining({ kind: 'support' })]);
    expect(data.groups.memberships).toHaveLength(2);
    // Each group the member joined is also a mailing list they follow (a daily digest unless they chose).
    expect(data.mail.subscriptions).toHaveLength(2);
    expect(data.mail.subscriptions[0]).toMatchObject({ mode: 'daily', newsletters: true });
    expect(typeof data.mail.subscriptions[0].group).toBe('string');
    expect(data.groups.applications[0]).toMatchObject({ answers: ['My mother died in spring.'], status: 'approved' });
    expect(data.push.devices).toEqual([
      { label: 'Firefox · Android', createdAt: expect.any(String), lastSuccessAt: null },
    ]);
    // Their private messages: what they wrote, never what others wrote to them.
    expect(data.messages.whoMayMessage).toBe('facilitators');
    expect(data.messages.messages.map((m: { body: string }) => m.body)).toEqual(['Thank you for this group.']);
    const html = strFromU8(files['mutual-data/index.html']!);
    expect(html).toContain('Everything Mutual keeps about Archive Ana');
    expect(html).toContain('I lie awake &lt;script>alert(1)&lt;/script> every night.');
    expect(html).not.toMatch(/<script/);

    // Nobody else can fetch it, and after 7 days it is gone.
    const other = await world.member('Curious Cat');
    expect((await other.get(href)).statusCode).toBe(404);
    await db()
      .update(dataExports)
      .set({ expiresAt: new Date(Date.now() - 1000) });
    expect((await member.agent.get(href)).statusCode).toBe(404);
    expect(await db().select().from(dataExports)).toHaveLength(0);
  });

  it('deletes an account with its posts, leaving no row that holds who they were', async () => {
    const member = await activeMember('Willow Erase', 'willow.erase@example.org');
    const needles = [
      'willow.erase@example.org',
      'Willow Erase',
      member.secret,
      `credential-of-${member.id}`,
      `endpoint-of-${member.id}`,
    ];
    // Before: the address and the name are in the account, the invitation, the mail and the audit log.
    expect(await rowsHolding(world, needles[0]!)).toEqual(
      expect.arrayContaining(['public.users.email', 'public.invitations.email', 'public.outbox.to', 'pgboss.job.data']),
    );
    expect(await rowsHolding(world, needles[1]!)).toEqual(
      expect.arrayContaining(['public.users.pseudonym', 'public.audit_log.reason']),
    );
    for (const needle of needles.slice(2)) expect(await rowsHolding(world, needle)).not.toEqual([]);

    await member.agent.get('/account/delete');
    const wrong = await member.agent.post('/account/delete', { posts: 'erase', password: 'not the password' });
    expect(wrong.statusCode).toBe(400);
    expect(textOf(wrong.body)).toContain('That is not your current password.');
    const unchosen = await member.agent.post('/account/delete', { password: PASSWORD });
    expect(textOf(unchosen.body)).toContain('Choose what happens to your posts.');
    const done = await member.agent.post('/account/delete', { posts: 'erase', password: PASSWORD });
    expect(done.headers.location).toBe('/?notice=accountDeleted');
    expect((await member.agent.get('/account')).statusCode).toBe(303);

    for (const needle of needles)
      expect({ needle, rows: await rowsHolding(world, needle) }).toEqual({ needle, rows: [] });
    // Their writing is gone; other people's stays, and counts are right.
    expect((await owner.get(`/g/${member.open.slug}/t/${member.threadId}`)).statusCode).toBe(404);
    const ownersThread = textOf((await owner.get(`/g/${member.open.slug}/t/${member.ownersThreadId}`)).body);
    expect(ownersThread).toContain('How is everyone doing?');
    expect(ownersThread).not.toContain('Better this week');
    expect(textOf((await owner.get(`/g/${member.open.slug}`)).body)).toContain('1 member');
    // The audit log keeps the decision, not the name.
    expect(textOf((await owner.get(`/g/${member.open.slug.replace('open', 'approval')}/audit`)).body)).not.toContain(
      'Willow',
    );
    await expect(world.agent().logIn('willow.erase@example.org', PASSWORD)).rejects.toThrow();
  });

  it('deletes an account but keeps its posts under "Deleted member" when asked to', async () => {
    const member = await activeMember('Rowan Keep', 'rowan.keep@example.org');
    const done = await member.agent.post('/account/delete', { posts: 'keep', password: PASSWORD });
    expect(done.headers.location).toBe('/?notice=accountDeleted');
    for (const needle of ['rowan.keep@example.org', 'Rowan Keep', member.secret]) {
      expect({ needle, rows: await rowsHolding(world, needle) }).toEqual({ needle, rows: [] });
    }
    const thread = textOf((await owner.get(`/g/${member.open.slug}/t/${member.threadId}`)).body);
    expect(thread).toContain('Sleepless since the diagnosis');
    expect(thread).toContain('Deleted member');
    expect(thread).toContain('You are not alone in this.');
  });

  it('keeps the only site administrator from deleting the site’s last administrator account', async () => {
    const lone = await createWorld();
    try {
      const admin = await lone.createUser('Only Admin');
      const agent = lone.agent();
      await agent.logIn(admin.email, admin.password);
      await agent.get('/account/delete');
      const refused = await agent.post('/account/delete', { posts: 'keep', password: admin.password });
      expect(refused.statusCode).toBe(403);
      expect(textOf(refused.body)).toContain('You are this site’s only administrator');
    } finally {
      await lone.close();
    }
  });
});
