/**
 * Fills a database with the demo community in scripts/demo-content.ts, through the feature
 * services only (signUp, createGroup, joinGroup, setMemberRole, createThread, replyToThread,
 * toggleReaction, setThreadFlag), so the demo obeys every rule a real member would.
 */
import { and, eq, like, sql } from 'drizzle-orm';
import { countUsers, signUp } from '../src/features/accounts/service.js';
import { users } from '../src/features/accounts/schema.js';
import { createThread, replyToThread, setThreadFlag, toggleReaction } from '../src/features/forum/index.js';
import { posts, type ReactionKind } from '../src/features/forum/schema.js';
import {
  approveListing,
  refreshDirectoryStats,
  saveGroupListing,
  submitListing,
} from '../src/features/directory/index.js';
import { createGroup, joinGroup, setMemberRole } from '../src/features/groups/index.js';
import { groups, memberships, type GroupRole } from '../src/features/groups/schema.js';
import type { Db } from '../src/platform/db/client.js';
import { unlimitedPosting } from '../src/platform/deps.js';
import { Invalid } from '../src/platform/errors.js';
import type { Viewer } from '../src/platform/http/page.js';
import {
  DEMO_ADMIN,
  DEMO_EMAIL_DOMAIN,
  DEMO_PASSWORD,
  demoEmail,
  demoGroups,
  demoPeople,
  type DemoGroup,
  type DemoPost,
} from './demo-content.js';
import { demoListings, demoProfiles, type DemoListing, type DemoProfile } from './demo-directory.js';
import { seedDemoMail } from './demo-mail.js';

export interface SeedOptions {
  /** Add the demo to a site that already has other accounts. */
  force?: boolean;
  /** Where the community's history ends; defaults to now. */
  now?: Date;
  /** Receives a line of progress now and then. */
  log?: (line: string) => void;
}

export interface DemoAccount {
  pseudonym: string;
  email: string;
  isAdmin: boolean;
  /** Groups this person belongs to, in any role. */
  groupCount: number;
  /** Groups this person leads, as owner, facilitator or moderator. */
  leads: { group: string; role: Exclude<GroupRole, 'member'> }[];
}

export interface DemoCounts {
  accounts: number;
  groups: number;
  threads: number;
  replies: number;
  reactions: number;
}

export type SeedResult =
  | { status: 'created'; accounts: DemoAccount[]; counts: DemoCounts }
  | { status: 'already-there'; accounts: DemoAccount[] }
  | { status: 'refused'; existingUsers: number };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Seeds the demo unless it is already there. On a site with other accounts it refuses unless
 * forced. Everything happens in one transaction: a failure leaves no half-built demo behind.
 */
export async function seedDemo(db: Db, opts: SeedOptions = {}): Promise<SeedResult> {
  checkContent();
  const log = opts.log ?? (() => undefined);
  const now = (opts.now ?? new Date()).getTime();
  return db.transaction(async (tx) => {
    // The services take a database; a transaction serves as one (their own transactions become savepoints).
    const t: Db = tx;
    const [admin] = await t.select({ id: users.id }).from(users).where(eq(users.email, DEMO_ADMIN.email));
    if (admin) return { status: 'already-there', accounts: await readDemoAccounts(t) };
    const existingUsers = await countUsers(t);
    if (existingUsers > 0 && !opts.force) return { status: 'refused', existingUsers };

    const plan = planTimeline(now, random(2026));
    const stamps: Stamps = { users: [], groups: [], memberships: [], posts: [], reactions: [] };
    const counts: DemoCounts = { accounts: 0, groups: 0, threads: 0, replies: 0, reactions: 0 };

    log(`Creating ${plan.signUpOrder.length} accounts…`);
    const actors = new Map<string, Viewer>();
    for (const pseudonym of plan.signUpOrder) {
      const user = await signUpDemo(t, pseudonym);
      actors.set(pseudonym, { id: user.id, pseudonym: user.pseudonym, isAdmin: user.isAdmin });
      stamps.users.push({ id: user.id, at: iso(plan.userCreatedAt.get(pseudonym)!) });
      counts.accounts++;
    }
    const seeding: Seeding = { db: t, actor: (p) => actors.get(p)!, rand: plan.rand, now, stamps, counts };
    for (const g of plan.groups) {
      log(`  ${g.group.name}`);
      await seedGroup(seeding, g);
    }

    log('Listing groups that meet elsewhere…');
    await seedListings(t, actors);

    log('Spreading the history over the past weeks…');
    await backdate(t, stamps);
    await seedDemoMail(t, new Date(now));
    await refreshDirectoryStats(t, new Date(now));
    return { status: 'created', accounts: await readDemoAccounts(t), counts };
  });
}

