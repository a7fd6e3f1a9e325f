/**
 * npm run bench:circles: how long a person waits, after pressing "Join", until they hear the circle
 * (issue 14). Not a timed test; the figures go in bench/README.md and the note.
 *
 *   npm run bench:circles                       # 20 joins of a mesh circle
 *   npm run bench:circles -- --joins 30 --already 3
 *   npm run bench:circles -- --janus                                 # through a Janus it starts (mesh limit 1)
 *   npm run bench:circles -- --janus-url http://127.0.0.1:8088/janus   # through that Janus
 *
 * One Mutual process in this one (buildApp on a fresh embedded database, listening on loopback),
 * and Debian's Chromium with its fake microphone (a beep) granted without asking. A facilitator
 * opens a voice circle for a meeting under way and joins it, with --already - 1 members; then, one
 * after another, --joins members each open the device check page in their own browser context (logged
 * in beforehand, not timed), press "Join", and wait until the first audio packet from the circle
 * arrives (getStats: an inbound-rtp audio stream with packetsReceived > 0, looked at every 10 ms
 * by the page itself). They leave before the next one comes, so each join meets the same circle.
 * The time runs from the click to that packet, on this machine's clock in both processes: the
 * join form's post and redirect, the circle page and its island, /live, the ICE servers, the
 * microphone, the offers and answers relayed by the server, ICE, DTLS and the first RTP packet.
 *
 * With --janus (Janus started from the test harness's configuration, test/helpers/janus.ts) or
 * --janus-url, the circle's mesh limit is 1, so it moves to Janus when the second person is let in,
 * and every later join goes through Janus's AudioBridge (the first audio packet is then the mix).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { buildApp } from '../src/app.js';
import { signUp } from '../src/features/accounts/service.js';
import { createGroup, joinGroup } from '../src/features/groups/index.js';
import { meetingOccurrences, meetings } from '../src/features/meetings/schema.js';
import { openDatabase } from '../src/platform/db/client.js';
import { createJobQueue } from '../src/platform/jobs/queue.js';
import { createMailTransport, queuedMailer } from '../src/platform/mail/mailer.js';
import { folderStorage } from '../src/platform/storage/index.js';
import { startJanus } from '../test/helpers/janus.js';

const { values } = parseArgs({
  options: {
    joins: { type: 'string', default: '20' },
    /** People in the circle before the timed joins, the facilitator included. */
    already: { type: 'string', default: '2' },
    janus: { type: 'boolean', default: false },
    'janus-url': { type: 'string', default: '' },
  },
});
const joins = Number(values.joins);
const already = Math.max(1, Number(values.already));
const ownJanus = values.janus && !values['janus-url'] ? await startJanus({ debugLevel: 2 }) : undefined;
const janusUrl = values['janus-url'] || ownJanus?.url;
const password = 'bench-password';

