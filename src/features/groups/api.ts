import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Forbidden, Invalid } from '../../platform/errors.js';
import {
  apiViewer,
  assertTokenReaches,
  problemSchema,
  Unauthenticated,
  type ApiRoutes,
} from '../../platform/http/api.js';
import { nameInGroup } from './aliases.js';
import * as applications from './applications.js';
import * as membership from './membership.js';
import { accessGroup, canModerate, canReadDiscussions, canTakePart, type Actor, type GroupAccess } from './policy.js';

/*
 * Groups through the JSON API: a group as its about page shows it to the caller, and joining,
 * leaving and applying, through the same services (membership.ts, applications.ts) as the pages.
 * Members and applications management is in members-api.ts.
 */

const TAGS = ['Groups'];

/** Changes need a person: a visitor is told to authenticate (401) before anything else is checked. */
export async function requireCaller(request: FastifyRequest): Promise<void> {
  if (!request.viewer) throw new Unauthenticated();
}

export const slugParams = z.object({ slug: z.string().min(1).max(200).describe("The group's address (/g/<slug>).") });

const roleSchema = z.enum(['owner', 'facilitator', 'moderator', 'member']);

/** The caller's own standing in the group: only ever their own. */
const standingSchema = z
  .object({
    member: z.boolean().describe('Holds a membership (a lapsed one in a paid group too).'),
    role: roleSchema.nullable().describe('Their role; null when not a member, or while banned.'),
    applied: z.boolean().describe('Their application waits for a decision.'),
    banned: z.boolean(),
    name: z
      .string()
      .nullable()
      .describe('The name they appear as here (their alias, or their pseudonym); null when not a member.'),
    canRead: z.boolean().describe('May read the discussions.'),
    canTakePart: z.boolean().describe('May start threads, reply and react.'),
    canModerate: z.boolean(),
  })
  .meta({ id: 'GroupStanding' });

export const groupSchema = z
  .object({
    slug: z.string(),
    name: z.string(),
    summary: z.string(),
    description: z.string().describe('Markdown, as its leaders wrote it.'),
    descriptionHtml: z.string().describe('The description rendered and sanitised, as the about page shows it.'),
    tags: z.array(z.string()),
    language: z.string(),
    leadership: z.enum(['peer', 'professional']),
    visibility: z.enum(['public', 'members']).describe('"members": only members read the discussions.'),
    joinPolicy: z.enum(['open', 'approval', 'invitation', 'paid']),
    listed: z.boolean().describe('Unlisted groups are reached only by their address.'),
    memberCount: z.number().int(),
    organisation: z
      .object({ slug: z.string(), name: z.string() })
      .nullable()
      .describe('Who runs the group, if an organisation does.'),
    entryQuestions: z
      .array(z.string())
      .nullable()
      .describe(
        'What an applicant answers (groups that approve members, to a signed-in caller who may apply); else null.',
      ),
    url: z.string().describe("The group's page."),
    you: standingSchema.nullable().describe("The caller's standing; null for a caller who is not signed in."),
  })
  .meta({ id: 'Group' });

function standingOf(access: GroupAccess): z.infer<typeof standingSchema> | null {
  if (!access.actor) return null;
  return {
    member: access.membership !== null,
    role: access.role,
    applied: access.applying,
    banned: access.banned,
    name: access.membership ? nameInGroup(access) : null,
    canRead: canReadDiscussions(access),
    canTakePart: canTakePart(access),
    canModerate: canModerate(access),
  };
}

export function groupJson(access: GroupAccess, baseUrl: string): z.infer<typeof groupSchema> {
  const { group } = access;
  const asksQuestions = group.joinPolicy === 'approval' && access.actor !== null && !access.banned;
  return {
    slug: group.slug,
    name: group.name,
    summary: group.summary,
    description: group.description,
    descriptionHtml: group.descriptionHtml,
    tags: group.tags,
    language: group.language,
    leadership: group.leadership,
    visibility: group.visibility,
    joinPolicy: group.joinPolicy,
    listed: group.listed,
    memberCount: group.memberCount,
    organisation: access.organisation,
    entryQuestions: asksQuestions ? group.entryQuestions : null,
    url: `${baseUrl}/g/${group.slug}`,
    you: standingOf(access),
  };
}

/** A group by its address as this caller may reach it, refused as missing to a token of another organisation. */
export async function apiGroup(
  request: FastifyRequest,
  db: Parameters<typeof accessGroup>[0],
  actor: Actor,
  slug: string,
) {
  const access = await accessGroup(db, actor, slug);
  assertTokenReaches(request, access.group);
  return access;
}

