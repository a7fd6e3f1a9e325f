import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { pageContext, sendPage } from '../../platform/http/page.js';
import { parseId } from '../../platform/http/params.js';
import { ErrorPage } from '../../platform/views/error-page.js';
import { formValues } from '../../platform/http/forms.js';
import { errorMessage } from '../../platform/views/forms.js';
import type { MessageKey } from '../../platform/views/i18n.js';
import { requireViewer } from '../accounts/index.js';
import { nameInGroup } from '../groups/index.js';
import { refusalText, type Refusal } from '../chat/index.js';
import * as controls from './controls.js';
import { CIRCLE_FOCUS, circleRoomExtension } from './extension.js';
import { stateFor } from './frames.js';
import { iceFor } from './ice.js';
import { circleMediaFor } from './media.js';
import { actOnSelf, type MemberAction } from './member.js';
import { accessCirclePlace, assertInCircle, hidesByDefault, isOpen, joinRefusal } from './policy.js';
import { endCircle, joinCircle, leaveCircle, openCircle, type CircleEffects } from './service.js';
import { readCircleSettings, saveCircleSettings } from './settings.js';
import { stateOf, withSelf } from './state.js';
import { circleTopic } from './topic.js';
import { CheckPage, circlePath, roomPath, SettingsPage } from './views.js';

const wantsJson = (request: FastifyRequest) => String(request.headers.accept ?? '').includes('application/json');

type OccurrenceRequest = FastifyRequest<{ Params: { occurrenceId: string } }>;

/**
 * Voice and video circles: a meeting's circle (its page beside the live chat, the device check,
 * joining, every control as a plain form that the island also posts with fetch), its ICE servers,
 * the "circle" live topic, and a group's circle settings.
 */
