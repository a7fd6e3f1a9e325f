/**
 * What the library adds to a thread page: under a reply that links a resource of the group, a small
 * card with its title; and under someone else's reply, "Save as a coping strategy".
 */
import { sql, type SQL } from 'drizzle-orm';
import type { VNode } from 'preact';
import type { PageContext } from '../../platform/http/page.js';
import { CsrfField } from '../../platform/views/forms.js';
import type { ThreadExtension } from '../forum/index.js';
import { canSaveCoping } from './policy.js';

interface Card {
  postId: number;
  id: number;
  title: string;
}

interface ThreadData {
  cards: Card[];
  /** Posts of the thread already asked about, with where the request stands. */
  coping: { postId: number; status: 'requested' | 'approved' | 'declined' }[];
}

/**
 * One SELECT: links to /g/<slug>/resources/<id> in the thread's posts, matched to approved
 * resources of the same group (a link to another group's library shows nothing: its readers may
 * not be ours), and the coping requests on its posts. Only posts the reader may see are rendered
 * (the forum passes those), and an approved resource is readable by whoever reads the thread.
 */
function query(threadId: number): SQL {
  return sql`select 'card' as "type", x.post_id as "postId", r.id as "id", r.title as "title", null::text as "status"
      from (select distinct p.id as post_id, p.group_id, (m.parts)[1]::int as resource_id
        from posts p
        join groups g on g.id = p.group_id
        cross join lateral regexp_matches(p.body, '/g/' || g.slug || '/resources/([0-9]{1,9})', 'g') as m(parts)
        where p.thread_id = ${threadId} and p.deleted_at is null) x
      join resources r on r.id = x.resource_id and r.group_id = x.group_id and r.status = 'approved'
    union all
    select 'coping', c.post_id, null::int, null::text, c.status::text
      from coping_strategies c join posts p on p.id = c.post_id
      where p.thread_id = ${threadId}`;
}

function read(rows: Record<string, unknown>[]): ThreadData {
  const cards: Card[] = [];
  const coping: ThreadData['coping'] = [];
  for (const row of rows) {
    if (row.type === 'card') cards.push({ postId: Number(row.postId), id: Number(row.id), title: String(row.title) });
    else coping.push({ postId: Number(row.postId), status: row.status as ThreadData['coping'][number]['status'] });
  }
  cards.sort((x, y) => x.postId - y.postId || x.id - y.id);
  return { cards, coping };
}

function ResourceCards({ ctx, slug, cards }: { ctx: PageContext; slug: string; cards: Card[] }) {
  return (
    <ul class="resource-cards plain-list" aria-label={ctx.t('resources.card.label')}>
      {cards.map((c) => (
        <li key={c.id} class="resource-card">
          <span class="meta">{ctx.t('resources.card.kind')}</span>{' '}
          <a href={`/g/${slug}/resources/${c.id}`}>{c.title}</a>
        </li>
      ))}
    </ul>
  );
}

function SaveCoping({ ctx, slug, postId }: { ctx: PageContext; slug: string; postId: number }) {
  const { t } = ctx;
  const id = `coping-title-${postId}`;
  return (
    <details class="coping-save">
      <summary>{t('resources.coping.save')}</summary>
      <form method="post" action={`/g/${slug}/coping`}>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="postId" value={String(postId)} />
        <p class="hint" id={`${id}-hint`}>
          {t('resources.coping.saveHint')}
        </p>
        <label for={id}>{t('resources.coping.titleLabel')}</label>
        <input id={id} name="title" type="text" maxLength={120} required aria-describedby={`${id}-hint`} />
        <button type="submit" class="button button-secondary">
          {t('resources.coping.ask')}
        </button>
      </form>
    </details>
  );
}

export const resourcesThreadExtension: ThreadExtension<ThreadData> = {
  name: 'resources',
  query: (_viewer, threadId) => query(threadId),
  read,
  render(ctx, data, page) {
    const slug = page.access.group.slug;
    const belowPost = new Map<number, VNode>();
    const asked = new Map(data.coping.map((c) => [c.postId, c.status]));
    for (const view of page.posts) {
      const cards = data.cards.filter((c) => c.postId === view.post.id);
      const status = asked.get(view.post.id);
      const offer =
        status === undefined && canSaveCoping(page.access, { ...view.post, mine: view.mine }) && ctx.viewer !== null;
      const saved = status === 'approved';
      if (cards.length === 0 && !offer && !saved) continue;
      belowPost.set(
        view.post.id,
        <div class="post-extras">
          {cards.length > 0 ? <ResourceCards ctx={ctx} slug={slug} cards={cards} /> : null}
          {saved ? (
            <p class="meta">
              <a href={`/g/${slug}/coping`}>{ctx.t('resources.coping.savedNote')}</a>
            </p>
          ) : null}
          {offer ? <SaveCoping ctx={ctx} slug={slug} postId={view.post.id} /> : null}
        </div>,
      );
    }
    return { belowPost };
  },
};
