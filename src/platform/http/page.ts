import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { negotiateLocale, supportedLocales, translator, type Translate } from '../views/i18n.js';
import { en } from '../views/locales/en.js';

/** The signed-in person as the page layout needs them; set by the accounts feature's session hook. */
export interface Viewer {
  id: number;
  pseudonym: string;
  isAdmin: boolean;
  /**
   * Two-step verification is on. Site admins, organisation admins and facilitators hold their
   * powers only with it (absent counts as off).
   */
  secondFactor?: boolean;
  /** The language the person chose, or 'auto' to follow the browser. */
  locale?: string;
  /** The person's IANA time zone, for dates and times. */
  timeZone?: string;
  /** Notifications the person has not seen yet, counted in the header. */
  unreadNotifications?: number;
  /** Conversations with a message the person has not seen yet, counted in the header's "Messages". */
  unreadMessages?: number;
  /** Their list mail is paused after bounces: the layout shows a banner until they resume it. */
  mailPaused?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    viewer: Viewer | null;
  }
  interface FastifyInstance {
    /** The site's public address (config BASE_URL), for canonical links; set by buildApp. */
    baseUrl: string;
  }
}

/** What every page and fragment needs to render: translations, the viewer and a CSRF token. */
export interface PageContext {
  t: Translate;
  locale: string;
  viewer: Viewer | null;
  /** The viewer's time zone for exact dates and times (UTC for visitors). */
  timeZone: string;
  csrfToken: string;
  path: string;
  /** The site's public address without a trailing slash (config BASE_URL). */
  baseUrl: string;
  /** A one-time message shown at the top of the page ("You have joined the group."). */
  notice?: string | undefined;
}

export function pageContext(request: FastifyRequest, reply: FastifyReply): PageContext {
  const chosen = request.viewer?.locale;
  const locale =
    chosen && supportedLocales.includes(chosen) ? chosen : negotiateLocale(request.headers['accept-language']);
  const notice =
    request.query && typeof request.query === 'object' ? (request.query as Record<string, unknown>).notice : undefined;
  const t = translator(locale);
  let token: string | undefined;
  return {
    t,
    locale,
    viewer: request.viewer,
    timeZone: request.viewer?.timeZone ?? 'UTC',
    // Made only when a form on the page needs it, so a visitor's page without forms stays the same
    // from one request to the next and can be revalidated with its ETag.
    get csrfToken() {
      token ??= reply.generateCsrf();
      withToken.add(reply);
      return token;
    },
    path: request.url,
    baseUrl: request.server.baseUrl,
    notice: typeof notice === 'string' && isNoticeKey(notice) ? t(`notices.${notice}`) : undefined,
  };
}

type NoticeKey = keyof typeof en.notices;
/** Any message in the catalog's notices section may be shown with ?notice=…; nothing else can be. */
function isNoticeKey(v: string): v is NoticeKey {
  return Object.hasOwn(en.notices, v);
}

/** Replies whose page carries a CSRF token: personal, so never revalidated from a cache. */
const withToken = new WeakSet<FastifyReply>();

/**
 * Sends a whole HTML page. A page for a visitor who is not signed in, with no form on it, is the
 * same for every visitor: it gets an ETag, so a browser that has it already is answered with a
 * bodiless 304. Everything else is personal and never stored.
 */
export function sendPage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  const html = `<!doctype html>${renderToString(page)}`;
  reply.status(status).type('text/html; charset=utf-8');
  const request = reply.request;
  if (status !== 200 || request.method !== 'GET' || request.viewer || withToken.has(reply)) {
    return reply.header('cache-control', 'no-store').send(html);
  }
  const etag = `W/"${createHash('sha1').update(html).digest('base64url')}"`;
  // private: a shared cache must not keep it, as the same address shows more to someone signed in.
  reply.header('etag', etag).header('cache-control', 'private, no-cache').header('vary', 'cookie, accept-language');
  if (matches(request.headers['if-none-match'], etag)) return reply.status(304).send();
  return reply.send(html);
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*');
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
