import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { deviceName } from './devices.js';
import * as accounts from './service.js';
import { needsSecondStep, startLoginChallenge } from './two-factor.js';

/** What logging in by password, by second step or by passkey share: the cookies and where to go next. */

export const SESSION_COOKIE = 'mutual_session';
/** Holds a half-done login (the password was right) while the second step is asked for. */
export const CHALLENGE_COOKIE = 'mutual_login';
/** Holds a WebAuthn challenge's token between the options and the browser's answer. */
export const WEBAUTHN_COOKIE = 'mutual_webauthn';

/** Only same-site paths may be redirected to after login, so a link cannot send people elsewhere. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?!\/)[\w\-./?=&%#]*$/.test(next) && !next.includes('\\') ? next : '/';
}

const withNotice = (target: string, notice: string) => `${target}${target.includes('?') ? '&' : '?'}notice=${notice}`;

export async function startSession(deps: Deps, request: FastifyRequest, reply: FastifyReply, userId: number) {
  const { token, maxAge } = await accounts.createSession(deps.db, userId, deviceName(request.headers['user-agent']));
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: deps.secureCookies,
    maxAge,
  });
}

/**
 * The first factor is done (a password, or a passkey without the device checking who holds it).
 * With two-step verification on, the login waits for a code; otherwise it is complete.
 * Returns where the browser goes next.
 */
export async function afterFirstFactor(
  deps: Deps,
  request: FastifyRequest,
  reply: FastifyReply,
  userId: number,
  next: unknown,
): Promise<string> {
  const target = safeNext(next);
  if (await needsSecondStep(deps.db, userId)) {
    const token = await startLoginChallenge(deps.db, userId);
    reply.setCookie(CHALLENGE_COOKIE, token, {
      path: '/login',
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.secureCookies,
      maxAge: 10 * 60,
    });
    return target === '/' ? '/login/two-factor' : `/login/two-factor?next=${encodeURIComponent(target)}`;
  }
  return completeLogin(deps, request, reply, userId, target);
}

/** Both factors are done (or the account has one): the session starts. */
export async function completeLogin(
  deps: Deps,
  request: FastifyRequest,
  reply: FastifyReply,
  userId: number,
  next: unknown,
  notice = 'loggedIn',
): Promise<string> {
  await startSession(deps, request, reply, userId);
  reply.clearCookie(CHALLENGE_COOKIE, { path: '/login' });
  return withNotice(safeNext(next), notice);
}
