import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { Receiver, signatureValid } from '../../../test/helpers/webhook-receiver.js';
import { webhooks } from './schema.js';
import { postDelivery } from './sender.js';

/*
 * Webhooks end to end: a group's owner registers a receiver on the webhooks page, is shown its
 * secret once, something happens in the group through the pages, the worker runs, and a real
 * HTTP receiver on loopback gets a POST whose signature checks out with that secret.
 */

const secretOf = (html: string) => /<code id="webhook-secret">([^<]+)<\/code>/.exec(html)?.[1];

describe('webhooks', () => {
  let world: TestWorld;
  let receiver: Receiver;
  let owner: Agent;
  let ownerEmail: string;

  beforeAll(async () => {
    world = await createWorld({ webhooks: { allowPrivateAddresses: true, maxAttempts: 3 } });
    receiver = await Receiver.start();
    const wren = await world.createUser('Wren');
    ownerEmail = wren.email;
    owner = world.agent();
    await owner.logIn(wren.email, wren.password);
  });
  afterEach(() => receiver.reset());
  afterAll(async () => {
    await receiver?.close();
    await world?.close();
  });

  async function newGroup(name: string) {
    const user = await world.database.db.execute(sql`select id from users where pseudonym = 'Wren'`);
    const id = Number((user as unknown as { rows: { id: number }[] }).rows[0]!.id);
    return makeGroup(world, { id, pseudonym: 'Wren' }, { name });
  }

  /** Registers a webhook on the page; returns its id and the secret shown once. */
  async function register(slug: string, events: string[], url = receiver.url()) {
    const res = await owner.post(`/g/${slug}/webhooks`, { url, events });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('no-store');
    const secret = secretOf(res.body);
    expect(secret).toBeTruthy();
    const id = Number(new RegExp(`/g/${slug}/webhooks/(\\d+)`).exec(res.body)?.[1]);
    return { id, secret: secret! };
  }

  async function startThread(agent: Agent, slug: string, form: Record<string, string>) {
    const res = await agent.post(`/g/${slug}/threads/new`, form);
    expect(res.statusCode).toBe(303);
    return Number(/\/t\/(\d+)/.exec(String(res.headers.location))?.[1]);
  }

  it('registers a webhook and sees a signed delivery arrive', async () => {
    const group = await newGroup('Carers at night');
    const page = await owner.get(`/g/${group.slug}`);
    expect(page.body).toContain(`href="/g/${group.slug}/webhooks"`);
    expect((await owner.get(`/g/${group.slug}/webhooks`)).statusCode).toBe(200);

    const { id, secret } = await register(group.slug, ['thread.created', 'post.created']);
    // Shown once: the list and the webhook's page never show it again.
    expect((await owner.get(`/g/${group.slug}/webhooks`)).body).not.toContain(secret);
    expect((await owner.get(`/g/${group.slug}/webhooks/${id}`)).body).not.toContain(secret);

    const threadId = await startThread(owner, group.slug, { title: 'Three a.m. again', body: 'Awake with worry.' });
    await world.tick();

    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    expect(delivery!.path).toBe('/hook');
    expect(delivery!.headers['content-type']).toBe('application/json');
    expect(signatureValid(secret, delivery!)).toBe(true);
    expect(signatureValid('whsec_not-the-secret', delivery!)).toBe(false);
    const timestamp = Number(delivery!.headers['mutual-webhook-timestamp']);
    expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(60);
    const body = JSON.parse(delivery!.body) as {
      id: string;
      type: string;
      group: { slug: string; name: string };
      data: { thread: { id: number; title: string; url: string }; post: { author: { name: string }; body: string } };
    };
    expect(body.id).toBe(delivery!.headers['mutual-webhook-id']);
    expect(body.type).toBe('thread.created');
    expect(body.group).toEqual({ slug: group.slug, name: 'Carers at night' });
    expect(body.data.thread).toEqual({
      id: threadId,
      title: 'Three a.m. again',
      url: `http://localhost:3000/g/${group.slug}/t/${threadId}`,
    });
    expect(body.data.post.author.name).toBe('Wren');
    expect(body.data.post.body).toBe('Awake with worry.');
    expect(delivery!.body).not.toContain(ownerEmail);

    const deliveries = textOf((await owner.get(`/g/${group.slug}/webhooks/${id}`)).body);
    expect(deliveries).toContain('New discussion Delivered 200 1');
  });

  it('tries again after a 500, and gives up after the last attempt', async () => {
    const group = await newGroup('Long covid walkers');
    const { id, secret } = await register(group.slug, ['thread.created']);
    receiver.answer({ status: 500 });
    await startThread(owner, group.slug, { title: 'Pacing tips', body: 'What helps you pace?' });
    await world.tick();

    // The same delivery twice: the same id (so a receiver can tell), each signed.
    expect(receiver.received).toHaveLength(2);
    const [first, second] = receiver.received;
    expect(second!.headers['mutual-webhook-id']).toBe(first!.headers['mutual-webhook-id']);
    expect(signatureValid(secret, second!)).toBe(true);
    let page = textOf((await owner.get(`/g/${group.slug}/webhooks/${id}`)).body);
    expect(page).toContain('New discussion Delivered 200 2');

    receiver.reset();
    receiver.answer({ status: 500 }, { status: 503 }, { status: 500 });
    await startThread(owner, group.slug, { title: 'Bad days', body: 'Today was a bad day.' });
    await world.tick();
    expect(receiver.received).toHaveLength(3);
    page = textOf((await owner.get(`/g/${group.slug}/webhooks/${id}`)).body);
    // Newest first.
    expect(page).toMatch(/New discussion Failed \(answered 500\) 500 3 .*New discussion Delivered 200 2/);
  });

  it('does not follow a redirect', async () => {
    const group = await newGroup('Grief after suicide');
    const { id } = await register(group.slug, ['thread.created']);
    receiver.answer(...[1, 2, 3].map(() => ({ status: 302, location: receiver.url('/elsewhere') })));
    await startThread(owner, group.slug, { title: 'Anniversaries', body: 'It is a year today.' });
    await world.tick();
    expect(receiver.received.map((r) => r.path)).toEqual(['/hook', '/hook', '/hook']);
    const page = textOf((await owner.get(`/g/${group.slug}/webhooks/${id}`)).body);
    expect(page).toContain('Failed (a redirect (not followed)) 302 3');
  });

  it('never names the author of an anonymous post', async () => {
    const group = await newGroup('Recovery, one day at a time');
    await world.database.db.execute(sql`update groups set anonymous_posts = true where id = ${group.id}`);
    const sam = await world.createUser('Sam Hidden');
    const member = world.agent();
    await member.logIn(sam.email, sam.password);
    expect((await member.post(`/g/${group.slug}/join`)).statusCode).toBe(303);
    await register(group.slug, ['thread.created']);
    await startThread(member, group.slug, { title: 'Day one', body: 'Starting again.', anonymous: 'on' });
    await world.tick();

    expect(receiver.received).toHaveLength(1);
    const raw = receiver.received[0]!.body;
    const body = JSON.parse(raw) as { data: { post: { author: { name: string; anonymous: boolean } } } };
    expect(body.data.post.author).toEqual({ name: 'Anonymous member', anonymous: true });
    expect(raw).not.toContain('Sam Hidden');
    expect(raw).not.toContain(sam.email);
    expect(raw).not.toMatch(new RegExp(`"(authorId|userId)"`));
  });

  it('tells of new members by their name in the group, and sends a test event', async () => {
    const group = await newGroup('Parents of teens');
    const { id, secret } = await register(group.slug, ['member.joined']);
    const kit = await world.createUser('Kit');
    const member = world.agent();
    await member.logIn(kit.email, kit.password);
    expect((await member.post(`/g/${group.slug}/join`, { alias: 'Quiet Parent' })).statusCode).toBe(303);
    // A thread is not among the events this webhook asked for.
    await startThread(owner, group.slug, { title: 'Exams', body: 'Exam season again.' });
    await world.tick();
    expect(receiver.received).toHaveLength(1);
    const joined = JSON.parse(receiver.received[0]!.body) as { type: string; data: unknown };
    expect(joined.type).toBe('member.joined');
    expect(joined.data).toEqual({ member: { name: 'Quiet Parent' } });
    expect(receiver.received[0]!.body).not.toContain('Kit');

    receiver.reset();
    const test = await owner.post(`/g/${group.slug}/webhooks/${id}/test`);
    expect(test.statusCode).toBe(303);
    await world.tick();
    expect(receiver.received).toHaveLength(1);
    expect(signatureValid(secret, receiver.received[0]!)).toBe(true);
    expect((JSON.parse(receiver.received[0]!.body) as { type: string }).type).toBe('ping');

    // Turned off, it is sent nothing.
    receiver.reset();
    expect((await owner.post(`/g/${group.slug}/webhooks/${id}/disable`)).statusCode).toBe(303);
    const lee = await world.createUser('Lee');
    const third = world.agent();
    await third.logIn(lee.email, lee.password);
    await third.post(`/g/${group.slug}/join`);
    await world.tick();
    expect(receiver.received).toHaveLength(0);
    expect((await owner.post(`/g/${group.slug}/webhooks/${id}/test`)).statusCode).toBe(400);

    expect((await owner.post(`/g/${group.slug}/webhooks/${id}/delete`)).statusCode).toBe(303);
    expect((await owner.get(`/g/${group.slug}/webhooks/${id}`)).statusCode).toBe(404);
  });

  it("tells an organisation's webhook of applications to its groups, named as the group shows the applicant", async () => {
    const db = world.database.db;
    const group = await newGroup('Young carers, supervised');
    const orgs = (await db.execute(sql`insert into organisations (slug, name) values ('carers-trust', 'Carers Trust')
      returning id`)) as unknown as { rows: { id: number }[] };
    const organisationId = Number(orgs.rows[0]!.id);
    await db.execute(sql`update groups set organisation_id = ${organisationId}, join_policy = 'approval',
      entry_questions = array['Why would you like to join?'] where id = ${group.id}`);
    const secret = 'whsec_organisation-test';
    await db.insert(webhooks).values({
      organisationId,
      url: receiver.url('/org'),
      secret,
      events: ['application.received'],
    });

    const jo = await world.createUser('Jo Applicant');
    const applicant = world.agent();
    await applicant.logIn(jo.email, jo.password);
    await applicant.get(`/g/${group.slug}/apply`);
    const applied = await applicant.post(`/g/${group.slug}/apply`, { answers: 'I care for my mum.', alias: 'Jo C' });
    expect(applied.statusCode).toBe(303);
    await world.tick();

    expect(receiver.received).toHaveLength(1);
    const r = receiver.received[0]!;
    expect(r.path).toBe('/org');
    expect(signatureValid(secret, r)).toBe(true);
    const body = JSON.parse(r.body) as { type: string; group: { slug: string }; data: { application: unknown } };
    expect(body.type).toBe('application.received');
    expect(body.group.slug).toBe(group.slug);
    expect(body.data.application).toEqual({
      id: expect.any(Number) as number,
      url: `http://localhost:3000/g/${group.slug}/applications`,
      applicant: { name: 'Jo C' },
    });
    expect(r.body).not.toContain('Jo Applicant');
    expect(r.body).not.toContain('I care for my mum.');
  });

  it('keeps its pages to those who manage the group, and re-shows a form with mistakes', async () => {
    const group = await newGroup('Tinnitus talk');
    const member = await world.member('Robin');
    await member.post(`/g/${group.slug}/join`);
    expect((await member.get(`/g/${group.slug}/webhooks`)).statusCode).toBe(403);
    expect(
      (await member.post(`/g/${group.slug}/webhooks`, { url: receiver.url(), events: 'post.created' })).statusCode,
    ).toBe(403);
    const { id } = await register(group.slug, ['post.created']);
    expect((await member.get(`/g/${group.slug}/webhooks/${id}`)).statusCode).toBe(403);
    // Another group's owner cannot reach this webhook through their own group.
    const other = await newGroup('Another group');
    expect((await owner.get(`/g/${other.slug}/webhooks/${id}`)).statusCode).toBe(404);

    const bad = await owner.post(`/g/${group.slug}/webhooks`, { url: 'ftp://example.org/x' });
    expect(bad.statusCode).toBe(400);
    const text = textOf(bad.body);
    expect(text).toContain('Please use an http or https address');
    expect(text).toContain('Please choose at least one event.');
    expect(bad.body).toContain('value="ftp://example.org/x"');
  });
});

