import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { Invalid } from '../../platform/errors.js';
import { pageContext, sendPage } from '../../platform/http/page.js';
import { translator, type MessageKey } from '../../platform/views/i18n.js';
import { deviceName } from './devices.js';
import { afterFirstFactor, completeLogin, safeNext, SESSION_COOKIE, WEBAUTHN_COOKIE } from './login.js';
import {
  finishPasskeyLogin,
  finishPasskeyRegistration,
  listPasskeys,
  relyingParty,
  removePasskey,
  startPasskeyLogin,
  startPasskeyRegistration,
} from './passkeys.js';
import { requireViewer } from './routes.js';
import { endSessionById, listSessions } from './service.js';
import { RecoveryCodesPage, SecurityPage, TwoFactorSetupPage } from './security-views.js';
import {
  beginTwoFactor,
  disableTwoFactor,
  enableTwoFactor,
  regenerateRecoveryCodes,
  twoFactorStatus,
} from './two-factor.js';

/** The account's security page: two-step verification, passkeys, and the devices logged in. */
export async function securityRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;
  const rp = relyingParty(deps.baseUrl, translator('en')('site.name'));

  async function renderSecurity(request: FastifyRequest, reply: FastifyReply, errors = {}, status = 200) {
    const userId = request.viewer!.id;
    const [twoFactor, passkeys, sessions] = await Promise.all([
      twoFactorStatus(db, userId),
      listPasskeys(db, userId),
      listSessions(db, userId, request.cookies[SESSION_COOKIE] ?? ''),
    ]);
    const ctx = pageContext(request, reply);
    return sendPage(reply, SecurityPage({ ctx, twoFactor, passkeys, sessions, errors }), status);
  }

  app.get('/account/security', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    return renderSecurity(request, reply);
  });

  app.post<{ Params: { id: string } }>('/account/sessions/:id/end', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    await endSessionById(db, request.viewer!.id, request.params.id);
    return reply.redirect('/account/security?notice=sessionEnded', 303);
  });

  // Two-step verification.

  async function renderSetup(request: FastifyRequest, reply: FastifyReply, next: unknown, errors = {}, status = 200) {
    const setup = await beginTwoFactor(db, request.viewer!, rp.name);
    if (!setup) return reply.redirect('/account/security', 303);
    const ctx = pageContext(request, reply);
    return sendPage(reply, TwoFactorSetupPage({ ctx, setup, next: safeNext(next), errors }), status);
  }

  app.get('/account/two-factor', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const next = (request.query as { next?: string }).next ?? '/account/security';
    return renderSetup(request, reply, next);
  });

  app.post('/account/two-factor', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const next = safeNext((request.body as { next?: unknown } | undefined)?.next);
    try {
      const codes = await enableTwoFactor(db, request.viewer!.id, request.body);
      const ctx = pageContext(request, reply);
      ctx.notice = ctx.t('notices.twoFactorOn');
      return sendPage(reply, RecoveryCodesPage({ ctx, codes, next }));
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderSetup(request, reply, next, error.fieldErrors, 400);
    }
  });

  app.post('/account/two-factor/off', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      await disableTwoFactor(db, request.viewer!.id, request.body);
      return reply.redirect('/account/security?notice=twoFactorOff', 303);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderSecurity(request, reply, error.fieldErrors, 400);
    }
  });

  app.post('/account/recovery-codes', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    try {
      const codes = await regenerateRecoveryCodes(db, request.viewer!.id, request.body);
      return sendPage(reply, RecoveryCodesPage({ ctx: pageContext(request, reply), codes, next: '/account/security' }));
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return renderSecurity(request, reply, error.fieldErrors, 400);
    }
  });

  // Passkeys. The browser's part (src/client/passkeys.js) talks JSON; a refusal carries a message to show.

  function refuse(request: FastifyRequest, reply: FastifyReply, error: Invalid) {
    const t = pageContext(request, reply).t;
    const key = (error.fieldErrors[''] ?? 'accounts.passkeys.errors.failed') as MessageKey;
    return reply
      .status(400)
      .header('cache-control', 'no-store')
      .send({ message: t(key) });
  }

  function rememberChallenge(reply: FastifyReply, token: string) {
    reply.setCookie(WEBAUTHN_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: deps.secureCookies,
      maxAge: 5 * 60,
    });
  }

  app.post('/account/passkeys/options', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const { options, token } = await startPasskeyRegistration(db, rp, request.viewer!.id);
    rememberChallenge(reply, token);
    return reply.header('cache-control', 'no-store').send({ options });
  });

  app.post('/account/passkeys', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const token = request.cookies[WEBAUTHN_COOKIE] ?? '';
    reply.clearCookie(WEBAUTHN_COOKIE, { path: '/' });
    try {
      const device = deviceName(request.headers['user-agent']);
      await finishPasskeyRegistration(db, rp, request.viewer!.id, token, request.body, device);
      return reply.send({ redirect: '/account/security?notice=passkeyAdded' });
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return refuse(request, reply, error);
    }
  });

  app.post<{ Params: { id: string } }>('/account/passkeys/:id/remove', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    await removePasskey(db, request.viewer!.id, request.params.id);
    return reply.redirect('/account/security?notice=passkeyRemoved', 303);
  });

  app.post('/login/passkey/options', { config: { rateLimit: deps.limits.logIn } }, async (_request, reply) => {
    const { options, token } = await startPasskeyLogin(db, rp);
    rememberChallenge(reply, token);
    return reply.header('cache-control', 'no-store').send({ options });
  });

  app.post('/login/passkey', { config: { rateLimit: deps.limits.logIn } }, async (request, reply) => {
    const next = (request.query as { next?: string }).next;
    const token = request.cookies[WEBAUTHN_COOKIE] ?? '';
    reply.clearCookie(WEBAUTHN_COOKIE, { path: '/' });
    try {
      const { userId, userVerified } = await finishPasskeyLogin(db, rp, token, request.body);
      // A passkey the device unlocked with a PIN or a fingerprint is two factors in one; a bare
      // one is like a password, and an account with two-step verification still asks for a code.
      const redirect = userVerified
        ? await completeLogin(deps, request, reply, userId, next)
        : await afterFirstFactor(deps, request, reply, userId, next);
      return reply.send({ redirect });
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return refuse(request, reply, error);
    }
  });
}
