import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import type { JobDefinition } from '../../platform/jobs/queue.js';
import { createNotifications, defineNotificationJobs, type NotificationSource } from './pipeline.js';
import { notify } from './service.js';

/*
 * Delivery: every notification, however it is made (by the event job, or by notify() inside some
 * feature's own transaction), reaches its person's bell live over /live, and is decided for email
 * and push as it is written, from their preferences.
 */
describe('notification delivery', () => {
  let world: TestWorld;
  let sam: Agent;
  let samId: number;
  let otherId: number;
  let groupId: number;

  const idOf = async (pseudonym: string) => {
    const r = (await world.database.db.execute(
      sql`select id from users where pseudonym = ${pseudonym}`,
    )) as unknown as {
      rows: { id: number }[];
    };
    return Number(r.rows[0]!.id);
  };
  const rowsOf = async (userId: number) =>
    (
      (await world.database.db.execute(sql`
        select kind, read_at is not null as read, email_due_at is not null as email_due, pushed_at is not null as pushed
        from notifications where user_id = ${userId} order by id`)) as unknown as {
        rows: { kind: string; read: boolean; email_due: boolean; pushed: boolean }[];
      }
    ).rows;

  beforeAll(async () => {
    world = await createWorld();
    const owner = await world.createUser('Owner Ola');
    groupId = (await makeGroup(world, owner, { name: 'Night owls' })).id;
    sam = await world.member('Sam Delivery');
    samId = await idOf('Sam Delivery');
    await world.member('Other Person');
    otherId = await idOf('Other Person');
    await world.database.db.execute(sql`update users set email_verified_at = now() where id in (${samId}, ${otherId})`);
  });
  afterAll(() => world.close());

  it('lets a person follow their own count, and nobody follow anyone else’s', async () => {
    const socket = await sam.live();
    expect(await socket.subscribe('notifications', samId)).toMatchObject({ type: 'subscribed' });
    expect(await socket.subscribe('notifications', otherId)).toMatchObject({ type: 'error', error: 'notFound' });
    socket.close();
    const visitor = await world.agent().live();
    expect(await visitor.subscribe('notifications', samId)).toMatchObject({ type: 'error', error: 'notFound' });
    visitor.close();
  });

  it('brings a notification made by notify() inside a transaction to the bell at the worker’s next run', async () => {
    const socket = await sam.live();
    await socket.subscribe('notifications', samId);
    await world.database.db.transaction(async (tx) => {
      await notify(tx, { userId: samId, kind: 'thanks_received', groupId, reason: 'Kind Neighbour' });
    });
    await world.tick();
    const frame = await socket.next();
    // The count, and nothing of what it is about.
    expect(frame).toEqual({ type: 'notifications.unread', count: 1 });
    socket.close();
  });

  it('brings a notification written by the event job to the bell as soon as the job commits', async () => {
    // The job's real handler, as a worker runs it, with a source of the test's own.
    let job: JobDefinition<unknown> | undefined;
    const jobs = {
      define: <T>(d: JobDefinition<T>) => {
        job = d as JobDefinition<unknown>;
        return { send: async () => 'id' };
      },
    };
    const source: NotificationSource<{ userId: number }> = {
      type: 'test.happened',
      event: z.object({ userId: z.number() }),
      recipients: async (_tx, e) => [{ userId: e.userId, kind: 'reply', groupId }],
    };
    defineNotificationJobs(jobs, { db: world.database.db, bus: world.bus }, [source as NotificationSource<unknown>]);
    const socket = await sam.live();
    await socket.subscribe('notifications', samId);
    await job!.run({ type: 'test.happened', userId: samId }, { id: 'x' });
    expect(await socket.next()).toEqual({ type: 'notifications.unread', count: 2 });
    socket.close();
  });

  it('decides email and push as each notification is written, from the person’s preferences', async () => {
    const person = await world.createUser('Chooser');
    await world.database.db.execute(sql`update users set email_verified_at = now() where id = ${person.id}`);
    await world.database.db.execute(sql`
      insert into notification_preferences (user_id, kind, in_app, email, push) values
        (${person.id}, 'mention', false, true, false),
        (${person.id}, 'watched_post', false, false, false)`);
    await world.database.db.transaction((tx) =>
      createNotifications(tx, [
        // Defaults: a reply shows, is emailed and pushed; a reaction only shows.
        { userId: person.id, kind: 'reply', groupId },
        { userId: person.id, kind: 'reactions', groupId, batchKey: 'reactions:post:1' },
        // Their choices: a mention only by email; a watched post nowhere (so not written at all).
        { userId: person.id, kind: 'mention', groupId },
        { userId: person.id, kind: 'watched_post', groupId },
      ]),
    );
    expect(await rowsOf(person.id)).toEqual([
      { kind: 'reply', read: false, email_due: true, pushed: false },
      { kind: 'reactions', read: false, email_due: false, pushed: true },
      { kind: 'mention', read: true, email_due: true, pushed: true },
    ]);
    // What is wanted only by email is not on the bell, nor in the list.
    const agent = world.agent();
    await agent.logIn(person.email, person.password);
    const page = await agent.get('/notifications');
    expect(textOf(page.body)).toContain('Notifications (2 new)');
    expect(page.body.match(/id="notification-\d+"/g)).toHaveLength(2);
  });

  it('gives no email to an address not confirmed, and batches reactions into one unread row', async () => {
    const person = await world.createUser('Unconfirmed');
    for (let i = 0; i < 3; i++) {
      await world.database.db.transaction((tx) =>
        createNotifications(tx, [{ userId: person.id, kind: 'reply', groupId, batchKey: 'reply:test' }]),
      );
    }
    const rows = (await world.database.db.execute(sql`
      select count, email_due_at from notifications where user_id = ${person.id}`)) as unknown as {
      rows: { count: number; email_due_at: unknown }[];
    };
    expect(rows.rows).toEqual([{ count: 3, email_due_at: null }]);
  });

  it('shows the bell to signed-in people only, as a link that works without JavaScript', async () => {
    const page = await sam.get('/groups');
    expect(page.body).toMatch(/<a href="\/notifications" id="bell"[^>]* data-user="\d+"/);
    expect(page.body).toContain('id="bell-status"');
    expect(page.body).toMatch(/<script src="\/assets\/\w+\/bell\.js" defer>/);
    const visitor = await world.agent().get('/groups');
    expect(visitor.body).not.toContain('bell.js');
    expect(visitor.body).not.toContain('id="bell"');
  });
});
