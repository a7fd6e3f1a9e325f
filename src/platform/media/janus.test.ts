import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeOffer, janusInstalled, janusPath, startJanus, type TestJanus } from '../../../test/helpers/janus.js';
import { AudioBridge, VideoRoom } from './janus-rooms.js';
import { Janus, JanusError, type HandleEvent, type JanusHandle, type JanusSession } from './janus.js';

/*
 * The Janus client against a real Janus (Debian's package), started on loopback from a
 * configuration the test writes: rooms made with a secret and a token list, tokens refused and
 * let in, mutes, kicks and destroys done with the secret and refused without it, SDP offers
 * answered, and sessions kept alive and known to be lost.
 */

if (!janusInstalled && process.env.CI === 'true') {
  throw new Error(`${janusPath} is missing, and CI must run the Janus tests: apt-get install -y janus`);
}

/** The events a handle receives, for a test to wait on (never a sleep). */
function eventsOf(handle: JanusHandle) {
  const got: HandleEvent[] = [];
  let wake: (() => void) | undefined;
  handle.on((event) => {
    got.push(event);
    wake?.();
  });
  return {
    got,
    async until(match: (event: HandleEvent) => boolean): Promise<HandleEvent> {
      for (;;) {
        const found = got.find(match);
        if (found) return found;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}

/** Retries an assertion about what Janus does in its own time (it drops a kicked participant's media first). */
async function eventually(assertion: () => Promise<void>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function refusal(promise: Promise<unknown>): Promise<JanusError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof JanusError)) throw new Error(`expected Janus to refuse, got ${String(error)}`);
  return error;
}

describe.runIf(janusInstalled)('Janus client', () => {
  let server: TestJanus;
  let janus: Janus;
  let session: JanusSession;

  beforeAll(async () => {
    server = await startJanus();
    janus = new Janus({ url: server.url });
    session = await janus.createSession();
  });

  afterAll(async () => {
    await session?.destroy();
    await server?.stop();
  });

  it('reads the server’s info', async () => {
    const info = await janus.info();
    expect(info.name).toBe('Janus WebRTC Server');
    expect(info['server-name']).toBe('mutual-test');
    expect(Object.keys(info.plugins as object).sort()).toEqual(['janus.plugin.audiobridge', 'janus.plugin.videoroom']);
  });

  it('lets into an AudioBridge room only those holding a token, and only the secret changes it', async () => {
    const admin = new AudioBridge(await session.attach(AudioBridge.plugin));
    const room = await admin.create({ secret: 'room secret', allowed: ['token-of-ash'] });
    expect(await admin.exists(room)).toBe(true);

    const ash = new AudioBridge(await session.attach(AudioBridge.plugin));
    expect((await refusal(ash.join({ room, id: 1, token: 'a guess', muted: false }))).code).toBe(489);
    expect((await ash.join({ room, id: 1, token: 'token-of-ash', muted: false })).id).toBe(1);

    // A token added later lets its holder in; the wrong secret changes nothing.
    expect((await refusal(admin.allowed(room, 'not the secret', 'add', ['token-of-birch']))).code).toBe(489);
    expect((await admin.allowed(room, 'room secret', 'add', ['token-of-birch'])).sort()).toEqual([
      'token-of-ash',
      'token-of-birch',
    ]);
    const birch = new AudioBridge(await session.attach(AudioBridge.plugin));
    const birchSaw = eventsOf(birch.handle);
    const joined = await birch.join({ room, id: 2, token: 'token-of-birch', muted: true });
    expect(joined.participants).toEqual([{ id: 1, setup: false, muted: false }]);
    await birch.configure({ jsep: fakeOffer(['audio']), muted: true });

    // Janus answers an audio offer, with its own candidates in the RTP range it was given.
    const answer = await ash.configure({ jsep: fakeOffer(['audio']), muted: false });
    expect(answer.type).toBe('answer');
    const ports = [...answer.sdp.matchAll(/^a=candidate:\S+ 1 udp \d+ \S+ (\d+) typ host/gm)].map((m) => Number(m[1]));
    expect(ports.length).toBeGreaterThan(0);
    for (const port of ports) expect(port).toBeGreaterThanOrEqual(server.rtpPorts.min);
    for (const port of ports) expect(port).toBeLessThanOrEqual(server.rtpPorts.max);

    // Muting takes the secret, and Janus reports who is muted.
    expect((await refusal(admin.mute(room, 'not the secret', 1))).code).toBe(489);
    await admin.mute(room, 'room secret', 1);
    expect(await admin.listParticipants(room)).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: 1, muted: true })]),
    );
    await birchSaw.until(
      (e) => JSON.stringify(e.data?.participants) === JSON.stringify([{ id: 1, setup: false, muted: true }]),
    );
    await admin.unmute(room, 'room secret', 1);
    expect((await admin.listParticipants(room)).find((p) => p.id === 1)?.muted).toBe(false);

    // Removed: the token goes, then the kick; the same token on a new connection is refused.
    await admin.allowed(room, 'room secret', 'remove', ['token-of-birch']);
    expect((await refusal(admin.kick(room, 'not the secret', 2))).code).toBe(489);
    await admin.kick(room, 'room secret', 2);
    await birchSaw.until((e) => e.data?.kicked === 2);
    await eventually(async () => expect((await admin.listParticipants(room)).map((p) => p.id)).toEqual([1]));
    const birchAgain = new AudioBridge(await session.attach(AudioBridge.plugin));
    expect((await refusal(birchAgain.join({ room, id: 2, token: 'token-of-birch', muted: true }))).code).toBe(489);

    // Only the secret destroys the room; everyone in it is told.
    const ashSaw = eventsOf(ash.handle);
    expect((await refusal(admin.destroy(room, 'not the secret'))).code).toBe(489);
    await admin.destroy(room, 'room secret');
    await ashSaw.until((e) => e.data?.audiobridge === 'destroyed');
    expect(await admin.exists(room)).toBe(false);
    for (const handle of [admin, ash, birch, birchAgain]) await handle.handle.detach();
  });

  it('lets into a VideoRoom only those holding a token, and moderates a publisher’s audio with the secret', async () => {
    const admin = new VideoRoom(await session.attach(VideoRoom.plugin));
    const room = await admin.create({ secret: 'video secret', allowed: ['token-of-cedar'], publishers: 6 });

    const cedar = new VideoRoom(await session.attach(VideoRoom.plugin));
    const cedarSaw = eventsOf(cedar.handle);
    expect((await refusal(cedar.joinAsPublisher({ room, id: 3, token: 'a guess' }))).code).toBe(433);
    const joined = await cedar.joinAsPublisher({ room, id: 3, token: 'token-of-cedar' });
    expect(joined).toMatchObject({ id: 3, publishers: [] });
    expect(joined.privateId).toBeGreaterThan(0);

    const answer = await cedar.publish(fakeOffer(['audio', 'video'], 'sendonly'));
    expect(answer.sdp).toMatch(/^m=audio /m);
    expect(answer.sdp).toMatch(/^m=video /m);

    // The moderator mutes the audio (mid 0) with the secret; a wrong secret or mid is refused.
    expect((await refusal(admin.moderate(room, 'not the secret', 3, '0', true))).code).toBe(433);
    expect((await refusal(admin.moderate(room, 'video secret', 3, '7', true))).code).toBe(428);
    await admin.moderate(room, 'video secret', 3, '0', true);
    await cedarSaw.until((e) => e.data?.moderation === 'muted' && e.data.mid === '0');
    await admin.moderate(room, 'video secret', 3, '0', false);
    await cedarSaw.until((e) => e.data?.moderation === 'unmuted');

    // A subscription needs the private id of someone in the room.
    const stranger = new VideoRoom(await session.attach(VideoRoom.plugin));
    expect(
      (await refusal(stranger.subscribe({ room, privateId: joined.privateId + 1, token: 'x', feeds: [3] }))).code,
    ).toBeGreaterThan(400);

    expect((await refusal(admin.kick(room, 'not the secret', 3))).code).toBe(433);
    await admin.allowed(room, 'video secret', 'remove', ['token-of-cedar']);
    await admin.kick(room, 'video secret', 3);
    expect(await admin.listParticipants(room)).toEqual([]);
    await admin.destroy(room, 'video secret');
    expect(await admin.exists(room)).toBe(false);
    for (const handle of [admin, cedar, stranger]) await handle.handle.detach();
  });

  it('knows when Janus has forgotten a session, and tells its handles', async () => {
    // Keepalives every 300 ms: the first after the session is gone finds it so.
    const doomed = await new Janus({ url: server.url, keepaliveMs: 300 }).createSession();
    const handle = await doomed.attach(AudioBridge.plugin);
    const saw = eventsOf(handle);
    const closed = new Promise<string>((resolve) => doomed.onClose(resolve));
    // As if Janus had restarted or timed the session out: it is gone there, not here.
    await janus.post(`/${doomed.id}`, { janus: 'destroy' });
    expect(await closed).toBe('lost');
    await saw.until((e) => e.janus === 'detached');
    expect(doomed.closed).toBe(true);
    await expect(doomed.attach(AudioBridge.plugin)).rejects.toThrow(JanusError);
  });
});

