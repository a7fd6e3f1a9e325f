import type { ComponentChildren } from 'preact';
import type { PageContext } from '../../platform/http/page.js';
import { CsrfField } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { RelativeTime } from '../../platform/views/time.js';
import { AccountNav } from '../accounts/index.js';
import type { BlockedPerson } from './service.js';

function SmallPost({ ctx, action, label, text }: { ctx: PageContext; action: string; label?: string; text: string }) {
  return (
    <form method="post" action={action} class="inline-form">
      <CsrfField ctx={ctx} />
      <button type="submit" class="link-button" aria-label={label}>
        {text}
      </button>
    </form>
  );
}

/** "Block", on a named post by someone else. */
export function BlockButton({ ctx, postId, name }: { ctx: PageContext; postId: number; name: string }) {
  return (
    <SmallPost
      ctx={ctx}
      action={`/posts/${postId}/block`}
      label={ctx.t('blocking.blockLabel', { name })}
      text={ctx.t('blocking.block')}
    />
  );
}

/** "Hide this post for me", on an anonymous post by someone else (or show it again). */
export function HideForMeButton({ ctx, postId, hidden }: { ctx: PageContext; postId: number; hidden: boolean }) {
  return (
    <SmallPost
      ctx={ctx}
      action={`/posts/${postId}/${hidden ? 'show-for-me' : 'hide-for-me'}`}
      text={ctx.t(hidden ? 'blocking.showForMe' : 'blocking.hideForMe')}
    />
  );
}

/** A post the viewer hid for themselves: closed, with a way to read it anyway. */
export function HiddenForMe({
  ctx,
  hidden,
  children,
}: {
  ctx: PageContext;
  hidden: boolean;
  children: ComponentChildren;
}) {
  if (!hidden) return <>{children}</>;
  return (
    <details class="hidden-for-me">
      <summary>
        {ctx.t('blocking.hiddenForMe')} <span class="content-warning-open">{ctx.t('blocking.openHidden')}</span>
      </summary>
      {children}
    </details>
  );
}

/** Mute or unmute, on the thread page. */
export function MuteButton({ ctx, threadId, muted }: { ctx: PageContext; threadId: number; muted: boolean }) {
  return (
    <div class="mute">
      {muted ? <p class="meta">{ctx.t('blocking.mutedNote')}</p> : null}
      <form method="post" action={`/threads/${threadId}/${muted ? 'unmute' : 'mute'}`} class="inline-form">
        <CsrfField ctx={ctx} />
        <button type="submit" class="button button-small button-secondary">
          {ctx.t(muted ? 'blocking.unmute' : 'blocking.mute')}
        </button>
      </form>
    </div>
  );
}

/** /account/blocked: whom the person blocked, named as they saw them, each with its group and an unblock. */
export function BlockedPage({ ctx, blocked }: { ctx: PageContext; blocked: BlockedPerson[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('blocking.page.title')}>
      <h1>{t('blocking.page.title')}</h1>
      <AccountNav ctx={ctx} />
      <section class="panel">
        <p class="lede">{t('blocking.page.intro')}</p>
        <p>{t('blocking.page.anonymousNote')}</p>
        {blocked.length === 0 ? (
          <p class="empty">{t('blocking.page.empty')}</p>
        ) : (
          <ul class="blocked-list">
            {blocked.map((b) => {
              const group = b.group?.name ?? t('blocking.page.formerGroup');
              return (
                <li key={`${b.groupId}-${b.name}`} class="blocked-row">
                  <strong>{b.name}</strong>{' '}
                  <span>
                    {t('blocking.page.inGroup')} {b.group ? <a href={`/g/${b.group.slug}`}>{b.group.name}</a> : group}
                  </span>{' '}
                  <span class="meta">
                    {t('blocking.page.since')} <RelativeTime ctx={ctx} date={b.createdAt} />
                  </span>{' '}
                  <form method="post" action="/account/blocked/unblock" class="inline-form">
                    <CsrfField ctx={ctx} />
                    <input type="hidden" name="group" value={String(b.groupId)} />
                    <input type="hidden" name="name" value={b.name} />
                    <button
                      type="submit"
                      class="button button-small button-secondary"
                      aria-label={t('blocking.page.unblockLabel', { name: b.name, group })}
                    >
                      {t('blocking.page.unblock')}
                    </button>
                  </form>
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </Layout>
  );
}
