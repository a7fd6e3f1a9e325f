import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { circles } from '../../src/features/circles/schema.js';
import { VideoRoom } from '../../src/platform/media/janus-rooms.js';
import { Janus, type JanusSession } from '../../src/platform/media/janus.js';
import { createWorld, type TestWorld } from '../helpers/app.js';
import { makeGroup } from '../helpers/factories.js';
import { janusInstalled, janusPath, startJanus, type TestJanus } from '../helpers/janus.js';
import { makeMeeting } from '../helpers/meetings.js';
import { Audit, chromiumInstalled, chromiumPath, fakeMediaArgs, launchChromium, Person } from './browser.js';

/*
 * A video circle past the mesh limit (2 here), through Janus's VideoRoom: each browser publishes
 * on one connection and receives the others on a second, which Mutual offers and renegotiates as
 * people arrive; each person's sound and picture land in their own tile (the server labels Janus's
 * streams with pids). Hazel's camera, off at first, reaches the others when she turns it on. When
 * Oak mutes her, Janus stops forwarding her audio (moderation of her audio line): the bytes of her
 * sound at the others stop, though her browser is made to send by hand, while Juniper's go on.
 */

if (!chromiumInstalled && process.env.CI === 'true') {
  throw new Error(`${chromiumPath} is missing, and CI must run the browser journeys: apt-get install -y chromium`);
}
if (!janusInstalled && process.env.CI === 'true') {
  throw new Error(`${janusPath} is missing, and CI must run the Janus tests: apt-get install -y janus`);
}

const keepConnections = `{
  const Native = window.RTCPeerConnection;
  const all = (window.__connections = []);
  window.RTCPeerConnection = class extends Native {
    constructor(...args) { super(...args); all.push(this); }
  };
}`;

/** Audio bytes received from each person, by the name on their tile (-1: no sound from them yet). */
function inbound(person: Person): Promise<Record<string, number>> {
  return person.page.evaluate(async () => {
    const received = new Map<string, number>();
    for (const pc of (window as unknown as { __connections: RTCPeerConnection[] }).__connections) {
      if (pc.signalingState === 'closed') continue;
      (await pc.getStats()).forEach(
        (s: { type: string; kind?: string; trackIdentifier?: string; bytesReceived?: number }) => {
          if (s.type === 'inbound-rtp' && s.kind === 'audio') received.set(s.trackIdentifier!, s.bytesReceived ?? 0);
        },
      );
    }
    const bytes: Record<string, number> = {};
    for (const tile of document.querySelectorAll('.circle-tile')) {
      const name = tile.querySelector('.circle-name')?.textContent ?? '';
      const track = (tile.querySelector('audio')?.srcObject as MediaStream | null)?.getAudioTracks()[0];
      bytes[name] = track ? (received.get(track.id) ?? -1) : -1;
    }
    return bytes;
  });
}

