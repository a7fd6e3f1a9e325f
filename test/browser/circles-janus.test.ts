import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { circleParticipants, circles } from '../../src/features/circles/schema.js';
import { AudioBridge, type BridgeParticipant } from '../../src/platform/media/janus-rooms.js';
import { Janus, type JanusSession } from '../../src/platform/media/janus.js';
import { createWorld, type TestWorld } from '../helpers/app.js';
import { makeGroup } from '../helpers/factories.js';
import { janusInstalled, janusPath, startJanus, type TestJanus } from '../helpers/janus.js';
import { makeMeeting } from '../helpers/meetings.js';
import { Audit, chromiumInstalled, chromiumPath, fakeMediaArgs, launchChromium, Person } from './browser.js';

/*
 * A voice circle that outgrows the mesh (its limit set to 2 here) and moves to Janus, started by
 * the test from a configuration it writes (test/helpers/janus.ts): Oak, who runs the group, opens
 * it; Hazel ("Hazel Nut" in the group) and Juniper join, and with the third person the circle
 * becomes an AudioBridge room. Each browser then has one connection, to Janus, and the mix of the
 * others keeps arriving (getStats: inbound audio bytes). The facilitator's mute is enforced by
 * Janus itself: with Oak and Juniper silent, the mix they receive carries Hazel's beeps (Chromium's
 * fake microphone) as sound energy; once Oak mutes her, Janus lists her as muted, and although her
 * browser is made to send again by hand (as a modified browser would), the energy of what the
 * others receive stays flat while her outbound bytes grow. When he allows her to unmute, her sound
 * comes back: the same measure that stayed flat rises. No page or frame ever holds the room's
 * secret or anyone's token.
 */

if (!chromiumInstalled && process.env.CI === 'true') {
  throw new Error(`${chromiumPath} is missing, and CI must run the browser journeys: apt-get install -y chromium`);
}
if (!janusInstalled && process.env.CI === 'true') {
  throw new Error(`${janusPath} is missing, and CI must run the Janus tests: apt-get install -y janus`);
}

// Before any page script: every RTCPeerConnection the page makes is kept, for getStats().
const keepConnections = `{
  const Native = window.RTCPeerConnection;
  const all = (window.__connections = []);
  window.RTCPeerConnection = class extends Native {
    constructor(...args) { super(...args); all.push(this); }
  };
}`;

interface Audio {
  /** Connections still open. */
  open: number;
  /** Audio bytes received, and the energy of the sound in them (what getStats measures as it is played). */
  received: number;
  energy: number;
  /** Audio bytes sent. */
  sent: number;
}

