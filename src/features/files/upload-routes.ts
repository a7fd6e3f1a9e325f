import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { pageContext } from '../../platform/http/page.js';
import { errorMessage } from '../../platform/views/forms.js';
import { requireViewer } from '../accounts/index.js';
import { accessGroup, assertCanTakePart } from '../groups/index.js';
import { limitsFor, storeAttachment } from './attachments.js';
import { fileUrl } from './service.js';

/** Where an upload is going: 'g:<slug>' (a group's posts and chat) or 'pm' (private messages). */
const placeQuery = z.object({
  place: z.union([z.literal('pm'), z.string().regex(/^g:[a-z0-9-]{1,80}$/)]),
});

/**
 * POST /uploads?place=…: one file, uploaded as soon as it is chosen, dropped or pasted (attach.js).
 * Answers what the form needs to show it and send its id; a refusal is a problem document whose
 * detail is the message to show. The upload is the person's alone until a post or message takes it.
 */
export async function uploadRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;
  app.post('/uploads', { config: { rateLimit: deps.limits.post } }, async (request, reply) => {
    if (!requireViewer(request, reply) || !request.viewer) return reply;
    const query = placeQuery.safeParse(request.query);
    if (!query.success) throw new NotFound();
    let groupId: number | null = null;
    if (query.data.place !== 'pm') {
      const access = await accessGroup(db, request.viewer, query.data.place.slice(2));
      assertCanTakePart(access);
      groupId = access.group.id;
    }
    const upload = (request.uploads ?? []).find((u) => u.field === 'file');
    const ctx = pageContext(request, reply);
    const refuse = (key: string) =>
      reply
        .code(400)
        .type('application/problem+json')
        .send({
          type: 'about:blank',
          title: ctx.t('errors.badRequest.title'),
          status: 400,
          detail: errorMessage(ctx, key),
        });
    if (!upload) return refuse('files.errors.empty');
    if (upload.tooLarge) return refuse('files.errors.tooBig');
    try {
      const limits = await limitsFor(db, deps, groupId);
      const row = await storeAttachment(
        deps,
        { uploaderId: request.viewer.id, groupId, name: upload.filename, bytes: upload.bytes },
        limits,
      );
      const thumb = row.variants.some((v) => v.name === 'thumb.webp') ? 'thumb.webp' : 'main';
      return reply.code(201).send({
        publicId: row.publicId,
        kind: row.kind,
        name: row.name,
        thumbUrl: row.kind === 'image' ? fileUrl(row.publicId, thumb) : null,
        width: row.width,
        height: row.height,
      });
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return refuse(error.fieldErrors.file ?? Object.values(error.fieldErrors)[0] ?? 'files.errors.unreadable');
    }
  });
}
