import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { negotiateLocale, translator, type Translate } from '../views/i18n.js';
import { en } from '../views/locales/en.js';

/** The signed-in person as the page layout needs them; set by the accounts feature's session hook. */
export interface Viewer {
  id: number;
  pseudonym: string;
  isAdmin: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    viewer: Viewer | null;
  }
}

/** What every page and fragment needs to render: translations, the viewer and a CSRF token. */
export interface PageContext {
  t: Translate;
  locale: string;
  viewer: Viewer | null;
  csrfToken: string;
  path: string;
  /** A one-time message shown at the top of the page ("You have joined the group."). */
  notice?: string | undefined;
}

export function pageContext(request: FastifyRequest, reply: FastifyReply): PageContext {
  const locale = negotiateLocale(request.headers['accept-language']);
  const notice =
    request.query && typeof request.query === 'object' ? (request.query as Record<string, unknown>).notice : undefined;
  const t = translator(locale);
  return {
    t,
    locale,
    viewer: request.viewer,
    csrfToken: reply.generateCsrf(),
    path: request.url,
    notice: typeof notice === 'string' && isNoticeKey(notice) ? t(`notices.${notice}`) : undefined,
  };
}

type NoticeKey = keyof typeof en.notices;
/** Any message in the catalog's notices section may be shown with ?notice=…; nothing else can be. */
function isNoticeKey(v: string): v is NoticeKey {
  return Object.hasOwn(en.notices, v);
}

/** Sends a whole HTML page. */
export function sendPage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(`<!doctype html>${renderToString(page)}`);
}

/** Sends a piece of HTML for htmx to swap into the page. */
export function sendFragment(reply: FastifyReply, fragment: VNode, status = 200): FastifyReply {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(renderToString(fragment));
}

export function isHtmx(request: FastifyRequest): boolean {
  return request.headers['hx-request'] === 'true';
}

/**
 * After a successful form post: a plain redirect for browsers without JavaScript, or
 * HX-Redirect for htmx, so the same route serves both.
 */
export function redirectAfterPost(request: FastifyRequest, reply: FastifyReply, location: string): FastifyReply {
  if (isHtmx(request)) return reply.header('hx-redirect', location).status(204).send();
  return reply.redirect(location, 303);
}