describe.runIf(janusInstalled)('Janus with an API secret', () => {
  it('is refused without the secret, and works with it, long poll included', async () => {
    const server = await startJanus({ apiSecret: 'the operator secret' });
    try {
      expect((await refusal(new Janus({ url: server.url }).createSession())).code).toBe(403);
      expect((await refusal(new Janus({ url: server.url, apiSecret: 'a guess' }).createSession())).code).toBe(403);
      const session = await new Janus({ url: server.url, apiSecret: 'the operator secret' }).createSession();
      const admin = new AudioBridge(await session.attach(AudioBridge.plugin));
      const room = await admin.create({ secret: 's', allowed: ['t'] });
      // The join is answered on the long poll, which needs the secret too.
      const joining = new AudioBridge(await session.attach(AudioBridge.plugin));
      expect((await joining.join({ room, id: 9, token: 't', muted: false })).id).toBe(9);
      await session.destroy();
    } finally {
      await server.stop();
    }
  });
});

describe.runIf(janusInstalled)('Janus client keepalives', () => {
  it('keeps an idle session alive past Janus’s session timeout', async () => {
    const server = await startJanus({ sessionTimeout: 2 });
    try {
      const janus = new Janus({ url: server.url, keepaliveMs: 500 });
      const session = await janus.createSession();
      let lost = '';
      session.onClose((reason) => (lost = reason));
      await new Promise((resolve) => setTimeout(resolve, 3_500));
      expect(lost).toBe('');
      const handle = await session.attach(AudioBridge.plugin);
      expect(handle.id).toBeGreaterThan(0);
      await session.destroy();
    } finally {
      await server.stop();
    }
  });
});
