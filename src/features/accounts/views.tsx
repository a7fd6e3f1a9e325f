import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, Field, FormErrors, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';

interface FormProps {
  ctx: PageContext;
  errors?: FieldErrors;
  values?: Record<string, string>;
}

export function SignUpPage({ ctx, errors = {}, values = {}, setup = false }: FormProps & { setup?: boolean }) {
  const { t } = ctx;
  const title = setup ? t('setup.title') : t('accounts.signUp.title');
  return (
    <Layout ctx={ctx} title={title}>
      <section class="panel narrow">
        <h1>{title}</h1>
        <p class="lede">{setup ? t('setup.intro') : t('accounts.signUp.intro')}</p>
        <FormErrors ctx={ctx} errors={errors} />
        <form method="post" action={setup ? '/setup' : '/signup'} novalidate>
          <CsrfField ctx={ctx} />
          <Field
            ctx={ctx}
            name="pseudonym"
            label={t('accounts.fields.pseudonym')}
            hint={t('accounts.fields.pseudonymHint')}
            errors={errors}
            value={values.pseudonym}
            autocomplete="nickname"
            required
            maxLength={40}
          />
          <Field
            ctx={ctx}
            name="email"
            type="email"
            label={t('accounts.fields.email')}
            hint={t('accounts.fields.emailHint')}
            errors={errors}
            value={values.email}
            autocomplete="email"
            required
          />
          <Field
            ctx={ctx}
            name="password"
            type="password"
            label={t('accounts.fields.password')}
            hint={t('accounts.fields.passwordHint')}
            errors={errors}
            autocomplete="new-password"
            required
          />
          <button type="submit" class="button">
            {setup ? t('setup.submit') : t('accounts.signUp.submit')}
          </button>
        </form>
        {setup ? null : (
          <p>
            {t('accounts.signUp.haveAccount')} <a href="/login">{t('accounts.logIn.link')}</a>
          </p>
        )}
      </section>
    </Layout>
  );
}

export function LogInPage({ ctx, errors = {}, values = {}, next }: FormProps & { next?: string | undefined }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('accounts.logIn.title')} scripts={['webauthn.js', 'passkeys.js']}>
      <section class="panel narrow">
        <h1>{t('accounts.logIn.title')}</h1>
        <FormErrors ctx={ctx} errors={errors} />
        <form method="post" action="/login" novalidate>
          <CsrfField ctx={ctx} />
          {next ? <input type="hidden" name="next" value={next} /> : null}
          <Field
            ctx={ctx}
            name="email"
            type="email"
            label={t('accounts.fields.email')}
            errors={errors}
            value={values.email}
            autocomplete="email"
            required
          />
          <Field
            ctx={ctx}
            name="password"
            type="password"
            label={t('accounts.fields.password')}
            errors={errors}
            autocomplete="current-password"
            required
          />
          <button type="submit" class="button">
            {t('accounts.logIn.submit')}
          </button>
        </form>
        <div class="passkey-login">
          <button
            type="button"
            class="button button-secondary"
            hidden
            data-passkey="login"
            data-passkey-status="passkey-status"
            data-csrf={ctx.csrfToken}
            data-next={next ?? ''}
            data-waiting={t('accounts.passkeys.waiting')}
            data-failed={t('accounts.passkeys.errors.failed')}
          >
            {t('accounts.passkeys.logIn')}
          </button>
          <p id="passkey-status" aria-live="polite"></p>
        </div>
        <p>
          <a href="/forgot-password">{t('accounts.forgot.link')}</a>
        </p>
        <p>
          {t('accounts.logIn.noAccount')} <a href="/signup">{t('accounts.signUp.link')}</a>
        </p>
      </section>
    </Layout>
  );
}