function outbound(person: Person): Promise<number> {
  return person.page.evaluate(async () => {
    let sent = 0;
    for (const pc of (window as unknown as { __connections: RTCPeerConnection[] }).__connections) {
      if (pc.signalingState === 'closed') continue;
      (await pc.getStats()).forEach((s: { type: string; kind?: string; bytesSent?: number }) => {
        if (s.type === 'outbound-rtp' && s.kind === 'audio') sent += s.bytesSent ?? 0;
      });
    }
    return sent;
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.runIf(chromiumInstalled && janusInstalled)('A video circle through Janus', { timeout: 60_000 }, () => {
  let janus: TestJanus;
  let world: TestWorld;
  let browser: Browser;
  let watcher: JanusSession;
  const audit = new Audit();
  let oakAt: Person;
  let hazelAt: Person;
  let juniperAt: Person;
  let occurrenceId = 0;
  let circlePath = '';

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
    watcher = await new Janus({ url: janus.url }).createSession();
    browser = await launchChromium([...fakeMediaArgs, '--autoplay-policy=no-user-gesture-required']);
    const open = async (name: string, who: { email: string; password: string }) => {
      const person = await Person.open(browser, baseUrl, name, audit);
      await person.context.addInitScript({ content: keepConnections });
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
  const names: Record<string, string> = { Oak: 'Oak', Hazel: 'Hazel Nut', Juniper: 'Juniper' };
  const othersOf = (person: Person) => everyone().filter((p) => p !== person);

  async function join(person: Person) {
    await person.visit(`${circlePath}/check`);
    await Promise.all([
      person.page.waitForURL((url) => url.pathname === circlePath),
      person.page.locator('#circle-join').getByRole('button').click(),
    ]);
    await person.page.locator('#circle').waitFor();
    await person.check();
  }

  it('forwards each person’s sound and picture to the others, each in their own tile', async () => {
    await oakAt.visit(`/meetings/${occurrenceId}/room`);
    await oakAt.follow(() => oakAt.page.getByRole('button', { name: 'Open a video circle' }).click());
    for (const person of everyone()) await join(person);
    const [circle] = await world.database.db.select().from(circles).where(eq(circles.occurrenceId, occurrenceId));
    expect(circle).toMatchObject({ kind: 'video', media: 'janus' });
    const room = new VideoRoom(await watcher.attach(VideoRoom.plugin));
    // The last to join publishes a moment after their page shows the circle.
    await expect
      .poll(async () => (await room.listParticipants(circle!.janusRoom!)).length, { timeout: 15_000 })
      .toBe(3);

    for (const person of everyone())
      await person.page.waitForFunction(
        (expected) =>
          expected.every((name) =>
            [...document.querySelectorAll('.circle-tile')].some(
              (tile) =>
                tile.querySelector('.circle-name')?.textContent === name && tile.querySelector('audio')?.srcObject,
            ),
          ),
        othersOf(person).map((p) => names[p.name]!),
        { timeout: 20_000 },
      );
    // A tile gets its stream when the subscription is answered; its first packets follow a moment later.
    let first = await Promise.all(everyone().map(inbound));
    await expect
      .poll(
        async () => {
          first = await Promise.all(everyone().map(inbound));
          return everyone().every((person, i) => othersOf(person).every((o) => first[i]![names[o.name]!]! > 0));
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    await pause(2500);
    const then = await Promise.all(everyone().map(inbound));
    everyone().forEach((person, i) => {
      for (const other of othersOf(person)) {
        const name = names[other.name]!;
        expect(first[i]![name], `${person.name} hears ${name}`).toBeGreaterThan(0);
        expect(then[i]![name], `${person.name} keeps hearing ${name}`).toBeGreaterThan(first[i]![name]!);
      }
    });

    // Camera off by default; turned on, it reaches the others through Janus.
    await hazelAt.page.getByRole('button', { name: 'Turn my camera on' }).click();
    await hazelAt.page.getByRole('button', { name: 'Turn my camera off' }).waitFor();
    for (const person of [oakAt, juniperAt])
      await person.page.waitForFunction(
        () =>
          [...document.querySelectorAll('.circle-tile')].some(
            (tile) =>
              tile.querySelector('.circle-name')?.textContent === 'Hazel Nut' &&
              (tile.querySelector('video') as HTMLVideoElement | null)?.videoWidth,
          ),
        null,
        { timeout: 15_000 },
      );
    for (const person of everyone()) await person.check();
  });

  it('stops forwarding a muted member’s sound in Janus, even when her browser sends anyway', async () => {
    await oakAt.page.getByRole('button', { name: 'Mute Hazel Nut' }).click();
    await hazelAt.page.getByRole('button', { name: 'Unmute my microphone' }).waitFor();
    // As a modified browser would: her microphone put back on her connection by hand.
    await hazelAt.page.evaluate(async () => {
      const microphone = await navigator.mediaDevices.getUserMedia({ audio: true });
      for (const pc of (window as unknown as { __connections: RTCPeerConnection[] }).__connections) {
        if (pc.signalingState === 'closed') continue;
        const audio = pc.getTransceivers().find((t) => t.receiver.track.kind === 'audio' && t.direction === 'sendonly');
        await audio?.sender.replaceTrack(microphone.getAudioTracks()[0]!);
      }
    });
    await pause(1000);
    const sent = await outbound(hazelAt);
    const heard = await Promise.all([inbound(oakAt), inbound(juniperAt)]);
    await pause(2500);
    expect(await outbound(hazelAt), 'her browser sends').toBeGreaterThan(sent);
    const later = await Promise.all([inbound(oakAt), inbound(juniperAt)]);
    expect(later.map((bytes) => bytes['Hazel Nut'])).toEqual(heard.map((bytes) => bytes['Hazel Nut']));
    expect(later[0]!['Juniper'], 'Juniper is still heard').toBeGreaterThan(heard[0]!['Juniper']!);

    await oakAt.page.getByRole('button', { name: 'Allow to unmute Hazel Nut' }).click();
    await oakAt.page.getByRole('button', { name: 'Mute Hazel Nut' }).waitFor();
    await pause(1000);
    const allowed = await inbound(oakAt);
    await pause(2000);
    expect((await inbound(oakAt))['Hazel Nut'], 'her sound comes through again').toBeGreaterThan(allowed['Hazel Nut']!);
    for (const person of everyone()) await person.check();
  });
});