const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };

/** Renames the services' form field names to the API's ("answer-0" → "answers.0"). */
function renameFields(error: Invalid, names: (field: string) => string): Invalid {
  return new Invalid(Object.fromEntries(Object.entries(error.fieldErrors).map(([k, v]) => [names(k), v])));
}

export const groupApiRoutes: ApiRoutes = async (api, deps) => {
  const { db } = deps;
  const baseUrl = deps.baseUrl.replace(/\/$/u, '');

  api.get(
    '/groups/:slug',
    {
      schema: {
        tags: TAGS,
        summary: 'A group',
        description:
          "What the group's about page shows the caller: its name, summary, description, how it is led and " +
          "joined, and the caller's own standing. Unlisted groups are found by their address, as on the site.",
        params: slugParams,
        response: { 200: groupSchema, ...problems },
      },
    },
    async (request) => groupJson(await apiGroup(request, db, request.viewer, request.params.slug), baseUrl),
  );

  api.post(
    '/groups/:slug/join',
    {
      onRequest: requireCaller,
      schema: {
        tags: TAGS,
        summary: 'Join a group',
        description:
          'Joins an open group at once, under an alias when one is given (the name the group will know the caller ' +
          'by). Groups that approve members take applications instead; invitation-only and paid groups are joined ' +
          "on the site (paying a fee needs the group's page). Joining a group one is already in changes nothing.",
        params: slugParams,
        body: z
          .object({ alias: z.string().max(200).optional().describe('The name to go by in this group.') })
          .optional(),
        response: { 200: groupSchema, ...problems },
      },
    },
    async (request) => {
      const viewer = apiViewer(request);
      await apiGroup(request, db, viewer, request.params.slug);
      try {
        return groupJson(
          await membership.joinGroup(db, viewer, request.params.slug, request.body ?? {}, deps.events),
          baseUrl,
        );
      } catch (error) {
        // A fee cannot be paid through the API: the problem says where it can.
        if (error instanceof Forbidden && error.reason === 'groups.errors.paidGroup') {
          throw new Forbidden('api.groups.paidGroup', undefined, { url: `${baseUrl}/g/${request.params.slug}/pay` });
        }
        throw error;
      }
    },
  );

  api.post(
    '/groups/:slug/leave',
    {
      onRequest: requireCaller,
      schema: {
        tags: TAGS,
        summary: 'Leave a group',
        description:
          "Leaves the group. The group's last owner cannot leave (a problem says so) until they name another. " +
          'Leaving a group one is not in changes nothing.',
        params: slugParams,
        response: { 200: groupSchema, ...problems },
      },
    },
    async (request) => {
      const viewer = apiViewer(request);
      await apiGroup(request, db, viewer, request.params.slug);
      await membership.leaveGroup(db, viewer, request.params.slug);
      return groupJson(await accessGroup(db, viewer, request.params.slug), baseUrl);
    },
  );

  api.post(
    '/groups/:slug/applications',
    {
      onRequest: requireCaller,
      schema: {
        tags: TAGS,
        summary: 'Apply to a group',
        description:
          'Applies to a group that approves its members, answering its entry questions (`entryQuestions` of the ' +
          'group, in order), under an alias when one is given: those who review the application see that name. ' +
          'Applying again while an application waits returns that application.',
        params: slugParams,
        body: z.object({
          answers: z.array(z.string()).max(20).default([]).describe('One answer per entry question, in order.'),
          alias: z.string().max(200).optional().describe('The name to go by in this group.'),
        }),
        response: {
          201: z
            .object({
              status: z.enum(['pending', 'approved', 'declined', 'withdrawn']),
              createdAt: z.date(),
              group: groupSchema,
            })
            .meta({ id: 'Application' }),
          ...problems,
        },
      },
    },
    async (request, reply) => {
      const viewer = apiViewer(request);
      await apiGroup(request, db, viewer, request.params.slug);
      const application = await applications
        .applyToGroup(db, viewer, request.params.slug, request.body, deps.events)
        .catch((error: unknown) => {
          throw error instanceof Invalid ? renameFields(error, (f) => f.replace(/^answer-/u, 'answers.')) : error;
        });
      const access = await accessGroup(db, viewer, request.params.slug);
      return reply.status(201).send({
        status: application.status,
        createdAt: application.createdAt,
        group: groupJson(access, baseUrl),
      });
    },
  );
};