/** What seeding one group needs from the run around it. */
interface Seeding {
  db: Db;
  actor: (pseudonym: string) => Viewer;
  rand: () => number;
  now: number;
  stamps: Stamps;
  counts: DemoCounts;
}

/** One group: created by its owner, joined by its members, leaders appointed, then its threads. */
async function seedGroup(s: Seeding, g: GroupPlan): Promise<void> {
  const { db, actor } = s;
  const content = g.group;
  const owner = actor(content.owner);
  const group = await createGroup(db, owner, {
    name: content.name,
    summary: content.summary,
    description: content.description,
    tags: content.tags,
    language: content.language,
    leadership: content.leadership,
    visibility: content.visibility,
  });
  s.counts.groups++;
  s.stamps.groups.push({ id: group.id, at: iso(g.createdAt) });
  const profile = demoProfiles[content.name];
  if (profile) await saveGroupListing(db, owner, group.slug, profileForm(profile));
  for (const [pseudonym, joinedAt] of g.joinedAt) {
    if (pseudonym !== content.owner) await joinGroup(db, actor(pseudonym), group.slug);
    s.stamps.memberships.push({ group_id: group.id, user_id: actor(pseudonym).id, at: iso(joinedAt) });
  }
  for (const facilitator of content.facilitators ?? []) {
    await setMemberRole(db, owner, group.slug, facilitator, { role: 'facilitator' });
  }
  for (const moderator of content.moderators) {
    await setMemberRole(db, owner, group.slug, moderator, { role: 'moderator' });
  }

  const members = [...g.joinedAt.keys()];
  const reactTo = async (post: DemoPost, postId: number, postAt: number, opening: boolean) => {
    for (const r of chooseReactions(post, members, opening, s.rand)) {
      await toggleReaction(db, actor(r.pseudonym), postId, r.kind);
      const base = Math.max(postAt, g.joinedAt.get(r.pseudonym)!);
      const at = base + Math.min(10 * MINUTE + s.rand() * 30 * HOUR, (s.now - base) * 0.9);
      s.stamps.reactions.push({ post_id: postId, user_id: actor(r.pseudonym).id, kind: r.kind, at: iso(at) });
      s.counts.reactions++;
    }
  };

  const leaders = new Set([content.owner, ...(content.facilitators ?? []), ...content.moderators]);
  for (const [i, thread] of content.threads.entries()) {
    const times = g.threads[i]!;
    // The demo writes weeks of talk in seconds (and dates it afterwards): no posting limits apply.
    const started = await createThread(
      db,
      actor(thread.author),
      group.slug,
      { title: thread.title, body: thread.body },
      { postingLimits: unlimitedPosting },
    );
    s.counts.threads++;
    const opening = await openingPostId(db, started.id);
    s.stamps.posts.push({ id: opening, at: iso(times.openAt) });
    await reactTo(thread, opening, times.openAt, true);
    if (thread.pinned) await setThreadFlag(db, owner, started.id, 'pinned', true);
    for (const [j, reply] of thread.replies.entries()) {
      const post = await replyToThread(
        db,
        actor(reply.author),
        started.id,
        { body: reply.body },
        { postingLimits: unlimitedPosting },
      );
      s.counts.replies++;
      s.stamps.posts.push({ id: post.id, at: iso(times.replyAt[j]!) });
      await reactTo(reply, post.id, times.replyAt[j]!, false);
    }
    if (thread.locked) {
      // The leader who wrote the last word locks it; otherwise the owner.
      const last = thread.replies.at(-1)?.author;
      await setThreadFlag(db, actor(last && leaders.has(last) ? last : content.owner), started.id, 'locked', true);
    }
  }
}

/** A directory profile as the "How people find this group" form sends it. */
function profileForm(p: DemoProfile): Record<string, string | string[]> {
  const form: Record<string, string | string[]> = {
    topics: p.topics,
    formats: p.formats,
    audiences: p.audiences,
    place: p.place ?? '',
  };
  for (const [i, m] of (p.meetings ?? []).entries()) {
    form[`meetingDay${i}`] = String(m.weekday);
    form[`meetingStart${i}`] = m.start;
    form[`meetingLength${i}`] = String(m.durationMinutes);
    form[`meetingZone${i}`] = m.timeZone;
    form[`meetingPlace${i}`] = m.place;
  }
  if (p.searchEngines) form.searchEngines = 'on';
  return form;
}

