import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, Field, FormErrors, PostButton, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { GroupHeader, type GroupAccess } from '../groups/index.js';
import type { CopingItem } from './coping.js';

const postLink = (access: GroupAccess, item: CopingItem) =>
  `/g/${access.group.slug}/t/${item.threadId}#post-${item.postId}`;

/** The group's coping strategies: consented replies, each under its author's name in the group. */
export function CopingPage({
  ctx,
  access,
  items,
  signedIn,
}: {
  ctx: PageContext;
  access: GroupAccess;
  items: CopingItem[];
  signedIn: boolean;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('resources.coping.title', { group: access.group.name })}>
      <GroupHeader ctx={ctx} access={access} />
      <section class="panel" aria-labelledby="coping-heading">
        <h2 id="coping-heading">{t('resources.coping.heading')}</h2>
        <p>{t('resources.coping.intro')}</p>
        <p>
          <a href={`/g/${access.group.slug}/resources`}>{t('resources.libraryLink')}</a>
          {signedIn ? (
            <>
              {' · '}
              <a href={`/g/${access.group.slug}/coping/requests`}>{t('resources.coping.requestsLink')}</a>
            </>
          ) : null}
        </p>
        {items.length === 0 ? (
          <p>{t('resources.coping.none')}</p>
        ) : (
          <ul class="plain-list">
            {items.map((item) => (
              <li key={item.id} class="coping-item">
                <h3>{item.title}</h3>
                {item.bodyHtml !== null ? (
                  /* The reply's HTML, sanitised by renderMarkdown when it was posted. */
                  <blockquote class="prose" dangerouslySetInnerHTML={{ __html: item.bodyHtml }} />
                ) : (
                  <p class="notice">{t('resources.coping.warned', { warning: item.warning ?? '' })}</p>
                )}
                <p class="meta">
                  {t('resources.coping.sharedBy', { name: item.author ?? '' })} ·{' '}
                  <a href={postLink(access, item)}>{t('resources.coping.openReply')}</a>
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </Layout>
  );
}

/** The author's side: requests to save their replies, and what they have shared (to take back). */
export function CopingRequestsPage({
  ctx,
  access,
  waiting,
  shared,
}: {
  ctx: PageContext;
  access: GroupAccess;
  waiting: CopingItem[];
  shared: CopingItem[];
}) {
  const { t } = ctx;
  const at = (item: CopingItem, what: string) => `/g/${access.group.slug}/coping/${item.id}/${what}`;
  return (
    <Layout ctx={ctx} title={t('resources.coping.requestsTitle')}>
      <p>
        <a href={`/g/${access.group.slug}/coping`}>{t('resources.coping.back', { group: access.group.name })}</a>
      </p>
      <h1>{t('resources.coping.requestsTitle')}</h1>
      <p class="lede">{t('resources.coping.requestsIntro')}</p>
      <section aria-labelledby="waiting-heading">
        <h2 id="waiting-heading">{t('resources.coping.waitingHeading')}</h2>
        {waiting.length === 0 ? (
          <p>{t('resources.coping.noneWaiting')}</p>
        ) : (
          <ul class="plain-list">
            {waiting.map((item) => (
              <li key={item.id} class="panel">
                <h3>{item.title}</h3>
                {item.bodyHtml ? (
                  <blockquote class="prose" dangerouslySetInnerHTML={{ __html: item.bodyHtml }} />
                ) : null}
                <p>
                  <a href={postLink(access, item)}>{t('resources.coping.openReply')}</a>
                </p>
                <div class="actions">
                  <PostButton
                    ctx={ctx}
                    action={at(item, 'consent')}
                    label={t('resources.coping.consent')}
                    className="button"
                  />
                  <PostButton ctx={ctx} action={at(item, 'decline')} label={t('resources.coping.decline')} />
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="shared-heading">
        <h2 id="shared-heading">{t('resources.coping.sharedHeading')}</h2>
        {shared.length === 0 ? (
          <p>{t('resources.coping.noneShared')}</p>
        ) : (
          <ul class="plain-list">
            {shared.map((item) => (
              <li key={item.id}>
                <a href={postLink(access, item)}>{item.title}</a>{' '}
                <PostButton ctx={ctx} action={at(item, 'decline')} label={t('resources.coping.withdraw')} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </Layout>
  );
}

/** "Save as a coping strategy" again, when the title was missing or the reply cannot be saved. */
export function CopingSaveFormPage({
  ctx,
  slug,
  values,
  errors,
}: {
  ctx: PageContext;
  slug: string;
  values: Record<string, string>;
  errors: FieldErrors;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('resources.coping.save')}>
      <h1>{t('resources.coping.save')}</h1>
      <FormErrors ctx={ctx} errors={errors} />
      <form method="post" action={`/g/${slug}/coping`} novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="postId" value={values.postId ?? ''} />
        <Field
          ctx={ctx}
          name="title"
          label={t('resources.coping.titleLabel')}
          hint={t('resources.coping.saveHint')}
          errors={errors}
          value={values.title}
          maxLength={120}
        />
        <button type="submit" class="button">
          {t('resources.coping.ask')}
        </button>
      </form>
    </Layout>
  );
}
