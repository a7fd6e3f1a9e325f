import { chatRooms } from '../../src/features/chat/schema.js';
import { circleParticipants, circles } from '../../src/features/circles/schema.js';
import type { GroupFixture, Person, Role } from '../helpers/permission-world.js';
import { makeMeeting } from '../helpers/meetings.js';
import {
  NO_GROUP,
  NO_ID,
  permissionWorld,
  shows,
  type Form,
  type GroupCase,
  type Req,
  type SiteCase,
} from './cases.js';
import { allowIf, loggedIn, manages, moderates, readsDiscussions, takesPart, type Expected } from './oracle.js';

/*
 * The permission table's cases for voice and video circles (run by table.ts with the rest). The
 * README's rules, as the meeting's live room has them: a circle is opened, run and ended by
 * moderators and above; joined by members who may take part (never the banned, nor admins who
 * are not members); its state, its signals and its TURN credentials are for people in it who may
 * still take part. Each role's person is written into the circles as let in, so that the table
 * proves the server refuses whoever may not take part even with a place in the circle.
 */

const db = () => permissionWorld().world.database.db;
let made = 0;

interface CircleFixture {
  occurrenceId: number;
  circleId: number;
}

/** An open circle of a live meeting of the group (started ten minutes ago), with these people let in. */
async function freshCircle(
  g: GroupFixture,
  people: (Person | null)[],
  opts: { kind?: 'voice' | 'video'; mode?: 'open' | 'stick'; shareSeconds?: number | null } = {},
): Promise<CircleFixture> {
  const pw = permissionWorld();
  const { occurrenceIds } = await makeMeeting(pw.world, g, {
    starts: [new Date(Date.now() - 10 * 60_000)],
    kind: 'online',
    title: `Circle ${++made} of ${g.slug}`,
  });
  const occurrenceId = occurrenceIds[0]!;
  // A circle is opened from the meeting's live room, so its room is there already (the first
  // visit to a room makes it, a write no later visit repeats).
  await db().insert(chatRooms).values({ groupId: g.id, occurrenceId });
  const [circle] = await db()
    .insert(circles)
    .values({
      occurrenceId,
      groupId: g.id,
      kind: opts.kind ?? 'voice',
      waitingRoom: false,
      mode: opts.mode ?? 'open',
      shareSeconds: opts.shareSeconds ?? null,
    })
    .returning({ id: circles.id });
  for (const person of people) if (person) await seat(circle!.id, g, person);
  return { occurrenceId, circleId: circle!.id };
}

/** A person in the circle: let in (or waiting), seen just now. */
async function seat(
  circleId: number,
  g: GroupFixture,
  person: Person,
  opts: { status?: 'admitted' | 'waiting'; hand?: boolean } = {},
): Promise<number> {
  const [row] = await db()
    .insert(circleParticipants)
    .values({
      circleId,
      groupId: g.id,
      userId: person.id,
      status: opts.status ?? 'admitted',
      hideAddress: false,
      lastSeenAt: new Date(),
      handRaisedAt: opts.hand ? new Date() : null,
    })
    .returning({ id: circleParticipants.id });
  return row!.id;
}

/** Someone new in the group, let into the circle (or waiting): the one a leader acts on. */
async function freshParticipant(
  g: GroupFixture,
  c: CircleFixture,
  opts: { status?: 'admitted' | 'waiting'; hand?: boolean } = {},
) {
  const pw = permissionWorld();
  const person = await pw.freshPerson();
  await pw.giveRole(person, 'member', g);
  return seat(c.circleId, g, person, opts);
}

// The GET cases' circle: everyone of every role seated in it, made once per group and never changed.
const shared = new Map<number, Promise<CircleFixture>>();
function sharedCircle(g: GroupFixture): Promise<CircleFixture> {
  let found = shared.get(g.id);
  if (!found) {
    const people = Object.values(permissionWorld().people);
    shared.set(g.id, (found = freshCircle(g, people)));
  }
  return found;
}

