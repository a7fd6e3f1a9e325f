import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iceServersFor, relayOnly, type IcePlan } from '../../src/platform/media/turn.js';
import { startTurnServer, turnserverInstalled, turnserverPath, type TestTurnServer } from '../helpers/turn.js';
import { chromiumInstalled, chromiumPath, launchChromium } from './browser.js';

/*
 * The credentials Mutual issues against a real coturn: a real Chromium, given what
 * iceServersFor hands a person who hides their address, gathers a relay candidate from a real
 * turnserver (and nothing else); with a wrong secret it gathers none. coturn runs as whoever runs
 * the tests (root in CI), from a config in a temporary folder.
 */

if (process.env.CI === 'true' && (!chromiumInstalled || !turnserverInstalled)) {
  throw new Error(
    `${chromiumPath} and ${turnserverPath} must be installed for CI's media tests: apt-get install -y chromium coturn`,
  );
}

/** The candidates one RTCPeerConnection gathers with this plan, until gathering completes. */
function gather(page: Page, plan: IcePlan): Promise<{ candidates: string[]; sdp: string }> {
  return page.evaluate(
    async (config) => {
      const connection = new RTCPeerConnection(config);
      connection.createDataChannel('probe');
      const candidates: string[] = [];
      const done = new Promise<void>((resolve) => {
        connection.addEventListener('icecandidate', (event) => {
          if (event.candidate?.candidate) candidates.push(event.candidate.candidate);
        });
        connection.addEventListener('icegatheringstatechange', () => {
          if (connection.iceGatheringState === 'complete') resolve();
        });
      });
      await connection.setLocalDescription(await connection.createOffer());
      await done;
      const sdp = connection.localDescription?.sdp ?? '';
      connection.close();
      return { candidates, sdp };
    },
    plan as unknown as RTCConfiguration,
  );
}

describe.runIf(chromiumInstalled && turnserverInstalled)('TURN relay with a real coturn', { timeout: 60_000 }, () => {
  let turn: TestTurnServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    turn = await startTurnServer();
    browser = await launchChromium();
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await turn?.close();
  });

  it('gathers only a relay candidate from turnserver for a person who hides their address', async () => {
    const plan = iceServersFor({ turn: turn.settings, hideAddress: true });
    expect(plan.iceTransportPolicy).toBe('relay');
    const { candidates, sdp } = await gather(page, plan);
    expect(candidates.length, turn.log()).toBeGreaterThan(0);
    for (const candidate of candidates) expect(candidate).toMatch(/ typ relay( |$)/);
    // The relay's address is the TURN server's (127.0.0.1), in its relay port range.
    expect(candidates[0]).toContain(' 127.0.0.1 ');
    // The browser's own offer already holds nothing the server filter would take out.
    expect(
      relayOnly(sdp)
        .split('\r\n')
        .filter((l) => l.startsWith('a=candidate:')),
    ).toEqual(sdp.split(/\r?\n/).filter((l) => l.startsWith('a=candidate:')));
  });

  it('connects a person who hides their address through the relay, with their offer filtered as the server does', async () => {
    const hider = iceServersFor({ turn: turn.settings, hideAddress: true });
    const other = iceServersFor({ turn: turn.settings, hideAddress: false });
    const offer = await page.evaluate(
      async ([hiderPlan, otherPlan]) => {
        const complete = (c: RTCPeerConnection) =>
          new Promise<void>((resolve) => {
            if (c.iceGatheringState === 'complete') resolve();
            c.addEventListener('icegatheringstatechange', () => c.iceGatheringState === 'complete' && resolve());
          });
        const a = new RTCPeerConnection(hiderPlan);
        const b = new RTCPeerConnection(otherPlan);
        Object.assign(window, { hider: a, other: b });
        const channel = a.createDataChannel('talk');
        Object.assign(window, { opened: new Promise((resolve) => channel.addEventListener('open', resolve)) });
        await a.setLocalDescription(await a.createOffer());
        await complete(a);
        return a.localDescription!.sdp;
      },
      [hider, other] as unknown as [RTCConfiguration, RTCConfiguration],
    );
    const answer = await page.evaluate(async (sdp) => {
      const { other: b } = window as unknown as { other: RTCPeerConnection };
      await b.setRemoteDescription({ type: 'offer', sdp });
      await b.setLocalDescription(await b.createAnswer());
      await new Promise<void>((resolve) => {
        if (b.iceGatheringState === 'complete') resolve();
        b.addEventListener('icegatheringstatechange', () => b.iceGatheringState === 'complete' && resolve());
      });
      return b.localDescription!.sdp;
    }, relayOnly(offer));
    const selected = await page.evaluate(async (sdp) => {
      const { hider: a, opened } = window as unknown as { hider: RTCPeerConnection; opened: Promise<void> };
      await a.setRemoteDescription({ type: 'answer', sdp });
      await opened;
      const stats = [...(await a.getStats()).values()] as Record<string, unknown>[];
      const transport = stats.find((s) => s.type === 'transport');
      const pair = stats.find((s) => s.id === transport?.selectedCandidatePairId);
      const local = stats.find((s) => s.id === pair?.localCandidateId);
      a.close();
      (window as unknown as { other: RTCPeerConnection }).other.close();
      return local?.candidateType;
    }, answer);
    expect(selected).toBe('relay');
  });

  it('gathers no relay candidate with credentials made from another secret', async () => {
    const plan = iceServersFor({ turn: { ...turn.settings, secret: 'not-the-servers-secret' }, hideAddress: true });
    const { candidates } = await gather(page, plan);
    expect(candidates).toEqual([]);
  });

  it('gathers no relay candidate with credentials that have expired', async () => {
    const plan = iceServersFor({
      turn: turn.settings,
      hideAddress: true,
      now: new Date(Date.now() - 2 * turn.settings.ttlSeconds * 1000),
    });
    const { candidates } = await gather(page, plan);
    expect(candidates).toEqual([]);
  });
});
