import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import type { Db } from '../../platform/db/client.js';
import { Invalid } from '../../platform/errors.js';
import { formValues } from '../../platform/http/forms.js';
import { pageContext, redirectAfterPost, sendPage } from '../../platform/http/page.js';
import { requireViewer } from '../accounts/index.js';
import { NamePage } from './alias-views.js';
import { setAlias } from './aliases.js';
import { readAudit } from './audit.js';
import * as leadership from './leadership.js';
import * as membership from './membership.js';
import { AuditPage, MembersPage, NotesPage, RemoveMemberPage } from './members-views.js';
import { accessGroup, assertCanModerate, assertCanSeeMembers, assertIsLeader, canModerate } from './policy.js';
import { listMembers } from './service.js';

type SlugParams = { slug: string };
/** A person inside a group is named in URLs by their name there (alias or pseudonym), never by anything else. */
type MemberParams = { slug: string; name: string };

/** The member list, with leaders' tools; members in good standing and moderators may see it. */
export async function renderMembers(
  db: Db,
  request: FastifyRequest<{ Params: SlugParams }>,
  reply: FastifyReply,
  errors = {},
  status = 200,
) {
  const access = await accessGroup(db, request.viewer, request.params.slug);
  assertCanSeeMembers(access);
  const [members, bans] = await Promise.all([
    listMembers(db, access.group.id, request.viewer?.id ?? null),
    canModerate(access) ? membership.listBans(db, access) : Promise.resolve([]),
  ]);
  const facilitators = members.filter((m) => m.role === 'facilitator');
  // Members who chose to keep their membership to themselves are listed only for the group's
  // leaders (who need to see everyone), and for themselves; leaders are always shown as leaders.
  const shown = canModerate(access) ? members : members.filter((m) => !m.hidden || m.role !== 'member' || m.self);
  const ctx = pageContext(request, reply);
  return sendPage(reply, MembersPage({ ctx, access, members: shown, facilitators, bans, errors }), status);
}

/** The name page again with what the person typed and why it was refused (also after a refused join). */
export async function renderNamePage(
  db: Db,
  request: FastifyRequest<{ Params: SlugParams }>,
  reply: FastifyReply,
  errors: Record<string, string>,
  values: Record<string, string>,
) {
  const access = await accessGroup(db, request.viewer, request.params.slug);
  return sendPage(reply, NamePage({ ctx: pageContext(request, reply), access, errors, values }), 400);
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

  app.post<{ Params: MemberParams }>('/g/:slug/members/:name/role', (request, reply) =>
    act(
      request,
      reply,
      () => membership.setMemberRole(db, request.viewer, request.params.slug, request.params.name, request.body),
      'roleChanged',
    ),
  );

  app.get<{ Params: MemberParams }>('/g/:slug/members/:name/remove', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const access = await accessGroup(db, request.viewer, request.params.slug);
    assertCanModerate(access);
    const ctx = pageContext(request, reply);
    return sendPage(reply, RemoveMemberPage({ ctx, access, name: request.params.name }));
  });

  app.post<{ Params: MemberParams }>('/g/:slug/members/:name/remove', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const { slug, name } = request.params;
    try {
      await membership.removeMember(db, request.viewer, slug, name, request.body, deps);
      return redirectAfterPost(request, reply, `/g/${slug}/members?notice=memberRemoved`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const access = await accessGroup(db, request.viewer, slug);
      const ctx = pageContext(request, reply);
      const values = formValues(request.body);
      return sendPage(reply, RemoveMemberPage({ ctx, access, name, errors: error.fieldErrors, values }), 400);
    }
  });

  app.post<{ Params: MemberParams }>('/g/:slug/bans/:name/lift', (request, reply) =>
    act(
      request,
      reply,
      () => membership.unbanMember(db, request.viewer, request.params.slug, request.params.name),
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

  app.post<{ Params: MemberParams }>('/g/:slug/members/:name/verify', (request, reply) =>
    act(
      request,
      reply,
      () => leadership.verifyCredential(db, request.viewer, request.params.slug, request.params.name),
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
    const notes = await leadership.notesAbout(db, access, request.params.name);
    const ctx = pageContext(request, reply);
    const name = request.params.name;
    return sendPage(reply, NotesPage({ ctx, access, name, notes, errors, values }), status);
  }

  app.get<{ Params: MemberParams }>('/g/:slug/members/:name/notes', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    return renderNotes(request, reply);
  });

  app.post<{ Params: MemberParams }>('/g/:slug/members/:name/notes', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const { slug, name } = request.params;
    try {
      await leadership.addNote(db, request.viewer, slug, name, request.body);
      return redirectAfterPost(request, reply, `/g/${slug}/members/${encodeURIComponent(name)}/notes`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderNotes(request, reply, error.fieldErrors, formValues(request.body), 400);
    }
  });

  app.post<{ Params: SlugParams & { postId: string } }>('/g/:slug/bans/anonymous/:postId/lift', (request, reply) =>
    act(
      request,
      reply,
      () => membership.liftAnonymousBan(db, request.viewer, request.params.slug, request.params.postId),
      'banLifted',
    ),
  );

  // "How you appear in this group": a member's alias there; for someone not yet in, the way in under one.
  app.get<{ Params: SlugParams }>('/g/:slug/name', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const access = await accessGroup(db, request.viewer, request.params.slug);
    return sendPage(reply, NamePage({ ctx: pageContext(request, reply), access }));
  });

  app.post<{ Params: SlugParams }>('/g/:slug/name', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      await setAlias(db, request.viewer, request.params.slug, request.body);
      return redirectAfterPost(request, reply, `/g/${request.params.slug}/name?notice=nameSaved`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderNamePage(db, request, reply, error.fieldErrors, formValues(request.body));
    }
  });

  app.get<{ Params: SlugParams }>('/g/:slug/audit', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const access = await accessGroup(db, request.viewer, request.params.slug);
    const entries = await readAudit(db, access);
    return sendPage(reply, AuditPage({ ctx: pageContext(request, reply), access, entries }));
  });
}
