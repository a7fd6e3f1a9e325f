import { gzipSync } from 'node:zlib';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import type { Frame, LiveClient } from '../../../test/helpers/live.js';
import { liveLimits } from '../../platform/live/hub.js';
import { meetingOccurrences, meetings } from '../meetings/schema.js';
import { gatherMemberData } from '../privacy/index.js';
import { crisisAlerts } from '../safety/schema.js';
import { watchedWords } from '../watched-words/schema.js';
import { chatMessages, chatParticipants, chatRooms } from './schema.js';

/*
 * Live group chat, as its members meet it: a group's chat room and a meeting's live room, read
 * and written through the pages (with and without JavaScript) and followed over /live with a real
 * WebSocket. Willow goes by "Quiet Willow" in the circle: that name, never her pseudonym, her
 * email or an account id, is all that anyone else ever receives.
 */

const PSEUDONYM = 'Willow Pseudo';
const ALIAS = 'Quiet Willow';

describe('live group chat', () => {
  let world: TestWorld;
  let owner: Agent;
  let willow: Agent;
  let hazel: Agent;
  let outsider: Agent;
  let willowEmail = '';
  let ownerUser: Awaited<ReturnType<TestWorld['createUser']>>;
  let circle: { id: number; slug: string };
  let openGroup: { id: number; slug: string };
  let roomId = 0;
  const sockets: LiveClient[] = [];
  const db = () => world.database.db;

  const follow = async (agent: Agent, id: number) => {
    // Events published a moment ago are still on their way (the in-memory bus delivers them on the
    // next turn of the event loop): let them arrive first, so a new follower starts from now.
    await new Promise((resolve) => setImmediate(resolve));
    const socket = await agent.live();
    sockets.push(socket);
    expect(await socket.subscribe('chat', id)).toEqual({ type: 'subscribed', topic: 'chat', id });
    return socket;
  };
  /** The next frame about the room's messages or state (who is here is told whenever people come and go). */
  async function nextEvent(socket: LiveClient): Promise<Frame> {
    for (;;) {
      const frame = await socket.next();
      if (frame.type !== 'chat.presence') return frame;
    }
  }
  /** Waits until the room says exactly these people are here. */
  async function presence(socket: LiveClient, names: string[]): Promise<void> {
    for (;;) {
      const frame = await socket.next();
      if (frame.type === 'chat.presence' && JSON.stringify(frame.present) === JSON.stringify(names)) return;
    }
  }
  const roomOf = async (agent: Agent, path: string) => {
    const page = await agent.get(path);
    expect(page.statusCode).toBe(200);
    return Number(/data-props="\{&quot;roomId&quot;:(\d+)/.exec(page.body)![1]);
  };
  const say = async (agent: Agent, id: number, body: string) => {
    const res = await agent.post(`/chat/rooms/${id}/messages`, { body }, { headers: { accept: 'application/json' } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { message: { id: number; authorName: string; body: string }; help: string | null };
  };
  async function onlineMeeting(groupId: number, startsAt: Date, kind: 'online' | 'in_person' = 'online') {
    const [meeting] = await db()
      .insert(meetings)
      .values({ groupId, title: 'Thursday circle', kind, timeZone: 'Europe/London', startsAt })
      .returning();
    const [occurrence] = await db()
      .insert(meetingOccurrences)
      .values({
        meetingId: meeting!.id,
        groupId,
        originalStartsAt: startsAt,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 3600_000),
      })
      .returning();
    return occurrence!.id;
  }

  beforeAll(async () => {
    world = await createWorld();
    await world.createUser('Admin');
    ownerUser = await world.createUser('Oak Owner');
    owner = world.agent();
    await owner.logIn(ownerUser.email, ownerUser.password);
    circle = await makeGroup(world, ownerUser, { name: 'Evening circle', visibility: 'members' });
    openGroup = await makeGroup(world, ownerUser, { name: 'Open garden', visibility: 'public' });
    const w = await world.createUser(PSEUDONYM);
    willowEmail = w.email;
    willow = world.agent();
    await willow.logIn(w.email, w.password);
    await willow.post(`/g/${circle.slug}/join`, { alias: ALIAS });
    await willow.post(`/g/${openGroup.slug}/join`, { alias: ALIAS });
    hazel = await world.member('Hazel');
    await hazel.post(`/g/${circle.slug}/join`);
    await hazel.post(`/g/${openGroup.slug}/join`);
    outsider = await world.member('Passer By');
    roomId = await roomOf(owner, `/g/${circle.slug}/chat`);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await world.close();
  });

  it('opens a group’s room once, for whoever may read the group, with a log and a form that work without JavaScript', async () => {
    const fresh = await makeGroup(world, ownerUser, { visibility: 'public' });
    const [a, b] = await Promise.all([
      roomOf(world.agent(), `/g/${fresh.slug}/chat`),
      roomOf(world.agent(), `/g/${fresh.slug}/chat`),
    ]);
    expect(a).toBe(b);
    expect(await db().select().from(chatRooms).where(eq(chatRooms.groupId, fresh.id))).toHaveLength(1);

    const page = await willow.get(`/g/${circle.slug}/chat`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('role="log" aria-live="polite" aria-label="Messages"');
    expect(page.body).toMatch(
      /<form class="chat-form" id="chat-form" method="post" action="\/chat\/rooms\/\d+\/messages" enctype="multipart\/form-data">/,
    );
    expect(page.body).toContain('<label for="chat-body">Your message</label>');
    expect(page.body).toMatch(/<script src="\/assets\/\w+\/chat-room\.js" defer><\/script>/);
    // The island does its own fetching: the page stays within its script budget without htmx.
    expect(page.body).not.toContain('htmx.min.js');
    expect(page.body).toContain('aria-current="page">Chat room</a>');

    // A visitor reads a public group's room, with no form; a members-only room is not theirs.
    const visitor = await world.agent().get(`/g/${openGroup.slug}/chat`);
    expect(visitor.statusCode).toBe(200);
    expect(visitor.body).not.toContain('id="chat-form"');
    expect(textOf(visitor.body)).toContain('Please log in first');
    expect((await world.agent().get(`/g/${circle.slug}/chat`)).statusCode).toBe(403);
    expect((await outsider.get(`/g/${circle.slug}/chat`)).statusCode).toBe(403);
  });

  it('posts through the form (303 back to the room) or as JSON, under the name in the group', async () => {
    const posted = await willow.post(`/chat/rooms/${roomId}/messages`, { body: '  Good evening, everyone.  ' });
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toBe(`/g/${circle.slug}/chat#chat-form`);
    const page = textOf((await hazel.get(`/g/${circle.slug}/chat`)).body);
    expect(page).toContain(`${ALIAS}`);
    expect(page).toContain('Good evening, everyone.');
    expect(page).not.toContain(PSEUDONYM);

    const json = await say(willow, roomId, 'And hello from the island.');
    expect(json).toEqual({
      message: {
        id: expect.any(Number),
        authorName: ALIAS,
        body: 'And hello from the island.',
        createdAt: expect.any(String),
      },
      help: null,
    });

    // Bad input comes back with the person's words and what to change; never a 500.
    const empty = await willow.post(`/chat/rooms/${roomId}/messages`, { body: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(textOf(empty.body)).toContain('Write a message first.');
    const long = 'a'.repeat(2001);
    const tooLong = await willow.post(`/chat/rooms/${roomId}/messages`, { body: long });
    expect(tooLong.statusCode).toBe(400);
    expect(textOf(tooLong.body)).toContain('at most 2,000 characters');
    expect(tooLong.body).toContain(`>${long}</textarea>`);
    const jsonRefusal = await willow.post(
      `/chat/rooms/${roomId}/messages`,
      { body: '' },
      { headers: { accept: 'application/json' } },
    );
    expect(jsonRefusal.statusCode).toBe(400);
    expect(jsonRefusal.json()).toEqual({ error: 'Write a message first.' });
  });

  it('keeps history in pages: the newest 50, older ones by a link or as JSON, and what came after a message', async () => {
    const group = await makeGroup(world, ownerUser, { visibility: 'public' });
    const id = await roomOf(world.agent(), `/g/${group.slug}/chat`);
    const rows = await db()
      .insert(chatMessages)
      .values(
        Array.from({ length: 55 }, (_, i) => ({
          roomId: id,
          groupId: group.id,
          authorId: ownerUser.id,
          body: `Message number ${String(i + 1).padStart(2, '0')}`,
        })),
      )
      .returning({ id: chatMessages.id });
    const ids = rows.map((r) => r.id);
    const newest = await world.agent().get(`/g/${group.slug}/chat`);
    const text = textOf(newest.body);
    expect(text).toContain('Message number 55');
    expect(text).toContain('Message number 06');
    expect(text).not.toContain('Message number 05');
    expect(newest.body).toContain(`href="/g/${group.slug}/chat?before=${ids[5]}">Older messages</a>`);
    const older = textOf((await world.agent().get(`/g/${group.slug}/chat?before=${ids[5]}`)).body);
    expect(older).toContain('Message number 01');
    expect(older).toContain('Message number 05');
    expect(older).not.toContain('Message number 06');
    expect(older).not.toContain('Older messages');
    expect(older).toContain('Back to the newest messages');

    const after = (await world.agent().get(`/chat/rooms/${id}/messages?after=${ids[49]}`)).json();
    expect(after.messages.map((m: { body: string }) => m.body)).toEqual(
      [51, 52, 53, 54, 55].map((n) => `Message number ${n}`),
    );
    expect(after).toMatchObject({ roomId: id, more: false, paused: false, ended: false, muted: false });
    expect(Object.keys(after.messages[0]).sort()).toEqual(['authorName', 'body', 'createdAt', 'id']);
    const before = (await world.agent().get(`/chat/rooms/${id}/messages?before=${ids[5]}`)).json();
    expect(before.messages.map((m: { id: number }) => m.id)).toEqual(ids.slice(0, 5));
    expect(before.more).toBe(false);
    expect((await world.agent().get(`/chat/rooms/${roomId}/messages`)).statusCode).toBe(404);
    expect((await world.agent().get(`/chat/rooms/2000000000/messages`)).statusCode).toBe(404);
  });

  it('delivers messages live, in order, to everyone following, by their names in the group and nothing more', async () => {
    const hazelSees = await follow(hazel, roomId);
    const ownerSees = await follow(owner, roomId);
    const bodies = ['One', 'Two', 'Three', 'Four', 'Five'];
    for (const body of bodies) await say(willow, roomId, body);
    for (const socket of [hazelSees, ownerSees]) {
      const frames: Frame[] = [];
      while (frames.length < bodies.length) frames.push(await nextEvent(socket));
      expect(frames.map((f) => (f.message as { body: string }).body)).toEqual(bodies);
      const ids = frames.map((f) => (f.message as { id: number }).id);
      expect([...ids].sort((x, y) => x - y)).toEqual(ids);
      for (const frame of frames) {
        expect(Object.keys(frame).sort()).toEqual(['message', 'roomId', 'type']);
        expect(frame).toMatchObject({ type: 'chat.message', roomId, message: { authorName: ALIAS } });
        const raw = JSON.stringify(frame);
        for (const secret of [PSEUDONYM, willowEmail, 'authorId', 'userId']) expect(raw).not.toContain(secret);
      }
    }
    // Someone who may not read the room learns nothing, not even that it exists.
    const socket = await outsider.live();
    sockets.push(socket);
    const refused = await socket.subscribe('chat', roomId);
    const missing = await socket.subscribe('chat', 2_000_000);
    expect(refused).toMatchObject({ type: 'error', error: 'notFound' });
    expect({ ...missing, id: roomId }).toEqual(refused);
  });

  it('catches up after a dropped connection from the last message it has, without duplicates', async () => {
    const first = await follow(hazel, roomId);
    const a = await say(willow, roomId, 'Before the tunnel.');
    const seen = await nextEvent(first);
    expect(seen).toMatchObject({ message: { id: a.message.id } });
    first.close();
    const b = await say(willow, roomId, 'While you were in the tunnel.');
    const c = await say(owner, roomId, 'Still while you were away.');
    const again = await follow(hazel, roomId);
    const missed = (await hazel.get(`/chat/rooms/${roomId}/messages?after=${a.message.id}`)).json();
    expect(missed.messages.map((m: { id: number }) => m.id)).toEqual([b.message.id, c.message.id]);
    const d = await say(willow, roomId, 'Out of the tunnel.');
    expect(await nextEvent(again)).toMatchObject({ type: 'chat.message', message: { id: d.message.id } });
  });

  it('shows who is here, by their names in the group, as people arrive and leave', async () => {
    const id = await roomOf(hazel, `/g/${openGroup.slug}/chat`);
    const hazelSees = await follow(hazel, id);
    await presence(hazelSees, ['Hazel']);
    const willowSees = await follow(willow, id);
    await presence(hazelSees, ['Hazel', ALIAS]);
    await presence(willowSees, ['Hazel', ALIAS]);
    // Visitors read along without being counted.
    await follow(world.agent(), id);
    willowSees.close();
    await presence(hazelSees, ['Hazel']);
    const [row] = await db()
      .select({ seen: chatParticipants.lastSeenAt })
      .from(chatParticipants)
      .where(sql`room_id = ${id} and user_id = (select id from users where pseudonym = 'Hazel')`);
    expect(row!.seen).toBeInstanceOf(Date);
    const page = await owner.get(`/g/${openGroup.slug}/chat`);
    expect(textOf(page.body)).toContain('Here now: Hazel');
  });

  it('refuses visitors, non-members, watched words; a held word cannot wait in a live room; a flagging one passes', async () => {
    const visitor = await world.agent().post(`/chat/rooms/${roomId}/messages`, { body: 'Hi' });
    expect(visitor.statusCode).toBe(303);
    expect(visitor.headers.location).toBe(`/login?next=${encodeURIComponent(`/chat/rooms/${roomId}/messages`)}`);
    expect((await outsider.post(`/chat/rooms/${roomId}/messages`, { body: 'Hi' })).statusCode).toBe(404);
    const openRoom = await roomOf(outsider, `/g/${openGroup.slug}/chat`);
    const notMember = await outsider.post(`/chat/rooms/${openRoom}/messages`, { body: 'Can I say hello?' });
    expect(notMember.statusCode).toBe(403);
    expect(textOf(notMember.body)).toContain('Join this group to take part in it.');

    await db()
      .insert(watchedWords)
      .values([
        { word: 'grapefruit', action: 'block' },
        { word: 'tangerine', action: 'approve' },
        { word: 'kumquat', action: 'flag' },
      ]);
    const blocked = await willow.post(`/chat/rooms/${roomId}/messages`, { body: 'I ate a grapefruit.' });
    expect(blocked.statusCode).toBe(400);
    expect(textOf(blocked.body)).toContain('grapefruit');
    expect(blocked.body).toContain('>I ate a grapefruit.</textarea>');
    const held = await willow.post(`/chat/rooms/${roomId}/messages`, { body: 'A tangerine, then.' });
    expect(held.statusCode).toBe(400);
    expect(textOf(held.body)).toContain('live chat cannot wait for');
    expect((await willow.post(`/chat/rooms/${roomId}/messages`, { body: 'A kumquat!' })).statusCode).toBe(303);
  });

  it('pauses and resumes the chat: members read along, leaders may still write, everyone is told live', async () => {
    const willowSees = await follow(willow, roomId);
    expect((await hazel.post(`/chat/rooms/${roomId}/pause`)).statusCode).toBe(403);
    const paused = await owner.post(`/chat/rooms/${roomId}/pause`);
    expect(paused.headers.location).toBe(`/g/${circle.slug}/chat?notice=chatPaused`);
    expect(await nextEvent(willowSees)).toEqual({ type: 'chat.state', roomId, paused: true, ended: false });
    const refused = await willow.post(`/chat/rooms/${roomId}/messages`, { body: 'Am I still here?' });
    expect(refused.statusCode).toBe(403);
    expect(textOf(refused.body)).toContain('A facilitator has paused the chat');
    expect(refused.body).toContain('>Am I still here?</textarea>');
    await say(owner, roomId, 'A moment of quiet, please.');
    expect(await nextEvent(willowSees)).toMatchObject({ message: { body: 'A moment of quiet, please.' } });
    await owner.post(`/chat/rooms/${roomId}/resume`);
    expect(await nextEvent(willowSees)).toEqual({ type: 'chat.state', roomId, paused: false, ended: false });
    await say(willow, roomId, 'Thank you.');
  });

  it('mutes a member (only their page is told) and lets them write again when unmuted', async () => {
    const willowSees = await follow(willow, roomId);
    const hazelSees = await follow(hazel, roomId);
    const name = encodeURIComponent(ALIAS);
    expect((await hazel.post(`/chat/rooms/${roomId}/participants/${name}/mute`)).statusCode).toBe(403);
    expect((await owner.post(`/chat/rooms/${roomId}/participants/Nobody%20Here/mute`)).statusCode).toBe(404);
    const muted = await owner.post(`/chat/rooms/${roomId}/participants/${name}/mute`);
    expect(muted.headers.location).toBe(`/g/${circle.slug}/chat?notice=chatMuted`);
    expect(await nextEvent(willowSees)).toEqual({ type: 'chat.you', roomId, muted: true });
    const page = await willow.get(`/g/${circle.slug}/chat`);
    expect(textOf(page.body)).toContain('A facilitator has muted you in this room.');
    expect(page.body).toMatch(/<textarea id="chat-body" name="body" rows="2" maxlength="2000" required disabled/);
    expect((await willow.post(`/chat/rooms/${roomId}/messages`, { body: 'Hello?' })).statusCode).toBe(403);
    await owner.post(`/chat/rooms/${roomId}/participants/${name}/unmute`);
    expect(await nextEvent(willowSees)).toEqual({ type: 'chat.you', roomId, muted: false });
    await say(willow, roomId, 'I can write again.');
    // Hazel's page heard nothing of it: the next thing it hears is the message.
    expect(await nextEvent(hazelSees)).toMatchObject({ type: 'chat.message', message: { body: 'I can write again.' } });
    const audit = textOf((await owner.get(`/g/${circle.slug}/audit`)).body);
    for (const entry of [
      'Paused a chat room',
      'Resumed a chat room',
      'Muted someone in a chat room',
      'Unmuted someone in a chat room',
    ])
      expect(audit).toContain(entry);
  });

  it('removes a message for everyone, live and from the history', async () => {
    const hazelSees = await follow(hazel, roomId);
    const { message } = await say(willow, roomId, 'Something I should not have said.');
    expect(await nextEvent(hazelSees)).toMatchObject({ message: { id: message.id } });
    expect((await hazel.post(`/chat/rooms/${roomId}/messages/${message.id}/remove`)).statusCode).toBe(403);
    const removed = await owner.post(`/chat/rooms/${roomId}/messages/${message.id}/remove`);
    expect(removed.headers.location).toBe(`/g/${circle.slug}/chat?notice=chatMessageRemoved`);
    expect(await nextEvent(hazelSees)).toEqual({ type: 'chat.removed', roomId, messageId: message.id });
    expect(textOf((await hazel.get(`/g/${circle.slug}/chat`)).body)).not.toContain('Something I should not have said.');
    expect((await owner.post(`/chat/rooms/${roomId}/messages/${message.id}/remove`)).statusCode).toBe(404);
    expect(textOf((await owner.get(`/g/${circle.slug}/audit`)).body)).toContain('Removed a chat message');
  });

  it('raises a crisis alert for the group’s leaders, with a link to the room, and shows its author help', async () => {
    const posted = await willow.post(`/chat/rooms/${roomId}/messages`, { body: 'I want to kill myself tonight.' });
    expect(posted.statusCode).toBe(303);
    const [alert] = await db()
      .select()
      .from(crisisAlerts)
      .where(sql`chat_message_id is not null`);
    expect(alert).toMatchObject({ groupId: circle.id, threadId: null, postId: null });
    expect(posted.headers.location).toBe(`/g/${circle.slug}/chat?support=${alert!.id}#crisis-panel`);
    const help = await willow.get(posted.headers.location!.split('#')[0]!);
    expect(help.body).toContain('id="crisis-panel"');
    // The message stands, as a post does.
    expect(textOf(help.body)).toContain('I want to kill myself tonight.');
    const alerts = await owner.get(`/g/${circle.slug}/safety`);
    expect(alerts.body).toContain(`href="/g/${circle.slug}/chat#message-${alert!.chatMessageId}"`);
    expect(textOf(alerts.body)).toContain('A message in the group’s chat room');
    const notices = textOf((await owner.get('/notifications')).body);
    expect(notices).toContain('Evening circle');
    // Asking for a check-in from the panel comes back to the room.
    const asked = await willow.post(`/safety/alerts/${alert!.id}/check-in`);
    expect(asked.headers.location).toBe(`/g/${circle.slug}/chat?support=${alert!.id}&notice=checkInAsked#crisis-panel`);
    const json = await say(willow, roomId, 'I feel hopeless and want to die.');
    expect(json.help).toMatch(new RegExp(`^/g/${circle.slug}/chat\\?support=\\d+#crisis-panel$`));
  });

  it('leaves out messages between people who blocked each other, in history and live; leaders see them all', async () => {
    await hazel.get(`/g/${circle.slug}/members`);
    expect((await hazel.post(`/g/${circle.slug}/members/${encodeURIComponent(ALIAS)}/block`)).statusCode).toBe(303);
    const hazelSees = await follow(hazel, roomId);
    const willowSees = await follow(willow, roomId);
    const ownerSees = await follow(owner, roomId);
    await say(willow, roomId, 'Only some will see this.');
    await say(hazel, roomId, 'Willow will not see this.');
    await say(owner, roomId, 'Everyone sees this.');
    expect(await nextEvent(hazelSees)).toMatchObject({ message: { body: 'Willow will not see this.' } });
    expect(await nextEvent(hazelSees)).toMatchObject({ message: { body: 'Everyone sees this.' } });
    expect(await nextEvent(willowSees)).toMatchObject({ message: { body: 'Only some will see this.' } });
    expect(await nextEvent(willowSees)).toMatchObject({ message: { body: 'Everyone sees this.' } });
    for (const body of ['Only some will see this.', 'Willow will not see this.', 'Everyone sees this.'])
      expect(await nextEvent(ownerSees)).toMatchObject({ message: { body } });
    const hazelReads = textOf((await hazel.get(`/g/${circle.slug}/chat`)).body);
    expect(hazelReads).not.toContain('Only some will see this.');
    expect(hazelReads).toContain('Everyone sees this.');
    const willowReads = (await willow.get(`/chat/rooms/${roomId}/messages?after=0`)).json();
    expect(JSON.stringify(willowReads)).not.toContain('Willow will not see this.');
    expect(textOf((await owner.get(`/g/${circle.slug}/chat`)).body)).toContain('Only some will see this.');
  });

  it('disconnects a member removed or banned from the group, or taken out of the room, at once', async () => {
    const rowan = await world.member('Rowan');
    await rowan.post(`/g/${circle.slug}/join`);
    const rowanSees = await follow(rowan, roomId);
    await owner.get(`/g/${circle.slug}/members`);
    const removed = await owner.post(`/g/${circle.slug}/members/Rowan/remove`, { reason: 'Unkind to others.' });
    expect(removed.statusCode).toBe(303);
    expect(await nextEvent(rowanSees)).toMatchObject({ type: 'error', error: 'notFound', topic: 'chat', id: roomId });
    expect((await rowan.get(`/g/${circle.slug}/chat`)).statusCode).toBe(403);

    // Banned from a public group, whose room anyone may otherwise read.
    const birch = await world.member('Birch');
    await birch.post(`/g/${openGroup.slug}/join`);
    const openRoom = await roomOf(birch, `/g/${openGroup.slug}/chat`);
    const birchSees = await follow(birch, openRoom);
    await owner.get(`/g/${openGroup.slug}/members`);
    await owner.post(`/g/${openGroup.slug}/members/Birch/remove`, { reason: 'Spam, again.', ban: 'on' });
    expect(await nextEvent(birchSees)).toMatchObject({ type: 'error', error: 'notFound', id: openRoom });

    // Taken out of the room (for the group's own room, until a leader lets them back).
    const ash = await world.member('Ash');
    await ash.post(`/g/${circle.slug}/join`);
    await say(ash, roomId, 'Hello all.');
    const ashSees = await follow(ash, roomId);
    const out = await owner.post(`/chat/rooms/${roomId}/participants/Ash/remove`);
    expect(out.headers.location).toBe(`/g/${circle.slug}/chat?notice=chatRemoved`);
    expect(await nextEvent(ashSees)).toMatchObject({ type: 'error', error: 'notFound', id: roomId });
    const page = await ash.get(`/g/${circle.slug}/chat`);
    expect(page.statusCode).toBe(403);
    expect(textOf(page.body)).toContain('A facilitator has asked you to leave this room.');
    expect((await ash.post(`/chat/rooms/${roomId}/messages`, { body: 'Let me back' })).statusCode).toBe(404);
    await owner.post(`/chat/rooms/${roomId}/participants/Ash/unmute`);
    expect((await ash.get(`/g/${circle.slug}/chat`)).statusCode).toBe(200);
    expect((await owner.post(`/chat/rooms/${roomId}/participants/Oak%20Owner/mute`)).statusCode).toBe(403);
  });

  it('answers a flooding socket with tooManyFrames, then closes it', async () => {
    const socket = await follow(hazel, roomId);
    const closed = new Promise<number>((resolve) => socket.socket.once('close', (code: number) => resolve(code)));
    for (let i = 0; i < liveLimits.framesPerMinute + liveLimits.floodGrace + 5; i += 1) socket.send('not json');
    const answers: string[] = [];
    for (let i = 0; i < liveLimits.framesPerMinute + liveLimits.floodGrace - 1; i += 1) {
      const frame = await nextEvent(socket);
      answers.push(String(frame.error));
    }
    expect(answers.filter((a) => a === 'badFrame')).toHaveLength(liveLimits.framesPerMinute - 1);
    expect(answers.filter((a) => a === 'tooManyFrames')).toHaveLength(liveLimits.floodGrace);
    expect(await closed).toBe(1008);
  });

  it('runs an online meeting’s live room: opens on time, ends at a leader’s word, then keeps its history', async () => {
    const soon = await onlineMeeting(circle.id, new Date(Date.now() + 5 * 60_000));
    const roomPage = await willow.get(`/meetings/${soon}/room`);
    expect(roomPage.statusCode).toBe(200);
    expect(textOf(roomPage.body)).toContain('Live room: Thursday circle');
    const id = Number(/data-props="\{&quot;roomId&quot;:(\d+)/.exec(roomPage.body)![1]);
    const willowSees = await follow(willow, id);
    await say(willow, id, 'Early, as always.');
    expect(await nextEvent(willowSees)).toMatchObject({ message: { body: 'Early, as always.' } });
    expect((await hazel.post(`/chat/rooms/${id}/end`)).statusCode).toBe(403);
    const ended = await owner.post(`/chat/rooms/${id}/end`);
    expect(ended.headers.location).toBe(`/meetings/${soon}/room?notice=chatEnded`);
    expect(await nextEvent(willowSees)).toMatchObject({ type: 'chat.state', roomId: id, ended: true });
    const late = await willow.post(`/chat/rooms/${id}/messages`, { body: 'Too late?' });
    expect(late.statusCode).toBe(403);
    expect(textOf(late.body)).toContain('This meeting has ended.');
    expect(textOf(late.body)).toContain('Early, as always.');
    const [occurrence] = await db().select().from(meetingOccurrences).where(eq(meetingOccurrences.id, soon));
    expect(occurrence!.liveEndedAt).toBeInstanceOf(Date);
    expect(textOf((await owner.get(`/g/${circle.slug}/audit`)).body)).toContain('Ended a meeting’s live room');

    const later = await onlineMeeting(circle.id, new Date(Date.now() + 3 * 24 * 3600_000));
    const waiting = await willow.get(`/meetings/${later}/room`);
    expect(textOf(waiting.body)).toMatch(/This room opens at .+, a little before the meeting starts\./);
    const laterId = Number(/data-props="\{&quot;roomId&quot;:(\d+)/.exec(waiting.body)![1]);
    expect((await willow.post(`/chat/rooms/${laterId}/messages`, { body: 'Hello?' })).statusCode).toBe(403);

    const inPerson = await onlineMeeting(circle.id, new Date(), 'in_person');
    expect((await willow.get(`/meetings/${inPerson}/room`)).statusCode).toBe(404);
    expect((await outsider.get(`/meetings/${soon}/room`)).statusCode).toBe(404);
    expect((await owner.post(`/chat/rooms/${roomId}/end`)).statusCode).toBe(403);
  });

  it('serves the island as one small script, bundled once', async () => {
    const page = await willow.get(`/g/${circle.slug}/chat`);
    const url = /src="(\/assets\/\w+\/chat-room\.js)"/.exec(page.body)![1]!;
    const first = await willow.get(url, { 'accept-encoding': 'identity' });
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toContain('text/javascript');
    expect(gzipSync(first.rawPayload).length).toBeLessThan(15 * 1024);
    expect((await willow.get(url, { 'accept-encoding': 'identity' })).body).toBe(first.body);
  });

  it('puts a member’s messages in their data export, and erases them with the account when asked', async () => {
    const sky = await world.createUser('Sky Member');
    const agent = world.agent();
    await agent.logIn(sky.email, sky.password);
    await agent.post(`/g/${openGroup.slug}/join`);
    const id = await roomOf(agent, `/g/${openGroup.slug}/chat`);
    await say(agent, id, 'My words in the garden.');
    const data = await gatherMemberData(db(), sky.id);
    expect(data!.chat.messages).toEqual([
      expect.objectContaining({ group: 'Open garden', body: 'My words in the garden.', meetingOccurrenceId: null }),
    ]);
    await agent.get('/account/delete');
    expect((await agent.post('/account/delete', { posts: 'erase', password: sky.password })).statusCode).toBe(303);
    expect(await db().select().from(chatMessages).where(eq(chatMessages.body, 'My words in the garden.'))).toEqual([]);
    expect(await db().select().from(chatParticipants).where(eq(chatParticipants.userId, sky.id))).toEqual([]);
  });
});