export async function circleRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;
  const media = circleMediaFor(deps);
  const effects: CircleEffects = {
    bus: deps.bus,
    media,
    circles: deps.circles,
    log: (error, what) => app.log.error({ err: error }, what),
  };
  // Only the people in a circle may follow it live, and send its signals.
  const live = circleTopic(db, deps.bus, media);
  deps.live.add('circle', live.topic);
  app.addHook('onClose', async () => {
    live.close();
    // Janus's session (when circles use Janus): its long poll and keepalives end here.
    await media.close?.();
  });
  // The circle's panel in the meeting's live room, and the circle beside its chat.
  // Ending the meeting in its room ends its circle too, when one is open.
  const extension: typeof circleRoomExtension = {
    ...circleRoomExtension,
    async ended(viewer, occurrenceId) {
      const place = await accessCirclePlace(db, viewer, occurrenceId);
      if (place.circle && isOpen(place.circle)) await endCircle(db, viewer, occurrenceId, effects);
    },
  };
  app.roomExtensions.push(extension as (typeof app.roomExtensions)[number]);

  const occurrenceOf = (request: OccurrenceRequest) => parseId(request.params.occurrenceId);

  /** The device check and the join form, with why a join was refused when it was. */
  async function showCheck(
    request: FastifyRequest,
    reply: FastifyReply,
    occurrenceId: number,
    shown: { refusal?: Refusal; hideAddress?: boolean; status?: number } = {},
  ) {
    const place = await accessCirclePlace(db, request.viewer, occurrenceId);
    const ctx = pageContext(request, reply);
    const page = CheckPage({
      ctx,
      place,
      refusal: shown.refusal ?? joinRefusal(place),
      hideAddress: shown.hideAddress ?? hidesByDefault(place),
      relay: deps.circles.turn !== undefined,
    });
    return sendPage(reply, page, shown.status ?? 200);
  }

  app.get<{ Params: { occurrenceId: string } }>('/meetings/:occurrenceId/circle/check', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    return showCheck(request, reply, occurrenceOf(request));
  });

  app.post<{ Params: { occurrenceId: string } }>('/meetings/:occurrenceId/circle/join', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const occurrenceId = occurrenceOf(request);
    try {
      await joinCircle(db, request.viewer, occurrenceId, request.body, effects);
    } catch (error) {
      if (!(error instanceof Forbidden || error instanceof Invalid)) throw error;
      const refusal: Refusal =
        error instanceof Forbidden
          ? { key: error.reason as MessageKey, ...(error.vars ? { vars: error.vars } : {}) }
          : { key: 'forms.invalid' };
      const status = error instanceof Invalid ? 400 : 403;
      if (wantsJson(request))
        return reply.code(status).send({ error: refusalText(pageContext(request, reply), refusal) });
      const hideAddress = formValues(request.body).hideAddress === 'on';
      return showCheck(request, reply, occurrenceId, { refusal, hideAddress, status });
    }
    if (wantsJson(request)) return reply.code(204).send();
    return reply.redirect(circlePath(occurrenceId), 303);
  });

  app.get<{ Params: { occurrenceId: string } }>('/meetings/:occurrenceId/circle', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    return app.meetingRoomPage(request, reply, occurrenceOf(request), CIRCLE_FOCUS);
  });

  // The state as this person sees it, for a page catching up after a lost connection.
  app.get<{ Params: { occurrenceId: string } }>('/meetings/:occurrenceId/circle/state', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const place = await accessCirclePlace(db, request.viewer, occurrenceOf(request), { participants: true });
    let found;
    try {
      found = assertInCircle(place);
    } catch (error) {
      if (error instanceof Forbidden) throw new NotFound();
      throw error;
    }
    const here = withSelf(place.participants ?? [], found.me, nameInGroup(place.access) ?? '');
    const { circleId, circle, you, participants } = stateFor(stateOf(found.circle, here), found.me.id);
    return reply.header('cache-control', 'no-store').send({ circleId, circle, you, participants });
  });

  /**
   * After a change: 204 for the island, or back to the circle (or elsewhere) for a plain form.
   * A refusal reads as a sentence: JSON for the island, the error page for a form.
   */
  async function act(
    request: FastifyRequest,
    reply: FastifyReply,
    change: () => Promise<unknown>,
    then: string,
  ): Promise<FastifyReply> {
    try {
      await change();
    } catch (error) {
      if (!(error instanceof Forbidden || error instanceof Invalid)) throw error;
      const ctx = pageContext(request, reply);
      const key = error instanceof Forbidden ? error.reason : (Object.values(error.fieldErrors)[0] ?? 'forms.invalid');
      const status = error instanceof Invalid ? 400 : 403;
      if (wantsJson(request)) {
        const text =
          error instanceof Forbidden
            ? refusalText(ctx, { key: key as MessageKey, ...(error.vars ? { vars: error.vars } : {}) })
            : errorMessage(ctx, key);
        return reply.code(status).send({ error: text });
      }
      if (error instanceof Forbidden) throw error;
      return sendPage(reply, ErrorPage({ ctx, kind: 'badRequest', reason: key }), 400);
    }
    if (wantsJson(request)) return reply.code(204).send();
    return reply.redirect(then, 303);
  }

  app.post<{ Params: { occurrenceId: string } }>('/meetings/:occurrenceId/circle/open', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const occurrenceId = occurrenceOf(request);
    // The leader who opens it goes on to join it.
    return act(
      request,
      reply,
      () => openCircle(db, request.viewer, occurrenceId, request.body, effects),
      `${circlePath(occurrenceId)}/check`,
    );
  });

  const own: Record<string, (occurrenceId: number, request: FastifyRequest) => Promise<unknown>> = {
    leave: (id, r) => leaveCircle(db, r.viewer, id, effects),
    end: (id, r) => endCircle(db, r.viewer, id, effects),
    'pass-stick': (id, r) => controls.passStick(db, r.viewer, id, effects),
    'mute-all': (id, r) => controls.muteAll(db, r.viewer, id, effects),
    lock: (id, r) => controls.setLocked(db, r.viewer, id, true, effects),
    unlock: (id, r) => controls.setLocked(db, r.viewer, id, false, effects),
    mode: (id, r) => controls.setMode(db, r.viewer, id, r.body, effects),
    timer: (id, r) => controls.setShareTimer(db, r.viewer, id, r.body, effects),
    'start-share': (id, r) => controls.startShare(db, r.viewer, id, effects),
  };
  for (const action of ['mute', 'unmute', 'raise-hand', 'lower-hand', 'camera-on', 'camera-off'] as const) {
    own[action] = (id, r) => actOnSelf(db, r.viewer, id, action satisfies MemberAction, effects);
  }
  // Leaving and ending lead back to the live room; everything else, back to the circle.
  const after: Record<string, (occurrenceId: number) => string> = {
    leave: (id) => `${roomPath(id)}?notice=circleLeft`,
    end: (id) => `${roomPath(id)}?notice=circleEnded`,
  };
  for (const [action, run] of Object.entries(own)) {
    app.post<{ Params: { occurrenceId: string } }>(
      `/meetings/:occurrenceId/circle/${action}`,
      async (request, reply) => {
        if (!requireViewer(request, reply)) return reply;
        const id = occurrenceOf(request);
        return act(request, reply, () => run(id, request), after[action]?.(id) ?? circlePath(id));
      },
    );
  }

  for (const action of ['admit', 'remove', 'mute', 'allow-unmute', 'give-stick'] as const) {
    app.post<{ Params: { occurrenceId: string; pid: string } }>(
      `/meetings/:occurrenceId/circle/participants/:pid/${action}`,
      async (request, reply) => {
        if (!requireViewer(request, reply)) return reply;
        const id = parseId(request.params.occurrenceId);
        const pid = parseId(request.params.pid);
        return act(
          request,
          reply,
          () => controls.actOnParticipant(db, request.viewer, id, pid, action, effects),
          circlePath(id),
        );
      },
    );
  }

  app.get<{ Params: { circleId: string } }>('/circles/:circleId/ice', async (request, reply) => {
    const ice = await iceFor(db, request.viewer, parseId(request.params.circleId), deps.circles);
    // Fresh credentials for this person: never kept by any cache.
    return reply.header('cache-control', 'no-store').send(ice);
  });

  app.get<{ Params: { slug: string } }>('/g/:slug/circles/settings', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const form = await readCircleSettings(db, request.viewer, request.params.slug);
    const ctx = pageContext(request, reply);
    return sendPage(reply, SettingsPage({ ctx, form, relay: deps.circles.turn !== undefined }));
  });

  app.post<{ Params: { slug: string } }>('/g/:slug/circles/settings', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    return act(
      request,
      reply,
      () => saveCircleSettings(db, request.viewer, request.params.slug, request.body),
      `/g/${request.params.slug}/circles/settings?notice=circleSettingsSaved`,
    );
  });
}
