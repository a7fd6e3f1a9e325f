import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, errorMessage, PostButton } from '../../platform/views/forms.js';
import { DateTime, formatDateTime } from '../../platform/views/time.js';
import { isClosed } from './policy.js';
import type { OptionView, PollView } from './reading.js';

/** What the reader may do with a poll, from their standing in its group. */
export interface PollPowers {
  vote: boolean;
  close: boolean;
  schedule: boolean;
}

/** An option's words: a "find a time" option's time is shown on the reader's own clock. */
function optionLabel(ctx: PageContext, option: OptionView): string {
  return option.startsAt ? formatDateTime(ctx, option.startsAt) : option.label;
}

/** Results show once the poll is closed, or to those who voted when it says "after voting". */
export function resultsShown(poll: PollView, now = new Date()): boolean {
  if (isClosed(poll, now)) return true;
  return poll.results === 'after_vote' && poll.options.some((o) => o.chosen);
}

function Results({ ctx, poll }: { ctx: PageContext; poll: PollView }) {
  const { t } = ctx;
  const most = Math.max(0, ...poll.options.map((o) => o.votes));
  return (
    <ul class="poll-results plain-list" aria-label={t('polls.results.label')}>
      {poll.options.map((o) => {
        const percent = poll.voterCount === 0 ? 0 : Math.round((o.votes / poll.voterCount) * 100);
        const label = optionLabel(ctx, o);
        return (
          <li key={o.id} class="poll-result">
            <p>
              <strong>{label}</strong>
              {most > 0 && o.votes === most ? <span class="meta"> {t('polls.results.most')}</span> : null}
              {o.chosen ? <span class="meta"> {t('polls.results.yours')}</span> : null}
            </p>
            <p>
              <progress max={100} value={percent} aria-hidden="true" /> {t('polls.results.votes', { count: o.votes })} (
              {t('polls.results.percent', { percent })})
            </p>
            {o.voters && o.voters.length > 0 ? (
              <p class="meta">{t('polls.results.voters', { names: o.voters.join(', ') })}</p>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

function VoteForm({ ctx, poll, error }: { ctx: PageContext; poll: PollView; error?: string | undefined }) {
  const { t } = ctx;
  const voted = poll.options.some((o) => o.chosen);
  const id = `poll-${poll.id}`;
  const legend =
    poll.kind === 'time'
      ? t('polls.vote.timeLegend')
      : poll.multiple
        ? t('polls.vote.chooseAny')
        : t('polls.vote.chooseOne');
  return (
    <form
      method="post"
      action={`/polls/${poll.id}/vote`}
      hx-post={`/polls/${poll.id}/vote`}
      hx-target={`#${id}`}
      hx-swap="outerHTML"
    >
      <CsrfField ctx={ctx} />
      <fieldset class={error ? 'field field-error' : 'field'} aria-describedby={error ? `${id}-error` : undefined}>
        <legend>{legend}</legend>
        {error ? (
          <p class="error" id={`${id}-error`} role="alert">
            {errorMessage(ctx, error)}
          </p>
        ) : null}
        {poll.options.map((o) => (
          <div key={o.id} class="choice">
            <input
              type={poll.multiple ? 'checkbox' : 'radio'}
              id={`${id}-option-${o.id}`}
              name="option"
              value={String(o.id)}
              checked={o.chosen}
            />{' '}
            <label for={`${id}-option-${o.id}`}>{optionLabel(ctx, o)}</label>
          </div>
        ))}
      </fieldset>
      <p class="hint">{poll.anonymous ? t('polls.vote.anonymousHint') : t('polls.vote.namedHint')}</p>
      <button type="submit" class="button">
        {voted ? t('polls.vote.change') : t('polls.vote.submit')}
      </button>
    </form>
  );
}

/**
 * A poll as its reader sees it: the question, a form to vote (or change one's vote) while it is
 * open, the results when they may be shown, and the leaders' "Close" and "Schedule this time".
 */
export function PollBlock({
  ctx,
  poll,
  powers,
  error,
  now = new Date(),
}: {
  ctx: PageContext;
  poll: PollView;
  powers: PollPowers;
  error?: string | undefined;
  now?: Date;
}) {
  const { t } = ctx;
  const closed = isClosed(poll, now);
  const shown = resultsShown(poll, now);
  const id = `poll-${poll.id}`;
  const heading = poll.kind === 'time' ? t('polls.block.timeHeading', { title: poll.question }) : poll.question;
  return (
    <section id={id} class="poll panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{heading}</h2>
      <p class="meta">
        {poll.kind === 'time' && poll.durationMinutes
          ? `${t('polls.block.length', { count: poll.durationMinutes })} · `
          : null}
        {poll.anonymous ? t('polls.block.anonymous') : t('polls.block.named')} ·{' '}
        {t('polls.block.voters', { count: poll.voterCount })}
        {closed ? (
          <>
            {' · '}
            {t('polls.block.closed')}
          </>
        ) : poll.closesAt ? (
          <>
            {' · '}
            {t('polls.block.closes')} <DateTime ctx={ctx} date={poll.closesAt} />
          </>
        ) : null}
      </p>
      {!closed && powers.vote ? <VoteForm ctx={ctx} poll={poll} error={error} /> : null}
      {!closed && !powers.vote ? (
        <ul class="plain-list">
          {poll.options.map((o) => (
            <li key={o.id}>{optionLabel(ctx, o)}</li>
          ))}
        </ul>
      ) : null}
      {shown ? (
        <Results ctx={ctx} poll={poll} />
      ) : (
        <p class="hint">
          {poll.results === 'after_close' ? t('polls.block.resultsAfterClose') : t('polls.block.resultsAfterVote')}
        </p>
      )}
      {poll.occurrenceId !== null ? (
        <p>
          <a href={`/meetings/${poll.occurrenceId}`}>{t('polls.block.meeting')}</a>
        </p>
      ) : null}
      {closed && poll.kind === 'time' && poll.meetingId === null && powers.schedule ? (
        <p>
          <a class="button" href={`/polls/${poll.id}/schedule`}>
            {t('polls.block.schedule')}
          </a>
        </p>
      ) : null}
      {!closed && powers.close ? (
        <PostButton ctx={ctx} action={`/polls/${poll.id}/close`} label={t('polls.block.close')} />
      ) : null}
    </section>
  );
}
