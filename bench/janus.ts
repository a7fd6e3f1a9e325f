/**
 * npm run bench:janus: what one Janus AudioBridge room costs, for docs/deploy.md (issue 14).
 *
 *   npm run bench:janus -- [--participants 12] [--seconds 30] [--rooms 1] [--janus-url http://127.0.0.1:8088/janus --janus-pid N]
 *
 * It starts Janus from the test harness's configuration (test/helpers/janus.ts: HTTP API on
 * loopback, AudioBridge and VideoRoom only), or uses the one at --janus-url (give its --janus-pid
 * to read its CPU and memory), and Debian's Chromium. Each participant is a browser context with
 * its own page, a steady tone of its own as microphone (Web Audio), and a PeerConnection, joined
 * to the room as Mutual joins people: a Janus handle per person, a token from the room's allowed
 * list, the browser's offer relayed to Janus and its answer back. It reports:
 *
 * - join → first audio: from the page making its microphone to the first RTP packet of the
 *   mix arriving (getStats inbound-rtp packetsReceived > 0), p50/p95 over the participants;
 * - Janus's CPU (utime + stime from /proc, as a share of one core) and resident memory, at rest
 *   and over --seconds with every participant sending and receiving;
 * - whether every participant's inbound audio kept growing (a check that the room really mixed).
 *
 * Janus's CPU time is its own whatever else runs, but on a 2-core machine the browsers' encoders
 * compete with it: the CPU of the Chromium processes is printed too.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { AudioBridge } from '../src/platform/media/janus-rooms.js';
import { Janus } from '../src/platform/media/janus.js';
import { startJanus } from '../test/helpers/janus.js';

const { values } = parseArgs({
  options: {
    participants: { type: 'string', default: '12' },
    seconds: { type: 'string', default: '30' },
    rooms: { type: 'string', default: '1' },
    'janus-url': { type: 'string', default: '' },
    'janus-pid': { type: 'string', default: '' },
  },
});
const participants = Number(values.participants);
const seconds = Number(values.seconds);
const rooms = Number(values.rooms);

const ticksPerSecond = 100; // Linux's USER_HZ, what /proc/<pid>/stat counts in

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** The processes started by this one (Chromium and its helpers, and Janus when the bench started it). */
function descendants(rootPid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found = new Set([rootPid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, parent] of parents)
      if (found.has(parent) && !found.has(pid)) {
        found.add(pid);
        grew = true;
      }
  }
  found.delete(rootPid);
  return [...found];
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
const round1 = (n: number) => Math.round(n * 10) / 10;

/** What each page runs: the microphone, one PeerConnection, the offer with its candidates gathered. */
async function makeOffer(page: Page): Promise<{ sdp: string; startedAt: number }> {
  return page.evaluate(async () => {
    const startedAt = performance.timeOrigin + performance.now();
    // A tone of its own for each person (Chromium's fake microphone runs out after a dozen pages).
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    tone.frequency.value = 200 + Math.random() * 600;
    const out = audio.createMediaStreamDestination();
    tone.connect(out);
    tone.start();
    const stream = out.stream;
    const pc = new RTCPeerConnection();
    for (const track of stream.getTracks()) pc.addTrack(track, stream);
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise<void>((resolve) => {
      if (pc.iceGatheringState === 'complete') resolve();
      pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
      setTimeout(resolve, 3_000);
    });
    (window as unknown as { pc: RTCPeerConnection }).pc = pc;
    return { sdp: pc.localDescription!.sdp, startedAt };
  });
}

/** Sets Janus's answer, then waits for the first packet of the mix: when it came (the machine's clock). */
async function firstPacket(page: Page, sdp: string): Promise<number> {
  return page.evaluate(async (answer) => {
    const pc = (window as unknown as { pc: RTCPeerConnection }).pc;
    await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    for (;;) {
      const stats = await pc.getStats();
      for (const report of stats.values())
        if (report.type === 'inbound-rtp' && report.kind === 'audio' && report.packetsReceived > 0)
          return performance.timeOrigin + performance.now();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }, sdp);
}

async function inboundBytes(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const pc = (window as unknown as { pc: RTCPeerConnection }).pc;
    let bytes = 0;
    for (const report of (await pc.getStats()).values())
      if (report.type === 'inbound-rtp' && report.kind === 'audio') bytes += report.bytesReceived as number;
    return bytes;
  });
}

