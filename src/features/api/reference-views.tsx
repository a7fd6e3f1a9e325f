import { Fragment } from 'preact';
import type { PageContext } from '../../platform/http/page.js';
import { apiScopes, problemTypes, type ProblemType } from '../../platform/http/api.js';
import { Layout } from '../../platform/views/layout.js';
import type { FieldDoc, OperationDoc, ParameterDoc, TagDoc } from './reference.js';

/** What the reference page is made from: the operations, and the limits this site runs with. */
export interface ReferenceData {
  tags: TagDoc[];
  /** Requests per window, per token. */
  rateLimit: { max: number; seconds: number };
  /** The two operations "Getting started" walks through, when this site has them. */
  listGroups: OperationDoc | null;
  postReply: OperationDoc | null;
}

/** "{threadId}" → "THREAD_ID": curl reads braces as a pattern, capitals read as "put yours here". */
function placeholderPath(path: string): string {
  return path.replace(/\{(\w+)\}/gu, (_whole, name: string) =>
    name.replace(/([a-z0-9])([A-Z])/gu, '$1_$2').toUpperCase(),
  );
}

/** A curl command for an operation, with its required body fields filled in. */
export function curlFor(baseUrl: string, op: OperationDoc): string {
  const lines = [
    `curl${op.method === 'GET' ? '' : ` -X ${op.method}`} \\`,
    '  -H "Authorization: Bearer $MUTUAL_TOKEN" \\',
  ];
  if (op.body) {
    const json = JSON.stringify(op.body.example).replaceAll("'", "'\\''");
    lines.push('  -H "Content-Type: application/json" \\', `  -d '${json}' \\`);
  }
  lines.push(`  ${baseUrl}${placeholderPath(op.path)}`);
  return lines.join('\n');
}

function Code({ children }: { children: string }) {
  return (
    <pre class="source">
      <code>{children}</code>
    </pre>
  );
}

const problemExample = (baseUrl: string) =>
  JSON.stringify(
    {
      type: `${baseUrl}/api/docs#problem-invalid`,
      title: problemTypes.invalid.title,
      status: 400,
      detail: 'The body is not valid.',
      errors: { body: 'Too small: expected string to have >=1 characters' },
    },
    null,
    2,
  );