/** Groups hosted elsewhere: submitted by a member, approved by the site admin. */
async function seedListings(db: Db, actors: Map<string, Viewer>): Promise<void> {
  const submitter = actors.get(demoPeople[3]!)!;
  const admin = actors.get(DEMO_ADMIN.pseudonym)!;
  for (const listing of demoListings) {
    const id = await submitListing(db, submitter, listingForm(listing));
    // The seed acts for the site's operator, who would approve with their second factor.
    await approveListing(db, { ...admin, secondFactor: true }, id);
  }
}

function listingForm(l: DemoListing): Record<string, string | string[]> {
  const { profile, free, website, ...fields } = l;
  return { ...fields, website: website ?? '', free: free ? 'yes' : 'no', ...profileForm(profile) };
}

async function signUpDemo(db: Db, pseudonym: string) {
  try {
    return await signUp(db, { email: demoEmail(pseudonym), password: DEMO_PASSWORD, pseudonym });
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    const why = Object.values(error.fieldErrors).join(', ');
    throw new Error(`Could not create the demo account "${pseudonym}" (${why}); nothing was added.`, {
      cause: error,
    });
  }
}

async function openingPostId(db: Db, threadId: number): Promise<number> {
  const [post] = await db
    .select({ id: posts.id })
    .from(posts)
    .where(and(eq(posts.threadId, threadId), eq(posts.isOpening, true)));
  return post!.id;
}

/** The demo accounts with the roles they hold, leaders first: what the demo script prints. */
export async function readDemoAccounts(db: Db): Promise<DemoAccount[]> {
  const rows = await db
    .select({
      id: users.id,
      pseudonym: users.pseudonym,
      email: users.email,
      isAdmin: users.isAdmin,
      group: groups.name,
      role: memberships.role,
    })
    .from(users)
    .leftJoin(memberships, eq(memberships.userId, users.id))
    .leftJoin(groups, eq(groups.id, memberships.groupId))
    .where(like(users.email, `%@${DEMO_EMAIL_DOMAIN}`))
    .orderBy(users.id, groups.name);
  const accounts = new Map<number, DemoAccount>();
  for (const r of rows) {
    let account = accounts.get(r.id);
    if (!account) {
      account = { pseudonym: r.pseudonym, email: r.email, isAdmin: r.isAdmin, groupCount: 0, leads: [] };
      accounts.set(r.id, account);
    }
    if (r.group === null) continue;
    account.groupCount++;
    if (r.role !== null && r.role !== 'member') account.leads.push({ group: r.group, role: r.role });
  }
  const rank = (a: DemoAccount) =>
    a.isAdmin ? 0 : a.leads.some((l) => l.role === 'owner') ? 1 : a.leads.length ? 2 : 3;
  return [...accounts.values()].sort((a, b) => rank(a) - rank(b));
}

// ---- When things happened ----

interface ThreadTimes {
  openAt: number;
  replyAt: number[];
}

interface GroupPlan {
  group: DemoGroup;
  createdAt: number;
  threads: ThreadTimes[];
  /** Every member, owner first, with when they joined. */
  joinedAt: Map<string, number>;
}

interface Plan {
  groups: GroupPlan[];
  userCreatedAt: Map<string, number>;
  /** Pseudonyms in the order they signed up: the site admin first. */
  signUpOrder: string[];
  rand: () => number;
}

/**
 * Decides when everything happened, before anything is written: groups oldest first, replies
 * arriving over hours or days after each opening post, people joining before they first post.
 */
