import { networkInterfaces } from 'node:os';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isRelayCandidate } from '../../src/platform/media/turn.js';
import { createWorld, type Agent, type TestWorld } from '../helpers/app.js';
import { circleBase, liveMeeting } from '../helpers/circles.js';
import { makeGroup } from '../helpers/factories.js';
import type { LiveClient } from '../helpers/live.js';
import { startTurnServer, turnserverInstalled, turnserverPath, type TestTurnServer } from '../helpers/turn.js';
import { Audit, chromiumInstalled, chromiumPath, fakeMediaArgs, launchChromium, Person } from './browser.js';

/*
 * "Hide my network address" in a real voice circle, through a real coturn: Hazel, who goes by
 * "Hazel Nut" in the group (so the box is ticked for her), joins with Oak, who runs the group, and
 * Juniper, who does not hide. Everyone hears everyone; every connection of Hazel's runs through
 * the relay (the selected candidate pair, by getStats()); and of every frame Oak's and Juniper's
 * pages received over /live, none from Hazel holds a host or server-reflexive candidate, or any
 * address of this machine, while Juniper's do (so the frames were read). Even a candidate
 * Hazel's own account sends by hand past her browser reaches the others only if it is a relay's.
 */

if (process.env.CI === 'true' && (!chromiumInstalled || !turnserverInstalled)) {
  throw new Error(
    `${chromiumPath} and ${turnserverPath} must be installed for CI's media tests: apt-get install -y chromium coturn`,
  );
}

// Before any page script: every RTCPeerConnection the page makes is kept, for getStats().
const keepConnections = `{
  const Native = window.RTCPeerConnection;
  const all = (window.__connections = []);
  window.RTCPeerConnection = class extends Native {
    constructor(...args) { super(...args); all.push(this); }
  };
}`;

/** This machine's own addresses (not loopback: the test's relay is on 127.0.0.1). */
const machineAddresses = Object.values(networkInterfaces())
  .flat()
  .filter((i) => i && !i.internal)
  .map((i) => i!.address);

interface Signal {
  from: number;
  data: { kind: string; sdp?: string; candidate?: string };
}

/** Every candidate in a signal: the a=candidate lines of its SDP, or the trickled one. */
function candidatesOf(signal: Signal): string[] {
  if (signal.data.sdp) return signal.data.sdp.split(/\r?\n/).filter((l) => l.startsWith('a=candidate:'));
  return signal.data.candidate ? [signal.data.candidate] : [];
}

/** The type of the local candidate of each connected connection's selected pair, and the policy it runs with. */
function selectedPairs(person: Person): Promise<{ policy: string; local: string; remote: string }[]> {
  return person.page.evaluate(async () => {
    const all = (window as unknown as { __connections: RTCPeerConnection[] }).__connections;
    const pairs: { policy: string; local: string; remote: string }[] = [];
    for (const pc of all) {
      if (pc.connectionState !== 'connected') continue;
      const stats = [...(await pc.getStats()).values()] as Record<string, unknown>[];
      const transport = stats.find((s) => s.type === 'transport');
      const pair = stats.find((s) => s.id === transport?.selectedCandidatePairId);
      const type = (id: unknown) => String(stats.find((s) => s.id === id)?.candidateType);
      pairs.push({
        policy: String(pc.getConfiguration().iceTransportPolicy),
        local: type(pair?.localCandidateId),
        remote: type(pair?.remoteCandidateId),
      });
    }
    return pairs;
  });
}

