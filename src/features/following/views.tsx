import type { ComponentChildren } from 'preact';
import type { PageContext } from '../../platform/http/page.js';
import { assetUrl } from '../../platform/views/assets.js';
import { CsrfField } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import type { LevelSource } from './levels.js';
import type { FollowLevel } from './schema.js';

const levels: FollowLevel[] = ['watching', 'tracking', 'muted'];

/**
 * "Notifications for this discussion / group": the three levels, each with what it means, in a
 * form that works without JavaScript and that htmx posts and swaps in place (the answer is this
 * control again, saying it is saved, in a polite status region).
 */
export function FollowControl({
  ctx,
  what,
  action,
  level,
  source = 'default',
  saved = false,
  error = false,
}: {
  ctx: PageContext;
  what: 'thread' | 'group';
  action: string;
  level: FollowLevel;
  /** For a thread: whether the level was chosen for it, comes from its group, or is the default. */
  source?: LevelSource;
  saved?: boolean;
  error?: boolean;
}) {
  const { t } = ctx;
  const id = `follow-${what}`;
  return (
    <section class="follow panel" id={id} aria-labelledby={`${id}-heading`}>
      <form method="post" action={action} hx-post={action} hx-target={`#${id}`} hx-swap="outerHTML">
        <CsrfField ctx={ctx} />
        <fieldset>
          <legend id={`${id}-heading`}>{t(`following.${what}.heading`)}</legend>
          {what === 'thread' && source === 'group' ? (
            <p class="hint">
              {t(level === 'muted' ? 'following.thread.fromMutedGroup' : 'following.thread.fromGroup')}
            </p>
          ) : null}
          {levels.map((l) => (
            <div class="choice" key={l}>
              <input
                type="radio"
                id={`${id}-${l}`}
                name="level"
                value={l}
                checked={l === level}
                aria-describedby={`${id}-${l}-hint`}
              />
              <label for={`${id}-${l}`}>{t(`following.levels.${l}`)}</label>
              <p class="hint" id={`${id}-${l}-hint`}>
                {t(`following.${what}.${l}Hint`)}
              </p>
            </div>
          ))}
        </fieldset>
        <button type="submit" class="button button-small button-secondary">
          {t('following.save')}
        </button>
        <p role="status" class={error ? 'error' : 'meta'}>
          {error ? t('following.errors.level') : saved ? t(`following.saved.${level}`) : ''}
        </p>
      </form>
    </section>
  );
}

/**
 * The mention autocomplete around a post form's body field: where the group's names come from,
 * and the words the list speaks, for a small script (src/client/mentions.js) that offers names
 * while someone types "@". Without the script (or JavaScript) the field is a plain field.
 */
export function MentionsField({
  ctx,
  slug,
  children,
}: {
  ctx: PageContext;
  slug: string;
  children: ComponentChildren;
}) {
  const { t } = ctx;
  return (
    <div
      class="mentions-field"
      data-names={`/g/${slug}/names`}
      data-list-label={t('following.mentions.listLabel')}
      data-found-one={t('following.mentions.found', { count: 1 })}
      // The template itself, whose {count} the script fills in: "{count}" selects the plural form "other".
      data-found-other={t('following.mentions.found', { count: '{count}' })}
      data-none={t('following.mentions.none')}
    >
      {children}
      <script src={assetUrl('mentions.js')} defer></script>
    </div>
  );
}

/** Without JavaScript, a level that could not be saved: the control on a page of its own, and the way back. */
export function FollowPage({
  ctx,
  control,
  back,
}: {
  ctx: PageContext;
  control: Parameters<typeof FollowControl>[0];
  back: string;
}) {
  return (
    <Layout ctx={ctx} title={ctx.t(`following.${control.what}.heading`)}>
      <p class="breadcrumb">
        <a href={back}>{ctx.t('following.back')}</a>
      </p>
      <FollowControl {...control} />
    </Layout>
  );
}
