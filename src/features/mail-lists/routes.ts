import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { formValues } from '../../platform/http/forms.js';
import { pageContext, redirectAfterPost, sendPage } from '../../platform/http/page.js';
import type { FieldErrors } from '../../platform/views/forms.js';
import { requireViewer } from '../accounts/index.js';
import { groupAddress } from './addresses.js';
import {
  confirmUnsubscribe,
  readEmailChoices,
  readGroupEmail,
  readListSettings,
  readUnsubscribe,
  resumeMail,
  saveEmailChoices,
  saveGroupEmail,
  saveListSettings,
} from './preferences.js';
import {
  AccountEmailPage,
  GroupEmailPage,
  ListSettingsPage,
  UnsubscribedPage,
  UnsubscribePage,
} from './preferences-views.js';

type SlugParams = { slug: string };
type TokenParams = { token: string };

/**
 * The member's email settings (/account/email, /g/:slug/email), the group's list settings for
 * those who manage it, and one-click unsubscribe (/mail/unsubscribe/:token).
 */
export async function mailListRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;
  const addressOf = (slug: string) => groupAddress({ ...deps.mail, baseUrl: deps.baseUrl }, slug);

  async function renderAccount(
    request: FastifyRequest,
    reply: FastifyReply,
    errors: FieldErrors = {},
    values?: Record<string, string>,
    status = 200,
  ) {
    const choices = await readEmailChoices(db, request.viewer!.id);
    return sendPage(reply, AccountEmailPage({ ctx: pageContext(request, reply), choices, errors, values }), status);
  }

  app.get('/account/email', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    return renderAccount(request, reply);
  });

  app.post('/account/email', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      await saveEmailChoices(db, request.viewer!.id, request.body);
      return redirectAfterPost(request, reply, '/account/email?notice=mailListsSaved');
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderAccount(request, reply, error.fieldErrors, formValues(request.body), 400);
    }
  });

  app.post('/account/email/resume', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    await resumeMail(db, request.viewer!.id);
    return redirectAfterPost(request, reply, '/account/email?notice=mailListsResumed');
  });

  app.get<{ Params: SlugParams }>('/g/:slug/email', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const email = await readGroupEmail(db, request.viewer, request.params.slug);
    const ctx = pageContext(request, reply);
    return sendPage(reply, GroupEmailPage({ ctx, email, groupAddress: addressOf(email.access.group.slug) }));
  });

  app.post<{ Params: SlugParams }>('/g/:slug/email', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      const access = await saveGroupEmail(db, request.viewer, request.params.slug, request.body);
      return redirectAfterPost(request, reply, `/g/${access.group.slug}/email?notice=mailListsSaved`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const email = await readGroupEmail(db, request.viewer, request.params.slug);
      const ctx = pageContext(request, reply);
      const page = GroupEmailPage({
        ctx,
        email,
        groupAddress: addressOf(email.access.group.slug),
        errors: error.fieldErrors,
        values: formValues(request.body),
      });
      return sendPage(reply, page, 400);
    }
  });

  app.get<{ Params: SlugParams }>('/g/:slug/email/settings', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const settings = await readListSettings(db, request.viewer, request.params.slug);
    const ctx = pageContext(request, reply);
    return sendPage(reply, ListSettingsPage({ ctx, settings, groupAddress: addressOf(settings.access.group.slug) }));
  });

  app.post<{ Params: SlugParams }>('/g/:slug/email/settings', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      const access = await saveListSettings(db, request.viewer, request.params.slug, request.body);
      return redirectAfterPost(request, reply, `/g/${access.group.slug}/email/settings?notice=mailListsGroupSaved`);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const settings = await readListSettings(db, request.viewer, request.params.slug);
      const ctx = pageContext(request, reply);
      const page = ListSettingsPage({
        ctx,
        settings,
        groupAddress: addressOf(settings.access.group.slug),
        errors: error.fieldErrors,
        values: formValues(request.body),
      });
      return sendPage(reply, page, 400);
    }
  });

  // One-click unsubscribe works without logging in: the signed token in the link is the authority.
  app.get<{ Params: TokenParams }>('/mail/unsubscribe/:token', async (request, reply) => {
    const found = await readUnsubscribe(db, deps.mail.secret, request.params.token);
    if (!found) throw new NotFound();
    return sendPage(reply, UnsubscribePage({ ctx: pageContext(request, reply), found }));
  });

  // Mail clients' one-click unsubscribe (RFC 8058) posts "List-Unsubscribe=One-Click" with no
  // cookies and no CSRF token, so the token alone decides, as it does for the page's button.
  app.post<{ Params: TokenParams }>(
    '/mail/unsubscribe/:token',
    { config: { skipCsrf: true, rateLimit: deps.limits.post } },
    async (request, reply) => {
      const found = await confirmUnsubscribe(db, deps.mail.secret, request.params.token);
      if (!found) throw new NotFound();
      return sendPage(reply, UnsubscribedPage({ ctx: pageContext(request, reply), found }));
    },
  );
}
