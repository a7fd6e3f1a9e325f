import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type Agent, type TestWorld } from '../../../test/helpers/app.js';
import {
  circleBase,
  circleProps,
  control,
  followCircle,
  joinCircle,
  liveMeeting,
  openCircle,
  stateWhere,
} from '../../../test/helpers/circles.js';
import { makeGroup } from '../../../test/helpers/factories.js';
import { fakeOffer, janusInstalled, janusPath, startJanus, type TestJanus } from '../../../test/helpers/janus.js';
import type { Frame, LiveClient } from '../../../test/helpers/live.js';
import { AudioBridge, VideoRoom } from '../../platform/media/janus-rooms.js';
import { Janus, type JanusSession } from '../../platform/media/janus.js';
import { circleParticipants, circles } from './schema.js';

/*
 * The Janus path through the pages and the live topic, with a real Janus and SDP offers made up
 * for it (Janus answers them; no media flows): past the mesh limit the circle moves to Janus, with
 * a room, a secret and one token per person let in; the server answers each person's offer; it
 * mutes in Janus whoever must be silent (a facilitator's mute, the talking stick) and puts out of
 * the room, token first, whoever leaves or is removed; ending the circle destroys the room. Nobody
 * waiting to be let in gets an answer, and a video offer that could keep a microphone out of a
 * mute's reach is refused. A room Janus lost (a restart) is made again when people reconnect.
 */

if (!janusInstalled && process.env.CI === 'true') {
  throw new Error(`${janusPath} is missing, and CI must run the Janus tests: apt-get install -y janus`);
}

interface Entered {
  agent: Agent;
  circleId: number;
  pid: number;
  socket: LiveClient;
}