const base = (c: CircleFixture) => `/meetings/${c.occurrenceId}/circle`;
const missingBase = `/meetings/${NO_ID}/circle`;

/** Those who run the room run its circle. */
const runs = (r: Role, k: GroupFixture['kind']): Expected =>
  loggedIn(r, () => (readsDiscussions(r, k) ? allowIf(moderates(r)) : 'notFound'));
/** What someone in the circle does for themselves: whoever may still take part. */
const partakes = (r: Role, k: GroupFixture['kind']): Expected =>
  loggedIn(r, () => (readsDiscussions(r, k) ? allowIf(takesPart(r, k)) : 'notFound'));

/** A leader's action on the circle as a whole, on a fresh circle set up for it. */
function leaderCase(action: string, setup: (g: GroupFixture) => Promise<CircleFixture>, form: Form = {}): GroupCase {
  return {
    method: 'POST',
    route: `/meetings/:occurrenceId/circle/${action}`,
    async request(g): Promise<Req> {
      const c = await setup(g);
      return { url: `${base(c)}/${action}`, form, missing: `${missingBase}/${action}` };
    },
    expect: runs,
  };
}

/** Something a person in the circle does for themselves, on a fresh circle with them in it. */
function memberCase(action: string, opts: { kind?: 'voice' | 'video' } = {}): GroupCase {
  return {
    method: 'POST',
    route: `/meetings/:occurrenceId/circle/${action}`,
    async request(g, actor, r): Promise<Req> {
      // The role's shared person (or the fresh one the case runs as), let into a circle of their own.
      const person = actor ?? (r === 'visitor' ? null : permissionWorld().people[r]);
      const c = await freshCircle(g, [person], opts);
      return { url: `${base(c)}/${action}`, form: {}, missing: `${missingBase}/${action}` };
    },
    expect: partakes,
  };
}

/** A leader's action on one person in the circle, named by their participant id. */
function participantCase(
  action: string,
  setup: (g: GroupFixture) => Promise<{ c: CircleFixture; pid: number }>,
): GroupCase {
  return {
    method: 'POST',
    route: `/meetings/:occurrenceId/circle/participants/:pid/${action}`,
    async request(g): Promise<Req> {
      const { c, pid } = await setup(g);
      return {
        url: `${base(c)}/participants/${pid}/${action}`,
        form: {},
        missing: `${missingBase}/participants/${pid}/${action}`,
      };
    },
    expect: runs,
  };
}

const someoneIn = async (g: GroupFixture, opts: { mode?: 'stick'; status?: 'waiting' } = {}) => {
  const c = await freshCircle(g, [], opts.mode ? { mode: opts.mode } : {});
  return { c, pid: await freshParticipant(g, c, opts.status ? { status: opts.status } : {}) };
};

