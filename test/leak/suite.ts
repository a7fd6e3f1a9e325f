import { createECDH, randomBytes } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passkeys, sessions, users } from '../../src/features/accounts/schema.js';
import { createSession, hashToken } from '../../src/features/accounts/service.js';
import { createEmailVerification } from '../../src/features/accounts/verification.js';
import { groups } from '../../src/features/groups/schema.js';
import { newsletters, newsletterSubscribers } from '../../src/features/newsletters/schema.js';
import { campaigns, campaignSignatures } from '../../src/features/campaigns/schema.js';
import { conversationReportMessages, conversationReports } from '../../src/features/messages/schema.js';
import { chatMessages, chatParticipants, chatRooms } from '../../src/features/chat/schema.js';
import { circleParticipants, circles } from '../../src/features/circles/schema.js';
import { copingStrategies, resources } from '../../src/features/resources/schema.js';
import { silences } from '../../src/features/moderation/schema.js';
import { posts as forumPosts } from '../../src/features/forum/schema.js';
import { crisisAlerts, crisisResources } from '../../src/features/safety/schema.js';
import { watchedWords } from '../../src/features/watched-words/schema.js';
import { directoryEntries, listingClaims, listings, topics } from '../../src/features/directory/schema.js';
import { prepareExport, requestExport } from '../../src/features/privacy/exports.js';
import { resetCalendarToken } from '../../src/features/meetings/calendar.js';
import { signMailToken } from '../../src/platform/mail/tokens.js';
import { createNotifications } from '../../src/features/notifications/index.js';
import { dueNotificationEmails, sendNotificationEmail } from '../../src/features/notifications/email.js';
import { pushSubscriptions } from '../../src/features/push/schema.js';
import sharp from 'sharp';
import { createApiToken } from '../../src/features/api/index.js';
import { attachFiles, fileUrl, storeUpload } from '../../src/features/files/index.js';
import { pollOptions, polls, pollVotes } from '../../src/features/polls/schema.js';
import { webhookDeliveries, webhooks } from '../../src/features/webhooks/schema.js';
import { assetUrl } from '../../src/platform/views/assets.js';
import { createWorld, type Agent } from '../helpers/app.js';
import { ApiClient, apiClientFor } from '../helpers/api.js';
import type { LiveClient } from '../helpers/live.js';
import { TestPushService, type TestDevice } from '../helpers/push.js';
import { answer, makeMeeting } from '../helpers/meetings.js';
import {
  buildPermissionWorld,
  PASSWORD,
  roles,
  type GroupFixture,
  type PermissionWorld,
  type Person,
  type Role,
} from '../helpers/permission-world.js';

/*
 * The leak test. One member, "Zephyrine", goes by an alias in three groups and writes in them:
 * only anonymously in A and C (C holds a post still waiting for approval), and under her alias in
 * B. Then every route of the app (driven from its route inventory) is fetched, and every form
 * posted, as every other role, every live topic followed while she writes, and every email read;
 * none may hold a trace of her: her account id, pseudonym or email anywhere; an alias anywhere
 * outside its own group; and nothing of her at all on a page about her anonymous posts. In A and C
 * her alias may show only where the group's people are listed (she is a member there).
 *
 * A route added to the app and missing from the filler table below fails the first test, so new
 * routes join the test as they are written.
 */

const AUTHOR_ID = 987_655;
const PSEUDONYM = 'Zephyrine';
const EMAIL = 'zephyrine@example.org';
const ALIAS = { A: 'Lanternmoth', B: 'Copperfinch', C: 'Emberwren' } as const;
type GroupKey = keyof typeof ALIAS;

interface Secret {
  name: string;
  pattern: RegExp;
  /** The group whose pages may show it (where the fill allows its alias), or none. */
  group?: GroupKey;
}
const secrets: Secret[] = [
  // The pseudonym is also the email's local part: one pattern finds both, in any case.
  { name: 'pseudonym or email', pattern: /zephyrine/i },
  { name: 'account id', pattern: new RegExp(`(?<![0-9])${AUTHOR_ID}(?![0-9])`) },
  { name: 'alias in A', pattern: new RegExp(ALIAS.A, 'i'), group: 'A' },
  { name: 'alias in B', pattern: new RegExp(ALIAS.B, 'i'), group: 'B' },
  { name: 'alias in C', pattern: new RegExp(ALIAS.C, 'i'), group: 'C' },
];

type Form = Record<string, string | string[]>;

/** One request a route is checked with. */
interface Fill {
  url: string;
  form?: Form;
  /** The group the page belongs to. */
  group?: GroupKey;
  /** The author's alias in that group may show here (her group's people pages; anywhere in B). */
  aliasMayShow?: boolean;
  /** Sent as htmx sends it, so the fragment it answers with is read. */
  htmx?: boolean;
}

/** What the filler of a route is given: the role, and for a POST the person made to hold it. */
type Filler = (actor: { role: Role; person: Person | null }) => Fill[] | Promise<Fill[]>;

interface World {
  pw: PermissionWorld;
  author: Agent;
  g: Record<GroupKey, GroupFixture>;
  /** A's anonymous thread, its opening post, and her anonymous reply in the member's thread in A. */
  anonThread: number;
  anonOpening: number;
  anonReply: number;
  /** Her thread under her alias in B, and its opening post. */
  aliasThread: number;
  aliasPost: number;
  /** Her anonymous thread in C, waiting for approval, and its opening post. */
  pendingThread: number;
  pendingPost: number;
  /** Crisis alerts on her anonymous thread in A and her post under her alias in B. */
  alertA: number;
  alertB: number;
  /** Things of hers a stranger might ask for by id: a data archive, a session, a passkey. */
  exportId: number;
  sessionId: number;
  passkeyId: string;
  /** A notification of each signed-in role's person about her anonymous reply in A (notifications). */
  notices: Record<Exclude<Role, 'visitor'>, number>;
  /** Her private conversation with the member in B, under her alias there, and her message in it. */
  conversation: number;
  herMessage: number;
}

let w: World;
const db = () => w.pw.world.database.db;

let made = 0;
const next = () => ++made;
const enc = encodeURIComponent;

/**
 * The pages that list or name a group's people (its members, bans, and who has paid; who is coming
 * to a meeting, which its leaders see), where her alias in the group shows because she is a member
 * there. Everywhere else in A and C (where she writes only anonymously) it may not: there it could
 * only tie her to what she wrote.
 */