/** The API reference: how to begin, the rules every call shares, then every operation and every problem. */
export function ApiDocsPage({ ctx, data }: { ctx: PageContext; data: ReferenceData }) {
  const { t } = ctx;
  const base = ctx.baseUrl;
  const sections: [string, string][] = [
    ['getting-started', t('api.docs.start.heading')],
    ['authentication', t('api.docs.auth.heading')],
    ['scopes', t('api.docs.scopes.heading')],
    ['pagination', t('api.docs.pages.heading')],
    ['etags', t('api.docs.etags.heading')],
    ['rate-limits', t('api.docs.limits.heading')],
    ['errors', t('api.docs.errors.heading')],
    ['versions', t('api.docs.versions.heading')],
  ];
  return (
    <Layout ctx={ctx} title={t('api.docs.title')} description={t('api.docs.lead')}>
      <h1>{t('api.docs.title')}</h1>
      <p>{t('api.docs.lead')}</p>
      <p>{t('api.docs.base')}</p>
      <Code>{`${base}/api/v1`}</Code>
      <p>
        {t('api.docs.openapi')} <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>
      </p>

      <nav aria-labelledby="contents" class="panel">
        <h2 id="contents">{t('api.docs.contents')}</h2>
        <ol>
          {sections.map(([id, label]) => (
            <li key={id}>
              <a href={`#${id}`}>{label}</a>
            </li>
          ))}
          {data.tags.map((tag) => (
            <li key={tag.id}>
              <a href={`#${tag.id}`}>{tag.name}</a>
              <ul>
                {tag.operations.map((op) => (
                  <li key={op.id}>
                    <a href={`#${op.id}`}>
                      {op.method} {op.path}
                    </a>
                  </li>
                ))}
              </ul>
            </li>
          ))}
          <li>
            <a href="#problems">{t('api.docs.problems.heading')}</a>
          </li>
        </ol>
      </nav>

      <section aria-labelledby="getting-started">
        <h2 id="getting-started">{t('api.docs.start.heading')}</h2>
        <ol>
          <li>
            <p>
              {t('api.docs.start.token')} <a href="/account/tokens">{t('api.docs.start.tokenLink')}</a>
            </p>
          </li>
          <li>
            <p>{t('api.docs.start.keep')}</p>
            <Code>{`export MUTUAL_TOKEN=mutual_…\ncurl -H "Authorization: Bearer $MUTUAL_TOKEN" ${base}/api/v1/me`}</Code>
          </li>
          <li>
            <p>{t('api.docs.start.list')}</p>
            {data.listGroups ? (
              <>
                <Code>{curlFor(base, data.listGroups)}</Code>
                <p>
                  <a href={`#${data.listGroups.id}`}>{t('api.docs.start.more', { what: data.listGroups.path })}</a>
                </p>
              </>
            ) : (
              <p>{t('api.docs.start.notYet')}</p>
            )}
          </li>
          <li>
            <p>{t('api.docs.start.reply')}</p>
            {data.postReply ? (
              <>
                <Code>{curlFor(base, data.postReply)}</Code>
                <p>
                  <a href={`#${data.postReply.id}`}>{t('api.docs.start.more', { what: data.postReply.path })}</a>
                </p>
              </>
            ) : (
              <p>{t('api.docs.start.notYet')}</p>
            )}
          </li>
        </ol>
      </section>

      <section aria-labelledby="authentication">
        <h2 id="authentication">{t('api.docs.auth.heading')}</h2>
        <p>{t('api.docs.auth.bearer')}</p>
        <Code>{'Authorization: Bearer mutual_…'}</Code>
        <p>{t('api.docs.auth.refused')}</p>
        <p>{t('api.docs.auth.visitor')}</p>
        <p>{t('api.docs.auth.session')}</p>
      </section>

      <section aria-labelledby="scopes">
        <h2 id="scopes">{t('api.docs.scopes.heading')}</h2>
        <p>{t('api.docs.scopes.intro')}</p>
        <dl class="facts">
          {apiScopes.map((scope) => (
            <Fragment key={scope}>
              <dt>
                <code>{scope}</code> ({t(`api.scopes.${scope}.name`)})
              </dt>
              <dd>{t(`api.scopes.${scope}.explain`)}</dd>
            </Fragment>
          ))}
        </dl>
        <p>{t('api.docs.scopes.rules')}</p>
        <p>{t('api.docs.scopes.organisations')}</p>
      </section>

      <section aria-labelledby="pagination">
        <h2 id="pagination">{t('api.docs.pages.heading')}</h2>
        <p>{t('api.docs.pages.intro')}</p>
        <Code>{'{\n  "items": [ … ],\n  "nextCursor": "WzQyXQ"\n}'}</Code>
        <p>{t('api.docs.pages.next')}</p>
        <Code>{`curl -H "Authorization: Bearer $MUTUAL_TOKEN" "${base}/api/v1/…?limit=50&cursor=WzQyXQ"`}</Code>
      </section>

      <section aria-labelledby="etags">
        <h2 id="etags">{t('api.docs.etags.heading')}</h2>
        <p>{t('api.docs.etags.intro')}</p>
        <Code>{`curl -H "Authorization: Bearer $MUTUAL_TOKEN" \\\n  -H 'If-None-Match: W/"…"' ${base}/api/v1/me`}</Code>
      </section>

      <section aria-labelledby="rate-limits">
        <h2 id="rate-limits">{t('api.docs.limits.heading')}</h2>
        <p>{t('api.docs.limits.intro', { max: data.rateLimit.max, seconds: data.rateLimit.seconds })}</p>
        <Code>{'RateLimit-Limit: …\nRateLimit-Remaining: …\nRateLimit-Reset: …'}</Code>
        <p>{t('api.docs.limits.over')}</p>
      </section>

      <section aria-labelledby="errors">
        <h2 id="errors">{t('api.docs.errors.heading')}</h2>
        <p>{t('api.docs.errors.intro')}</p>
        <Code>{problemExample(base)}</Code>
        <p>
          <a href="#problems">{t('api.docs.errors.list')}</a>
        </p>
      </section>

      <section aria-labelledby="versions">
        <h2 id="versions">{t('api.docs.versions.heading')}</h2>
        <p>{t('api.docs.versions.intro')}</p>
      </section>

      {data.tags.map((tag) => (
        <section key={tag.id} aria-labelledby={tag.id}>
          <h2 id={tag.id}>{tag.name}</h2>
          {tag.operations.map((op) => (
            <Operation key={op.id} ctx={ctx} op={op} />
          ))}
        </section>
      ))}

      <section aria-labelledby="problems">
        <h2 id="problems">{t('api.docs.problems.heading')}</h2>
        <p>{t('api.docs.problems.intro')}</p>
        {(Object.keys(problemTypes) as ProblemType[]).map((type) => (
          <div key={type} class="panel">
            <h3 id={`problem-${type}`}>
              <code>{type}</code> · {problemTypes[type].status} · {problemTypes[type].title}
            </h3>
            <p>{t(`api.problems.${problemKey(type)}`)}</p>
          </div>
        ))}
      </section>
    </Layout>
  );
}