/** The links between the account's pages. */
export function AccountNav({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  const here = ctx.path.split('?')[0];
  const links = [
    ['/account', t('accounts.nav.account')],
    ['/account/security', t('accounts.nav.security')],
    ['/account/settings', t('accounts.nav.settings')],
    ['/account/email', t('mailLists.account.link')],
    ['/account/notifications', t('notifications.preferences.link')],
    ['/account/push', t('push.account.link')],
    ['/account/meetings', t('meetings.account.link')],
    ['/account/content-warnings', t('contentWarnings.page.link')],
    ['/account/support', t('support.mine.title')],
    ['/account/blocked', t('blocking.page.title')],
    ['/account/data', t('accounts.nav.data')],
    ['/account/tokens', t('api.tokens.title')],
    ['/listings/mine', t('listings.mine.title')],
    ...(ctx.viewer?.isAdmin ? ([['/admin', t('admin.index.link')]] as const) : []),
  ] as const;
  return (
    <nav class="leader-nav" aria-label={t('accounts.nav.label')}>
      {links.map(([href, label]) => (
        <a key={href} href={href} aria-current={here === href ? 'page' : undefined}>
          {label}
        </a>
      ))}
    </nav>
  );
}

export function AccountPage({
  ctx,
  errors = {},
  email,
  emailVerified,
}: FormProps & { email: string; emailVerified: boolean }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('accounts.account.title')}>
      <h1>{t('accounts.account.title')}</h1>
      <AccountNav ctx={ctx} />
      <section class="panel" aria-labelledby="about-you">
        <h2 id="about-you">{t('accounts.account.aboutYou')}</h2>
        <dl class="facts">
          <dt>{t('accounts.fields.pseudonym')}</dt>
          <dd>{ctx.viewer?.pseudonym}</dd>
          <dt>{t('accounts.fields.email')}</dt>
          <dd>
            {email} <span class="muted">({t('accounts.account.emailPrivate')})</span>
          </dd>
        </dl>
        {emailVerified ? (
          <p>{t('accounts.verify.confirmed')}</p>
        ) : (
          <form method="post" action="/account/verify-email">
            <CsrfField ctx={ctx} />
            <p>{t('accounts.verify.notYet')}</p>
            <button type="submit" class="button button-secondary">
              {t('accounts.verify.resend')}
            </button>
          </form>
        )}
      </section>
      <section class="panel" aria-labelledby="change-password">
        <h2 id="change-password">{t('accounts.account.changePassword')}</h2>
        <FormErrors ctx={ctx} errors={errors} />
        <form method="post" action="/account/password" novalidate>
          <CsrfField ctx={ctx} />
          <Field
            ctx={ctx}
            name="currentPassword"
            type="password"
            label={t('accounts.fields.currentPassword')}
            errors={errors}
            autocomplete="current-password"
            required
          />
          <Field
            ctx={ctx}
            name="newPassword"
            type="password"
            label={t('accounts.fields.newPassword')}
            hint={t('accounts.fields.passwordHint')}
            errors={errors}
            autocomplete="new-password"
            required
          />
          <button type="submit" class="button">
            {t('accounts.account.changePasswordSubmit')}
          </button>
        </form>
      </section>
    </Layout>
  );
}

/** The page a confirmation link opens: one button, so that a mail scanner following links confirms nothing. */
export function VerifyEmailPage({ ctx, token, valid }: { ctx: PageContext; token: string; valid: boolean }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('accounts.verify.title')}>
      <section class="panel narrow">
        <h1>{t('accounts.verify.title')}</h1>
        {valid ? (
          <form method="post" action={`/verify-email/${encodeURIComponent(token)}`}>
            <CsrfField ctx={ctx} />
            <p>{t('accounts.verify.intro')}</p>
            <button type="submit" class="button">
              {t('accounts.verify.submit')}
            </button>
          </form>
        ) : (
          <p>
            {t('accounts.errors.linkExpired')} <a href="/account">{t('accounts.verify.newLink')}</a>
          </p>
        )}
      </section>
    </Layout>
  );
}

export function ForgotPasswordPage({ ctx, errors = {}, values = {}, sent = false }: FormProps & { sent?: boolean }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('accounts.forgot.title')}>
      <section class="panel narrow">
        <h1>{t('accounts.forgot.title')}</h1>
        {sent ? (
          <p role="status">{t('accounts.forgot.sent')}</p>
        ) : (
          <>
            <p>{t('accounts.forgot.intro')}</p>
            <FormErrors ctx={ctx} errors={errors} />
            <form method="post" action="/forgot-password" novalidate>
              <CsrfField ctx={ctx} />
              <Field
                ctx={ctx}
                name="email"
                type="email"
                label={t('accounts.fields.email')}
                errors={errors}
                value={values.email}
                autocomplete="email"
                required
              />
              <button type="submit" class="button">
                {t('accounts.forgot.submit')}
              </button>
            </form>
          </>
        )}
      </section>
    </Layout>
  );
}

export function ResetPasswordPage({ ctx, errors = {}, token, valid }: FormProps & { token: string; valid: boolean }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('accounts.reset.title')}>
      <section class="panel narrow">
        <h1>{t('accounts.reset.title')}</h1>
        {valid ? (
          <>
            <FormErrors ctx={ctx} errors={errors} />
            <form method="post" action={`/reset-password/${encodeURIComponent(token)}`} novalidate>
              <CsrfField ctx={ctx} />
              <Field
                ctx={ctx}
                name="newPassword"
                type="password"
                label={t('accounts.fields.newPassword')}
                hint={t('accounts.fields.passwordHint')}
                errors={errors}
                autocomplete="new-password"
                required
              />
              <button type="submit" class="button">
                {t('accounts.reset.submit')}
              </button>
            </form>
          </>
        ) : (
          <p>
            {t('accounts.errors.resetExpired')} <a href="/forgot-password">{t('accounts.forgot.link')}</a>
          </p>
        )}
      </section>
    </Layout>
  );
}