const isPeoplePage = (url: string) =>
  /^\/g\/[^/]+\/(members|bans|payments)(\/|\?|$)/.test(url) || /^\/meetings\/\d+(\?|#|$)/.test(url);
/** A page of group `k`: her alias may show on its people pages, and anywhere in B. */
const inGroup = (k: GroupKey, url: string, extra: Partial<Fill> = {}): Fill => ({
  url,
  group: k,
  aliasMayShow: k === 'B' || isPeoplePage(url),
  ...extra,
});
/** The same page for each of the three groups. */
const eachGroup = (path: (g: GroupFixture) => string, extra: Partial<Fill> = {}): Fill[] =>
  (['A', 'B', 'C'] as const).map((k) => inGroup(k, path(w.g[k]), extra));
/** A page about her anonymous posts: nothing of hers may show. */
const aboutAnonymous = (k: GroupKey, url: string, extra: Partial<Fill> = {}): Fill => ({
  url,
  group: k,
  aliasMayShow: false,
  ...extra,
});
const site = (url: string, form?: Form): Fill => (form ? { url, form } : { url });
/** The unsubscribe token in her list mail from B, where she writes under her alias. */
const herListToken = () => signMailToken(w.pw.world.mail.secret, 'unsubscribe', [AUTHOR_ID, w.g.B.id]);
/** The unsubscribe token in her notification emails. */
const herNotificationToken = () => signMailToken(w.pw.world.mail.secret, 'notifications', [AUTHOR_ID]);
/** What a browser posts to turn push on: a new endpoint, and keys as a browser makes them. */
function pushForm(): Form {
  return {
    endpoint: `https://push.example.net/wpush/${randomBytes(12).toString('hex')}`,
    p256dh: createECDH('prime256v1').generateKeys().toString('base64url'),
    auth: randomBytes(16).toString('base64url'),
  };
}
/** A device of hers with push on, which others try to turn off. */
async function herPushDevice(): Promise<number> {
  const { endpoint, p256dh, auth } = pushForm() as Record<string, string>;
  const [row] = await db()
    .insert(pushSubscriptions)
    .values({ userId: AUTHOR_ID, endpoint: endpoint!, p256dh: p256dh!, auth: auth!, label: 'Firefox · Android' })
    .returning({ id: pushSubscriptions.id });
  return row!.id;
}

/** Her posts a route about posts is tried on: the anonymous ones, and (in B) one under her alias. */
const herPosts = (path: (id: number) => string, form?: Form): Fill[] => [
  aboutAnonymous('A', path(w.anonOpening), form ? { form } : {}),
  aboutAnonymous('A', path(w.anonReply), form ? { form } : {}),
  aboutAnonymous('C', path(w.pendingPost), form ? { form } : {}),
  inGroup('B', path(w.aliasPost), form ? { form } : {}),
];

/** A newsletter of group `k` written by her, in a state (a scheduled one far in the future). */
async function herNewsletter(k: GroupKey, status: 'draft' | 'scheduled' | 'sent'): Promise<number> {
  const [row] = await db()
    .insert(newsletters)
    .values({
      groupId: w.g[k].id,
      authorId: AUTHOR_ID,
      subject: `News ${next()}`,
      body: 'What the group did this month.',
      bodyHtml: '<p>What the group did this month.</p>',
      status,
      scheduledFor: status === 'scheduled' ? new Date('2040-01-01T09:00:00Z') : null,
      sentAt: status === 'sent' ? new Date() : null,
      recipientCount: status === 'sent' ? 12 : null,
    })
    .returning({ id: newsletters.id });
  return row!.id;
}
/** A fresh newsletter of hers in each group, at `/g/<slug>/newsletters/<id><suffix>`. */
async function herNewsletterPages(
  status: 'draft' | 'scheduled' | 'sent',
  suffix: string,
  form?: Form,
): Promise<Fill[]> {
  const fills: Fill[] = [];
  for (const k of ['A', 'B', 'C'] as const) {
    const id = await herNewsletter(k, status);
    fills.push(inGroup(k, `/g/${w.g[k].slug}/newsletters/${id}${suffix}`, form ? { form } : {}));
  }
  return fills;
}
/**
 * A resource in group `k`'s library, in a state: hers in B, where she goes by her alias; in A and
 * C (where she writes only anonymously) suggested by nobody still there, so her alias never shows.
 */
async function herResource(k: GroupKey, status: 'suggested' | 'approved'): Promise<number> {
  const [row] = await db()
    .insert(resources)
    .values({
      groupId: w.g[k].id,
      authorId: k === 'B' ? AUTHOR_ID : null,
      kind: 'article',
      title: `Resource ${next()}`,
      body: 'What helped.',
      bodyHtml: '<p>What helped.</p>',
      status,
    })
    .returning({ id: resources.id });
  return row!.id;
}
async function herResourcePages(status: 'suggested' | 'approved', suffix: string, form?: Form): Promise<Fill[]> {
  const fills: Fill[] = [];
  for (const k of ['A', 'B', 'C'] as const) {
    const id = await herResource(k, status);
    fills.push(inGroup(k, `/g/${w.g[k].slug}/resources/${id}${suffix}`, form ? { form } : {}));
  }
  return fills;
}
/**
 * Her posts saved as coping strategies with her consent (as if she had given it): her anonymous
 * reply in A and pending post in C must never show; her post in B shows under her alias there.
 */
async function herCopingStrategies(status: 'requested' | 'approved'): Promise<Record<GroupKey, number>> {
  const ids = {} as Record<GroupKey, number>;
  const postOf = { A: w.anonReply, B: w.aliasPost, C: w.pendingPost };
  for (const k of ['A', 'B', 'C'] as const) {
    await db().delete(copingStrategies).where(eq(copingStrategies.postId, postOf[k]));
    const [row] = await db()
      .insert(copingStrategies)
      .values({ groupId: w.g[k].id, postId: postOf[k], title: `Coping ${next()}`, status })
      .returning({ id: copingStrategies.id });
    ids[k] = row!.id;
  }
  return ids;
}
/**
 * A campaign of group `k` written by her, in a state, which she signed: with her name in B (where
 * she goes by her alias), anonymously in A and C (where she writes only anonymously). Returns its slug.
 */
async function herCampaign(
  k: GroupKey,
  status: 'draft' | 'published' | 'closed',
): Promise<{ id: number; slug: string }> {
  const slug = `her-campaign-${next()}`;
  const [row] = await db()
    .insert(campaigns)
    .values({
      groupId: w.g[k].id,
      authorId: AUTHOR_ID,
      slug,
      title: `Campaign ${next()}`,
      statement: 'What the group asks for.',
      statementHtml: '<p>What the group asks for.</p>',
      callToAction: 'Sign our letter.',
      status,
      signatureCount: 1,
      publishedAt: status === 'draft' ? null : new Date(),
    })
    .returning({ id: campaigns.id });
  await db()
    .insert(campaignSignatures)
    .values({ campaignId: row!.id, userId: AUTHOR_ID, groupId: w.g[k].id, public: k === 'B' });
  return { id: row!.id, slug };
}
/** A fresh campaign of hers in each group, at `/campaigns/<slug><suffix>` or `/g/<group>/campaigns/<id><suffix>`. */
async function herCampaignPages(
  status: 'draft' | 'published' | 'closed',
  where: 'public' | 'group',
  suffix: string,
  form?: Form,
): Promise<Fill[]> {
  const fills: Fill[] = [];
  for (const k of ['A', 'B', 'C'] as const) {
    const { id, slug } = await herCampaign(k, status);
    const url = where === 'public' ? `/campaigns/${slug}${suffix}` : `/g/${w.g[k].slug}/campaigns/${id}${suffix}`;
    fills.push(inGroup(k, url, form ? { form } : {}));
  }
  return fills;
}
const campaignFields = (): Form => ({
  title: `Campaign ${next()}`,
  statement: 'What the group asks for.',
  callToAction: 'Sign our letter.',
  signable: 'on',
});
const resourceFields = (): Form => ({ kind: 'article', title: `Resource ${next()}`, body: 'What helped.', tags: '' });

/** Her address signed up for B's newsletter, and the signed token her mail would carry. */
async function herSubscription(purpose: 'confirm' | 'subscriber'): Promise<string> {
  await db().delete(newsletterSubscribers).where(eq(newsletterSubscribers.email, EMAIL));
  const [row] = await db()
    .insert(newsletterSubscribers)
    .values({ groupId: w.g.B.id, email: EMAIL })
    .returning({ id: newsletterSubscribers.id });
  return signMailToken(w.pw.world.mail.secret, purpose, [row!.id]);
}

/**
 * A meeting she scheduled in each group (as if she led them), one of each kind, which she said she
 * would go to: made once. Feeds name the meetings and their groups, never who made or answers them.
 */
let herMeetingsMade: Promise<void> | undefined;
function herMeetings(): Promise<void> {
  herMeetingsMade ??= (async () => {
    const kinds = { A: 'in_person', B: 'phone', C: 'online' } as const;
    for (const k of ['A', 'B', 'C'] as const) {
      const { occurrenceIds } = await makeMeeting(w.pw.world, w.g[k], {
        starts: [new Date(Date.now() + 3 * 24 * 3600_000)],
        kind: kinds[k],
        title: `Circle ${k}`,
        address: kinds[k] === 'in_person' ? '1 Quiet Street' : null,
        dialIn: kinds[k] === 'phone' ? '0800 000 111' : null,
        createdBy: AUTHOR_ID,
      });
      await answer(w.pw.world, occurrenceIds[0]!, AUTHOR_ID, 'going');
    }
  })();
  return herMeetingsMade;
}
/** Her own calendar address, in anyone's hands (made anew each time). */
async function herCalendar(): Promise<string> {
  await herMeetings();
  return `/calendar/${await resetCalendarToken(db(), AUTHOR_ID)}.ics`;
}

/** A fresh meeting she scheduled in group `k`, next week, which she said she would go to. */
async function herMeetingIn(k: GroupKey): Promise<{ meetingId: number; occurrenceId: number }> {
  const { meetingId, occurrenceIds } = await makeMeeting(w.pw.world, w.g[k], {
    starts: [new Date(Date.now() + 4 * 24 * 3600_000)],
    kind: 'online',
    title: `Her circle ${next()}`,
    createdBy: AUTHOR_ID,
  });
  await answer(w.pw.world, occurrenceIds[0]!, AUTHOR_ID, 'going');
  return { meetingId, occurrenceId: occurrenceIds[0]! };
}
/**
 * A page of a fresh meeting of hers in each group. One that lists who is coming (an occurrence's
 * page, to its leaders) names the group's people, as its member list does: there her alias may show.
 */
async function herMeetingPages(
  path: (k: GroupKey, m: { meetingId: number; occurrenceId: number }) => string,
  extra: Partial<Fill> = {},
): Promise<Fill[]> {
  const fills: Fill[] = [];
  for (const k of ['A', 'B', 'C'] as const) fills.push(inGroup(k, path(k, await herMeetingIn(k)), extra));
  return fills;
}
const meetingFields = (): Form => ({
  title: `Meeting ${next()}`,
  kind: 'online',
  date: new Date(Date.now() + 12 * 24 * 3600_000).toISOString().slice(0, 10),
  time: '18:30',
  timeZone: 'Europe/London',
  duration: '60',
  repeat: 'once',
  capacity: '12',
  waitlist: 'on',
});

/**
 * Each group's own chat room, made once. In B she has written there, under her alias, and is one
 * of the room's people; in A and C (where she writes only anonymously) she has never been in it.
 */
const chatRoomsMade = new Map<GroupKey, Promise<number>>();
function chatRoom(k: GroupKey): Promise<number> {
  let made = chatRoomsMade.get(k);
  if (!made) {
    made = (async () => {
      await db().insert(chatRooms).values({ groupId: w.g[k].id }).onConflictDoNothing();
      const [room] = await db()
        .select({ id: chatRooms.id })
        .from(chatRooms)
        .where(and(eq(chatRooms.groupId, w.g[k].id), isNull(chatRooms.occurrenceId)));
      if (k === 'B') {
        await db()
          .insert(chatMessages)
          .values({ roomId: room!.id, groupId: w.g.B.id, authorId: AUTHOR_ID, body: 'Hello from the garden.' });
        await db()
          .insert(chatParticipants)
          .values({ roomId: room!.id, userId: AUTHOR_ID, groupId: w.g.B.id, lastSeenAt: new Date() })
          .onConflictDoNothing();
      }
      return room!.id;
    })();
    chatRoomsMade.set(k, made);
  }
  return made;
}
/** Each group's room, at `/chat/rooms/<id><suffix>`. */
async function chatRoomPages(suffix: string, extra: Partial<Fill> = {}): Promise<Fill[]> {
  const fills: Fill[] = [];
  for (const k of ['A', 'B', 'C'] as const) fills.push(inGroup(k, `/chat/rooms/${await chatRoom(k)}${suffix}`, extra));
  return fills;
}
/** A fresh message in each group's room: hers in B (under her alias), the member's in A and C. */
async function chatMessagePages(suffix: string, extra: Partial<Fill> = {}): Promise<Fill[]> {
  const fills: Fill[] = [];
  for (const k of ['A', 'B', 'C'] as const) {
    const roomId = await chatRoom(k);
    const [message] = await db()
      .insert(chatMessages)
      .values({
        roomId,
        groupId: w.g[k].id,
        authorId: k === 'B' ? AUTHOR_ID : w.pw.people.member.id,
        body: `Said in passing ${next()}.`,
      })
      .returning({ id: chatMessages.id });
    fills.push(inGroup(k, `/chat/rooms/${roomId}/messages/${message!.id}${suffix}`, extra));
  }
  return fills;
}
/** The live room of a fresh online meeting of hers in each group, at `/chat/rooms/<id><suffix>`. */
async function herMeetingRoomPages(suffix: string, extra: Partial<Fill> = {}): Promise<Fill[]> {
  const fills: Fill[] = [];
  for (const k of ['A', 'B', 'C'] as const) {
    const { occurrenceId } = await herMeetingIn(k);
    const [room] = await db()
      .insert(chatRooms)
      .values({ groupId: w.g[k].id, occurrenceId })
      .returning({ id: chatRooms.id });
    fills.push(inGroup(k, `/chat/rooms/${room!.id}${suffix}`, extra));
  }
  return fills;
}
/**
 * A leader's action on someone in a room: on her in B's room, named by her alias there; in A's, on
 * the member (never by a name of hers, which a URL would carry to a login page's link back).
 */
async function chatPeoplePages(action: string): Promise<Fill[]> {
  const member = enc(w.pw.people.member.pseudonym);
  return [
    inGroup('A', `/chat/rooms/${await chatRoom('A')}/participants/${member}/${action}`, { form: {} }),
    inGroup('B', `/chat/rooms/${await chatRoom('B')}/participants/${enc(ALIAS.B)}/${action}`, { form: {} }),
  ];
}

/**
 * A voice circle of a live meeting in group `k` (started ten minutes ago), with every role's
 * person let into it; she is in B's (where her alias may show), never in A's or C's, where she
 * writes only anonymously. Her participant id, where she is in it.
 */
async function herCircle(
  k: GroupKey,
  opts: { mode?: 'open' | 'stick'; shareSeconds?: number } = {},
): Promise<{ occurrenceId: number; circleId: number; herPid: number | null }> {
  const { occurrenceIds } = await makeMeeting(w.pw.world, w.g[k], {
    starts: [new Date(Date.now() - 10 * 60_000)],
    kind: 'online',
    title: `Her circle ${next()}`,
  });
  const occurrenceId = occurrenceIds[0]!;
  const [circle] = await db()
    .insert(circles)
    .values({ occurrenceId, groupId: w.g[k].id, kind: 'voice', waitingRoom: false, ...opts })
    .returning({ id: circles.id });
  const seat = async (userId: number) => {
    const [row] = await db()
      .insert(circleParticipants)
      .values({
        circleId: circle!.id,
        groupId: w.g[k].id,
        userId,
        status: 'admitted',
        hideAddress: true,
        lastSeenAt: new Date(),
      })
      .returning({ id: circleParticipants.id });
    return row!.id;
  };
  for (const person of Object.values(w.pw.people)) await seat(person.id);
  const herPid = k === 'B' ? await seat(AUTHOR_ID) : null;
  return { occurrenceId, circleId: circle!.id, herPid };
}
const circlesMade = new Map<GroupKey, ReturnType<typeof herCircle>>();
/** Each group's circle for the pages that only read it: made once. */
function sharedCircle(k: GroupKey): ReturnType<typeof herCircle> {
  let made = circlesMade.get(k);
  if (!made) circlesMade.set(k, (made = herCircle(k)));
  return made;
}
/** A page of each group's circle, at `/meetings/<occurrence>/circle<suffix>`; fresh ones for a form. */
async function circlePages(
  suffix: string,
  extra: Partial<Fill> = {},
  opts: Parameters<typeof herCircle>[1] = {},
): Promise<Fill[]> {
  const fills: Fill[] = [];
  for (const k of ['A', 'B', 'C'] as const) {
    const c = extra.form ? await herCircle(k, opts) : await sharedCircle(k);
    fills.push(inGroup(k, `/meetings/${c.occurrenceId}/circle${suffix}`, extra));
  }
  return fills;
}
/** A leader's action on someone in a circle, by participant id: on her in B's, on the member in A's. */
async function circlePeoplePages(action: string, opts: Parameters<typeof herCircle>[1] = {}): Promise<Fill[]> {
  const a = await herCircle('A', opts);
  const b = await herCircle('B', opts);
  const [member] = await db()
    .select({ id: circleParticipants.id })
    .from(circleParticipants)
    .where(and(eq(circleParticipants.circleId, a.circleId), eq(circleParticipants.userId, w.pw.people.member.id)));
  return [
    inGroup('A', `/meetings/${a.occurrenceId}/circle/participants/${member!.id}/${action}`, { form: {} }),
    inGroup('B', `/meetings/${b.occurrenceId}/circle/participants/${b.herPid}/${action}`, { form: {} }),
  ];
}

const resourceForm = (): Form => ({ country: 'GB', name: `Help line ${next()}`, phone: '0800 000 000' });
async function freshTopic(): Promise<number> {
  const [topic] = await db()
    .insert(topics)
    .values({ slug: `leak-topic-${next()}`, name: `Leak topic ${made}` })
    .returning({ id: topics.id });
  return topic!.id;
}

async function freshResource(): Promise<number> {
  const [row] = await db()
    .insert(crisisResources)
    .values({ country: 'GB', name: `Line ${next()}`, phone: '0800 000 001' })
    .returning({ id: crisisResources.id });
  return row!.id;
}

/**
 * Listings of groups hosted elsewhere that she submitted (in each state), and claims she made: the
 * submitter and claimant are never shown, to admins neither.
 */
async function herListing(status: 'pending' | 'approved' | 'declined'): Promise<number> {
  const [row] = await db()
    .insert(listings)
    .values({
      contact: 'hello@example.net',
      status,
      submittedBy: AUTHOR_ID,
      declineReason: status === 'declined' ? 'Not found.' : null,
    })
    .returning({ id: listings.id });
  await db()
    .insert(directoryEntries)
    .values({
      kind: 'listing',
      listingId: row!.id,
      name: `Her listing ${next()}`,
      summary: 'A group that meets in a library.',
      listed: status === 'approved',
      searchEngines: status === 'approved',
    });
  return row!.id;
}
async function claimOn(listingId: number, userId: number): Promise<number> {
  const [claim] = await db()
    .insert(listingClaims)
    .values({ listingId, userId, message: 'I run it now.' })
    .returning({ id: listingClaims.id });
  return claim!.id;
}
const listingForm = (): Form => ({
  name: `Listed in the leak test ${next()}`,
  summary: 'A phone group for carers, every Monday evening.',
  contact: '0113 000 0000',
  leadership: 'peer',
  access: 'open',
  free: 'yes',
  language: 'en',
  formats: 'phone',
  audiences: 'carers',
});

const groupSettings = (g: GroupFixture, extra: Form = {}): Form => ({
  joinPolicy: g.kind.policy,
  listed: g.kind.listed ? 'on' : '',
  entryQuestions: g.kind.policy === 'approval' ? 'What brings you here?' : '',
  allowedEmailDomain: '',
  slowModeMinutes: '0',
  ...extra,
});

/**
 * A poll in a fresh discussion of group `k`, which she voted in (the member too): in B, started by
 * her with named votes (her alias may show there); in A and C (where she writes only
 * anonymously) one with anonymous votes, which must never name who voted. A "find a time" poll
 * is closed, ready to schedule.
 */
async function herPoll(k: GroupKey, kind: 'choice' | 'time' = 'choice'): Promise<{ id: number; optionIds: number[] }> {
  const thread = await w.pw.freshThread(w.g[k]);
  const time = kind === 'time';
  const year = new Date().getUTCFullYear() + 1;
  const [poll] = await db()
    .insert(polls)
    .values({
      groupId: w.g[k].id,
      threadId: thread.id,
      createdBy: k === 'B' ? AUTHOR_ID : w.pw.people.member.id,
      kind,
      question: time ? `Spring walk ${next()}` : `Which day suits you ${next()}?`,
      multiple: time,
      anonymous: k !== 'B',
      timeZone: time ? 'Europe/London' : null,
      durationMinutes: time ? 60 : null,
      closedAt: time ? new Date() : null,
    })
    .returning({ id: polls.id });
  const options = await db()
    .insert(pollOptions)
    .values(
      [0, 1].map((position) => ({
        pollId: poll!.id,
        groupId: w.g[k].id,
        position,
        label: time ? `${year}-0${position + 5}-10 18:00` : ['Monday', 'Thursday'][position]!,
        startsAt: time ? new Date(`${year}-0${position + 5}-10T17:00:00Z`) : null,
      })),
    )
    .returning({ id: pollOptions.id });
  await db()
    .insert(pollVotes)
    .values(
      [AUTHOR_ID, w.pw.people.member.id].map((userId) => ({
        pollId: poll!.id,
        optionId: options[0]!.id,
        groupId: w.g[k].id,
        userId,
      })),
    );
  return { id: poll!.id, optionIds: options.map((o) => o.id) };
}
/** A fresh poll of hers in each group, at `/polls/<id><suffix>`. */
async function herPollPages(
  kind: 'choice' | 'time',
  suffix: string,
  extra: (poll: { id: number; optionIds: number[] }) => Partial<Fill> = () => ({}),
): Promise<Fill[]> {
  const fills: Fill[] = [];
  for (const k of ['A', 'B', 'C'] as const) {
    const poll = await herPoll(k, kind);
    fills.push(inGroup(k, `/polls/${poll.id}${suffix}`, extra(poll)));
  }
  return fills;
}
const pollFields = (): Form => ({
  question: `Which day suits you ${next()}?`,
  options: 'Monday\nThursday',
  votes: 'named',
  results: 'after_vote',
});
const timePollFields = (): Form => {
  const year = new Date().getUTCFullYear() + 1;
  return {
    rows: '2',
    title: `Spring walk ${next()}`,
    duration: '60',
    date_0: `${year}-05-10`,
    time_0: '18:00',
    date_1: `${year}-06-10`,
    time_1: '18:00',
    votes: 'named',
  };
};

/**
 * A webhook she registered (as if she led the group, or the organisation), with a failed delivery
 * of her anonymous post listed on its page. Its maker is never shown.
 */
type HookOwner = { groupId: number } | { organisationId: number };
async function herWebhook(owner: HookOwner): Promise<number> {
  const [row] = await db()
    .insert(webhooks)
    .values({
      ...owner,
      createdBy: AUTHOR_ID,
      url: `https://hooks.example.org/mutual/${next()}`,
      secret: 'whsec_leak-test',
      events: ['post.created'],
    })
    .returning({ id: webhooks.id });
  await db()
    .insert(webhookDeliveries)
    .values({
      webhookId: row!.id,
      groupId: 'groupId' in owner ? owner.groupId : w.g.A.id,
      event: 'post.created',
      payload: { post: { id: w.anonReply, author: { name: null, anonymous: true } } },
      status: 'failed',
      attempts: 3,
      responseStatus: 500,
      lastError: 'the receiver answered 500',
    });
  return row!.id;
}
/** One webhook of hers per group and one of the organisation's, made once (fewer than a group may hold). */
const sharedWebhooks = new Map<string, Promise<number>>();
function sharedWebhook(key: GroupKey | 'org'): Promise<number> {
  let made = sharedWebhooks.get(key);
  if (!made) {
    made = herWebhook(key === 'org' ? { organisationId: w.pw.organisation.id } : { groupId: w.g[key].id });
    sharedWebhooks.set(key, made);
  }
  return made;
}
/** Her webhook in each group, at `/g/<slug>/webhooks/<id><suffix>` (a fresh one for deleting). */
async function herWebhookPages(suffix: string, fresh: boolean, form?: Form): Promise<Fill[]> {
  const fills: Fill[] = [];
  for (const k of ['A', 'B', 'C'] as const) {
    const id = fresh ? await herWebhook({ groupId: w.g[k].id }) : await sharedWebhook(k);
    fills.push(inGroup(k, `/g/${w.g[k].slug}/webhooks/${id}${suffix}`, form ? { form } : {}));
  }
  return fills;
}
/** Her webhook of the organisation, at `/o/<slug>/webhooks/<id><suffix>`. */
async function orgWebhookPage(suffix: string, fresh: boolean, form?: Form): Promise<Fill[]> {
  const id = fresh ? await herWebhook({ organisationId: w.pw.organisation.id }) : await sharedWebhook('org');
  return [site(`/o/${w.pw.organisation.slug}/webhooks/${id}${suffix}`, form)];
}
const webhookFields = (): Form => ({ url: `https://hooks.example.org/mutual/${next()}`, events: 'post.created' });

/** An access token of hers (her own, or one she made for the organisation), which others ask to see or revoke. */
async function herToken(forOrganisation: boolean): Promise<number> {
  const made = await createApiToken(db(), AUTHOR_ID, {
    name: `Garden helper ${next()}`,
    scopes: ['read'],
    expiresAt: null,
    organisationId: forOrganisation ? w.pw.organisation.id : null,
  });
  return made.id;
}
const tokenFields = (): Form => ({ name: `Leak test ${next()}`, scopes: 'read', expires: '30' });

/**
 * Her photos, attached to her anonymous opening post in A, her post in B and her pending post in
 * C (made once), with her name and address in their EXIF as her phone might have put them there.
 */
let herPhotosMade: Promise<Record<GroupKey, string>> | undefined;
function herPhotos(): Promise<Record<GroupKey, string>> {
  herPhotosMade ??= (async () => {
    const ids = {} as Record<GroupKey, string>;
    const postOf = { A: w.anonOpening, B: w.aliasPost, C: w.pendingPost };
    for (const k of ['A', 'B', 'C'] as const) {
      const bytes = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#2a6' } })
        .jpeg()
        .withExif({ IFD0: { Artist: PSEUDONYM, Copyright: EMAIL } })
        .toBuffer();
      const row = await storeUpload(
        { db: db(), files: w.pw.world.files },
        { uploaderId: AUTHOR_ID, groupId: w.g[k].id, name: 'garden.jpg', bytes },
        { maxBytes: 1024 * 1024, images: true, files: true },
      );
      await db().transaction((tx) => attachFiles(tx, AUTHOR_ID, [row.publicId], { postId: postOf[k] }));
      ids[k] = row.publicId;
    }
    return ids;
  })();
  return herPhotosMade;
}

// ---------------------------------------------------------------------------------------------
// The filler table: every route of the app, with the requests it is checked with.
// ---------------------------------------------------------------------------------------------

/** A fresh report of her message in B, waiting for the site's moderators. */
async function herReport(): Promise<number> {
  const [report] = await db()
    .insert(conversationReports)
    .values({ conversationId: w.conversation, reason: 'spam' })
    .returning({ id: conversationReports.id });
  await db().insert(conversationReportMessages).values({ reportId: report!.id, messageId: w.herMessage });
  return report!.id;
}

const gets: Record<string, Filler> = {
  // Private messages: her conversation with the member is in B, where her alias may show; the
  // site's moderators read her reported message there under that name, and nowhere her pseudonym.
  '/messages': () => [inGroup('B', '/messages')],
  '/messages/new': () => [inGroup('B', `/messages/new?to=${enc(ALIAS.B)}&group=${w.g.B.slug}`)],
  '/messages/:conversationId': () => [
    inGroup('B', `/messages/${w.conversation}`),
    inGroup('B', `/messages/${w.conversation}?report=1`),
  ],
  '/account/messages': () => [site('/account/messages')],
  '/admin/conversation-reports': () => [inGroup('B', '/admin/conversation-reports')],
  '/healthz': () => [site('/healthz')],
  '/assets/:version/:name': () => [site(assetUrl('styles.css'))],
  '/setup': () => [site('/setup')],
  '/signup': () => [site('/signup')],
  '/login': () => [site('/login')],
  '/login/two-factor': () => [site('/login/two-factor')],
  '/account': () => [site('/account')],
  '/forgot-password': () => [site('/forgot-password')],
  '/reset-password/:token': () => [site(`/reset-password/${w.pw.resetToken}`)],
  '/verify-email/:token': async () => {
    const person = await w.pw.freshPerson();
    return [site(`/verify-email/${(await createEmailVerification(db(), person.id))!.token}`)];
  },
  '/account/security': () => [site('/account/security')],
  '/account/two-factor': () => [site('/account/two-factor')],
  '/account/settings': () => [site('/account/settings')],
  '/': () => [site('/')],
  '/groups': () => [site('/groups')],
  '/groups/new': () => [site('/groups/new')],
  '/organisations': () => [site('/organisations')],
  '/organisations/new': () => [site('/organisations/new')],
  '/o/:slug': () => [site(`/o/${w.pw.organisation.slug}`)],
  '/o/:slug/admins': () => [site(`/o/${w.pw.organisation.slug}/admins`)],
  '/o/:slug/groups/new': () => [site(`/o/${w.pw.organisation.slug}/groups/new`)],
  '/privacy': () => [site('/privacy')],
  '/account/data': () => [site('/account/data')],
  // Her data archive, asked for by everyone else: not theirs to have.
  '/account/data/exports/:id': () => [site(`/account/data/exports/${w.exportId}`)],
  '/account/delete': () => [site('/account/delete')],
  // The installable app, the same for everyone; one's own push devices, by name only.
  '/manifest.webmanifest': () => [site('/manifest.webmanifest')],
  '/icons/:name': () => [site('/icons/icon-192.png')],
  '/sw.js': () => [site('/sw.js')],
  '/offline': () => [site('/offline')],
  '/push/key': () => [site('/push/key')],
  '/account/push': () => [site('/account/push')],
  // Everyone's own notifications: what she wrote in A is "an anonymous member"; a reply of hers in
  // B (in the member's discussion there) is named by her alias in B, as B's pages name her.
  '/notifications': () => [inGroup('B', '/notifications'), inGroup('B', '/notifications?page=2')],
  // Each role opens its own notification about her anonymous reply (a visitor, the member's).
  '/notifications/:id': ({ role }) => [site(`/notifications/${w.notices[role === 'visitor' ? 'member' : role]}`)],
  '/account/notifications': () => [site('/account/notifications')],
  // Her own unsubscribe link, in anyone's hands: the page never names whom it is for.
  '/notifications/unsubscribe/:token': () => [site(`/notifications/unsubscribe/${herNotificationToken()}`)],
  '/admin': () => [site('/admin')],
  '/admin/outbox': () => [site('/admin/outbox')],
  '/admin/trust': () => [site('/admin/trust?q=Perm')],
  '/admin/watched-words': () => [site('/admin/watched-words')],
  '/g/:slug': () => eachGroup((g) => `/g/${g.slug}`),
  '/g/:slug/about': () => eachGroup((g) => `/g/${g.slug}/about`),
  // The mention autocomplete: her pseudonym finds nothing anywhere (she has an alias in every
  // group); her alias in a group answers there only, as on its member list; never another group's.
  '/g/:slug/names': () => [
    ...eachGroup((g) => `/g/${g.slug}/names?q=zeph`, { aliasMayShow: false }),
    ...(['A', 'B', 'C'] as const).map((k) =>
      inGroup(k, `/g/${w.g[k].slug}/names?q=${enc(ALIAS[k].slice(0, 3))}`, { aliasMayShow: true }),
    ),
    inGroup('B', `/g/${w.g.B.slug}/names?q=${enc(ALIAS.A.slice(0, 3))}`),
    inGroup('A', `/g/${w.g.A.slug}/names?q=${enc(ALIAS.B.slice(0, 3))}`, { aliasMayShow: false }),
  ],
  // Searching discussions for the words of her posts: anonymous ones name nobody, across groups
  // or inside one; her alias shows only beside her post in B. (The author filter is not tried
  // here: the form puts the typed name back, which would read as a leak; search.test.ts checks
  // that it never finds an anonymous post.)
  '/search': () => [
    aboutAnonymous('A', `/search?q=${enc('weight carry')}`),
    aboutAnonymous('A', '/search?q=quietly&sort=newest'),
    aboutAnonymous('A', '/search?q=quietly', { htmx: true }),
    aboutAnonymous('C', `/search?q=heard&group=${w.g.C.slug}`),
    inGroup('B', `/search?q=copper&group=${w.g.B.slug}`),
  ],
  '/g/:slug/search': () => [
    aboutAnonymous('A', `/g/${w.g.A.slug}/search?q=${enc('weight carry')}`),
    aboutAnonymous('A', `/g/${w.g.A.slug}/search?q=quietly`, { htmx: true }),
    aboutAnonymous('C', `/g/${w.g.C.slug}/search?q=heard`),
    inGroup('B', `/g/${w.g.B.slug}/search?q=copper`),
  ],
  '/g/:slug/edit': () => eachGroup((g) => `/g/${g.slug}/edit`),
  '/g/:slug/listing': () => eachGroup((g) => `/g/${g.slug}/listing`),
  '/places': () => [site('/places?q=leeds'), { url: '/places?q=zeph', htmx: true }],
  '/admin/topics': () => [site('/admin/topics')],
  '/admin/topics/:id': async () => [site(`/admin/topics/${await freshTopic()}`)],
  '/g/:slug/apply': () => eachGroup((g) => `/g/${g.slug}/apply`),
  '/g/:slug/applications': () => eachGroup((g) => `/g/${g.slug}/applications`),
  '/g/:slug/invitations': () => eachGroup((g) => `/g/${g.slug}/invitations`),
  '/invite/:token': () => eachGroup((g) => `/invite/${g.inviteToken}`),
  '/g/:slug/settings': () => eachGroup((g) => `/g/${g.slug}/settings`),
  '/g/:slug/members': () => (['A', 'B', 'C'] as const).map((k) => inGroup(k, `/g/${w.g[k].slug}/members`)),
  '/g/:slug/members/:name/remove': () =>
    (['A', 'B', 'C'] as const).map((k) => inGroup(k, `/g/${w.g[k].slug}/members/${enc(ALIAS[k])}/remove`)),
  '/g/:slug/members/:name/notes': () =>
    (['A', 'B', 'C'] as const).map((k) => inGroup(k, `/g/${w.g[k].slug}/members/${enc(ALIAS[k])}/notes`)),
  '/g/:slug/name': () => eachGroup((g) => `/g/${g.slug}/name`),
  '/g/:slug/audit': () => eachGroup((g) => `/g/${g.slug}/audit`),
  '/g/:slug/fees': () => eachGroup((g) => `/g/${g.slug}/fees`),
  '/g/:slug/pay': () => eachGroup((g) => `/g/${g.slug}/pay`),
  '/g/:slug/payments': () => eachGroup((g) => `/g/${g.slug}/payments`),
  '/g/:slug/threads/new': () => eachGroup((g) => `/g/${g.slug}/threads/new`),
  '/g/:slug/review': () => eachGroup((g) => `/g/${g.slug}/review`),
  // A's alerts are about her anonymous thread: nothing of her may show there.
  '/g/:slug/safety': () => [
    aboutAnonymous('A', `/g/${w.g.A.slug}/safety`),
    inGroup('B', `/g/${w.g.B.slug}/safety`),
    inGroup('C', `/g/${w.g.C.slug}/safety`),
  ],
  '/help': () => [site('/help'), site('/help?country=GB')],
  '/find': () => [site('/find'), site('/find?step=2&about=testing'), site('/find?step=results&about=testing')],
  '/listings/new': () => [site('/listings/new')],
  '/listings/mine': () => [site('/listings/mine')],
  '/listings/:id': async () => {
    const claimed = await herListing('approved');
    await claimOn(claimed, AUTHOR_ID);
    return [
      site(`/listings/${claimed}`),
      site(`/listings/${await herListing('pending')}`),
      site(`/listings/${await herListing('declined')}`),
    ];
  },
  '/listings/:id/edit': async () => [site(`/listings/${await herListing('pending')}/edit`)],
  '/admin/listings': async () => {
    await herListing('pending');
    await claimOn(await herListing('approved'), AUTHOR_ID);
    return [site('/admin/listings')];
  },
  '/robots.txt': () => [site('/robots.txt')],
  '/sitemap.xml': () => [site('/sitemap.xml')],
  '/sitemaps/:file': async () => {
    await herListing('approved');
    return [site('/sitemaps/1.xml')];
  },
  '/admin/crisis-resources': () => [site('/admin/crisis-resources')],
  '/g/:slug/t/:id': () => [
    aboutAnonymous('A', `/g/${w.g.A.slug}/t/${w.anonThread}`),
    aboutAnonymous('A', `/g/${w.g.A.slug}/t/${w.g.A.thread.id}`),
    aboutAnonymous('C', `/g/${w.g.C.slug}/t/${w.pendingThread}`),
    inGroup('B', `/g/${w.g.B.slug}/t/${w.aliasThread}`),
  ],
  '/posts/:id/edit': () => herPosts((id) => `/posts/${id}/edit`),
  '/posts/:id/delete': () => herPosts((id) => `/posts/${id}/delete`),
  '/posts/:id/history': () => herPosts((id) => `/posts/${id}/history`),
  '/posts/:id/reveal': () => herPosts((id) => `/posts/${id}/reveal`),
  '/posts/:id/ban-author': () => herPosts((id) => `/posts/${id}/ban-author`),
  '/posts/:id/flag': () => herPosts((id) => `/posts/${id}/flag`),
  // A's and B's queues hold her flagged posts; C's pauses page, a pause on her anonymous post's author.
  '/g/:slug/silences': () => eachGroup((g) => `/g/${g.slug}/silences`),
  // Whom one blocked: named as seen in the group (her alias may show as B's, where it is known).
  '/account/blocked': () => [inGroup('B', '/account/blocked')],
  // My support: one's own figures and notes; a group's health: counts, never names.
  '/account/support': () => [site('/account/support')],
  '/g/:slug/health': () => eachGroup((g) => `/g/${g.slug}/health`),
  '/account/content-warnings': () => [site('/account/content-warnings')],
  // Needs a reply: her anonymous discussions name nobody; across groups, her alias only as B's.
  '/g/:slug/waiting': () => eachGroup((g) => `/g/${g.slug}/waiting`),
  '/waiting': () => [inGroup('B', '/waiting')],
  '/account/support/prompts': () => [site('/account/support/prompts')],
  // Newsletters she wrote (as if she led each group), and her own newsletter links opened by others.
  '/g/:slug/newsletters': async () => {
    for (const k of ['A', 'B', 'C'] as const) await herNewsletter(k, 'sent');
    return eachGroup((g) => `/g/${g.slug}/newsletters`);
  },
  '/g/:slug/newsletters/new': () => eachGroup((g) => `/g/${g.slug}/newsletters/new`),
  '/g/:slug/newsletters/:id': async () => [
    ...(await herNewsletterPages('sent', '')),
    ...(await herNewsletterPages('draft', '')),
  ],
  '/g/:slug/newsletters/:id/edit': () => herNewsletterPages('draft', '/edit'),
  // The library: her resources in B under her alias; in A and C nothing of hers; her suggestions waiting.
  '/g/:slug/campaigns': async () => {
    for (const k of ['A', 'B', 'C'] as const) await herCampaign(k, 'published');
    return eachGroup((g) => `/g/${g.slug}/campaigns`);
  },
  '/g/:slug/campaigns/new': () => eachGroup((g) => `/g/${g.slug}/campaigns/new`),
  '/g/:slug/campaigns/:id/edit': () => herCampaignPages('draft', 'group', '/edit'),
  '/campaigns/:slug': async () => [
    ...(await herCampaignPages('published', 'public', '')),
    ...(await herCampaignPages('draft', 'public', '')),
  ],
  '/g/:slug/resources': async () => {
    for (const k of ['A', 'B', 'C'] as const) await herResource(k, 'approved');
    return [
      ...eachGroup((g) => `/g/${g.slug}/resources`),
      ...eachGroup((g) => `/g/${g.slug}/resources?q=${enc('what helped')}`),
    ];
  },
  '/g/:slug/resources/:id': async () => [
    ...(await herResourcePages('approved', '')),
    ...(await herResourcePages('suggested', '')),
  ],
  '/g/:slug/resources/new': () => eachGroup((g) => `/g/${g.slug}/resources/new`),
  '/g/:slug/resources/review': async () => {
    for (const k of ['A', 'B', 'C'] as const) await herResource(k, 'suggested');
    return eachGroup((g) => `/g/${g.slug}/resources/review`);
  },
  '/g/:slug/resources/:id/edit': () => herResourcePages('approved', '/edit'),
  // Coping strategies: her anonymous and pending posts never show, even with consent on record.
  '/g/:slug/coping': async () => {
    await herCopingStrategies('approved');
    return eachGroup((g) => `/g/${g.slug}/coping`);
  },
  '/g/:slug/coping/requests': async () => {
    await herCopingStrategies('requested');
    return eachGroup((g) => `/g/${g.slug}/coping/requests`);
  },
  '/newsletters/confirm/:token': async () => [site(`/newsletters/confirm/${await herSubscription('confirm')}`)],
  '/newsletters/unsubscribe/:token': async () => [
    site(`/newsletters/unsubscribe/${await herSubscription('subscriber')}`),
    site(`/newsletters/unsubscribe/${signMailToken(w.pw.world.mail.secret, 'newsletter', [AUTHOR_ID, w.g.B.id])}`),
  ],
  '/account/email': () => [site('/account/email')],
  '/g/:slug/email': () => eachGroup((g) => `/g/${g.slug}/email`),
  '/g/:slug/email/settings': () => eachGroup((g) => `/g/${g.slug}/email/settings`),
  '/mail/unsubscribe/:token': () => [site(`/mail/unsubscribe/${herListToken()}`)],
  // Calendars: each group's meetings (hers among them), and her own calendar opened by others.
  '/g/:slug/meetings.ics': async () => {
    await herMeetings();
    return eachGroup((g) => `/g/${g.slug}/meetings.ics`);
  },
  '/calendar/:token.ics': async () => [site(await herCalendar())],
  '/account/meetings': () => [site('/account/meetings')],
  // Meetings: the list and forms name no one; a date's page lists who is coming to its leaders.
  '/g/:slug/meetings': async () => {
    await herMeetings();
    return eachGroup((g) => `/g/${g.slug}/meetings`);
  },
  '/g/:slug/meetings/new': () => eachGroup((g) => `/g/${g.slug}/meetings/new`),
  '/g/:slug/meetings/:meetingId/edit': () =>
    herMeetingPages((k, m) => `/g/${w.g[k].slug}/meetings/${m.meetingId}/edit`),
  '/meetings/:occurrenceId': () => herMeetingPages((_k, m) => `/meetings/${m.occurrenceId}`),
  '/meetings/:occurrenceId/move': () => herMeetingPages((_k, m) => `/meetings/${m.occurrenceId}/move`),
  // Live chat: she has written in B's room (her alias shows there, and to its leaders as one of its
  // people), never in A's or C's.
  '/g/:slug/chat': async () => {
    await Promise.all([chatRoom('A'), chatRoom('B'), chatRoom('C')]);
    return eachGroup((g) => `/g/${g.slug}/chat`);
  },
  '/meetings/:occurrenceId/room': () => herMeetingPages((_k, m) => `/meetings/${m.occurrenceId}/room`),
  '/chat/rooms/:roomId/messages': async () => [
    ...(await chatRoomPages('/messages')),
    ...(await chatRoomPages('/messages?after=0')),
  ],
  // Voice circles: she is in B's, under her alias there; never in A's or C's.
  '/meetings/:occurrenceId/circle': () => circlePages(''),
  '/meetings/:occurrenceId/circle/check': () => circlePages('/check'),
  '/meetings/:occurrenceId/circle/state': () => circlePages('/state'),
  '/circles/:circleId/ice': async () =>
    Promise.all(
      (['A', 'B', 'C'] as const).map(async (k) => inGroup(k, `/circles/${(await sharedCircle(k)).circleId}/ice`)),
    ),
  '/g/:slug/circles/settings': () => eachGroup((g) => `/g/${g.slug}/circles/settings`),
  // Polls, "find a time", webhooks, tokens, files and agreements.
  '/g/:slug/polls/new': () => eachGroup((g) => `/g/${g.slug}/polls/new`),
  '/g/:slug/polls/find-a-time': () => eachGroup((g) => `/g/${g.slug}/polls/find-a-time`),
  // A closed "find a time" poll she voted in (anonymously in A and C), ready to schedule.
  '/polls/:id/schedule': () => herPollPages('time', '/schedule'),
  '/g/:slug/agreements': () => eachGroup((g) => `/g/${g.slug}/agreements`),
  '/g/:slug/agreements/edit': () => eachGroup((g) => `/g/${g.slug}/agreements/edit`),
  '/g/:slug/settings/files': () => eachGroup((g) => `/g/${g.slug}/settings/files`),
  // Her photos, by whoever may read her posts: never her name (in the file's metadata or its name).
  '/files/:publicId/:variant': async () => {
    const ids = await herPhotos();
    return [
      ...(['main', 'thumb.webp'] as const).flatMap((v) => [
        aboutAnonymous('A', fileUrl(ids.A, v)),
        inGroup('B', fileUrl(ids.B, v)),
        aboutAnonymous('C', fileUrl(ids.C, v)),
      ]),
      aboutAnonymous('A', `${fileUrl(ids.A, 'main')}?download=1`),
    ];
  },
  // Webhooks she registered: their pages never name who made them.
  '/g/:slug/webhooks': async () => {
    await Promise.all([sharedWebhook('A'), sharedWebhook('B'), sharedWebhook('C')]);
    return eachGroup((g) => `/g/${g.slug}/webhooks`);
  },
  '/g/:slug/webhooks/:id': () => herWebhookPages('', false),
  '/o/:slug/webhooks': async () => {
    await sharedWebhook('org');
    return [site(`/o/${w.pw.organisation.slug}/webhooks`)];
  },
  '/o/:slug/webhooks/:id': () => orgWebhookPage('', false),
  // Access tokens: hers, asked for by everyone else (not theirs to see); the organisation's, one hers.
  '/account/tokens': () => [site('/account/tokens')],
  '/account/tokens/:id/revoke': async () => [site(`/account/tokens/${await herToken(false)}/revoke`)],
  '/o/:slug/tokens': async () => {
    await herToken(true);
    return [site(`/o/${w.pw.organisation.slug}/tokens`)];
  },
  '/o/:slug/tokens/:id/revoke': async () => [
    site(`/o/${w.pw.organisation.slug}/tokens/${await herToken(true)}/revoke`),
  ],
  '/api/docs': () => [site('/api/docs')],
};

/**
 * Forms are posted by a new person holding the role (in group A, for site-wide routes), so that
 * logging out, leaving or deleting an account never disturbs the cases after them.
 */
const posts: Record<string, Filler> = {
  '/messages/new': () => [
    inGroup('B', '/messages/new', { form: { group: w.g.B.slug, to: ALIAS.B, body: 'Hello there.' } }),
  ],
  '/messages/:conversationId': () => [inGroup('B', `/messages/${w.conversation}`, { form: { body: 'Hello.' } })],
  '/messages/:conversationId/accept': () => [inGroup('B', `/messages/${w.conversation}/accept`, { form: {} })],
  '/messages/:conversationId/decline': () => [inGroup('B', `/messages/${w.conversation}/decline`, { form: {} })],
  '/messages/:conversationId/leave': () => [inGroup('B', `/messages/${w.conversation}/leave`, { form: {} })],
  '/messages/:conversationId/report': () => [
    inGroup('B', `/messages/${w.conversation}/report`, { form: { messages: String(w.herMessage), reason: 'spam' } }),
  ],
  '/account/messages': () => [site('/account/messages', { whoMayMessage: 'shared_groups' })],
  '/admin/conversation-reports/:id/resolve': async () => [
    inGroup('B', `/admin/conversation-reports/${await herReport()}/resolve`, { form: { outcome: 'dismissed' } }),
  ],
  '/setup': () => [site('/setup', { email: `setup${next()}@example.org`, password: PASSWORD, pseudonym: `s-${made}` })],
  '/signup': () => [
    site('/signup', { email: `signup${next()}@example.org`, password: PASSWORD, pseudonym: `su-${made}` }),
  ],
  '/login': async () => {
    const person = await w.pw.freshPerson();
    return [site('/login', { email: person.email, password: PASSWORD })];
  },
  '/login/two-factor': () => [site('/login/two-factor', { code: '123456' })],
  '/logout': () => [site('/logout')],
  '/logout-everywhere': () => [site('/logout-everywhere')],
  '/account/password': () => [
    site('/account/password', { currentPassword: PASSWORD, newPassword: 'another long password' }),
  ],
  '/account/verify-email': () => [site('/account/verify-email')],
  '/verify-email/:token': async () => {
    const person = await w.pw.freshPerson();
    return [site(`/verify-email/${(await createEmailVerification(db(), person.id))!.token}`)];
  },
  // Her address, typed by someone else: the answer must be the same as for anyone's.
  '/forgot-password': () => [site('/forgot-password', { email: EMAIL })],
  '/reset-password/:token': () => [
    site(`/reset-password/${randomBytes(18).toString('base64url')}`, { newPassword: 'x' }),
  ],
  '/account/sessions/:id/end': () => [site(`/account/sessions/${w.sessionId}/end`)],
  '/account/two-factor': () => [site('/account/two-factor', { code: '000000' })],
  '/account/two-factor/off': () => [site('/account/two-factor/off', { password: PASSWORD })],
  '/account/recovery-codes': () => [site('/account/recovery-codes', { password: PASSWORD })],
  '/account/passkeys/options': () => [site('/account/passkeys/options')],
  '/account/passkeys': () => [site('/account/passkeys', { id: w.passkeyId })],
  '/account/passkeys/:id/remove': () => [site(`/account/passkeys/${w.passkeyId}/remove`)],
  '/login/passkey/options': () => [site('/login/passkey/options')],
  '/login/passkey': () => [site('/login/passkey', { id: w.passkeyId })],
  '/account/settings': () => [
    site('/account/settings', { membershipVisibility: 'members', timeZone: 'UTC', locale: 'auto' }),
  ],
  '/account/data/export': () => [site('/account/data/export')],
  '/push/subscriptions': () => [site('/push/subscriptions', pushForm())],
  // Her device, which nobody else can turn off (or learn anything of).
  '/push/subscriptions/:id/delete': async () => [site(`/push/subscriptions/${await herPushDevice()}/delete`)],
  '/account/push': () => [
    site('/account/push', { intent: 'details', details: 'on' }),
    site('/account/push', { intent: 'test' }),
  ],
  '/account/delete': () => [site('/account/delete', { posts: 'keep', password: PASSWORD })],
  '/groups/new': () => [
    site('/groups/new', {
      name: `Started in the leak test ${next()}`,
      summary: 'A group started while looking for leaks.',
      tags: 'testing',
      language: 'en',
      leadership: 'peer',
      visibility: 'public',
    }),
  ],
  '/organisations/new': () => [
    site('/organisations/new', { name: `Organisation ${next()}`, kind: 'charity', description: '', website: '' }),
  ],
  '/o/:slug/admins': async () => [
    site(`/o/${w.pw.organisation.slug}/admins`, { pseudonym: (await w.pw.freshPerson()).pseudonym }),
  ],
  '/admin/trust': async () => [site('/admin/trust', { pseudonym: (await w.pw.freshPerson()).pseudonym, level: '1' })],
  '/admin/watched-words': () => [site('/admin/watched-words', { word: `zzleakword${next()}`, action: 'flag' })],
  '/admin/crisis-resources': () => [site('/admin/crisis-resources', resourceForm())],
  '/admin/crisis-resources/:id': async () => [site(`/admin/crisis-resources/${await freshResource()}`, resourceForm())],
  '/admin/crisis-resources/:id/delete': async () => [site(`/admin/crisis-resources/${await freshResource()}/delete`)],
  '/listings/new': () => [site('/listings/new', listingForm())],
  '/listings/:id/edit': async () => [site(`/listings/${await herListing('pending')}/edit`, listingForm())],
  '/listings/:id/claim': async () => [
    site(`/listings/${await herListing('approved')}/claim`, { message: 'I have run this group for years.' }),
  ],
  '/admin/listings/:id/approve': async () => [site(`/admin/listings/${await herListing('pending')}/approve`)],
  '/admin/listings/:id/decline': async () => {
    const id = await herListing('pending');
    return [site(`/admin/listings/${id}/decline`, { [`reason-${id}`]: 'We could not reach the group.' })];
  },
  // Approving someone else's claim on her listing (a claim of hers approved would make her a
  // group's owner, shown as such on its pages); declining hers.
  '/admin/listings/claims/:id/approve': async () => {
    const other = await w.pw.freshPerson();
    return [site(`/admin/listings/claims/${await claimOn(await herListing('approved'), other.id)}/approve`)];
  },
  '/admin/listings/claims/:id/decline': async () => [
    site(`/admin/listings/claims/${await claimOn(await herListing('approved'), AUTHOR_ID)}/decline`),
  ],
  '/safety/alerts/:id/resolve': () => [
    aboutAnonymous('A', `/safety/alerts/${w.alertA}/resolve`, { form: { note: 'Reached out.' } }),
    inGroup('B', `/safety/alerts/${w.alertB}/resolve`, { form: { note: '' } }),
  ],
  '/safety/alerts/:id/check-in-message': () => [
    aboutAnonymous('A', `/safety/alerts/${w.alertA}/check-in-message`, { form: { message: 'Thinking of you.' } }),
    inGroup('B', `/safety/alerts/${w.alertB}/check-in-message`, { form: { message: '' } }),
  ],
  '/safety/alerts/:id/check-in': () => [
    aboutAnonymous('A', `/safety/alerts/${w.alertA}/check-in`, { htmx: true }),
    inGroup('B', `/safety/alerts/${w.alertB}/check-in`),
  ],
  '/g/:slug/listing': () => [
    inGroup('A', `/g/${w.g.A.slug}/listing`, {
      form: { topics: 'caregiving', formats: 'forum', audiences: 'self', place: 'Leeds', searchEngines: 'on' },
    }),
  ],
  '/admin/topics': () => [site('/admin/topics', { name: `Leak topic ${next()}`, parent: '', synonyms: 'leaky' })],
  '/admin/topics/:id': async () => [site(`/admin/topics/${await freshTopic()}`, { name: `Leak topic ${next()}` })],
  '/admin/topics/:id/remove': async () => [site(`/admin/topics/${await freshTopic()}/remove`)],
  '/admin/watched-words/:id/remove': async () => {
    const [word] = await db()
      .insert(watchedWords)
      .values({ word: `zzleakword${next()}`, action: 'flag' })
      .returning({ id: watchedWords.id });
    return [site(`/admin/watched-words/${word!.id}/remove`)];
  },
  '/o/:slug/admins/:pseudonym/remove': async () => [
    site(`/o/${w.pw.organisation.slug}/admins/${(await w.pw.freshPerson()).pseudonym}/remove`),
  ],
  '/o/:slug/groups/new': () => [
    site(`/o/${w.pw.organisation.slug}/groups/new`, {
      name: `Organisation group ${next()}`,
      summary: 'A group started while looking for leaks.',
      tags: 'testing',
      language: 'en',
      leadership: 'peer',
      visibility: 'public',
    }),
  ],
  '/g/:slug/edit': () => [
    inGroup('A', `/g/${w.g.A.slug}/edit`, {
      form: {
        name: w.g.A.name,
        summary: 'A group for checking who may do what.',
        tags: 'testing',
        language: 'en',
        leadership: 'professional',
        visibility: w.g.A.kind.visibility,
      },
    }),
  ],
  '/g/:slug/join': () => eachGroup((g) => `/g/${g.slug}/join`, { form: { alias: `Joiner ${next()}` } }),
  '/g/:slug/leave': () => eachGroup((g) => `/g/${g.slug}/leave`),
  '/g/:slug/apply': () => [inGroup('C', `/g/${w.g.C.slug}/apply`, { form: { answers: 'A friend.', alias: '' } })],
  '/g/:slug/apply/withdraw': () => [inGroup('C', `/g/${w.g.C.slug}/apply/withdraw`)],
  '/applications/:id/decision': async () => [
    inGroup('C', `/applications/${await w.pw.freshApplication(w.g.C)}/decision`, { form: { decision: 'approve' } }),
  ],
  '/g/:slug/invitations': () => [
    inGroup('A', `/g/${w.g.A.slug}/invitations`, { form: { email: '', days: '7', uses: '2' } }),
  ],
  '/g/:slug/invitations/:id/revoke': async () => [
    inGroup('A', `/g/${w.g.A.slug}/invitations/${(await w.pw.freshInvitation(w.g.A)).id}/revoke`),
  ],
  '/invite/:token': async () => [
    inGroup('A', `/invite/${(await w.pw.freshInvitation(w.g.A)).token}`, { form: { alias: '' } }),
  ],
  '/g/:slug/settings': () => [
    inGroup('A', `/g/${w.g.A.slug}/settings`, {
      form: groupSettings(w.g.A, { anonymousPosts: 'on', facilitatorsReveal: 'on' }),
    }),
  ],
  // Leaders' tools, named by her alias where they name a person: a role she has already, notes, a check.
  '/g/:slug/members/:name/role': () => [
    inGroup('A', `/g/${w.g.A.slug}/members/${ALIAS.A}/role`, { form: { role: 'member' } }),
  ],
  '/g/:slug/members/:name/remove': async () => {
    const target = await w.pw.freshPerson();
    await w.pw.giveRole(target, 'member', w.g.A);
    return [
      inGroup('A', `/g/${w.g.A.slug}/members/${target.pseudonym}/remove`, {
        form: { reason: 'Unkind posts', ban: 'on' },
      }),
    ];
  },
  '/g/:slug/bans/:name/lift': () => [inGroup('A', `/g/${w.g.A.slug}/bans/${ALIAS.A}/lift`)],
  '/g/:slug/bans/anonymous/:postId/lift': () => [
    aboutAnonymous('A', `/g/${w.g.A.slug}/bans/anonymous/${w.anonReply}/lift`),
  ],
  '/g/:slug/credential': () => [inGroup('A', `/g/${w.g.A.slug}/credential`, { form: { credential: 'Chaplain' } })],
  '/g/:slug/members/:name/verify': () => [inGroup('A', `/g/${w.g.A.slug}/members/${ALIAS.A}/verify`)],
  '/g/:slug/members/:name/notes': () => [
    inGroup('A', `/g/${w.g.A.slug}/members/${ALIAS.A}/notes`, { form: { body: 'Seems to be finding their feet.' } }),
  ],
  '/g/:slug/name': () => eachGroup((g) => `/g/${g.slug}/name`, { form: { alias: '' } }),
  '/g/:slug/fees': () => [
    inGroup('A', `/g/${w.g.A.slug}/fees`, {
      form: { amount: '10.00', minimum: '5.00', currency: 'GBP', interval: 'month' },
    }),
  ],
  '/g/:slug/pay/card': () => [inGroup('A', `/g/${w.g.A.slug}/pay/card`, { form: { amount: '10.00' } })],
  '/g/:slug/pay/waiver': () => [inGroup('A', `/g/${w.g.A.slug}/pay/waiver`, { form: { message: 'I cannot pay.' } })],
  '/g/:slug/payments': () => [
    inGroup('A', `/g/${w.g.A.slug}/payments`, {
      form: { pseudonym: ALIAS.A, amount: '10.00', receivedOn: '2025-01-01' },
    }),
  ],
  '/g/:slug/payments/waivers/:id/:decision': async () => [
    inGroup('A', `/g/${w.g.A.slug}/payments/waivers/${await w.pw.freshHardshipRequest(w.g.A)}/grant`),
  ],
  '/webhooks/stripe': () => [site('/webhooks/stripe')],
  '/g/:slug/threads/new': () => [
    aboutAnonymous('A', `/g/${w.g.A.slug}/threads/new`, {
      form: { title: 'Also anonymous', body: 'Me too.', anonymous: 'on' },
    }),
  ],
  '/threads/:id/replies': () => [
    aboutAnonymous('A', `/threads/${w.anonThread}/replies`, { form: { body: 'Thinking of you.', anonymous: 'on' } }),
    aboutAnonymous('A', `/threads/${w.anonThread}/replies`, { form: { body: 'Thinking of you.' }, htmx: true }),
  ],
  '/posts/:id/reactions/:kind': () => [
    aboutAnonymous('A', `/posts/${w.anonOpening}/reactions/support`),
    aboutAnonymous('A', `/posts/${w.anonReply}/reactions/me_too`, { htmx: true }),
  ],
  '/posts/:id/edit': () => herPosts((id) => `/posts/${id}/edit`, { body: 'Changed by someone else.' }),
  '/posts/:id/delete': () => herPosts((id) => `/posts/${id}/delete`),
  '/posts/:id/hide': () => [aboutAnonymous('A', `/posts/${w.anonReply}/hide`)],
  '/posts/:id/restore': () => [aboutAnonymous('A', `/posts/${w.anonReply}/restore`)],
  '/threads/:id/lock': () => [aboutAnonymous('A', `/threads/${w.anonThread}/lock`)],
  '/threads/:id/unlock': () => [aboutAnonymous('A', `/threads/${w.anonThread}/unlock`)],
  '/threads/:id/pin': () => [aboutAnonymous('A', `/threads/${w.anonThread}/pin`)],
  '/threads/:id/unpin': () => [aboutAnonymous('A', `/threads/${w.anonThread}/unpin`)],
  '/posts/:id/reveal': () => [
    aboutAnonymous('A', `/posts/${w.anonOpening}/reveal`, { form: { reason: 'A safeguarding concern.' } }),
  ],
  '/posts/:id/ban-author': () => [
    aboutAnonymous('A', `/posts/${w.anonReply}/ban-author`, { form: { reason: 'Cruel posts' } }),
  ],
  '/posts/:id/review': () => [aboutAnonymous('C', `/posts/${w.pendingPost}/review`, { form: { decision: 'approve' } })],
  // Flagging her anonymous reply, then deciding on it: the first moderator's warning reaches her
  // unseen; later ones find it decided and are shown the queue again, which must not name her either.
  '/posts/:id/flag': () => [
    aboutAnonymous('A', `/posts/${w.anonReply}/flag`, { form: { reason: 'harmful', note: 'Checking.' } }),
  ],
  '/posts/:id/flags/decision': () => [
    aboutAnonymous('A', `/posts/${w.anonReply}/flags/decision`, {
      form: { decision: 'warn', message: 'Please be kind.' },
    }),
  ],
  '/g/:slug/silences/:id/lift': async () => {
    const [row] = await db()
      .insert(silences)
      .values({
        groupId: w.g.A.id,
        userId: AUTHOR_ID,
        postId: w.anonReply,
        anonymous: true,
        reason: 'Cooling off',
        endsAt: new Date(Date.now() + 60_000),
      })
      .returning({ id: silences.id });
    return [aboutAnonymous('A', `/g/${w.g.A.slug}/silences/${row!.id}/lift`)];
  },
  // Blocking her: refused on her anonymous posts (it would link them), by her alias where she uses it.
  '/posts/:id/block': () => herPosts((id) => `/posts/${id}/block`),
  // Thanking her posts: the note reaches her; the sender learns nothing of who wrote an anonymous one.
  '/posts/:id/thanks': () => herPosts((id) => `/posts/${id}/thanks`, { message: 'Thank you for this.' }),
  '/account/support/badges': () => [site('/account/support/badges', { shown: 'first_reply' })],
  '/g/:slug/members/:name/block': () =>
    (['A', 'B', 'C'] as const).map((k) => inGroup(k, `/g/${w.g[k].slug}/members/${enc(ALIAS[k])}/block`)),
  '/account/blocked/unblock': () => [
    inGroup('B', '/account/blocked/unblock', { form: { group: String(w.g.B.id), name: ALIAS.B } }),
  ],
  '/posts/:id/hide-for-me': () => herPosts((id) => `/posts/${id}/hide-for-me`),
  '/posts/:id/show-for-me': () => herPosts((id) => `/posts/${id}/show-for-me`),
  '/threads/:id/mute': () => [
    aboutAnonymous('A', `/threads/${w.anonThread}/mute`),
    inGroup('B', `/threads/${w.aliasThread}/mute`),
  ],
  '/threads/:id/unmute': () => [
    aboutAnonymous('A', `/threads/${w.anonThread}/unmute`),
    inGroup('B', `/threads/${w.aliasThread}/unmute`),
  ],
  // Following her discussions (the control comes back in place with htmx), and her groups.
  '/g/:slug/t/:threadId/follow': () => [
    aboutAnonymous('A', `/g/${w.g.A.slug}/t/${w.anonThread}/follow`, { form: { level: 'watching' }, htmx: true }),
    aboutAnonymous('A', `/g/${w.g.A.slug}/t/${w.anonThread}/follow`, { form: { level: 'tracking' } }),
    inGroup('B', `/g/${w.g.B.slug}/t/${w.aliasThread}/follow`, { form: { level: 'watching' }, htmx: true }),
  ],
  '/g/:slug/follow': () => eachGroup((g) => `/g/${g.slug}/follow`, { form: { level: 'watching' }, htmx: true }),
  '/posts/:id/warning': () => herPosts((id) => `/posts/${id}/warning`, { warning: 'other', warningOther: 'hard news' }),
  '/account/content-warnings': () => [site('/account/content-warnings', { suicide: 'show' })],
  '/account/support/prompts': () => [site('/account/support/prompts', { replyPrompts: 'on' })],
  '/account/support/prompts/off': () => [site('/account/support/prompts/off')],
  // Her address, typed into a group's sign-up by someone else: the answer is the same as for anyone's.
  '/g/:slug/newsletters/subscribe': () =>
    eachGroup((g) => `/g/${g.slug}/newsletters/subscribe`, { form: { email: EMAIL } }),
  '/g/:slug/newsletters/new': () =>
    eachGroup((g) => `/g/${g.slug}/newsletters/new`, {
      form: { subject: 'News', body: 'Hello.', audience: 'members' },
    }),
  '/g/:slug/newsletters/:id/edit': () =>
    herNewsletterPages('draft', '/edit', { subject: 'News', body: 'Hello.', audience: 'members' }),
  '/g/:slug/campaigns/new': () => eachGroup((g) => `/g/${g.slug}/campaigns/new`, { form: campaignFields() }),
  '/g/:slug/campaigns/:id/edit': () => herCampaignPages('draft', 'group', '/edit', campaignFields()),
  '/g/:slug/campaigns/:id/publish': () => herCampaignPages('draft', 'group', '/publish'),
  '/g/:slug/campaigns/:id/close': () => herCampaignPages('published', 'group', '/close'),
  '/g/:slug/campaigns/:id/updates': () =>
    herCampaignPages('published', 'group', '/updates', { body: 'News of the campaign.' }),
  '/campaigns/:slug/sign': () => herCampaignPages('published', 'public', '/sign', { how: 'public' }),
  '/campaigns/:slug/withdraw': () => herCampaignPages('published', 'public', '/withdraw'),
  '/g/:slug/resources/new': () => eachGroup((g) => `/g/${g.slug}/resources/new`, { form: resourceFields() }),
  '/g/:slug/resources/:id/edit': () => herResourcePages('approved', '/edit', resourceFields()),
  '/g/:slug/resources/:id/helped': () => herResourcePages('approved', '/helped'),
  '/g/:slug/resources/:id/approve': () => herResourcePages('suggested', '/approve'),
  '/g/:slug/resources/:id/decline': () => herResourcePages('suggested', '/decline', { reason: 'Not for us.' }),
  '/g/:slug/resources/:id/reviewed': () => herResourcePages('approved', '/reviewed'),
  '/g/:slug/resources/:id/vouch': () => herResourcePages('approved', '/vouch'),
  '/g/:slug/resources/:id/delete': () => herResourcePages('approved', '/delete'),
  // Saving her posts: refused on the anonymous one (it would ask her, and so tell who she is).
  '/g/:slug/coping': () => [
    aboutAnonymous('A', `/g/${w.g.A.slug}/coping`, { form: { postId: String(w.anonReply), title: 'Breathing' } }),
    aboutAnonymous('C', `/g/${w.g.C.slug}/coping`, { form: { postId: String(w.pendingPost), title: 'Breathing' } }),
    inGroup('B', `/g/${w.g.B.slug}/coping`, { form: { postId: String(w.aliasPost), title: 'Breathing' } }),
  ],
  '/g/:slug/coping/:id/consent': async () => {
    const ids = await herCopingStrategies('requested');
    return (['A', 'B', 'C'] as const).map((k) => inGroup(k, `/g/${w.g[k].slug}/coping/${ids[k]}/consent`));
  },
  '/g/:slug/coping/:id/decline': async () => {
    const ids = await herCopingStrategies('approved');
    return (['A', 'B', 'C'] as const).map((k) => inGroup(k, `/g/${w.g[k].slug}/coping/${ids[k]}/decline`));
  },
  '/g/:slug/newsletters/:id/test': () => herNewsletterPages('draft', '/test'),
  '/g/:slug/newsletters/:id/send': () => herNewsletterPages('draft', '/send'),
  '/g/:slug/newsletters/:id/schedule': () =>
    herNewsletterPages('draft', '/schedule', { date: '2040-01-01', time: '09:00' }),
  '/g/:slug/newsletters/:id/cancel': () => herNewsletterPages('scheduled', '/cancel'),
  '/newsletters/confirm/:token': async () => [site(`/newsletters/confirm/${await herSubscription('confirm')}`)],
  '/newsletters/unsubscribe/:token': async () => [
    site(`/newsletters/unsubscribe/${await herSubscription('subscriber')}`),
    site(`/newsletters/unsubscribe/${signMailToken(w.pw.world.mail.secret, 'newsletter', [AUTHOR_ID, w.g.B.id])}`),
  ],
  '/account/email': () => [site('/account/email', { digestHour: '8', digestWeekday: '1' })],
  '/account/email/resume': () => [site('/account/email/resume')],
  '/g/:slug/email': () => eachGroup((g) => `/g/${g.slug}/email`, { form: { mode: 'daily', newsletters: 'on' } }),
  '/g/:slug/email/settings': () =>
    eachGroup((g) => `/g/${g.slug}/email/settings`, { form: { defaultMode: 'daily', postByEmail: 'on' } }),
  // Her own unsubscribe link, in anyone's hands: it names the group, never her.
  '/mail/unsubscribe/:token': () => [site(`/mail/unsubscribe/${herListToken()}`, {})],
  '/notifications/read-all': () => [site('/notifications/read-all')],
  '/notifications/:id/read': () => [site(`/notifications/${w.notices.member}/read`)],
  '/notifications/:id/unread': () => [site(`/notifications/${w.notices.member}/unread`)],
  '/account/notifications': () => [
    site('/account/notifications', {
      'reply.inApp': 'on',
      'reply.email': 'on',
      emailEvery: '60',
      quietFrom: '22:00',
      quietUntil: '07:00',
    }),
  ],
  '/notifications/unsubscribe/:token': () => [site(`/notifications/unsubscribe/${herNotificationToken()}`, {})],
  '/account/meetings': () => [
    site('/account/meetings', { byEmail: 'on', inApp: 'on', dayBefore: 'on', hourBefore: 'on' }),
  ],
  '/account/meetings/calendar/reset': () => [site('/account/meetings/calendar/reset', {})],
  '/g/:slug/meetings/new': () => eachGroup((g) => `/g/${g.slug}/meetings/new`, { form: meetingFields() }),
  '/g/:slug/meetings/:meetingId/edit': () =>
    herMeetingPages((k, m) => `/g/${w.g[k].slug}/meetings/${m.meetingId}/edit`, { form: meetingFields() }),
  '/g/:slug/meetings/:meetingId/cancel': () =>
    herMeetingPages((k, m) => `/g/${w.g[k].slug}/meetings/${m.meetingId}/cancel`, { form: { note: 'Closed.' } }),
  // A refused answer or cancellation shows the date's page again (through htmx, its answers panel),
  // which lists who is coming to the group's leaders.
  '/meetings/:occurrenceId/rsvp': async () => [
    ...(await herMeetingPages((_k, m) => `/meetings/${m.occurrenceId}/rsvp`, {
      form: { status: 'going' },
      aliasMayShow: true,
    })),
    ...(await herMeetingPages((_k, m) => `/meetings/${m.occurrenceId}/rsvp`, {
      form: { status: 'maybe' },
      htmx: true,
      aliasMayShow: true,
    })),
  ],
  '/meetings/:occurrenceId/cancel': () =>
    herMeetingPages((_k, m) => `/meetings/${m.occurrenceId}/cancel`, {
      form: { note: 'Closed.' },
      aliasMayShow: true,
    }),
  '/meetings/:occurrenceId/move': () =>
    herMeetingPages((_k, m) => `/meetings/${m.occurrenceId}/move`, {
      form: {
        date: new Date(Date.now() + 15 * 24 * 3600_000).toISOString().slice(0, 10),
        time: '20:00',
        timeZone: 'UTC',
      },
    }),
  '/chat/rooms/:roomId/messages': () => chatRoomPages('/messages', { form: { body: 'Thinking of you all.' } }),
  '/chat/rooms/:roomId/messages/:messageId/remove': () => chatMessagePages('/remove', { form: {} }),
  '/chat/rooms/:roomId/pause': () => chatRoomPages('/pause', { form: {} }),
  '/chat/rooms/:roomId/resume': () => chatRoomPages('/resume', { form: {} }),
  '/chat/rooms/:roomId/end': () => herMeetingRoomPages('/end', { form: {} }),
  '/chat/rooms/:roomId/participants/:name/mute': () => chatPeoplePages('mute'),
  '/chat/rooms/:roomId/participants/:name/unmute': () => chatPeoplePages('unmute'),
  '/chat/rooms/:roomId/participants/:name/remove': () => chatPeoplePages('remove'),
  // Voice circles: opened, joined and run in each group; she is in B's.
  '/meetings/:occurrenceId/circle/open': async () =>
    Promise.all(
      (['A', 'B', 'C'] as const).map(async (k) => {
        const { occurrenceIds } = await makeMeeting(w.pw.world, w.g[k], {
          starts: [new Date(Date.now() - 10 * 60_000)],
          kind: 'online',
        });
        return inGroup(k, `/meetings/${occurrenceIds[0]}/circle/open`, { form: { kind: 'voice' } });
      }),
    ),
  ...Object.fromEntries(
    [
      'join',
      'leave',
      'mute',
      'unmute',
      'raise-hand',
      'lower-hand',
      'camera-on',
      'camera-off',
      'end',
      'lock',
      'unlock',
      'mute-all',
      'start-share',
    ].map((action) => [
      `/meetings/:occurrenceId/circle/${action}`,
      () => circlePages(`/${action}`, { form: {} }, { shareSeconds: 180 }),
    ]),
  ),
  '/meetings/:occurrenceId/circle/mode': () => circlePages('/mode', { form: { mode: 'stick' } }),
  '/meetings/:occurrenceId/circle/timer': () => circlePages('/timer', { form: { seconds: '180' } }),
  '/meetings/:occurrenceId/circle/pass-stick': () => circlePages('/pass-stick', { form: {} }, { mode: 'stick' }),
  ...Object.fromEntries(
    ['admit', 'remove', 'mute', 'allow-unmute', 'give-stick'].map((action) => [
      `/meetings/:occurrenceId/circle/participants/:pid/${action}`,
      () => circlePeoplePages(action, action === 'give-stick' ? { mode: 'stick' } : {}),
    ]),
  ),
  '/g/:slug/circles/settings': () =>
    eachGroup((g) => `/g/${g.slug}/circles/settings`, { form: { waitingRoom: 'leadership' } }),
  // Polls: starting one, voting in hers (the answer, as a page or an htmx fragment, shows the
  // results: named votes only in B), closing hers, and making a meeting of her "find a time" poll.
  '/g/:slug/polls/new': () => eachGroup((g) => `/g/${g.slug}/polls/new`, { form: pollFields() }),
  '/g/:slug/polls/find-a-time': () => eachGroup((g) => `/g/${g.slug}/polls/find-a-time`, { form: timePollFields() }),
  '/polls/:id/vote': async () => [
    ...(await herPollPages('choice', '/vote', (p) => ({ form: { option: String(p.optionIds[1]) } }))),
    ...(await herPollPages('choice', '/vote', (p) => ({ form: { option: String(p.optionIds[0]) }, htmx: true }))),
  ],
  '/polls/:id/close': () => herPollPages('choice', '/close'),
  '/polls/:id/schedule': () =>
    herPollPages('time', '/schedule', (p) => ({
      form: { option: String(p.optionIds[0]), title: 'Spring walk', kind: 'online' },
    })),
  // Agreements: an empty text (so joining elsewhere asks nothing more), and accepting them.
  '/g/:slug/agreements/edit': () =>
    eachGroup((g) => `/g/${g.slug}/agreements/edit`, {
      form: { body: '', welcomeMessage: 'Welcome, and take your time.' },
    }),
  '/g/:slug/agreements/accept': () => eachGroup((g) => `/g/${g.slug}/agreements/accept`, { form: {} }),
  // Files: a group's settings (the defaults), and an upload without a file (refused as invalid).
  '/g/:slug/settings/files': () =>
    eachGroup((g) => `/g/${g.slug}/settings/files`, { form: { imagesAllowed: 'on', filesAllowed: 'on' } }),
  '/uploads': () => [...eachGroup((g) => `/uploads?place=g:${g.slug}`, { form: {} }), site('/uploads?place=pm', {})],
  // Webhooks: registering one (before any is deleted, so a group holds fewer than its limit), and
  // changing hers; a fresh one of hers for each deletion.
  '/g/:slug/webhooks': () => eachGroup((g) => `/g/${g.slug}/webhooks`, { form: webhookFields() }),
  '/g/:slug/webhooks/:id/test': () => herWebhookPages('/test', false, {}),
  '/g/:slug/webhooks/:id/disable': () => herWebhookPages('/disable', false, {}),
  '/g/:slug/webhooks/:id/enable': () => herWebhookPages('/enable', false, {}),
  '/g/:slug/webhooks/:id/delete': () => herWebhookPages('/delete', true, {}),
  '/o/:slug/webhooks': () => [site(`/o/${w.pw.organisation.slug}/webhooks`, webhookFields())],
  '/o/:slug/webhooks/:id/test': () => orgWebhookPage('/test', false, {}),
  '/o/:slug/webhooks/:id/disable': () => orgWebhookPage('/disable', false, {}),
  '/o/:slug/webhooks/:id/enable': () => orgWebhookPage('/enable', false, {}),
  '/o/:slug/webhooks/:id/delete': () => orgWebhookPage('/delete', true, {}),
  // Tokens: making one's own (or the organisation's), and revoking hers.
  '/account/tokens': () => [site('/account/tokens', tokenFields())],
  '/account/tokens/:id/revoke': async () => [site(`/account/tokens/${await herToken(false)}/revoke`, {})],
  '/o/:slug/tokens': () => [site(`/o/${w.pw.organisation.slug}/tokens`, tokenFields())],
  '/o/:slug/tokens/:id/revoke': async () => [
    site(`/o/${w.pw.organisation.slug}/tokens/${await herToken(true)}/revoke`, {}),
  ],
};

/** Routes that are not pages: each is covered as a channel below. */
const channels: Record<string, string> = { 'GET /live': 'the live topics, followed while she writes' };

/**
 * The JSON API (/api/v1), by "METHOD route": read and written with a bearer token of each role's
 * person (none for the visitor; a fresh person's for a change), as a program would, without cookies.
 */
type ApiMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type ApiFill = Fill & { body?: unknown };
const withBody =
  (body: unknown) =>
  (fill: Fill): ApiFill => ({ ...fill, body });
/** Her threads, by what the group knows of them: anonymous in A and C (C's waiting), under her alias in B. */
const herThreads = (path: (id: number) => string): Fill[] => [
  aboutAnonymous('A', path(w.anonThread)),
  aboutAnonymous('A', path(w.g.A.thread.id)),
  aboutAnonymous('C', path(w.pendingThread)),
  inGroup('B', path(w.aliasThread)),
];
/** A fresh anonymous reply of hers in her thread in C, waiting for approval (made directly: she is paused there). */
async function herPendingReply(): Promise<number> {
  const [row] = await db()
    .insert(forumPosts)
    .values({
      groupId: w.g.C.id,
      threadId: w.pendingThread,
      authorId: AUTHOR_ID,
      status: 'pending',
      anonymous: true,
      anonymousNumber: 1,
      body: 'Still waiting to be heard.',
      bodyHtml: '<p>Still waiting to be heard.</p>',
    })
    .returning({ id: forumPosts.id });
  return row!.id;
}
/** A person's name in the URL, answered back to the caller: it tells them nothing they did not send. */
const echoesName = { aliasMayShow: true };
const apiRoutes: Record<string, () => ApiFill[] | Promise<ApiFill[]>> = {
  'GET /api/v1/me': () => [site('/api/v1/me')],
  'GET /api/v1/openapi.json': () => [site('/api/v1/openapi.json')],
  // Groups, the directory and discussions (src/features/{directory,groups,forum}/api.ts).
  'GET /api/v1/groups': () => [site('/api/v1/groups?limit=100'), site(`/api/v1/groups?q=${enc(w.g.B.name)}`)],
  'GET /api/v1/groups/:slug': () => eachGroup((g) => `/api/v1/groups/${g.slug}`),
  'POST /api/v1/groups/:slug/join': () => eachGroup((g) => `/api/v1/groups/${g.slug}/join`).map(withBody({})),
  'POST /api/v1/groups/:slug/leave': () => eachGroup((g) => `/api/v1/groups/${g.slug}/leave`).map(withBody({})),
  'POST /api/v1/groups/:slug/applications': () =>
    eachGroup((g) => `/api/v1/groups/${g.slug}/applications`).map(withBody({ answers: ['A friend told me.'] })),
  'GET /api/v1/groups/:slug/threads': () => eachGroup((g) => `/api/v1/groups/${g.slug}/threads?limit=100`),
  'POST /api/v1/groups/:slug/threads': () =>
    eachGroup((g) => `/api/v1/groups/${g.slug}/threads`).map(withBody({ title: 'Checking in', body: 'Hello all.' })),
  'GET /api/v1/threads/:id': () => herThreads((id) => `/api/v1/threads/${id}`),
  'GET /api/v1/threads/:id/posts': () => herThreads((id) => `/api/v1/threads/${id}/posts?limit=100`),
  'POST /api/v1/threads/:id/posts': () =>
    herThreads((id) => `/api/v1/threads/${id}/posts`).map(withBody({ body: 'Thinking of you.' })),
  'PATCH /api/v1/posts/:id': () => herPosts((id) => `/api/v1/posts/${id}`).map(withBody({ body: 'Edited.' })),
  'POST /api/v1/posts/:id/reactions': () =>
    herPosts((id) => `/api/v1/posts/${id}/reactions`).map(withBody({ kind: 'support' })),
  'DELETE /api/v1/posts/:id/reactions/:kind': () => herPosts((id) => `/api/v1/posts/${id}/reactions/support`),
  // The account and organisations (src/features/api/account-api.ts): each token gives itself up.
  'DELETE /api/v1/me/token': () => [site('/api/v1/me/token')],
  'GET /api/v1/organisations/:slug': () => [site(`/api/v1/organisations/${w.pw.organisation.slug}`)],
  // Members, bans and applications (src/features/groups/members-api.ts). The members list names
  // her by her alias in each group (she is a member there); A's bans hold only the anonymous ban
  // by her post there, which must never name her, and C's none of hers.
  'GET /api/v1/groups/:slug/members': () =>
    eachGroup((g) => `/api/v1/groups/${g.slug}/members?limit=100`, { aliasMayShow: true }),
  'GET /api/v1/groups/:slug/bans': () => eachGroup((g) => `/api/v1/groups/${g.slug}/bans?limit=100`),
  // Lifting a ban by her alias: the anonymous ban by her post in A is never lifted (nor found) by a name.
  'DELETE /api/v1/groups/:slug/bans/:name': () =>
    (['A', 'B', 'C'] as const).map((k) =>
      inGroup(k, `/api/v1/groups/${w.g[k].slug}/bans/${enc(ALIAS[k])}`, echoesName),
    ),
  'PUT /api/v1/groups/:slug/members/:name/role': () =>
    (['A', 'B'] as const).map((k) =>
      withBody({ role: 'member' })(
        inGroup(k, `/api/v1/groups/${w.g[k].slug}/members/${enc(ALIAS[k])}/role`, echoesName),
      ),
    ),
  'POST /api/v1/groups/:slug/members/:name/remove': async () => {
    const target = await w.pw.freshPerson();
    await w.pw.giveRole(target, 'member', w.g.A);
    return [
      withBody({ reason: 'Unkind posts', ban: true })(
        inGroup('A', `/api/v1/groups/${w.g.A.slug}/members/${enc(target.pseudonym)}/remove`),
      ),
    ];
  },
  'GET /api/v1/groups/:slug/applications': async () => {
    await w.pw.freshApplication(w.g.C);
    return eachGroup((g) => `/api/v1/groups/${g.slug}/applications?limit=100`);
  },
  'POST /api/v1/applications/:id/approve': async () => [
    withBody({ message: 'Welcome.' })(
      inGroup('C', `/api/v1/applications/${await w.pw.freshApplication(w.g.C)}/approve`),
    ),
  ],
  'POST /api/v1/applications/:id/decline': async () => [
    withBody({ message: 'Not this time.' })(
      inGroup('C', `/api/v1/applications/${await w.pw.freshApplication(w.g.C)}/decline`),
    ),
  ],
  // Meetings (src/features/meetings/api.ts): a date's detail lists who is coming to its leaders,
  // by their names in the group, as its page does: there her alias may show.
  'GET /api/v1/groups/:slug/meetings': async () => {
    await herMeetings();
    return eachGroup((g) => `/api/v1/groups/${g.slug}/meetings?limit=100`);
  },
  'GET /api/v1/meetings/:occurrenceId': () =>
    herMeetingPages((_k, m) => `/api/v1/meetings/${m.occurrenceId}`, { aliasMayShow: true }),
  'POST /api/v1/meetings/:occurrenceId/rsvp': async () =>
    (await herMeetingPages((_k, m) => `/api/v1/meetings/${m.occurrenceId}/rsvp`, { aliasMayShow: true })).map(
      withBody({ answer: 'going' }),
    ),
  // Moderation (src/features/moderation/api.ts): the queue holds her anonymous posts in A (flagged)
  // and C (waiting), and her post in B (flagged); deciding on them never names her.
  'GET /api/v1/groups/:slug/review': () => eachGroup((g) => `/api/v1/groups/${g.slug}/review?limit=100`),
  'POST /api/v1/posts/:id/approve': async () => [
    withBody({ reason: 'Fine.' })(aboutAnonymous('C', `/api/v1/posts/${await herPendingReply()}/approve`)),
  ],
  'POST /api/v1/posts/:id/reject': async () => [
    withBody({ reason: 'Not here.' })(aboutAnonymous('C', `/api/v1/posts/${await herPendingReply()}/reject`)),
  ],
  'POST /api/v1/posts/:id/flags': () =>
    herPosts((id) => `/api/v1/posts/${id}/flags`).map(withBody({ reason: 'harmful', note: 'Checking.' })),
  'POST /api/v1/posts/:id/flags/decision': () => [
    withBody({ decision: 'warn', message: 'Please be kind.' })(
      aboutAnonymous('A', `/api/v1/posts/${w.anonReply}/flags/decision`),
    ),
    withBody({ decision: 'approve' })(inGroup('B', `/api/v1/posts/${w.aliasPost}/flags/decision`)),
  ],
  'POST /api/v1/posts/:id/hide': () => herPosts((id) => `/api/v1/posts/${id}/hide`).map(withBody({})),
  'POST /api/v1/posts/:id/restore': () => herPosts((id) => `/api/v1/posts/${id}/restore`).map(withBody({})),
  'POST /api/v1/threads/:id/lock': () => herThreads((id) => `/api/v1/threads/${id}/lock`).map(withBody({})),
  'POST /api/v1/threads/:id/unlock': () => herThreads((id) => `/api/v1/threads/${id}/unlock`).map(withBody({})),
  'POST /api/v1/threads/:id/pin': () => herThreads((id) => `/api/v1/threads/${id}/pin`).map(withBody({})),
  'POST /api/v1/threads/:id/unpin': () => herThreads((id) => `/api/v1/threads/${id}/unpin`).map(withBody({})),
};

/**
 * The only answers that may name her: a reveal, by those the group's policy names. They are
 * checked the other way round: the site administrator is shown her name in A and her pseudonym, a
 * facilitator (A lets them) her name in A and not her pseudonym.
 */
const reveals: Partial<Record<Role, { shows: string[]; hides: string[] }>> = {
  siteAdmin: { shows: [ALIAS.A, PSEUDONYM], hides: [ALIAS.B, ALIAS.C] },
  facilitator: { shows: [ALIAS.A], hides: [PSEUDONYM, ALIAS.B, ALIAS.C] },
};

// ---------------------------------------------------------------------------------------------
// Checking.
// ---------------------------------------------------------------------------------------------

function tracesIn(text: string, fill: Pick<Fill, 'group' | 'aliasMayShow'>): string[] {
  return secrets
    .filter((s) => !(s.group && s.group === fill.group && fill.aliasMayShow))
    .filter((s) => s.pattern.test(text))
    .map((s) => s.name);
}

/** The whole answer as a reader (or a script) gets it: status line, headers and body. */
function answerText(res: LightMyRequestResponse): string {
  return `${JSON.stringify(res.headers)}\n${res.body}`;
}

const checked = { requests: 0, routes: new Set<string>(), frames: 0, topics: 0, mails: 0 };

/** A program with a token of the person's (every scope), or with none for nobody. */
async function apiClientAs(person: Person | null): Promise<ApiClient> {
  return person ? apiClientFor(w.pw.world.app, db(), person.id) : new ApiClient(w.pw.world.app, null);
}

async function send(agent: Agent, method: 'GET' | 'POST', fill: Fill): Promise<LightMyRequestResponse> {
  if (method === 'GET') return agent.get(fill.url);
  return agent.post(fill.url, fill.form ?? {}, fill.htmx ? { htmx: true } : {});
}

/** Sends one request as one role, then follows where it leads; describes every trace found. */
async function check(route: string, method: 'GET' | 'POST', role: Role, agent: Agent, fill: Fill): Promise<string[]> {
  const res = await send(agent, method, fill);
  checked.requests += 1;
  checked.routes.add(`${method} ${route}`);
  const name = `${method} ${fill.url} as ${role}`;
  const reveal = method === 'POST' && route === '/posts/:id/reveal' ? reveals[role] : undefined;
  if (reveal) {
    // A reveal by someone the policy names must name her (as much as it may, and no more).
    const text = res.body.toLowerCase();
    return [
      ...reveal.shows.filter((s) => !text.includes(s.toLowerCase())).map((s) => `${name}: reveal does not show ${s}`),
      ...reveal.hides.filter((s) => text.includes(s.toLowerCase())).map((s) => `${name}: reveal shows ${s}`),
    ];
  }
  const found = tracesIn(answerText(res), fill).map((t) => `${name} (${res.statusCode}): ${t}`);
  const location = res.headers.location ?? res.headers['hx-redirect'];
  if (typeof location === 'string' && location.startsWith('/') && res.statusCode < 400) {
    const after = await agent.get(location);
    checked.requests += 1;
    // Judged as the page it is: her alias may show there if it is one of her group's people pages.
    // The login page carries the address that was asked for, to come back to: judged as that one.
    const login = '/login?next=';
    const judged = location.startsWith(login) ? decodeURIComponent(location.slice(login.length)) : location;
    const page = fill.group ? inGroup(fill.group, judged) : site(judged);
    found.push(
      ...tracesIn(answerText(after), page).map((t) => `${name} → GET ${location} (${after.statusCode}): ${t}`),
    );
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// The world.
// ---------------------------------------------------------------------------------------------

async function build(): Promise<World> {
  const pw = await buildPermissionWorld(await createWorld());
  const database = pw.world.database.db;
  const byName = (name: string) => pw.groups.find((g) => g.kind.name === name)!;
  const g = {
    A: byName('open/listed/members-only'),
    B: byName('open/listed/public'),
    C: byName('approval/listed/public'),
  };
  // A lets members post anonymously and its facilitators reveal; C too, and holds posts for approval.
  await database.update(groups).set({ anonymousPosts: true, facilitatorsReveal: true }).where(eq(groups.id, g.A.id));
  await database.update(groups).set({ anonymousPosts: true, preModeration: true }).where(eq(groups.id, g.C.id));

  // Her account id is one no other number on a page could be.
  await database.execute(sql`select setval(pg_get_serial_sequence('users', 'id'), ${AUTHOR_ID - 1})`);
  const [hash] = await database.select({ hash: users.passwordHash }).from(users).limit(1);
  const [row] = await database
    .insert(users)
    .values({ email: EMAIL, pseudonym: PSEUDONYM, passwordHash: hash!.hash })
    .returning({ id: users.id });
  if (row!.id !== AUTHOR_ID) throw new Error(`the author got id ${row!.id}`);
  const person: Person = { id: AUTHOR_ID, pseudonym: PSEUDONYM, email: EMAIL };
  const author = await pw.agentFor(person);

  // She comes in under her aliases: joining A and B, accepting an invitation to C.
  const ok = (res: LightMyRequestResponse, what: string) => {
    if (res.statusCode !== 303) throw new Error(`${what}: ${res.statusCode} ${res.body.slice(0, 300)}`);
    return res;
  };
  ok(await author.post(`/g/${g.A.slug}/join`, { alias: ALIAS.A }), 'join A');
  ok(await author.post(`/g/${g.B.slug}/join`, { alias: ALIAS.B }), 'join B');
  ok(await author.post(`/invite/${(await pw.freshInvitation(g.C)).token}`, { alias: ALIAS.C }), 'accept C');

  const postId = (res: LightMyRequestResponse) => Number(/#post-(\d+)/.exec(String(res.headers.location))![1]);
  const threadId = (res: LightMyRequestResponse) => Number(/\/t\/(\d+)/.exec(String(res.headers.location))![1]);
  const openingOf = async (thread: number) => {
    const page = await author.get(`/g/${g.A.slug}/t/${thread}`);
    return Number(/id="post-(\d+)"/.exec(page.body)![1]);
  };

  // A: only anonymously. A thread of her own, and a reply in the member's thread.
  const anon = ok(
    await author.post(`/g/${g.A.slug}/threads/new`, {
      title: 'A weight I carry',
      body: 'I have not told anyone this.',
      anonymous: 'on',
    }),
    'anonymous thread',
  );
  const anonThread = threadId(anon);
  const anonOpening = await openingOf(anonThread);
  const anonReply = postId(
    ok(
      await author.post(`/threads/${g.A.thread.id}/replies`, { body: 'Same here, quietly.', anonymous: 'on' }),
      'anonymous reply',
    ),
  );
  // Another member answers her anonymously too, and she reacts to it.
  ok(
    await pw.agents.member.post(`/threads/${anonThread}/replies`, { body: 'You are not alone.', anonymous: 'on' }),
    'second anonymous author',
  );
  await author.post(`/posts/${anonOpening}/reactions/support`);

  // B: under her alias.
  const aliased = ok(
    await author.post(`/g/${g.B.slug}/threads/new`, { title: 'Copper pots and calm', body: 'Cooking helps me.' }),
    'aliased thread',
  );
  const aliasThread = threadId(aliased);
  const aliasPost = Number(/id="post-(\d+)"/.exec((await author.get(`/g/${g.B.slug}/t/${aliasThread}`)).body)![1]);
  ok(await author.post(`/threads/${g.B.thread.id}/replies`, { body: 'Welcome, all.' }), 'aliased reply');
  // In A she mentions the member and a moderator by their names there, anonymously: the
  // notification job tells them that "an anonymous member" mentioned them (their notifications
  // pages, feeds and emails are checked below), and the post links their names, not hers.
  const mentionPost = postId(
    ok(
      await author.post(`/threads/${g.A.thread.id}/replies`, {
        body: `Thank you @${pw.people.member.pseudonym} and @${pw.people.moderator.pseudonym}.`,
        anonymous: 'on',
      }),
      'anonymous mention',
    ),
  );
  while ((await pw.world.jobs.drain()) > 0);
  const mentioned = (await database.execute(sql`select user_id from notifications
    where post_id = ${mentionPost} and kind = 'mention' order by user_id`)) as unknown as {
    rows: { user_id: number }[];
  };
  if (mentioned.rows.length !== 2) throw new Error(`the mention told ${mentioned.rows.length} people, not 2`);

  // C: anonymously, waiting for approval.
  const pending = ok(
    await author.post(`/g/${g.C.slug}/threads/new`, {
      title: 'Waiting to be heard',
      body: 'Is this ok?',
      anonymous: 'on',
    }),
    'pending thread',
  );
  const pendingThread = threadId(pending);
  const pendingPost = Number(/id="post-(\d+)"/.exec((await author.get(`/g/${g.C.slug}/t/${pendingThread}`)).body)![1]);

  // The member flags her anonymous reply in A and her post in B: both wait in their group's queue.
  ok(await pw.agents.member.post(`/posts/${anonReply}/flag`, { reason: 'harmful' }), 'flag in A');
  ok(await pw.agents.member.post(`/posts/${aliasPost}/flag`, { reason: 'spam' }), 'flag in B');
  // Everyone else is told of her anonymous reply and thread in A, with details in their emails.
  const notices = {} as Record<Exclude<Role, 'visitor'>, number>;
  for (const [role, person] of Object.entries(pw.people) as [Exclude<Role, 'visitor'>, Person][]) {
    await database.execute(sql`update users set email_verified_at = now() where id = ${person.id}`);
    await database.execute(sql`insert into notification_settings (user_id, email_details) values (${person.id}, true)
      on conflict (user_id) do update set email_details = true`);
    await database.transaction((tx) =>
      createNotifications(tx, [
        { userId: person.id, kind: 'mention', groupId: g.A.id, threadId: anonThread, postId: anonOpening },
        { userId: person.id, kind: 'reply', groupId: g.A.id, threadId: g.A.thread.id, postId: anonReply },
      ]),
    );
    const [row] = (
      (await database.execute(
        sql`select id from notifications where user_id = ${person.id} and kind = 'reply' order by id desc limit 1`,
      )) as unknown as { rows: { id: number }[] }
    ).rows;
    notices[role] = Number(row!.id);
  }
  // A pause on the author of her anonymous post in C, as moderators list it (C is not written in later).
  await database.insert(silences).values({
    groupId: g.C.id,
    userId: AUTHOR_ID,
    postId: pendingPost,
    anonymous: true,
    reason: 'Cooling off',
    endsAt: new Date(Date.now() + 3_600_000),
  });

  // Her words in A and B read as a crisis: alerts for the leaders (one on her anonymous thread).
  const alert = async (groupId: number, threadId: number, postId: number) => {
    const [row] = await database
      .insert(crisisAlerts)
      .values({ groupId, threadId, postId, authorId: AUTHOR_ID, source: 'detection', categories: 'self_harm' })
      .returning({ id: crisisAlerts.id });
    return row!.id;
  };
  const alertA = await alert(g.A.id, anonThread, anonOpening);
  const alertB = await alert(g.B.id, aliasThread, aliasPost);

  // A private conversation in B under her alias: she asked, the member accepted, both wrote, and
  // the member reported her message to the site's moderators.
  const asked = ok(
    await author.post('/messages/new', {
      group: g.B.slug,
      to: pw.people.member.pseudonym,
      body: 'Could we talk privately?',
    }),
    'message request',
  );
  const conversation = Number(/\/messages\/(\d+)/.exec(String(asked.headers.location))![1]);
  ok(await pw.agents.member.post(`/messages/${conversation}/accept`), 'accept the request');
  ok(await pw.agents.member.post(`/messages/${conversation}`, { body: 'Of course.' }), 'the member writes');
  const herWords = ok(
    await author.post(`/messages/${conversation}`, { body: 'Thank you for listening.' }),
    'she writes',
  );
  const herMessage = Number(/#message-(\d+)/.exec(String(herWords.headers.location))![1]);
  ok(
    await pw.agents.member.post(`/messages/${conversation}/report`, { messages: String(herMessage), reason: 'spam' }),
    'report her message',
  );

  // Things of hers others might ask for by id.
  const exportId = (await requestExport(database, AUTHOR_ID))!;
  await prepareExport(database, exportId);
  const { token } = await createSession(database, AUTHOR_ID);
  const [session] = await database
    .select({ id: sessions.id })
    .from(sessions)
    .where(eq(sessions.tokenHash, hashToken(token)));
  const passkeyId = randomBytes(16).toString('base64url');
  await database
    .insert(passkeys)
    .values({ id: passkeyId, userId: AUTHOR_ID, userHandle: passkeyId, publicKey: passkeyId });

  return {
    pw,
    author,
    g,
    anonThread,
    anonOpening,
    anonReply,
    aliasThread,
    aliasPost,
    pendingThread,
    pendingPost,
    alertA,
    alertB,
    exportId,
    sessionId: session!.id,
    passkeyId,
    notices,
    conversation,
    herMessage,
  };
}

const others = roles;

/**
 * The leak test, in two parts that CI's two workers run at once: 'pages' (every page, live topic,
 * email and push) and 'forms' (every form and JSON API route). Each part builds the same world.
 */
export function leakSuite(part: 'pages' | 'forms'): void {
  describe(`leak test (${part}): nothing gives away who wrote an anonymous post, or links a member’s names`, () => {
    beforeAll(async () => {
      w = await build();
    }, 300_000);
    afterAll(async () => {
      console.log(
        `leak test: ${checked.routes.size} routes (${checked.requests} requests as ${others.length} roles), ` +
          `${checked.topics} live topic(s) (${checked.frames} frames), ${checked.mails} emails`,
      );
      await w?.pw.close();
    });

    if (part === 'pages') {
      it('has a filler for every route of the app, and none for a route it does not have', () => {
        const inventory = new Set(w.pw.world.app.routeInventory.map((r) => `${r.method} ${r.url}`));
        const table = new Set([
          ...Object.keys(gets).map((r) => `GET ${r}`),
          ...Object.keys(posts).map((r) => `POST ${r}`),
          ...Object.keys(channels),
          ...Object.keys(apiRoutes),
        ]);
        const missing = [...inventory].filter((r) => !table.has(r)).sort();
        const stale = [...table].filter((r) => !inventory.has(r)).sort();
        expect({ missing, stale }).toEqual({ missing: [], stale: [] });
      });
    }

    if (part === 'pages') {
      it('shows her nowhere she did not choose, on any page, to anyone', { timeout: 600_000 }, async () => {
        const leaks: string[] = [];
        for (const [route, fill] of Object.entries(gets)) {
          if (!w.pw.world.app.routeInventory.some((r) => r.method === 'GET' && r.url === route)) continue;
          for (const role of others) {
            for (const f of await fill({ role, person: null })) {
              leaks.push(...(await check(route, 'GET', role, w.pw.agents[role], f)));
            }
          }
        }
        expect(leaks).toEqual([]);
      });
    }

    if (part === 'pages') {
      it('sends nothing of her over /live while she writes, to anyone following', { timeout: 120_000 }, async () => {
        const topics = [...w.pw.world.app.liveTopics.topics.keys()];
        const rooms = { A: await chatRoom('A'), B: await chatRoom('B') };
        const voice = { A: await herCircle('A'), B: await herCircle('B') };
        // In B's circle she is to come in while the others follow it.
        await db()
          .update(circleParticipants)
          .set({ leftAt: new Date() })
          .where(eq(circleParticipants.id, voice.B.herPid!));
        const follow: Record<string, () => { id: number; fill: Fill }[]> = {
          thread: () => [
            { id: w.anonThread, fill: aboutAnonymous('A', '') },
            { id: w.g.A.thread.id, fill: aboutAnonymous('A', '') },
            { id: w.aliasThread, fill: inGroup('B', '') },
          ],
          // Her private conversation in B: only the member, who is in it, may follow it.
          conversation: () => [{ id: w.conversation, fill: inGroup('B', '') }],
          // Her own count, which only she may follow: everyone else is refused, as for no one at all.
          notifications: () => [{ id: AUTHOR_ID, fill: site('') }],
          // The chat rooms of A (where she never chats) and B (where she does, under her alias).
          chat: () => [
            { id: rooms.A, fill: inGroup('A', '') },
            { id: rooms.B, fill: inGroup('B', '') },
          ],
          // Circles in A (she is not in it) and B (she comes into it while others follow, under her alias).
          circle: () => [
            { id: voice.A.circleId, fill: inGroup('A', '') },
            { id: voice.B.circleId, fill: inGroup('B', '') },
          ],
        };
        expect(topics.filter((t) => !(t in follow))).toEqual([]);
        const leaks: string[] = [];
        const sockets: { socket: LiveClient; role: Role; fill: Fill; subscribed: boolean }[] = [];
        for (const topic of topics) {
          checked.topics += 1;
          for (const role of others) {
            for (const { id, fill } of follow[topic]!()) {
              const socket = await w.pw.agents[role].live();
              const answer = await socket.subscribe(topic, id);
              checked.frames += 1;
              // The answer names the topic and id the follower asked for: that echo tells them nothing new.
              const { id: asked, ...told } = answer as { id?: unknown };
              const seen = asked === id ? told : answer;
              leaks.push(...tracesIn(JSON.stringify(seen), fill).map((t) => `${topic} ${id} as ${role}: ${t}`));
              sockets.push({ socket, role, fill, subscribed: answer.type === 'subscribed' });
            }
          }
        }
        // She writes in each thread followed: anonymously in A, under her alias in B.
        await w.author.post(`/threads/${w.anonThread}/replies`, { body: 'Still here.', anonymous: 'on' });
        await w.author.post(`/threads/${w.g.A.thread.id}/replies`, { body: 'And here.', anonymous: 'on' });
        await w.author.post(`/threads/${w.aliasThread}/replies`, { body: 'Hello again.' });
        // She writes in her conversation with the member.
        await w.author.post(`/messages/${w.conversation}`, { body: 'Still thinking of you.' });
        // She chats in B's room; in A's, the member does.
        await w.author.post(`/chat/rooms/${rooms.B}/messages`, { body: 'Hello, garden.' });
        await w.pw.agents.member.post(`/chat/rooms/${rooms.A}/messages`, { body: 'Hello, circle.' });
        // She comes back into B's voice circle; in A's, the member raises a hand.
        await w.author.post(`/meetings/${voice.B.occurrenceId}/circle/join`, {});
        await w.pw.agents.member.post(`/meetings/${voice.A.occurrenceId}/circle/raise-hand`);
        for (const { socket, role, fill, subscribed } of sockets) {
          if (subscribed) {
            // Who is here is told as people come and go, before or after what is written: each is read.
            for (let frame = await socket.next(); ; frame = await socket.next()) {
              checked.frames += 1;
              leaks.push(...tracesIn(JSON.stringify(frame), fill).map((t) => `frame to ${role}: ${t}`));
              if (frame.type !== 'chat.presence') break;
            }
          }
          socket.close();
        }
        expect(leaks).toEqual([]);
      });
    }

    if (part === 'forms') {
      it('answers every form, as every other role, without her', { timeout: 900_000 }, async () => {
        const leaks: string[] = [];
        for (const [route, fill] of Object.entries(posts)) {
          if (!w.pw.world.app.routeInventory.some((r) => r.method === 'POST' && r.url === route)) continue;
          for (const role of others) {
            for (const f of await fill({ role, person: null })) {
              const actor = await w.pw.freshActor(role, f.group ? w.g[f.group] : w.g.A);
              leaks.push(...(await check(route, 'POST', role, actor.agent, f)));
            }
          }
        }
        expect(leaks).toEqual([]);
      });
    }

    if (part === 'forms') {
      it('answers nothing of her through the JSON API, to any token', { timeout: 600_000 }, async () => {
        const leaks: string[] = [];
        const shared = new Map<Role, ApiClient>();
        for (const [key, fill] of Object.entries(apiRoutes)) {
          const [method, route] = key.split(' ') as [ApiMethod, string];
          if (!w.pw.world.app.routeInventory.some((r) => r.method === method && r.url === route)) continue;
          for (const role of others) {
            for (const f of await fill()) {
              let client: ApiClient;
              if (method === 'GET') {
                client = shared.get(role) ?? (await apiClientAs(role === 'visitor' ? null : w.pw.people[role]));
                shared.set(role, client);
              } else {
                // A change is made by a fresh person holding the role, so each starts from the same standing.
                client = await apiClientAs((await w.pw.freshActor(role, f.group ? w.g[f.group] : w.g.A)).person);
              }
              const res = await client.request(method, f.url, f.body);
              checked.requests += 1;
              checked.routes.add(key);
              leaks.push(
                ...tracesIn(answerText(res), f).map((t) => `${method} ${f.url} as ${role} (${res.statusCode}): ${t}`),
              );
            }
          }
        }
        expect(leaks).toEqual([]);
      });
    }

    // Both parts: what the pages' live writing and the forms sent by others mailed anyone.
    it('mails nobody anything of her', async () => {
      // Notification emails (with details, as everyone here asked) about her anonymous posts.
      for (const job of await dueNotificationEmails(w.pw.world.mail, new Date(Date.now() + 10 * 60_000))) {
        await sendNotificationEmail(w.pw.world.mail, job);
      }
      const mail = await w.pw.world.outbox();
      const leaks = mail
        .filter((m) => m.to !== EMAIL)
        .flatMap((m) => {
          checked.mails += 1;
          return tracesIn(`${m.to}\n${m.subject}\n${m.text}`, {}).map((t) => `mail to ${m.to} (${m.subject}): ${t}`);
        });
      expect(leaks).toEqual([]);
    });

    if (part === 'pages') {
      it('pushes nothing of her to anyone’s lock screen, with details or without', { timeout: 120_000 }, async () => {
        const service = await TestPushService.start();
        try {
          const devices: { role: Role; device: TestDevice }[] = [];
          let details = false;
          for (const [role, person] of Object.entries(w.pw.people) as [Exclude<Role, 'visitor'>, Person][]) {
            const device = service.device(role);
            await db()
              .insert(pushSubscriptions)
              .values({ userId: person.id, endpoint: device.endpoint, p256dh: device.p256dh, auth: device.auth });
            // Every other person asks for details (the group's name and the discussion's title).
            details = !details;
            const settings = sql`insert into notification_settings (user_id, push_details) values (${person.id}, ${details})
              on conflict (user_id) do update set push_details = excluded.push_details`;
            await db().execute(settings);
            devices.push({ role, device });
            // Told of her anonymous reply in A and of her thread under her alias in B.
            await db().transaction((tx) =>
              createNotifications(tx, [
                { userId: person.id, kind: 'reply', groupId: w.g.A.id, threadId: w.g.A.thread.id, postId: w.anonReply },
                { userId: person.id, kind: 'mention', groupId: w.g.B.id, threadId: w.aliasThread, postId: w.aliasPost },
              ]),
            );
          }
          // She writes again, anonymously in A: whoever follows the thread is told, and pushed.
          await w.author.post(`/threads/${w.anonThread}/replies`, { body: 'Pushing through.', anonymous: 'on' });
          await w.pw.world.tick();
          const leaks: string[] = [];
          let pushes = 0;
          for (const { role, device } of devices) {
            for (const push of service.take(device)) {
              pushes += 1;
              leaks.push(...tracesIn(JSON.stringify(push.payload), {}).map((t) => `push to ${role}: ${t}`));
            }
          }
          expect(leaks).toEqual([]);
          // One push each, summing up what they were told.
          expect(pushes).toBe(devices.length);
        } finally {
          await service.close();
        }
      });
    }

    if (part === 'pages') {
      it('still names her to the administrator who reveals her, so the test can see a leak at all', async () => {
        const res = await w.pw.agents.siteAdmin.post(`/posts/${w.anonReply}/reveal`, {
          reason: 'Checking the checker works.',
        });
        expect(tracesIn(res.body, {})).toEqual(expect.arrayContaining(['pseudonym or email', 'alias in A']));
      });
    }
  });
}
