import type { PageContext } from '../../platform/http/page.js';
import { CsrfField } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { RelativeTime } from '../../platform/views/time.js';
import { AccountNav } from '../accounts/index.js';
import type { MemberBadge } from './badges.js';
import type { Figures, GroupFigures, ThanksReceived } from './recognition.js';
import { badgeVars } from './thanks-views.js';

function FigureList({ ctx, figures, thanks }: { ctx: PageContext; figures: Figures; thanks: number }) {
  const { t } = ctx;
  return (
    <dl class="facts">
      <dt>{t('support.mine.replies')}</dt>
      <dd>{figures.replies}</dd>
      <dt>{t('support.mine.answeredFirst')}</dt>
      <dd>{figures.answeredFirst}</dd>
      <dt>{t('support.mine.reactionsGiven')}</dt>
      <dd>{figures.reactionsGiven}</dd>
      <dt>{t('support.mine.reactionsReceived')}</dt>
      <dd>{figures.reactionsReceived}</dd>
      <dt>{t('support.mine.thanksCount')}</dt>
      <dd>{thanks}</dd>
    </dl>
  );
}

function ByGroup({ ctx, groups, thanks }: { ctx: PageContext; groups: GroupFigures[]; thanks: ThanksReceived[] }) {
  const { t } = ctx;
  return (
    <table class="table">
      <caption>{t('support.mine.byGroup')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('support.mine.group')}</th>
          <th scope="col">{t('support.mine.replies')}</th>
          <th scope="col">{t('support.mine.answeredFirst')}</th>
          <th scope="col">{t('support.mine.reactionsGiven')}</th>
          <th scope="col">{t('support.mine.reactionsReceived')}</th>
          <th scope="col">{t('support.mine.thanksCount')}</th>
        </tr>
      </thead>
      <tbody>
        {groups.map((g) => (
          <tr key={g.groupId}>
            <th scope="row">
              {g.group ? <a href={`/g/${g.group.slug}`}>{g.group.name}</a> : t('support.mine.formerGroup')}
            </th>
            <td>{g.replies}</td>
            <td>{g.answeredFirst}</td>
            <td>{g.reactionsGiven}</td>
            <td>{g.reactionsReceived}</td>
            <td>{thanks.filter((n) => n.groupId === g.groupId).length}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ThanksList({ ctx, thanks }: { ctx: PageContext; thanks: ThanksReceived[] }) {
  const { t } = ctx;
  if (thanks.length === 0) return <p class="empty">{t('support.mine.thanksNone')}</p>;
  return (
    <ul class="plain-list">
      {thanks.map((n) => (
        <li key={n.id} id={`thanks-${n.id}`} class="panel">
          <p>
            <strong>
              {t('support.mine.thanksFrom', {
                name: n.from ?? t('support.mine.formerMember'),
                group: n.group?.name ?? t('support.mine.formerGroup'),
              })}
            </strong>{' '}
            <span class="meta">
              <RelativeTime ctx={ctx} date={n.createdAt} />
            </span>
          </p>
          <blockquote>{n.message || t('support.mine.noMessage')}</blockquote>
          {n.group ? (
            <p>
              <a href={`/g/${n.group.slug}/t/${n.threadId}#post-${n.postId}`}>{t('support.mine.seeReply')}</a>
            </p>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function BadgeChoice({ ctx, badges }: { ctx: PageContext; badges: MemberBadge[] }) {
  const { t } = ctx;
  if (badges.length === 0) return <p>{t('support.badges.none')}</p>;
  return (
    <form method="post" action="/account/support/badges">
      <CsrfField ctx={ctx} />
      <fieldset>
        <legend>{t('support.badges.legend')}</legend>
        {badges.map((b) => (
          <div class="choice" key={b.badge}>
            <input
              type="checkbox"
              id={`badge-${b.badge}`}
              name="shown"
              value={b.badge}
              checked={b.shown}
              aria-describedby={`badge-${b.badge}-hint`}
            />
            <label for={`badge-${b.badge}`}>{t(`support.badges.names.${b.badge}`)}</label>
            <p class="hint" id={`badge-${b.badge}-hint`}>
              {t(`support.badges.about.${b.badge}`, badgeVars)}
            </p>
          </div>
        ))}
      </fieldset>
      <button type="submit" class="button">
        {t('support.badges.save')}
      </button>
    </form>
  );
}

/** /account/support: what the member gave and received, for their eyes only. */
export function MySupportPage({
  ctx,
  groups,
  total,
  thanks,
  badges,
}: {
  ctx: PageContext;
  groups: GroupFigures[];
  total: Figures;
  thanks: ThanksReceived[];
  badges: MemberBadge[];
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('support.mine.title')}>
      <h1>{t('support.mine.title')}</h1>
      <AccountNav ctx={ctx} />
      <p class="lede">{t('support.mine.private')}</p>
      <section class="panel" aria-labelledby="support-totals">
        <h2 id="support-totals">{t('support.mine.totals')}</h2>
        {groups.length === 0 ? <p class="empty">{t('support.mine.none')}</p> : null}
        <FigureList ctx={ctx} figures={total} thanks={thanks.length} />
        {groups.length > 0 ? <ByGroup ctx={ctx} groups={groups} thanks={thanks} /> : null}
      </section>
      <section class="panel" aria-labelledby="support-thanks">
        <h2 id="support-thanks">{t('support.mine.thanksHeading')}</h2>
        <ThanksList ctx={ctx} thanks={thanks} />
      </section>
      <section class="panel" aria-labelledby="support-badges">
        <h2 id="support-badges">{t('support.badges.heading')}</h2>
        <p>{t('support.badges.intro')}</p>
        <BadgeChoice ctx={ctx} badges={badges} />
      </section>
    </Layout>
  );
}
