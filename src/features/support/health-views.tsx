import type { PageContext } from '../../platform/http/page.js';
import { Layout } from '../../platform/views/layout.js';
import { GroupHeader, type GroupAccess } from '../groups/index.js';
import type { GroupHealth } from './health.js';

/** "About 3 hours": a median reads best rounded to its largest unit. */
function Duration({ ctx, seconds }: { ctx: PageContext; seconds: number }) {
  const minutes = Math.max(1, Math.round(seconds / 60));
  if (minutes < 60) return <>{ctx.t('support.health.minutes', { count: minutes })}</>;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return <>{ctx.t('support.health.hours', { count: hours })}</>;
  return <>{ctx.t('support.health.days', { count: Math.round(hours / 24) })}</>;
}

/** /g/:slug/health: figures about the whole group, for those who lead it. Nobody is named. */
export function HealthPage({ ctx, access, health }: { ctx: PageContext; access: GroupAccess; health: GroupHealth }) {
  const { t } = ctx;
  const percent = health.threads === 0 ? 0 : Math.round((100 * health.answeredInADay) / health.threads);
  return (
    <Layout ctx={ctx} title={t('support.health.title', { name: access.group.name })}>
      <GroupHeader ctx={ctx} access={access} />
      <section class="panel" aria-labelledby="health-heading">
        <h2 id="health-heading">{t('support.health.heading')}</h2>
        <p class="lede">{t('support.health.intro')}</p>
        <dl class="facts">
          <dt>{t('support.health.answered')}</dt>
          <dd>
            {health.threads === 0
              ? t('support.health.noThreads')
              : t('support.health.answeredValue', {
                  answered: health.answeredInADay,
                  threads: health.threads,
                  percent,
                })}
          </dd>
          <dt>{t('support.health.median')}</dt>
          <dd>
            {health.medianSeconds === null ? (
              t('support.health.noAnswers')
            ) : (
              <Duration ctx={ctx} seconds={health.medianSeconds} />
            )}
          </dd>
          <dt>{t('support.health.helpers')}</dt>
          <dd>{health.activeHelpers}</dd>
        </dl>
        <p class="hint">{t('support.health.helpersHint')}</p>
      </section>
    </Layout>
  );
}
