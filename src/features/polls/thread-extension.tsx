/**
 * What polls add to a thread page: the thread's poll under its opening post, asked inside the
 * thread's own statement (no round trip of its own); and on a group's page, "Start a poll" for
 * those who may.
 */
import { sql } from 'drizzle-orm';
import type { VNode } from 'preact';
import type { PageContext } from '../../platform/http/page.js';
import type { GroupPageExtension, ThreadExtension } from '../forum/index.js';
import type { GroupAccess } from '../groups/index.js';
import { canClose, canSchedule, canStartTimePoll, canVote } from './policy.js';
import { PollBlock, type PollPowers } from './poll-views.js';
import { pollViewsSql, readPollViews, type PollView } from './reading.js';

/** What the reader may do with a poll of the group. */
export function powersOf(access: GroupAccess, poll: Pick<PollView, 'mine'>): PollPowers {
  return {
    vote: canVote(access),
    close: canClose(access, { createdBy: poll.mine && access.actor ? access.actor.id : null }),
    schedule: canSchedule(access),
  };
}

export const pollThreadExtension: ThreadExtension<PollView[]> = {
  name: 'polls',
  query: (viewer, threadId) => pollViewsSql(viewer?.id ?? null, sql`p.thread_id = ${threadId}`),
  read: readPollViews,
  render(ctx, polls, page) {
    if (polls.length === 0) return {};
    const blocks = (
      <>
        {polls.map((poll) => (
          <PollBlock key={poll.id} ctx={ctx} poll={poll} powers={powersOf(page.access, poll)} />
        ))}
      </>
    );
    const opening = page.posts.find((view) => view.post.isOpening);
    if (!opening) return { afterReplies: blocks };
    return { belowPost: new Map<number, VNode>([[opening.post.id, blocks]]) };
  },
};

function StartLinks({ ctx, access }: { ctx: PageContext; access: GroupAccess }) {
  const { t } = ctx;
  const slug = access.group.slug;
  return (
    <p class="poll-links">
      <a href={`/g/${slug}/polls/new`}>{t('polls.start.link')}</a>
      {canStartTimePoll(access) ? (
        <>
          {' · '}
          <a href={`/g/${slug}/polls/find-a-time`}>{t('polls.time.link')}</a>
        </>
      ) : null}
    </p>
  );
}

/** "Start a poll" (and "Find a time" for those who schedule meetings) above a group's discussions. */
export const pollGroupExtension: GroupPageExtension<null> = {
  name: 'polls',
  query: () => null,
  read: () => null,
  render: (ctx, _data, access) => (canVote(access) ? <StartLinks ctx={ctx} access={access} /> : null),
};
