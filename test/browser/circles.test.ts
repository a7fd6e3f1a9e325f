import { sql } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../helpers/app.js';
import { makeGroup } from '../helpers/factories.js';
import { makeMeeting } from '../helpers/meetings.js';
import { Audit, chromiumInstalled, chromiumPath, fakeMediaArgs, launchChromium, Person } from './browser.js';

/*
 * A voice circle in three browsers, with Chromium's fake microphone (a beep every second): Oak,
 * who runs the group, opens it from the meeting's live room; Hazel (who goes by "Hazel Nut" in
 * the group) and Juniper check their microphone and join. Each hears the other two: the audio
 * bytes arriving from each of them, measured with RTCPeerConnection.getStats() and matched to
 * their tile by track, keep growing. Oak mutes Hazel: her browser stops sending at once, the
 * others stop playing her, and she cannot unmute until he allows it. In talking-stick mode only
 * the holder's microphone (and the facilitator's) is open. The share timer counts down for all
 * and says when the time is up; ending the circle ends it for everyone. Then a professionally run
 * group's video circle: Hazel waits until Oak lets her in, her camera stays off (nothing sent)
 * until she turns it on, and Oak sees her picture. Someone whose browser refuses the microphone
 * gets clear help on the device check page. Every page is checked with axe-core as it changes.
 */

if (!chromiumInstalled && process.env.CI === 'true') {
  throw new Error(`${chromiumPath} is missing, and CI must run the browser journeys: apt-get install -y chromium`);
}