function planTimeline(now: number, rand: () => number): Plan {
  const latest = now - 10 * MINUTE;
  const groupPlans = [...demoGroups]
    .sort((a, b) => b.startedDaysAgo - a.startedDaysAgo)
    .map((group): GroupPlan => {
      const createdAt = now - group.startedDaysAgo * DAY;
      const threads = group.threads.map((thread) => {
        const openAt = now - thread.daysAgo * DAY;
        const n = thread.replies.length;
        const span = Math.min(latest - openAt - n * 4 * MINUTE, n * 14 * HOUR);
        // Front-loaded: most replies come soon after a post, a few trickle in later.
        const points = thread.replies.map(() => rand() ** 1.6).sort((a, b) => a - b);
        return { openAt, replyAt: points.map((p, i) => openAt + p * span + (i + 1) * 4 * MINUTE) };
      });
      const firstPost = new Map<string, number>();
      group.threads.forEach((thread, i) => {
        const posts = [
          { author: thread.author, at: threads[i]!.openAt },
          ...thread.replies.map((r, j) => ({ author: r.author, at: threads[i]!.replyAt[j]! })),
        ];
        for (const p of posts) firstPost.set(p.author, Math.min(firstPost.get(p.author) ?? Infinity, p.at));
      });
      const joinedAt = new Map<string, number>([[group.owner, createdAt]]);
      const others = [...(group.facilitators ?? []), ...group.moderators, ...firstPost.keys(), ...group.alsoMembers];
      for (const pseudonym of others) {
        if (joinedAt.has(pseudonym)) continue;
        const until = (firstPost.get(pseudonym) ?? now - DAY) - 20 * MINUTE;
        joinedAt.set(pseudonym, createdAt + MINUTE + Math.max(0, rand() * (until - createdAt - MINUTE)));
      }
      return { group, createdAt, threads, joinedAt };
    });

  const userCreatedAt = new Map<string, number>();
  for (const g of groupPlans) {
    for (const [pseudonym, at] of g.joinedAt) {
      userCreatedAt.set(pseudonym, Math.min(userCreatedAt.get(pseudonym) ?? Infinity, at - HOUR - rand() * 3 * DAY));
    }
  }
  // People who lead a group but post nowhere yet still signed up some weeks ago.
  for (const pseudonym of demoPeople) if (!userCreatedAt.has(pseudonym)) userCreatedAt.set(pseudonym, now - 30 * DAY);
  userCreatedAt.set(DEMO_ADMIN.pseudonym, Math.min(...userCreatedAt.values()) - 2 * DAY);
  const signUpOrder = [...userCreatedAt.keys()].sort((a, b) => userCreatedAt.get(a)! - userCreatedAt.get(b)!);
  return { groups: groupPlans, userCreatedAt, signUpOrder, rand };
}

const openingKinds: ReactionKind[] = ['support', 'me_too', 'thinking_of_you'];
const replyKinds: ReactionKind[] = ['helpful', 'me_too', 'support'];

/** A few members react to a post, mostly with the kinds it invites; none reacts to their own. */
function chooseReactions(post: DemoPost, members: string[], opening: boolean, rand: () => number) {
  const kinds = post.reactions ?? (opening ? openingKinds : replyKinds);
  const howMany = reactionCount(post, opening, kinds, rand);
  const others = members.filter((m) => m !== post.author);
  const reactors = shuffle(others, rand).slice(0, howMany);
  const chosen: { pseudonym: string; kind: ReactionKind }[] = [];
  for (const pseudonym of reactors) {
    // The first kind listed is the likeliest.
    const first = kinds[Math.floor(rand() ** 1.8 * kinds.length)]!;
    chosen.push({ pseudonym, kind: first });
    const second = kinds[Math.floor(rand() * kinds.length)]!;
    if (second !== first && rand() < 0.1) chosen.push({ pseudonym, kind: second });
  }
  return chosen;
}

// Openings draw a few reactions; replies fewer, unless they invite them. (Kept modest: each
// reaction goes through the service, and reactions are most of the demo's running time.)
function reactionCount(post: DemoPost, opening: boolean, kinds: ReactionKind[], rand: () => number): number {
  if (kinds.length === 0) return 0;
  if (opening) return 1 + Math.floor(rand() * 3);
  if (post.reactions) return rand() < 0.85 ? 1 : 2;
  return rand() < 0.2 ? 1 : 0;
}

