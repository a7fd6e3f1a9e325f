import { createHmac } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import {
  circleBase,
  circleProps,
  control,
  followCircle,
  joinCircle,
  liveMeeting,
  namesOf,
  nextOf,
  openCircle,
  participantsOf,
  stateWhere,
} from '../../../test/helpers/circles.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import type { LiveClient } from '../../../test/helpers/live.js';
import { makeMeeting } from '../../../test/helpers/meetings.js';
import { chatRooms } from '../chat/schema.js';
import { users } from '../accounts/schema.js';
import { gatherMemberData } from '../privacy/exports.js';
import { circleParticipants, circles } from './schema.js';

/*
 * Voice and video circles as people meet them through the pages: a facilitator opens one from the
 * meeting's live room, members check their microphone and join, the waiting room, locking,
 * removing and ending; ICE servers (with TURN credentials) only for people let in. Willow goes by
 * "Quiet Willow" in the group: that name is all anyone sees of her.
 */

const TURN = { urls: ['turn:turn.example.org:3478'], secret: 'a-turn-secret-long-enough', ttlSeconds: 600 };

describe('voice and video circles', () => {
  let world: TestWorld;
  let owner: Agent;
  let willow: Agent;
  let hazel: Agent;
  let rowan: Agent;
  let outsider: Agent;
  let ownerUser: Awaited<ReturnType<TestWorld['createUser']>>;
  let group: { id: number; slug: string };
  const sockets: LiveClient[] = [];
  const db = () => world.database.db;

  async function member(name: string, form: Record<string, string> = {}) {
    const agent = await world.member(name);
    await agent.post(`/g/${group.slug}/join`, form);
    return agent;
  }

  beforeAll(async () => {
    world = await createWorld({ circles: { meshLimit: 6, turn: TURN } });
    await world.createUser('Admin');
    ownerUser = await world.createUser('Oak Owner');
    owner = world.agent();
    await owner.logIn(ownerUser.email, ownerUser.password);
    group = await makeGroup(world, ownerUser, { name: 'Evening circle', visibility: 'members' });
    willow = await member('Willow Pseudo', { alias: 'Quiet Willow' });
    hazel = await member('Hazel');
    rowan = await member('Rowan');
    outsider = await world.member('Passer By');
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await world.close();
  });

  it('lets a facilitator open a circle from the live room, and members join it from there', async () => {
    const occ = await liveMeeting(world, group);
    const leaderRoom = await owner.get(`/meetings/${occ}/room`);
    expect(leaderRoom.body).toContain(`action="${circleBase(occ)}/open"`);
    expect(textOf(leaderRoom.body)).toContain('Open a voice circle');
    expect(textOf(leaderRoom.body)).toContain('Open a video circle');
    // Members see nothing of circles until one is open.
    expect(textOf((await hazel.get(`/meetings/${occ}/room`)).body)).not.toContain('Voice and video circle');

    expect((await openCircle(hazel, occ)).statusCode).toBe(403);
    expect((await openCircle(outsider, occ)).statusCode).toBe(404);
    expect((await owner.post(`${circleBase(occ)}/open`, { kind: 'radio' })).statusCode).toBe(400);
    const opened = await openCircle(owner, occ, 'video');
    expect(opened.statusCode).toBe(303);
    expect(opened.headers.location).toBe(`${circleBase(occ)}/check`);
    const again = await control(owner, `${circleBase(occ)}/open`, { kind: 'voice' });
    expect(again.statusCode).toBe(403);
    expect(again.json()).toEqual({ error: 'A circle is already open for this meeting.' });

    const room = await hazel.get(`/meetings/${occ}/room`);
    expect(textOf(room.body)).toContain('A video circle is open.');
    expect(room.body).toContain(`href="${circleBase(occ)}/check"`);
    expect(textOf(room.body)).toContain('Join the video circle');
    expect(textOf((await owner.get(`/g/${group.slug}/audit`)).body)).toContain('Opened a voice or video circle');

    // Not before the room opens, nor for a meeting that is not online.
    const later = await makeMeeting(world, group, {
      starts: [new Date(Date.now() + 3 * 24 * 3600_000)],
      kind: 'online',
    });
    const early = await openCircle(owner, later.occurrenceIds[0]!);
    expect(early.statusCode).toBe(403);
    expect(textOf(early.body)).toMatch(/This room opens at .+, a little before the meeting starts\./);
    const inPerson = await makeMeeting(world, group, { starts: [new Date()], kind: 'in_person' });
    expect((await openCircle(owner, inPerson.occurrenceIds[0]!)).statusCode).toBe(404);
  });

  it('checks the microphone and camera first, with the address choice ticked for aliases and forced by the group', async () => {
    const occ = await liveMeeting(world, group);
    await openCircle(owner, occ, 'video');
    const page = await willow.get(`${circleBase(occ)}/check`);
    expect(page.statusCode).toBe(200);
    for (const id of ['device-check-tools', 'device-check-mic', 'device-check-level', 'device-check-camera'])
      expect(page.body).toContain(`id="${id}"`);
    expect(page.body).toContain('<section id="device-check" data-kind="video"');
    expect(page.body).toContain('id="device-check-camera-button"');
    expect(page.body).toMatch(
      /<video id="device-check-preview" muted playsinline aria-label="What your camera shows">/,
    );
    for (const help of ['denied', 'missing', 'unsupported', 'failed'])
      expect(page.body).toMatch(new RegExp(`<p id="device-check-${help}" class="notice" role="status" hidden>`));
    expect(page.body).toContain(`<form id="circle-join" method="post" action="${circleBase(occ)}/join">`);
    // She goes by an alias here: her address is hidden unless she says otherwise.
    expect(page.body).toMatch(/<input type="checkbox" id="circle-hide-address" name="hideAddress" value="on" checked/);
    const hazelPage = await hazel.get(`${circleBase(occ)}/check`);
    expect(hazelPage.body).not.toMatch(/id="circle-hide-address" name="hideAddress" value="on" checked/);

    // The group forces it: the box is ticked and cannot be unticked, and Hazel joins hidden.
    await owner.get(`/g/${group.slug}/circles/settings`);
    const saved = await owner.post(`/g/${group.slug}/circles/settings`, {
      hideAddressesForced: 'on',
      waitingRoom: 'leadership',
    });
    expect(saved.headers.location).toBe(`/g/${group.slug}/circles/settings?notice=circleSettingsSaved`);
    const forced = await hazel.get(`${circleBase(occ)}/check`);
    expect(forced.body).toMatch(/id="circle-hide-address" name="hideAddress" value="on" checked disabled/);
    expect(forced.body).toContain('<input type="hidden" name="hideAddress" value="on"/>');
    expect((await hazel.post(`${circleBase(occ)}/join`, {})).statusCode).toBe(303);
    const [row] = await db()
      .select({ hide: circleParticipants.hideAddress })
      .from(circleParticipants)
      .where(
        sql`user_id = (select id from users where pseudonym = 'Hazel') and circle_id = (select id from circles where occurrence_id = ${occ})`,
      );
    expect(row!.hide).toBe(true);
    await owner.post(`/g/${group.slug}/circles/settings`, { waitingRoom: 'leadership' });
  });

  it('shows the circle beside the live chat, says nothing is recorded, and gives ICE only to people let in', async () => {
    const occ = await liveMeeting(world, group);
    await openCircle(owner, occ);
    expect((await owner.get(circleBase(occ))).headers.location).toBe(`${circleBase(occ)}/check`);
    expect((await joinCircle(willow, occ, { hideAddress: 'on' })).headers.location).toBe(circleBase(occ));
    const page = await willow.get(circleBase(occ));
    expect(page.statusCode).toBe(200);
    expect(textOf(page.body)).toContain('Voice circle: Thursday circle');
    expect(textOf(page.body)).toContain('Nothing in this circle is recorded, anywhere.');
    expect(page.body).toContain('id="chat-room"');
    const { circleId, pid } = await circleProps(willow, occ);
    const props = /id="circle" data-props="([^"]+)"/.exec(page.body)![1]!;
    expect(props).toContain('Quiet Willow');
    expect(props).not.toContain('Willow Pseudo');

    const ice = await willow.get(`/circles/${circleId}/ice`);
    expect(ice.statusCode).toBe(200);
    expect(ice.headers['cache-control']).toBe('no-store');
    const answer = ice.json() as {
      iceServers: { urls: string[]; username: string; credential: string }[];
      iceTransportPolicy: string;
    };
    // Hiding her address: relay only, with short-lived credentials that do not name her.
    expect(answer.iceTransportPolicy).toBe('relay');
    expect(answer.iceServers[0]!.urls).toEqual(TURN.urls);
    const { username, credential } = answer.iceServers[0]!;
    expect(username).toMatch(/^\d+:[\w-]+$/);
    const expiry = Number(username.split(':')[0]);
    expect(expiry - Date.now() / 1000).toBeGreaterThan(500);
    expect(expiry - Date.now() / 1000).toBeLessThanOrEqual(600);
    expect(credential).toBe(createHmac('sha1', TURN.secret).update(username).digest('base64'));
    // Another answer, other credentials: nothing in them stays the same from one to the next but the expiry.
    expect((await willow.get(`/circles/${circleId}/ice`)).json().iceServers[0].username).not.toBe(username);
    expect(ice.body).not.toMatch(/Willow|Quiet/);
    // Someone who never joined, an outsider and a visitor get nothing, as for no circle at all.
    for (const agent of [hazel, outsider, world.agent()])
      expect((await agent.get(`/circles/${circleId}/ice`)).statusCode).toBe(404);
    expect((await willow.get(`/circles/2000000000/ice`)).statusCode).toBe(404);
    expect((await outsider.get(circleBase(occ))).statusCode).toBe(404);
    expect((await world.agent().get(circleBase(occ))).statusCode).toBe(303);

    const state = await willow.get(`${circleBase(occ)}/state`);
    expect(state.json()).toMatchObject({
      circleId,
      you: { pid, status: 'admitted', hideAddress: true },
      participants: [{ pid, name: 'Quiet Willow' }],
    });
    expect((await hazel.get(`${circleBase(occ)}/state`)).statusCode).toBe(404);
  });

  it('keeps joiners in a waiting room until a facilitator lets them in; they see only themselves meanwhile', async () => {
    const occ = await liveMeeting(world, group);
    await owner.post(`/g/${group.slug}/circles/settings`, { waitingRoom: 'on' });
    await openCircle(owner, occ);
    await joinCircle(owner, occ);
    await joinCircle(willow, occ);
    const { circleId } = await circleProps(owner, occ);
    const waiting = await joinCircle(hazel, occ);
    expect(waiting.headers.location).toBe(circleBase(occ));
    const { pid: hazelPid } = await circleProps(hazel, occ);
    const ownerSees = await followCircle(owner, circleId, sockets);
    const hazelSees = await followCircle(hazel, circleId, sockets);

    const seen = await stateWhere(hazelSees, (f) => (f.you as { status: string } | null)?.status === 'waiting');
    expect(namesOf(seen)).toEqual(['Hazel']);
    const leaderView = await stateWhere(ownerSees, (f) => namesOf(f).includes('Hazel'));
    expect(participantsOf(leaderView).find((p) => p.pid === hazelPid)!.status).toBe('waiting');
    expect((await hazel.get(`/circles/${circleId}/ice`)).statusCode).toBe(404);
    // Waiting, she can do nothing in the circle yet.
    const early = await control(hazel, `${circleBase(occ)}/raise-hand`);
    expect(early.statusCode).toBe(403);
    expect(early.json()).toEqual({ error: 'You are still waiting to be let in.' });

    expect((await control(willow, `${circleBase(occ)}/participants/${hazelPid}/admit`)).statusCode).toBe(403);
    expect((await control(owner, `${circleBase(occ)}/participants/${hazelPid}/admit`)).statusCode).toBe(204);
    const admitted = await stateWhere(hazelSees, (f) => (f.you as { status: string }).status === 'admitted');
    // Willow is still waiting: only the facilitator sees her yet.
    expect(namesOf(admitted)).toEqual(['Oak Owner', 'Hazel']);
    const leaderNow = await stateWhere(ownerSees, (f) =>
      participantsOf(f).every((p) => p.name !== 'Hazel' || p.status === 'admitted'),
    );
    expect(participantsOf(leaderNow).map((p) => [p.name, p.status])).toEqual([
      ['Oak Owner', 'admitted'],
      ['Quiet Willow', 'waiting'],
      ['Hazel', 'admitted'],
    ]);
    expect((await hazel.get(`/circles/${circleId}/ice`)).statusCode).toBe(200);
    const again = await control(owner, `${circleBase(occ)}/participants/${hazelPid}/admit`);
    expect(again.json()).toEqual({ error: 'They are not waiting to be let in.' });
    expect(textOf((await owner.get(`/g/${group.slug}/audit`)).body)).toContain('Let someone into a circle');
    await owner.post(`/g/${group.slug}/circles/settings`, { waitingRoom: 'leadership' });
  });

  it('locks the circle to newcomers, while people let in before may come back', async () => {
    const occ = await liveMeeting(world, group);
    await openCircle(owner, occ);
    await joinCircle(hazel, occ);
    expect((await hazel.post(`${circleBase(occ)}/lock`)).statusCode).toBe(403);
    expect((await owner.post(`${circleBase(occ)}/lock`)).headers.location).toBe(circleBase(occ));
    const refused = await joinCircle(rowan, occ);
    expect(refused.statusCode).toBe(403);
    expect(textOf(refused.body)).toContain('The circle is locked: nobody new can join now.');
    // The form stays for someone refused, but a locked circle has no form for them to post.
    expect(refused.body).not.toContain('id="circle-join"');
    const left = await hazel.post(`${circleBase(occ)}/leave`);
    expect(left.headers.location).toBe(`/meetings/${occ}/room?notice=circleLeft`);
    expect((await joinCircle(hazel, occ)).statusCode).toBe(303);
    await owner.post(`${circleBase(occ)}/unlock`);
    expect((await joinCircle(rowan, occ)).statusCode).toBe(303);
    const audit = textOf((await owner.get(`/g/${group.slug}/audit`)).body);
    expect(audit).toContain('Locked a circle');
    expect(audit).toContain('Unlocked a circle');
  });

  it('removes someone for the rest of the meeting, at once, and ends the circle for everyone', async () => {
    const occ = await liveMeeting(world, group);
    await openCircle(owner, occ);
    await joinCircle(owner, occ);
    await joinCircle(rowan, occ);
    await joinCircle(hazel, occ);
    const { circleId, pid: rowanPid } = await circleProps(rowan, occ);
    const rowanSees = await followCircle(rowan, circleId, sockets);
    const hazelSees = await followCircle(hazel, circleId, sockets);

    expect((await control(owner, `${circleBase(occ)}/participants/2000000000/remove`)).statusCode).toBe(403);
    expect((await control(owner, `${circleBase(occ)}/participants/${rowanPid}/remove`)).statusCode).toBe(204);
    expect(await nextOf(rowanSees, 'error')).toMatchObject({ error: 'notFound', topic: 'circle', id: circleId });
    await stateWhere(hazelSees, (f) => !namesOf(f).includes('Rowan'));
    expect((await rowan.get(`/circles/${circleId}/ice`)).statusCode).toBe(404);
    const back = await joinCircle(rowan, occ);
    expect(back.statusCode).toBe(403);
    expect(textOf(back.body)).toContain(
      'A facilitator has asked you to leave this circle for the rest of the meeting.',
    );
    expect(textOf((await rowan.get(`/meetings/${occ}/room`)).body)).toContain('asked you to leave this circle');

    const ended = await owner.post(`${circleBase(occ)}/end`);
    expect(ended.headers.location).toBe(`/meetings/${occ}/room?notice=circleEnded`);
    const last = await stateWhere(hazelSees, (f) => (f.circle as { ended: boolean }).ended);
    expect(last.participants).toEqual([]);
    expect(await nextOf(hazelSees, 'error')).toMatchObject({ error: 'notFound', id: circleId });
    expect((await hazel.get(circleBase(occ))).headers.location).toBe(`/meetings/${occ}/room`);
    expect((await hazel.get(`/circles/${circleId}/ice`)).statusCode).toBe(404);
    const audit = textOf((await owner.get(`/g/${group.slug}/audit`)).body);
    expect(audit).toContain('Removed someone from a circle');
    expect(audit).toContain('Ended a circle');

    // Opened again, the circle is the same one; the person removed stays out of it.
    expect((await openCircle(owner, occ)).statusCode).toBe(303);
    const [row] = await db().select().from(circles).where(eq(circles.occurrenceId, occ));
    expect(row!.id).toBe(circleId);
    expect((await joinCircle(rowan, occ)).statusCode).toBe(403);
    expect((await joinCircle(hazel, occ)).statusCode).toBe(303);
  });

  it('ends the circle with the meeting, when a facilitator ends the meeting in its live room', async () => {
    const occ = await liveMeeting(world, group);
    await openCircle(owner, occ);
    await joinCircle(owner, occ);
    await joinCircle(hazel, occ);
    const { circleId } = await circleProps(hazel, occ);
    const hazelSees = await followCircle(hazel, circleId, sockets);
    const [room] = await db().select().from(chatRooms).where(eq(chatRooms.occurrenceId, occ));
    expect((await owner.post(`/chat/rooms/${room!.id}/end`)).statusCode).toBe(303);
    await stateWhere(hazelSees, (f) => (f.circle as { ended: boolean }).ended);
    expect(await nextOf(hazelSees, 'error')).toMatchObject({ error: 'notFound', id: circleId });
    const [row] = await db().select().from(circles).where(eq(circles.occurrenceId, occ));
    expect(row!.endedAt).not.toBeNull();
    expect((await hazel.get(`/circles/${circleId}/ice`)).statusCode).toBe(404);
  });

  it('puts the circles a member was in into their data export, with nothing of the media server', async () => {
    const occ = await liveMeeting(world, group);
    await openCircle(owner, occ);
    await joinCircle(rowan, occ, { hideAddress: 'on' });
    const [rowanUser] = await db().select({ id: users.id }).from(users).where(eq(users.pseudonym, 'Rowan'));
    const data = await gatherMemberData(db(), rowanUser!.id);
    // Rowan was in this file's earlier circles too: this one is among them.
    expect(data!.circles).toContainEqual(
      expect.objectContaining({ group: 'Evening circle', meetingOccurrenceId: occ, kind: 'voice', hideAddress: true }),
    );
    expect(JSON.stringify(data!.circles)).not.toMatch(/janus|token/i);
  });

  it('lets go at once of someone removed from the group, who then gets nothing of the circle', async () => {
    const occ = await liveMeeting(world, group);
    await openCircle(owner, occ);
    const birch = await member('Birch');
    await joinCircle(birch, occ);
    const { circleId } = await circleProps(birch, occ);
    const birchSees = await followCircle(birch, circleId, sockets);
    await owner.get(`/g/${group.slug}/members`);
    expect((await owner.post(`/g/${group.slug}/members/Birch/remove`, { reason: 'Unkind.' })).statusCode).toBe(303);
    expect(await nextOf(birchSees, 'error')).toMatchObject({ error: 'notFound', topic: 'circle', id: circleId });
    expect((await birch.get(`/circles/${circleId}/ice`)).statusCode).toBe(404);
    expect((await birch.get(`${circleBase(occ)}/state`)).statusCode).toBe(404);
    expect((await control(birch, `${circleBase(occ)}/raise-hand`)).statusCode).toBe(404);
  });

  it('lets only those who manage the group change its circle settings', async () => {
    expect((await hazel.get(`/g/${group.slug}/circles/settings`)).statusCode).toBe(403);
    expect((await hazel.post(`/g/${group.slug}/circles/settings`, { waitingRoom: 'on' })).statusCode).toBe(403);
    expect((await outsider.get(`/g/${group.slug}/circles/settings`)).statusCode).toBe(403);
    const page = await owner.get(`/g/${group.slug}/circles/settings`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/id="field-waitingRoom-leadership" name="waitingRoom" value="leadership" checked/);
    const bad = await owner.post(`/g/${group.slug}/circles/settings`, { waitingRoom: 'sometimes' });
    expect(bad.statusCode).toBe(400);
  });
});

