import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, FormErrors, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import type { PersonTrust } from './admin.js';
import { requirements, trustLevels, type TrustLevel } from './levels.js';

export const levelKey = (l: TrustLevel) => `trust.levels.l${l}` as const;

function LevelForm({ ctx, person, index }: { ctx: PageContext; person: PersonTrust; index: number }) {
  const { t } = ctx;
  const manual = person.activity.manualLevel;
  const current = manual === null ? 'auto' : String(manual);
  return (
    <form method="post" action="/admin/trust" class="inline-form">
      <CsrfField ctx={ctx} />
      <input type="hidden" name="pseudonym" value={person.pseudonym} />
      <label for={`level-${index}`}>{t('trust.admin.levelFor', { name: person.pseudonym })}</label>{' '}
      <select id={`level-${index}`} name="level">
        <option value="auto" selected={current === 'auto'}>
          {t('trust.admin.earned')}
        </option>
        {trustLevels.map((l) => (
          <option key={l} value={String(l)} selected={current === String(l)}>
            {t(levelKey(l))}
          </option>
        ))}
      </select>{' '}
      <input type="checkbox" id={`locked-${index}`} name="locked" checked={person.activity.locked} />{' '}
      <label for={`locked-${index}`}>{t('trust.admin.lock')}</label>{' '}
      <button type="submit" class="button">
        {t('trust.admin.save')}
      </button>
    </form>
  );
}

export function TrustAdminPage({
  ctx,
  q,
  people,
  errors = {},
}: {
  ctx: PageContext;
  q: string;
  people: PersonTrust[];
  errors?: FieldErrors;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('trust.admin.title')}>
      <h1>{t('trust.admin.title')}</h1>
      <p>{t('trust.admin.intro')}</p>
      <FormErrors ctx={ctx} errors={errors} />
      <form method="get" action="/admin/trust" role="search">
        <div class="field">
          <label for="field-q">{t('trust.admin.search')}</label>
          <input id="field-q" name="q" type="search" value={q} maxLength={80} />
        </div>
        <button type="submit" class="button">
          {t('trust.admin.find')}
        </button>
      </form>
      <section class="panel" aria-labelledby="people-heading">
        <h2 id="people-heading">{q ? t('trust.admin.found', { q }) : t('trust.admin.setByHand')}</h2>
        {people.length === 0 ? <p class="empty">{q ? t('trust.admin.noneFound') : t('trust.admin.noneSet')}</p> : null}
        {people.map((p, i) => (
          <article key={p.id} class="panel" aria-labelledby={`person-${i}`}>
            <h3 id={`person-${i}`}>{p.pseudonym}</h3>
            <p>
              {t('trust.admin.level', { level: t(levelKey(p.level)) })}
              {p.activity.manualLevel !== null
                ? ` · ${t(p.activity.locked ? 'trust.admin.lockedAt' : 'trust.admin.atLeast', {
                    level: t(levelKey(p.activity.manualLevel as TrustLevel)),
                  })}`
                : ''}
            </p>
            <p class="meta">
              {t('trust.admin.activity', {
                days: p.activity.daysVisited,
                posts: p.activity.posts,
                reacted: p.activity.reactedReplies,
              })}
              {p.activity.hiddenRecently > 0
                ? ` · ${t('trust.admin.hidden', { count: p.activity.hiddenRecently })}`
                : ''}
            </p>
            <LevelForm ctx={ctx} person={p} index={i} />
          </article>
        ))}
      </section>
      <section class="panel" aria-labelledby="levels-heading">
        <h2 id="levels-heading">{t('trust.admin.levelsHeading')}</h2>
        <ul>
          <li>{t('trust.admin.level0')}</li>
          {([1, 2, 3] as const).map((l) => (
            <li key={l}>
              {t('trust.admin.earnedBy', {
                level: t(levelKey(l)),
                accountDays: requirements[l].accountDays,
                days: requirements[l].daysVisited,
                posts: requirements[l].posts,
                reacted: requirements[l].reactedReplies,
              })}
            </li>
          ))}
        </ul>
      </section>
    </Layout>
  );
}