describe.runIf(janusInstalled)('circles through Janus', () => {
  let janus: TestJanus;
  let world: TestWorld;
  let watcher: JanusSession;
  let bridge: AudioBridge;
  let videoRoom: VideoRoom;
  let ownerUser: Awaited<ReturnType<TestWorld['createUser']>>;
  let owner: Agent;
  const sockets: LiveClient[] = [];
  const db = () => world.database.db;

  beforeAll(async () => {
    janus = await startJanus();
    world = await createWorld({ circles: { meshLimit: 2, janus: { url: janus.url } } });
    await world.createUser('Admin');
    ownerUser = await world.createUser('Oak Owner');
    owner = world.agent();
    await owner.logIn(ownerUser.email, ownerUser.password);
    watcher = await new Janus({ url: janus.url }).createSession();
    bridge = new AudioBridge(await watcher.attach(AudioBridge.plugin));
    videoRoom = new VideoRoom(await watcher.attach(VideoRoom.plugin));
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await watcher?.destroy();
    await world?.close();
    await janus?.stop();
  });

  async function groupWith(names: string[], leadership?: 'professional') {
    const group = await makeGroup(world, ownerUser, {
      name: `Circle ${names.join(' ')}`,
      visibility: 'members',
      ...(leadership ? { leadership } : {}),
    });
    const members = await Promise.all(
      names.map(async (name) => {
        const agent = await world.member(name);
        await agent.post(`/g/${group.slug}/join`);
        return agent;
      }),
    );
    return { group, members };
  }

  async function circleOf(occ: number) {
    const [row] = await db().select().from(circles).where(eq(circles.occurrenceId, occ));
    return row!;
  }

  async function enter(agent: Agent, occ: number): Promise<Entered> {
    expect((await joinCircle(agent, occ)).statusCode).toBe(303);
    const { circleId, pid } = await circleProps(agent, occ);
    const socket = await followCircle(agent, circleId, sockets);
    return { agent, circleId, pid, socket };
  }

  /** Sends an offer to the server, as the island does on the Janus path. */
  function offer(person: Entered, kinds: ('audio' | 'video')[] = ['audio']) {
    const { sdp } = fakeOffer(kinds, kinds.includes('video') ? 'sendonly' : 'sendrecv');
    person.socket.send({
      type: 'send',
      topic: 'circle',
      id: person.circleId,
      data: { kind: 'offer', to: 'server', sdp },
    });
  }

  /**
   * The signals the server sent this person until everything they sent before was handled: a
   * frame the topic refuses is answered in turn, after the ones before it.
   */
  async function signalsFromServer(person: Entered): Promise<Frame[]> {
    person.socket.send({ type: 'send', topic: 'circle', id: person.circleId, data: { kind: 'nothing' } });
    const got: Frame[] = [];
    for (;;) {
      const frame = await person.socket.next();
      if (frame.type === 'error') return got;
      if (frame.type === 'circle.signal' && frame.from === 'server') got.push(frame);
    }
  }

  /** The room's allowed tokens, read with its secret (adding none returns the whole list). */
  async function allowedIn(occ: number, plugin: AudioBridge | VideoRoom = bridge) {
    const c = await circleOf(occ);
    return (await plugin.allowed(c.janusRoom!, c.janusSecret!, 'add', [])).sort();
  }

  const tokenOf = async (pid: number) =>
    (await db().select().from(circleParticipants).where(eq(circleParticipants.id, pid)))[0]!.janusToken;

  it('moves a voice circle to Janus past the mesh limit, answers offers, and applies mutes and removals there', async () => {
    const { group, members } = await groupWith(['Ash', 'Birch']);
    const occ = await liveMeeting(world, group);
    expect((await openCircle(owner, occ, 'voice')).statusCode).toBe(303);
    const oak = await enter(owner, occ);
    const ash = await enter(members[0]!, occ);
    expect(await circleOf(occ)).toMatchObject({ media: 'mesh', janusRoom: null });
    const birch = await enter(members[1]!, occ);
    await stateWhere(oak.socket, (f) => (f.circle as { media: string }).media === 'janus');

    const circle = await circleOf(occ);
    const room = circle.janusRoom!;
    expect(room).toBeGreaterThan(0);
    expect(circle.janusSecret!.length).toBeGreaterThanOrEqual(32);
    expect(await bridge.exists(room)).toBe(true);
    // One token for each person let in, and only those.
    const tokens = await Promise.all([oak, ash, birch].map((p) => tokenOf(p.pid)));
    expect(new Set(tokens).size).toBe(3);
    expect(await allowedIn(occ)).toEqual([...tokens].sort());

    for (const person of [oak, ash, birch]) {
      offer(person);
      const [answer, ...more] = await signalsFromServer(person);
      expect(more).toEqual([]);
      expect(answer!.data).toMatchObject({ kind: 'answer' });
      const sdp = (answer!.data as { sdp: string }).sdp;
      expect(sdp).toMatch(/^a=candidate:.* typ host/m);
      // The room's number stays on the server too.
      expect(sdp).not.toContain(String(room));
    }
    const ids = async () => (await bridge.listParticipants(room)).map((p) => p.id).sort();
    expect(await ids()).toEqual([oak.pid, ash.pid, birch.pid].sort());

    // A page that offers again (reloaded) takes its seat back, not a second one.
    offer(ash);
    expect(await signalsFromServer(ash)).toHaveLength(1);
    expect(await ids()).toEqual([oak.pid, ash.pid, birch.pid].sort());

    // A facilitator's mute holds in Janus; allowing her to unmute lifts it.
    const mutedIn = async () =>
      (await bridge.listParticipants(room))
        .filter((p) => p.muted)
        .map((p) => p.id)
        .sort();
    const base = circleBase(occ);
    expect((await control(owner, `${base}/participants/${ash.pid}/mute`)).statusCode).toBe(204);
    expect(await mutedIn()).toEqual([ash.pid]);
    expect((await control(owner, `${base}/participants/${ash.pid}/allow-unmute`)).statusCode).toBe(204);
    expect(await mutedIn()).toEqual([]);

    // The talking stick: only its holder, and the facilitator, are heard.
    expect((await control(owner, `${base}/mode`, { mode: 'stick' })).statusCode).toBe(204);
    expect(await mutedIn()).toEqual([ash.pid, birch.pid].sort());
    expect((await control(owner, `${base}/participants/${birch.pid}/give-stick`)).statusCode).toBe(204);
    expect(await mutedIn()).toEqual([ash.pid]);
    expect((await control(owner, `${base}/mode`, { mode: 'open' })).statusCode).toBe(204);
    expect(await mutedIn()).toEqual([]);

    // Removed: her token leaves the room's list, then her seat; her next offer gets no answer.
    const ashToken = await tokenOf(ash.pid);
    expect((await control(owner, `${base}/participants/${ash.pid}/remove`)).statusCode).toBe(204);
    expect(await allowedIn(occ)).not.toContain(ashToken);
    expect(await ids()).toEqual([oak.pid, birch.pid].sort());

    // Birch leaves: out of the room, token and seat.
    const birchToken = await tokenOf(birch.pid);
    expect((await control(birch.agent, `${base}/leave`)).statusCode).toBe(204);
    expect(await allowedIn(occ)).not.toContain(birchToken);
    expect(await ids()).toEqual([oak.pid]);

    // Ending the circle destroys the room and forgets its secret.
    expect((await control(owner, `${base}/end`)).statusCode).toBe(204);
    expect(await bridge.exists(room)).toBe(false);
    expect(await circleOf(occ)).toMatchObject({ janusRoom: null, janusSecret: null });
  });

  it('answers nobody still waiting to be let in, and makes a room Janus lost again as people reconnect', async () => {
    const { group, members } = await groupWith(['Cedar', 'Daisy', 'Elm'], 'professional');
    const occ = await liveMeeting(world, group);
    expect((await openCircle(owner, occ, 'voice')).statusCode).toBe(303);
    await enter(owner, occ);
    const cedar = await enter(members[0]!, occ);
    const daisy = await enter(members[1]!, occ);
    const elm = await enter(members[2]!, occ);
    // Waiting: no token, and an offer is answered by nobody.
    expect(await tokenOf(cedar.pid)).toBeNull();
    offer(cedar);
    expect(await signalsFromServer(cedar)).toEqual([]);
    for (const person of [cedar, daisy, elm])
      expect((await control(owner, `${circleBase(occ)}/participants/${person.pid}/admit`)).statusCode).toBe(204);
    expect(await circleOf(occ)).toMatchObject({ media: 'janus' });

    // Elm is removed; his page, still open, offers: nothing comes back, and Janus never sees him.
    expect((await control(owner, `${circleBase(occ)}/participants/${elm.pid}/remove`)).statusCode).toBe(204);
    expect(await tokenOf(elm.pid)).toBeNull();
    offer(elm);
    offer(cedar);
    expect(await signalsFromServer(cedar)).toHaveLength(1);
    expect(elm.socket.pending.filter((f) => f.type === 'circle.signal')).toEqual([]);
    const room = (await circleOf(occ)).janusRoom!;
    expect((await bridge.listParticipants(room)).map((p) => p.id)).toEqual([cedar.pid]);

    // Janus restarted (its rooms live in memory): the next offer makes the room again, same secret.
    const { janusSecret } = await circleOf(occ);
    await bridge.destroy(room, janusSecret!);
    offer(daisy);
    expect(await signalsFromServer(daisy)).toHaveLength(1);
    expect(await bridge.exists(room)).toBe(true);
    expect((await bridge.listParticipants(room)).map((p) => p.id)).toEqual([daisy.pid]);
  });

  it('refuses a video offer whose microphone a mute could not reach, and answers one that it can', async () => {
    const { group, members } = await groupWith(['Fern', 'Gorse']);
    const occ = await liveMeeting(world, group);
    expect((await openCircle(owner, occ, 'video')).statusCode).toBe(303);
    const oak = await enter(owner, occ);
    await enter(members[0]!, occ);
    await enter(members[1]!, occ);
    const room = (await circleOf(occ)).janusRoom!;
    expect(await circleOf(occ)).toMatchObject({ kind: 'video', media: 'janus' });

    // Video first: its audio would not be the line (mid 0) a mute moderates.
    offer(oak, ['video', 'audio']);
    expect(await signalsFromServer(oak)).toEqual([]);
    expect(await videoRoom.listParticipants(room)).toEqual([]);

    offer(oak, ['audio', 'video']);
    const [answer] = await signalsFromServer(oak);
    expect((answer!.data as { sdp: string }).sdp).toMatch(/^m=audio [\s\S]*^m=video /m);
    expect((await videoRoom.listParticipants(room)).map((p) => p.id)).toEqual([oak.pid]);
    expect(await allowedIn(occ, videoRoom)).toHaveLength(3);
  });
});
