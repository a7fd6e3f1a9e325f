import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import type { Db } from '../../platform/db/client.js';
import { Forbidden, Invalid } from '../../platform/errors.js';
import { formValues } from '../../platform/http/forms.js';
import { pageContext, redirectAfterPost, sendPage } from '../../platform/http/page.js';
import { requireViewer } from '../accounts/index.js';
import { readAudit } from './audit.js';
import * as leadership from './leadership.js';
import * as membership from './membership.js';
import { AuditPage, MembersPage, NotesPage, RemoveMemberPage } from './members-views.js';
import { accessGroup, assertCanModerate, assertIsLeader, canModerate, canSeeMembers } from './policy.js';
import { listMembers } from './service.js';

type SlugParams = { slug: string };
type MemberParams = { slug: string; pseudonym: string };

/** The member list, with leaders' tools; members in good standing and moderators may see it. */
export async function renderMembers(
  db: Db,
  request: FastifyRequest<{ Params: SlugParams }>,
  reply: FastifyReply,
  errors = {},
  status = 200,
) {
  const access = await accessGroup(db, request.viewer, request.params.slug);
  if (!canSeeMembers(access)) throw new Forbidden('groups.errors.joinFirst');
  const [members, bans] = await Promise.all([
    listMembers(db, access.group.id),
    canModerate(access) ? membership.listBans(db, access) : Promise.resolve([]),
  ]);
  const facilitators = members.filter((m) => m.role === 'facilitator');
  const ctx = pageContext(request, reply);
  return sendPage(reply, MembersPage({ ctx, access, members, facilitators, bans, errors }), status);
}

export async function memberRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  /** Runs a state change; a refusal with field errors shows the member list again with the message. */
  async function act(
    request: FastifyRequest<{ Params: SlugParams }>,
    reply: FastifyReply,
    change: () => Promise<unknown>,
    notice: string,
  ) {
    if (!requireViewer(request, reply)) return reply;
    try {
      await change();
      return redirectAfterPost(request, reply, `/g/${request.params.slug}/members?notice=${notice}`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderMembers(db, request, reply, error.fieldErrors, 400);
    }
  }

  app.get<{ Params: SlugParams }>('/g/:slug/members', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    return renderMembers(db, request, reply);
  });

  app.post<{ Params: MemberParams }>('/g/:slug/members/:pseudonym/role', (request, reply) =>
    act(
      request,
      reply,
      () => membership.setMemberRole(db, request.viewer, request.params.slug, request.params.pseudonym, request.body),
      'roleChanged',
    ),
  );

  app.get<{ Params: MemberParams }>('/g/:slug/members/:pseudonym/remove', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const access = await accessGroup(db, request.viewer, request.params.slug);
    assertCanModerate(access);
    const ctx = pageContext(request, reply);
    return sendPage(reply, RemoveMemberPage({ ctx, access, pseudonym: request.params.pseudonym }));
  });

  app.post<{ Params: MemberParams }>('/g/:slug/members/:pseudonym/remove', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const { slug, pseudonym } = request.params;
    try {
      await membership.removeMember(db, request.viewer, slug, pseudonym, request.body);
      return redirectAfterPost(request, reply, `/g/${slug}/members?notice=memberRemoved`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const access = await accessGroup(db, request.viewer, slug);
      const ctx = pageContext(request, reply);
      const values = formValues(request.body);
      return sendPage(reply, RemoveMemberPage({ ctx, access, pseudonym, errors: error.fieldErrors, values }), 400);
    }
  });

  app.post<{ Params: MemberParams }>('/g/:slug/bans/:pseudonym/lift', (request, reply) =>
    act(
      request,
      reply,
      () => membership.unbanMember(db, request.viewer, request.params.slug, request.params.pseudonym),
      'banLifted',
    ),
  );

  app.post<{ Params: SlugParams }>('/g/:slug/credential', (request, reply) =>
    act(
      request,
      reply,
      () => leadership.setCredential(db, request.viewer, request.params.slug, request.body),
      'credentialSaved',
    ),
  );

  app.post<{ Params: MemberParams }>('/g/:slug/members/:pseudonym/verify', (request, reply) =>
    act(
      request,
      reply,
      () => leadership.verifyCredential(db, request.viewer, request.params.slug, request.params.pseudonym),
      'credentialVerified',
    ),
  );

  async function renderNotes(
    request: FastifyRequest<{ Params: MemberParams }>,
    reply: FastifyReply,
    errors = {},
    values = {},
    status = 200,
  ) {
    const access = await accessGroup(db, request.viewer, request.params.slug);
    assertIsLeader(access);
    const notes = await leadership.notesAbout(db, access, request.params.pseudonym);
    const ctx = pageContext(request, reply);
    const pseudonym = request.params.pseudonym;
    return sendPage(reply, NotesPage({ ctx, access, pseudonym, notes, errors, values }), status);
  }

  app.get<{ Params: MemberParams }>('/g/:slug/members/:pseudonym/notes', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    return renderNotes(request, reply);
  });

  app.post<{ Params: MemberParams }>('/g/:slug/members/:pseudonym/notes', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const { slug, pseudonym } = request.params;
    try {
      await leadership.addNote(db, request.viewer, slug, pseudonym, request.body);
      return redirectAfterPost(request, reply, `/g/${slug}/members/${encodeURIComponent(pseudonym)}/notes`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderNotes(request, reply, error.fieldErrors, formValues(request.body), 400);
    }
  });

  app.get<{ Params: SlugParams }>('/g/:slug/audit', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const access = await accessGroup(db, request.viewer, request.params.slug);
    const entries = await readAudit(db, access);
    return sendPage(reply, AuditPage({ ctx: pageContext(request, reply), access, entries }));
  });
}