describe.runIf(chromiumInstalled && turnserverInstalled)(
  'Hiding a network address in a voice circle, through coturn',
  { timeout: 60_000 },
  () => {
    let turn: TestTurnServer;
    let world: TestWorld;
    let browser: Browser;
    const audit = new Audit();
    let oakAt: Person;
    let hazelAt: Person;
    let juniperAt: Person;
    let hazelAgent: Agent;
    const sockets: LiveClient[] = [];
    let occurrenceId = 0;
    let circlePath = '';
    /** What each page received over /live, as parsed frames. */
    const received = new Map<Person, Record<string, unknown>[]>();

    beforeAll(async () => {
      turn = await startTurnServer();
      world = await createWorld({ circles: { turn: turn.settings } });
      const baseUrl = await world.app.listen({ port: 0, host: '127.0.0.1' });
      await world.createUser('Admin');
      const oak = await world.createUser('Oak');
      const group = await makeGroup(world, oak, { name: 'Carers at night', visibility: 'members' });
      const hazel = await world.createUser('Hazel');
      hazelAgent = world.agent();
      await hazelAgent.logIn(hazel.email, hazel.password);
      await hazelAgent.post(`/g/${group.slug}/join`, { alias: 'Hazel Nut' });
      const juniper = await world.createUser('Juniper');
      const juniperAgent = world.agent();
      await juniperAgent.logIn(juniper.email, juniper.password);
      await juniperAgent.post(`/g/${group.slug}/join`);
      occurrenceId = await liveMeeting(world, group, 'Night owls');
      circlePath = circleBase(occurrenceId);
      browser = await launchChromium(fakeMediaArgs);
      const open = async (name: string, who: { email: string; password: string }) => {
        const person = await Person.open(browser, baseUrl, name, audit);
        await person.context.addInitScript({ content: keepConnections });
        const frames: Record<string, unknown>[] = [];
        received.set(person, frames);
        person.page.on('websocket', (socket) =>
          socket.on('framereceived', ({ payload }) => {
            frames.push(JSON.parse(String(payload)) as Record<string, unknown>);
          }),
        );
        await person.logIn(who.email, who.password);
        return person;
      };
      [oakAt, hazelAt, juniperAt] = await Promise.all([
        open('Oak', oak),
        open('Hazel', hazel),
        open('Juniper', juniper),
      ]);
    }, 60_000);

    afterEach(() => {
      expect(audit.takeProblems()).toEqual([]);
    });

    afterAll(async () => {
      for (const socket of sockets) socket.close();
      await browser?.close();
      await world?.close();
      await turn?.close();
    });

    /** Joins from the device check page, with the address box as it is ticked for them. */
    async function join(person: Person, hides: boolean) {
      await person.visit(`${circlePath}/check`);
      expect(await person.page.getByLabel('Hide my network address').isChecked()).toBe(hides);
      await Promise.all([
        person.page.waitForURL((url) => url.pathname === circlePath),
        person.page.locator('#circle-join').getByRole('button').click(),
      ]);
      await person.page.locator('#circle .circle-tile').first().waitFor();
      await person.check();
    }

    /** Waits until every connection of this person's page is up, one for each of the others. */
    async function connected(person: Person, count: number) {
      await person.page.waitForFunction(
        (n) =>
          (window as unknown as { __connections: RTCPeerConnection[] }).__connections.filter(
            (pc) => pc.connectionState === 'connected',
          ).length >= n,
        count,
        { timeout: 20_000 },
      );
    }

    /** A participant's id, by their name in the group, from the state frames Oak's page received. */
    function pidOf(name: string): number {
      for (const frame of received.get(oakAt)!) {
        if (frame.type !== 'circle.state') continue;
        const found = (frame.participants as { pid: number; name: string }[]).find((p) => p.name === name);
        if (found) return found.pid;
      }
      throw new Error(`no state frame names ${name}`);
    }

    /** The signals a page received from one participant. */
    function signalsFrom(person: Person, pid: number): Signal[] {
      return received
        .get(person)!
        .filter((f) => f.type === 'circle.signal' && f.from === pid)
        .map((f) => f as unknown as Signal);
    }

    it('connects the person who hides her address only through the relay', async () => {
      await oakAt.visit(`/meetings/${occurrenceId}/room`);
      await oakAt.follow(() => oakAt.page.getByRole('button', { name: 'Open a voice circle' }).click());
      await join(oakAt, false);
      await join(juniperAt, false);
      await join(hazelAt, true);
      await Promise.all([connected(oakAt, 2), connected(hazelAt, 2), connected(juniperAt, 2)]);

      const hazels = await selectedPairs(hazelAt);
      expect(hazels).toHaveLength(2);
      for (const pair of hazels) {
        expect(pair.policy).toBe('relay');
        expect(pair.local, turn.log()).toBe('relay');
      }
      // The others, seen from their side, reach her at the relay too.
      for (const person of [oakAt, juniperAt]) {
        const theirs = await selectedPairs(person);
        expect(theirs.filter((p) => p.remote === 'relay').length).toBeGreaterThanOrEqual(1);
      }
    });

    it('delivers no candidate of hers but the relay’s, and no address of this machine, to anyone else', async () => {
      const pid = pidOf('Hazel Nut');
      for (const person of [oakAt, juniperAt]) {
        const signals = signalsFrom(person, pid);
        expect(signals.length, `${person.name} heard from Hazel`).toBeGreaterThan(0);
        const candidates = signals.flatMap(candidatesOf);
        expect(candidates.some(isRelayCandidate), `${person.name} got her relay candidate`).toBe(true);
        for (const candidate of candidates) {
          expect(isRelayCandidate(candidate), candidate).toBe(true);
          expect(candidate).not.toMatch(/ raddr (?!0\.0\.0\.0 )/);
        }
        const everything = JSON.stringify(signals);
        for (const address of machineAddresses) expect(everything).not.toContain(address);
        expect(everything).not.toContain('.local');
      }
      // Juniper, who does not hide, offers her own host address: the frames were read, and do carry them.
      const hers = signalsFrom(oakAt, pidOf('Juniper')).flatMap(candidatesOf);
      expect(hers.some((c) => / typ host( |$)/.test(c))).toBe(true);
    });

    it('passes on only relay candidates even when her account sends others past her browser', async () => {
      const pid = pidOf('Hazel Nut');
      const socket = await hazelAgent.live();
      sockets.push(socket);
      const circleId = Number(received.get(oakAt)!.find((f) => f.type === 'circle.state')!.circleId);
      expect(await socket.subscribe('circle', circleId)).toEqual({ type: 'subscribed', topic: 'circle', id: circleId });
      const to = pidOf('Juniper');
      const host = `candidate:1 1 udp 2122260223 ${machineAddresses[0]!} 50000 typ host generation 0`;
      const srflx = 'candidate:2 1 udp 1686052607 203.0.113.7 61234 typ srflx raddr 192.168.1.23 rport 50000';
      const relay = 'candidate:3 1 udp 33562367 127.0.0.1 50212 typ relay raddr 203.0.113.7 rport 61234';
      const before = signalsFrom(juniperAt, pid).length;
      for (const candidate of [host, srflx, relay]) {
        socket.send({
          type: 'send',
          topic: 'circle',
          id: circleId,
          data: { kind: 'candidate', to, candidate, sdpMid: '0' },
        });
      }
      await expect.poll(() => signalsFrom(juniperAt, pid).length, { timeout: 5000 }).toBeGreaterThan(before);
      // Give the two that must not come as long as the one that did.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const arrived = signalsFrom(juniperAt, pid).slice(before).flatMap(candidatesOf);
      expect(arrived).toEqual(['candidate:3 1 udp 33562367 127.0.0.1 50212 typ relay raddr 0.0.0.0 rport 0']);
    });
  },
);
