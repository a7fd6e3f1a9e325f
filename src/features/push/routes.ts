import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { errorMessage, type FieldErrors } from '../../platform/views/forms.js';
import { pageContext, redirectAfterPost, sendPage, type PageContext } from '../../platform/http/page.js';
import { assetUrl } from '../../platform/views/assets.js';
import { negotiateLocale, translator, type Translate } from '../../platform/views/i18n.js';
import { deviceName, requireViewer } from '../accounts/index.js';
import { backgroundColour, iconPng, icons, isIcon, themeColour } from './icons.js';
import { readPushPage, removeSubscription, saveSubscription, setPushDetails } from './subscriptions.js';
import { AccountPushPage, OfflinePage } from './views.js';

/**
 * The installable app (manifest, icons, service worker, offline page) and Web Push: the key
 * browsers subscribe with, subscriptions, and the person's push settings at /account/push.
 */
export async function pushRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { db } = deps;

  // What a phone needs to install the site as an app (Chromium's criteria: a name, a start
  // address, standalone display, icons of 192 and 512 pixels; a maskable one for Android).
  app.get('/manifest.webmanifest', async (request, reply) => {
    // The browser's language, not a signed-in person's choice: the answer may be cached for everyone.
    const locale = negotiateLocale(request.headers['accept-language']);
    return reply
      .type('application/manifest+json; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .header('vary', 'accept-language')
      .send(JSON.stringify(manifest(translator(locale), locale)));
  });

  app.get<{ Params: { name: string } }>('/icons/:name', async (request, reply) => {
    const { name } = request.params;
    if (!isIcon(name)) throw new NotFound();
    return reply.type('image/png').header('cache-control', 'public, max-age=604800').send(iconPng(name));
  });

  // From the root, so that it may look after every page of the site (its scope is /).
  app.get('/sw.js', async (_request, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      // Browsers check for a new one on every visit; a new stylesheet makes a new worker.
      .header('cache-control', 'no-cache')
      .header('service-worker-allowed', '/')
      .send(serviceWorker()),
  );

  app.get('/offline', async (request, reply) => sendPage(reply, OfflinePage({ ctx: pageContext(request, reply) })));

  app.get('/push/key', async (_request, reply) => {
    if (!deps.push) throw new NotFound();
    return reply.header('cache-control', 'no-cache').send({ publicKey: deps.push.publicKey });
  });

  app.post('/push/subscriptions', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    if (!deps.push) throw new NotFound();
    const json = wantsJson(request);
    try {
      await saveSubscription(db, request.viewer!.id, request.body, {
        allowPrivateEndpoints: deps.push.allowPrivateEndpoints,
        label: deviceName(request.headers['user-agent']),
      });
    } catch (error) {
      if (!(error instanceof Invalid) || !json) throw error;
      const ctx = pageContext(request, reply);
      return reply.status(400).send({ error: firstError(ctx, error.fieldErrors) });
    }
    if (json) return reply.status(201).send({ ok: true });
    return redirectAfterPost(request, reply, '/account/push?notice=pushOn');
  });

  app.post<{ Params: { id: string } }>('/push/subscriptions/:id/delete', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    await removeSubscription(db, request.viewer!.id, request.params.id);
    return redirectAfterPost(request, reply, '/account/push?notice=pushRemoved');
  });

  async function render(request: FastifyRequest, reply: FastifyReply, errors: FieldErrors = {}, status = 200) {
    const data = await readPushPage(db, request.viewer!.id);
    const ctx = pageContext(request, reply);
    return sendPage(reply, AccountPushPage({ ctx, data, available: Boolean(deps.push), errors }), status);
  }

  app.get('/account/push', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    return render(request, reply);
  });

  app.post('/account/push', async (request, reply) => {
    if (!requireViewer(request, reply)) return reply;
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (body.intent === 'test') {
      if (!deps.push) throw new NotFound();
      await deps.push.sendTest(request.viewer!.id);
      return redirectAfterPost(request, reply, '/account/push?notice=pushTestSent');
    }
    try {
      await setPushDetails(db, request.viewer!.id, body);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      return render(request, reply, error.fieldErrors, 400);
    }
    return redirectAfterPost(request, reply, '/account/push?notice=pushDetailsSaved');
  });
}

function wantsJson(request: FastifyRequest): boolean {
  return String(request.headers.accept ?? '').includes('application/json');
}

/** The first problem with the input, for a script to show. */
function firstError(ctx: PageContext, errors: FieldErrors): string {
  const first = Object.values(errors)[0];
  return first ? errorMessage(ctx, first) : ctx.t('errors.badRequest.title');
}

function manifest(t: Translate, locale: string) {
  return {
    id: '/',
    name: t('site.name'),
    short_name: t('site.name'),
    description: t('push.manifest.description'),
    lang: locale,
    start_url: '/',
    scope: '/',
    display: 'standalone',
    background_color: backgroundColour,
    theme_color: themeColour,
    icons: Object.entries(icons).map(([name, icon]) => ({
      src: `/icons/${name}`,
      sizes: `${icon.size}x${icon.size}`,
      type: 'image/png',
      purpose: icon.maskable ? 'maskable' : 'any',
    })),
  };
}

let worker: string | undefined;

/** src/client/sw.js with the stylesheet it keeps, and a cache named after both (a new one replaces the old). */
function serviceWorker(): string {
  if (!worker) {
    const source = readFileSync(fileURLToPath(new URL('../../client/sw.js', import.meta.url)), 'utf8');
    const stylesheet = assetUrl('styles.css');
    const version = createHash('sha256').update(source).update(stylesheet).digest('hex').slice(0, 12);
    worker = source
      .replace("'mutual-CACHE_VERSION'", `'mutual-${version}'`)
      .replace("'STYLESHEET_URL'", `'${stylesheet}'`);
  }
  return worker;
}