async function main() {
  const ownJanus = values['janus-url'] ? undefined : await startJanus({ debugLevel: 2 });
  const url = values['janus-url'] || ownJanus!.url;
  const janusPid = ownJanus?.pid ?? Number(values['janus-pid']);
  const page = createServer((_req, res) => res.end('<!doctype html><title>bench</title>'));
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(page.address() as AddressInfo).port}/`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--autoplay-policy=no-user-gesture-required',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
  const janus = new Janus({ url });
  const session = await janus.createSession();
  const contexts: BrowserContext[] = [];
  try {
    const admin = new AudioBridge(await session.attach(AudioBridge.plugin));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const idle = janusPid ? { rss: rssMb(janusPid) } : undefined;
    const joins: number[] = [];
    const pages: Page[] = [];
    for (let r = 0; r < rooms; r++) {
      const secret = `bench-secret-${r}`;
      const tokens = Array.from({ length: participants }, (_, i) => `token-${r}-${i}`);
      const room = await admin.create({ secret, allowed: tokens });
      for (let i = 0; i < participants; i++) {
        const context = await browser.newContext();
        contexts.push(context);
        const p = await context.newPage();
        await p.goto(origin);
        const offer = await makeOffer(p);
        const bridge = new AudioBridge(await session.attach(AudioBridge.plugin));
        await bridge.join({ room, id: i + 1, token: tokens[i]!, muted: false });
        const answer = await bridge.configure({ jsep: { type: 'offer', sdp: offer.sdp }, muted: false });
        joins.push((await firstPacket(p, answer.sdp)) - offer.startedAt);
        pages.push(p);
      }
      const list = await admin.listParticipants(room);
      console.log(
        `room ${r + 1}: ${list.length} participants, ${list.filter((x) => x.setup).length} with media set up`,
      );
    }
    const sorted = [...joins].sort((a, b) => a - b);
    console.log(
      `join → first audio packet (${joins.length} joins, one at a time): p50 ${Math.round(percentile(sorted, 0.5))} ms, p95 ${Math.round(percentile(sorted, 0.95))} ms`,
    );

    // Let every stream settle, then measure.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const before = await Promise.all(pages.map(inboundBytes));
    const browserPids = descendants(process.pid).filter(
      (pid) => pid !== janusPid && !descendants(janusPid).includes(pid),
    );
    const janusCpu0 = janusPid ? cpuSeconds(janusPid) : 0;
    const browserCpu0 = browserPids.reduce((sum, pid) => sum + safeCpu(pid), 0);
    const start = performance.now();
    let peakRss = 0;
    while (performance.now() - start < seconds * 1000) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      if (janusPid) peakRss = Math.max(peakRss, rssMb(janusPid));
    }
    const elapsed = (performance.now() - start) / 1000;
    const after = await Promise.all(pages.map(inboundBytes));
    const growing = after.filter((bytes, i) => bytes > before[i]!).length;
    const kbits = after.reduce((sum, bytes, i) => sum + (bytes - before[i]!), 0) / pages.length / elapsed / 125;
    console.log(
      `inbound audio grew for ${growing} of ${pages.length} participants over ${round1(elapsed)} s (the mix: ${round1(kbits)} kbit/s each, RTP payload)`,
    );
    if (janusPid) {
      const cpu = ((cpuSeconds(janusPid) - janusCpu0) / elapsed) * 100;
      console.log(
        `janus: ${round1(cpu)}% of one core, RSS ${round1(idle!.rss)} MB at rest → ${round1(rssMb(janusPid))} MB (peak ${round1(peakRss)} MB) with ${rooms} room(s) of ${participants}`,
      );
    }
    const browserCpu = ((browserPids.reduce((sum, pid) => sum + safeCpu(pid), 0) - browserCpu0) / elapsed) * 100;
    console.log(`chromium (all ${browserPids.length} processes): ${round1(browserCpu)}% of one core`);
  } finally {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser.close();
    await session.destroy().catch(() => undefined);
    page.close();
    await ownJanus?.stop();
  }
}

function safeCpu(pid: number): number {
  try {
    return cpuSeconds(pid);
  } catch {
    return 0;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
