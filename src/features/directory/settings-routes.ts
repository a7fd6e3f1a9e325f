import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import { Invalid } from '../../platform/errors.js';
import { formValues } from '../../platform/http/forms.js';
import { pageContext, redirectAfterPost, sendFragment, sendPage } from '../../platform/http/page.js';
import { parseId } from '../../platform/http/params.js';
import { assertSiteAdmin, requireViewer } from '../accounts/index.js';
import { findPlaces } from './places.js';
import { entryProfileValues, entryProfileValuesOf, loadGroupListing, saveGroupListing } from './profile.js';
import { GroupListingPage, PlaceOptions } from './settings-views.js';
import { TopicEditPage, TopicsPage, topicValues } from './topic-views.js';
import { addTopic, listTopicTree, loadTopic, removeTopic, updateTopic } from './topics.js';

type SlugParams = { slug: string };
type IdParams = { id: string };

const placesQuery = z.object({
  q: z.string().max(100).optional(),
  place: z.string().max(100).optional(),
  near: z.string().max(100).optional(),
});

/** One-time messages these pages show after a redirect (?done=…), from this feature's own catalog. */
const doneNotices = {
  listingSaved: 'directorySettings.listing.saved',
  topicAdded: 'directorySettings.topics.added',
  topicSaved: 'directorySettings.topics.savedNotice',
  topicRemoved: 'directorySettings.topics.removed',
} as const;

function contextWithNotice(request: FastifyRequest, reply: FastifyReply) {
  const ctx = pageContext(request, reply);
  const done = (request.query as Record<string, unknown> | undefined)?.done;
  if (typeof done === 'string' && Object.hasOwn(doneNotices, done)) {
    ctx.notice = ctx.t(doneNotices[done as keyof typeof doneNotices]);
  }
  return ctx;
}

export async function directorySettingsRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;
  const postLimit = { config: { rateLimit: deps.limits.post } };

  app.get<{ Params: SlugParams }>('/g/:slug/listing', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const [{ access, profile }, topics] = await Promise.all([
      loadGroupListing(db, request.viewer, request.params.slug),
      listTopicTree(db),
    ]);
    const ctx = contextWithNotice(request, reply);
    const values = entryProfileValuesOf(profile);
    return sendPage(reply, GroupListingPage({ ctx, access, topics, values, searchEngines: profile.searchEngines }));
  });

  app.post<{ Params: SlugParams }>('/g/:slug/listing', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      const access = await saveGroupListing(db, request.viewer, request.params.slug, request.body);
      return redirectAfterPost(request, reply, `/g/${access.group.slug}/listing?done=listingSaved`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const [{ access }, topics] = await Promise.all([
        loadGroupListing(db, request.viewer, request.params.slug),
        listTopicTree(db),
      ]);
      const body = request.body as Record<string, unknown> | undefined;
      return sendPage(
        reply,
        GroupListingPage({
          ctx: pageContext(request, reply),
          access,
          topics,
          values: entryProfileValues(request.body),
          searchEngines: body?.searchEngines === 'on',
          errors: error.fieldErrors,
        }),
        400,
      );
    }
  });

  // Autocomplete for a place's name: <option>s for the field's <datalist> (htmx), or JSON. htmx
  // sends the field under its own name (place, or near in the directory), so any of them is read.
  app.get('/places', { config: { rateLimit: { max: 120, timeWindow: 60_000 } } }, async (request, reply) => {
    const parsed = placesQuery.safeParse(request.query ?? {});
    const text = parsed.success ? (parsed.data.q ?? parsed.data.place ?? parsed.data.near ?? '').trim() : '';
    const places = text.length >= 2 ? findPlaces(text, 8, pageContext(request, reply).locale) : [];
    reply.header('vary', 'accept');
    if (request.headers.accept?.includes('application/json') && !request.headers['hx-request']) {
      return reply.header('cache-control', 'public, max-age=86400').send({ places });
    }
    return sendFragment(reply, PlaceOptions({ places }));
  });

  app.get('/admin/topics', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    assertSiteAdmin(request.viewer);
    const tree = await listTopicTree(db, true);
    return sendPage(reply, TopicsPage({ ctx: contextWithNotice(request, reply), tree }));
  });

  app.post('/admin/topics', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      await addTopic(db, request.viewer, request.body);
      return redirectAfterPost(request, reply, '/admin/topics?done=topicAdded');
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const tree = await listTopicTree(db, true);
      const ctx = pageContext(request, reply);
      return sendPage(
        reply,
        TopicsPage({ ctx, tree, errors: error.fieldErrors, values: formValues(request.body) }),
        400,
      );
    }
  });

  app.get<{ Params: IdParams }>('/admin/topics/:id', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const topic = await loadTopic(db, request.viewer, parseId(request.params.id));
    const tree = await listTopicTree(db);
    const ctx = contextWithNotice(request, reply);
    return sendPage(reply, TopicEditPage({ ctx, topic, tree, values: topicValues(topic) }));
  });

  app.post<{ Params: IdParams }>('/admin/topics/:id', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const id = parseId(request.params.id);
    try {
      await updateTopic(db, request.viewer, id, request.body);
      return redirectAfterPost(request, reply, `/admin/topics/${id}?done=topicSaved`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const [topic, tree] = await Promise.all([loadTopic(db, request.viewer, id), listTopicTree(db)]);
      const ctx = pageContext(request, reply);
      const values = formValues(request.body);
      return sendPage(reply, TopicEditPage({ ctx, topic, tree, errors: error.fieldErrors, values }), 400);
    }
  });

  app.post<{ Params: IdParams }>('/admin/topics/:id/remove', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    await removeTopic(db, request.viewer, parseId(request.params.id));
    return redirectAfterPost(request, reply, '/admin/topics?done=topicRemoved');
  });
}
