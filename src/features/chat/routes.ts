import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import { Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { pageContext, sendPage } from '../../platform/http/page.js';
import { idParam, parseId } from '../../platform/http/params.js';
import { errorMessage } from '../../platform/views/forms.js';
import type { MessageKey } from '../../platform/views/i18n.js';
import { requireViewer } from '../accounts/index.js';
import {
  assertAttachmentsReady,
  noAttachments,
  receiveAttachments,
  sendsAttachments,
  uploadLimitsFrom,
  type ReceivedAttachments,
} from '../files/attaching.js';
import { accessGroup, assertCanReadDiscussions, type GroupAccess } from '../groups/index.js';
import { accessOccurrence } from '../meetings/index.js';
import { crisisPanelFor } from '../safety/index.js';
import * as controls from './controls.js';
import { roomExtensionColumns, roomExtras, type MeetingRoomPage, type RoomExtension } from './extensions.js';
import {
  accessRoom,
  assertMayPostIn,
  canReadRoom,
  roomMeeting,
  roomPath,
  roomState,
  takingPartRefusal,
  type RoomMeeting,
} from './policy.js';
import { openRoom, readMessages } from './rooms.js';
import { postMessage } from './service.js';
import { chatTopic } from './topic.js';
import { refusalText, RoomPageView } from './views.js';

/** A message id in a query: a whole number (message ids outgrow integers in time). */
const messageId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const pageQuery = z.object({
  after: messageId.optional().catch(undefined),
  before: messageId.optional().catch(undefined),
});

const wantsJson = (request: FastifyRequest) => String(request.headers.accept ?? '').includes('application/json');

/** A group's chat room and a meeting's live room: history, posting, facilitator controls, live topics. */
export async function chatRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;
  const postLimit = { config: { rateLimit: deps.limits.post } };

  // Whoever may read a room may follow it live (at /live), and no one else.
  const live = chatTopic(db, deps.bus);
  deps.live.add('chat', live.topic);
  app.addHook('onClose', async () => live.close());
  // What other features add to a meeting's room (its circle); they push theirs after these routes.
  app.decorate('roomExtensions', [] as RoomExtension[]);

  interface Shown {
    before?: number | undefined;
    body?: string;
    error?: string;
    status?: number;
    /** A refused message's photos and files (kept, to be sent again), and what to change about them. */
    attach?: { pending: ReceivedAttachments['pending']; errors: Record<string, string>; alt: string };
    /** An extension's own address for the room (extensions.ts). */
    focus?: string;
  }

  /** A room's page, for someone who may read it (the room is made the first time it is opened). */
  async function showRoom(
    request: FastifyRequest,
    reply: FastifyReply,
    access: GroupAccess,
    meeting: RoomMeeting | null,
    shown: Shown = {},
  ) {
    if (!canReadRoom(access, null)) throw new Forbidden('groups.errors.banned');
    const support = idParam.safeParse((request.query as { support?: unknown }).support);
    const extensions = roomExtensionColumns(app.roomExtensions, request.viewer, meeting?.occurrence.id ?? null);
    const [page, crisisPanel] = await Promise.all([
      openRoom(db, access, meeting?.occurrence.id ?? null, shown.before, extensions),
      support.success
        ? crisisPanelFor(db, request.viewer, support.data, request.headers['accept-language'])
        : Promise.resolve(null),
    ]);
    if (!canReadRoom(access, page.me)) throw new Forbidden('chat.errors.removed');
    const state = roomState(page.room, meeting);
    const refusal =
      takingPartRefusal({ access, me: page.me }) ??
      (state.cancelled ? { key: 'chat.errors.cancelled' as MessageKey } : null);
    const ctx = pageContext(request, reply);
    const focus = shown.focus ?? null;
    const extras = meeting
      ? roomExtras(app.roomExtensions, page.extra, ctx, { access, meeting, state, refusal, page, focus })
      : [];
    const elsewhere = focus ? extras.find((x) => x.redirect)?.redirect : undefined;
    if (elsewhere) return reply.redirect(elsewhere, 303);
    const attach = { limits: uploadLimitsFrom(deps.uploads, page.attachLimits), ...shown.attach };
    return sendPage(
      reply,
      RoomPageView({ ctx, access, page, meeting, state, refusal, crisisPanel, ...shown, attach, extras }),
      shown.status ?? 200,
    );
  }

  const before = (request: FastifyRequest) => pageQuery.parse(request.query ?? {}).before;

  app.get<{ Params: { slug: string } }>('/g/:slug/chat', async (request, reply) => {
    const access = await accessGroup(db, request.viewer, request.params.slug);
    assertCanReadDiscussions(access);
    return showRoom(request, reply, access, null, { before: before(request) });
  });

  /** A meeting's occurrence, as the meetings feature lets this person see it; NotFound unless it meets online. */
  async function meetingOf(request: FastifyRequest, occurrenceId: number) {
    const found = await accessOccurrence(db, request.viewer, occurrenceId).catch((error: unknown) => {
      // One the person may not read does not exist, as a discussion does not.
      if (error instanceof Forbidden) throw new NotFound();
      throw error;
    });
    if (found.meeting.kind !== 'online') throw new NotFound();
    return found;
  }

  app.get<{ Params: { occurrenceId: string } }>('/meetings/:occurrenceId/room', async (request, reply) => {
    const found = await meetingOf(request, parseId(request.params.occurrenceId));
    return showRoom(request, reply, found.access, found, { before: before(request) });
  });

  app.decorate('meetingRoomPage', (async (request, reply, occurrenceId, focus) => {
    const found = await meetingOf(request, occurrenceId);
    return showRoom(request, reply, found.access, found, { focus });
  }) satisfies MeetingRoomPage);

  /** The room's page again, with a message that was not sent and why. */
  async function showRoomById(request: FastifyRequest, reply: FastifyReply, roomId: number, shown: Shown) {
    const ra = await accessRoom(db, request.viewer, roomId);
    const meeting = await roomMeeting(db, request.viewer, ra.room);
    return showRoom(request, reply, ra.access, meeting, shown);
  }

  /** A refusal as the person reads it: what to change, or why not now. */
  function refusalOf(request: FastifyRequest, reply: FastifyReply, error: Invalid | Forbidden): string {
    const ctx = pageContext(request, reply);
    if (error instanceof Invalid) {
      const key = error.fieldErrors.body ?? error.fieldErrors[''] ?? Object.values(error.fieldErrors)[0];
      return key ? errorMessage(ctx, key) : ctx.t('forms.invalid');
    }
    return refusalText(ctx, { key: error.reason as MessageKey, ...(error.vars ? { vars: error.vars } : {}) });
  }

  /**
   * The photos and files a message's form brings (stored now when sent with it), once the person
   * is known to be able to write in the room now: nothing is stored for someone who may not.
   */
  async function attachmentsFor(request: FastifyRequest, roomId: number): Promise<ReceivedAttachments> {
    if (!request.viewer || !sendsAttachments(request)) return noAttachments;
    const ra = await accessRoom(db, request.viewer, roomId);
    assertMayPostIn(ra, roomState(ra.room, await roomMeeting(db, request.viewer, ra.room)));
    return receiveAttachments(deps, request, request.viewer.id, { groupId: ra.room.groupId });
  }

  app.post<{ Params: { roomId: string } }>(
    '/chat/rooms/:roomId/messages',
    {
      ...postLimit,
      // The island posts with fetch and reads JSON, also when it is sending too fast.
      errorHandler: (error, request, reply) => {
        if ((error as { statusCode?: number }).statusCode === 429 && wantsJson(request)) {
          return reply.code(429).send({ error: pageContext(request, reply).t('chat.room.tooFast') });
        }
        throw error;
      },
    },
    async (request, reply) => {
      if (!requireViewer(request, reply)) return reply;
      const roomId = parseId(request.params.roomId);
      let received = noAttachments;
      try {
        received = await attachmentsFor(request, roomId);
        assertAttachmentsReady(received);
        const sent = await postMessage(db, request.viewer, roomId, request.body, deps, received);
        const path = roomPath(sent.room.room, sent.room.access.group.slug);
        // Words that read as a crisis: the room opens with help for its author in front of them.
        const help = sent.crisisAlertId === null ? null : `${path}?support=${sent.crisisAlertId}#crisis-panel`;
        if (wantsJson(request)) return reply.header('cache-control', 'no-store').send({ message: sent.message, help });
        return reply.redirect(help ?? `${path}#chat-form`, 303);
      } catch (error) {
        if (!(error instanceof Invalid || error instanceof Forbidden)) throw error;
        const status = error instanceof Invalid ? 400 : 403;
        const text = refusalOf(request, reply, error);
        if (wantsJson(request)) return reply.code(status).send({ error: text });
        const { body, alt } = (request.body ?? {}) as { body?: unknown; alt?: unknown };
        const errors = error instanceof Invalid ? error.fieldErrors : {};
        return showRoomById(request, reply, roomId, {
          body: typeof body === 'string' ? body : '',
          error: text,
          status,
          attach: { pending: received.pending, errors, alt: typeof alt === 'string' ? alt : '' },
        });
      }
    },
  );

  // A page of messages as JSON: those after one the page has (catching up), or before one (older history).
  app.get<{ Params: { roomId: string } }>('/chat/rooms/:roomId/messages', async (request, reply) => {
    const ra = await accessRoom(db, request.viewer, parseId(request.params.roomId));
    const { after, before } = pageQuery.parse(request.query ?? {});
    const page = await readMessages(db, ra, { after, before });
    return reply.header('cache-control', 'no-store').send({
      roomId: ra.room.id,
      ...page,
      paused: ra.room.pausedAt !== null,
      ended: ra.room.endedAt !== null,
      muted: ra.me?.mutedAt != null,
    });
  });

  /** After a leader's action: back to the room with a notice, or nothing to say for the island. */
  function done(
    request: FastifyRequest,
    reply: FastifyReply,
    ra: { room: { occurrenceId: number | null }; access: GroupAccess },
    notice: string,
  ) {
    if (wantsJson(request)) return reply.code(204).send();
    return reply.redirect(`${roomPath(ra.room, ra.access.group.slug)}?notice=${notice}`, 303);
  }

  for (const [action, notice] of [
    ['pause', 'chatPaused'],
    ['resume', 'chatResumed'],
  ] as const) {
    app.post<{ Params: { roomId: string } }>(`/chat/rooms/:roomId/${action}`, async (request, reply) => {
      if (!requireViewer(request, reply)) return reply;
      const roomId = parseId(request.params.roomId);
      const ra = await controls.setPaused(db, request.viewer, roomId, action === 'pause', deps);
      return done(request, reply, ra, notice);
    });
  }

  app.post<{ Params: { roomId: string } }>('/chat/rooms/:roomId/end', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const ra = await controls.endMeeting(db, request.viewer, parseId(request.params.roomId), deps);
    // What other features hold in the room ends with the meeting (its voice or video circle).
    const occurrenceId = ra.room.occurrenceId;
    if (occurrenceId !== null && request.viewer) {
      for (const extension of app.roomExtensions) {
        await extension.ended?.(request.viewer, occurrenceId).catch((error: unknown) => {
          request.log.error({ err: error }, `ending ${extension.name} with the meeting`);
        });
      }
    }
    return done(request, reply, ra, 'chatEnded');
  });

  app.post<{ Params: { roomId: string; messageId: string } }>(
    '/chat/rooms/:roomId/messages/:messageId/remove',
    async (request, reply) => {
      if (!requireViewer(request, reply)) return reply;
      const id = messageId.safeParse(request.params.messageId);
      if (!id.success) throw new NotFound();
      const ra = await controls.removeMessage(db, request.viewer, parseId(request.params.roomId), id.data, deps);
      return done(request, reply, ra, 'chatMessageRemoved');
    },
  );

  // People are named as the group knows them, never by an account id, as on the member list.
  for (const [action, notice] of [
    ['mute', 'chatMuted'],
    ['unmute', 'chatUnmuted'],
    ['remove', 'chatRemoved'],
  ] as const) {
    app.post<{ Params: { roomId: string; name: string } }>(
      `/chat/rooms/:roomId/participants/:name/${action}`,
      async (request, reply) => {
        if (!requireViewer(request, reply)) return reply;
        const roomId = parseId(request.params.roomId);
        const ra = await controls.setParticipant(db, request.viewer, roomId, request.params.name, action, deps);
        return done(request, reply, ra, notice);
      },
    );
  }
}
