import { createHash, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { generateSecret } from 'otplib';
import { buildApp } from '../../src/app.js';
import { createPasswordReset, createSession } from '../../src/features/accounts/service.js';
import { SESSION_COOKIE } from '../../src/features/accounts/routes.js';
import { twoFactor, users } from '../../src/features/accounts/schema.js';
import { posts, threads } from '../../src/features/forum/schema.js';
import {
  applications,
  bans,
  groups,
  invitations,
  memberships,
  type GroupRole,
  type JoinPolicy,
} from '../../src/features/groups/schema.js';
import { organisationAdmins, organisations } from '../../src/features/organisations/schema.js';
import { hardshipRequests } from '../../src/features/payments/schema.js';
import { Agent, type TestWorld } from './app.js';

/**
 * The world of the table-driven permission test (test/permissions.test.ts): one organisation,
 * a group of each of the 16 kinds in it, and the same eleven people (and a visitor) holding the
 * same role in every group. Setup writes straight to the tables (it is not what is being tested) and makes
 * fresh people and fresh targets cheaply, so that cases which change something never disturb
 * the cases after them.
 */

/**
 * The roles, relative to a group. An applicant has a pending application (in approval groups;
 * elsewhere they are a plain non-member); an invited person holds a working invitation sent to
 * their address; a lapsed member's paid period ended 30 days ago (in groups that charge nothing
 * they are a plain member); organisation admins and site admins are not members.
 */
export const roles = [
  'visitor',
  'nonMember',
  'applicant',
  'invited',
  'member',
  'lapsed',
  'moderator',
  'facilitator',
  'owner',
  'orgAdmin',
  'siteAdmin',
  'banned',
] as const;
export type Role = (typeof roles)[number];

export interface Kind {
  policy: JoinPolicy;
  listed: boolean;
  visibility: 'public' | 'members';
  /** "approval/unlisted/members-only", for messages. */
  name: string;
}

const policies: JoinPolicy[] = ['open', 'approval', 'invitation', 'paid'];

export const kinds: Kind[] = policies.flatMap((policy) =>
  [true, false].flatMap((listed) =>
    (['public', 'members'] as const).map((visibility) => ({
      policy,
      listed,
      visibility,
      name: `${policy}/${listed ? 'listed' : 'unlisted'}/${visibility === 'public' ? 'public' : 'members-only'}`,
    })),
  ),
);

export interface Person {
  id: number;
  pseudonym: string;
  email: string;
}

/** What each group holds for the GET cases: targets that reading never changes. */
export interface GroupFixture {
  kind: Kind;
  id: number;
  slug: string;
  name: string;
  /** A published thread started by the member, with one published reply by the member. */
  thread: { id: number; title: string; openingId: number; replyId: number };
  /** A thread whose opening post a moderator hid. */
  hiddenThread: { id: number; title: string };
  /** A thread by the member still waiting for approval. */
  pendingThread: { id: number; title: string };
  /** The invited person's working invitation token. */
  inviteToken: string;
  /** A token that worked until a moderator revoked it. */
  revokedToken: string;
}

export const PASSWORD = 'correct horse battery';
const DAY = 24 * 3600 * 1000;

/** The fields of Agent (test/helpers/app.ts) that hold a browser's cookies and CSRF token. */
interface AgentState {
  cookies: Map<string, string>;
  csrf: string | undefined;
}
// Agent keeps its cookies private and offers no way to adopt a session made without logging in
// (which would cost an argon2 check per person); this reaches them, here only.
const stateOf = (agent: Agent) => agent as unknown as AgentState;

export interface PermissionWorld {
  world: TestWorld;
  /** The same site over the same database with card payments (Stripe) on. */
  cardApp: FastifyInstance;
  organisation: { id: number; slug: string };
  people: Record<Exclude<Role, 'visitor'>, Person>;
  /** One agent per role, logged in (but the visitor), reused by every case that changes nothing of theirs. */
  agents: Record<Role, Agent>;
  groups: GroupFixture[];
  /** A working password-reset token, for the GET case. */
  resetToken: string;
  /** A new account, written straight to the database (password PASSWORD). */
  freshPerson(opts?: { isAdmin?: boolean }): Promise<Person>;
  /** A new agent with its own session for the person (or none), sharing the CSRF secret of the others. */
  agentFor(person: Person | null, app?: FastifyInstance): Promise<Agent>;
  /** A new person holding `role` in the group, and their own agent: for cases that change the actor. */
  freshActor(role: Role, group: GroupFixture, app?: FastifyInstance): Promise<{ agent: Agent; person: Person | null }>;
  /** Gives a person a role in a group, as the fixture does for the shared people; returns an invited person's token. */
  giveRole(person: Person, role: Role, group: GroupFixture): Promise<string | undefined>;
  /** A new thread by the member with one reply; the reply's state as asked. */
  freshThread(
    group: GroupFixture,
    reply?: { status?: 'published' | 'pending'; hidden?: boolean },
  ): Promise<{ id: number; openingId: number; replyId: number }>;
  freshApplication(group: GroupFixture): Promise<number>;
  freshInvitation(
    group: GroupFixture,
    opts?: { revoked?: boolean; email?: string },
  ): Promise<{ id: number; token: string }>;
  freshHardshipRequest(group: GroupFixture): Promise<number>;
  close(): Promise<void>;
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export async function buildPermissionWorld(world: TestWorld): Promise<PermissionWorld> {
  const db = world.database.db;
  // The first account is the site administrator; then the rest, through the real sign-up.
  const people = {} as Record<Exclude<Role, 'visitor'>, Person>;
  people.siteAdmin = await world.createUser('Perm Site Admin');
  for (const role of roles) {
    if (role === 'visitor' || role === 'siteAdmin') continue;
    people[role] = await world.createUser(`Perm ${role}`);
  }
  const [hashRow] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, people.member.id));

  // Site admins, organisation admins and facilitators hold their powers only with two-step
  // verification on (tested in src/features/accounts/security.test.ts); here they all have it.
  async function withSecondFactor(person: { id: number }) {
    await db
      .insert(twoFactor)
      .values({ userId: person.id, secret: generateSecret(), enabledAt: new Date() })
      .onConflictDoNothing();
  }
  await withSecondFactor(people.siteAdmin);
  const passwordHash = hashRow!.hash;

  let counter = 0;
  const next = () => ++counter;

  async function freshPerson(opts: { isAdmin?: boolean } = {}): Promise<Person> {
    const n = next();
    const person = { pseudonym: `fresh-${n}`, email: `fresh${n}@example.org` };
    const [row] = await db
      .insert(users)
      .values({ ...person, passwordHash, isAdmin: opts.isAdmin ?? false })
      .returning({ id: users.id });
    if (opts.isAdmin) await withSecondFactor(row!);
    return { id: row!.id, ...person };
  }

  // Every agent shares one CSRF secret (cookie) and token, taken from one page view.
  const csrfSource = world.agent();
  await csrfSource.get('/groups');

  async function agentFor(person: Person | null, app: FastifyInstance = world.app): Promise<Agent> {
    const agent = new Agent(app);
    const state = stateOf(agent);
    const source = stateOf(csrfSource);
    for (const [name, value] of source.cookies) state.cookies.set(name, value);
    state.csrf = source.csrf;
    if (person) state.cookies.set(SESSION_COOKIE, (await createSession(db, person.id)).token);
    return agent;
  }

  const [organisation] = await db
    .insert(organisations)
    .values({ slug: 'permission-trust', name: 'Permission Trust', kind: 'charity', createdBy: people.siteAdmin.id })
    .returning({ id: organisations.id, slug: organisations.slug });

  async function membership(groupId: number, userId: number, role: GroupRole, paidUntil: Date) {
    await db.insert(memberships).values({ groupId, userId, role, paidUntil });
  }

  async function freshInvitation(
    group: GroupFixture | { id: number },
    opts: { revoked?: boolean; email?: string } = {},
  ) {
    const token = randomBytes(18).toString('base64url');
    const [row] = await db
      .insert(invitations)
      .values({
        groupId: group.id,
        tokenHash: tokenHash(token),
        email: opts.email ?? null,
        createdBy: people.moderator.id,
        expiresAt: new Date(Date.now() + 7 * DAY),
        maxUses: 1,
        revokedAt: opts.revoked ? new Date() : null,
      })
      .returning({ id: invitations.id });
    return { id: row!.id, token };
  }

  async function giveRole(person: Person, role: Role, group: { id: number; kind: Kind }): Promise<string | undefined> {
    const goodStanding = new Date(Date.now() + 30 * DAY);
    switch (role) {
      case 'facilitator':
        await withSecondFactor(person);
        await membership(group.id, person.id, role, goodStanding);
        return;
      case 'member':
      case 'moderator':
      case 'owner':
        await membership(group.id, person.id, role, goodStanding);
        return;
      case 'lapsed':
        // Paid up to 30 days ago: past the 7-day grace period. Outside paid groups it means nothing.
        await membership(group.id, person.id, 'member', new Date(Date.now() - 30 * DAY));
        return;
      case 'applicant':
        if (group.kind.policy !== 'approval') return;
        await db.insert(applications).values({
          groupId: group.id,
          userId: person.id,
          questions: ['What brings you here?'],
          answers: ['A friend told me about it.'],
        });
        return;
      case 'invited':
        // An invitation emailed to them, not yet accepted.
        return (await freshInvitation(group, { email: person.email })).token;
      case 'orgAdmin':
        await withSecondFactor(person);
        // Of the organisation, not of one group: the same row serves all its groups.
        await db
          .insert(organisationAdmins)
          .values({ organisationId: organisation!.id, userId: person.id })
          .onConflictDoNothing();
        return;
      case 'banned':
        await db
          .insert(bans)
          .values({ groupId: group.id, userId: person.id, reason: 'Unkind posts', bannedBy: people.owner.id });
        return;
      case 'nonMember':
      case 'siteAdmin':
      case 'visitor':
        return;
    }
  }

  async function insertThread(
    groupId: number,
    title: string,
    opening: { status?: 'published' | 'pending'; hidden?: boolean } = {},
    reply?: { status?: 'published' | 'pending'; hidden?: boolean },
  ) {
    const author = people.member.id;
    const [thread] = await db
      .insert(threads)
      .values({ groupId, authorId: author, title, replyCount: reply ? 1 : 0 })
      .returning({ id: threads.id });
    const rows = await db
      .insert(posts)
      .values([
        {
          groupId,
          threadId: thread!.id,
          authorId: author,
          isOpening: true,
          status: opening.status ?? 'published',
          body: `${title}: how it started.`,
          bodyHtml: `<p>${title}: how it started.</p>`,
          hiddenAt: opening.hidden ? new Date() : null,
          hiddenBy: opening.hidden ? people.moderator.id : null,
        },
        ...(reply
          ? [
              {
                groupId,
                threadId: thread!.id,
                authorId: author,
                status: reply.status ?? 'published',
                body: 'A reply from the member.',
                bodyHtml: '<p>A reply from the member.</p>',
                hiddenAt: reply.hidden ? new Date() : null,
                hiddenBy: reply.hidden ? people.moderator.id : null,
              },
            ]
          : []),
      ])
      .returning({ id: posts.id, isOpening: posts.isOpening });
    return {
      id: thread!.id,
      openingId: rows.find((r) => r.isOpening)!.id,
      replyId: rows.find((r) => !r.isOpening)?.id ?? 0,
    };
  }

  const fixtures: GroupFixture[] = [];
  for (const kind of kinds) {
    const slug = `perm-${kind.name.replace(/\//g, '-')}`;
    const name = `Permission group ${kind.name}`;
    const [group] = await db
      .insert(groups)
      .values({
        slug,
        name,
        summary: 'A group for checking who may do what.',
        leadership: 'professional',
        visibility: kind.visibility,
        joinPolicy: kind.policy,
        listed: kind.listed,
        entryQuestions: kind.policy === 'approval' ? ['What brings you here?'] : [],
        organisationId: organisation!.id,
        memberCount: 5,
        // Every group has the same fee settings, so that only the join policy tells them apart;
        // only paid groups charge it.
        feeAmountCents: 1000,
        feeMinimumCents: 500,
        feeCurrency: 'GBP',
        feeInterval: 'month',
        createdBy: people.owner.id,
      })
      .returning({ id: groups.id });
    const id = group!.id;
    const base = { id, kind };
    let inviteToken = '';
    for (const role of roles) {
      if (role === 'visitor') continue;
      inviteToken = (await giveRole(people[role], role, base)) ?? inviteToken;
    }
    const secret = `Secret-${slug}`;
    const thread = await insertThread(id, `${secret} thread`, {}, {});
    const hiddenThread = await insertThread(id, `${secret} hidden thread`, { hidden: true });
    const pendingThread = await insertThread(id, `${secret} pending thread`, { status: 'pending' });
    const revoked = await freshInvitation(base, { revoked: true });
    fixtures.push({
      kind,
      id,
      slug,
      name,
      thread: { id: thread.id, title: `${secret} thread`, openingId: thread.openingId, replyId: thread.replyId },
      hiddenThread: { id: hiddenThread.id, title: `${secret} hidden thread` },
      pendingThread: { id: pendingThread.id, title: `${secret} pending thread` },
      inviteToken,
      revokedToken: revoked.token,
    });
  }

  const agents = {} as Record<Role, Agent>;
  for (const role of roles) agents[role] = await agentFor(role === 'visitor' ? null : people[role]);

  const resetUser = await freshPerson();
  const reset = await createPasswordReset(db, resetUser.email);

  const generous = { max: 1_000_000, timeWindow: 60_000 };
  const cardApp = await buildApp({
    files: world.files,
    database: world.database,
    mailer: world.mailer,
    baseUrl: 'http://localhost:3000',
    // The same secret as the test world's, so that its cookies (sessions, CSRF) work here too.
    cookieSecret: 'test-secret-that-is-long-enough-for-cookies',
    logLevel: 'silent',
    limits: { signUp: generous, logIn: generous, post: generous, passwordReset: generous, api: generous },
    stripe: { secretKey: 'sk_test_permissions', webhookSecret: 'whsec_test_permissions' },
  });
  await cardApp.ready();

  return {
    world,
    cardApp,
    organisation: organisation!,
    people,
    agents,
    groups: fixtures,
    resetToken: reset!.token,
    freshPerson,
    agentFor,
    giveRole,
    async freshActor(role, group, app) {
      if (role === 'visitor') return { agent: await agentFor(null, app), person: null };
      const person = await freshPerson({ isAdmin: role === 'siteAdmin' });
      await giveRole(person, role, group);
      return { agent: await agentFor(person, app), person };
    },
    freshThread: (group, reply = {}) => insertThread(group.id, `Fresh thread ${next()}`, {}, reply),
    async freshApplication(group) {
      const applicant = await freshPerson();
      const [row] = await db
        .insert(applications)
        .values({ groupId: group.id, userId: applicant.id, questions: ['Why?'], answers: ['Because.'] })
        .returning({ id: applications.id });
      return row!.id;
    },
    freshInvitation,
    async freshHardshipRequest(group) {
      const asker = await freshPerson();
      const [row] = await db
        .insert(hardshipRequests)
        .values({ groupId: group.id, userId: asker.id, message: 'I cannot afford the fee this year.' })
        .returning({ id: hardshipRequests.id });
      return row!.id;
    },
    async close() {
      await cardApp.close();
      await world.close();
    },
  };
}
