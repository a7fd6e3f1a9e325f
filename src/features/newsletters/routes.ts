import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { Invalid } from '../../platform/errors.js';
import { formValues } from '../../platform/http/forms.js';
import { pageContext, redirectAfterPost, sendPage } from '../../platform/http/page.js';
import { parseId } from '../../platform/http/params.js';
import type { FieldErrors } from '../../platform/views/forms.js';
import { requireViewer } from '../accounts/index.js';
import { isLeader } from '../groups/index.js';
import * as service from './service.js';
import { ConfirmPage, NewsletterFormPage, NewsletterPage, NewslettersPage, UnsubscribePage } from './views.js';

type SlugParams = { slug: string };
type IdParams = { slug: string; id: string };
type TokenParams = { token: string };

/** Writing, previewing, scheduling and reading newsletters; public sign-up, confirmation and unsubscribe. */
export async function newsletterRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;
  const links = { ...deps.mail, baseUrl: deps.baseUrl.replace(/\/$/u, '') };
  const postLimit = { config: { rateLimit: deps.limits.post } };
  const at = (slug: string, id?: number) => `/g/${slug}/newsletters${id === undefined ? '' : `/${id}`}`;

  async function renderList(
    request: FastifyRequest<{ Params: SlugParams }>,
    reply: FastifyReply,
    errors?: FieldErrors,
  ) {
    const page = await service.newslettersPage(db, request.viewer, request.params.slug);
    return sendPage(
      reply,
      NewslettersPage({
        ctx: pageContext(request, reply),
        page,
        leader: isLeader(page.access),
        errors,
        values: errors ? formValues(request.body) : {},
      }),
      errors ? 400 : 200,
    );
  }

  async function renderNewsletter(
    request: FastifyRequest<{ Params: IdParams }>,
    reply: FastifyReply,
    errors?: FieldErrors,
  ) {
    const { access, newsletter } = await service.readNewsletter(
      db,
      request.viewer,
      request.params.slug,
      parseId(request.params.id),
    );
    return sendPage(
      reply,
      NewsletterPage({
        ctx: pageContext(request, reply),
        access,
        newsletter,
        leader: isLeader(access),
        errors,
        values: errors ? formValues(request.body) : {},
      }),
      errors ? 400 : 200,
    );
  }

  /** Runs a leader's action on a newsletter; a refusal of its input shows the newsletter's page with the message. */
  function action(
    path: string,
    run: (request: FastifyRequest<{ Params: IdParams }>, id: number) => Promise<string>,
  ): void {
    app.post<{ Params: IdParams }>(`/g/:slug/newsletters/:id/${path}`, postLimit, async (request, reply) => {
      if (!requireViewer(request, reply)) return reply;
      const id = parseId(request.params.id);
      try {
        const notice = await run(request, id);
        return redirectAfterPost(request, reply, `${at(request.params.slug, id)}?notice=${notice}`);
      } catch (error) {
        if (!(error instanceof Invalid)) throw error;
        return renderNewsletter(request, reply, error.fieldErrors);
      }
    });
  }

  // The archive and sign-up -----------------------------------------------------------------------

  app.get<{ Params: SlugParams }>('/g/:slug/newsletters', async (request, reply) => renderList(request, reply));

  // Limited like sign-up: each request can send a message to an address someone typed.
  app.post<{ Params: SlugParams }>(
    '/g/:slug/newsletters/subscribe',
    { config: { rateLimit: deps.limits.signUp } },
    async (request, reply) => {
      try {
        await service.subscribe(db, deps.mailer, links, request.viewer, request.params.slug, request.body);
        return redirectAfterPost(request, reply, `${at(request.params.slug)}?notice=newslettersCheckInbox`);
      } catch (error) {
        if (!(error instanceof Invalid)) throw error;
        return renderList(request, reply, error.fieldErrors);
      }
    },
  );

  // Writing ---------------------------------------------------------------------------------------

  app.get<{ Params: SlugParams }>('/g/:slug/newsletters/new', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const access = await service.accessForWriting(db, request.viewer, request.params.slug);
    return sendPage(reply, NewsletterFormPage({ ctx: pageContext(request, reply), access, values: {} }));
  });

  app.post<{ Params: SlugParams }>('/g/:slug/newsletters/new', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      const id = await service.createNewsletter(db, request.viewer!, request.params.slug, request.body);
      return redirectAfterPost(request, reply, `${at(request.params.slug, id)}?notice=newslettersSaved`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const access = await service.accessForWriting(db, request.viewer, request.params.slug);
      const ctx = pageContext(request, reply);
      const values = formValues(request.body);
      return sendPage(reply, NewsletterFormPage({ ctx, access, values, errors: error.fieldErrors }), 400);
    }
  });

  app.get<{ Params: IdParams }>('/g/:slug/newsletters/:id', async (request, reply) => renderNewsletter(request, reply));

  app.get<{ Params: IdParams }>('/g/:slug/newsletters/:id/edit', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const id = parseId(request.params.id);
    const { access, newsletter } = await service.newsletterForWriting(db, request.viewer, request.params.slug, id);
    // Only a draft can change: a scheduled one is taken back to draft first; a sent one is history.
    if (newsletter.status !== 'draft') return reply.redirect(at(request.params.slug, id), 303);
    const values = { subject: newsletter.subject, body: newsletter.body, audience: newsletter.audience };
    return sendPage(reply, NewsletterFormPage({ ctx: pageContext(request, reply), access, id, values }));
  });

  app.post<{ Params: IdParams }>('/g/:slug/newsletters/:id/edit', postLimit, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const id = parseId(request.params.id);
    try {
      await service.updateNewsletter(db, request.viewer!, request.params.slug, id, request.body);
      return redirectAfterPost(request, reply, `${at(request.params.slug, id)}?notice=newslettersSaved`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      if (error.fieldErrors['']) return renderNewsletter(request, reply, error.fieldErrors);
      const access = await service.accessForWriting(db, request.viewer, request.params.slug);
      const ctx = pageContext(request, reply);
      const values = formValues(request.body);
      return sendPage(reply, NewsletterFormPage({ ctx, access, id, values, errors: error.fieldErrors }), 400);
    }
  });

  action('test', async (request, id) => {
    await service.sendTestNewsletter(db, deps.mailer, links, request.viewer!, request.params.slug, id);
    return 'newslettersTestSent';
  });

  action('send', async (request, id) => {
    await service.sendNewsletterNow(db, request.viewer!, request.params.slug, id);
    return 'newslettersSending';
  });

  action('schedule', async (request, id) => {
    await service.scheduleNewsletter(db, request.viewer!, request.params.slug, id, request.body);
    return 'newslettersScheduled';
  });

  action('cancel', async (request, id) => {
    await service.cancelNewsletter(db, request.viewer!, request.params.slug, id);
    return 'newslettersCancelled';
  });

  // Links in mail: they work without an account --------------------------------------------------

  app.get<{ Params: TokenParams }>('/newsletters/confirm/:token', async (request, reply) => {
    const { group } = await service.subscriberOfToken(db, deps.mail.secret, request.params.token);
    const ctx = pageContext(request, reply);
    return sendPage(reply, ConfirmPage({ ctx, group, token: request.params.token, done: false }));
  });

  app.post<{ Params: TokenParams }>('/newsletters/confirm/:token', postLimit, async (request, reply) => {
    const { group } = await service.confirmSubscription(db, deps.mail.secret, request.params.token);
    const ctx = pageContext(request, reply);
    return sendPage(reply, ConfirmPage({ ctx, group, token: request.params.token, done: true }));
  });

  app.get<{ Params: TokenParams }>('/newsletters/unsubscribe/:token', async (request, reply) => {
    const access = await service.unsubscribeTarget(db, deps.mail.secret, request.params.token);
    const ctx = pageContext(request, reply);
    const group = access ? access.group : null;
    return sendPage(reply, UnsubscribePage({ ctx, group, done: false }));
  });

  // RFC 8058 one-click: a mail client posts here with no cookie and no form token; the signed
  // token in the address is the whole authority, and all it can do is stop mail. No per-IP limit:
  // a large mail provider posts everyone's unsubscribes from the same few addresses.
  app.post<{ Params: TokenParams }>(
    '/newsletters/unsubscribe/:token',
    { config: { skipCsrf: true } },
    async (request, reply) => {
      const access = await service.unsubscribeTarget(db, deps.mail.secret, request.params.token);
      await service.unsubscribeByToken(db, deps.mail.secret, request.params.token);
      const ctx = pageContext(request, reply);
      const group = access ? access.group : null;
      return sendPage(reply, UnsubscribePage({ ctx, group, done: true }));
    },
  );
}
