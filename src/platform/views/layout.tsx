import type { ComponentChildren } from 'preact';
import type { PageContext } from '../http/page.js';
import { assetBundles, assetUrl, PREACT_BUNDLE } from './assets.js';
import { JsonLd } from './json-ld.js';

interface LayoutProps {
  ctx: PageContext;
  title: string;
  description?: string;
  children: ComponentChildren;
  /**
   * A search engine may list the page. Off unless a page asks for it, so a new page is private by
   * construction: only the home page, the directory, the guided flow, /help, approved listings and
   * the public pages of groups that chose search engines turn it on. Indexable pages also get a
   * canonical link, Open Graph and Twitter card tags.
   */
  indexable?: boolean;
  /** The page's address for canonical links, when it is not the path asked for (never a query string). */
  canonicalPath?: string;
  /** schema.org structured data (JSON-LD), written only on indexable pages. */
  jsonLd?: unknown[];
  /** Scripts (names in assets.ts) that only this page needs, after htmx. */
  scripts?: string[];
  /**
   * Off for a page whose island does its own fetching (a chat room), so that its scripts stay within
   * the page's budget; its forms still post without it.
   */
  htmx?: boolean;
}

export function Layout({
  ctx,
  title,
  description,
  children,
  indexable = false,
  canonicalPath,
  jsonLd = [],
  scripts = [],
  htmx = true,
}: LayoutProps) {
  const { t, viewer } = ctx;
  const canonical = indexable ? canonicalUrl(ctx.baseUrl, canonicalPath ?? ctx.path) : null;
  return (
    <html lang={ctx.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${t('site.name')}`}</title>
        {description ? <meta name="description" content={description} /> : null}
        {canonical ? (
          <>
            <link rel="canonical" href={canonical} />
            <meta property="og:type" content="website" />
            <meta property="og:site_name" content={t('site.name')} />
            <meta property="og:title" content={title} />
            {description ? <meta property="og:description" content={description} /> : null}
            <meta property="og:url" content={canonical} />
            <meta name="twitter:card" content="summary" />
            {jsonLd.map((data, i) => (
              <JsonLd key={i} data={data} />
            ))}
          </>
        ) : (
          <meta name="robots" content="noindex" />
        )}
        {/* A 422 answers a form sent with htmx that needs changing: it is swapped in (the form
            with its messages and the person's text), where htmx would otherwise drop it. */}
        <meta
          name="htmx-config"
          content='{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,"selfRequestsOnly":true,"responseHandling":[{"code":"204","swap":false},{"code":"[23]..","swap":true},{"code":"422","swap":true},{"code":"[45]..","swap":false,"error":true}]}'
        />
        <link rel="stylesheet" href={assetUrl('styles.css')} />
        {/* The installable app (src/features/push): its manifest, the header's colour (--brand), the
            home-screen icon iOS reads, and the service worker that shows the offline page. */}
        <link rel="manifest" href="/manifest.webmanifest" />
        <meta name="theme-color" content="#2f5d62" />
        <link rel="apple-touch-icon" href="/icons/icon-192.png" />
        <script src={assetUrl('sw-register.js')} defer></script>
        {htmx ? <script src={assetUrl('htmx.min.js')} defer></script> : null}
        {(scripts.some((name) => Object.hasOwn(assetBundles, name)) ? [PREACT_BUNDLE, ...scripts] : scripts).map(
          (name) => (
            <script key={name} src={assetUrl(name)} defer></script>
          ),
        )}
        {viewer ? <script src={assetUrl('bell.js')} defer></script> : null}
      </head>
      <body hx-headers={viewer ? JSON.stringify({ 'x-csrf-token': ctx.csrfToken }) : undefined}>
        <a class="skip-link" href="#main">
          {t('layout.skipToContent')}
        </a>
        <header class="site-header">
          <div class="wrap header-row">
            <a class="brand" href="/">
              {t('site.name')}
            </a>
            <a class="help-now" href="/help">
              {t('layout.helpNow')}
            </a>
            <nav aria-label={t('layout.mainNav')}>
              <ul class="nav-list">
                <li>
                  <a href="/groups">{t('layout.findGroup')}</a>
                </li>
                {viewer ? (
                  <>
                    <li>
                      <a href="/groups/new">{t('layout.startGroup')}</a>
                    </li>
                    <li>
                      {/* The bell: bell.js keeps its count live (topic 'notifications'), with the
                          words below; without JavaScript it is a plain link. */}
                      <a
                        href="/notifications"
                        id="bell"
                        class={viewer.unreadNotifications ? 'bell-unread' : undefined}
                        data-user={String(viewer.id)}
                        data-count={String(viewer.unreadNotifications ?? 0)}
                        data-none={t('layout.notifications')}
                        data-label-one={t('layout.notificationsUnread', { count: 1 })}
                        data-label-other={t('layout.notificationsUnread', { count: '{count}' })}
                        data-announce-one={t('layout.notificationsAnnounce', { count: 1 })}
                        data-announce-other={t('layout.notificationsAnnounce', { count: '{count}' })}
                      >
                        {viewer.unreadNotifications
                          ? t('layout.notificationsUnread', { count: viewer.unreadNotifications })
                          : t('layout.notifications')}
                      </a>
                      <span id="bell-status" class="visually-hidden" role="status"></span>
                    </li>
                    <li>
                      <a href="/messages">
                        {viewer.unreadMessages
                          ? t('messages.navUnread', { count: viewer.unreadMessages })
                          : t('messages.nav')}
                      </a>
                    </li>
                    <li>
                      <a href="/account">{t('layout.account', { pseudonym: viewer.pseudonym })}</a>
                    </li>
                    <li>
                      <form method="post" action="/logout" class="inline-form">
                        <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                        <button type="submit" class="link-button">
                          {t('layout.logOut')}
                        </button>
                      </form>
                    </li>
                  </>
                ) : (
                  <>
                    <li>
                      <a href="/login">{t('layout.logIn')}</a>
                    </li>
                    <li>
                      <a href="/signup" class="button button-small">
                        {t('layout.signUp')}
                      </a>
                    </li>
                  </>
                )}
              </ul>
            </nav>
          </div>
        </header>
        <main id="main" class="wrap" tabIndex={-1}>
          {viewer?.mailPaused && !ctx.path.startsWith('/account/email') ? (
            <p class="notice" role="status">
              {t('mailLists.paused.banner')} <a href="/account/email">{t('mailLists.paused.bannerLink')}</a>
            </p>
          ) : null}
          {ctx.notice ? (
            <p class="notice" role="status">
              {ctx.notice}
            </p>
          ) : null}
          {children}
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <p>{t('layout.footer')}</p>
            <p>
              <a href="/organisations">{t('layout.organisations')}</a> · <a href="/privacy">{t('layout.privacy')}</a> ·{' '}
              <a href="/help">{t('layout.helpNow')}</a> · <a href="/api/docs">{t('api.docs.footerLink')}</a>
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}

/** The page's absolute address without its query string (paging, filters, tracking) or fragment. */
function canonicalUrl(baseUrl: string, path: string): string {
  const bare = path.split(/[?#]/u, 1)[0] ?? '/';
  return `${baseUrl.replace(/\/$/u, '')}${bare.startsWith('/') ? bare : `/${bare}`}`;
}
