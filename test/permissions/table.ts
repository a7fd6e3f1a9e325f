import { createECDH, randomBytes } from 'node:crypto';
import { brotliCompressSync } from 'node:zlib';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passkeys, sessions } from '../../src/features/accounts/schema.js';
import { createPasswordReset, createSession, hashToken } from '../../src/features/accounts/service.js';
import { createEmailVerification } from '../../src/features/accounts/verification.js';
import { prepareExport, requestExport } from '../../src/features/privacy/exports.js';
import { posts } from '../../src/features/forum/schema.js';
import { flags, silences } from '../../src/features/moderation/schema.js';
import { bans, memberships } from '../../src/features/groups/schema.js';
import { watchedWords } from '../../src/features/watched-words/schema.js';
import { crisisAlerts, crisisResources } from '../../src/features/safety/schema.js';
import { directoryEntries, listingClaims, listings, topics } from '../../src/features/directory/schema.js';
import { newsletters, newsletterSubscribers } from '../../src/features/newsletters/schema.js';
import { copingStrategies, resources } from '../../src/features/resources/schema.js';
import { campaigns } from '../../src/features/campaigns/schema.js';
import { chatMessages, chatParticipants, chatRooms } from '../../src/features/chat/schema.js';
import { pushSubscriptions } from '../../src/features/push/schema.js';
import {
  conversationMembers,
  conversationReportMessages,
  conversationReports,
  conversations,
  privateMessages,
} from '../../src/features/messages/schema.js';
import { resetCalendarToken } from '../../src/features/meetings/calendar.js';
import { countQueries } from '../../src/platform/db/client.js';
import { createNotifications } from '../../src/features/notifications/index.js';
import { signMailToken } from '../../src/platform/mail/tokens.js';
import { assetContent, assetUrl, isAsset } from '../../src/platform/views/assets.js';
import { createWorld, textOf, type Agent } from '../helpers/app.js';
import { answer as answerMeeting, makeMeeting } from '../helpers/meetings.js';
import {
  readings,
  type Outcome,
  type Expected,
  refused,
  holdsMembership,
  activeMember,
  moderates,
  leads,
  manages,
  administers,
  readsDiscussions,
  takesPart,
  seesMembers,
  loggedIn,
  allowIf,
  onContent,
} from './oracle.js';
import {
  NO_GROUP,
  NO_ID,
  noindex,
  setPermissionWorld,
  shows,
  type ApiGroupCase,
  type ApiMethod,
  type ApiReq,
  type ApiSiteCase,
  type Form,
  type GroupCase,
  type Req,
  type SiteCase,
} from './cases.js';
import * as pagesApi from './pages-api.js';
import * as pagesWebhooks from './pages-webhooks.js';
import * as pagesFiles from './pages-files.js';
import * as pagesPolls from './pages-polls.js';
import * as pagesAgreements from './pages-agreements.js';
import * as pagesCircles from './pages-circles.js';
import * as apiAccount from './api-account.js';
import * as apiGroups from './api-groups.js';
import * as apiForum from './api-forum.js';
import * as apiMeetings from './api-meetings.js';
import * as apiMembers from './api-members.js';
import * as apiModeration from './api-moderation.js';
import { ApiClient, apiClientFor } from '../helpers/api.js';
import {
  buildPermissionWorld,
  kinds,
  PASSWORD,
  roles,
  type GroupFixture,
  type Kind,
  type PermissionWorld,
  type Person,
  type Role,
} from '../helpers/permission-world.js';

/*
 * Who may do what, for every route × every role × every kind of group, checked against an
 * oracle written from the README ("Group kinds and roles"), never from src/ policy functions,
 * so that this test catches the code being wrong. A route added to the app and missing here
 * fails the first test.
 */

// ---------------------------------------------------------------------------------------------
// The table.
// ---------------------------------------------------------------------------------------------

const NO_TOKEN = randomBytes(18).toString('base64url');
const today = () => new Date().toISOString().slice(0, 10);

let pw: PermissionWorld;
const db = () => pw.world.database.db;

const groupLink = (slug: string) => `href="/g/${slug}"`;

/** Listings show listed groups and never unlisted ones ("reached only by their link or an invitation"). */
function listingCheck(body: string, opts: { listedShown: boolean; unlistedShown: boolean | null }): string[] {
  return pw.groups.flatMap((g) => {
    if (g.kind.listed) return opts.listedShown ? shows(body, groupLink(g.slug), true) : [];
    return opts.unlistedShown === null ? [] : shows(body, groupLink(g.slug), opts.unlistedShown);
  });
}

const groupFormValues = (g: GroupFixture): Form => ({
  name: g.name,
  summary: 'A group for checking who may do what.',
  description: '',
  tags: 'testing',
  language: 'en',
  leadership: 'professional',
  visibility: g.kind.visibility,
});

let made = 0;
const newGroupForm = (): Form => ({
  name: `Started by the permission test ${++made}`,
  summary: 'A group started while checking who may do what.',
  description: '',
  tags: 'testing',
  language: 'en',
  leadership: 'peer',
  visibility: 'public',
});

/**
 * Listings of groups hosted elsewhere, submitted by someone who holds no role here (so no role in
 * the table is their submitter): an approved one anyone may read, and pending ones only site admins
 * may (the submitter's own view is tested in src/features/directory/listings.test.ts).
 */
let listingSubmitter: Promise<Person> | undefined;
async function makeListing(status: 'pending' | 'approved'): Promise<number> {
  listingSubmitter ??= pw.freshPerson();
  const submitter = await listingSubmitter;
  const [row] = await db()
    .insert(listings)
    .values({ contact: 'hello@example.net', status, submittedBy: submitter.id })
    .returning({ id: listings.id });
  await db()
    .insert(directoryEntries)
    .values({
      kind: 'listing',
      listingId: row!.id,
      name: `Listing ${status} ${++made}`,
      summary: 'A group that meets in a church hall.',
      listed: status === 'approved',
      searchEngines: status === 'approved',
    });
  return row!.id;
}
const sharedListings = new Map<string, Promise<number>>();
function sharedListing(status: 'pending' | 'approved'): Promise<number> {
  let id = sharedListings.get(status);
  if (!id) sharedListings.set(status, (id = makeListing(status)));
  return id;
}
async function makeClaim(): Promise<number> {
  const listingId = await makeListing('approved');
  const claimant = await pw.freshPerson();
  const [claim] = await db()
    .insert(listingClaims)
    .values({ listingId, userId: claimant.id, message: 'I run this group on Tuesdays.' })
    .returning({ id: listingClaims.id });
  return claim!.id;
}
const listingForm = (): Form => ({
  name: `Listed by the permission test ${++made}`,
  summary: 'A phone group for carers, every Monday evening.',
  contact: '0113 000 0000',
  leadership: 'peer',
  access: 'open',
  free: 'yes',
  language: 'en',
  formats: 'phone',
  audiences: 'carers',
});
let sitemapListings = { approved: 0, pending: 0 };
const reviews = (r: Role): Expected => loggedIn(r, () => (r === 'siteAdmin' ? 'ok' : 'notFound'));

/**
 * An anonymous reply in a fresh thread, written by `author` (the member when not given), under a
 * policy that let only site administrators reveal it, or facilitators too.
 */
async function anonymousReply(
  g: GroupFixture,
  opts: { author?: Person; facilitatorsMayReveal?: boolean } = {},
): Promise<number> {
  const t = await pw.freshThread(g);
  await db()
    .update(posts)
    .set({
      anonymous: true,
      anonymousNumber: 1,
      facilitatorsMayReveal: opts.facilitatorsMayReveal ?? false,
      ...(opts.author ? { authorId: opts.author.id } : {}),
    })
    .where(eq(posts.id, t.replyId));
  return t.replyId;
}

/** One anonymous reply per group and policy for the cases that only read or reveal it (revealing changes nothing). */
const anonymousReplies = new Map<string, Promise<number>>();
function sharedAnonymousReply(g: GroupFixture, facilitatorsMayReveal: boolean): Promise<number> {
  const key = `${g.id}:${facilitatorsMayReveal}`;
  let id = anonymousReplies.get(key);
  if (!id) {
    id = anonymousReply(g, { facilitatorsMayReveal });
    anonymousReplies.set(key, id);
  }
  return id;
}

/** "A site administrator, or a group's facilitator where the policy the author was shown says so." */
const reveals = (r: Role, facilitatorsMayReveal: boolean) =>
  r === 'siteAdmin' || (facilitatorsMayReveal && r === 'facilitator');

/** A crisis alert on a fresh reply, as detection would raise it. */
async function freshAlert(g: GroupFixture): Promise<number> {
  const t = await pw.freshThread(g);
  // Written by someone outside the table's roles: only its author may ask for a check-in, and a
  // check-in message to them never changes another role's page.
  const author = await pw.freshPerson();
  const [row] = await db()
    .insert(crisisAlerts)
    .values({
      groupId: g.id,
      threadId: t.id,
      postId: t.replyId,
      authorId: author.id,
      source: 'detection',
      categories: 'suicide',
    })
    .returning({ id: crisisAlerts.id });
  return row!.id;
}

/** A resource of the group in a state (an approved one's title names the group, for checks). */
async function freshLibraryResource(g: GroupFixture, status: 'suggested' | 'approved'): Promise<number> {
  const title = status === 'approved' ? `Resource of ${g.slug}` : `Suggestion ${++made}`;
  const [row] = await db()
    .insert(resources)
    .values({ groupId: g.id, kind: 'article', title, body: title, bodyHtml: `<p>${title}</p>`, status })
    .returning({ id: resources.id });
  return row!.id;
}
const sharedLibraryResources = new Map<number, Promise<number>>();
function sharedLibraryResource(g: GroupFixture): Promise<number> {
  let id = sharedLibraryResources.get(g.id);
  if (!id) sharedLibraryResources.set(g.id, (id = freshLibraryResource(g, 'approved')));
  return id;
}
const libraryForm = (): Form => ({
  kind: 'link',
  title: `Link ${++made}`,
  url: 'https://example.org/help',
  tags: 'help',
});
/** A request to save the member's fresh reply as a coping strategy: only the member may answer it. */
async function freshCopingRequest(g: GroupFixture): Promise<number> {
  const t = await pw.freshThread(g);
  const [row] = await db()
    .insert(copingStrategies)
    .values({ groupId: g.id, postId: t.replyId, title: `Coping ${++made}` })
    .returning({ id: copingStrategies.id });
  return row!.id;
}

/** Sent newsletters, drafts and their archive: members in good standing and the group's leaders. */
const readsNewsletters = (r: Role, k: Kind) => activeMember(r, k) || leads(r);
const newsletterForm = (): Form => ({ subject: `News ${++made}`, body: 'What the group did.', audience: 'members' });
/** A newsletter of the group in a state, as its writers left it (a scheduled one far in the future). */
async function freshNewsletter(g: GroupFixture, status: 'draft' | 'scheduled' | 'sent'): Promise<number> {
  const subject = status === 'sent' ? `Sent news of ${g.slug}` : `News ${++made}`;
  const [row] = await db()
    .insert(newsletters)
    .values({
      groupId: g.id,
      subject,
      body: subject,
      bodyHtml: `<p>${subject}</p>`,
      status,
      scheduledFor: status === 'scheduled' ? new Date('2040-01-01T09:00:00Z') : null,
      sentAt: status === 'sent' ? new Date() : null,
      recipientCount: status === 'sent' ? 3 : null,
    })
    .returning({ id: newsletters.id });
  return row!.id;
}
const sharedNewsletters = new Map<string, Promise<number>>();
function sharedNewsletter(g: GroupFixture, status: 'draft' | 'sent'): Promise<number> {
  const key = `${g.id}:${status}`;
  let id = sharedNewsletters.get(key);
  if (!id) sharedNewsletters.set(key, (id = freshNewsletter(g, status)));
  return id;
}
/** A fresh public subscriber's signed confirmation or unsubscribe token, as their mail carries it. */
async function subscriberToken(purpose: 'confirm' | 'subscriber'): Promise<string> {
  const [row] = await db()
    .insert(newsletterSubscribers)
    .values({ groupId: pw.groups[0]!.id, email: `subscriber${++made}@example.net` })
    .returning({ id: newsletterSubscribers.id });
  return signMailToken(pw.world.mail.secret, purpose, [row!.id]);
}

/** A campaign of the group in a state (a published one's title names the group, for checks). */
async function freshCampaign(g: GroupFixture, status: 'draft' | 'published' | 'closed'): Promise<string> {
  made += 1;
  const title = status === 'published' ? `Campaign of ${g.slug}` : `Campaign ${made}`;
  const slug = `campaign-${g.slug}-${status}-${made}`;
  await db()
    .insert(campaigns)
    .values({
      groupId: g.id,
      slug,
      title,
      statement: title,
      statementHtml: `<p>${title}</p>`,
      callToAction: 'Sign our letter.',
      status,
      publishedAt: status === 'draft' ? null : new Date(),
    });
  return slug;
}
const sharedCampaigns = new Map<string, Promise<string>>();
function sharedCampaign(g: GroupFixture, status: 'draft' | 'published'): Promise<string> {
  const key = `${g.id}:${status}`;
  let slug = sharedCampaigns.get(key);
  if (!slug) sharedCampaigns.set(key, (slug = freshCampaign(g, status)));
  return slug;
}
async function campaignId(slug: string): Promise<number> {
  const [row] = await db().select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.slug, slug));
  return row!.id;
}
const campaignForm = (): Form => ({
  title: `Campaign written ${++made}`,
  statement: 'What the group asks for.',
  callToAction: 'Sign our letter.',
});
/**
 * Signing a campaign: anyone signed in for a public group's; a members-only group's members in good
 * standing and its leaders; never someone the group banned.
 */
const signsCampaigns = (r: Role, k: Kind) =>
  r !== 'banned' && (k.visibility === 'public' || activeMember(r, k) || leads(r));

async function freshMember(g: GroupFixture, role: Role = 'member'): Promise<Person> {
  const person = await pw.freshPerson();
  await pw.giveRole(person, role, g);
  return person;
}

/** The dial-in number of the phone meeting each group's calendar feed is read with: never in a feed. */
const FEED_DIAL_IN = '0800 555 0199';
const phoneMeetings = new Map<number, Promise<unknown>>();
/** A phone meeting next week in the group, made once. */
function phoneMeetingIn(g: GroupFixture): Promise<unknown> {
  let made = phoneMeetings.get(g.id);
  if (!made) {
    const start = new Date(Date.now() + 7 * 24 * 3600_000);
    made = makeMeeting(pw.world, g, { starts: [start], kind: 'phone', dialIn: FEED_DIAL_IN, dialInPin: '5150' });
    phoneMeetings.set(g.id, made);
  }
  return made;
}

/** The phone meeting each group's meeting pages are read with: its number shows to members and leaders only. */
const MEETING_DIAL_IN = '0800 555 0142';
const sharedMeetings = new Map<number, Promise<{ meetingId: number; occurrenceIds: number[] }>>();
function sharedMeeting(g: GroupFixture): Promise<{ meetingId: number; occurrenceIds: number[] }> {
  let found = sharedMeetings.get(g.id);
  if (!found) {
    found = (async () => {
      const start = new Date(Date.now() + 9 * 24 * 3600_000);
      const meeting = await makeMeeting(pw.world, g, {
        starts: [start],
        title: `Meeting of ${g.slug}`,
        kind: 'phone',
        dialIn: MEETING_DIAL_IN,
      });
      // The member is going: their name shows to the group's leaders only.
      await answerMeeting(pw.world, meeting.occurrenceIds[0]!, pw.people.member.id, 'going');
      return meeting;
    })();
    sharedMeetings.set(g.id, found);
  }
  return found;
}
/** A fresh online meeting of the group, next week, for a case that changes it. */
const freshMeeting = (g: GroupFixture) =>
  makeMeeting(pw.world, g, { starts: [new Date(Date.now() + 8 * 24 * 3600_000)], kind: 'online' });
const meetingForm = (): Form => ({
  title: `Meeting written ${++made}`,
  kind: 'online',
  date: new Date(Date.now() + 12 * 24 * 3600_000).toISOString().slice(0, 10),
  time: '18:30',
  timeZone: 'Europe/London',
  duration: '60',
  repeat: 'once',
  capacity: '12',
  waitlist: 'on',
});
/** Answering whether one comes: members in good standing (leaders need not, and admins are not members). */
const answersMeetings = (r: Role, k: Kind) => activeMember(r, k);

