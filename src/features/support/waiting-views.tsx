import type { PageContext } from '../../platform/http/page.js';
import { CsrfField } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { formatDateTime } from '../../platform/views/time.js';
import { describeMeetingTime } from '../directory/index.js';
import type { GroupAccess } from '../groups/index.js';
import { meetingOf } from './waiting-notice.js';
import { waitedLong, type PromptSuggestion, type WaitingThread } from './waiting.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** "waiting 3 hours": minutes in the first hour, hours for two days, then days. */
export function waitedFor(ctx: PageContext, since: Date, now = new Date()): string {
  const ms = Math.max(0, now.getTime() - since.getTime());
  if (ms < HOUR) return ctx.t('support.waiting.waited.minutes', { count: Math.max(1, Math.floor(ms / MINUTE)) });
  if (ms < 48 * HOUR) return ctx.t('support.waiting.waited.hours', { count: Math.floor(ms / HOUR) });
  return ctx.t('support.waiting.waited.days', { count: Math.floor(ms / (24 * HOUR)) });
}

function authorOf(ctx: PageContext, w: WaitingThread): string {
  if (w.anonymous) return ctx.t('forum.anonymous.label', { n: w.anonymousNumber ?? 1 });
  return w.author ?? ctx.t('forum.formerMember');
}

function WaitingItem({
  ctx,
  thread,
  slug,
  groupName,
  leader,
  now,
}: {
  ctx: PageContext;
  thread: WaitingThread;
  slug: string;
  groupName?: string | undefined;
  leader: boolean;
  now: Date;
}) {
  const { t } = ctx;
  return (
    <li class="panel waiting-thread">
      <h2 class="thread-title">
        <a href={`/g/${slug}/t/${thread.threadId}`}>{thread.title}</a>
      </h2>
      <p class="meta">
        {groupName ? (
          <>
            <a href={`/g/${slug}`}>{groupName}</a>
            {' · '}
          </>
        ) : null}
        {thread.mine ? t('support.waiting.yours') : t('support.waiting.startedBy', { name: authorOf(ctx, thread) })}
        {' · '}
        <time dateTime={thread.since.toISOString()}>{waitedFor(ctx, thread.since, now)}</time>
        {leader && waitedLong(thread, now) ? (
          <>
            {' '}
            <strong class="badge badge-warning">{t('support.waiting.longWait')}</strong>
          </>
        ) : null}
      </p>
    </li>
  );
}

function WaitingList({
  ctx,
  threads,
  place,
  now,
}: {
  ctx: PageContext;
  threads: WaitingThread[];
  place: (w: WaitingThread) => { slug: string; groupName?: string | undefined; leader: boolean };
  now: Date;
}) {
  if (threads.length === 0) return <p class="empty">{ctx.t('support.waiting.empty')}</p>;
  return (
    <ul class="plain-list waiting-list">
      {threads.map((w) => (
        <WaitingItem key={w.threadId} ctx={ctx} thread={w} now={now} {...place(w)} />
      ))}
    </ul>
  );
}

/** /g/:slug/waiting: the group's discussions no one has answered yet, oldest first. */
export function GroupWaitingPage({
  ctx,
  access,
  threads,
  leader,
  now = new Date(),
}: {
  ctx: PageContext;
  access: GroupAccess;
  threads: WaitingThread[];
  /** The viewer keeps the group: long waits are marked for them. */
  leader: boolean;
  now?: Date;
}) {
  const { t } = ctx;
  const { group } = access;
  const title = t('support.waiting.groupTitle', { group: group.name });
  return (
    <Layout ctx={ctx} title={title}>
      <p class="meta">
        <a href={`/g/${group.slug}`}>{group.name}</a>
      </p>
      <h1>{t('support.waiting.title')}</h1>
      <p class="lede">{t('support.waiting.intro')}</p>
      {leader ? <p>{t('support.waiting.leaderNote')}</p> : null}
      <WaitingList ctx={ctx} threads={threads} now={now} place={() => ({ slug: group.slug, leader })} />
    </Layout>
  );
}

/** /waiting: the same across the member's groups. */
export function MyWaitingPage({
  ctx,
  groups,
  threads,
  leaderOf,
  now = new Date(),
}: {
  ctx: PageContext;
  groups: Map<number, GroupAccess>;
  threads: WaitingThread[];
  leaderOf: (a: GroupAccess) => boolean;
  now?: Date;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('support.waiting.title')}>
      <h1>{t('support.waiting.title')}</h1>
      <p class="lede">{t('support.waiting.introMine')}</p>
      <WaitingList
        ctx={ctx}
        threads={threads}
        now={now}
        place={(w) => {
          const a = groups.get(w.groupId)!;
          return { slug: a.group.slug, groupName: a.group.name, leader: leaderOf(a) };
        }}
      />
      <p class="meta">
        <a href="/account/support/prompts">{t('support.prompts.settingsLink')}</a>
      </p>
    </Layout>
  );
}

/** On a helped author's thread page: one discussion they could answer, kindly, and a way to stop these. */
export function ReplyPrompt({
  ctx,
  slug,
  suggestion,
}: {
  ctx: PageContext;
  slug: string;
  suggestion: PromptSuggestion;
}) {
  const { t } = ctx;
  return (
    <aside class="panel reply-prompt" aria-labelledby="reply-prompt-heading">
      <h2 id="reply-prompt-heading">{t('support.prompts.heading')}</h2>
      <p>{t('support.prompts.body')}</p>
      <p>
        <a href={`/g/${slug}/t/${suggestion.threadId}`}>{suggestion.title}</a>
      </p>
      <form method="post" action="/account/support/prompts/off" class="inline-form">
        <CsrfField ctx={ctx} />
        <button type="submit" class="link-button">
          {t('support.prompts.stop')}
        </button>
      </form>
    </aside>
  );
}

/** /account/support/prompts: the suggestions, on or off. */
export function PromptsPage({ ctx, on }: { ctx: PageContext; on: boolean }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('support.prompts.title')}>
      <h1>{t('support.prompts.title')}</h1>
      <section class="panel">
        <p class="lede">{t('support.prompts.intro')}</p>
        <form method="post" action="/account/support/prompts">
          <CsrfField ctx={ctx} />
          <p>
            <input type="checkbox" id="reply-prompts" name="replyPrompts" value="on" checked={on} />{' '}
            <label for="reply-prompts">{t('support.prompts.checkbox')}</label>
          </p>
          <button type="submit" class="button">
            {t('support.prompts.save')}
          </button>
        </form>
        <p class="meta">
          <a href="/waiting">{t('support.waiting.title')}</a>
        </p>
      </section>
    </Layout>
  );
}

/** What the notifications page says to an author whose first discussion had no reply for a day. */
export function ThreadSeenNotification({
  ctx,
  n,
}: {
  ctx: PageContext;
  n: { group: { slug: string; name: string } | null; threadId: number | null; reason: string | null };
}) {
  const { t } = ctx;
  const meeting = meetingOf(n.reason);
  return (
    <>
      <p>{t('notifications.threadSeen.text', { group: n.group?.name ?? t('notifications.formerGroup') })}</p>
      {meeting && n.group ? (
        <p>
          {t('notifications.threadSeen.meeting', {
            meeting: describeMeetingTime(meeting, ctx.timeZone, t, new Date(meeting.next)),
            next: formatDateTime(ctx, new Date(meeting.next)),
          })}
        </p>
      ) : null}
      {n.group && n.threadId ? (
        <p>
          <a href={`/g/${n.group.slug}/t/${n.threadId}`}>{t('notifications.threadSeen.open')}</a>
        </p>
      ) : null}
    </>
  );
}
