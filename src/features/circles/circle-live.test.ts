import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, textOf, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import {
  circleBase,
  circleProps,
  control,
  followCircle,
  joinCircle,
  liveMeeting,
  nextOf,
  openCircle,
  participantsOf,
  stateWhere,
  type StateParticipant,
} from '../../../test/helpers/circles.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import type { Frame, LiveClient } from '../../../test/helpers/live.js';

/*
 * A circle live: the signals its browsers send each other over /live, relayed only between people
 * let in, with the network address of someone who hides it taken out; and how it is run (mutes,
 * hands, the talking stick, the share timer), told to everyone in the state frames. Willow hides
 * her address and goes by "Quiet Willow".
 */

const TURN = { urls: ['turn:turn.example.org:3478'], secret: 'a-turn-secret-long-enough', ttlSeconds: 600 };
const HOST = 'candidate:1 1 udp 2122260223 192.168.1.20 54400 typ host generation 0';
const MDNS = 'candidate:2 1 udp 2122260223 3f2a9c1e-0b7d-4d1e-9a55-1f0e6a1b2c3d.local 54401 typ host';
const SRFLX = 'candidate:3 1 udp 1686052607 203.0.113.7 61000 typ srflx raddr 192.168.1.20 rport 54400';
const RELAY = 'candidate:4 1 udp 41885439 198.51.100.9 50000 typ relay raddr 203.0.113.7 rport 61000';
const OFFER = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 203.0.113.7',
  's=-',
  't=0 0',
  'm=audio 50000 UDP/TLS/RTP/SAVPF 111',
  'c=IN IP4 198.51.100.9',
  `a=${HOST}`,
  `a=${SRFLX}`,
  `a=${RELAY}`,
  'a=mid:0',
  '',
].join('\r\n');

