import { eq } from 'drizzle-orm';
import { meetings } from '../../src/features/meetings/schema.js';
import { answer, makeMeeting } from '../helpers/meetings.js';
import type { GroupFixture } from '../helpers/permission-world.js';
import type { ApiGroupCase, ApiSiteCase } from './cases.js';
import { NO_GROUP, NO_ID, permissionWorld, shows } from './cases.js';
import { activeMember, allowIf, loggedIn, moderates, readsDiscussions, refused } from './oracle.js';

/*
 * The JSON API permission cases for meetings and answers (run by table.ts's 'api' part). Each
 * mirrors the page or form that does the same (table.ts: '/g/:slug/meetings', '/meetings/:occurrenceId',
 * '/meetings/:occurrenceId/rsvp'): read with the group's discussions; a phone meeting's number for
 * members in good standing and leaders only; who is coming for leaders only; answered by members.
 */

const pw = () => permissionWorld();

/** The dial-in number of each group's phone meeting as the API reads it. */
const API_DIAL_IN = '0800 555 0173';
const shared = new Map<number, Promise<{ occurrenceId: number }>>();
/** A phone meeting of the group in ten days, made once, that the member is going to. */
function sharedPhoneMeeting(g: GroupFixture): Promise<{ occurrenceId: number }> {
  let found = shared.get(g.id);
  if (!found) {
    found = (async () => {
      const { occurrenceIds } = await makeMeeting(pw().world, g, {
        starts: [new Date(Date.now() + 10 * 24 * 3600_000)],
        title: `API meeting of ${g.slug}`,
        kind: 'phone',
        dialIn: API_DIAL_IN,
      });
      await answer(pw().world, occurrenceIds[0]!, pw().people.member.id, 'going');
      return { occurrenceId: occurrenceIds[0]! };
    })();
    shared.set(g.id, found);
  }
  return found;
}

/** A fresh online meeting with room for everyone, next week, for a case that answers it. */
async function freshMeeting(g: GroupFixture): Promise<number> {
  const { meetingId, occurrenceIds } = await makeMeeting(pw().world, g, {
    starts: [new Date(Date.now() + 8 * 24 * 3600_000)],
    kind: 'online',
  });
  await pw().world.database.db.update(meetings).set({ capacity: null }).where(eq(meetings.id, meetingId));
  return occurrenceIds[0]!;
}

/** The number: members in good standing and the group's leaders, never a visitor of a public group. */
const hasDialIn = (r: Parameters<typeof moderates>[0], g: GroupFixture) => activeMember(r, g.kind) || moderates(r);

export const apiGroupCases: ApiGroupCase[] = [
  {
    method: 'GET',
    route: '/api/v1/groups/:slug/meetings',
    async request(g) {
      await sharedPhoneMeeting(g);
      return { url: `/api/v1/groups/${g.slug}/meetings?limit=100`, missing: `/api/v1/groups/${NO_GROUP}/meetings` };
    },
    expect: (r, k) => (readsDiscussions(r, k) ? 'ok' : refused),
    check: (body, r, g) => [
      ...shows(body, `API meeting of ${g.slug}`, true),
      ...shows(body, API_DIAL_IN, hasDialIn(r, g)),
      ...shows(body, pw().people.member.email, false),
    ],
  },
  {
    method: 'GET',
    route: '/api/v1/meetings/:occurrenceId',
    async request(g) {
      const { occurrenceId } = await sharedPhoneMeeting(g);
      return { url: `/api/v1/meetings/${occurrenceId}`, missing: `/api/v1/meetings/${NO_ID}` };
    },
    expect: (r, k) => (readsDiscussions(r, k) ? 'ok' : 'notFound'),
    check: (body, r, g) => [
      ...shows(body, `API meeting of ${g.slug}`, true),
      ...shows(body, API_DIAL_IN, hasDialIn(r, g)),
      // Who is coming, by their names in the group: for the leaders only.
      ...shows(body, `"name":"${pw().people.member.pseudonym}"`, moderates(r)),
    ],
  },
  {
    method: 'POST',
    route: '/api/v1/meetings/:occurrenceId/rsvp',
    async request(g) {
      const occurrenceId = await freshMeeting(g);
      return {
        url: `/api/v1/meetings/${occurrenceId}/rsvp`,
        body: { answer: 'going' },
        missing: `/api/v1/meetings/${NO_ID}/rsvp`,
      };
    },
    // As the form: members in good standing answer (leaders need not, and admins are not members).
    expect: (r, k) => loggedIn(r, () => (readsDiscussions(r, k) ? allowIf(activeMember(r, k)) : 'notFound')),
    check: (body) => shows(body, '"status":"going"', true),
  },
];
export const apiSiteCases: ApiSiteCase[] = [];