function audioOf(person: Person): Promise<Audio> {
  return person.page.evaluate(async () => {
    const found = { open: 0, received: 0, energy: 0, sent: 0 };
    for (const pc of (window as unknown as { __connections: RTCPeerConnection[] }).__connections) {
      if (pc.signalingState === 'closed') continue;
      found.open += 1;
      (await pc.getStats()).forEach(
        (s: { type: string; kind?: string; bytesReceived?: number; totalAudioEnergy?: number; bytesSent?: number }) => {
          if (s.kind !== 'audio') return;
          if (s.type === 'inbound-rtp') {
            found.received += s.bytesReceived ?? 0;
            found.energy += s.totalAudioEnergy ?? 0;
          }
          if (s.type === 'outbound-rtp') found.sent += s.bytesSent ?? 0;
        },
      );
    }
    return found;
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How each measure moved over `ms` for each person. */
async function over(people: Person[], ms: number): Promise<Audio[]> {
  const before = await Promise.all(people.map(audioOf));
  await pause(ms);
  const after = await Promise.all(people.map(audioOf));
  return after.map((a, i) => ({
    open: a.open,
    received: a.received - before[i]!.received,
    energy: a.energy - before[i]!.energy,
    sent: a.sent - before[i]!.sent,
  }));
}

/** Retries until Janus says what is expected (it answers in its own time). */
async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(value)}`);
    await pause(200);
  }
}

describe.runIf(chromiumInstalled && janusInstalled)('A voice circle through Janus', { timeout: 60_000 }, () => {
  let janus: TestJanus;
  let world: TestWorld;
  let browser: Browser;
  let watcher: JanusSession;
  let bridge: AudioBridge;
  const audit = new Audit();
  let oakAt: Person;
  let hazelAt: Person;
  let juniperAt: Person;
  let occurrenceId = 0;
  let circlePath = '';
  /** Every frame each page received over /live. */
  const frames: string[] = [];

  beforeAll(async () => {
    janus = await startJanus();
    world = await createWorld({ circles: { meshLimit: 2, janus: { url: janus.url } } });
    const baseUrl = await world.app.listen({ port: 0, host: '127.0.0.1' });
    await world.createUser('Admin');
    const oak = await world.createUser('Oak');
    const group = await makeGroup(world, oak, { name: 'Carers at night', visibility: 'members' });
    const hazel = await world.createUser('Hazel');
    const hazelAgent = world.agent();
    await hazelAgent.logIn(hazel.email, hazel.password);
    await hazelAgent.post(`/g/${group.slug}/join`, { alias: 'Hazel Nut' });
    const juniper = await world.createUser('Juniper');
    const juniperAgent = world.agent();
    await juniperAgent.logIn(juniper.email, juniper.password);
    await juniperAgent.post(`/g/${group.slug}/join`);
    const { occurrenceIds } = await makeMeeting(world, group, {
      starts: [new Date(Date.now() - 5 * 60_000)],
      kind: 'online',
      title: 'Night owls',
    });
    occurrenceId = occurrenceIds[0]!;
    circlePath = `/meetings/${occurrenceId}/circle`;
    // The test's own look into Janus: who is in the room, and muted (no secret needed to ask).
    watcher = await new Janus({ url: janus.url }).createSession();
    bridge = new AudioBridge(await watcher.attach(AudioBridge.plugin));
    // Sound plays without a click, so what arrives is measured as it is played.
    browser = await launchChromium([...fakeMediaArgs, '--autoplay-policy=no-user-gesture-required']);
    const open = async (name: string, who: { email: string; password: string }) => {
      const person = await Person.open(browser, baseUrl, name, audit);
      await person.context.addInitScript({ content: keepConnections });
      person.page.on('websocket', (socket) => socket.on('framereceived', (f) => frames.push(String(f.payload))));
      await person.logIn(who.email, who.password);
      return person;
    };
    [oakAt, hazelAt, juniperAt] = await Promise.all([open('Oak', oak), open('Hazel', hazel), open('Juniper', juniper)]);
  }, 60_000);

  afterEach(() => {
    expect(audit.takeProblems()).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await watcher?.destroy();
    await world?.close();
    await janus?.stop();
  });

  const everyone = () => [oakAt, hazelAt, juniperAt];

  async function join(person: Person) {
    await person.visit(`${circlePath}/check`);
    await Promise.all([
      person.page.waitForURL((url) => url.pathname === circlePath),
      person.page.locator('#circle-join').getByRole('button').click(),
    ]);
    await person.page.locator('#circle').waitFor();
    await person.check();
  }

  async function theCircle() {
    const [circle] = await world.database.db.select().from(circles).where(eq(circles.occurrenceId, occurrenceId));
    return circle!;
  }

  async function pidOf(name: string): Promise<number> {
    const pid = await oakAt.page
      .locator('.circle-tile', { has: oakAt.page.locator('.circle-name', { hasText: name }) })
      .getAttribute('data-pid');
    return Number(pid);
  }

  const inJanus = async (): Promise<BridgeParticipant[]> => bridge.listParticipants((await theCircle()).janusRoom!);

  it('moves the circle to Janus when a third person joins, and each hears the mix of the others', async () => {
    await oakAt.visit(`/meetings/${occurrenceId}/room`);
    await oakAt.follow(() => oakAt.page.getByRole('button', { name: 'Open a voice circle' }).click());
    await join(oakAt);
    await join(hazelAt);
    expect((await theCircle()).media).toBe('mesh');
    await join(juniperAt);

    const circle = await theCircle();
    expect(circle.media).toBe('janus');
    expect(circle.janusRoom).toBeGreaterThan(0);
    // All three in the AudioBridge room, each with their media set up.
    const pids = await Promise.all(['Oak', 'Hazel Nut', 'Juniper'].map(pidOf));
    await eventually(inJanus, (list) => list.filter((p) => p.setup).length === 3);
    expect((await inJanus()).map((p) => p.id).sort()).toEqual([...pids].sort());

    // One connection each (to Janus; the mesh ones closed), and the mix keeps coming.
    for (const person of everyone())
      await person.page.waitForFunction(
        () =>
          (window as unknown as { __connections: RTCPeerConnection[] }).__connections.filter(
            (pc) => pc.connectionState === 'connected',
          ).length === 1,
        null,
        { timeout: 20_000 },
      );
    const moved = await over(everyone(), 2500);
    moved.forEach((audio, i) => {
      expect(audio.open, `${everyone()[i]!.name}'s connections`).toBe(1);
      expect(audio.received, `${everyone()[i]!.name} receives the mix`).toBeGreaterThan(0);
    });
    const again = await over(everyone(), 2000);
    again.forEach((audio, i) => expect(audio.received, `${everyone()[i]!.name} keeps receiving`).toBeGreaterThan(0));
    for (const person of everyone()) await person.check();
  });

  it('enforces the facilitator’s mute in Janus, even when her browser sends anyway', async () => {
    const hazel = await pidOf('Hazel Nut');
    // Only Hazel speaks: what Oak and Juniper receive is her sound.
    for (const person of [oakAt, juniperAt]) {
      await person.page.getByRole('button', { name: 'Mute my microphone' }).click();
      await person.page.getByRole('button', { name: 'Unmute my microphone' }).waitFor();
    }
    await pause(1000);
    const speaking = await over([oakAt, juniperAt], 3000);
    for (const audio of speaking) expect(audio.energy).toBeGreaterThan(0);

    await oakAt.page.getByRole('button', { name: 'Mute Hazel Nut' }).click();
    await eventually(inJanus, (list) => list.find((p) => p.id === hazel)?.muted === true);
    await hazelAt.page.getByRole('button', { name: 'Unmute my microphone' }).waitFor();

    // Her page closed her microphone; as a modified browser would, it is opened again by hand.
    await hazelAt.page.evaluate(async () => {
      const pc = (window as unknown as { __connections: RTCPeerConnection[] }).__connections.find(
        (c) => c.signalingState !== 'closed',
      )!;
      const microphone = await navigator.mediaDevices.getUserMedia({ audio: true });
      const sender = pc.getTransceivers().find((t) => t.receiver.track.kind === 'audio')!.sender;
      await sender.replaceTrack(microphone.getAudioTracks()[0]!);
    });
    await pause(1000);
    const [hazelSends] = await over([hazelAt], 1000);
    expect(hazelSends!.sent, 'her browser sends').toBeGreaterThan(0);
    const muted = await over([oakAt, juniperAt, hazelAt], 3000);
    expect(muted[2]!.sent, 'her browser still sends').toBeGreaterThan(0);
    for (const audio of muted.slice(0, 2)) {
      expect(audio.received, 'the mix still arrives').toBeGreaterThan(0);
      expect(audio.energy, 'but without her').toBeLessThan(speaking[0]!.energy / 20);
    }

    // Allowed to unmute: Janus lets her through again, and the same measure rises.
    await oakAt.page.getByRole('button', { name: 'Allow to unmute Hazel Nut' }).click();
    await eventually(inJanus, (list) => list.find((p) => p.id === hazel)?.muted === false);
    await pause(1000);
    const heardAgain = await over([oakAt, juniperAt], 3000);
    for (const audio of heardAgain) expect(audio.energy).toBeGreaterThan(speaking[0]!.energy / 5);
    for (const person of everyone()) await person.check();
  });

  it('keeps the room’s secret and everyone’s token on the server, and destroys the room when the circle ends', async () => {
    const circle = await theCircle();
    const tokens = await world.database.db
      .select({ token: circleParticipants.janusToken })
      .from(circleParticipants)
      .where(eq(circleParticipants.circleId, circle.id));
    const secrets = [circle.janusSecret!, ...tokens.map((t) => t.token).filter((t): t is string => t !== null)];
    expect(secrets.length).toBe(4);
    for (const person of everyone()) {
      const html = await person.page.content();
      for (const secret of secrets) expect(html).not.toContain(secret);
    }
    expect(frames.length).toBeGreaterThan(10);
    for (const frame of frames) for (const secret of secrets) expect(frame).not.toContain(secret);
    expect(frames.join('\n')).not.toContain(String(circle.janusRoom));

    await oakAt.page.getByRole('button', { name: 'End the circle for everyone' }).click();
    await juniperAt.page.getByText('The circle has ended.').first().waitFor();
    await eventually(
      () => bridge.exists(circle.janusRoom!),
      (exists) => !exists,
    );
    // The room is destroyed first, then its number and secret are forgotten: wait for both.
    await eventually(theCircle, (row) => row.janusRoom === null && row.janusSecret === null);
    expect(await theCircle()).toMatchObject({ janusRoom: null, janusSecret: null });
  });
});