describe('a circle live', () => {
  let world: TestWorld;
  let owner: Agent;
  let willow: Agent;
  let hazel: Agent;
  let rowan: Agent;
  let group: { id: number; slug: string };
  let willowEmail = '';
  const sockets: LiveClient[] = [];

  /** The next signal frame on a socket (states between are skipped). */
  const nextSignal = (socket: LiveClient) => nextOf(socket, 'circle.signal');
  const send = (socket: LiveClient, circleId: number, data: unknown) =>
    socket.send({ type: 'send', topic: 'circle', id: circleId, data });
  const candidate = (to: number, line: string) => ({
    kind: 'candidate',
    to,
    candidate: line,
    sdpMid: '0',
    sdpMLineIndex: 0,
  });

  beforeAll(async () => {
    world = await createWorld({ circles: { meshLimit: 6, turn: TURN } });
    await world.createUser('Admin');
    const user = await world.createUser('Oak Owner');
    owner = world.agent();
    await owner.logIn(user.email, user.password);
    group = await makeGroup(world, user, { name: 'Evening circle', visibility: 'members' });
    const w = await world.createUser('Willow Pseudo');
    willowEmail = w.email;
    willow = world.agent();
    await willow.logIn(w.email, w.password);
    await willow.post(`/g/${group.slug}/join`, { alias: 'Quiet Willow' });
    hazel = await world.member('Hazel');
    await hazel.post(`/g/${group.slug}/join`);
    rowan = await world.member('Rowan');
    await rowan.post(`/g/${group.slug}/join`);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await world.close();
  });

  it('relays signals only between people let in, and keeps the address of someone who hides it to themselves', async () => {
    const occ = await liveMeeting(world, group);
    await owner.get(`/g/${group.slug}/circles/settings`);
    await owner.post(`/g/${group.slug}/circles/settings`, { waitingRoom: 'on' });
    await openCircle(owner, occ);
    await joinCircle(owner, occ);
    await joinCircle(willow, occ, { hideAddress: 'on' });
    await joinCircle(hazel, occ);
    await joinCircle(rowan, occ);
    const { circleId } = await circleProps(owner, occ);
    const [willowPid, hazelPid, rowanPid] = await Promise.all(
      [willow, hazel, rowan].map(async (a) => (await circleProps(a, occ)).pid),
    );
    for (const pid of [willowPid, hazelPid]) await control(owner, `${circleBase(occ)}/participants/${pid}/admit`);
    await owner.post(`/g/${group.slug}/circles/settings`, { waitingRoom: 'leadership' });
    const willowSees = await followCircle(willow, circleId, sockets);
    const hazelSees = await followCircle(hazel, circleId, sockets);
    const rowanSees = await followCircle(rowan, circleId, sockets);

    // Her host, mDNS and server-reflexive candidates never leave the server; the relay's does,
    // without the address the relay saw her at.
    for (const line of [HOST, MDNS, SRFLX, RELAY]) send(willowSees, circleId, candidate(hazelPid!, line));
    const relayed = await nextSignal(hazelSees);
    expect(Object.keys(relayed).sort()).toEqual(['circleId', 'data', 'from', 'type']);
    expect(relayed).toEqual({
      type: 'circle.signal',
      circleId,
      from: willowPid,
      data: {
        kind: 'candidate',
        candidate: 'candidate:4 1 udp 41885439 198.51.100.9 50000 typ relay raddr 0.0.0.0 rport 0',
        sdpMid: '0',
        sdpMLineIndex: 0,
      },
    });
    send(willowSees, circleId, { kind: 'offer', to: hazelPid, sdp: OFFER });
    const offer = await nextSignal(hazelSees);
    const sdp = (offer.data as { sdp: string }).sdp;
    expect(sdp).toContain('typ relay');
    for (const secret of ['192.168.1.20', '203.0.113.7', 'typ host', 'typ srflx']) expect(sdp).not.toContain(secret);
    for (const secret of ['Willow Pseudo', willowEmail, 'userId', 'hideAddress'])
      expect(JSON.stringify([relayed, offer])).not.toContain(secret);

    // Hazel does not hide hers: her candidates go as they are.
    send(hazelSees, circleId, candidate(willowPid!, HOST));
    expect((await nextSignal(willowSees)).data).toMatchObject({ candidate: HOST });

    // Rowan waits: nothing reaches him, and nothing of his goes out; to the server, in a mesh, neither.
    send(rowanSees, circleId, candidate(hazelPid!, HOST));
    send(hazelSees, circleId, candidate(rowanPid!, 'candidate:9 1 udp 1 198.51.100.1 1 typ relay'));
    send(willowSees, circleId, { kind: 'offer', to: 'server', sdp: OFFER });
    send(willowSees, circleId, candidate(hazelPid!, 'candidate:5 1 udp 2 198.51.100.9 50001 typ relay'));
    expect((await nextSignal(hazelSees)).data).toMatchObject({ candidate: expect.stringContaining('candidate:5 ') });
    await control(owner, `${circleBase(occ)}/participants/${rowanPid}/admit`);
    await stateWhere(rowanSees, (f) => (f.you as { status: string }).status === 'admitted');
    send(hazelSees, circleId, candidate(rowanPid!, 'candidate:6 1 udp 2 198.51.100.2 2 typ relay'));
    const first = await nextSignal(rowanSees);
    expect(first).toMatchObject({ from: hazelPid, data: { candidate: expect.stringContaining('candidate:6 ') } });

    // Someone outside the circle cannot follow it, nor send on it.
    const outsider = await world.member('Passer By');
    const socket = await outsider.live();
    sockets.push(socket);
    expect(await socket.subscribe('circle', circleId)).toMatchObject({ type: 'error', error: 'notFound' });
    send(socket, circleId, candidate(hazelPid!, RELAY));
    expect(await socket.next()).toMatchObject({ type: 'error', error: 'badFrame', topic: 'circle', id: circleId });
  });

  it('takes a big session description, refuses a frame past the topic’s limit, and many candidates a minute', async () => {
    const occ = await liveMeeting(world, group);
    await openCircle(owner, occ);
    await joinCircle(owner, occ);
    await joinCircle(hazel, occ);
    const { circleId, pid: ownerPid } = await circleProps(owner, occ);
    const { pid: hazelPid } = await circleProps(hazel, occ);
    const ownerSees = await followCircle(owner, circleId, sockets);
    const hazelSees = await followCircle(hazel, circleId, sockets);
    const big = `${OFFER}${'a=x-filler:0123456789\r\n'.repeat(700)}`.slice(0, 15_900);
    send(hazelSees, circleId, { kind: 'offer', to: ownerPid, sdp: big });
    expect(((await nextSignal(ownerSees)).data as { sdp: string }).sdp).toHaveLength(15_900);
    send(hazelSees, circleId, { kind: 'offer', to: ownerPid, sdp: 'x'.repeat(16_001) });
    expect(await nextOf(hazelSees, 'error')).toMatchObject({ error: 'badFrame' });
    hazelSees.send(
      JSON.stringify({
        type: 'send',
        topic: 'circle',
        id: circleId,
        data: { kind: 'offer', to: ownerPid, sdp: 'x'.repeat(20_000) },
      }),
    );
    expect(await nextOf(hazelSees, 'error')).toMatchObject({ error: 'badFrame' });
    send(hazelSees, circleId, { kind: 'wave', to: ownerPid });
    expect(await nextOf(hazelSees, 'error')).toMatchObject({ error: 'badFrame' });
    // Past the hub's 120 frames a minute, which a circle's signals may go beyond.
    for (let i = 0; i < 130; i += 1)
      send(hazelSees, circleId, candidate(ownerPid, `candidate:${i} 1 udp 2 198.51.100.9 ${i} typ relay`));
    for (let i = 0; i < 130; i += 1)
      expect((await nextSignal(ownerSees)).data).toMatchObject({
        candidate: `candidate:${i} 1 udp 2 198.51.100.9 ${i} typ relay`,
      });
    expect(hazelSees.pending.filter((f) => f.type === 'error')).toEqual([]);
    expect(hazelPid).not.toBe(ownerPid);
  });

  it('runs the circle: mutes a facilitator holds, raised hands in order, the talking stick and the share timer', async () => {
    const occ = await liveMeeting(world, group);
    await openCircle(owner, occ);
    await joinCircle(owner, occ);
    await joinCircle(hazel, occ);
    await joinCircle(rowan, occ);
    const base = circleBase(occ);
    const { circleId } = await circleProps(owner, occ);
    const { pid: hazelPid } = await circleProps(hazel, occ);
    const { pid: rowanPid } = await circleProps(rowan, occ);
    const hazelSees = await followCircle(hazel, circleId, sockets);
    const person = (f: Frame, pid: number) => participantsOf(f).find((p) => p.pid === pid) as StateParticipant;

    // A facilitator's mute holds until they allow an unmute.
    expect((await control(hazel, `${base}/participants/${rowanPid}/mute`)).statusCode).toBe(403);
    expect((await control(owner, `${base}/participants/${hazelPid}/mute`)).statusCode).toBe(204);
    let seen = await stateWhere(hazelSees, (f) => person(f, hazelPid).mutedByLeader);
    expect(seen.you).toMatchObject({ mutedByLeader: true });
    expect(person(seen, hazelPid).selfMuted).toBe(true);
    const refused = await control(hazel, `${base}/unmute`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toEqual({ error: 'A facilitator muted you. You can unmute when they allow it.' });
    // Without JavaScript the same refusal is a page that says why.
    expect(textOf((await hazel.post(`${base}/unmute`)).body)).toContain('A facilitator muted you.');
    await control(owner, `${base}/participants/${hazelPid}/allow-unmute`);
    seen = await stateWhere(hazelSees, (f) => !person(f, hazelPid).mutedByLeader);
    expect(person(seen, hazelPid).selfMuted).toBe(true);
    expect((await control(hazel, `${base}/unmute`)).statusCode).toBe(204);
    await stateWhere(hazelSees, (f) => !person(f, hazelPid).selfMuted);
    expect((await control(owner, `${base}/mute-all`)).statusCode).toBe(204);
    seen = await stateWhere(hazelSees, (f) => person(f, hazelPid).mutedByLeader && person(f, rowanPid).mutedByLeader);
    expect(participantsOf(seen).find((p) => p.leader)!.mutedByLeader).toBe(false);
    for (const pid of [hazelPid, rowanPid]) await control(owner, `${base}/participants/${pid}/allow-unmute`);

    // Hands go up in order; the stick goes to the first, then the next.
    await control(rowan, `${base}/raise-hand`);
    await control(hazel, `${base}/raise-hand`);
    await control(rowan, `${base}/raise-hand`);
    seen = await stateWhere(hazelSees, (f) => person(f, hazelPid).handRaisedAt !== null);
    expect(Date.parse(person(seen, rowanPid).handRaisedAt!)).toBeLessThanOrEqual(
      Date.parse(person(seen, hazelPid).handRaisedAt!),
    );
    expect((await control(owner, `${base}/pass-stick`)).json()).toEqual({
      error: 'The talking stick is only used in talking-stick mode.',
    });
    expect((await control(owner, `${base}/mode`, { mode: 'stick' })).statusCode).toBe(204);
    seen = await stateWhere(hazelSees, (f) => (f.circle as { mode: string }).mode === 'stick');
    expect((seen.circle as { stickHolder: number }).stickHolder).toBe(rowanPid);
    expect(person(seen, rowanPid).handRaisedAt).toBeNull();
    // Only the holder (and the facilitators) may open their microphone.
    await control(hazel, `${base}/mute`);
    expect((await control(hazel, `${base}/unmute`)).json()).toEqual({
      error: 'Only the person with the talking stick can speak now. Raise your hand to ask for it.',
    });
    expect((await control(rowan, `${base}/unmute`)).statusCode).toBe(204);
    expect((await control(hazel, `${base}/pass-stick`)).statusCode).toBe(403);
    expect((await control(rowan, `${base}/pass-stick`)).statusCode).toBe(204);
    seen = await stateWhere(hazelSees, (f) => (f.circle as { stickHolder: number }).stickHolder === hazelPid);
    expect((await control(hazel, `${base}/unmute`)).statusCode).toBe(204);
    expect((await control(owner, `${base}/pass-stick`)).json()).toEqual({
      error: 'Nobody has raised their hand, so there is nobody to pass the stick to.',
    });
    expect((await control(owner, `${base}/participants/${rowanPid}/give-stick`)).statusCode).toBe(204);
    await stateWhere(hazelSees, (f) => (f.circle as { stickHolder: number }).stickHolder === rowanPid);

    // The share timer: set, started, shown to everyone; the stick passing starts the next share.
    expect((await control(owner, `${base}/timer`, { seconds: '5' })).json()).toEqual({
      error: 'Please choose a time between 30 seconds and 30 minutes, or none.',
    });
    expect((await owner.post(`${base}/timer`, { seconds: '9999' })).statusCode).toBe(400);
    expect((await control(owner, `${base}/timer`, { seconds: '180' })).statusCode).toBe(204);
    seen = await stateWhere(hazelSees, (f) => (f.circle as { share: unknown }).share !== null);
    expect((seen.circle as { share: unknown }).share).toEqual({ seconds: 180, startedAt: null });
    expect((await control(owner, `${base}/start-share`)).statusCode).toBe(204);
    seen = await stateWhere(
      hazelSees,
      (f) => (f.circle as { share: { startedAt: string | null } }).share.startedAt !== null,
    );
    await control(hazel, `${base}/raise-hand`);
    await control(owner, `${base}/pass-stick`);
    const passed = await stateWhere(hazelSees, (f) => (f.circle as { stickHolder: number }).stickHolder === hazelPid);
    const share = (passed.circle as { share: { startedAt: string } }).share;
    expect(Date.parse(share.startedAt)).toBeGreaterThanOrEqual(
      Date.parse((seen.circle as { share: { startedAt: string } }).share.startedAt),
    );
    await control(owner, `${base}/timer`, { seconds: '' });
    await stateWhere(hazelSees, (f) => (f.circle as { share: unknown }).share === null);

    // Leaving with the stick passes it on; an open conversation has no holder.
    await control(rowan, `${base}/raise-hand`);
    expect((await control(hazel, `${base}/leave`)).statusCode).toBe(204);
    expect(await nextOf(hazelSees, 'error')).toMatchObject({ error: 'notFound', id: circleId });
    const ownerSees = await followCircle(owner, circleId, sockets);
    seen = await stateWhere(ownerSees, (f) => (f.circle as { stickHolder: number }).stickHolder === rowanPid);
    expect(participantsOf(seen).map((p) => p.name)).toEqual(['Oak Owner', 'Rowan']);
    await control(owner, `${base}/mode`, { mode: 'open' });
    await stateWhere(ownerSees, (f) => (f.circle as { stickHolder: unknown }).stickHolder === null);

    // A voice circle has no cameras.
    expect((await control(rowan, `${base}/camera-on`)).json()).toEqual({
      error: 'This is a voice circle, so cameras stay off.',
    });
    const audit = textOf((await owner.get(`/g/${group.slug}/audit`)).body);
    for (const entry of [
      'Muted someone in a circle',
      'Allowed someone to unmute in a circle',
      'Muted everyone in a circle',
      'Changed how a circle speaks (open, or a talking stick)',
      'Passed the talking stick',
      'Set a circle’s share timer',
    ])
      expect(audit).toContain(entry);
  });

  it('turns cameras on and off in a video circle, off by default', async () => {
    const occ = await liveMeeting(world, group);
    await openCircle(owner, occ, 'video');
    await joinCircle(hazel, occ);
    const { circleId, pid } = await circleProps(hazel, occ);
    const hazelSees = await followCircle(hazel, circleId, sockets);
    const first = await stateWhere(hazelSees, () => true);
    expect(participantsOf(first)[0]).toMatchObject({ pid, cameraOn: false });
    expect((await control(hazel, `${circleBase(occ)}/camera-on`)).statusCode).toBe(204);
    await stateWhere(hazelSees, (f) => participantsOf(f)[0]!.cameraOn);
    // Without JavaScript: the form posts and the page comes back.
    expect((await hazel.post(`${circleBase(occ)}/camera-off`)).headers.location).toBe(circleBase(occ));
    await stateWhere(hazelSees, (f) => !participantsOf(f)[0]!.cameraOn);
  });
});
