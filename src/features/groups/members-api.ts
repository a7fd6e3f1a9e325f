import { sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import {
  apiViewer,
  assertTokenReaches,
  decodeCursor,
  pageOf,
  pageQuery,
  toPage,
  type ApiRoutes,
} from '../../platform/http/api.js';
import { idParam } from '../../platform/http/params.js';
import { membershipHiddenSql } from '../accounts/index.js';
import { memberNameSql } from './aliases.js';
import * as applications from './applications.js';
import * as membership from './membership.js';
import { accessGroup, accessGroupById, assertCanModerate, assertCanSeeMembers, canModerate } from './policy.js';
import type { GroupRole } from './schema.js';

/*
 * A group's members and applications through /api/v1, as the members and applications pages show
 * them to the caller, and what those pages let leaders do, through the same services. A person is
 * named by their name in the group (alias or pseudonym), never by an account id, which would link
 * their aliases across groups.
 */

const TAGS = ['Members'];
const roles = ['owner', 'facilitator', 'moderator', 'member'] as const satisfies readonly GroupRole[];
const slugParams = z.object({ slug: z.string().min(1).max(200).describe("The group's address (/g/<slug>).") });
const memberParams = slugParams.extend({
  name: z.string().min(1).max(200).describe('Their name in the group (alias or pseudonym), URL-encoded.'),
});
const applicationParams = z.object({ id: idParam });

const memberItem = z
  .object({
    name: z.string().describe('Their name in the group: the alias they chose for it, or their pseudonym.'),
    role: z.enum(roles),
    self: z.boolean().describe('The caller.'),
    hidden: z
      .boolean()
      .nullable()
      .describe(
        "They keep their membership to themselves: only the group's leaders (and they) are told; null for anyone else.",
      ),
    credential: z.string().nullable().describe("A facilitator's professional credential."),
    credentialVerified: z.boolean().nullable().describe('For facilitators: whether an administrator verified it.'),
  })
  .meta({ id: 'Member' });

interface MemberRow {
  name: string | null;
  role: GroupRole;
  self: boolean;
  hidden: boolean;
  credential: string | null;
  verified: boolean;
}

/**
 * One page of a group's members by name, as the members page shows them: members who keep their
 * membership to themselves are listed only for the group's leaders and for themselves; leaders
 * are always shown. One query.
 */
async function listMembersPage(
  db: Db,
  groupId: number,
  viewerId: number,
  everyone: boolean,
  after: string | null,
  limit: number,
): Promise<MemberRow[]> {
  const result = (await db.execute(sql`
    select * from (
      select ${memberNameSql(sql.raw('m.group_id'), sql.raw('m.user_id'))} as name, m.role,
        m.user_id = ${viewerId} as self, ${membershipHiddenSql(sql.raw('m.user_id'))} as hidden,
        m.credential, m.credential_verified_at is not null as verified
      from memberships m where m.group_id = ${groupId}) x
    where x.name is not null
      ${everyone ? sql`` : sql`and (not x.hidden or x.role <> 'member' or x.self)`}
      ${after === null ? sql`` : sql`and x.name collate "C" > ${after}`}
    order by x.name collate "C"
    limit ${limit + 1}`)) as unknown as { rows: MemberRow[] };
  return result.rows;
}

const applicationItem = z
  .object({
    id: z.number().int(),
    applicant: z.string().describe('The name they applied under in the group (an alias, or their pseudonym).'),
    answers: z.array(z.object({ question: z.string(), answer: z.string() })),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Application' });

/**
 * For an organisation token, refuses an application to a group outside its organisation before
 * anything is decided (one query, only for such tokens); the service decides the rest.
 */
async function assertTokenReachesApplication(db: Db, request: FastifyRequest, id: number): Promise<void> {
  if (request.apiCaller?.organisationId == null) return;
  const access = await accessGroupById(
    db,
    request.viewer,
    sql`(select a.group_id from applications a where a.id = ${id})`,
  );
  assertTokenReaches(request, access.group);
}

export const memberApiRoutes: ApiRoutes = async (api, deps) => {
  const { db } = deps;

  /** The group, for a caller its organisation token reaches. */
  async function groupFor(request: FastifyRequest, slug: string) {
    const access = await accessGroup(db, request.viewer, slug);
    assertTokenReaches(request, access.group);
    return access;
  }

  /** Before a change: only an organisation token needs the group looked up first (the service does the rest). */
  async function assertTokenReachesGroup(request: FastifyRequest, slug: string): Promise<void> {
    if (request.apiCaller?.organisationId != null) await groupFor(request, slug);
  }

  api.get(
    '/groups/:slug/members',
    {
      schema: {
        tags: TAGS,
        summary: "A group's members",
        description:
          "The group's members by their names there, in name order, as its members page shows them to the " +
          'caller: for members in good standing and those who moderate the group. Members who keep their ' +
          "membership to themselves are listed only for the group's leaders.",
        params: slugParams,
        querystring: pageQuery,
        response: { 200: pageOf(memberItem) },
      },
    },
    async (request) => {
      apiViewer(request);
      const { cursor, limit } = request.query;
      const after = decodeCursor(cursor, z.tuple([z.string()]))?.[0] ?? null;
      const access = await groupFor(request, request.params.slug);
      assertCanSeeMembers(access);
      const leader = canModerate(access);
      const rows = await listMembersPage(db, access.group.id, access.actor?.id ?? -1, leader, after, limit);
      return toPage(
        rows,
        limit,
        (r) => [r.name ?? ''],
        (r) => ({
          name: r.name ?? '',
          role: r.role,
          self: r.self,
          hidden: leader || r.self ? r.hidden : null,
          credential: r.role === 'facilitator' ? r.credential : null,
          credentialVerified: r.role === 'facilitator' ? r.verified : null,
        }),
      );
    },
  );

  api.put(
    '/groups/:slug/members/:name/role',
    {
      config: { scope: 'admin' },
      schema: {
        tags: TAGS,
        summary: "Change a member's role",
        description:
          'Appoints a moderator, facilitator (in professionally led groups) or co-owner, or makes a leader a ' +
          "member again: for the group's owners and the administrators above them. The last owner stays one. " +
          'Audited as on the members page.',
        params: memberParams,
        body: z.object({ role: z.enum(roles) }),
        response: { 200: z.object({ name: z.string(), role: z.enum(roles) }) },
      },
    },
    async (request) => {
      const viewer = apiViewer(request);
      const { slug, name } = request.params;
      await assertTokenReachesGroup(request, slug);
      await membership.setMemberRole(db, viewer, slug, name, request.body);
      return { name, role: request.body.role };
    },
  );

  api.post(
    '/groups/:slug/members/:name/remove',
    {
      config: { scope: 'moderate' },
      schema: {
        tags: TAGS,
        summary: 'Remove a member',
        description:
          'Removes a member, with a reason (kept in the audit log); with `ban` they cannot rejoin or apply ' +
          'again. For those who moderate the group; leaders are removed only by those who manage it.',
        params: memberParams,
        body: z.object({
          reason: z.string().max(1000).describe('Why, for the audit log (3 characters at least).'),
          ban: z.boolean().default(false),
        }),
        response: { 200: z.object({ name: z.string(), removed: z.literal(true), banned: z.boolean() }) },
      },
    },
    async (request) => {
      const viewer = apiViewer(request);
      const { slug, name } = request.params;
      await assertTokenReachesGroup(request, slug);
      await membership.removeMember(db, viewer, slug, name, request.body, deps);
      return { name, removed: true as const, banned: request.body.ban };
    },
  );

  api.get(
    '/groups/:slug/bans',
    {
      config: { scope: 'moderate' },
      schema: {
        tags: TAGS,
        summary: "A group's bans",
        description:
          'Who the group has banned, as its members page lists them for moderators. The author of an anonymous ' +
          'post who was banned by the post stays unnamed: `name` is null and `anonymousPostId` says which post.',
        params: slugParams,
        querystring: pageQuery,
        response: {
          200: pageOf(
            z.object({
              name: z.string().nullable(),
              anonymousPostId: z.number().int().nullable(),
              reason: z.string(),
              createdAt: z.iso.datetime(),
            }),
          ),
        },
      },
    },
    async (request) => {
      apiViewer(request);
      const { cursor, limit } = request.query;
      const after = decodeCursor(cursor, z.tuple([z.iso.datetime(), z.string()]));
      const access = await groupFor(request, request.params.slug);
      assertCanModerate(access);
      // A group's bans are few (the page lists them all): the page's list, paged here.
      const keyOf = (b: { createdAt: Date; name: string | null; anonymousPostId: number | null }) =>
        [b.createdAt.toISOString(), b.name ?? `#${b.anonymousPostId}`] as const;
      const all = await membership.listBans(db, access);
      const rest = after ? all.filter((b) => keyOf(b).join('\u0000') > after.join('\u0000')) : all;
      return toPage(rest.slice(0, limit + 1), limit, keyOf, (b) => ({
        name: b.name,
        anonymousPostId: b.anonymousPostId,
        reason: b.reason,
        createdAt: b.createdAt.toISOString(),
      }));
    },
  );

  api.delete(
    '/groups/:slug/bans/:name',
    {
      config: { scope: 'moderate' },
      schema: {
        tags: TAGS,
        summary: 'Lift a ban',
        description:
          'Lets a banned person rejoin or apply again, by their name in the group. (A ban on the author of an ' +
          'anonymous post is lifted from the members page by the post, never by a name.)',
        params: memberParams,
        response: { 200: z.object({ name: z.string(), banned: z.literal(false) }) },
      },
    },
    async (request) => {
      const viewer = apiViewer(request);
      const { slug, name } = request.params;
      await assertTokenReachesGroup(request, slug);
      await membership.unbanMember(db, viewer, slug, name);
      return { name, banned: false as const };
    },
  );

  api.get(
    '/groups/:slug/applications',
    {
      config: { scope: 'moderate' },
      schema: {
        tags: TAGS,
        summary: 'Applications waiting for a decision',
        description:
          "Pending applications to a group that approves its members, oldest first, with the applicant's " +
          'answers to its entry questions: for those who review them (moderators and above).',
        params: slugParams,
        querystring: pageQuery,
        response: { 200: pageOf(applicationItem) },
      },
    },
    async (request) => {
      apiViewer(request);
      const { cursor, limit } = request.query;
      const after = decodeCursor(cursor, z.tuple([z.iso.datetime(), z.number().int()]));
      const access = await groupFor(request, request.params.slug);
      // Pending applications are few: the page's list (oldest first), paged here.
      const all = await applications.pendingApplications(db, access);
      const rest = after
        ? all.filter((a) => {
            const t = a.createdAt.toISOString();
            return t > after[0] || (t === after[0] && a.id > after[1]);
          })
        : all;
      return toPage(
        rest.slice(0, limit + 1),
        limit,
        (a) => [a.createdAt.toISOString(), a.id],
        (a) => ({
          id: a.id,
          applicant: a.applicant,
          answers: a.questions.map((question, i) => ({ question, answer: a.answers[i] ?? '' })),
          createdAt: a.createdAt.toISOString(),
        }),
      );
    },
  );

  for (const decision of ['approve', 'decline'] as const) {
    api.post(
      `/applications/:id/${decision}`,
      {
        config: { scope: 'moderate' },
        schema: {
          tags: TAGS,
          summary: decision === 'approve' ? 'Approve an application' : 'Decline an application',
          description:
            (decision === 'approve'
              ? 'Makes the applicant a member. '
              : 'Declines the application; the applicant may apply again later. ') +
            'The applicant is told by email and on their notifications page, never by whom; an optional message ' +
            'goes with it. For those who review applications; to anyone else an application does not exist.',
          params: applicationParams,
          body: z.object({ message: z.string().max(2000).optional() }).default({}),
          response: { 200: z.object({ id: z.number().int(), status: z.enum(['approved', 'declined']) }) },
        },
      },
      async (request) => {
        const viewer = apiViewer(request);
        const { id } = request.params;
        await assertTokenReachesApplication(db, request, id);
        await applications.decideApplication(
          db,
          deps.mailer,
          deps.baseUrl,
          viewer,
          id,
          { decision, message: request.body.message },
          deps.events,
        );
        return { id, status: decision === 'approve' ? ('approved' as const) : ('declined' as const) };
      },
    );
  }
};
