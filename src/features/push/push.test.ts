import { eq, sql } from 'drizzle-orm';
import webpush from 'web-push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup, makeThread } from '../../../test/helpers/factories.js';
import { TestPushService, verifyVapid, type TestDevice } from '../../../test/helpers/push.js';
import { notify } from '../notifications/index.js';
import { pushSubscriptions } from './schema.js';
import { sendPush } from './sender.js';
import { subscriptionInput } from './subscriptions.js';

/*
 * Web Push end to end: people turn push on for a device (a subscription made as a browser makes
 * one), Mutual is told things for them, the worker runs, and a push service on loopback receives
 * what Mutual sends. Each device decrypts its pushes with its own private key (RFC 8291) using
 * http_ece, and the VAPID signature is checked with the site's public key (RFC 8292).
 */

const vapid = { ...webpush.generateVAPIDKeys(), subject: 'mailto:operator@example.org' };
const GROUP = 'Widowed under forty';
const THREAD = 'Sleepless nights';

describe('Web Push', () => {
  let world: TestWorld;
  let service: TestPushService;
  let group: { id: number; slug: string };
  let thread: number;
  let made = 0;

  beforeAll(async () => {
    world = await createWorld({ vapid });
    service = await TestPushService.start();
    const ada = await world.createUser('Ada');
    group = await makeGroup(world, ada, { name: GROUP });
    thread = (await makeThread(world, ada, group.slug, THREAD, 'I lie awake thinking of him.')).id;
  });
  afterAll(async () => {
    await service?.close();
    await world?.close();
  });

  /** A new person logged in, with push on for one device. */
  async function personWithDevice(): Promise<{ id: number; pseudonym: string; agent: Agent; device: TestDevice }> {
    const person = await world.createUser(`Pusher ${++made}`);
    const agent = world.agent();
    await agent.logIn(person.email, person.password);
    const device = service.device(`device-${made}`);
    await device.subscribe(agent);
    return { ...person, agent, device };
  }

  const tell = (userId: number, kind: 'reply' | 'mention' | 'private_message' = 'reply') =>
    world.database.db.transaction((tx) => notify(tx, { userId, kind, groupId: group.id, threadId: thread }));

  const newest = async (userId: number) => {
    const [row] = (
      (await world.database.db.execute(
        sql`select max(id)::int as id from notifications where user_id = ${userId}`,
      )) as unknown as { rows: { id: number }[] }
    ).rows;
    return row!.id;
  };

  it('sends one encrypted push that says only what kind of thing happened, signed with the site’s key', async () => {
    const bea = await personWithDevice();
    await tell(bea.id);
    const before = Math.floor(Date.now() / 1000);
    await world.tick();

    const pushes = service.take(bea.device);
    expect(pushes).toHaveLength(1);
    const [{ payload, headers }] = pushes as [(typeof pushes)[number]];
    expect(payload).toEqual({
      title: 'Mutual',
      body: 'You have a new reply on Mutual',
      url: `/notifications/${await newest(bea.id)}`,
    });
    // Nothing a lock screen could give away: no group, no discussion, no words, no names.
    const text = JSON.stringify(payload);
    for (const secret of [GROUP, THREAD, 'awake', 'Ada', bea.pseudonym]) expect(text).not.toContain(secret);

    expect(headers['content-encoding']).toBe('aes128gcm');
    expect(Number(headers.ttl)).toBeGreaterThan(0);
    expect(headers.urgency).toBe('normal');
    expect(headers.topic).toBe('notifications');
    const { claims, key } = verifyVapid(headers.authorization);
    expect(key).toBe(vapid.publicKey);
    expect(claims.aud).toBe(new URL(bea.device.endpoint).origin);
    expect(claims.sub).toBe(vapid.subject);
    expect(claims.exp).toBeGreaterThan(before);
    expect(claims.exp).toBeLessThanOrEqual(before + 24 * 3600 + 5);

    // A second run, as after a restart, sends nothing again.
    await world.tick();
    expect(service.take(bea.device)).toEqual([]);
  });

  it('sums up what came since the last push in one push, to each of the person’s devices', async () => {
    const cai = await personWithDevice();
    const laptop = service.device(`laptop-${made}`);
    await laptop.subscribe(cai.agent);
    await tell(cai.id);
    await tell(cai.id, 'mention');
    await tell(cai.id, 'private_message');
    await world.tick();
    for (const device of [cai.device, laptop]) {
      expect(service.take(device).map((p) => p.payload)).toEqual([
        { title: 'Mutual', body: 'You have 3 new notifications on Mutual', url: '/notifications' },
      ]);
    }
  });

  it('names the group and the discussion to someone who asked for details, and still no one and no words', async () => {
    const dee = await personWithDevice();
    await dee.agent.get('/account/push');
    const saved = await dee.agent.post('/account/push', { intent: 'details', details: 'on' });
    expect(saved.headers.location).toBe('/account/push?notice=pushDetailsSaved');
    expect(textOf((await dee.agent.get(String(saved.headers.location))).body)).toContain(
      'Your choice for the lock screen is saved.',
    );

    await tell(dee.id);
    await world.tick();
    const [push] = service.take(dee.device);
    expect(push?.payload).toEqual({
      title: GROUP,
      body: `New reply in “${THREAD}”`,
      url: expect.stringMatching(/^\/notifications\/\d+$/),
    });
    expect(JSON.stringify(push?.payload)).not.toMatch(/awake|Ada/);

    await tell(dee.id);
    await tell(dee.id, 'mention');
    await world.tick();
    expect(service.take(dee.device).map((p) => p.payload)).toEqual([
      { title: 'Mutual', body: `2 new notifications: ${GROUP}`, url: '/notifications' },
    ]);
  });

  it('holds a push through the person’s quiet hours, on their own clock, and sends it after', async () => {
    const eve = await personWithDevice();
    const now = Date.now();
    const parisMinute = (at: number) => {
      const [h, m] = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/Paris',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      })
        .format(at)
        .split(':')
        .map(Number) as [number, number];
      return h * 60 + m;
    };
    // Quiet from an hour from now until three hours from now, in Paris.
    const from = (parisMinute(now) + 60) % 1440;
    const until = (parisMinute(now) + 180) % 1440;
    await world.database.db.execute(sql`update users set time_zone = 'Europe/Paris' where id = ${eve.id}`);
    await world.database.db.execute(
      sql`insert into notification_settings (user_id, quiet_from, quiet_until) values (${eve.id}, ${from}, ${until})`,
    );
    await tell(eve.id);
    await world.tick(new Date(now + 90 * 60_000));
    expect(service.take(eve.device)).toEqual([]);
    await world.tick(new Date(now + 200 * 60_000));
    expect(service.take(eve.device).map((p) => (p.payload as { body: string }).body)).toEqual([
      'You have a new reply on Mutual',
    ]);
  });

  it('pushes nothing the person turned off for push, or has read already', async () => {
    const fay = await personWithDevice();
    await world.database.db.execute(
      sql`insert into notification_preferences (user_id, kind, in_app, email, push) values (${fay.id}, 'mention', true, true, false)`,
    );
    await tell(fay.id, 'mention');
    await tell(fay.id);
    await world.database.db.execute(
      sql`update notifications set read_at = now() where user_id = ${fay.id} and kind = 'reply'`,
    );
    await world.tick();
    expect(service.take(fay.device)).toEqual([]);
    // Both are settled: neither is looked at again.
    const [left] = (
      (await world.database.db.execute(
        sql`select count(*)::int as n from notifications where user_id = ${fay.id} and pushed_at is null`,
      )) as unknown as { rows: { n: number }[] }
    ).rows;
    expect(left!.n).toBe(0);
  });

  it('starts a new device from now, without what the person was told before', async () => {
    const person = await world.createUser('Gus');
    const agent = world.agent();
    await agent.logIn(person.email, person.password);
    await tell(person.id);
    const device = service.device('gus-phone');
    await device.subscribe(agent);
    await world.tick();
    expect(service.take(device)).toEqual([]);
    await tell(person.id);
    await world.tick();
    expect(service.take(device)).toHaveLength(1);
  });

  it('forgets a device the push service says is gone (410), and counts other failures', async () => {
    const hal = await personWithDevice();
    const broken = service.device(`broken-${made}`);
    await broken.subscribe(hal.agent);
    service.status.set(new URL(hal.device.endpoint).pathname, 410);
    service.status.set(new URL(broken.endpoint).pathname, 500);
    await tell(hal.id);
    await world.tick();
    const rows = await world.database.db
      .select({ endpoint: pushSubscriptions.endpoint, failures: pushSubscriptions.failures })
      .from(pushSubscriptions)
      .where(eq(pushSubscriptions.userId, hal.id));
    expect(rows).toEqual([{ endpoint: broken.endpoint, failures: 1 }]);
    service.take(hal.device);
    service.take(broken);
  });

  it('sends a test notification to the person’s devices when they ask', async () => {
    const ivy = await personWithDevice();
    await ivy.agent.get('/account/push');
    const res = await ivy.agent.post('/account/push', { intent: 'test' });
    expect(res.headers.location).toBe('/account/push?notice=pushTestSent');
    await world.tick();
    expect(service.take(ivy.device).map((p) => p.payload)).toEqual([
      {
        title: 'Mutual',
        body: 'This is a test notification from Mutual. Notifications reach this device.',
        url: '/account/push',
      },
    ]);
    const page = textOf((await ivy.agent.get('/account/push')).body);
    expect(page).toContain('last notification');
  });

  it('lists a person’s devices by name only, and lets them turn one off; nobody else can', async () => {
    const jo = await personWithDevice();
    const page = await jo.agent.get('/account/push', {
      'user-agent': 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36',
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain(jo.device.endpoint);
    expect(page.body).not.toContain(jo.device.auth);
    const [row] = await world.database.db
      .select({ id: pushSubscriptions.id })
      .from(pushSubscriptions)
      .where(eq(pushSubscriptions.userId, jo.id));
    const other = await personWithDevice();
    await other.agent.get('/account/push');
    expect((await other.agent.post(`/push/subscriptions/${row!.id}/delete`)).statusCode).toBe(404);
    const removed = await jo.agent.post(`/push/subscriptions/${row!.id}/delete`);
    expect(removed.headers.location).toBe('/account/push?notice=pushRemoved');
    expect(textOf((await jo.agent.get('/account/push')).body)).toContain('None yet.');
  });

  it('takes a subscription only from a signed-in person, with the CSRF token, and checks it', async () => {
    const device = service.device('visitor');
    expect((await world.agent().post('/push/subscriptions', device.form())).headers.location).toMatch(/^\/login/);
    const kim = await personWithDevice();
    expect((await kim.agent.post('/push/subscriptions', device.form(), { csrf: null })).statusCode).toBe(403);
    const bad = await kim.agent.post(
      '/push/subscriptions',
      { ...device.form(), p256dh: 'not-a-key' },
      { headers: { accept: 'application/json' } },
    );
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body)).toEqual({ error: 'This browser’s push keys were not accepted.' });
    const good = await kim.agent.post('/push/subscriptions', device.form(), {
      headers: { accept: 'application/json' },
    });
    expect(good.statusCode).toBe(201);
    // The key browsers subscribe with.
    expect(JSON.parse((await world.agent().get('/push/key')).body)).toEqual({ publicKey: vapid.publicKey });
  });

  it('accepts only public https push services, unless the operator allows a private network', () => {
    const keys = { p256dh: service.device('x').p256dh, auth: service.device('x').auth };
    const ok = (endpoint: string, allowPrivate = false) =>
      subscriptionInput(allowPrivate).safeParse({ endpoint, ...keys }).success;
    expect(ok('https://fcm.googleapis.com/fcm/send/abc123')).toBe(true);
    expect(ok('https://updates.push.services.mozilla.com/wpush/v2/gAAAA')).toBe(true);
    for (const endpoint of [
      'http://fcm.googleapis.com/fcm/send/abc',
      'https://127.0.0.1/push',
      'https://10.1.2.3/push',
      'https://[::1]/push',
      'https://169.254.169.254/latest',
      'https://localhost/push',
      'https://push.internal/x',
      'https://user:pass@push.example.org/x',
      'javascript:alert(1)',
    ]) {
      expect(ok(endpoint), endpoint).toBe(false);
    }
    expect(ok('http://127.0.0.1:8080/push', true)).toBe(true);
  });

  it('never connects to a private address unless allowed, whatever the subscription says', async () => {
    const device = service.device('private');
    const message = { payload: '{}', ttl: 60, urgency: 'normal' as const, topic: 'notifications' };
    expect(await sendPush(device, message, { vapid, allowPrivateEndpoints: false })).toBe('failed');
    expect(service.take(device)).toEqual([]);
    expect(await sendPush(device, message, { vapid, allowPrivateEndpoints: true, loopbackOnly: true })).toBe('sent');
    expect(service.take(device)).toHaveLength(1);
  });
});
