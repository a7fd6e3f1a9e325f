import { and, eq, inArray, isNotNull, isNull, lte, ne, sql, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import type { EventSink } from '../../platform/deps.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import type { Viewer } from '../../platform/http/page.js';
import { wallClockFields } from '../../platform/text/zoned-time.js';
import { createThread } from '../forum/index.js';
import { accessGroup, recordAudit, type GroupAccess } from '../groups/index.js';
import { announceNewMeeting, scheduleMeeting } from '../meetings/index.js';
import { createNotifications } from '../notifications/index.js';
import { mailNewCrisisAlerts } from '../safety/index.js';
import { chosenOptions, choicePollInput, closesAtOf, offeredTimes, scheduleInput, timePollInput } from './input.js';
import {
  accessPoll,
  assertCanClose,
  assertCanSchedule,
  assertCanStartPoll,
  assertCanStartTimePoll,
  assertCanVote,
  isClosed,
  type PollAccess,
} from './policy.js';
import { pollOptions, polls, pollVotes, type PollRow } from './schema.js';

/*
 * Polls: one function for each change, each in one transaction. A poll is made with the thread it
 * lives in (the forum's createThread, in the same transaction); votes replace the voter's earlier
 * ones; closing tells the voters; a "find a time" poll's chosen time becomes a meeting through
 * the meetings feature's own scheduleMeeting, in the same transaction that links it to the poll.
 */

/** What starting a thread sets off once it is committed (the routes pass their Deps). */
export type PollEffects = Parameters<typeof createThread>[4] & { events?: EventSink | undefined };

const zoneOf = (actor: Viewer) => actor.timeZone ?? 'UTC';

/**
 * The thread and its poll, in one transaction. The thread's own after-commit work (telling
 * followers, mailing a crisis alert's leaders) is held back until the poll is committed too.
 */
async function startThreadWithPoll(
  db: Db,
  actor: Viewer,
  slug: string,
  thread: { title: string; body: string },
  poll: Omit<typeof polls.$inferInsert, 'groupId' | 'threadId' | 'createdBy'>,
  options: { label: string; startsAt?: Date }[],
  effects: PollEffects,
): Promise<{ threadId: number; pollId: number; crisisAlertId: number | null }> {
  const held: { type: string }[] = [];
  const holding: EventSink = {
    send: async (event) => {
      held.push(event);
    },
  };
  const made = await db.transaction(async (tx) => {
    const created = await createThread(tx as unknown as Db, actor, slug, thread, {
      ...effects,
      events: holding,
      mailer: undefined,
    });
    const [row] = await tx
      .insert(polls)
      .values({ ...poll, groupId: created.groupId, threadId: created.id, createdBy: actor.id })
      .returning({ id: polls.id });
    await tx.insert(pollOptions).values(
      options.map((o, position) => ({
        pollId: row!.id,
        groupId: created.groupId,
        position,
        label: o.label,
        startsAt: o.startsAt ?? null,
      })),
    );
    return { threadId: created.id, pollId: row!.id, crisisAlertId: created.crisisAlertId };
  });
  for (const event of held) {
    try {
      await effects.events?.send(event);
    } catch (error) {
      (effects.log ?? console).error({ err: error, event }, 'notification event lost');
    }
  }
  if (made.crisisAlertId !== null) await mailNewCrisisAlerts(db, effects);
  return made;
}

/** Starts a thread with a poll: a question and 2 to 20 answers. */
export async function startPoll(
  db: Db,
  actor: Viewer,
  slug: string,
  input: unknown,
  effects: PollEffects = {},
): Promise<{ threadId: number; pollId: number; crisisAlertId: number | null }> {
  const data = parseInput(choicePollInput, input);
  const closesAt = closesAtOf(data, zoneOf(actor), new Date());
  assertCanStartPoll(await accessGroup(db, actor, slug));
  return startThreadWithPoll(
    db,
    actor,
    slug,
    { title: data.question, body: data.body ?? data.question },
    {
      kind: 'choice',
      question: data.question,
      multiple: data.multiple,
      anonymous: data.votes === 'anonymous',
      results: data.results,
      closesAt,
    },
    data.options.map((label) => ({ label })),
    effects,
  );
}

/**
 * Starts a "find a time" thread: 2 to 10 meeting times, read on the creator's clock, for a meeting
 * of a given length. Everyone says which times they could make (several answers).
 */
export async function startTimePoll(
  db: Db,
  actor: Viewer,
  slug: string,
  input: unknown,
  effects: PollEffects = {},
): Promise<{ threadId: number; pollId: number; crisisAlertId: number | null }> {
  const data = parseInput(timePollInput, input);
  const zone = zoneOf(actor);
  const now = new Date();
  const times = offeredTimes(input, zone, now);
  const closesAt = closesAtOf(data, zone, now);
  assertCanStartTimePoll(await accessGroup(db, actor, slug));
  return startThreadWithPoll(
    db,
    actor,
    slug,
    { title: data.title, body: data.body ?? data.title },
    {
      kind: 'time',
      question: data.title,
      multiple: true,
      anonymous: data.votes === 'anonymous',
      results: 'after_vote',
      timeZone: zone,
      durationMinutes: data.duration,
      closesAt,
    },
    times.map((startsAt) => {
      const { date, time } = wallClockFields(startsAt, zone);
      return { label: `${date} ${time}`, startsAt };
    }),
    effects,
  );
}

/**
 * A vote: the options ticked replace the voter's earlier ones at once (the poll's row is locked,
 * so a single-choice poll never holds two answers of one person). Until the poll closes.
 */
export async function vote(db: Db, actor: Viewer, pollId: number, input: unknown): Promise<PollAccess> {
  return db.transaction(async (tx) => {
    const found = await accessPoll(tx, actor, pollId, true);
    assertCanVote(found.access);
    const chosen = chosenOptions(input);
    if (isClosed(found.poll)) throw new Invalid({ '': 'polls.errors.closed' });
    if (!found.poll.multiple && chosen.length > 1) throw new Invalid({ '': 'polls.errors.onlyOne' });
    const known = await tx
      .select({ id: pollOptions.id })
      .from(pollOptions)
      .where(and(eq(pollOptions.pollId, pollId), inArray(pollOptions.id, chosen)));
    if (known.length !== chosen.length) throw new Invalid({ '': 'polls.errors.chooseOne' });
    await tx.delete(pollVotes).where(and(eq(pollVotes.pollId, pollId), eq(pollVotes.userId, actor.id)));
    await tx
      .insert(pollVotes)
      .values(chosen.map((optionId) => ({ optionId, pollId, groupId: found.poll.groupId, userId: actor.id })));
    return found;
  });
}

/** The thread's opening post, which the poll sits under: what a notification links to and names. */
async function openingPostId(tx: DbOrTx, threadId: number): Promise<number | null> {
  const result = (await tx.execute(
    sql`select p.id from posts p where p.thread_id = ${threadId} and p.is_opening limit 1`,
  )) as unknown as { rows: { id: number | string }[] };
  const id = result.rows[0]?.id;
  return id === undefined ? null : Number(id);
}

/** Tells a poll's voters it closed (but the one who closed it), with a link to its thread. */
async function tellVoters(tx: DbOrTx, poll: PollRow, except: number | null): Promise<void> {
  const postId = await openingPostId(tx, poll.threadId);
  const voters = await tx
    .selectDistinct({ userId: pollVotes.userId })
    .from(pollVotes)
    .where(and(eq(pollVotes.pollId, poll.id), except === null ? undefined : ne(pollVotes.userId, except)));
  await createNotifications(
    tx,
    voters.map((v) => ({
      userId: v.userId,
      kind: 'poll_closed' as const,
      groupId: poll.groupId,
      threadId: poll.threadId,
      postId,
    })),
  );
}

/** A poll and its thread, for someone who may read them (to show the poll again after a refused vote). */
export function accessPollFor(db: DbOrTx, actor: Viewer, pollId: number): Promise<PollAccess> {
  return accessPoll(db, actor, pollId);
}

/** Closes a poll now: its creator or a moderator. Closing a closed poll changes nothing. */
export async function closePoll(db: Db, actor: Viewer, pollId: number): Promise<PollAccess> {
  return db.transaction(async (tx) => {
    const found = await accessPoll(tx, actor, pollId, true);
    assertCanClose(found.access, found.poll);
    if (found.poll.closedAt !== null) return found;
    const now = new Date();
    // A poll whose time has come closed then, whoever notices it first.
    const closedAt = isClosed(found.poll, now) ? found.poll.closesAt! : now;
    const [poll] = await tx.update(polls).set({ closedAt }).where(eq(polls.id, pollId)).returning();
    await tellVoters(tx, poll!, actor.id);
    if (poll!.createdBy !== actor.id)
      await recordAudit(tx, {
        groupId: poll!.groupId,
        actorId: actor.id,
        action: 'close_poll',
        threadId: poll!.threadId,
      });
    return { ...found, poll: poll! };
  });
}

/** The worker's part: polls whose closing time has come are closed, and their voters told. */
export async function closeDuePolls(db: Db, now = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .update(polls)
      .set({ closedAt: sql`${polls.closesAt}` })
      .where(
        and(
          isNull(polls.closedAt),
          isNotNull(polls.closesAt),
          lte(polls.closesAt, now),
          // One worker at a time per poll: a row another worker holds is left to it.
          sql`${polls.id} in (select id from polls where closed_at is null and closes_at <= ${now}
            order by id limit 200 for update skip locked)`,
        ),
      )
      .returning();
    for (const poll of due) await tellVoters(tx, poll, null);
    return due.length;
  });
}

