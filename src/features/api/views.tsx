import type { PageContext } from '../../platform/http/page.js';
import { apiScopes } from '../../platform/http/api.js';
import { CsrfField, errorMessage, Field, FormErrors, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { DateTime, RelativeTime } from '../../platform/views/time.js';
import { AccountNav } from '../accounts/index.js';
import { leaderScopes, tokenLifetimes, type TokenRow } from './service.js';

/** Where a tokens page lives and whose tokens it shows: the person's own, or an organisation's. */
export interface TokensPlace {
  /** '/account/tokens' or '/o/<slug>/tokens'. */
  path: string;
  organisation: { name: string; slug: string } | null;
}

function title(ctx: PageContext, place: TokensPlace): string {
  return place.organisation
    ? ctx.t('api.tokens.organisationTitle', { name: place.organisation.name })
    : ctx.t('api.tokens.title');
}

interface TokensProps {
  ctx: PageContext;
  place: TokensPlace;
  tokens: TokenRow[];
  errors?: FieldErrors;
  values?: Record<string, string>;
  /** The scopes ticked when the form comes back with errors. */
  scopes?: string[];
}

/** The list of tokens, each with what it may do and when it was last used, and the form to make one. */
export function TokensPage({ ctx, place, tokens, errors = {}, values = {}, scopes = ['read'] }: TokensProps) {
  const { t } = ctx;
  const now = new Date();
  return (
    <Layout ctx={ctx} title={title(ctx, place)}>
      <h1>{title(ctx, place)}</h1>
      {place.organisation ? (
        <p>
          <a href={`/o/${place.organisation.slug}`}>{place.organisation.name}</a>
        </p>
      ) : (
        <AccountNav ctx={ctx} />
      )}
      <p>
        {place.organisation
          ? t('api.tokens.organisationIntro', { name: place.organisation.name })
          : t('api.tokens.intro')}
      </p>
      <p>
        <a href="/api/docs">{t('api.tokens.docsLink')}</a>
      </p>
      <FormErrors ctx={ctx} errors={errors} />

      <section class="panel" aria-labelledby="tokens-heading">
        <h2 id="tokens-heading">{t('api.tokens.listHeading')}</h2>
        {tokens.length === 0 ? (
          <p class="empty">{t('api.tokens.none')}</p>
        ) : (
          <ul class="plain-list">
            {tokens.map((token) => {
              const expired = token.expiresAt !== null && token.expiresAt <= now;
              return (
                <li key={token.id}>
                  <h3>{token.name}</h3>
                  <dl class="facts">
                    <dt>{t('api.tokens.startsWith')}</dt>
                    <dd>
                      <code>{token.prefix}…</code>
                    </dd>
                    <dt>{t('api.tokens.scopes')}</dt>
                    <dd>{token.scopes.map((s) => scopeName(ctx, s)).join(', ')}</dd>
                    <dt>{t('api.tokens.created')}</dt>
                    <dd>
                      <DateTime ctx={ctx} date={token.createdAt} />
                    </dd>
                    <dt>{t('api.tokens.lastUsed')}</dt>
                    <dd>
                      {token.lastUsedAt ? (
                        <RelativeTime ctx={ctx} date={token.lastUsedAt} />
                      ) : (
                        t('api.tokens.neverUsed')
                      )}
                    </dd>
                    <dt>{t('api.tokens.expires')}</dt>
                    <dd>
                      {token.expiresAt ? <DateTime ctx={ctx} date={token.expiresAt} /> : t('api.tokens.neverExpires')}
                    </dd>
                    <dt>{t('api.tokens.status')}</dt>
                    <dd>
                      {token.revokedAt ? (
                        <>
                          {t('api.tokens.revoked')} <DateTime ctx={ctx} date={token.revokedAt} />
                        </>
                      ) : expired ? (
                        t('api.tokens.expired')
                      ) : (
                        t('api.tokens.active')
                      )}
                    </dd>
                  </dl>
                  {token.revokedAt ? null : (
                    <p>
                      <a class="button button-small button-secondary" href={`${place.path}/${token.id}/revoke`}>
                        {t('api.tokens.revoke')}
                        <span class="visually-hidden"> {token.name}</span>
                      </a>
                    </p>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section class="panel" aria-labelledby="new-token">
        <h2 id="new-token">{t('api.tokens.newHeading')}</h2>
        <form method="post" action={place.path} novalidate>
          <CsrfField ctx={ctx} />
          <Field
            ctx={ctx}
            name="name"
            label={t('api.tokens.name')}
            hint={t('api.tokens.nameHint')}
            errors={errors}
            value={values.name}
            required
            maxLength={80}
          />
          <ScopeChoices ctx={ctx} errors={errors} chosen={scopes} />
          <fieldset class={errors.expires ? 'field field-error' : 'field'}>
            <legend>{t('api.tokens.expiry')}</legend>
            {errors.expires ? (
              <p class="error" id="expires-error">
                {errorMessage(ctx, errors.expires)}
              </p>
            ) : null}
            {tokenLifetimes.map((value) => (
              <div class="choice" key={value}>
                <input
                  type="radio"
                  id={`expires-${value}`}
                  name="expires"
                  value={value}
                  checked={(values.expires ?? '90') === value}
                />
                <label for={`expires-${value}`}>{t(lifetimeLabels[value])}</label>
              </div>
            ))}
          </fieldset>
          <button type="submit" class="button">
            {t('api.tokens.create')}
          </button>
        </form>
      </section>
    </Layout>
  );
}

const lifetimeLabels = {
  '30': 'api.tokens.lifetimes.days30',
  '90': 'api.tokens.lifetimes.days90',
  '365': 'api.tokens.lifetimes.days365',
  never: 'api.tokens.lifetimes.never',
} as const;

function scopeName(ctx: PageContext, scope: string): string {
  return (apiScopes as readonly string[]).includes(scope)
    ? ctx.t(`api.scopes.${scope as (typeof apiScopes)[number]}.name`)
    : scope;
}

/** The four scopes, each with what it lets a program do; the leaders' ones say they need two-step verification. */
function ScopeChoices({ ctx, errors, chosen }: { ctx: PageContext; errors: FieldErrors; chosen: string[] }) {
  const { t } = ctx;
  const error = errors.scopes;
  return (
    <fieldset class={error ? 'field field-error' : 'field'} aria-describedby="scopes-hint">
      <legend>{t('api.tokens.scopesLegend')}</legend>
      <p class="hint" id="scopes-hint">
        {t('api.tokens.scopesHint')}
      </p>
      {error ? (
        <p class="error" id="scopes-error">
          {errorMessage(ctx, error)}
          {error === 'api.tokens.errors.secondFactor' ? (
            <>
              {' '}
              <a href="/account/two-factor?next=/account/tokens">{t('accounts.twoFactor.turnOnNow')}</a>
            </>
          ) : null}
        </p>
      ) : null}
      {apiScopes.map((scope) => (
        <div class="choice" key={scope}>
          <input
            type="checkbox"
            id={`scope-${scope}`}
            name="scopes"
            value={scope}
            checked={chosen.includes(scope)}
            aria-describedby={`scope-${scope}-hint`}
          />
          <label for={`scope-${scope}`}>{t(`api.scopes.${scope}.name`)}</label>
          <p class="hint" id={`scope-${scope}-hint`}>
            {t(`api.scopes.${scope}.explain`)}
            {leaderScopes.includes(scope) && !ctx.viewer?.secondFactor ? ` ${t('api.tokens.needsSecondFactor')}` : ''}
          </p>
        </div>
      ))}
    </fieldset>
  );
}

/** The new token, shown this once: never in a URL, never stored, never cached. */
export function TokenCreatedPage({
  ctx,
  place,
  token,
  name,
}: {
  ctx: PageContext;
  place: TokensPlace;
  token: string;
  name: string;
}) {
  const { t } = ctx;
  const example = `curl -H "Authorization: Bearer ${token}" ${ctx.baseUrl}/api/v1/me`;
  return (
    <Layout ctx={ctx} title={t('api.tokens.createdTitle')}>
      <h1>{t('api.tokens.createdTitle')}</h1>
      <p class="notice notice-warning" role="status">
        <strong>{t('api.tokens.onceWarning')}</strong>
      </p>
      <section class="panel" aria-labelledby="the-token">
        <h2 id="the-token">{name}</h2>
        <label for="new-token-value">{t('api.tokens.tokenLabel')}</label>
        <p class="hint" id="new-token-hint">
          {t('api.tokens.copyHint')}
        </p>
        <input
          id="new-token-value"
          type="text"
          readOnly
          value={token}
          aria-describedby="new-token-hint"
          autocomplete="off"
          spellcheck={false}
          class="token-value"
        />
        <h3>{t('api.tokens.tryIt')}</h3>
        <pre class="source">
          <code>{example}</code>
        </pre>
      </section>
      <p>
        <a href={place.path}>{t('api.tokens.back')}</a> ·{' '}
        <a href="/api/docs#getting-started">{t('api.tokens.docsLink')}</a>
      </p>
    </Layout>
  );
}

/** Asks before revoking, as revoking stops every program using the token at once. */
export function RevokeTokenPage({ ctx, place, token }: { ctx: PageContext; place: TokensPlace; token: TokenRow }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('api.tokens.revokeTitle', { name: token.name })}>
      <h1>{t('api.tokens.revokeTitle', { name: token.name })}</h1>
      <p>{t('api.tokens.revokeExplain')}</p>
      <form method="post" action={`${place.path}/${token.id}/revoke`}>
        <CsrfField ctx={ctx} />
        <button type="submit" class="button button-danger">
          {t('api.tokens.revokeConfirm')}
        </button>{' '}
        <a href={place.path}>{t('api.tokens.keep')}</a>
      </form>
    </Layout>
  );
}
