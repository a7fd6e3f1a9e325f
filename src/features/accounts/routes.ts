import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { Invalid } from '../../platform/errors.js';
import { formValues } from '../../platform/http/forms.js';
import { pageContext, sendPage } from '../../platform/http/page.js';
import { translator } from '../../platform/views/i18n.js';
import * as accounts from './service.js';
import { AccountPage, ForgotPasswordPage, LogInPage, ResetPasswordPage, SignUpPage } from './views.js';

export const SESSION_COOKIE = 'mutual_session';

/** Only same-site paths may be redirected to after login, so a link cannot send people elsewhere. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?!\/)[\w\-./?=&%#]*$/.test(next) && !next.includes('\\') ? next : '/';
}

export function requireViewer(request: FastifyRequest, reply: FastifyReply): boolean {
  if (request.viewer) return true;
  void reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
  return false;
}

export async function accountRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  // Loads the signed-in person from the session cookie on every request.
  app.addHook('onRequest', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return;
    const user = await accounts.findSessionUser(db, token);
    if (user) request.viewer = { id: user.id, pseudonym: user.pseudonym, isAdmin: user.isAdmin };
  });

  async function startSession(reply: FastifyReply, userId: number) {
    const { token, maxAge } = await accounts.createSession(db, userId);
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.secureCookies,
      maxAge,
    });
  }

  // A fresh site has no accounts: its first visitor is asked to create the administrator.
  // Once a site has an account it always will, so the question is asked only until then.
  let siteIsSetUp = false;
  app.addHook('onRequest', async (request, reply) => {
    if (siteIsSetUp || request.method !== 'GET' || request.viewer) return;
    const path = request.url.split('?')[0] ?? '';
    if (path.startsWith('/assets/') || path === '/healthz' || path === '/setup') return;
    if ((await accounts.countUsers(db)) > 0) siteIsSetUp = true;
    else return reply.redirect('/setup', 303);
  });

  app.get('/setup', async (request, reply) => {
    if ((await accounts.countUsers(db)) > 0) return reply.redirect('/', 303);
    return sendPage(reply, SignUpPage({ ctx: pageContext(request, reply), setup: true }));
  });

  app.post('/setup', { config: { rateLimit: deps.limits.signUp } }, async (request, reply) => {
    try {
      const user = await accounts.signUp(db, request.body, { asFirstAdmin: true });
      await startSession(reply, user.id);
      return reply.redirect('/?notice=signedUp', 303);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const ctx = pageContext(request, reply);
      const values = formValues(request.body, ['password']);
      return sendPage(reply, SignUpPage({ ctx, errors: error.fieldErrors, values, setup: true }), 400);
    }
  });

  app.get('/signup', async (request, reply) => {
    if (request.viewer) return reply.redirect('/', 303);
    return sendPage(reply, SignUpPage({ ctx: pageContext(request, reply) }));
  });

  app.post('/signup', { config: { rateLimit: deps.limits.signUp } }, async (request, reply) => {
    try {
      const user = await accounts.signUp(db, request.body);
      await startSession(reply, user.id);
      return reply.redirect('/groups?notice=signedUp', 303);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const ctx = pageContext(request, reply);
      const values = formValues(request.body, ['password']);
      return sendPage(reply, SignUpPage({ ctx, errors: error.fieldErrors, values }), 400);
    }
  });

  app.get('/login', async (request, reply) => {
    const next = (request.query as { next?: string }).next;
    if (request.viewer) return reply.redirect(safeNext(next), 303);
    return sendPage(reply, LogInPage({ ctx: pageContext(request, reply), next }));
  });

  app.post('/login', { config: { rateLimit: deps.limits.logIn } }, async (request, reply) => {
    const next = (request.body as { next?: unknown } | undefined)?.next;
    try {
      const user = await accounts.authenticate(db, request.body);
      await startSession(reply, user.id);
      const target = safeNext(next);
      return reply.redirect(`${target}${target.includes('?') ? '&' : '?'}notice=loggedIn`, 303);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const ctx = pageContext(request, reply);
      const values = formValues(request.body, ['password']);
      const nextPath = typeof next === 'string' ? safeNext(next) : undefined;
      return sendPage(reply, LogInPage({ ctx, errors: error.fieldErrors, values, next: nextPath }), 400);
    }
  });

  app.post('/logout', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await accounts.endSession(db, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/?notice=loggedOut', 303);
  });

  app.post('/logout-everywhere', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    await accounts.endAllSessions(db, request.viewer!.id);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/?notice=loggedOutEverywhere', 303);
  });

  async function renderAccount(request: FastifyRequest, reply: FastifyReply, errors = {}, status = 200) {
    const viewer = request.viewer!;
    const user = await accounts.findSessionUser(db, request.cookies[SESSION_COOKIE] ?? '');
    const sessionCount = await accounts.countSessions(db, viewer.id);
    const ctx = pageContext(request, reply);
    return sendPage(reply, AccountPage({ ctx, errors, email: user?.email ?? '', sessionCount }), status);
  }

  app.get('/account', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    return renderAccount(request, reply);
  });

  app.post('/account/password', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      await accounts.changePassword(db, request.viewer!.id, request.cookies[SESSION_COOKIE] ?? '', request.body);
      return reply.redirect('/account?notice=passwordChanged', 303);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderAccount(request, reply, error.fieldErrors, 400);
    }
  });

  app.get('/forgot-password', async (request, reply) =>
    sendPage(reply, ForgotPasswordPage({ ctx: pageContext(request, reply) })),
  );

  app.post('/forgot-password', { config: { rateLimit: deps.limits.passwordReset } }, async (request, reply) => {
    const ctx = pageContext(request, reply);
    const body = (request.body ?? {}) as { email?: unknown };
    try {
      const reset = await accounts.createPasswordReset(db, body.email);
      if (reset) {
        const t = translator('en');
        await deps.mailer.send({
          to: reset.user.email,
          subject: t('accounts.resetMail.subject'),
          text: t('accounts.resetMail.body', {
            pseudonym: reset.user.pseudonym,
            link: `${deps.baseUrl}/reset-password/${reset.token}`,
          }),
        });
      }
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const values = formValues(request.body);
      return sendPage(reply, ForgotPasswordPage({ ctx, errors: error.fieldErrors, values }), 400);
    }
    // The same answer whether or not the address has an account.
    return sendPage(reply, ForgotPasswordPage({ ctx, sent: true }));
  });

  app.get('/reset-password/:token', async (request, reply) => {
    const { token } = request.params as { token: string };
    const valid = await accounts.isResetTokenValid(db, token);
    return sendPage(reply, ResetPasswordPage({ ctx: pageContext(request, reply), token, valid }), valid ? 200 : 410);
  });

  app.post('/reset-password/:token', async (request, reply) => {
    const { token } = request.params as { token: string };
    try {
      await accounts.resetPassword(db, token, request.body);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.redirect('/login?notice=passwordChanged', 303);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const ctx = pageContext(request, reply);
      const valid = !error.fieldErrors[''];
      return sendPage(reply, ResetPasswordPage({ ctx, errors: error.fieldErrors, token, valid }), 400);
    }
  });
}