/** A closed "find a time" poll, for someone who may turn its time into a meeting. */
export async function pollToSchedule(
  db: DbOrTx,
  actor: Viewer,
  pollId: number,
  lock = false,
  extra: Record<string, SQL> = {},
): Promise<PollAccess & { extra: Record<string, unknown> }> {
  const found = await accessPoll(db, actor, pollId, lock, extra);
  assertCanSchedule(found.access);
  // Only a "find a time" poll has times to schedule: for any other there is no such page.
  if (found.poll.kind !== 'time') throw new NotFound();
  return found;
}

/** The meeting form's fields that "Schedule this time" passes on as they were sent. */
const meetingFormFields = [
  'title',
  'description',
  'kind',
  'address',
  'directions',
  'accessibilityNotes',
  'dialIn',
  'dialInPin',
  'capacity',
  'waitlist',
] as const;

/**
 * "Schedule this time": the chosen time becomes a meeting of the poll's length, on the clock it
 * was offered on, through the meetings feature's own scheduleMeeting; in the same transaction the
 * poll links to it and the voters who chose that time are told, with a link to the meeting. Once
 * it commits, the meeting is announced as one scheduled from the meetings page is.
 */
export async function scheduleChosenTime(
  db: Db,
  actor: Viewer,
  pollId: number,
  input: unknown,
  events?: EventSink,
): Promise<{ access: GroupAccess; firstOccurrenceId: number }> {
  const { option: optionId } = parseInput(scheduleInput, input);
  const done = await db.transaction(async (tx) => {
    const { access, poll } = await pollToSchedule(tx, actor, pollId, true);
    if (!isClosed(poll)) throw new Invalid({ '': 'polls.errors.closeFirst' });
    if (poll.meetingId !== null) throw new Invalid({ '': 'polls.errors.alreadyScheduled' });
    const [option] = await tx
      .select()
      .from(pollOptions)
      .where(and(eq(pollOptions.id, optionId), eq(pollOptions.pollId, pollId)));
    if (!option?.startsAt) throw new Invalid({ option: 'polls.errors.chooseTime' });
    const zone = poll.timeZone ?? 'UTC';
    const sent = input && typeof input === 'object' ? (input as Record<string, unknown>) : {};
    const meeting: Record<string, unknown> = {
      ...Object.fromEntries(meetingFormFields.filter((f) => sent[f] !== undefined).map((f) => [f, sent[f]])),
      ...wallClockFields(option.startsAt, zone),
      timeZone: zone,
      duration: String(poll.durationMinutes ?? 60),
      repeat: 'once',
      rrule: '',
    };
    let scheduled: Awaited<ReturnType<typeof scheduleMeeting>>;
    try {
      scheduled = await scheduleMeeting(tx as unknown as Db, actor, access.group.slug, meeting);
    } catch (error) {
      // The meeting form's date is this form's chosen time.
      if (error instanceof Invalid && (error.fieldErrors.date || error.fieldErrors.time))
        throw new Invalid({
          option:
            error.fieldErrors.date === 'meetings.errors.past' ? 'polls.errors.timeGone' : 'polls.errors.chooseTime',
        });
      throw error;
    }
    await tx.update(polls).set({ meetingId: scheduled.meeting.id }).where(eq(polls.id, pollId));
    const postId = await openingPostId(tx, poll.threadId);
    const chose = await tx
      .select({ userId: pollVotes.userId })
      .from(pollVotes)
      .where(and(eq(pollVotes.optionId, option.id), ne(pollVotes.userId, actor.id)));
    await createNotifications(
      tx,
      chose.map((v) => ({
        userId: v.userId,
        kind: 'poll_closed' as const,
        groupId: poll.groupId,
        threadId: poll.threadId,
        postId,
        occurrenceId: scheduled.firstOccurrenceId,
      })),
    );
    await recordAudit(tx, {
      groupId: poll.groupId,
      actorId: actor.id,
      action: 'schedule_poll_meeting',
      threadId: poll.threadId,
    });
    return { access, firstOccurrenceId: scheduled.firstOccurrenceId, meetingId: scheduled.meeting.id };
  });
  await announceNewMeeting(events, done.meetingId);
  return { access: done.access, firstOccurrenceId: done.firstOccurrenceId };
}