export const groupCases: GroupCase[] = [
  {
    method: 'GET',
    route: '/meetings/:occurrenceId/circle',
    async request(g) {
      return { url: base(await sharedCircle(g)), missing: missingBase };
    },
    // The circle beside the room's chat; anyone else who may read the room is sent to join first.
    expect: (r, k) =>
      loggedIn(r, () =>
        readsDiscussions(r, k) && r !== 'banned'
          ? 'ok'
          : readsDiscussions(r, k)
            ? ['forbidden', 'notFound']
            : 'notFound',
      ),
    check: (body, r, g) => shows(body, 'id="circle" data-props', takesPart(r, g.kind)),
  },
  {
    method: 'GET',
    route: '/meetings/:occurrenceId/circle/check',
    async request(g) {
      return { url: `${base(await sharedCircle(g))}/check`, missing: `${missingBase}/check` };
    },
    expect: (r, k) => loggedIn(r, () => (readsDiscussions(r, k) ? 'ok' : 'notFound')),
    check: (body, r, g) => shows(body, 'id="circle-join"', takesPart(r, g.kind)),
  },
  {
    method: 'GET',
    route: '/meetings/:occurrenceId/circle/state',
    async request(g) {
      return { url: `${base(await sharedCircle(g))}/state`, missing: `${missingBase}/state` };
    },
    expect: (r, k) => loggedIn(r, () => (takesPart(r, k) ? 'ok' : 'notFound')),
    check: (body, r, g) => (takesPart(r, g.kind) ? shows(body, `"name":"Perm ${r}"`, true) : []),
  },
  {
    method: 'GET',
    route: '/circles/:circleId/ice',
    label: "a circle's ICE servers",
    async request(g) {
      const c = await sharedCircle(g);
      return { url: `/circles/${c.circleId}/ice`, missing: `/circles/${NO_ID}/ice` };
    },
    expect: (r, k) => (takesPart(r, k) ? 'ok' : 'notFound'),
  },
  {
    method: 'GET',
    route: '/live',
    label: 'follow a circle',
    async request(g) {
      const c = await sharedCircle(g);
      return { url: `/live?circle=${c.circleId}`, missing: `/live?circle=${NO_ID}` };
    },
    expect: (r, k) => (takesPart(r, k) ? 'ok' : 'notFound'),
  },
  {
    method: 'GET',
    route: '/g/:slug/circles/settings',
    request: (g) => ({ url: `/g/${g.slug}/circles/settings`, missing: `/g/${NO_GROUP}/circles/settings` }),
    expect: (r) => loggedIn(r, () => allowIf(manages(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/circles/settings',
    // As a new group has them, so that saving changes nothing for later cases.
    request: (g) => ({
      url: `/g/${g.slug}/circles/settings`,
      form: { waitingRoom: 'leadership' },
      missing: `/g/${NO_GROUP}/circles/settings`,
    }),
    expect: (r) => loggedIn(r, () => allowIf(manages(r))),
  },
  {
    method: 'POST',
    route: '/meetings/:occurrenceId/circle/open',
    async request(g) {
      const { occurrenceIds } = await makeMeeting(permissionWorld().world, g, {
        starts: [new Date(Date.now() - 10 * 60_000)],
        kind: 'online',
      });
      return {
        url: `/meetings/${occurrenceIds[0]}/circle/open`,
        form: { kind: 'voice' },
        missing: `${missingBase}/open`,
      };
    },
    expect: runs,
  },
  {
    method: 'POST',
    route: '/meetings/:occurrenceId/circle/join',
    async request(g) {
      const c = await freshCircle(g, []);
      return { url: `${base(c)}/join`, form: {}, missing: `${missingBase}/join` };
    },
    expect: partakes,
  },
  memberCase('leave'),
  memberCase('mute'),
  memberCase('unmute'),
  memberCase('raise-hand'),
  memberCase('lower-hand'),
  memberCase('camera-on', { kind: 'video' }),
  memberCase('camera-off', { kind: 'video' }),
  leaderCase('end', (g) => freshCircle(g, [])),
  leaderCase('lock', (g) => freshCircle(g, [])),
  leaderCase('unlock', (g) => freshCircle(g, [])),
  leaderCase('mute-all', (g) => freshCircle(g, [])),
  leaderCase('mode', (g) => freshCircle(g, []), { mode: 'stick' }),
  leaderCase('timer', (g) => freshCircle(g, []), { seconds: '180' }),
  leaderCase('start-share', (g) => freshCircle(g, [], { shareSeconds: 180 })),
  // The stick with someone else, a hand up: only a leader may pass it on.
  leaderCase('pass-stick', async (g) => {
    const c = await freshCircle(g, [], { mode: 'stick' });
    await freshParticipant(g, c, { hand: true });
    return c;
  }),
  participantCase('admit', (g) => someoneIn(g, { status: 'waiting' })),
  participantCase('remove', (g) => someoneIn(g)),
  participantCase('mute', (g) => someoneIn(g)),
  participantCase('allow-unmute', (g) => someoneIn(g)),
  participantCase('give-stick', (g) => someoneIn(g, { mode: 'stick' })),
];
export const siteCases: SiteCase[] = [];