/** A chat room: read with the group's discussions, though never by someone the group banned. */
const readsRoom = (r: Role, k: Kind) => readsDiscussions(r, k) && r !== 'banned';
/** Each group's own chat room, made once (as its page makes it, the first time anyone opens it). */
const groupRooms = new Map<number, Promise<number>>();
function groupRoom(g: GroupFixture): Promise<number> {
  let id = groupRooms.get(g.id);
  if (!id) {
    id = (async () => {
      await db().insert(chatRooms).values({ groupId: g.id }).onConflictDoNothing();
      const [room] = await db()
        .select({ id: chatRooms.id })
        .from(chatRooms)
        .where(and(eq(chatRooms.groupId, g.id), isNull(chatRooms.occurrenceId)));
      return room!.id;
    })();
    groupRooms.set(g.id, id);
  }
  return id;
}
/** The live room of an online meeting of the group that started ten minutes ago (open now). */
async function meetingRoom(g: GroupFixture, paused = false): Promise<{ occurrenceId: number; roomId: number }> {
  const { occurrenceIds } = await makeMeeting(pw.world, g, {
    starts: [new Date(Date.now() - 10 * 60_000)],
    kind: 'online',
    title: `Live circle of ${g.slug}`,
  });
  const [room] = await db()
    .insert(chatRooms)
    .values({ groupId: g.id, occurrenceId: occurrenceIds[0]!, pausedAt: paused ? new Date() : null })
    .returning({ id: chatRooms.id });
  return { occurrenceId: occurrenceIds[0]!, roomId: room!.id };
}
const sharedMeetingRooms = new Map<number, Promise<{ occurrenceId: number; roomId: number }>>();
function sharedMeetingRoom(g: GroupFixture): Promise<{ occurrenceId: number; roomId: number }> {
  let found = sharedMeetingRooms.get(g.id);
  if (!found) sharedMeetingRooms.set(g.id, (found = meetingRoom(g)));
  return found;
}
/** A fresh message of the member's in the group's room, for a case that removes it. */
async function freshChatMessage(g: GroupFixture): Promise<{ roomId: number; messageId: number }> {
  const roomId = await groupRoom(g);
  const [message] = await db()
    .insert(chatMessages)
    .values({ roomId, groupId: g.id, authorId: pw.people.member.id, body: `Said in passing ${++made}.` })
    .returning({ id: chatMessages.id });
  return { roomId, messageId: message!.id };
}
/** Someone fresh who has been in the group's room, for a case that mutes or takes them out: by name. */
async function freshParticipant(g: GroupFixture): Promise<{ roomId: number; name: string }> {
  const person = await freshMember(g);
  const roomId = await groupRoom(g);
  await db().insert(chatParticipants).values({ roomId, userId: person.id, groupId: g.id });
  return { roomId, name: encodeURIComponent(person.pseudonym) };
}
/** What a room's leaders do (pause, end, remove, mute): moderators and above, where they may read. */
const runsRoom = (r: Role, k: Kind) => loggedIn(r, () => (readsRoom(r, k) ? allowIf(moderates(r)) : 'notFound'));

/**
 * A private conversation (src/features/messages) in the group between the moderator and the member,
 * written straight to the tables, with one message from the moderator: both taking part, or the
 * member asked to join it.
 */
async function freshConversation(
  g: GroupFixture,
  memberStatus: 'active' | 'requested' = 'active',
): Promise<{ id: number; messageId: number }> {
  const sentAt = new Date(Date.now() - 1000);
  const [c] = await db()
    .insert(conversations)
    .values({ groupId: g.id, createdBy: pw.people.moderator.id, createdAt: sentAt, lastMessageAt: sentAt })
    .returning({ id: conversations.id });
  // Both have seen it, so that no page's header counts it as new: a 404 must read the same for
  // something that exists as for something that does not, and the count would change between them.
  const readAt = new Date();
  await db()
    .insert(conversationMembers)
    .values([
      { conversationId: c!.id, userId: pw.people.moderator.id, status: 'active', lastReadAt: readAt },
      { conversationId: c!.id, userId: pw.people.member.id, status: memberStatus, lastReadAt: readAt },
    ]);
  const body = `Private words in ${g.slug}`;
  const [m] = await db()
    .insert(privateMessages)
    .values({
      conversationId: c!.id,
      authorId: pw.people.moderator.id,
      body,
      bodyHtml: `<p>${body}</p>`,
      createdAt: sentAt,
    })
    .returning({ id: privateMessages.id });
  return { id: c!.id, messageId: m!.id };
}
const sharedConversations = new Map<number, Promise<{ id: number; messageId: number }>>();
function sharedConversation(g: GroupFixture): Promise<{ id: number; messageId: number }> {
  let found = sharedConversations.get(g.id);
  if (!found) sharedConversations.set(g.id, (found = freshConversation(g)));
  return found;
}
/** "Only the people in a conversation can read it": here the member and the moderator; to anyone else it does not exist. */
const inConversation = (r: Role) => r === 'member' || r === 'moderator';
/** A report by the member of the moderator's message, waiting for the site's moderators. */
async function freshConversationReport(): Promise<number> {
  const { id, messageId } = await freshConversation(pw.groups[0]!);
  const [report] = await db()
    .insert(conversationReports)
    .values({ conversationId: id, reporterId: pw.people.member.id, reason: 'spam' })
    .returning({ id: conversationReports.id });
  await db().insert(conversationReportMessages).values({ reportId: report!.id, messageId });
  return report!.id;
}

