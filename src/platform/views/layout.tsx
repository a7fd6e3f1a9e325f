import type { ComponentChildren } from 'preact';
import type { PageContext } from '../http/page.js';
import { assetUrl } from './assets.js';

interface LayoutProps {
  ctx: PageContext;
  title: string;
  description?: string;
  children: ComponentChildren;
  /** Pages a search engine should not list (forms, account pages, members-only content). */
  noindex?: boolean;
  /** Scripts (names in assets.ts) that only this page needs, after htmx. */
  scripts?: string[];
}

export function Layout({ ctx, title, description, children, noindex, scripts = [] }: LayoutProps) {
  const { t, viewer } = ctx;
  return (
    <html lang={ctx.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${t('site.name')}`}</title>
        {description ? <meta name="description" content={description} /> : null}
        {noindex ? <meta name="robots" content="noindex" /> : null}
        {/* A 422 answers a form sent with htmx that needs changing: it is swapped in (the form
            with its messages and the person's text), where htmx would otherwise drop it. */}
        <meta
          name="htmx-config"
          content='{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,"selfRequestsOnly":true,"responseHandling":[{"code":"204","swap":false},{"code":"[23]..","swap":true},{"code":"422","swap":true},{"code":"[45]..","swap":false,"error":true}]}'
        />
        <link rel="stylesheet" href={assetUrl('styles.css')} />
        <script src={assetUrl('htmx.min.js')} defer></script>
        {scripts.map((name) => (
          <script key={name} src={assetUrl(name)} defer></script>
        ))}
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
                      <a href="/notifications">
                        {viewer.unreadNotifications
                          ? t('layout.notificationsUnread', { count: viewer.unreadNotifications })
                          : t('layout.notifications')}
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
              <a href="/help">{t('layout.helpNow')}</a>
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}