// Before any page script: every RTCPeerConnection the page makes is kept, for getStats().
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
    const all = (window as unknown as { __connections: RTCPeerConnection[] }).__connections;
    for (const pc of all) {
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

/** Audio (or video) bytes this person's browser has sent, to everyone together. */
function outbound(person: Person, kind: 'audio' | 'video' = 'audio'): Promise<number> {
  return person.page.evaluate(async (kind) => {
    let sent = 0;
    const all = (window as unknown as { __connections: RTCPeerConnection[] }).__connections;
    for (const pc of all) {
      if (pc.signalingState === 'closed') continue;
      (await pc.getStats()).forEach((s: { type: string; kind?: string; bytesSent?: number }) => {
        if (s.type === 'outbound-rtp' && s.kind === kind) sent += s.bytesSent ?? 0;
      });
    }
    return sent;
  }, kind);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.runIf(chromiumInstalled)('Voice and video circles in the browser', { timeout: 60_000 }, () => {
  let world: TestWorld;
  let browser: Browser;
  const audit = new Audit();
  let oakAt: Person;
  let hazelAt: Person;
  let juniperAt: Person;
  let occurrenceId = 0;
  let roomPath = '';
  let circlePath = '';
  // A professionally run group's meeting: a video circle, with a waiting room.
  let videoRoomPath = '';
  let videoCirclePath = '';

  beforeAll(async () => {
    world = await createWorld();
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
    const clinic = await makeGroup(world, oak, {
      name: 'Clinic evening',
      visibility: 'members',
      leadership: 'professional',
    });
    await hazelAgent.post(`/g/${clinic.slug}/join`, { alias: 'Hazel Nut' });
    await juniperAgent.post(`/g/${clinic.slug}/join`);
    const video = await makeMeeting(world, clinic, {
      starts: [new Date(Date.now() - 5 * 60_000)],
      kind: 'online',
      title: 'Clinic circle',
    });
    videoRoomPath = `/meetings/${video.occurrenceIds[0]}/room`;
    videoCirclePath = `/meetings/${video.occurrenceIds[0]}/circle`;
    roomPath = `/meetings/${occurrenceId}/room`;
    circlePath = `/meetings/${occurrenceId}/circle`;
    browser = await launchChromium(fakeMediaArgs);
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
    await world?.close();
  });

  /** Checks the microphone on the device check page (its meter moves), then joins the circle. */
  async function join(person: Person, path = circlePath) {
    await person.visit(`${path}/check`);
    await person.page.waitForFunction(
      () => Number((document.getElementById('device-check-level') as HTMLMeterElement | null)?.value) > 0,
    );
    expect(await person.page.getByLabel('Microphone', { exact: true }).inputValue()).not.toBe('');
    await person.check();
    await Promise.all([
      person.page.waitForURL((url) => url.pathname === path),
      person.page.locator('#circle-join').getByRole('button').click(),
    ]);
    await person.page.locator('#circle').waitFor();
    await person.check();
  }

  /** Waits until this person's page plays sound from each of the others, by their tiles. */
  async function hearing(person: Person, names: string[]) {
    await person.page.waitForFunction(
      (expected) =>
        expected.every((name) =>
          [...document.querySelectorAll('.circle-tile')].some(
            (tile) =>
              tile.querySelector('.circle-name')?.textContent === name && tile.querySelector('audio')?.srcObject,
          ),
        ),
      names,
      { timeout: 20_000 },
    );
  }

  /** The device check page's help, for someone whose browser refuses the microphone. */
  async function refusedAt(path: string) {
    const refused = await Person.open(browser, new URL(juniperAt.page.url()).origin, 'Juniper refusing', audit);
    await refused.context.addCookies(await juniperAt.context.cookies());
    await refused.context.addInitScript({
      content: `navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));`,
    });
    await refused.visit(`${path}/check`);
    await refused.page.locator('#device-check-denied').waitFor();
    expect(await refused.page.locator('#device-check-tools').isHidden()).toBe(true);
    expect(await refused.page.locator('#device-check-failed').isHidden()).toBe(true);
    await refused.check();
    await refused.close();
  }

  const everyone = () => [oakAt, hazelAt, juniperAt];
  const tileNames: Record<string, string> = { Oak: 'Oak', Hazel: 'Hazel Nut', Juniper: 'Juniper' };
  const othersOf = (person: Person) => everyone().filter((p) => p !== person);

  it('lets the facilitator open a voice circle; three people check their microphone, join and hear each other', async () => {
    await oakAt.visit(roomPath);
    await oakAt.follow(() => oakAt.page.getByRole('button', { name: 'Open a voice circle' }).click());
    for (const person of everyone()) await join(person);
    for (const person of everyone())
      await hearing(
        person,
        othersOf(person).map((p) => tileNames[p.name]!),
      );

    const first = await Promise.all(everyone().map((person) => inbound(person)));
    await pause(2500);
    const then = await Promise.all(everyone().map((person) => inbound(person)));
    everyone().forEach((person, i) => {
      for (const other of othersOf(person)) {
        const name = tileNames[other.name]!;
        expect(first[i]![name], `${person.name} hears ${name}`).toBeGreaterThan(0);
        expect(then[i]![name], `${person.name} keeps hearing ${name}`).toBeGreaterThan(first[i]![name]!);
      }
    });
    // Names in the group only: Hazel's account name is nowhere on the others' pages.
    expect(await oakAt.page.locator('#circle').textContent()).toContain('Hazel Nut');
    for (const person of everyone()) await person.check();
  });

  it('stops a muted member’s sound at her browser and at the others’, until the facilitator allows her to unmute', async () => {
    await oakAt.page.getByRole('button', { name: 'Mute Hazel Nut' }).click();
    const unmute = hazelAt.page.getByRole('button', { name: 'Unmute my microphone' });
    await unmute.waitFor();
    expect(await unmute.isDisabled()).toBe(true);
    await hazelAt.page.getByRole('status').filter({ hasText: 'A facilitator muted you.' }).waitFor();
    // The others do not play her, whatever her browser might still send.
    await oakAt.page.waitForFunction(() =>
      [...document.querySelectorAll('.circle-tile')].some(
        (tile) => tile.querySelector('.circle-name')?.textContent === 'Hazel Nut' && tile.querySelector('audio')?.muted,
      ),
    );
    await pause(500);
    const sent = await outbound(hazelAt);
    const heard = await Promise.all([inbound(oakAt), inbound(juniperAt)]);
    await pause(2000);
    expect(await outbound(hazelAt)).toBe(sent);
    const later = await Promise.all([inbound(oakAt), inbound(juniperAt)]);
    expect(later.map((bytes) => bytes['Hazel Nut'])).toEqual(heard.map((bytes) => bytes['Hazel Nut']));
    // Juniper is still heard meanwhile.
    expect(later[0]!['Juniper']).toBeGreaterThan(heard[0]!['Juniper']!);
    await hazelAt.check();
    await oakAt.check();

    await oakAt.page.getByRole('button', { name: 'Allow to unmute Hazel Nut' }).click();
    await hazelAt.page.getByRole('status').filter({ hasText: 'allows you to unmute' }).waitFor();
    if (await unmute.isVisible()) {
      await hazelAt.page.locator('button:enabled', { hasText: 'Unmute my microphone' }).waitFor();
      await unmute.click();
    }
    await hazelAt.page.getByRole('button', { name: 'Mute my microphone' }).waitFor();
    const again = await outbound(hazelAt);
    await pause(1500);
    expect(await outbound(hazelAt)).toBeGreaterThan(again);
  });

  it('opens only the holder’s microphone in talking-stick mode (and the facilitator’s)', async () => {
    await oakAt.page.getByRole('button', { name: 'Use a talking stick' }).click();
    await hazelAt.page.getByText('Talking stick: only the person holding it speaks').waitFor();
    await juniperAt.page.getByRole('button', { name: 'Raise my hand' }).click();
    await oakAt.page.getByRole('status').filter({ hasText: 'Juniper raised their hand.' }).waitFor();
    expect(await oakAt.page.getByRole('list', { name: 'Raised hands, in order' }).textContent()).toBe('Juniper');
    await oakAt.page.getByRole('button', { name: 'Pass the stick to the next raised hand' }).click();
    await juniperAt.page.getByRole('status').filter({ hasText: 'You have the talking stick now.' }).waitFor();
    await hazelAt.page.getByText('Juniper has the talking stick.').waitFor();
    await hazelAt.page.getByText('Only the person with the talking stick can speak now.').waitFor();

    await pause(500);
    const before = await Promise.all(everyone().map((person) => outbound(person)));
    await pause(2000);
    const after = await Promise.all(everyone().map((person) => outbound(person)));
    const [oak, hazel, juniper] = [0, 1, 2].map((i) => after[i]! - before[i]!);
    expect(juniper, 'the holder speaks').toBeGreaterThan(0);
    expect(oak, 'the facilitator may always speak').toBeGreaterThan(0);
    expect(hazel, 'nobody else is sent').toBe(0);
    for (const person of everyone()) await person.check();
  });

  it('shows everyone the share timer, and says gently when the time is up', async () => {
    await oakAt.page.getByLabel('Share timer').selectOption({ label: '1 minute a share' });
    await oakAt.page.getByRole('button', { name: 'Set the timer' }).click();
    await oakAt.page.getByRole('button', { name: 'Start the timer for a share' }).click();
    for (const person of everyone())
      await person.page
        .getByRole('timer')
        .getByText(/Time left for this share: [01]:\d\d/)
        .waitFor();
    // Nearly a minute later (the start moved back in the database), and any change sends the state again.
    await world.database.db.execute(
      sql`update circles set share_started_at = now() - interval '58 seconds' where occurrence_id = ${occurrenceId}`,
    );
    await hazelAt.page.getByRole('button', { name: 'Raise my hand' }).click();
    for (const person of everyone())
      await person.page.getByText('Time for this share is up.', { exact: false }).first().waitFor({ timeout: 8000 });
    await hazelAt.page.getByRole('status').filter({ hasText: 'Time for this share is up.' }).waitFor();
    for (const person of everyone()) await person.check();
  });

  it('tells the others when someone leaves', async () => {
    await Promise.all([
      hazelAt.page.waitForURL((url) => url.pathname === roomPath),
      hazelAt.page.getByRole('button', { name: 'Leave the circle' }).click(),
    ]);
    await oakAt.page.getByRole('status').filter({ hasText: 'Hazel Nut left the circle.' }).waitFor();
    await juniperAt.page.locator('.circle-tile', { hasText: 'Hazel Nut' }).waitFor({ state: 'detached' });
    await hazelAt.check();
    await oakAt.check();
  });

  it('ends the circle for everyone at once', async () => {
    await oakAt.page.getByRole('button', { name: 'End the circle for everyone' }).click();
    await juniperAt.page.getByText('The circle has ended.').first().waitFor();
    // Her browser let go of every connection (and of her microphone).
    await juniperAt.page.waitForFunction(() =>
      (window as unknown as { __connections: RTCPeerConnection[] }).__connections.every(
        (pc) => pc.signalingState === 'closed',
      ),
    );
    expect(await juniperAt.page.getByRole('button', { name: 'Mute my microphone' }).count()).toBe(0);
    await juniperAt.check();
    await oakAt.check();
  });

  it('runs a video circle with a waiting room: the facilitator lets Hazel in; her camera is off until she turns it on', async () => {
    await oakAt.visit(videoRoomPath);
    await oakAt.follow(() => oakAt.page.getByRole('button', { name: 'Open a video circle' }).click());
    await join(oakAt, videoCirclePath);
    await refusedAt(videoCirclePath);
    await join(hazelAt, videoCirclePath);
    await hazelAt.page.getByText('You are waiting to be let in.').waitFor();
    await oakAt.page.getByRole('status').filter({ hasText: 'Hazel Nut is waiting to be let in.' }).waitFor();
    await oakAt.check();
    await oakAt.page.getByRole('button', { name: 'Let in Hazel Nut' }).click();
    await hazelAt.page.getByRole('status').filter({ hasText: 'You are in the circle now.' }).waitFor();
    await hearing(hazelAt, ['Oak']);
    await hearing(oakAt, ['Hazel Nut']);

    // Camera off by default: no picture of her anywhere, nothing sent.
    const tileOfHazel = oakAt.page.locator('.circle-tile', { hasText: 'Hazel Nut' });
    expect(await tileOfHazel.locator('video').count()).toBe(0);
    expect(await outbound(hazelAt, 'video')).toBe(0);
    await hazelAt.page.getByRole('button', { name: 'Turn my camera on' }).click();
    await hazelAt.page.getByRole('button', { name: 'Turn my camera off' }).waitFor();
    await oakAt.page.waitForFunction(
      () =>
        [...document.querySelectorAll<HTMLVideoElement>('.circle-tile video')].some((video) => video.videoWidth > 0),
      null,
      { timeout: 15_000 },
    );
    expect(await tileOfHazel.locator('video').getAttribute('aria-label')).toBe('Camera of Hazel Nut');
    await oakAt.check();
    await hazelAt.check();

    await hazelAt.page.getByRole('button', { name: 'Turn my camera off' }).click();
    await tileOfHazel.locator('video').waitFor({ state: 'detached' });
    const pictures = await outbound(hazelAt, 'video');
    await pause(1000);
    expect(await outbound(hazelAt, 'video')).toBe(pictures);
  });
});