const groupCases: GroupCase[] = [
  // Pages every kind of group has, read by everyone.
  {
    method: 'GET',
    route: '/g/:slug',
    request: (g) => ({ url: `/g/${g.slug}`, missing: `/g/${NO_GROUP}` }),
    // "A group's name, summary and description page are always public", unlisted ones by their link.
    expect: () => 'ok',
    check: (body, r, g) => [
      ...shows(body, g.thread.title, readsDiscussions(r, g.kind)),
      ...shows(body, g.hiddenThread.title, moderates(r)),
      ...shows(body, g.pendingThread.title, moderates(r) || r === 'member'),
      // Search engines list a group's pages only when it chose to; no group here did.
      ...(noindex(body) ? [] : ['a group page without noindex, though the group did not choose search engines']),
    ],
  },
  {
    method: 'GET',
    route: '/g/:slug/about',
    request: (g) => ({ url: `/g/${g.slug}/about` }),
    expect: () => 'ok',
    check: (body, r, g) => (readsDiscussions(r, g.kind) ? [] : shows(body, `Secret-${g.slug}`, false)),
  },
  // Searching discussions: a word only this group's posts hold ("Secret-<slug>", in the title and
  // the opening post of each of its threads) is found exactly where the role reads the group.
  {
    method: 'GET',
    route: '/g/:slug/search',
    request: (g) => ({ url: `/g/${g.slug}/search?q=Secret-${g.slug}` }),
    expect: (r, k) => (readsDiscussions(r, k) ? 'ok' : refused),
    check: (body, r, g) => [
      ...shows(body, g.thread.title, true),
      // Hidden posts never appear in search, for moderators neither; waiting ones to their author only.
      ...shows(body, g.hiddenThread.title, false),
      ...shows(body, g.pendingThread.title, r === 'member'),
      ...(noindex(body) ? [] : ['a search page without noindex']),
    ],
  },
  {
    method: 'GET',
    route: '/search',
    label: "one group's word, across groups",
    request: (g) => ({ url: `/search?q=Secret-${g.slug}` }),
    expect: () => 'ok',
    // Across groups: the public discussions of listed groups, and the groups the person is in or
    // runs (an unlisted group's never reach anyone else, as in every listing).
    check: (body, r, g) => {
      const found =
        (g.kind.visibility === 'public' && g.kind.listed) ||
        (readsDiscussions(r, g.kind) && (holdsMembership(r) || r === 'orgAdmin'));
      return [
        ...shows(body, g.thread.title, found),
        ...shows(body, g.hiddenThread.title, false),
        ...shows(body, g.pendingThread.title, found && r === 'member'),
        ...(noindex(body) ? [] : ['a search page without noindex']),
      ];
    },
  },
  {
    method: 'GET',
    route: '/g/:slug/t/:id',
    label: 'published thread',
    request: (g) => ({ url: `/g/${g.slug}/t/${g.thread.id}`, missing: `/g/${g.slug}/t/${NO_ID}` }),
    expect: (r, k) => (readsDiscussions(r, k) ? 'ok' : 'notFound'),
    // Discussions are never listed by search engines, whatever the group chose.
    check: (body) => (noindex(body) ? [] : ['a thread without noindex']),
  },
  {
    method: 'GET',
    route: '/g/:slug/t/:id',
    label: 'opening post hidden by a moderator',
    request: (g) => ({ url: `/g/${g.slug}/t/${g.hiddenThread.id}`, missing: `/g/${g.slug}/t/${NO_ID}` }),
    expect: (r) => (moderates(r) ? 'ok' : 'notFound'),
  },
  // Following a thread's new replies live, over the WebSocket: the same rule as reading it.
  {
    method: 'GET',
    route: '/live',
    label: 'follow a published thread',
    request: (g) => ({ url: `/live?thread=${g.thread.id}`, missing: `/live?thread=${NO_ID}` }),
    expect: (r, k) => (readsDiscussions(r, k) ? 'ok' : 'notFound'),
  },
  {
    method: 'GET',
    route: '/live',
    label: 'follow a thread whose opening post a moderator hid',
    request: (g) => ({ url: `/live?thread=${g.hiddenThread.id}`, missing: `/live?thread=${NO_ID}` }),
    expect: (r) => (moderates(r) ? 'ok' : 'notFound'),
  },
  {
    method: 'GET',
    route: '/g/:slug/t/:id',
    label: "the member's thread awaiting approval",
    request: (g) => ({ url: `/g/${g.slug}/t/${g.pendingThread.id}`, missing: `/g/${g.slug}/t/${NO_ID}` }),
    // Its author sees it (a member can always read their group), and those who review it.
    expect: (r) => (moderates(r) || r === 'member' ? 'ok' : 'notFound'),
  },
  // Taking part.
  {
    method: 'GET',
    route: '/g/:slug/threads/new',
    request: (g) => ({ url: `/g/${g.slug}/threads/new` }),
    expect: (r, k) => loggedIn(r, () => allowIf(takesPart(r, k))),
  },
  {
    method: 'POST',
    route: '/g/:slug/threads/new',
    request: (g) => ({ url: `/g/${g.slug}/threads/new`, form: { title: 'Checking in', body: 'A quiet week here.' } }),
    expect: (r, k) => loggedIn(r, () => allowIf(takesPart(r, k))),
  },
  {
    method: 'POST',
    route: '/threads/:id/replies',
    async request(g) {
      const t = await pw.freshThread(g);
      return {
        url: `/threads/${t.id}/replies`,
        form: { body: 'Thinking of you.' },
        missing: `/threads/${NO_ID}/replies`,
      };
    },
    expect: (r, k) => onContent(r, k, () => allowIf(takesPart(r, k))),
  },
  {
    method: 'POST',
    route: '/posts/:id/reactions/:kind',
    async request(g) {
      const t = await pw.freshThread(g);
      return { url: `/posts/${t.replyId}/reactions/support`, missing: `/posts/${NO_ID}/reactions/support` };
    },
    expect: (r, k) => onContent(r, k, () => allowIf(takesPart(r, k))),
  },
  // Authors' own posts: the member wrote them. Others are refused; how is the code's choice.
  {
    method: 'GET',
    route: '/posts/:id/edit',
    request: (g) => ({ url: `/posts/${g.thread.replyId}/edit`, missing: `/posts/${NO_ID}/edit` }),
    expect: (r, k) => onContent(r, k, () => (r === 'member' ? 'ok' : refused)),
  },
  {
    method: 'POST',
    route: '/posts/:id/edit',
    async request(g) {
      const t = await pw.freshThread(g);
      return {
        url: `/posts/${t.replyId}/edit`,
        form: { body: 'Edited: a better week.' },
        missing: `/posts/${NO_ID}/edit`,
      };
    },
    expect: (r, k) => onContent(r, k, () => (r === 'member' ? 'ok' : refused)),
  },
  {
    method: 'GET',
    route: '/posts/:id/delete',
    request: (g) => ({ url: `/posts/${g.thread.replyId}/delete`, missing: `/posts/${NO_ID}/delete` }),
    expect: (r, k) => onContent(r, k, () => (r === 'member' ? 'ok' : refused)),
  },
  {
    method: 'POST',
    route: '/posts/:id/delete',
    async request(g) {
      const t = await pw.freshThread(g);
      return { url: `/posts/${t.replyId}/delete`, missing: `/posts/${NO_ID}/delete` };
    },
    expect: (r, k) => onContent(r, k, () => (r === 'member' ? 'ok' : refused)),
  },
  // Moderation.
  {
    method: 'GET',
    route: '/posts/:id/history',
    request: (g) => ({ url: `/posts/${g.thread.replyId}/history`, missing: `/posts/${NO_ID}/history` }),
    expect: (r, k) => onContent(r, k, () => allowIf(moderates(r))),
  },
  {
    method: 'POST',
    route: '/posts/:id/hide',
    async request(g) {
      const t = await pw.freshThread(g);
      return { url: `/posts/${t.replyId}/hide`, missing: `/posts/${NO_ID}/hide` };
    },
    expect: (r, k) => onContent(r, k, () => allowIf(moderates(r))),
  },
  {
    method: 'POST',
    route: '/posts/:id/restore',
    label: 'a hidden reply',
    async request(g) {
      const t = await pw.freshThread(g, { hidden: true });
      return { url: `/posts/${t.replyId}/restore`, missing: `/posts/${NO_ID}/restore` };
    },
    // Only moderators see a hidden post: to anyone else it does not exist.
    expect: (r) => loggedIn(r, () => (moderates(r) ? 'ok' : 'notFound')),
  },
  ...(['lock', 'unlock', 'pin', 'unpin'] as const).map((action): GroupCase => ({
    method: 'POST',
    route: `/threads/:id/${action}`,
    async request(g) {
      const t = await pw.freshThread(g);
      return { url: `/threads/${t.id}/${action}`, missing: `/threads/${NO_ID}/${action}` };
    },
    expect: (r, k) => onContent(r, k, () => allowIf(moderates(r))),
  })),
  // Crisis alerts, for a group's leaders.
  {
    method: 'GET',
    route: '/g/:slug/health',
    request: (g) => ({ url: `/g/${g.slug}/health` }),
    // Figures about the group, never about a person: for those who lead it.
    expect: (r) => loggedIn(r, () => allowIf(leads(r))),
  },
  {
    method: 'GET',
    route: '/g/:slug/safety',
    request: (g) => ({ url: `/g/${g.slug}/safety` }),
    expect: (r) => loggedIn(r, () => allowIf(moderates(r))),
  },
  ...(
    [
      ['resolve', { note: 'Reached out; they are safe tonight.' }],
      ['check-in-message', { message: 'Thinking of you. Would you like to talk?' }],
    ] as const
  ).map(([action, form]): GroupCase => ({
    method: 'POST',
    route: `/safety/alerts/:id/${action}`,
    async request(g) {
      const id = await freshAlert(g);
      return { url: `/safety/alerts/${id}/${action}`, form, missing: `/safety/alerts/${NO_ID}/${action}` };
    },
    // An alert is the leaders' alone: to anyone else it does not exist.
    expect: (r) => loggedIn(r, () => (moderates(r) ? 'ok' : 'notFound')),
  })),
  {
    method: 'POST',
    route: '/safety/alerts/:id/check-in',
    label: "another member's alert",
    async request(g) {
      const id = await freshAlert(g);
      return { url: `/safety/alerts/${id}/check-in`, missing: `/safety/alerts/${NO_ID}/check-in` };
    },
    // Only the author of the alerted post may ask for a check-in (src/features/safety/safety.test.ts).
    expect: (r) => loggedIn(r, () => 'notFound'),
  },
  {
    method: 'GET',
    route: '/g/:slug/review',
    request: (g) => ({ url: `/g/${g.slug}/review` }),
    expect: (r) => loggedIn(r, () => allowIf(moderates(r))),
  },
  {
    method: 'POST',
    route: '/posts/:id/review',
    label: "the member's reply awaiting approval",
    async request(g) {
      const t = await pw.freshThread(g, { status: 'pending' });
      return { url: `/posts/${t.replyId}/review`, form: { decision: 'approve' }, missing: `/posts/${NO_ID}/review` };
    },
    // A pending post is seen only by its author and those who review it; to others it does not exist.
    expect: (r) => loggedIn(r, () => (moderates(r) ? 'ok' : r === 'member' ? 'forbidden' : 'notFound')),
  },
  // Flags: whoever reads a post and takes part in its group flags it (never their own); moderators decide.
  {
    method: 'GET',
    route: '/posts/:id/flag',
    label: "the member's reply",
    request: (g) => ({ url: `/posts/${g.thread.replyId}/flag`, missing: `/posts/${NO_ID}/flag` }),
    expect: (r, k) => onContent(r, k, () => (r === 'member' ? 'forbidden' : allowIf(takesPart(r, k)))),
  },
  {
    method: 'POST',
    route: '/posts/:id/flag',
    label: "someone else's reply",
    async request(g) {
      const t = await pw.freshThread(g);
      await db()
        .update(posts)
        .set({ authorId: (await pw.freshPerson()).id })
        .where(eq(posts.id, t.replyId));
      return { url: `/posts/${t.replyId}/flag`, form: { reason: 'spam' }, missing: `/posts/${NO_ID}/flag` };
    },
    expect: (r, k) => onContent(r, k, () => allowIf(takesPart(r, k))),
  },
  {
    method: 'POST',
    route: '/posts/:id/flags/decision',
    label: 'a reply with an open flag',
    async request(g) {
      const t = await pw.freshThread(g);
      const flagger = await pw.freshPerson();
      await db()
        .insert(flags)
        .values({ groupId: g.id, postId: t.replyId, threadId: t.id, flaggerId: flagger.id, reason: 'spam' });
      return {
        url: `/posts/${t.replyId}/flags/decision`,
        form: { decision: 'approve' },
        missing: `/posts/${NO_ID}/flags/decision`,
      };
    },
    expect: (r, k) => onContent(r, k, () => allowIf(moderates(r))),
  },
  {
    method: 'GET',
    route: '/g/:slug/silences',
    request: (g) => ({ url: `/g/${g.slug}/silences`, missing: `/g/${NO_GROUP}/silences` }),
    expect: (r) => loggedIn(r, () => allowIf(moderates(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/silences/:id/lift',
    async request(g) {
      const person = await pw.freshPerson();
      const [row] = await db()
        .insert(silences)
        .values({ groupId: g.id, userId: person.id, reason: 'Cooling off', endsAt: new Date(Date.now() + 86_400_000) })
        .returning({ id: silences.id });
      return { url: `/g/${g.slug}/silences/${row!.id}/lift`, missing: `/g/${g.slug}/silences/${NO_ID}/lift` };
    },
    expect: (r) => loggedIn(r, () => allowIf(moderates(r))),
  },
  // Blocking, "hide this post for me", muting, content warnings.
  {
    method: 'POST',
    route: '/posts/:id/block',
    // A new person each time: a block would change what the shared people see in later cases.
    fresh: true,
    async request(g) {
      const t = await pw.freshThread(g);
      return { url: `/posts/${t.replyId}/block`, missing: `/posts/${NO_ID}/block` };
    },
    expect: (r, k) => onContent(r, k, () => allowIf(takesPart(r, k))),
  },
  {
    method: 'POST',
    route: '/posts/:id/thanks',
    // A reply by a fresh member, so that no role in the table thanks their own, or twice.
    async request(g) {
      const t = await pw.freshThread(g);
      const helper = await freshMember(g);
      await db().update(posts).set({ authorId: helper.id }).where(eq(posts.id, t.replyId));
      return {
        url: `/posts/${t.replyId}/thanks`,
        form: { message: 'Thank you, that helped.' },
        missing: `/posts/${NO_ID}/thanks`,
      };
    },
    expect: (r, k) => onContent(r, k, () => allowIf(takesPart(r, k))),
  },
  {
    method: 'POST',
    route: '/g/:slug/members/:name/block',
    fresh: true,
    request: (g) => ({ url: `/g/${g.slug}/members/${encodeURIComponent(pw.people.member.pseudonym)}/block` }),
    expect: (r, k) => loggedIn(r, () => allowIf(takesPart(r, k))),
  },
  ...(['hide-for-me', 'show-for-me'] as const).map((action): GroupCase => ({
    method: 'POST',
    route: `/posts/:id/${action}`,
    async request(g) {
      const t = await pw.freshThread(g);
      return { url: `/posts/${t.replyId}/${action}`, missing: `/posts/${NO_ID}/${action}` };
    },
    expect: (r, k) => onContent(r, k, () => 'ok'),
  })),
  ...(['mute', 'unmute'] as const).map((action): GroupCase => ({
    method: 'POST',
    route: `/threads/:id/${action}`,
    async request(g) {
      const t = await pw.freshThread(g);
      return { url: `/threads/${t.id}/${action}`, missing: `/threads/${NO_ID}/${action}` };
    },
    expect: (r, k) => onContent(r, k, () => 'ok'),
  })),
  // Following: levels for a thread and a group are for members in good standing ("notifications
  // of a group's posts go to its members"); the names of the mention autocomplete, for those who
  // may see the member list.
  {
    method: 'POST',
    route: '/g/:slug/t/:threadId/follow',
    async request(g) {
      const t = await pw.freshThread(g);
      return {
        url: `/g/${g.slug}/t/${t.id}/follow`,
        form: { level: 'watching' },
        missing: `/g/${g.slug}/t/${NO_ID}/follow`,
      };
    },
    expect: (r, k) => onContent(r, k, () => allowIf(activeMember(r, k))),
  },
  {
    method: 'POST',
    route: '/g/:slug/follow',
    // Tracking, the default: nobody's notifications change for later cases.
    request: (g) => ({ url: `/g/${g.slug}/follow`, form: { level: 'tracking' }, missing: `/g/${NO_GROUP}/follow` }),
    expect: (r, k) => loggedIn(r, () => allowIf(activeMember(r, k))),
  },
  {
    method: 'GET',
    route: '/g/:slug/names',
    request: (g) => ({ url: `/g/${g.slug}/names?q=p`, missing: `/g/${NO_GROUP}/names?q=p` }),
    expect: (r, k) => loggedIn(r, () => allowIf(seesMembers(r, k))),
    // Names only, as JSON: never an address.
    check: (body, r, g) =>
      seesMembers(r, g.kind) ? [...shows(body, '{"names":[', true), ...shows(body, '@', false)] : [],
  },
  {
    method: 'POST',
    route: '/posts/:id/warning',
    async request(g) {
      const t = await pw.freshThread(g);
      return { url: `/posts/${t.replyId}/warning`, form: { warning: 'death' }, missing: `/posts/${NO_ID}/warning` };
    },
    // Moderators, and the post's author (the member).
    expect: (r, k) => onContent(r, k, () => allowIf(moderates(r) || r === 'member')),
  },
  // Coming in: join, leave, apply, invitations.
  {
    method: 'POST',
    route: '/g/:slug/join',
    fresh: true,
    request: (g) => ({ url: `/g/${g.slug}/join` }),
    expect: (r, k) =>
      loggedIn(r, () => {
        if (r === 'banned') return 'forbidden';
        if (holdsMembership(r)) return 'ok'; // already in: nothing to do
        return allowIf(k.policy === 'open');
      }),
  },
  {
    method: 'POST',
    route: '/g/:slug/leave',
    fresh: true, // a fresh owner is never the last owner, so the rule "the last owner stays" is not in play
    request: (g) => ({ url: `/g/${g.slug}/leave` }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'GET',
    route: '/g/:slug/apply',
    request: (g) => ({ url: `/g/${g.slug}/apply`, missing: `/g/${NO_GROUP}/apply` }),
    // Only approval groups take applications; elsewhere the page shows a member where they stand
    // and does not exist for anyone else.
    expect: (r, k) =>
      loggedIn(r, () => {
        if (k.policy !== 'approval') return holdsMembership(r) ? 'ok' : 'notFound';
        return r === 'banned' && !readings.bannedSeeApplyPage ? 'forbidden' : 'ok';
      }),
  },
  {
    method: 'POST',
    route: '/g/:slug/apply',
    fresh: true,
    request: (g) => ({ url: `/g/${g.slug}/apply`, form: { answers: 'A friend told me about it.' } }),
    expect: (r, k) =>
      loggedIn(r, () => {
        if (r === 'banned' || k.policy !== 'approval') return 'forbidden';
        return holdsMembership(r) ? 'invalid' : 'ok';
      }),
  },
  {
    method: 'POST',
    route: '/g/:slug/apply/withdraw',
    fresh: true,
    request: (g) => ({ url: `/g/${g.slug}/apply/withdraw` }),
    expect: (r) => loggedIn(r, () => 'ok'), // withdrawing what one never sent changes nothing
  },
  {
    method: 'GET',
    route: '/g/:slug/applications',
    request: (g) => ({ url: `/g/${g.slug}/applications` }),
    expect: (r) => loggedIn(r, () => allowIf(moderates(r))),
  },
  {
    method: 'POST',
    route: '/applications/:id/decision',
    async request(g) {
      const id = await pw.freshApplication(g);
      return {
        url: `/applications/${id}/decision`,
        form: { decision: 'approve', message: 'Welcome.' },
        missing: `/applications/${NO_ID}/decision`,
      };
    },
    // Applications are seen only by those who review them: to anyone else one does not exist.
    expect: (r) => loggedIn(r, () => (moderates(r) ? 'ok' : 'notFound')),
  },
  {
    method: 'GET',
    route: '/g/:slug/invitations',
    request: (g) => ({ url: `/g/${g.slug}/invitations` }),
    expect: (r) => loggedIn(r, () => allowIf(moderates(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/invitations',
    request: (g) => ({ url: `/g/${g.slug}/invitations`, form: { email: '', days: '7', uses: '3' } }),
    expect: (r) => loggedIn(r, () => allowIf(moderates(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/invitations/:id/revoke',
    async request(g) {
      const invitation = await pw.freshInvitation(g);
      return { url: `/g/${g.slug}/invitations/${invitation.id}/revoke` };
    },
    expect: (r) => loggedIn(r, () => allowIf(moderates(r))),
  },
  {
    method: 'GET',
    route: '/invite/:token',
    label: "the invited person's invitation",
    request: (g) => ({ url: `/invite/${g.inviteToken}` }),
    // Whoever holds a working link may see where it leads, as they may the group's own page.
    expect: () => 'ok',
  },
  {
    method: 'GET',
    route: '/invite/:token',
    label: 'a revoked invitation',
    request: (g) => ({ url: `/invite/${g.revokedToken}`, missing: `/invite/${NO_TOKEN}` }),
    expect: () => 'notFound',
  },
  {
    method: 'POST',
    route: '/invite/:token',
    fresh: true,
    async request(g) {
      const invitation = await pw.freshInvitation(g);
      return { url: `/invite/${invitation.token}` };
    },
    // An invitation lets anyone in, whatever the join policy; not a banned person; members are in already.
    expect: (r) => loggedIn(r, () => (r === 'banned' ? 'forbidden' : holdsMembership(r) ? 'invalid' : 'ok')),
  },
  {
    method: 'POST',
    route: '/invite/:token',
    label: 'an invitation emailed to one address',
    fresh: true,
    async request(g, actor, r) {
      // The invited person accepts the one sent to them; everyone else tries one sent to someone else.
      const email = r === 'invited' && actor ? actor.email : 'someone.else@example.org';
      const invitation = await pw.freshInvitation(g, { email });
      return { url: `/invite/${invitation.token}` };
    },
    expect: (r) => loggedIn(r, () => allowIf(r === 'invited')),
  },
  // The member list and what leaders do with it.
  {
    method: 'GET',
    route: '/g/:slug/members',
    request: (g) => ({ url: `/g/${g.slug}/members` }),
    expect: (r, k) => loggedIn(r, () => allowIf(seesMembers(r, k))),
  },
  {
    method: 'POST',
    route: '/g/:slug/members/:name/role',
    async request(g) {
      const target = await freshMember(g);
      return { url: `/g/${g.slug}/members/${target.pseudonym}/role`, form: { role: 'moderator' } };
    },
    expect: (r) => loggedIn(r, () => allowIf(manages(r))),
  },
  {
    method: 'GET',
    route: '/g/:slug/members/:name/remove',
    request: (g) => ({ url: `/g/${g.slug}/members/${encodeURIComponent(pw.people.member.pseudonym)}/remove` }),
    expect: (r) => loggedIn(r, () => allowIf(moderates(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/members/:name/remove',
    async request(g) {
      const target = await freshMember(g);
      return {
        url: `/g/${g.slug}/members/${target.pseudonym}/remove`,
        form: { reason: 'Repeated unkind posts', ban: 'on' },
      };
    },
    expect: (r) => loggedIn(r, () => allowIf(moderates(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/bans/:name/lift',
    async request(g) {
      const target = await freshMember(g, 'banned');
      return { url: `/g/${g.slug}/bans/${target.pseudonym}/lift` };
    },
    expect: (r) => loggedIn(r, () => allowIf(moderates(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/credential',
    fresh: true,
    request: (g) => ({ url: `/g/${g.slug}/credential`, form: { credential: 'Licensed clinical social worker' } }),
    // A credential is a facilitator's own.
    expect: (r) => loggedIn(r, () => allowIf(r === 'facilitator')),
  },
  {
    method: 'POST',
    route: '/g/:slug/members/:name/verify',
    async request(g) {
      const target = await freshMember(g, 'facilitator');
      await db()
        .update(memberships)
        .set({ credential: 'Chaplain' })
        .where(and(eq(memberships.groupId, g.id), eq(memberships.userId, target.id)));
      return { url: `/g/${g.slug}/members/${target.pseudonym}/verify` };
    },
    expect: (r) => loggedIn(r, () => allowIf(administers(r))),
  },
  {
    method: 'GET',
    route: '/g/:slug/members/:name/notes',
    request: (g) => ({ url: `/g/${g.slug}/members/${encodeURIComponent(pw.people.member.pseudonym)}/notes` }),
    expect: (r) => loggedIn(r, () => allowIf(leads(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/members/:name/notes',
    request: (g) => ({
      url: `/g/${g.slug}/members/${encodeURIComponent(pw.people.member.pseudonym)}/notes`,
      form: { body: 'Doing better this week.' },
    }),
    expect: (r) => loggedIn(r, () => allowIf(leads(r))),
  },
  // Names in groups (aliases).
  {
    method: 'GET',
    route: '/g/:slug/name',
    request: (g) => ({ url: `/g/${g.slug}/name`, missing: `/g/${NO_GROUP}/name` }),
    // Members see their name there; anyone else how to come in under one (or that they cannot).
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'POST',
    route: '/g/:slug/name',
    // Empty: back to their pseudonym, which the shared people use already.
    request: (g) => ({ url: `/g/${g.slug}/name`, form: { alias: '' } }),
    expect: (r) => loggedIn(r, () => allowIf(holdsMembership(r))),
  },
  // Anonymous posts: revealing who wrote one, and banning its author without learning who.
  ...[false, true].flatMap((facilitatorsMayReveal): GroupCase[] => {
    const label = facilitatorsMayReveal ? 'posted where facilitators may reveal' : 'posted where only admins may';
    return [
      {
        method: 'GET',
        route: '/posts/:id/reveal',
        label,
        async request(g) {
          const id = await sharedAnonymousReply(g, facilitatorsMayReveal);
          return { url: `/posts/${id}/reveal`, missing: `/posts/${NO_ID}/reveal` };
        },
        expect: (r, k) => onContent(r, k, () => allowIf(reveals(r, facilitatorsMayReveal))),
      },
      {
        method: 'POST',
        route: '/posts/:id/reveal',
        label,
        async request(g) {
          const id = await sharedAnonymousReply(g, facilitatorsMayReveal);
          return {
            url: `/posts/${id}/reveal`,
            form: { reason: 'A safeguarding concern about this post.' },
            missing: `/posts/${NO_ID}/reveal`,
          };
        },
        expect: (r, k) => onContent(r, k, () => allowIf(reveals(r, facilitatorsMayReveal))),
      },
    ];
  }),
  {
    method: 'GET',
    route: '/posts/:id/ban-author',
    async request(g) {
      const id = await sharedAnonymousReply(g, false);
      return { url: `/posts/${id}/ban-author`, missing: `/posts/${NO_ID}/ban-author` };
    },
    expect: (r, k) => onContent(r, k, () => allowIf(moderates(r))),
  },
  {
    method: 'POST',
    route: '/posts/:id/ban-author',
    async request(g) {
      const id = await anonymousReply(g, { author: await freshMember(g) });
      return { url: `/posts/${id}/ban-author`, form: { reason: 'Cruel posts' }, missing: `/posts/${NO_ID}/ban-author` };
    },
    expect: (r, k) => onContent(r, k, () => allowIf(moderates(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/bans/anonymous/:postId/lift',
    async request(g) {
      const target = await freshMember(g);
      const id = await anonymousReply(g, { author: target });
      await db().insert(bans).values({ groupId: g.id, userId: target.id, reason: 'Cruel posts', anonymousPostId: id });
      return { url: `/g/${g.slug}/bans/anonymous/${id}/lift` };
    },
    expect: (r) => loggedIn(r, () => allowIf(moderates(r))),
  },
  {
    method: 'GET',
    route: '/g/:slug/audit',
    request: (g) => ({ url: `/g/${g.slug}/audit` }),
    expect: (r) => loggedIn(r, () => allowIf(leads(r))),
  },
  // Newsletters: written by the group's leaders (not moderators); read by members, or by anyone
  // when a public group opens its archive (none here does); a public group's page offers sign-up.
  {
    method: 'GET',
    route: '/g/:slug/newsletters',
    async request(g) {
      await sharedNewsletter(g, 'sent');
      return { url: `/g/${g.slug}/newsletters` };
    },
    expect: (r, k) => (k.visibility === 'public' || readsNewsletters(r, k) ? 'ok' : refused),
    check: (body, r, g) => shows(body, `Sent news of ${g.slug}`, readsNewsletters(r, g.kind)),
  },
  {
    method: 'GET',
    route: '/g/:slug/newsletters/:id',
    async request(g) {
      return { url: `/g/${g.slug}/newsletters/${await sharedNewsletter(g, 'sent')}` };
    },
    expect: (r, k) => (readsNewsletters(r, k) ? 'ok' : refused),
    check: (body, _r, g) => shows(body, `Sent news of ${g.slug}`, true),
  },
  {
    method: 'GET',
    route: '/g/:slug/newsletters/:id',
    label: 'a draft',
    async request(g) {
      return {
        url: `/g/${g.slug}/newsletters/${await sharedNewsletter(g, 'draft')}`,
        missing: `/g/${g.slug}/newsletters/${NO_ID}`,
      };
    },
    expect: (r, k) => (leads(r) ? 'ok' : readsNewsletters(r, k) ? 'notFound' : refused),
  },
  {
    method: 'GET',
    route: '/g/:slug/newsletters/new',
    request: (g) => ({ url: `/g/${g.slug}/newsletters/new` }),
    expect: (r) => loggedIn(r, () => allowIf(leads(r))),
  },
  {
    method: 'GET',
    route: '/g/:slug/newsletters/:id/edit',
    async request(g) {
      return { url: `/g/${g.slug}/newsletters/${await sharedNewsletter(g, 'draft')}/edit` };
    },
    expect: (r) => loggedIn(r, () => allowIf(leads(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/newsletters/new',
    request: (g) => ({ url: `/g/${g.slug}/newsletters/new`, form: newsletterForm() }),
    expect: (r) => loggedIn(r, () => allowIf(leads(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/newsletters/:id/edit',
    async request(g) {
      return { url: `/g/${g.slug}/newsletters/${await freshNewsletter(g, 'draft')}/edit`, form: newsletterForm() };
    },
    expect: (r) => loggedIn(r, () => allowIf(leads(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/newsletters/:id/test',
    async request(g) {
      return { url: `/g/${g.slug}/newsletters/${await freshNewsletter(g, 'draft')}/test` };
    },
    // A test goes only to a confirmed address, and nobody in the table has confirmed theirs.
    expect: (r) => loggedIn(r, () => (leads(r) ? 'invalid' : 'forbidden')),
  },
  {
    method: 'POST',
    route: '/g/:slug/newsletters/:id/send',
    async request(g) {
      return { url: `/g/${g.slug}/newsletters/${await freshNewsletter(g, 'draft')}/send` };
    },
    expect: (r) => loggedIn(r, () => allowIf(leads(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/newsletters/:id/schedule',
    async request(g) {
      return {
        url: `/g/${g.slug}/newsletters/${await freshNewsletter(g, 'draft')}/schedule`,
        form: { date: '2040-01-01', time: '09:00' },
      };
    },
    expect: (r) => loggedIn(r, () => allowIf(leads(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/newsletters/:id/cancel',
    async request(g) {
      return { url: `/g/${g.slug}/newsletters/${await freshNewsletter(g, 'scheduled')}/cancel` };
    },
    expect: (r) => loggedIn(r, () => allowIf(leads(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/newsletters/subscribe',
    request: (g) => ({ url: `/g/${g.slug}/newsletters/subscribe`, form: { email: `reader${++made}@example.net` } }),
    expect: (_r, k) => (k.visibility === 'public' ? 'ok' : refused),
  },
  // Advocacy campaigns: written by the group's leaders; a published one's page is public.
  {
    method: 'GET',
    route: '/g/:slug/campaigns',
    async request(g) {
      await sharedCampaign(g, 'published');
      await sharedCampaign(g, 'draft');
      return { url: `/g/${g.slug}/campaigns` };
    },
    expect: (r, k) => (readsDiscussions(r, k) || leads(r) ? 'ok' : refused),
    check: (body, _r, g) => shows(body, `Campaign of ${g.slug}`, true),
  },
  {
    method: 'GET',
    route: '/campaigns/:slug',
    async request(g) {
      return { url: `/campaigns/${await sharedCampaign(g, 'published')}` };
    },
    // Public once published, even for a members-only group, which it names only when public.
    expect: () => 'ok',
    check: (body, _r, g) => [
      ...shows(body, `Campaign of ${g.slug}`, true),
      ...shows(body, groupLink(g.slug), g.kind.visibility === 'public'),
      ...shows(body, g.name, g.kind.visibility === 'public'),
    ],
  },
  {
    method: 'GET',
    route: '/campaigns/:slug',
    label: 'a draft',
    async request(g) {
      return { url: `/campaigns/${await sharedCampaign(g, 'draft')}`, missing: '/campaigns/no-such-campaign' };
    },
    expect: (r) => (leads(r) ? 'ok' : 'notFound'),
  },
  {
    method: 'GET',
    route: '/g/:slug/campaigns/new',
    request: (g) => ({ url: `/g/${g.slug}/campaigns/new` }),
    expect: (r) => loggedIn(r, () => allowIf(leads(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/campaigns/new',
    request: (g) => ({ url: `/g/${g.slug}/campaigns/new`, form: campaignForm() }),
    expect: (r) => loggedIn(r, () => allowIf(leads(r))),
  },
  {
    method: 'GET',
    route: '/g/:slug/campaigns/:id/edit',
    async request(g) {
      return { url: `/g/${g.slug}/campaigns/${await campaignId(await sharedCampaign(g, 'draft'))}/edit` };
    },
    expect: (r) => loggedIn(r, () => allowIf(leads(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/campaigns/:id/edit',
    async request(g) {
      const id = await campaignId(await freshCampaign(g, 'draft'));
      return { url: `/g/${g.slug}/campaigns/${id}/edit`, form: campaignForm() };
    },
    expect: (r) => loggedIn(r, () => allowIf(leads(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/campaigns/:id/publish',
    async request(g) {
      return { url: `/g/${g.slug}/campaigns/${await campaignId(await freshCampaign(g, 'draft'))}/publish` };
    },
    expect: (r) => loggedIn(r, () => allowIf(leads(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/campaigns/:id/close',
    async request(g) {
      return { url: `/g/${g.slug}/campaigns/${await campaignId(await freshCampaign(g, 'published'))}/close` };
    },
    expect: (r) => loggedIn(r, () => allowIf(leads(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/campaigns/:id/updates',
    async request(g) {
      const id = await campaignId(await sharedCampaign(g, 'published'));
      return { url: `/g/${g.slug}/campaigns/${id}/updates`, form: { body: 'News of the campaign.' } };
    },
    expect: (r) => loggedIn(r, () => allowIf(leads(r))),
  },
  {
    method: 'POST',
    route: '/campaigns/:slug/sign',
    async request(g) {
      return { url: `/campaigns/${await sharedCampaign(g, 'published')}/sign`, form: { how: 'anonymous' } };
    },
    expect: (r, k) => loggedIn(r, () => allowIf(signsCampaigns(r, k))),
  },
  {
    method: 'POST',
    route: '/campaigns/:slug/withdraw',
    async request(g) {
      return { url: `/campaigns/${await sharedCampaign(g, 'published')}/withdraw` };
    },
    // A name is its owner's to take back, whoever they are now.
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  // The resource library: read with the discussions; suggested by those who take part; reviewed by moderators.
  {
    method: 'GET',
    route: '/g/:slug/resources',
    async request(g) {
      await sharedLibraryResource(g);
      return { url: `/g/${g.slug}/resources` };
    },
    expect: (r, k) => (readsDiscussions(r, k) ? 'ok' : refused),
    check: (body, r, g) => shows(body, `Resource of ${g.slug}`, readsDiscussions(r, g.kind)),
  },
  {
    method: 'GET',
    route: '/g/:slug/resources/:id',
    async request(g) {
      return {
        url: `/g/${g.slug}/resources/${await sharedLibraryResource(g)}`,
        missing: `/g/${g.slug}/resources/${NO_ID}`,
      };
    },
    expect: (r, k) => (readsDiscussions(r, k) ? 'ok' : refused),
    check: (body, r, g) => shows(body, `Resource of ${g.slug}`, readsDiscussions(r, g.kind)),
  },
  {
    method: 'GET',
    route: '/g/:slug/resources/new',
    request: (g) => ({ url: `/g/${g.slug}/resources/new` }),
    expect: (r, k) => loggedIn(r, () => allowIf(takesPart(r, k))),
  },
  {
    method: 'POST',
    route: '/g/:slug/resources/new',
    request: (g) => ({ url: `/g/${g.slug}/resources/new`, form: libraryForm() }),
    expect: (r, k) => loggedIn(r, () => allowIf(takesPart(r, k))),
  },
  {
    method: 'POST',
    route: '/g/:slug/resources/:id/helped',
    async request(g) {
      return { url: `/g/${g.slug}/resources/${await sharedLibraryResource(g)}/helped` };
    },
    expect: (r, k) => loggedIn(r, () => allowIf(takesPart(r, k))),
  },
  {
    method: 'GET',
    route: '/g/:slug/resources/review',
    request: (g) => ({ url: `/g/${g.slug}/resources/review` }),
    expect: (r) => loggedIn(r, () => allowIf(moderates(r))),
  },
  {
    method: 'GET',
    route: '/g/:slug/resources/:id/edit',
    async request(g) {
      return { url: `/g/${g.slug}/resources/${await sharedLibraryResource(g)}/edit` };
    },
    expect: (r) => loggedIn(r, () => allowIf(moderates(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/resources/:id/edit',
    async request(g) {
      return { url: `/g/${g.slug}/resources/${await freshLibraryResource(g, 'approved')}/edit`, form: libraryForm() };
    },
    expect: (r) => loggedIn(r, () => allowIf(moderates(r))),
  },
  ...(['approve', 'decline', 'delete'] as const).map((path): GroupCase => ({
    method: 'POST',
    route: `/g/:slug/resources/:id/${path}`,
    async request(g) {
      return { url: `/g/${g.slug}/resources/${await freshLibraryResource(g, 'suggested')}/${path}` };
    },
    expect: (r) => loggedIn(r, () => allowIf(moderates(r))),
  })),
  {
    method: 'POST',
    route: '/g/:slug/resources/:id/reviewed',
    async request(g) {
      return { url: `/g/${g.slug}/resources/${await freshLibraryResource(g, 'approved')}/reviewed` };
    },
    expect: (r) => loggedIn(r, () => allowIf(moderates(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/resources/:id/vouch',
    async request(g) {
      return { url: `/g/${g.slug}/resources/${await freshLibraryResource(g, 'approved')}/vouch` };
    },
    // Only facilitators, and only in professionally run groups (as every group here is).
    expect: (r) => loggedIn(r, () => allowIf(r === 'facilitator')),
  },
  // Coping strategies: read with the discussions; asked for by those who take part (never on one's
  // own reply); answered by the reply's author alone.
  {
    method: 'GET',
    route: '/g/:slug/coping',
    request: (g) => ({ url: `/g/${g.slug}/coping` }),
    expect: (r, k) => (readsDiscussions(r, k) ? 'ok' : refused),
  },
  {
    method: 'POST',
    route: '/g/:slug/coping',
    async request(g) {
      const t = await pw.freshThread(g);
      return { url: `/g/${g.slug}/coping`, form: { postId: String(t.replyId), title: 'Breathing' } };
    },
    expect: (r, k) => onContent(r, k, () => (takesPart(r, k) ? (r === 'member' ? 'invalid' : 'ok') : 'forbidden')),
  },
  {
    method: 'GET',
    route: '/g/:slug/coping/requests',
    request: (g) => ({ url: `/g/${g.slug}/coping/requests` }),
    expect: (r, k) => loggedIn(r, () => (readsDiscussions(r, k) ? 'ok' : refused)),
  },
  ...(['consent', 'decline'] as const).map((path): GroupCase => ({
    method: 'POST',
    route: `/g/:slug/coping/:id/${path}`,
    async request(g) {
      return { url: `/g/${g.slug}/coping/${await freshCopingRequest(g)}/${path}` };
    },
    expect: (r) => loggedIn(r, () => (r === 'member' ? 'ok' : 'notFound')),
  })),
  // Needs a reply: whoever reads the group's discussions; hidden and pending openings are never in it.
  {
    method: 'GET',
    route: '/g/:slug/waiting',
    request: (g) => ({ url: `/g/${g.slug}/waiting` }),
    expect: (r, k) => (readsDiscussions(r, k) ? 'ok' : refused),
    check: (body, r, g) =>
      readsDiscussions(r, g.kind)
        ? [...shows(body, g.hiddenThread.title, false), ...shows(body, g.pendingThread.title, false)]
        : shows(body, `Secret-${g.slug}`, false),
  },
  // Mailing lists: each member chooses what their group sends them; those who manage it set it up.
  {
    method: 'GET',
    route: '/g/:slug/email',
    request: (g) => ({ url: `/g/${g.slug}/email` }),
    expect: (r) => loggedIn(r, () => allowIf(holdsMembership(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/email',
    // The choice a new member has already, so that saving it changes nothing for later cases.
    request: (g) => ({ url: `/g/${g.slug}/email`, form: { mode: 'daily', newsletters: 'on' } }),
    expect: (r) => loggedIn(r, () => allowIf(holdsMembership(r))),
  },
  {
    method: 'GET',
    route: '/g/:slug/email/settings',
    request: (g) => ({ url: `/g/${g.slug}/email/settings` }),
    expect: (r) => loggedIn(r, () => allowIf(manages(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/email/settings',
    // The defaults, so that saving them changes nothing for later cases.
    request: (g) => ({ url: `/g/${g.slug}/email/settings`, form: { defaultMode: 'daily', postByEmail: 'on' } }),
    expect: (r) => loggedIn(r, () => allowIf(manages(r))),
  },
  // A group's calendar feed: for whoever may read its discussions; never the dial-in details.
  {
    method: 'GET',
    route: '/g/:slug/meetings.ics',
    async request(g) {
      await phoneMeetingIn(g);
      return { url: `/g/${g.slug}/meetings.ics` };
    },
    expect: (r, k) => (readsDiscussions(r, k) ? 'ok' : refused),
    check: (body) => [...shows(body, 'BEGIN:VEVENT', true), ...shows(body, FEED_DIAL_IN, false)],
  },
  // Meetings: read with the discussions, scheduled and changed by moderators and above, answered by
  // members; a phone meeting's number for members and leaders only, who is coming for leaders only.
  {
    method: 'GET',
    route: '/g/:slug/meetings',
    async request(g) {
      await sharedMeeting(g);
      return { url: `/g/${g.slug}/meetings` };
    },
    expect: (r, k) => (readsDiscussions(r, k) ? 'ok' : refused),
    check: (body, _r, g) => [...shows(body, `Meeting of ${g.slug}`, true), ...shows(body, MEETING_DIAL_IN, false)],
  },
  {
    method: 'GET',
    route: '/meetings/:occurrenceId',
    async request(g) {
      const { occurrenceIds } = await sharedMeeting(g);
      return { url: `/meetings/${occurrenceIds[0]}`, missing: `/meetings/${NO_ID}` };
    },
    expect: (r, k) => (readsDiscussions(r, k) ? 'ok' : 'notFound'),
    check: (body, r, g) => [
      ...shows(body, `Meeting of ${g.slug}`, true),
      ...shows(body, MEETING_DIAL_IN, activeMember(r, g.kind) || moderates(r)),
      ...shows(body, `<li>${pw.people.member.pseudonym}</li>`, moderates(r)),
    ],
  },
  {
    method: 'GET',
    route: '/g/:slug/meetings/new',
    request: (g) => ({ url: `/g/${g.slug}/meetings/new` }),
    expect: (r) => loggedIn(r, () => allowIf(moderates(r))),
  },
  {
    method: 'GET',
    route: '/g/:slug/meetings/:meetingId/edit',
    async request(g) {
      return { url: `/g/${g.slug}/meetings/${(await sharedMeeting(g)).meetingId}/edit` };
    },
    expect: (r) => loggedIn(r, () => allowIf(moderates(r))),
  },
  {
    method: 'GET',
    route: '/meetings/:occurrenceId/move',
    async request(g) {
      const { occurrenceIds } = await sharedMeeting(g);
      return { url: `/meetings/${occurrenceIds[0]}/move`, missing: `/meetings/${NO_ID}/move` };
    },
    expect: (r, k) => loggedIn(r, () => (readsDiscussions(r, k) ? allowIf(moderates(r)) : 'notFound')),
  },
  {
    method: 'POST',
    route: '/g/:slug/meetings/new',
    request: (g) => ({ url: `/g/${g.slug}/meetings/new`, form: meetingForm() }),
    expect: (r) => loggedIn(r, () => allowIf(moderates(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/meetings/:meetingId/edit',
    async request(g) {
      return { url: `/g/${g.slug}/meetings/${(await freshMeeting(g)).meetingId}/edit`, form: meetingForm() };
    },
    expect: (r) => loggedIn(r, () => allowIf(moderates(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/meetings/:meetingId/cancel',
    async request(g) {
      return { url: `/g/${g.slug}/meetings/${(await freshMeeting(g)).meetingId}/cancel`, form: { note: '' } };
    },
    expect: (r) => loggedIn(r, () => allowIf(moderates(r))),
  },
  {
    method: 'POST',
    route: '/meetings/:occurrenceId/rsvp',
    async request(g) {
      const { occurrenceIds } = await freshMeeting(g);
      return {
        url: `/meetings/${occurrenceIds[0]}/rsvp`,
        form: { status: 'going' },
        missing: `/meetings/${NO_ID}/rsvp`,
      };
    },
    expect: (r, k) => loggedIn(r, () => (readsDiscussions(r, k) ? allowIf(answersMeetings(r, k)) : 'notFound')),
  },
  {
    method: 'POST',
    route: '/meetings/:occurrenceId/cancel',
    async request(g) {
      const { occurrenceIds } = await freshMeeting(g);
      return { url: `/meetings/${occurrenceIds[0]}/cancel`, form: { note: '' }, missing: `/meetings/${NO_ID}/cancel` };
    },
    expect: (r, k) => loggedIn(r, () => (readsDiscussions(r, k) ? allowIf(moderates(r)) : 'notFound')),
  },
  {
    method: 'POST',
    route: '/meetings/:occurrenceId/move',
    async request(g) {
      const { occurrenceIds } = await freshMeeting(g);
      const date = new Date(Date.now() + 15 * 24 * 3600_000).toISOString().slice(0, 10);
      return {
        url: `/meetings/${occurrenceIds[0]}/move`,
        form: { date, time: '20:00', timeZone: 'UTC' },
        missing: `/meetings/${NO_ID}/move`,
      };
    },
    expect: (r, k) => loggedIn(r, () => (readsDiscussions(r, k) ? allowIf(moderates(r)) : 'notFound')),
  },
  // Live chat: a group's own room and an online meeting's, read with the group's discussions
  // (never by the banned), written by members who take part, run by moderators and above.
  {
    method: 'GET',
    route: '/g/:slug/chat',
    async request(g) {
      await groupRoom(g);
      return { url: `/g/${g.slug}/chat` };
    },
    expect: (r, k) => (readsRoom(r, k) ? 'ok' : refused),
    check: (body, r, g) => [
      ...shows(body, 'id="chat-form"', takesPart(r, g.kind)),
      ...shows(body, 'Leading this room', moderates(r)),
      ...(noindex(body) ? [] : ['a chat room without noindex']),
    ],
  },
  {
    method: 'GET',
    route: '/meetings/:occurrenceId/room',
    async request(g) {
      const { occurrenceId } = await sharedMeetingRoom(g);
      return { url: `/meetings/${occurrenceId}/room`, missing: `/meetings/${NO_ID}/room` };
    },
    expect: (r, k) => (readsRoom(r, k) ? 'ok' : readsDiscussions(r, k) ? refused : 'notFound'),
    check: (body, r, g) => [
      ...shows(body, `Live room: Live circle of ${g.slug}`, true),
      ...shows(body, 'id="chat-form"', takesPart(r, g.kind)),
      ...shows(body, 'End the meeting', moderates(r)),
    ],
  },
  {
    method: 'GET',
    route: '/chat/rooms/:roomId/messages',
    async request(g) {
      return { url: `/chat/rooms/${await groupRoom(g)}/messages`, missing: `/chat/rooms/${NO_ID}/messages` };
    },
    expect: (r, k) => (readsRoom(r, k) ? 'ok' : 'notFound'),
  },
  {
    method: 'GET',
    route: '/live',
    label: "follow a group's chat room",
    request: async (g) => ({ url: `/live?chat=${await groupRoom(g)}`, missing: `/live?chat=${NO_ID}` }),
    expect: (r, k) => (readsRoom(r, k) ? 'ok' : 'notFound'),
  },
  {
    method: 'POST',
    route: '/chat/rooms/:roomId/messages',
    async request(g) {
      return {
        url: `/chat/rooms/${await groupRoom(g)}/messages`,
        form: { body: 'Thinking of you all.' },
        missing: `/chat/rooms/${NO_ID}/messages`,
      };
    },
    expect: (r, k) => loggedIn(r, () => (readsRoom(r, k) ? allowIf(takesPart(r, k)) : 'notFound')),
  },
  {
    method: 'POST',
    route: '/chat/rooms/:roomId/pause',
    async request(g) {
      return { url: `/chat/rooms/${(await meetingRoom(g)).roomId}/pause`, missing: `/chat/rooms/${NO_ID}/pause` };
    },
    expect: runsRoom,
  },
  {
    method: 'POST',
    route: '/chat/rooms/:roomId/resume',
    async request(g) {
      return {
        url: `/chat/rooms/${(await meetingRoom(g, true)).roomId}/resume`,
        missing: `/chat/rooms/${NO_ID}/resume`,
      };
    },
    expect: runsRoom,
  },
  {
    method: 'POST',
    route: '/chat/rooms/:roomId/end',
    async request(g) {
      return { url: `/chat/rooms/${(await meetingRoom(g)).roomId}/end`, missing: `/chat/rooms/${NO_ID}/end` };
    },
    expect: runsRoom,
  },
  {
    method: 'POST',
    route: '/chat/rooms/:roomId/messages/:messageId/remove',
    async request(g) {
      const { roomId, messageId } = await freshChatMessage(g);
      return {
        url: `/chat/rooms/${roomId}/messages/${messageId}/remove`,
        missing: `/chat/rooms/${NO_ID}/messages/${NO_ID}/remove`,
      };
    },
    expect: runsRoom,
  },
  ...(['mute', 'unmute', 'remove'] as const).map((action): GroupCase => ({
    method: 'POST',
    route: `/chat/rooms/:roomId/participants/:name/${action}`,
    async request(g) {
      const { roomId, name } = await freshParticipant(g);
      return {
        url: `/chat/rooms/${roomId}/participants/${name}/${action}`,
        missing: `/chat/rooms/${NO_ID}/participants/${name}/${action}`,
      };
    },
    expect: runsRoom,
  })),
  // The group itself.
  {
    method: 'GET',
    route: '/g/:slug/edit',
    request: (g) => ({ url: `/g/${g.slug}/edit` }),
    expect: (r) => loggedIn(r, () => allowIf(manages(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/edit',
    request: (g) => ({ url: `/g/${g.slug}/edit`, form: groupFormValues(g) }),
    expect: (r) => loggedIn(r, () => allowIf(manages(r))),
  },
  {
    method: 'GET',
    route: '/g/:slug/listing',
    request: (g) => ({ url: `/g/${g.slug}/listing` }),
    expect: (r) => loggedIn(r, () => allowIf(manages(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/listing',
    request: (g) => ({
      url: `/g/${g.slug}/listing`,
      form: { topics: 'caregiving', formats: 'forum', audiences: 'self', place: '', searchEngines: 'on' },
    }),
    expect: (r) => loggedIn(r, () => allowIf(manages(r))),
  },
  {
    method: 'GET',
    route: '/g/:slug/settings',
    request: (g) => ({ url: `/g/${g.slug}/settings` }),
    expect: (r) => loggedIn(r, () => allowIf(manages(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/settings',
    // The settings the group has already, so that saving them changes nothing for later cases.
    request: (g) => ({
      url: `/g/${g.slug}/settings`,
      form: {
        joinPolicy: g.kind.policy,
        listed: g.kind.listed ? 'on' : '',
        entryQuestions: g.kind.policy === 'approval' ? 'What brings you here?' : '',
        allowedEmailDomain: '',
        preModeration: '',
        slowModeMinutes: '0',
        closedToPosts: '',
      },
    }),
    expect: (r) => loggedIn(r, () => allowIf(manages(r))),
  },
  // Fees and payments.
  {
    method: 'GET',
    route: '/g/:slug/fees',
    request: (g) => ({ url: `/g/${g.slug}/fees` }),
    expect: (r) => loggedIn(r, () => allowIf(manages(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/fees',
    request: (g) => ({
      url: `/g/${g.slug}/fees`,
      form: { amount: '10.00', minimum: '5.00', currency: 'GBP', interval: 'month' },
    }),
    expect: (r) => loggedIn(r, () => allowIf(manages(r))),
  },
  {
    method: 'GET',
    route: '/g/:slug/pay',
    request: (g) => ({ url: `/g/${g.slug}/pay`, missing: `/g/${NO_GROUP}/pay` }),
    // Paying is for paid groups (elsewhere there is no such page), and for anyone who may come in.
    expect: (r, k) => loggedIn(r, () => (k.policy !== 'paid' ? 'notFound' : r === 'banned' ? 'forbidden' : 'ok')),
  },
  // Starting and confirming card payments with Stripe itself: src/features/payments/payments.test.ts.
  {
    method: 'POST',
    route: '/g/:slug/pay/card',
    label: 'card payments off',
    fresh: true,
    request: (g) => ({ url: `/g/${g.slug}/pay/card`, form: { amount: '10.00' }, missing: `/g/${NO_GROUP}/pay/card` }),
    expect: (r) => loggedIn(r, () => 'notFound'),
  },
  {
    method: 'POST',
    route: '/g/:slug/pay/card',
    label: 'card payments on; an amount below the sliding scale, refused before Stripe is called',
    fresh: true,
    cards: true,
    request: (g) => ({ url: `/g/${g.slug}/pay/card`, form: { amount: '4.99' }, missing: `/g/${NO_GROUP}/pay/card` }),
    // Whoever may pay gets as far as the amount (leaders, who owe nothing, are told so): the same 400.
    expect: (r, k) => loggedIn(r, () => (k.policy !== 'paid' ? 'notFound' : r === 'banned' ? 'forbidden' : 'invalid')),
  },
  {
    method: 'POST',
    route: '/g/:slug/pay/waiver',
    fresh: true,
    request: (g) => ({
      url: `/g/${g.slug}/pay/waiver`,
      form: { message: 'I cannot afford the fee this year.' },
      missing: `/g/${NO_GROUP}/pay/waiver`,
    }),
    // Leaders owe no fee, so have nothing to waive (the code's rule: the README does not say who pays).
    expect: (r, k) =>
      loggedIn(r, () => {
        if (k.policy !== 'paid') return 'notFound';
        if (r === 'banned') return 'forbidden';
        return ['moderator', 'facilitator', 'owner'].includes(r) ? 'invalid' : 'ok';
      }),
  },
  {
    method: 'GET',
    route: '/g/:slug/payments',
    request: (g) => ({ url: `/g/${g.slug}/payments` }),
    expect: (r) => loggedIn(r, () => allowIf(manages(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/payments',
    async request(g) {
      const payer = await pw.freshPerson();
      return {
        url: `/g/${g.slug}/payments`,
        form: { pseudonym: payer.pseudonym, amount: '10.00', receivedOn: today() },
      };
    },
    expect: (r) => loggedIn(r, () => allowIf(manages(r))),
  },
  {
    method: 'POST',
    route: '/g/:slug/payments/waivers/:id/:decision',
    async request(g) {
      const id = await pw.freshHardshipRequest(g);
      return { url: `/g/${g.slug}/payments/waivers/${id}/grant` };
    },
    expect: (r) => loggedIn(r, () => allowIf(manages(r))),
  },
  // Private messages: conversations between members who share the group; only those in one read it.
  {
    method: 'GET',
    route: '/messages/:conversationId',
    async request(g) {
      const { id } = await sharedConversation(g);
      return { url: `/messages/${id}`, missing: `/messages/${NO_ID}` };
    },
    expect: (r) => loggedIn(r, () => (inConversation(r) ? 'ok' : 'notFound')),
    check: (body, _r, g) => shows(body, `Private words in ${g.slug}`, true),
  },
  {
    method: 'GET',
    route: '/live',
    label: 'follow a private conversation',
    async request(g) {
      const { id } = await sharedConversation(g);
      return { url: `/live?conversation=${id}`, missing: `/live?conversation=${NO_ID}` };
    },
    expect: (r) => (inConversation(r) ? 'ok' : 'notFound'),
  },
  {
    method: 'POST',
    route: '/messages/new',
    fresh: true,
    request: (g) => ({
      url: '/messages/new',
      form: { group: g.slug, to: pw.people.member.pseudonym, body: 'Hello from the permission test.' },
    }),
    // Members in good standing may write to another member; nobody else, leaders who are not members included.
    expect: (r, k) => loggedIn(r, () => allowIf(activeMember(r, k))),
  },
  {
    method: 'POST',
    route: '/messages/:conversationId',
    async request(g) {
      const { id } = await freshConversation(g);
      return { url: `/messages/${id}`, form: { body: 'Thinking of you.' }, missing: `/messages/${NO_ID}` };
    },
    expect: (r) => loggedIn(r, () => (inConversation(r) ? 'ok' : 'notFound')),
  },
  ...(['accept', 'decline'] as const).map((action): GroupCase => ({
    method: 'POST',
    route: `/messages/:conversationId/${action}`,
    async request(g) {
      const { id } = await freshConversation(g, 'requested');
      return { url: `/messages/${id}/${action}`, missing: `/messages/${NO_ID}/${action}` };
    },
    // Only the person asked answers a request.
    expect: (r) => loggedIn(r, () => (r === 'member' ? 'ok' : 'notFound')),
  })),
  {
    method: 'POST',
    route: '/messages/:conversationId/leave',
    async request(g) {
      const { id } = await freshConversation(g);
      return { url: `/messages/${id}/leave`, missing: `/messages/${NO_ID}/leave` };
    },
    expect: (r) => loggedIn(r, () => (inConversation(r) ? 'ok' : 'notFound')),
  },
  {
    method: 'POST',
    route: '/messages/:conversationId/report',
    async request(g) {
      const { id, messageId } = await freshConversation(g);
      const form = { messages: String(messageId), reason: 'spam' };
      return { url: `/messages/${id}/report`, form, missing: `/messages/${NO_ID}/report` };
    },
    // Those in it report the others' messages; the moderator wrote this one, which the form says.
    expect: (r) => loggedIn(r, () => (r === 'member' ? 'ok' : r === 'moderator' ? 'invalid' : 'notFound')),
  },
];

/** Site admins, organisation admins and facilitators have two-step verification on in this world. */
const hasSecondFactor = (r: Role) => r === 'siteAdmin' || r === 'orgAdmin' || r === 'facilitator';

/** The id of a new session of the person's, as their list of devices names it. */
async function sessionIdOf(person: Person): Promise<number> {
  const { token } = await createSession(db(), person.id);
  const [row] = await db()
    .select({ id: sessions.id })
    .from(sessions)
    .where(eq(sessions.tokenHash, hashToken(token)));
  return row!.id;
}

/** A passkey of the person's (a row as registration leaves it; only removing it is tested here). */
async function passkeyOf(person: Person): Promise<string> {
  const id = randomBytes(16).toString('base64url');
  await db().insert(passkeys).values({ id, userId: person.id, userHandle: id, publicKey: id });
  return id;
}

/** What a browser's script posts to turn push on: a new endpoint, and keys as a browser makes them. */
function pushForm(): Form {
  const ecdh = createECDH('prime256v1');
  return {
    endpoint: `https://push.example.net/wpush/${randomBytes(12).toString('hex')}`,
    p256dh: ecdh.generateKeys().toString('base64url'),
    auth: randomBytes(16).toString('base64url'),
  };
}

/** A device the person turned push on for. */
async function pushDeviceOf(person: Person): Promise<number> {
  const { endpoint, p256dh, auth } = pushForm() as Record<string, string>;
  const [row] = await db()
    .insert(pushSubscriptions)
    .values({ userId: person.id, endpoint: endpoint!, p256dh: p256dh!, auth: auth! })
    .returning({ id: pushSubscriptions.id });
  return row!.id;
}

/** A ready data archive of the person's. */
/** A new notification of the person's (a reply in the first group's thread), by its id. */
async function noticeOf(person: Person): Promise<number> {
  const g = pw.groups[0]!;
  await db().transaction((tx) =>
    createNotifications(tx, [{ userId: person.id, kind: 'reply', groupId: g.id, threadId: g.thread.id }]),
  );
  const result = (await db().execute(
    sql`select max(id) as id from notifications where user_id = ${person.id}`,
  )) as unknown as { rows: { id: number }[] };
  return Number(result.rows[0]!.id);
}

async function archiveOf(person: Person): Promise<number> {
  const id = (await requestExport(db(), person.id))!;
  await prepareExport(db(), id);
  return id;
}

const ORG = 'permission-trust';
const resourceForm = (): Form => ({
  country: 'GB',
  name: `Help line ${++made}`,
  description: 'Someone to talk to.',
  phone: '0800 000 000',
  hours: '24/7',
  languages: 'en',
  position: '5',
});

async function freshResource(): Promise<number> {
  const [row] = await db()
    .insert(crisisResources)
    .values({ country: 'GB', name: `Line ${++made}`, phone: '0800 000 001' })
    .returning({ id: crisisResources.id });
  return row!.id;
}

const siteCases: SiteCase[] = [
  { method: 'GET', route: '/healthz', request: () => ({ url: '/healthz' }), expect: () => 'ok' },
  {
    method: 'GET',
    route: '/assets/:version/:name',
    request: () => ({ url: assetUrl('styles.css') }),
    expect: () => 'ok',
  },
  {
    method: 'GET',
    route: '/',
    request: () => ({ url: '/' }),
    expect: () => 'ok',
    check: (body) => listingCheck(body, { listedShown: false, unlistedShown: false }),
  },
  {
    method: 'GET',
    route: '/groups',
    request: () => ({ url: '/groups' }),
    expect: () => 'ok',
    check: (body) => listingCheck(body, { listedShown: true, unlistedShown: false }),
  },
  {
    method: 'GET',
    route: '/groups/new',
    request: () => ({ url: '/groups/new' }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'POST',
    route: '/groups/new',
    request: () => ({ url: '/groups/new', form: newGroupForm() }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  // Crisis resources: for everyone; kept by site admins.
  { method: 'GET', route: '/help', request: () => ({ url: '/help?country=GB' }), expect: () => 'ok' },
  // Help me find a group: for everyone; it suggests listed groups only (every test group is tagged "testing").
  {
    method: 'GET',
    route: '/find',
    request: () => ({ url: '/find?step=results&about=testing' }),
    expect: () => 'ok',
    check: (body) => listingCheck(body, { listedShown: false, unlistedShown: false }),
  },
  // Listings of groups hosted elsewhere: anyone signed in submits and claims; anyone reads an
  // approved one; a pending one is not there for anyone but its submitter and site admins.
  {
    method: 'GET',
    route: '/listings/new',
    request: () => ({ url: '/listings/new' }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'POST',
    route: '/listings/new',
    request: () => ({ url: '/listings/new', form: listingForm() }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'GET',
    route: '/listings/mine',
    request: () => ({ url: '/listings/mine' }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'GET',
    route: '/listings/:id',
    label: 'approved',
    request: async () => ({ url: `/listings/${await sharedListing('approved')}` }),
    expect: () => 'ok',
    check: (body) => [
      ...shows(body, 'Hosted elsewhere', true),
      ...shows(body, 'hello@example.net', true),
      ...(noindex(body) ? ['an approved listing with noindex'] : []),
    ],
  },
  {
    method: 'GET',
    route: '/listings/:id',
    label: 'pending',
    request: async () => ({ url: `/listings/${await sharedListing('pending')}`, missing: `/listings/${NO_ID}` }),
    expect: (r) => (r === 'siteAdmin' ? 'ok' : 'notFound'),
    check: (body) => (noindex(body) ? [] : ['a pending listing without noindex']),
  },
  {
    method: 'GET',
    route: '/listings/:id/edit',
    request: async () => ({
      url: `/listings/${await sharedListing('pending')}/edit`,
      missing: `/listings/${NO_ID}/edit`,
    }),
    expect: reviews,
  },
  {
    method: 'POST',
    route: '/listings/:id/edit',
    request: async () => ({
      url: `/listings/${await sharedListing('pending')}/edit`,
      form: listingForm(),
      missing: `/listings/${NO_ID}/edit`,
    }),
    expect: reviews,
  },
  {
    method: 'POST',
    route: '/listings/:id/claim',
    request: async () => ({
      url: `/listings/${await makeListing('approved')}/claim`,
      form: { message: 'I have run this group for years.' },
      missing: `/listings/${NO_ID}/claim`,
    }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'POST',
    route: '/listings/:id/claim',
    label: 'pending',
    request: async () => ({
      url: `/listings/${await sharedListing('pending')}/claim`,
      form: { message: 'I have run this group for years.' },
      missing: `/listings/${NO_ID}/claim`,
    }),
    // Site admins see it, but a listing still being checked cannot be claimed.
    expect: (r) => loggedIn(r, () => (r === 'siteAdmin' ? 'forbidden' : 'notFound')),
  },
  {
    method: 'GET',
    route: '/admin/listings',
    request: () => ({ url: '/admin/listings', missing: '/no/such/page' }),
    expect: reviews,
  },
  {
    method: 'POST',
    route: '/admin/listings/:id/approve',
    request: async () => ({
      url: `/admin/listings/${await makeListing('pending')}/approve`,
      missing: `/admin/listings/${NO_ID}/approve`,
    }),
    expect: reviews,
  },
  {
    method: 'POST',
    route: '/admin/listings/:id/decline',
    async request() {
      const id = await makeListing('pending');
      return {
        url: `/admin/listings/${id}/decline`,
        form: { [`reason-${id}`]: 'We could not reach the group.' },
        missing: `/admin/listings/${NO_ID}/decline`,
      };
    },
    expect: reviews,
  },
  {
    method: 'POST',
    route: '/admin/listings/claims/:id/approve',
    request: async () => ({
      url: `/admin/listings/claims/${await makeClaim()}/approve`,
      missing: `/admin/listings/claims/${NO_ID}/approve`,
    }),
    expect: reviews,
  },
  {
    method: 'POST',
    route: '/admin/listings/claims/:id/decline',
    request: async () => ({
      url: `/admin/listings/claims/${await makeClaim()}/decline`,
      missing: `/admin/listings/claims/${NO_ID}/decline`,
    }),
    expect: reviews,
  },
  // Search engines: for everyone. No group here chose to be listed, so none is in the sitemap.
  { method: 'GET', route: '/robots.txt', request: () => ({ url: '/robots.txt' }), expect: () => 'ok' },
  { method: 'GET', route: '/sitemap.xml', request: () => ({ url: '/sitemap.xml' }), expect: () => 'ok' },
  {
    method: 'GET',
    route: '/sitemaps/:file',
    request: async () => {
      sitemapListings = { approved: await sharedListing('approved'), pending: await sharedListing('pending') };
      return { url: '/sitemaps/1.xml', missing: '/sitemaps/999.xml' };
    },
    expect: () => 'ok',
    check: (body) => [
      ...shows(body, '/g/', false),
      ...shows(body, `/listings/${sitemapListings.approved}<`, true),
      ...shows(body, `/listings/${sitemapListings.pending}<`, false),
    ],
  },
  {
    method: 'GET',
    route: '/admin/crisis-resources',
    request: () => ({ url: '/admin/crisis-resources' }),
    expect: (r) => loggedIn(r, () => (r === 'siteAdmin' ? 'ok' : 'notFound')),
  },
  {
    method: 'POST',
    route: '/admin/crisis-resources',
    request: () => ({ url: '/admin/crisis-resources', form: resourceForm() }),
    expect: (r) => loggedIn(r, () => (r === 'siteAdmin' ? 'ok' : 'notFound')),
  },
  {
    method: 'POST',
    route: '/admin/crisis-resources/:id',
    async request() {
      const id = await freshResource();
      return {
        url: `/admin/crisis-resources/${id}`,
        form: resourceForm(),
        missing: `/admin/crisis-resources/${NO_ID}`,
      };
    },
    expect: (r) => loggedIn(r, () => (r === 'siteAdmin' ? 'ok' : 'notFound')),
  },
  {
    method: 'POST',
    route: '/admin/crisis-resources/:id/delete',
    async request() {
      const id = await freshResource();
      return { url: `/admin/crisis-resources/${id}/delete` };
    },
    expect: (r) => loggedIn(r, () => (r === 'siteAdmin' ? 'ok' : 'notFound')),
  },
  // Accounts.
  { method: 'GET', route: '/setup', request: () => ({ url: '/setup' }), expect: () => 'ok' }, // sends everyone home
  {
    method: 'POST',
    route: '/setup',
    fresh: true,
    request: () => ({
      url: '/setup',
      form: { email: `setup${++made}@example.org`, password: PASSWORD, pseudonym: `setup-${made}` },
    }),
    // There is an administrator already: nobody can become the first one again.
    expect: () => 'forbidden',
  },
  { method: 'GET', route: '/signup', request: () => ({ url: '/signup' }), expect: () => 'ok' },
  {
    method: 'POST',
    route: '/signup',
    fresh: true,
    request: () => ({
      url: '/signup',
      form: { email: `signup${++made}@example.org`, password: PASSWORD, pseudonym: `signup-${made}` },
    }),
    expect: () => 'ok',
  },
  { method: 'GET', route: '/login', request: () => ({ url: '/login' }), expect: () => 'ok' },
  {
    method: 'POST',
    route: '/login',
    fresh: true,
    async request() {
      const person = await pw.freshPerson();
      return { url: '/login', form: { email: person.email, password: PASSWORD } };
    },
    expect: () => 'ok',
  },
  { method: 'POST', route: '/logout', fresh: true, request: () => ({ url: '/logout' }), expect: () => 'ok' },
  {
    method: 'POST',
    route: '/logout-everywhere',
    fresh: true,
    request: () => ({ url: '/logout-everywhere' }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  { method: 'GET', route: '/account', request: () => ({ url: '/account' }), expect: (r) => loggedIn(r, () => 'ok') },
  {
    method: 'POST',
    route: '/account/password',
    fresh: true,
    request: () => ({
      url: '/account/password',
      form: { currentPassword: PASSWORD, newPassword: 'another long password' },
    }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  { method: 'GET', route: '/forgot-password', request: () => ({ url: '/forgot-password' }), expect: () => 'ok' },
  {
    method: 'POST',
    route: '/forgot-password',
    request: () => ({ url: '/forgot-password', form: { email: 'nobody@example.org' } }),
    expect: () => 'ok',
  },
  {
    method: 'GET',
    route: '/reset-password/:token',
    request: () => ({ url: `/reset-password/${pw.resetToken}` }),
    expect: () => 'ok',
  },
  {
    method: 'POST',
    route: '/reset-password/:token',
    fresh: true,
    async request() {
      const person = await pw.freshPerson();
      const reset = await createPasswordReset(db(), person.email);
      return { url: `/reset-password/${reset!.token}`, form: { newPassword: 'another long password' } };
    },
    expect: () => 'ok',
  },
  // Account security: email confirmation, two-step verification, passkeys, devices.
  { method: 'GET', route: '/login/two-factor', request: () => ({ url: '/login/two-factor' }), expect: () => 'ok' },
  {
    method: 'POST',
    route: '/login/two-factor',
    label: 'without a password first',
    request: () => ({ url: '/login/two-factor', form: { code: '123456' } }),
    // No half-done login: everyone is asked to start again with their password.
    expect: () => 'invalid',
  },
  {
    method: 'POST',
    route: '/account/verify-email',
    request: () => ({ url: '/account/verify-email' }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'GET',
    route: '/verify-email/:token',
    async request() {
      const person = await pw.freshPerson();
      return { url: `/verify-email/${(await createEmailVerification(db(), person.id))!.token}` };
    },
    expect: () => 'ok',
  },
  {
    method: 'POST',
    route: '/verify-email/:token',
    fresh: true,
    async request() {
      const person = await pw.freshPerson();
      return { url: `/verify-email/${(await createEmailVerification(db(), person.id))!.token}` };
    },
    expect: () => 'ok',
  },
  {
    method: 'GET',
    route: '/account/security',
    request: () => ({ url: '/account/security' }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'POST',
    route: '/account/sessions/:id/end',
    label: 'one of their own',
    fresh: true,
    async request(actor) {
      if (!actor) return { url: `/account/sessions/${NO_ID}/end` };
      return { url: `/account/sessions/${await sessionIdOf(actor)}/end` };
    },
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'POST',
    route: '/account/sessions/:id/end',
    label: 'someone else’s',
    async request() {
      return { url: `/account/sessions/${await sessionIdOf(await pw.freshPerson())}/end` };
    },
    expect: (r) => loggedIn(r, () => 'notFound'),
  },
  {
    method: 'GET',
    route: '/account/two-factor',
    request: () => ({ url: '/account/two-factor' }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'POST',
    route: '/account/two-factor',
    label: 'a wrong code',
    fresh: true,
    request: () => ({ url: '/account/two-factor', form: { code: '000000' } }),
    // Those who have it on already are sent to their security page.
    expect: (r) => loggedIn(r, () => (hasSecondFactor(r) ? 'ok' : 'invalid')),
  },
  {
    method: 'POST',
    route: '/account/two-factor/off',
    fresh: true,
    request: () => ({ url: '/account/two-factor/off', form: { password: PASSWORD } }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'POST',
    route: '/account/recovery-codes',
    fresh: true,
    request: () => ({ url: '/account/recovery-codes', form: { password: PASSWORD } }),
    expect: (r) => loggedIn(r, () => (hasSecondFactor(r) ? 'ok' : 'invalid')),
  },
  {
    method: 'POST',
    route: '/account/passkeys/options',
    request: () => ({ url: '/account/passkeys/options' }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'POST',
    route: '/account/passkeys',
    label: 'not a credential',
    request: () => ({ url: '/account/passkeys', form: { id: 'forged' } }),
    expect: (r) => loggedIn(r, () => 'invalid'),
  },
  {
    method: 'POST',
    route: '/account/passkeys/:id/remove',
    label: 'one of their own',
    fresh: true,
    async request(actor) {
      return { url: `/account/passkeys/${actor ? await passkeyOf(actor) : 'none'}/remove` };
    },
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'POST',
    route: '/account/passkeys/:id/remove',
    label: 'someone else’s',
    async request() {
      return { url: `/account/passkeys/${await passkeyOf(await pw.freshPerson())}/remove` };
    },
    expect: (r) => loggedIn(r, () => 'notFound'),
  },
  {
    method: 'POST',
    route: '/login/passkey/options',
    request: () => ({ url: '/login/passkey/options' }),
    expect: () => 'ok',
  },
  {
    method: 'POST',
    route: '/login/passkey',
    label: 'not a credential',
    request: () => ({ url: '/login/passkey', form: { id: 'forged' } }),
    expect: () => 'invalid',
  },
  // Settings, privacy, a member's data.
  {
    method: 'GET',
    route: '/account/settings',
    request: () => ({ url: '/account/settings' }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'POST',
    route: '/account/settings',
    fresh: true,
    request: () => ({
      url: '/account/settings',
      form: { membershipVisibility: 'nobody', timeZone: 'Europe/Paris', locale: 'auto' },
    }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'GET',
    route: '/account/email',
    request: () => ({ url: '/account/email' }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'POST',
    route: '/account/email',
    request: () => ({ url: '/account/email', form: { digestHour: '8', digestWeekday: '1' } }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'POST',
    route: '/account/email/resume',
    request: () => ({ url: '/account/email/resume' }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  // The installable app: for everyone. Push: each person's own devices only.
  {
    method: 'GET',
    route: '/manifest.webmanifest',
    request: () => ({ url: '/manifest.webmanifest' }),
    expect: () => 'ok',
  },
  {
    method: 'GET',
    route: '/icons/:name',
    request: () => ({ url: '/icons/icon-192.png', missing: '/icons/icon-1.png' }),
    expect: () => 'ok',
  },
  { method: 'GET', route: '/sw.js', request: () => ({ url: '/sw.js' }), expect: () => 'ok' },
  {
    method: 'GET',
    route: '/offline',
    request: () => ({ url: '/offline' }),
    expect: () => 'ok',
    // Kept by the service worker for everyone: never anyone's name, nor a form's token.
    check: (body) => [...shows(body, 'Perm ', false), ...shows(body, '_csrf', false)],
  },
  { method: 'GET', route: '/push/key', request: () => ({ url: '/push/key' }), expect: () => 'ok' },
  {
    method: 'POST',
    route: '/push/subscriptions',
    request: () => ({ url: '/push/subscriptions', form: pushForm() }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'POST',
    route: '/push/subscriptions',
    label: 'not a browser’s keys',
    request: () => ({ url: '/push/subscriptions', form: { ...pushForm(), auth: 'short' } }),
    expect: (r) => loggedIn(r, () => 'invalid'),
  },
  {
    method: 'POST',
    route: '/push/subscriptions/:id/delete',
    fresh: true,
    async request(actor) {
      return {
        url: `/push/subscriptions/${actor ? await pushDeviceOf(actor) : NO_ID}/delete`,
        missing: `/push/subscriptions/${NO_ID}/delete`,
      };
    },
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'POST',
    route: '/push/subscriptions/:id/delete',
    label: 'someone else’s',
    async request() {
      return {
        url: `/push/subscriptions/${await pushDeviceOf(await pw.freshPerson())}/delete`,
        missing: `/push/subscriptions/${NO_ID}/delete`,
      };
    },
    expect: (r) => loggedIn(r, () => 'notFound'),
  },
  {
    method: 'GET',
    route: '/account/push',
    request: () => ({ url: '/account/push' }),
    expect: (r) => loggedIn(r, () => 'ok'),
    check: (body) => shows(body, 'push.example.net', false),
  },
  {
    method: 'POST',
    route: '/account/push',
    request: () => ({ url: '/account/push', form: { intent: 'details', details: 'on' } }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'POST',
    route: '/account/push',
    label: 'a test notification',
    request: () => ({ url: '/account/push', form: { intent: 'test' } }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  // Meeting reminders and one's own calendar address.
  {
    method: 'GET',
    route: '/account/meetings',
    request: () => ({ url: '/account/meetings' }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'POST',
    route: '/account/meetings',
    // The defaults, so that saving them changes nothing for later cases.
    request: () => ({
      url: '/account/meetings',
      form: { byEmail: 'on', inApp: 'on', dayBefore: 'on', hourBefore: 'on' },
    }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'POST',
    route: '/account/meetings/calendar/reset',
    request: () => ({ url: '/account/meetings/calendar/reset' }),
    expect: (r) => loggedIn(r, () => 'ok'),
    check: (body) => shows(body, '/calendar/', true),
  },
  // A personal calendar: its secret address is the authority, whoever asks; a replaced one is gone.
  {
    method: 'GET',
    route: '/calendar/:token.ics',
    async request() {
      const person = await pw.freshPerson();
      return { url: `/calendar/${await resetCalendarToken(db(), person.id)}.ics` };
    },
    expect: () => 'ok',
    check: (body) => shows(body, 'BEGIN:VCALENDAR', true),
  },
  {
    method: 'GET',
    route: '/calendar/:token.ics',
    label: 'a replaced address',
    async request() {
      const person = await pw.freshPerson();
      const old = await resetCalendarToken(db(), person.id);
      await resetCalendarToken(db(), person.id);
      return { url: `/calendar/${old}.ics`, missing: `/calendar/${NO_TOKEN.padEnd(43, 'x').slice(0, 43)}.ics` };
    },
    expect: () => 'notFound',
  },
  // One-click unsubscribe from list mail: the signed token is the authority, signed in or not.
  {
    method: 'GET',
    route: '/mail/unsubscribe/:token',
    async request() {
      const g = pw.groups[0]!;
      const member = await freshMember(g);
      return { url: `/mail/unsubscribe/${signMailToken(pw.world.mail.secret, 'unsubscribe', [member.id, g.id])}` };
    },
    expect: () => 'ok',
  },
  {
    method: 'POST',
    route: '/mail/unsubscribe/:token',
    async request() {
      const g = pw.groups[0]!;
      const member = await freshMember(g);
      return { url: `/mail/unsubscribe/${signMailToken(pw.world.mail.secret, 'unsubscribe', [member.id, g.id])}` };
    },
    expect: () => 'ok',
  },
  {
    method: 'GET',
    route: '/mail/unsubscribe/:token',
    label: 'a changed token',
    request: () => ({ url: `/mail/unsubscribe/1-1-${'0'.repeat(24)}` }),
    expect: () => 'notFound',
  },
  {
    method: 'GET',
    route: '/privacy',
    request: () => ({ url: '/privacy' }),
    expect: () => 'ok',
  },
  {
    method: 'GET',
    route: '/account/data',
    request: () => ({ url: '/account/data' }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'GET',
    route: '/waiting',
    request: () => ({ url: '/waiting' }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'GET',
    route: '/account/support/prompts',
    request: () => ({ url: '/account/support/prompts' }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'POST',
    route: '/account/support/prompts',
    request: () => ({ url: '/account/support/prompts', form: { replyPrompts: 'on' } }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'POST',
    route: '/account/support/prompts/off',
    request: () => ({ url: '/account/support/prompts/off' }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'GET',
    route: '/account/blocked',
    request: () => ({ url: '/account/blocked' }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'GET',
    route: '/account/support',
    request: () => ({ url: '/account/support' }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'POST',
    route: '/account/support/badges',
    request: () => ({ url: '/account/support/badges', form: { shown: 'first_reply' } }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'POST',
    route: '/account/blocked/unblock',
    request: () => ({ url: '/account/blocked/unblock', form: { group: '1', name: 'Nobody here' } }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'GET',
    route: '/account/content-warnings',
    request: () => ({ url: '/account/content-warnings' }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'POST',
    route: '/account/content-warnings',
    fresh: true,
    request: () => ({ url: '/account/content-warnings', form: { suicide: 'show' } }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'POST',
    route: '/account/data/export',
    fresh: true,
    request: () => ({ url: '/account/data/export' }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'GET',
    route: '/account/data/exports/:id',
    label: 'their own archive',
    fresh: true,
    async request(actor) {
      return { url: `/account/data/exports/${actor ? await archiveOf(actor) : NO_ID}` };
    },
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'GET',
    route: '/account/data/exports/:id',
    label: 'someone else’s archive',
    async request() {
      const id = await archiveOf(await pw.freshPerson());
      return { url: `/account/data/exports/${id}`, missing: `/account/data/exports/${NO_ID}` };
    },
    expect: (r) => loggedIn(r, () => 'notFound'),
  },
  {
    method: 'GET',
    route: '/notifications',
    request: () => ({ url: '/notifications' }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  // Notifications are their person's alone: someone else's reads exactly like one that does not exist.
  {
    method: 'POST',
    route: '/notifications/read-all',
    request: () => ({ url: '/notifications/read-all' }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'GET',
    route: '/notifications/:id',
    label: 'their own',
    fresh: true,
    async request(actor) {
      return { url: `/notifications/${actor ? await noticeOf(actor) : NO_ID}` };
    },
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'GET',
    route: '/notifications/:id',
    label: 'someone else’s',
    async request() {
      const id = await noticeOf(await pw.freshPerson());
      return { url: `/notifications/${id}`, missing: `/notifications/${NO_ID}` };
    },
    expect: (r) => loggedIn(r, () => 'notFound'),
  },
  ...(['read', 'unread'] as const).flatMap((action): SiteCase[] => [
    {
      method: 'POST',
      route: `/notifications/:id/${action}`,
      label: 'their own',
      fresh: true,
      async request(actor) {
        return { url: `/notifications/${actor ? await noticeOf(actor) : NO_ID}/${action}` };
      },
      expect: (r) => loggedIn(r, () => 'ok'),
    },
    {
      method: 'POST',
      route: `/notifications/:id/${action}`,
      label: 'someone else’s',
      async request() {
        const id = await noticeOf(await pw.freshPerson());
        return { url: `/notifications/${id}/${action}`, missing: `/notifications/${NO_ID}/${action}` };
      },
      expect: (r) => loggedIn(r, () => 'notFound'),
    },
  ]),
  {
    method: 'GET',
    route: '/account/notifications',
    request: () => ({ url: '/account/notifications' }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'POST',
    route: '/account/notifications',
    fresh: true,
    request: () => ({ url: '/account/notifications', form: { 'reply.inApp': 'on', emailEvery: '60' } }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  // One-click unsubscribe from notification emails: the signed token is the authority, signed in or not.
  {
    method: 'GET',
    route: '/notifications/unsubscribe/:token',
    async request() {
      const person = await pw.freshPerson();
      return { url: `/notifications/unsubscribe/${signMailToken(pw.world.mail.secret, 'notifications', [person.id])}` };
    },
    expect: () => 'ok',
  },
  {
    method: 'POST',
    route: '/notifications/unsubscribe/:token',
    async request() {
      const person = await pw.freshPerson();
      return { url: `/notifications/unsubscribe/${signMailToken(pw.world.mail.secret, 'notifications', [person.id])}` };
    },
    expect: () => 'ok',
  },
  {
    method: 'GET',
    route: '/notifications/unsubscribe/:token',
    label: 'a changed token',
    request: () => ({ url: `/notifications/unsubscribe/1-${'0'.repeat(24)}` }),
    expect: () => 'notFound',
  },
  {
    method: 'GET',
    route: '/account/delete',
    request: () => ({ url: '/account/delete' }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'POST',
    route: '/account/delete',
    fresh: true,
    request: () => ({ url: '/account/delete', form: { posts: 'keep', password: PASSWORD } }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'GET',
    route: '/admin',
    request: () => ({ url: '/admin', missing: '/no/such/page' }),
    // The list of the site administrator's pages; to anyone else it is not there.
    expect: (r) => loggedIn(r, () => (r === 'siteAdmin' ? 'ok' : 'notFound')),
  },
  {
    method: 'GET',
    route: '/admin/outbox',
    request: () => ({ url: '/admin/outbox', missing: '/no/such/page' }),
    // Only site administrators read the outbox; to anyone else it is not there.
    expect: (r) => loggedIn(r, () => (r === 'siteAdmin' ? 'ok' : 'notFound')),
  },
  // Trust levels and watched words are site-wide: only site administrators manage them.
  {
    method: 'GET',
    route: '/admin/trust',
    request: () => ({ url: '/admin/trust?q=Perm', missing: '/no/such/page' }),
    expect: (r) => loggedIn(r, () => (r === 'siteAdmin' ? 'ok' : 'notFound')),
  },
  {
    method: 'POST',
    route: '/admin/trust',
    async request() {
      const person = await pw.freshPerson();
      return { url: '/admin/trust', form: { pseudonym: person.pseudonym, level: '1' }, missing: '/no/such/page' };
    },
    expect: (r) => loggedIn(r, () => (r === 'siteAdmin' ? 'ok' : 'notFound')),
  },
  {
    method: 'GET',
    route: '/admin/watched-words',
    request: () => ({ url: '/admin/watched-words', missing: '/no/such/page' }),
    expect: (r) => loggedIn(r, () => (r === 'siteAdmin' ? 'ok' : 'notFound')),
  },
  {
    method: 'POST',
    route: '/admin/watched-words',
    request: () => ({
      url: '/admin/watched-words',
      form: { word: `zzpermword${++made}`, action: 'flag' },
      missing: '/no/such/page',
    }),
    expect: (r) => loggedIn(r, () => (r === 'siteAdmin' ? 'ok' : 'notFound')),
  },
  {
    method: 'POST',
    route: '/admin/watched-words/:id/remove',
    async request() {
      const [word] = await db()
        .insert(watchedWords)
        .values({ word: `zzpermword${++made}`, action: 'flag' })
        .returning({ id: watchedWords.id });
      return { url: `/admin/watched-words/${word!.id}/remove`, missing: `/admin/watched-words/${NO_ID}/remove` };
    },
    expect: (r) => loggedIn(r, () => (r === 'siteAdmin' ? 'ok' : 'notFound')),
  },
  // The directory's topics, and the gazetteer's autocomplete.
  { method: 'GET', route: '/places', request: () => ({ url: '/places?q=leeds' }), expect: () => 'ok' },
  {
    method: 'GET',
    route: '/admin/topics',
    request: () => ({ url: '/admin/topics', missing: '/no/such/page' }),
    expect: (r) => loggedIn(r, () => (r === 'siteAdmin' ? 'ok' : 'notFound')),
  },
  {
    method: 'POST',
    route: '/admin/topics',
    request: () => ({
      url: '/admin/topics',
      form: { name: `Perm topic ${++made}`, parent: '' },
      missing: '/no/such/page',
    }),
    expect: (r) => loggedIn(r, () => (r === 'siteAdmin' ? 'ok' : 'notFound')),
  },
  {
    method: 'GET',
    route: '/admin/topics/:id',
    async request() {
      const [topic] = await db().select({ id: topics.id }).from(topics).limit(1);
      return { url: `/admin/topics/${topic!.id}`, missing: `/admin/topics/${NO_ID}` };
    },
    expect: (r) => loggedIn(r, () => (r === 'siteAdmin' ? 'ok' : 'notFound')),
  },
  {
    method: 'POST',
    route: '/admin/topics/:id',
    async request() {
      const name = `Perm topic ${++made}`;
      const [topic] = await db()
        .insert(topics)
        .values({ slug: `perm-topic-${made}`, name })
        .returning({ id: topics.id });
      return { url: `/admin/topics/${topic!.id}`, form: { name, parent: '' }, missing: `/admin/topics/${NO_ID}` };
    },
    expect: (r) => loggedIn(r, () => (r === 'siteAdmin' ? 'ok' : 'notFound')),
  },
  {
    method: 'POST',
    route: '/admin/topics/:id/remove',
    async request() {
      const [topic] = await db()
        .insert(topics)
        .values({ slug: `perm-topic-${++made}`, name: `Perm topic ${made}` })
        .returning({ id: topics.id });
      return { url: `/admin/topics/${topic!.id}/remove`, missing: `/admin/topics/${NO_ID}/remove` };
    },
    expect: (r) => loggedIn(r, () => (r === 'siteAdmin' ? 'ok' : 'notFound')),
  },
  // Organisations.
  { method: 'GET', route: '/organisations', request: () => ({ url: '/organisations' }), expect: () => 'ok' },
  {
    method: 'GET',
    route: '/organisations/new',
    request: () => ({ url: '/organisations/new' }),
    expect: (r) => loggedIn(r, () => allowIf(r === 'siteAdmin')),
  },
  {
    method: 'POST',
    route: '/organisations/new',
    request: () => ({
      url: '/organisations/new',
      form: { name: `Organisation ${++made}`, kind: 'charity', description: '', website: '' },
    }),
    expect: (r) => loggedIn(r, () => allowIf(r === 'siteAdmin')),
  },
  {
    method: 'GET',
    route: '/o/:slug',
    request: () => ({ url: `/o/${ORG}` }),
    expect: () => 'ok',
    // Unlisted groups stay off the organisation's public page (its admins see them, to run them).
    check: (body, r) => listingCheck(body, { listedShown: true, unlistedShown: administers(r) ? null : false }),
  },
  {
    method: 'GET',
    route: '/o/:slug/admins',
    request: () => ({ url: `/o/${ORG}/admins` }),
    expect: (r) => loggedIn(r, () => allowIf(administers(r))),
  },
  {
    method: 'POST',
    route: '/o/:slug/admins',
    async request() {
      const person = await pw.freshPerson();
      return { url: `/o/${ORG}/admins`, form: { pseudonym: person.pseudonym } };
    },
    expect: (r) => loggedIn(r, () => allowIf(administers(r))),
  },
  {
    method: 'POST',
    route: '/o/:slug/admins/:pseudonym/remove',
    async request() {
      const person = await pw.freshPerson();
      await pw.giveRole(person, 'orgAdmin', pw.groups[0]!);
      return { url: `/o/${ORG}/admins/${person.pseudonym}/remove` };
    },
    expect: (r) => loggedIn(r, () => allowIf(administers(r))),
  },
  {
    method: 'GET',
    route: '/o/:slug/groups/new',
    request: () => ({ url: `/o/${ORG}/groups/new` }),
    expect: (r) => loggedIn(r, () => allowIf(administers(r))),
  },
  {
    method: 'POST',
    route: '/o/:slug/groups/new',
    request: () => ({ url: `/o/${ORG}/groups/new`, form: newGroupForm() }),
    expect: (r) => loggedIn(r, () => allowIf(administers(r))),
  },
  // Links in newsletter mail: signed tokens, for anyone who holds them, signed in or not.
  {
    method: 'GET',
    route: '/newsletters/confirm/:token',
    request: async () => ({ url: `/newsletters/confirm/${await subscriberToken('confirm')}` }),
    expect: () => 'ok',
  },
  {
    method: 'POST',
    route: '/newsletters/confirm/:token',
    request: async () => ({ url: `/newsletters/confirm/${await subscriberToken('confirm')}` }),
    expect: () => 'ok',
  },
  {
    method: 'GET',
    route: '/newsletters/unsubscribe/:token',
    request: async () => ({ url: `/newsletters/unsubscribe/${await subscriberToken('subscriber')}` }),
    expect: () => 'ok',
  },
  {
    method: 'POST',
    route: '/newsletters/unsubscribe/:token',
    request: async () => ({ url: `/newsletters/unsubscribe/${await subscriberToken('subscriber')}` }),
    expect: () => 'ok',
  },
  // Stripe's webhook is authenticated by its signature, never by a session (signed deliveries are
  // tested in src/features/payments/payments.test.ts): off, it is not there; on, a session buys nothing.
  {
    method: 'POST',
    route: '/webhooks/stripe',
    label: 'card payments off',
    request: () => ({ url: '/webhooks/stripe' }),
    expect: () => 'notFound',
  },
  {
    method: 'POST',
    route: '/webhooks/stripe',
    label: 'card payments on; not signed by Stripe',
    fresh: true,
    cards: true,
    request: () => ({ url: '/webhooks/stripe' }),
    expect: () => 'invalid',
  },
  // Private messages: one's own conversations and setting; reported messages for the site's moderators.
  { method: 'GET', route: '/messages', request: () => ({ url: '/messages' }), expect: (r) => loggedIn(r, () => 'ok') },
  {
    method: 'GET',
    route: '/messages/new',
    request: () => ({
      url: `/messages/new?to=${encodeURIComponent(pw.people.member.pseudonym)}&group=${pw.groups[0]!.slug}`,
    }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'GET',
    route: '/account/messages',
    request: () => ({ url: '/account/messages' }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'POST',
    route: '/account/messages',
    fresh: true,
    request: () => ({ url: '/account/messages', form: { whoMayMessage: 'shared_groups' } }),
    expect: (r) => loggedIn(r, () => 'ok'),
  },
  {
    method: 'GET',
    route: '/admin/conversation-reports',
    request: () => ({ url: '/admin/conversation-reports', missing: '/no/such/page' }),
    expect: (r) => loggedIn(r, () => (r === 'siteAdmin' ? 'ok' : 'notFound')),
  },
  {
    method: 'POST',
    route: '/admin/conversation-reports/:id/resolve',
    async request() {
      const id = await freshConversationReport();
      return {
        url: `/admin/conversation-reports/${id}/resolve`,
        form: { outcome: 'dismissed' },
        missing: `/admin/conversation-reports/${NO_ID}/resolve`,
      };
    },
    expect: (r) => loggedIn(r, () => (r === 'siteAdmin' ? 'ok' : 'notFound')),
  },
];

/** Every page and form case: this file's, and those kept beside each later capability's. */
const pageFiles = [pagesApi, pagesWebhooks, pagesFiles, pagesPolls, pagesAgreements, pagesCircles];
const allGroupCases: GroupCase[] = [...groupCases, ...pageFiles.flatMap((f) => f.groupCases)];
const allSiteCases: SiteCase[] = [...siteCases, ...pageFiles.flatMap((f) => f.siteCases)];
/** The JSON API's cases (api-*.ts). */
const apiFiles = [apiAccount, apiGroups, apiForum, apiMeetings, apiMembers, apiModeration];
const apiGroupCases: ApiGroupCase[] = apiFiles.flatMap((f) => f.apiGroupCases);
const apiSiteCases: ApiSiteCase[] = apiFiles.flatMap((f) => f.apiSiteCases);

/**
 * Routes whose permissions are tested elsewhere rather than here, with the file that does it.
 * Keep it short: a route belongs in the table above unless it truly cannot be driven from here.
 */
const coveredElsewhere: Record<string, string> = {};

// POSTs run on half the kinds, to keep the file fast: every join policy with both visibilities,
// listed and unlisted alternating. (GETs run on all 16; nothing in the oracle depends on listing
// but the listings themselves, checked on the GET side.)
const postKinds = (g: GroupFixture) => {
  const i = ['open', 'approval', 'invitation', 'paid'].indexOf(g.kind.policy);
  return g.kind.listed === (i % 2 === 0 ? g.kind.visibility === 'public' : g.kind.visibility === 'members');
};

// ---------------------------------------------------------------------------------------------
// Running the table.
// ---------------------------------------------------------------------------------------------

/** The outcome classes; 'invalid' (400) is a request the rules let through that its input then stopped. */
function classify(res: LightMyRequestResponse): string {
  const status = res.statusCode;
  const location = String(res.headers.location ?? '');
  if (status === 303 && location.startsWith('/login?next=')) return 'login';
  if (status >= 200 && status < 400) return 'ok';
  if (status === 400) return 'invalid';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'notFound';
  return `status ${status}`;
}

const send = (agent: Agent, method: 'GET' | 'POST', url: string, form?: Form): Promise<LightMyRequestResponse> =>
  url.startsWith('/live?') ? follow(agent, url) : method === 'GET' ? agent.get(url) : agent.post(url, form ?? {});

/**
 * /live is a WebSocket: a case opens it as the agent and subscribes to the topic and id named in
 * its query (`/live?thread=<id>`, `/live?chat=<room>`), as a page's script does. Following reads as
 * a 200; refused, as a 404 whose frame (its id aside) must read exactly like the one for a thing
 * that does not exist.
 */
async function follow(agent: Agent, url: string): Promise<LightMyRequestResponse> {
  const socket = await agent.live();
  try {
    const [topic, id0] = [...new URL(url, 'http://x').searchParams.entries()][0]!;
    const { id, ...frame } = await socket.subscribe(topic, Number(id0));
    const statusCode = frame.type === 'subscribed' && id !== undefined ? 200 : frame.error === 'notFound' ? 404 : 500;
    return { statusCode, headers: {}, body: JSON.stringify(frame) } as unknown as LightMyRequestResponse;
  } finally {
    socket.close();
  }
}

let checked = 0;
/** The most database round trips each page made, and for whom: no page may make more than four. */
const roundTrips = new Map<string, { queries: number; where: string }>();
const MAX_ROUND_TRIPS = 4;

/**
 * What each page makes a phone download besides its HTML: the compressed bytes of the scripts and
 * style sheets it links (budgets: 20 KB and 15 KB), and anything it would fetch from elsewhere.
 */
const pageWeights = new Map<string, { js: number; css: number; where: string }>();
const foreignRequests = new Set<string>();
const assetBytes = new Map<string, number>();
function compressedAsset(url: string): number {
  let bytes = assetBytes.get(url);
  if (bytes === undefined) {
    const name = url.split('/').pop()!;
    if (!isAsset(name)) throw new Error(`a page links an asset that is not served: ${url}`);
    bytes = brotliCompressSync(assetContent(name)).length;
    assetBytes.set(url, bytes);
  }
  return bytes;
}
function weighPage(route: string, where: string, html: string) {
  const sum = (re: RegExp) => [...html.matchAll(re)].reduce((n, m) => n + compressedAsset(m[1]!), 0);
  const js = sum(/<script[^>]* src="(\/assets\/[^"]+)"/g);
  const css = sum(/<link rel="stylesheet" href="(\/assets\/[^"]+)"/g);
  const known = pageWeights.get(route);
  if (!known || js + css > known.js + known.css) pageWeights.set(route, { js, css, where });
  // Links to other sites are fine; anything the browser would fetch by itself is not. A canonical
  // link names the page's own public address for search engines; browsers do not fetch it.
  for (const m of html.matchAll(
    /<(?:script|link|img|iframe|source|video|audio)\b[^>]*\b(?:src|href)="((?:https?:)?\/\/[^"]+)"/g,
  ))
    if (!m[0].startsWith('<link rel="canonical"')) foreignRequests.add(`${route}: ${m[1]}`);
  if (/@font-face|\.woff2?\b/.test(html)) foreignRequests.add(`${route}: a web font`);
}
/** The 404 for something that does not exist, per role and route: it does not depend on the group. */
const missingPages = new Map<string, string>();

interface Case {
  method: 'GET' | 'POST';
  route: string;
  label?: string;
  role: Role;
  where: string;
  agent: Agent;
  /** Whether the agent is one of the shared ones, whose 404 page may be remembered. */
  shared: boolean;
  req: Req;
  expected: Expected;
  check?: ((body: string) => string[]) | undefined;
}

/** Sends one case and describes every way its outcome differs from the oracle's. */
async function runCase(c: Case): Promise<string[]> {
  const { result: res, queries } = await countQueries(() => send(c.agent, c.method, c.req.url, c.req.form));
  checked += 1;
  // Pages, fragments and feeds; not the bytes of an uploaded file, whose one check goes through
  // its post's whole access (group, thread, post) after finding the file: five round trips.
  // Whether it serves the file or refuses it, as for any post that may not be read.
  const download = c.route === '/files/:publicId/:variant';
  if (c.method === 'GET' && !download && queries > (roundTrips.get(c.route)?.queries ?? -1))
    roundTrips.set(c.route, { queries, where: `${c.role} | ${c.where}` });
  if (c.method === 'GET' && res.statusCode === 200 && String(res.headers['content-type']).startsWith('text/html'))
    weighPage(c.route, `${c.role} | ${c.where}`, res.body);
  const actual = classify(res);
  const allowed = [c.expected].flat();
  const name = `${c.method} ${c.route}${c.label ? ` [${c.label}]` : ''} | ${c.role} | ${c.where}`;
  if (!allowed.includes(actual as Outcome)) {
    const location = res.headers.location ? ` → ${String(res.headers.location)}` : '';
    return [`${name}: expected ${allowed.join(' or ')}, got ${actual} (${res.statusCode}${location})`];
  }
  const problems: string[] = [];
  if (actual === 'login' && res.headers.location !== `/login?next=${encodeURIComponent(c.req.url)}`) {
    problems.push(`${name}: the login redirect does not come back here (${String(res.headers.location)})`);
  }
  if (actual === 'notFound' && c.req.missing) {
    // Refused for something hidden must read exactly as for something that does not exist.
    const key = `${c.role} ${c.method} ${c.route} ${c.label ?? ''}`;
    let none = c.shared ? missingPages.get(key) : undefined;
    if (none === undefined) {
      const other = await send(c.agent, c.method, c.req.missing, c.req.form);
      none = other.statusCode === 404 ? textOf(other.body) : `status ${other.statusCode}`;
      if (c.shared) missingPages.set(key, none);
    }
    if (none !== textOf(res.body)) problems.push(`${name}: its 404 differs from the one for ${c.req.missing}`);
  }
  if (actual === 'ok' && c.check) for (const p of c.check(res.body)) problems.push(`${name}: ${p}`);
  return problems;
}

/**
 * Runs the cases, collecting every mismatch rather than stopping at the first. On PostgreSQL a few
 * run at once (each case has its own targets, so none waits on another); PGlite answers one query
 * at a time, so there they run one by one.
 */
async function runAll<C>(
  cases: AsyncIterable<C>,
  run: (c: C) => Promise<string[]> = runCase as never,
): Promise<string[]> {
  const parallel = pw.world.database.kind === 'postgres' ? 4 : 1;
  const mismatches: string[] = [];
  const running = new Set<Promise<void>>();
  for await (const c of cases) {
    const one: Promise<void> = run(c).then((found) => {
      mismatches.push(...found);
      running.delete(one);
    });
    running.add(one);
    if (running.size >= parallel) await Promise.race(running);
  }
  await Promise.all(running);
  return mismatches.sort();
}

async function* siteRun(): AsyncGenerator<Case> {
  for (const c of allSiteCases) {
    for (const role of roles) {
      const app = c.cards ? pw.cardApp : undefined;
      const actor =
        c.fresh || c.cards ? await pw.freshActor(role, pw.groups[0]!, app) : { agent: pw.agents[role], person: null };
      yield {
        ...c,
        role,
        where: 'site',
        agent: actor.agent,
        shared: !(c.fresh || c.cards),
        req: await c.request(actor.person),
        expected: c.expect(role),
        check: c.check && ((body) => c.check!(body, role)),
      };
    }
  }
}

async function* groupRun(method: 'GET' | 'POST', groups: GroupFixture[]): AsyncGenerator<Case> {
  for (const c of allGroupCases.filter((c) => c.method === method)) {
    for (const g of groups) {
      for (const role of roles) {
        const app = c.cards ? pw.cardApp : undefined;
        const actor = c.fresh || c.cards ? await pw.freshActor(role, g, app) : { agent: pw.agents[role], person: null };
        yield {
          ...c,
          role,
          where: g.kind.name,
          agent: actor.agent,
          shared: !(c.fresh || c.cards),
          req: await c.request(g, actor.person, role),
          expected: c.expect(role, g.kind),
          check: c.check && ((body) => c.check!(body, role, g)),
        };
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The JSON API: the same roles and kinds, with a bearer token holding every scope (none for the
// visitor), expecting what the same person may do in a browser.
// ---------------------------------------------------------------------------------------------

interface ApiCase {
  method: ApiMethod;
  route: string;
  label?: string | undefined;
  role: Role;
  where: string;
  client: ApiClient;
  shared: boolean;
  req: ApiReq;
  expected: Expected;
  check?: ((body: string) => string[]) | undefined;
}

/** 401 reads as 'login' (the API's "log in first"); the rest as for pages. */
function classifyApi(res: LightMyRequestResponse): string {
  const status = res.statusCode;
  if (status === 401) return 'login';
  if (status >= 200 && status < 300) return 'ok';
  if (status === 400) return 'invalid';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'notFound';
  return `status ${status}`;
}

const apiClients = new Map<Role, ApiClient>();
const apiMissing = new Map<string, string>();

async function runApiCase(c: ApiCase): Promise<string[]> {
  const res = await c.client.request(c.method, c.req.url, c.req.body);
  checked += 1;
  const actual = classifyApi(res);
  const allowed = [c.expected].flat();
  const name = `${c.method} ${c.route}${c.label ? ` [${c.label}]` : ''} | ${c.role} | ${c.where}`;
  if (!allowed.includes(actual as Outcome)) {
    return [`${name}: expected ${allowed.join(' or ')}, got ${actual} (${res.statusCode}: ${res.body.slice(0, 200)})`];
  }
  const problems: string[] = [];
  if (res.statusCode >= 400 && !String(res.headers['content-type']).startsWith('application/problem+json')) {
    problems.push(`${name}: a refusal that is not application/problem+json (${String(res.headers['content-type'])})`);
  }
  if (actual === 'notFound' && c.req.missing) {
    const key = `${c.role} ${c.method} ${c.route} ${c.label ?? ''}`;
    let none = c.shared ? apiMissing.get(key) : undefined;
    if (none === undefined) {
      const other = await c.client.request(c.method, c.req.missing, c.req.body);
      none = other.statusCode === 404 ? other.body : `status ${other.statusCode}`;
      if (c.shared) apiMissing.set(key, none);
    }
    if (none !== res.body) problems.push(`${name}: its 404 differs from the one for ${c.req.missing}`);
  }
  if (actual === 'ok' && c.check) for (const p of c.check(res.body)) problems.push(`${name}: ${p}`);
  return problems;
}

async function apiClientOf(role: Role, person: Person | null): Promise<ApiClient> {
  if (!person) return new ApiClient(pw.world.app, null);
  return apiClientFor(pw.world.app, db(), person.id);
}

async function sharedApiClient(role: Role): Promise<ApiClient> {
  let client = apiClients.get(role);
  if (!client) {
    client = await apiClientOf(role, role === 'visitor' ? null : pw.people[role]);
    apiClients.set(role, client);
  }
  return client;
}

async function* apiSiteRun(): AsyncGenerator<ApiCase> {
  for (const c of apiSiteCases) {
    for (const role of roles) {
      const actor = c.fresh ? await pw.freshActor(role, pw.groups[0]!) : null;
      const client = actor ? await apiClientOf(role, actor.person) : await sharedApiClient(role);
      yield {
        ...c,
        role,
        where: 'site',
        client,
        shared: !c.fresh,
        req: await c.request(actor ? actor.person : role === 'visitor' ? null : pw.people[role]),
        expected: c.expect(role),
        check: c.check && ((body) => c.check!(body, role)),
      };
    }
  }
}

async function* apiGroupRun(reads: boolean): AsyncGenerator<ApiCase> {
  for (const c of apiGroupCases.filter((c) => (c.method === 'GET') === reads)) {
    for (const g of reads ? pw.groups : pw.groups.filter(postKinds)) {
      for (const role of roles) {
        const actor = c.fresh ? await pw.freshActor(role, g) : null;
        const client = actor ? await apiClientOf(role, actor.person) : await sharedApiClient(role);
        yield {
          ...c,
          role,
          where: g.kind.name,
          client,
          shared: !c.fresh,
          req: await c.request(g, actor ? actor.person : role === 'visitor' ? null : pw.people[role], role),
          expected: c.expect(role, g.kind),
          check: c.check && ((body) => c.check!(body, role, g)),
        };
      }
    }
  }
}

/**
 * The table runs as two files, so that CI's two workers share it: the pages (site-wide routes and
 * every group page, with the round-trip and page-weight checks) and the actions (every group form
 * on a fresh target). Each file builds its own world.
 */
export function permissionSuite(part: 'pages' | 'actions' | 'api'): void {
  describe(`permissions (${part}): every route × every role × every kind of group`, () => {
    beforeAll(async () => {
      pw = await buildPermissionWorld(await createWorld());
      setPermissionWorld(pw);
    });
    afterAll(async () => {
      console.log(`permission table (${part}): ${checked} route × role × kind cases checked`);
      await pw?.close();
    });

    if (part === 'pages') {
      it('has every route of the app in its table, and nothing the app does not have', () => {
        const key = (r: { method: string; route?: string; url?: string }) => `${r.method} ${r.route ?? r.url}`;
        const inventory = new Set(pw.world.app.routeInventory.map(key));
        const table = new Set([...allGroupCases, ...allSiteCases, ...apiGroupCases, ...apiSiteCases].map(key));
        const missing = [...inventory].filter((k) => !table.has(k) && !(k in coveredElsewhere)).sort();
        const stale = [...table, ...Object.keys(coveredElsewhere)].filter((k) => !inventory.has(k)).sort();
        expect({ missing, stale }).toEqual({ missing: [], stale: [] });
      });

      it('site-wide routes: what each role may do', { timeout: 600_000 }, async () => {
        expect(await runAll(siteRun())).toEqual([]);
      });

      it('group pages (GET): every role in every one of the 16 kinds of group', { timeout: 600_000 }, async () => {
        expect(await runAll(groupRun('GET', pw.groups))).toEqual([]);
      });

      it(`no page makes more than ${MAX_ROUND_TRIPS} database round trips, for any role in any kind of group`, () => {
        const pages = [...roundTrips.entries()];
        const over = pages
          .filter(([, r]) => r.queries > MAX_ROUND_TRIPS)
          .map(([route, r]) => `GET ${route}: ${r.queries} round trips (${r.where})`);
        expect(over).toEqual([]);
        expect(pages.length).toBeGreaterThanOrEqual(30);
      });

      it('keeps every page within 20 KB of compressed JavaScript and 15 KB of CSS, all from this site', () => {
        const pages = [...pageWeights.entries()];
        const over = pages
          .filter(([, w]) => w.js > 20 * 1024 || w.css > 15 * 1024)
          .map(([route, w]) => `GET ${route}: ${w.js} bytes of JavaScript, ${w.css} of CSS (${w.where})`);
        expect(over).toEqual([]);
        expect([...foreignRequests]).toEqual([]);
        expect(pages.length).toBeGreaterThanOrEqual(30);
        const heaviest = pages.reduce((a, b) => (b[1].js > a[1].js ? b : a));
        console.log(
          `heaviest page: GET ${heaviest[0]}, ${heaviest[1].js} bytes of JavaScript, ${heaviest[1].css} of CSS`,
        );
      });
    } else if (part === 'api') {
      it('the JSON API, site-wide routes: what each role may do', { timeout: 600_000 }, async () => {
        expect(await runAll(apiSiteRun(), runApiCase)).toEqual([]);
      });
      it('the JSON API, reads: every role in every one of the 16 kinds of group', { timeout: 600_000 }, async () => {
        expect(await runAll(apiGroupRun(true), runApiCase)).toEqual([]);
      });
      it('the JSON API, changes: every role in 8 kinds of group', { timeout: 600_000 }, async () => {
        expect(await runAll(apiGroupRun(false), runApiCase)).toEqual([]);
      });
    } else {
      it(
        'group actions (POST): every role in 8 kinds of group, each case on a fresh target',
        { timeout: 900_000 },
        async () => {
          expect(await runAll(groupRun('POST', pw.groups.filter(postKinds)))).toEqual([]);
        },
      );
    }

    it('checked every case it should, so the table cannot silently shrink', () => {
      const gets = allGroupCases.filter((c) => c.method === 'GET').length;
      const posts = allGroupCases.length - gets;
      expect(gets).toBeGreaterThanOrEqual(24);
      expect(posts).toBeGreaterThanOrEqual(35);
      expect(kinds).toHaveLength(16);
      expect(pw.groups.filter(postKinds)).toHaveLength(8);
      const apiGets = apiGroupCases.filter((c) => c.method === 'GET').length;
      const apiChanges = apiGroupCases.length - apiGets;
      const expected =
        part === 'pages'
          ? allSiteCases.length + gets * 16
          : part === 'actions'
            ? posts * 8
            : apiSiteCases.length + apiGets * 16 + apiChanges * 8;
      expect(checked).toBe(roles.length * expected);
      expect(checked).toBeGreaterThanOrEqual(part === 'pages' ? 6000 : part === 'actions' ? 2000 : 0);
    });
  });
}