function shuffle<T>(list: T[], rand: () => number): T[] {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** A small seeded generator (mulberry32), so every run builds the same community. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

// ---- Back-dating ----

interface Stamps {
  users: { id: number; at: string }[];
  groups: { id: number; at: string }[];
  memberships: { group_id: number; user_id: number; at: string }[];
  posts: { id: number; at: string }[];
  reactions: { post_id: number; user_id: number; kind: ReactionKind; at: string }[];
}

/**
 * The services stamp everything with the moment it is written, and a community whose every post
 * arrived in the same few seconds looks empty rather than lived-in. So, once the demo exists, this
 * moves its own rows' timestamps back over the past weeks. It is the only place the demo writes to
 * tables directly, and it changes when things happened, never what happened. Threads' times and
 * groups' last activity are then derived from their posts, as the services would have set them.
 */
async function backdate(db: Db, s: Stamps): Promise<void> {
  // One JSON parameter per table: a handful of statements, whatever the size of the demo.
  const rows = (list: object[]) => sql`jsonb_to_recordset(${JSON.stringify(list)}::text::jsonb)`;
  await db.execute(sql`
    update users set created_at = v.at
    from ${rows(s.users)} as v(id int, at timestamptz) where users.id = v.id`);
  await db.execute(sql`
    update groups set created_at = v.at
    from ${rows(s.groups)} as v(id int, at timestamptz) where groups.id = v.id`);
  await db.execute(sql`
    update memberships set joined_at = v.at
    from ${rows(s.memberships)} as v(group_id int, user_id int, at timestamptz)
    where memberships.group_id = v.group_id and memberships.user_id = v.user_id`);
  await db.execute(sql`
    update posts set created_at = v.at
    from ${rows(s.posts)} as v(id int, at timestamptz) where posts.id = v.id`);
  await db.execute(sql`
    update reactions set created_at = v.at
    from ${rows(s.reactions)} as v(post_id int, user_id int, kind text, at timestamptz)
    where reactions.post_id = v.post_id and reactions.user_id = v.user_id and reactions.kind::text = v.kind`);

  const groupIds = sql.join(
    s.groups.map((g) => sql`${g.id}`),
    sql`, `,
  );
  await db.execute(sql`
    update threads set created_at = p.first_at, last_post_at = p.last_at
    from (select thread_id, min(created_at) as first_at, max(created_at) as last_at
          from posts where group_id in (${groupIds}) group by thread_id) as p
    where threads.id = p.thread_id`);
  await db.execute(sql`
    update groups set last_activity_at = coalesce(
      (select max(posts.created_at) from posts where posts.group_id = groups.id), groups.created_at)
    where groups.id in (${groupIds})`);
  // The leaders' audit log: pins soon after a thread starts, locks just after its last post, role
  // changes soon after the person joined. Never later than when the entry was really written.
  await db.execute(sql`
    update audit_log set created_at = least(audit_log.created_at, coalesce(
      (select case audit_log.action when 'pin_thread' then threads.created_at + interval '20 minutes'
              else threads.last_post_at + interval '5 minutes' end
       from threads where threads.id = audit_log.thread_id),
      (select memberships.joined_at + interval '1 hour' from memberships
       where memberships.group_id = audit_log.group_id and memberships.user_id = audit_log.subject_user_id),
      audit_log.created_at))
    where audit_log.group_id in (${groupIds})`);
}

// ---- Content checks ----

/** Catches mistakes in demo-content.ts before anything is written. */
function checkContent(): void {
  const people = new Set(demoPeople);
  const problems: string[] = [];
  if (people.size !== demoPeople.length) problems.push('a pseudonym is listed twice in demoPeople');
  const emails = new Set([DEMO_ADMIN.pseudonym, ...demoPeople].map(demoEmail));
  if (emails.size !== demoPeople.length + 1) problems.push('two pseudonyms give the same demo email');
  for (const g of demoGroups) {
    const facilitators = g.facilitators ?? [];
    const named = [g.owner, ...facilitators, ...g.moderators, ...g.alsoMembers];
    for (const t of g.threads) named.push(t.author, ...t.replies.map((r) => r.author));
    for (const p of named) if (!people.has(p)) problems.push(`${g.name}: "${p}" is not in demoPeople`);
    const leaders = [g.owner, ...facilitators, ...g.moderators];
    if (new Set(leaders).size !== leaders.length) problems.push(`${g.name}: someone holds two leading roles`);
    if (facilitators.length && g.leadership !== 'professional') {
      problems.push(`${g.name}: only professionally led groups have facilitators`);
    }
    for (const t of g.threads) {
      if (t.daysAgo >= g.startedDaysAgo) problems.push(`${g.name}: "${t.title}" starts before the group`);
      if (t.daysAgo * DAY < 10 * MINUTE + (t.replies.length + 1) * 5 * MINUTE) {
        problems.push(`${g.name}: "${t.title}" is too recent for its replies`);
      }
    }
  }
  if (problems.length) throw new Error(`The demo content has mistakes:\n  ${problems.join('\n  ')}`);
}