describe('a circle on a small site without a relay', () => {
  let world: TestWorld;
  let group: { id: number; slug: string };
  let owner: Agent;

  beforeAll(async () => {
    world = await createWorld({ circles: { meshLimit: 2 } });
    await world.createUser('Admin');
    const user = await world.createUser('Oak Owner');
    owner = world.agent();
    await owner.logIn(user.email, user.password);
    group = await makeGroup(world, user, { name: 'Small circle', visibility: 'members', leadership: 'professional' });
  });

  afterAll(async () => world.close());

  it('never joins someone hidden without a relay, and is full at the mesh limit', async () => {
    const occ = await liveMeeting(world, group);
    await openCircle(owner, occ);
    const ash = await world.member('Ash');
    await ash.post(`/g/${group.slug}/join`, { alias: 'Grey Ash' });
    const page = await ash.get(`${circleBase(occ)}/check`);
    // Nothing to hide behind: the box cannot be ticked, and says why.
    expect(page.body).toMatch(/id="circle-hide-address" name="hideAddress" value="on" disabled/);
    expect(textOf(page.body)).toContain('This site has no relay server, so network addresses cannot be hidden');
    // A professionally run group's circle has a waiting room.
    expect(textOf(page.body)).toContain('A facilitator lets people in');
    const hidden = await ash.post(`${circleBase(occ)}/join`, { hideAddress: 'on' });
    expect(hidden.statusCode).toBe(403);
    expect(textOf(hidden.body)).toContain('Hiding your network address needs a relay server');
    expect(hidden.body).toContain('id="circle-join"');
    expect(await world.database.db.select().from(circleParticipants)).toEqual([]);

    await joinCircle(owner, occ);
    expect((await ash.post(`${circleBase(occ)}/join`, {})).statusCode).toBe(303);
    const birch = await world.member('Birch');
    await birch.post(`/g/${group.slug}/join`);
    await joinCircle(birch, occ);
    const { pid: ashPid } = await circleProps(ash, occ);
    const { pid: birchPid } = await circleProps(birch, occ);
    // One place left, two people let in at the same moment: one of them gets it.
    const answers = await Promise.all(
      [ashPid, birchPid].map((pid) => control(owner, `${circleBase(occ)}/participants/${pid}/admit`)),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([204, 403]);
    expect(answers.find((a) => a.statusCode === 403)!.json()).toEqual({
      error: 'The circle is full (2 people). You can follow the meeting in its live chat.',
    });
    const admitted = await world.database.db
      .select()
      .from(circleParticipants)
      .where(eq(circleParticipants.status, 'admitted'));
    expect(admitted).toHaveLength(2);
  });
});
