import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, Field, FormErrors, PostButton, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { DateTime, RelativeTime } from '../../platform/views/time.js';
import type { PasskeyRow } from './passkeys.js';
import type { SessionRow } from './service.js';
import type { TwoFactorSetup, TwoFactorStatus } from './two-factor.js';
import { AccountNav } from './views.js';

interface SecurityProps {
  ctx: PageContext;
  twoFactor: TwoFactorStatus;
  passkeys: PasskeyRow[];
  sessions: SessionRow[];
  errors?: FieldErrors;
}

/** Two-step verification, passkeys and the devices logged in: everything that guards the account. */
export function SecurityPage({ ctx, twoFactor, passkeys, sessions, errors = {} }: SecurityProps) {
  const { t } = ctx;
  const unknown = t('accounts.security.sessions.unknownDevice');
  return (
    <Layout ctx={ctx} title={t('accounts.security.title')} scripts={['webauthn.js', 'passkeys.js']}>
      <h1>{t('accounts.security.title')}</h1>
      <AccountNav ctx={ctx} />
      <FormErrors ctx={ctx} errors={errors} />

      <section class="panel" aria-labelledby="two-factor">
        <h2 id="two-factor">{t('accounts.security.twoFactor.heading')}</h2>
        <p>{t('accounts.security.twoFactor.intro')}</p>
        {twoFactor.enabled ? (
          <>
            <p>
              <strong>{t('accounts.security.twoFactor.on')}</strong>{' '}
              {t('accounts.security.twoFactor.codesLeft', { count: twoFactor.recoveryCodesLeft })}
            </p>
            <form method="post" action="/account/recovery-codes" novalidate>
              <CsrfField ctx={ctx} />
              <Field
                ctx={ctx}
                name="password"
                type="password"
                label={t('accounts.security.twoFactor.passwordToChange')}
                errors={errors}
                autocomplete="current-password"
              />
              <button type="submit" class="button button-secondary">
                {t('accounts.security.twoFactor.newCodes')}
              </button>{' '}
              <button type="submit" class="button button-danger" formaction="/account/two-factor/off">
                {t('accounts.security.twoFactor.turnOff')}
              </button>
            </form>
          </>
        ) : (
          <p>
            <a class="button" href="/account/two-factor">
              {t('accounts.twoFactor.turnOnNow')}
            </a>
          </p>
        )}
      </section>

      <section class="panel" aria-labelledby="passkeys">
        <h2 id="passkeys">{t('accounts.security.passkeys.heading')}</h2>
        <p>{t('accounts.security.passkeys.intro')}</p>
        {passkeys.length ? (
          <ul class="plain-list">
            {passkeys.map((p) => (
              <li key={p.id}>
                <strong>{p.device || unknown}</strong> · {t('accounts.security.passkeys.added')}{' '}
                <DateTime ctx={ctx} date={p.createdAt} />
                {p.lastUsedAt ? (
                  <>
                    {' · '}
                    {t('accounts.security.passkeys.lastUsed')} <RelativeTime ctx={ctx} date={p.lastUsedAt} />
                  </>
                ) : null}{' '}
                <PostButton
                  ctx={ctx}
                  action={`/account/passkeys/${encodeURIComponent(p.id)}/remove`}
                  label={t('accounts.security.passkeys.remove')}
                  className="button button-small button-secondary"
                />
              </li>
            ))}
          </ul>
        ) : (
          <p class="empty">{t('accounts.security.passkeys.none')}</p>
        )}
        <button
          type="button"
          class="button button-secondary"
          hidden
          data-passkey="register"
          data-passkey-status="passkey-status"
          data-csrf={ctx.csrfToken}
          data-waiting={t('accounts.passkeys.waiting')}
          data-failed={t('accounts.passkeys.errors.failed')}
        >
          {t('accounts.security.passkeys.add')}
        </button>
        <p id="passkey-status" aria-live="polite"></p>
        <noscript>
          <p>{t('accounts.security.passkeys.needsScript')}</p>
        </noscript>
      </section>

      <section class="panel" aria-labelledby="devices">
        <h2 id="devices">{t('accounts.security.sessions.heading')}</h2>
        <p>{t('accounts.security.sessions.count', { count: sessions.length })}</p>
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('accounts.security.sessions.device')}</th>
              <th scope="col">{t('accounts.security.sessions.since')}</th>
              <th scope="col">{t('accounts.security.sessions.lastSeen')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('accounts.security.sessions.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id}>
                <td>
                  {s.device || unknown}
                  {s.current ? <strong> ({t('accounts.security.sessions.thisDevice')})</strong> : null}
                </td>
                <td>
                  <DateTime ctx={ctx} date={s.createdAt} />
                </td>
                <td>
                  <RelativeTime ctx={ctx} date={s.lastSeenAt} />
                </td>
                <td>
                  {s.current ? null : (
                    <PostButton
                      ctx={ctx}
                      action={`/account/sessions/${s.id}/end`}
                      label={t('accounts.security.sessions.end')}
                      className="button button-small button-secondary"
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form method="post" action="/logout-everywhere">
          <CsrfField ctx={ctx} />
          <button type="submit" class="button button-secondary">
            {t('accounts.account.logOutEverywhere')}
          </button>
        </form>
      </section>
    </Layout>
  );
}

/** Setting up the authenticator app: scan or type the key, then prove it with a first code. */
export function TwoFactorSetupPage({
  ctx,
  setup,
  next,
  errors = {},
}: {
  ctx: PageContext;
  setup: TwoFactorSetup;
  next: string;
  errors?: FieldErrors;
}) {
  const { t } = ctx;
  const grouped = setup.secret.match(/.{1,4}/g)!.join(' ');
  return (
    <Layout ctx={ctx} title={t('accounts.twoFactor.setup.title')}>
      <section class="panel narrow">
        <h1>{t('accounts.twoFactor.setup.title')}</h1>
        <p class="lede">{t('accounts.twoFactor.setup.intro')}</p>
        {ctx.viewer?.isAdmin ? <p>{t('accounts.twoFactor.setup.leaders')}</p> : null}
        <ol>
          <li>{t('accounts.twoFactor.setup.stepApp')}</li>
          <li>
            {t('accounts.twoFactor.setup.stepScan')}
            <p>
              <img src={setup.qrCode} width={200} height={200} alt={t('accounts.twoFactor.setup.qrAlt')} />
            </p>
            <p>
              {t('accounts.twoFactor.setup.stepKey')} <code id="totp-key">{grouped}</code>
            </p>
          </li>
          <li>{t('accounts.twoFactor.setup.stepCode')}</li>
        </ol>
        <FormErrors ctx={ctx} errors={errors} />
        <form method="post" action="/account/two-factor" novalidate>
          <CsrfField ctx={ctx} />
          <input type="hidden" name="next" value={next} />
          <Field
            ctx={ctx}
            name="code"
            label={t('accounts.twoFactor.fields.code')}
            hint={t('accounts.twoFactor.fields.codeHint')}
            errors={errors}
            autocomplete="one-time-code"
            required
            maxLength={40}
          />
          <button type="submit" class="button">
            {t('accounts.twoFactor.setup.submit')}
          </button>
        </form>
      </section>
    </Layout>
  );
}

/** Recovery codes, shown once: when two-step verification is turned on, and when new ones are made. */
export function RecoveryCodesPage({ ctx, codes, next }: { ctx: PageContext; codes: string[]; next: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('accounts.twoFactor.codes.title')}>
      <section class="panel narrow">
        <h1>{t('accounts.twoFactor.codes.title')}</h1>
        <p class="lede">{t('accounts.twoFactor.codes.intro')}</p>
        <ul class="recovery-codes" aria-label={t('accounts.twoFactor.codes.title')}>
          {codes.map((code) => (
            <li key={code}>
              <code>{code}</code>
            </li>
          ))}
        </ul>
        <p>{t('accounts.twoFactor.codes.keep')}</p>
        <p>
          <a class="button" href={next}>
            {t('accounts.twoFactor.codes.done')}
          </a>
        </p>
      </section>
    </Layout>
  );
}

/** The login's second step: a code from the app, or a recovery code. */
export function SecondStepPage({
  ctx,
  next,
  errors = {},
}: {
  ctx: PageContext;
  next: string | undefined;
  errors?: FieldErrors;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('accounts.twoFactor.login.title')}>
      <section class="panel narrow">
        <h1>{t('accounts.twoFactor.login.title')}</h1>
        <p>{t('accounts.twoFactor.login.intro')}</p>
        <FormErrors ctx={ctx} errors={errors} />
        <form method="post" action="/login/two-factor" novalidate>
          <CsrfField ctx={ctx} />
          {next ? <input type="hidden" name="next" value={next} /> : null}
          <Field
            ctx={ctx}
            name="code"
            label={t('accounts.twoFactor.fields.code')}
            hint={t('accounts.twoFactor.login.hint')}
            errors={errors}
            autocomplete="one-time-code"
            required
            maxLength={40}
          />
          <button type="submit" class="button">
            {t('accounts.twoFactor.login.submit')}
          </button>
        </form>
        <p>
          <a href="/login">{t('accounts.twoFactor.login.startAgain')}</a>
        </p>
      </section>
    </Layout>
  );
}