/** The catalog's key for a problem type ("insufficient-scope" → "insufficientScope"). */
function problemKey(type: ProblemType) {
  return type.replace(/-(\w)/gu, (_w, c: string) => c.toUpperCase()) as
    | 'notFound'
    | 'unauthorized'
    | 'forbidden'
    | 'insufficientScope'
    | 'csrf'
    | 'invalid'
    | 'conflict'
    | 'rateLimited'
    | 'server';
}

function Operation({ ctx, op }: { ctx: PageContext; op: OperationDoc }) {
  const { t } = ctx;
  const path = op.parameters.filter((p) => p.in === 'path');
  const query = op.parameters.filter((p) => p.in !== 'path');
  return (
    <article class="panel" aria-labelledby={op.id}>
      <h3 id={op.id}>
        <code>
          {op.method} {op.path}
        </code>
      </h3>
      {op.summary ? (
        <p>
          <strong>{op.summary}</strong>
        </p>
      ) : null}
      {op.description ? <p>{op.description}</p> : null}
      <p>
        {t('api.docs.op.scope')} <a href="#scopes">{op.scope}</a>
      </p>
      {path.length > 0 ? <Parameters ctx={ctx} title={t('api.docs.op.pathParameters')} params={path} /> : null}
      {query.length > 0 ? <Parameters ctx={ctx} title={t('api.docs.op.queryParameters')} params={query} /> : null}
      {op.body ? (
        <>
          <h4>{t('api.docs.op.body')}</h4>
          {op.body.type ? (
            <p>
              <code>{op.body.type}</code>
            </p>
          ) : null}
          <Fields ctx={ctx} fields={op.body.fields} />
        </>
      ) : null}
      <h4>{t('api.docs.op.answers')}</h4>
      <ul>
        {op.responses.map((r) => (
          <li key={r.status}>
            <strong>{r.status}</strong>
            {r.description ? ` ${r.description}` : ''}
            {r.status.startsWith('2') ? (
              <>
                {r.type ? (
                  <>
                    {' '}
                    <code>{r.type}</code>
                  </>
                ) : null}
                <Fields ctx={ctx} fields={r.fields} />
              </>
            ) : r.status.startsWith('4') || r.status.startsWith('5') ? (
              <>
                {' '}
                <a href="#errors">{t('api.docs.op.problem')}</a>
              </>
            ) : null}
          </li>
        ))}
      </ul>
      <h4>{t('api.docs.op.example')}</h4>
      <Code>{curlFor(ctx.baseUrl, op)}</Code>
    </article>
  );
}

function Parameters({ ctx, title, params }: { ctx: PageContext; title: string; params: ParameterDoc[] }) {
  return (
    <>
      <h4>{title}</h4>
      <Fields ctx={ctx} fields={params} />
    </>
  );
}

/** Fields as nested lists: name, type, whether it is required, what it means, and its limits. */
function Fields({ ctx, fields }: { ctx: PageContext; fields: FieldDoc[] }) {
  const { t } = ctx;
  if (fields.length === 0) return null;
  return (
    <ul>
      {fields.map((f) => (
        <li key={f.name}>
          <code>{f.name}</code> <em>{f.type}</em>, {f.required ? t('api.docs.op.required') : t('api.docs.op.optional')}
          {f.description ? `: ${f.description}` : ''}
          {f.rules.length > 0 ? ` (${f.rules.join('; ')})` : ''}
          <Fields ctx={ctx} fields={f.fields} />
        </li>
      ))}
    </ul>
  );
}
