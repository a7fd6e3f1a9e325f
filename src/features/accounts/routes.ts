import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { formValues } from '../../platform/http/forms.js';
import { pageContext, sendPage } from '../../platform/http/page.js';
import { translator } from '../../platform/views/i18n.js';
import { afterFirstFactor, CHALLENGE_COOKIE, completeLogin, safeNext, SESSION_COOKIE, startSession } from './login.js';
import * as accounts from './service.js';
import { SecondStepPage } from './security-views.js';
import { answerLoginChallenge, hasLoginChallenge } from './two-factor.js';
import { createEmailVerification, isVerificationTokenValid, verifyEmail } from './verification.js';
import { AccountPage, ForgotPasswordPage, LogInPage, ResetPasswordPage, SignUpPage, VerifyEmailPage } from './views.js';

export { SESSION_COOKIE } from './login.js';

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
    if (user) request.viewer = user;
  });

  /** Mails a one-time link that confirms the account's address (nothing when it is confirmed already). */
  async function sendVerification(userId: number) {
    const link = await createEmailVerification(db, userId);
    if (!link) return;
    const t = translator('en');
    await deps.mailer.send({
      to: link.email,
      subject: t('accounts.verify.mail.subject'),
      text: t('accounts.verify.mail.body', {
        pseudonym: link.pseudonym,
        link: `${deps.baseUrl}/verify-email/${link.token}`,
      }),
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
      await startSession(deps, request, reply, user.id);
      await sendVerification(user.id);
      // The administrator's powers wait for two-step verification: the first thing to set up.
      return reply.redirect('/account/two-factor?notice=signedUpAdmin', 303);
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
      await startSession(deps, request, reply, user.id);
      await sendVerification(user.id);
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
      return reply.redirect(await afterFirstFactor(deps, request, reply, user.id, next), 303);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      const ctx = pageContext(request, reply);
      const values = formValues(request.body, ['password']);
      const nextPath = typeof next === 'string' ? safeNext(next) : undefined;
      return sendPage(reply, LogInPage({ ctx, errors: error.fieldErrors, values, next: nextPath }), 400);
    }
  });

  // The second step, for accounts with two-step verification: only after the first one.
  app.get('/login/two-factor', async (request, reply) => {
    const next = (request.query as { next?: string }).next;
    const token = request.cookies[CHALLENGE_COOKIE];
    if (!token || !(await hasLoginChallenge(db, token))) return reply.redirect('/login', 303);
    return sendPage(reply, SecondStepPage({ ctx: pageContext(request, reply), next }));
  });

  app.post('/login/two-factor', { config: { rateLimit: deps.limits.logIn } }, async (request, reply) => {
    const next = (request.body as { next?: unknown } | undefined)?.next;
    const token = request.cookies[CHALLENGE_COOKIE] ?? '';
    try {
      const { userId, usedRecoveryCode } = await answerLoginChallenge(db, token, request.body);
      const notice = usedRecoveryCode ? 'recoveryCodeUsed' : 'loggedIn';
      return reply.redirect(await completeLogin(deps, request, reply, userId, next, notice), 303);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      if (error.fieldErrors['']) {
        reply.clearCookie(CHALLENGE_COOKIE, { path: '/login' });
        const ctx = pageContext(request, reply);
        return sendPage(reply, LogInPage({ ctx, errors: error.fieldErrors, next: safeNext(next) }), 400);
      }
      const ctx = pageContext(request, reply);
      const nextPath = typeof next === 'string' ? safeNext(next) : undefined;
      return sendPage(reply, SecondStepPage({ ctx, errors: error.fieldErrors, next: nextPath }), 400);
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
    const overview = await accounts.accountOverview(db, request.viewer!.id);
    if (!overview) throw new NotFound();
    const ctx = pageContext(request, reply);
    return sendPage(
      reply,
      AccountPage({ ctx, errors, email: overview.email, emailVerified: overview.emailVerified }),
      status,
    );
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

  app.post('/account/verify-email', { config: { rateLimit: deps.limits.passwordReset } }, async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    await sendVerification(request.viewer!.id);
    return reply.redirect('/account?notice=verificationSent', 303);
  });

  app.get('/verify-email/:token', async (request, reply) => {
    const { token } = request.params as { token: string };
    const valid = await isVerificationTokenValid(db, token);
    return sendPage(reply, VerifyEmailPage({ ctx: pageContext(request, reply), token, valid }), valid ? 200 : 410);
  });

  app.post('/verify-email/:token', async (request, reply) => {
    const { token } = request.params as { token: string };
    try {
      await verifyEmail(db, token);
      return reply.redirect(`${request.viewer ? '/account' : '/'}?notice=emailVerified`, 303);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return sendPage(reply, VerifyEmailPage({ ctx: pageContext(request, reply), token, valid: false }), 410);
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