// Before the page's own scripts: the moment the first audio packet from anyone arrives.
const watchFirstAudio = `{
  const Native = window.RTCPeerConnection;
  const all = [];
  window.RTCPeerConnection = class extends Native {
    constructor(...args) { super(...args); all.push(this); }
  };
  const look = async () => {
    for (const pc of all) {
      if (pc.signalingState === 'closed') continue;
      const stats = await pc.getStats();
      for (const s of stats.values())
        if (s.type === 'inbound-rtp' && s.kind === 'audio' && s.packetsReceived > 0) {
          window.__firstAudioAt = performance.timeOrigin + performance.now();
          return;
        }
    }
    setTimeout(look, 10);
  };
  look();
}`;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'mutual-bench-circles-'));
  const database = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'db') });
  await database.migrate();
  const jobs = createJobQueue(database, { worker: false, report: (error) => console.error(error) });
  const from = 'Mutual <no-reply@bench.test>';
  const mailer = queuedMailer(jobs, createMailTransport({ db: database.db, smtpUrl: undefined, from }), from);
  await jobs.start();
  const app = await buildApp({
    database,
    mailer,
    files: folderStorage(join(dir, 'files')),
    baseUrl: 'http://127.0.0.1',
    cookieSecret: randomBytes(32).toString('hex'),
    logLevel: 'silent',
    circles: janusUrl ? { meshLimit: 1, janus: { url: janusUrl } } : { meshLimit: 6 },
    limits: { logIn: { max: 10_000, timeWindow: 60_000 } },
  });
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });

  // The people, the group and a meeting under way, written through the services.
  const people = [];
  for (let i = 0; i < already + joins; i += 1) {
    const pseudonym = i === 0 ? 'Facilitator' : `Member ${i}`;
    const email = `bench${i}@example.org`;
    const user = await signUp(database.db, { email, password, pseudonym });
    people.push({ id: user.id, pseudonym, email, isAdmin: false });
  }
  const group = await createGroup(database.db, people[0]!, {
    name: 'Bench circle',
    summary: 'A group for measuring circles.',
    description: 'We meet here.',
    tags: 'bench',
    language: 'en',
    leadership: 'peer',
    visibility: 'members',
  });
  for (const person of people.slice(1)) await joinGroup(database.db, person, group.slug);
  const starts = new Date(Date.now() - 5 * 60_000);
  const [meeting] = await database.db
    .insert(meetings)
    .values({
      groupId: group.id,
      title: 'Bench meeting',
      kind: 'online',
      timeZone: 'UTC',
      startsAt: starts,
      durationMinutes: 240,
    })
    .returning({ id: meetings.id });
  const [occurrence] = await database.db
    .insert(meetingOccurrences)
    .values({
      meetingId: meeting!.id,
      groupId: group.id,
      originalStartsAt: starts,
      startsAt: starts,
      endsAt: new Date(starts.getTime() + 240 * 60_000),
    })
    .returning({ id: meetingOccurrences.id });
  const circlePath = `/meetings/${occurrence!.id}/circle`;

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
  });
  const open = async (email: string) => {
    const context = await browser.newContext({ baseURL: baseUrl, locale: 'en-GB' });
    context.setDefaultTimeout(30_000);
    await context.addInitScript({ content: watchFirstAudio });
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Log in', exact: true }).click()]);
    return page;
  };
  const checkAndJoin = async (page: Page) => {
    await page.goto(`${circlePath}/check`);
    await page.waitForFunction(
      () => Number((document.getElementById('device-check-level') as HTMLMeterElement | null)?.value) > 0,
    );
    const clicked = Date.now();
    await Promise.all([
      page.waitForURL((url) => url.pathname === circlePath),
      page.locator('#circle-join').getByRole('button').click(),
    ]);
    return clicked;
  };

  // The facilitator opens the circle and stays; so do the members already there.
  const facilitator = await open(people[0]!.email);
  await facilitator.goto(`/meetings/${occurrence!.id}/room`);
  await Promise.all([
    facilitator.waitForEvent('load'),
    facilitator.getByRole('button', { name: 'Open a voice circle' }).click(),
  ]);
  const staying = [facilitator];
  for (const person of people.slice(1, already)) staying.push(await open(person.email));
  for (const page of staying) await checkAndJoin(page);

  const times: number[] = [];
  for (const person of people.slice(already)) {
    const page = await open(person.email);
    const clicked = await checkAndJoin(page);
    const heard = (await (
      await page.waitForFunction(() => (window as unknown as { __firstAudioAt?: number }).__firstAudioAt, null, {
        timeout: 30_000,
        polling: 10,
      })
    ).jsonValue()) as number;
    times.push(heard - clicked);
    process.stdout.write(`${Math.round(heard - clicked)} `);
    await Promise.all([
      page.waitForURL((url) => url.pathname !== circlePath),
      page.getByRole('button', { name: 'Leave the circle' }).click(),
    ]);
    await page.context().close();
  }
  times.sort((a, b) => a - b);
  console.log(
    `\n${janusUrl ? 'Janus' : 'mesh'}, ${already} already in the circle, ${joins} joins: "Join" → first audio packet p50 ${percentile(times, 0.5).toFixed(0)} ms, p95 ${percentile(times, 0.95).toFixed(0)} ms (min ${times[0]!.toFixed(0)}, max ${times.at(-1)!.toFixed(0)})`,
  );

  await browser.close();
  await app.close();
  await jobs.stop();
  await database.close();
  await ownJanus?.stop();
  await rm(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
