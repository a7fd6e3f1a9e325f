import { pollOptions, polls } from '../../src/features/polls/schema.js';
import type { GroupFixture } from '../helpers/permission-world.js';
import { NO_ID, permissionWorld, shows, type Form, type GroupCase, type SiteCase } from './cases.js';
import { allowIf, loggedIn, moderates, onContent, readsDiscussions, takesPart } from './oracle.js';

/*
 * The permission table's cases for polls (run by table.ts with the rest). The README's rules:
 * starting a poll is starting a thread (members in good standing); voting is replying; a poll's
 * creator (here the member) and the moderators close it; "find a time" is for those who schedule
 * the group's meetings (moderators and above) and who may start a thread there.
 */

const nextYear = new Date().getUTCFullYear() + 1;

/**
 * A poll in a new thread by the member, written straight to the tables: a "find a time" poll
 * (closed, ready to schedule) or a one-answer question (open).
 */
async function freshPoll(g: GroupFixture, kind: 'choice' | 'time' = 'choice') {
  const pw = permissionWorld();
  const db = pw.world.database.db;
  const thread = await pw.freshThread(g);
  const time = kind === 'time';
  const [poll] = await db
    .insert(polls)
    .values({
      groupId: g.id,
      threadId: thread.id,
      createdBy: pw.people.member.id,
      kind,
      question: time ? 'Spring walk' : 'Which day suits you?',
      multiple: time,
      timeZone: time ? 'Europe/London' : null,
      durationMinutes: time ? 60 : null,
      closedAt: time ? new Date() : null,
    })
    .returning({ id: polls.id });
  const options = await db
    .insert(pollOptions)
    .values(
      [0, 1].map((position) => ({
        pollId: poll!.id,
        groupId: g.id,
        position,
        label: time ? `${nextYear}-0${position + 5}-10 18:00` : ['Monday', 'Thursday'][position]!,
        startsAt: time ? new Date(`${nextYear}-0${position + 5}-10T17:00:00Z`) : null,
      })),
    )
    .returning({ id: pollOptions.id });
  return { threadId: thread.id, pollId: poll!.id, optionIds: options.map((o) => o.id) };
}

// The GET cases' targets, made once per group and never changed.
const shared = new Map<string, Promise<Awaited<ReturnType<typeof freshPoll>>>>();
function sharedPoll(g: GroupFixture, kind: 'choice' | 'time') {
  const key = `${g.id}:${kind}`;
  if (!shared.has(key)) shared.set(key, freshPoll(g, kind));
  return shared.get(key)!;
}

const pollForm = (): Form => ({
  question: 'Which day suits you?',
  options: 'Monday\nThursday',
  votes: 'named',
  results: 'after_vote',
});

const timeForm = (): Form => ({
  rows: '2',
  title: 'Spring walk',
  duration: '60',
  date_0: `${nextYear}-05-10`,
  time_0: '18:00',
  date_1: `${nextYear}-06-10`,
  time_1: '18:00',
  votes: 'named',
});

/** Offering meeting times: those who schedule meetings, when they may also start the thread. */
const startsTimePolls = (r: Parameters<typeof moderates>[0], k: Parameters<typeof takesPart>[1]) =>
  moderates(r) && takesPart(r, k);

export const groupCases: GroupCase[] = [
  {
    method: 'GET',
    route: '/g/:slug/t/:id',
    label: 'a thread with a poll',
    async request(g) {
      const { threadId } = await sharedPoll(g, 'choice');
      return { url: `/g/${g.slug}/t/${threadId}`, missing: `/g/${g.slug}/t/${NO_ID}` };
    },
    expect: (r, k) => (readsDiscussions(r, k) ? 'ok' : 'notFound'),
    // Everyone who reads it sees the poll; only those who may reply get the form to vote.
    check: (body, r, g) =>
      readsDiscussions(r, g.kind)
        ? [...shows(body, 'Which day suits you?', true), ...shows(body, '/vote"', takesPart(r, g.kind))]
        : [],
  },
  {
    method: 'GET',
    route: '/g/:slug/polls/new',
    request: (g) => ({ url: `/g/${g.slug}/polls/new` }),
    expect: (r, k) => loggedIn(r, () => allowIf(takesPart(r, k))),
  },
  {
    method: 'POST',
    route: '/g/:slug/polls/new',
    request: (g) => ({ url: `/g/${g.slug}/polls/new`, form: pollForm() }),
    expect: (r, k) => loggedIn(r, () => allowIf(takesPart(r, k))),
  },
  {
    method: 'GET',
    route: '/g/:slug/polls/find-a-time',
    request: (g) => ({ url: `/g/${g.slug}/polls/find-a-time` }),
    expect: (r, k) => loggedIn(r, () => allowIf(startsTimePolls(r, k))),
  },
  {
    method: 'POST',
    route: '/g/:slug/polls/find-a-time',
    request: (g) => ({ url: `/g/${g.slug}/polls/find-a-time`, form: timeForm() }),
    expect: (r, k) => loggedIn(r, () => allowIf(startsTimePolls(r, k))),
  },
  {
    method: 'POST',
    route: '/polls/:id/vote',
    async request(g) {
      const { pollId, optionIds } = await freshPoll(g);
      return { url: `/polls/${pollId}/vote`, form: { option: String(optionIds[0]) }, missing: `/polls/${NO_ID}/vote` };
    },
    expect: (r, k) => onContent(r, k, () => allowIf(takesPart(r, k))),
  },
  {
    method: 'POST',
    route: '/polls/:id/close',
    async request(g) {
      const { pollId } = await freshPoll(g);
      return { url: `/polls/${pollId}/close`, missing: `/polls/${NO_ID}/close` };
    },
    // The member started it.
    expect: (r, k) => onContent(r, k, () => allowIf(r === 'member' || moderates(r))),
  },
  {
    method: 'GET',
    route: '/polls/:id/schedule',
    async request(g) {
      const { pollId } = await sharedPoll(g, 'time');
      return { url: `/polls/${pollId}/schedule`, missing: `/polls/${NO_ID}/schedule` };
    },
    expect: (r, k) => onContent(r, k, () => allowIf(moderates(r))),
  },
  {
    method: 'POST',
    route: '/polls/:id/schedule',
    async request(g) {
      const { pollId, optionIds } = await freshPoll(g, 'time');
      return {
        url: `/polls/${pollId}/schedule`,
        form: { option: String(optionIds[0]), title: 'Spring walk', kind: 'online' },
        missing: `/polls/${NO_ID}/schedule`,
      };
    },
    expect: (r, k) => onContent(r, k, () => allowIf(moderates(r))),
  },
];
export const siteCases: SiteCase[] = [];