describe('webhooks, with private addresses refused (the default)', () => {
  let world: TestWorld;
  let receiver: Receiver;

  beforeAll(async () => {
    world = await createWorld();
    receiver = await Receiver.start();
  });
  afterAll(async () => {
    await receiver?.close();
    await world?.close();
  });

  it('refuses private addresses when registering, and refuses to deliver to a name that resolves to one', async () => {
    const ada = await world.createUser('Ada');
    const owner = world.agent();
    await owner.logIn(ada.email, ada.password);
    const group = await makeGroup(world, ada, { name: 'Hearing voices' });

    for (const url of [
      receiver.url(),
      `https://127.0.0.1:${receiver.port}/hook`,
      'https://10.1.2.3/hook',
      'https://[::1]/x',
    ]) {
      const res = await owner.post(`/g/${group.slug}/webhooks`, { url, events: 'thread.created' });
      expect(res.statusCode, url).toBe(400);
      expect(textOf(res.body)).toContain('Please use an https address on the public internet.');
    }

    // "localhost" is a name: it is accepted, and resolved (to loopback) only when delivering.
    const res = await owner.post(`/g/${group.slug}/webhooks`, {
      url: `https://localhost:${receiver.port}/hook`,
      events: 'thread.created',
    });
    expect(res.statusCode).toBe(200);
    const id = Number(new RegExp(`/g/${group.slug}/webhooks/(\\d+)`).exec(res.body)?.[1]);
    await owner.post(`/g/${group.slug}/threads/new`, { title: 'Quiet today', body: 'The voices are quiet.' });
    await world.tick();
    expect(receiver.received).toHaveLength(0);
    const page = textOf((await owner.get(`/g/${group.slug}/webhooks/${id}`)).body);
    expect(page).toContain('New discussion Refused (a private or local address) — 1');
  });

  it('refuses plain http and private addresses in the sender itself', async () => {
    const opts = { allowPrivateAddresses: false, timeoutMs: 2000, userAgent: 'test' };
    expect(await postDelivery(receiver.url(), '{}', {}, opts)).toEqual({ outcome: 'refused', error: 'not https' });
    expect(await postDelivery('https://169.254.169.254/latest', '{}', {}, opts)).toEqual({
      outcome: 'refused',
      error: 'a private or local address',
    });
    expect(receiver.received).toHaveLength(0);
  });
});
