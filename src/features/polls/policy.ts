import { eq, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { Forbidden, NotFound } from '../../platform/errors.js';
import { accessThread } from '../forum/index.js';
import { assertCanTakePart, canModerate, canTakePart, type Actor, type GroupAccess } from '../groups/index.js';
import { assertCanScheduleMeetings, canScheduleMeetings } from '../meetings/index.js';
import { polls, type PollRow } from './schema.js';

/*
 * Who may do what with polls. A poll is part of its thread: whoever may read the thread sees the
 * poll (and its results, as the poll says); whoever may reply may vote; its creator and the
 * group's moderators close it; only those who schedule the group's meetings offer times for one,
 * and turn the chosen time into a meeting.
 */

export interface PollAccess {
  access: GroupAccess;
  poll: PollRow;
  thread: { id: number; title: string };
}

/**
 * A poll with its thread and the person's standing in its group; NotFound for anyone who may not
 * read the thread (the same answer as for a poll that never existed). `lock` holds the poll's row
 * for the transaction, so that votes, closing and scheduling happen one after another.
 */
export async function accessPoll(
  db: DbOrTx,
  actor: Actor,
  pollId: number,
  lock = false,
  /** Further columns for the thread's own statement (the poll as its reader sees it), in `extra`. */
  extra: Record<string, SQL> = {},
): Promise<PollAccess & { extra: Record<string, unknown> }> {
  const query = db.select().from(polls).where(eq(polls.id, pollId));
  const [poll] = lock ? await query.for('update') : await query;
  if (!poll) throw new NotFound();
  const found = await accessThread(db, actor, poll.threadId, extra);
  return { access: found.access, poll, thread: { id: found.thread.id, title: found.thread.title }, extra: found.extra };
}

/** Starting a poll is starting a thread: members in good standing. */
export function assertCanStartPoll(access: GroupAccess): void {
  assertCanTakePart(access);
}

/** "Find a time" offers meeting times: for those who may also start the thread and schedule meetings. */
export function canStartTimePoll(access: GroupAccess): boolean {
  return canTakePart(access) && canScheduleMeetings(access);
}

export function assertCanStartTimePoll(access: GroupAccess): void {
  assertCanTakePart(access);
  assertCanScheduleMeetings(access);
}

/** Voting: whoever may reply in the thread (readers of a public group see the poll but do not vote). */
export function canVote(access: GroupAccess): boolean {
  return canTakePart(access);
}

export function assertCanVote(access: GroupAccess): void {
  assertCanTakePart(access);
}

/** Closing early: the poll's creator while they take part, and the group's moderators. */
export function canClose(access: GroupAccess, poll: Pick<PollRow, 'createdBy'>): boolean {
  if (canModerate(access)) return true;
  return access.actor !== null && poll.createdBy === access.actor.id && canTakePart(access);
}

export function assertCanClose(access: GroupAccess, poll: Pick<PollRow, 'createdBy'>): void {
  if (!canClose(access, poll)) throw new Forbidden('polls.errors.cannotClose');
}

/** Turning the chosen time into a meeting: those who schedule the group's meetings. */
export function canSchedule(access: GroupAccess): boolean {
  return canScheduleMeetings(access);
}

export function assertCanSchedule(access: GroupAccess): void {
  assertCanScheduleMeetings(access);
}

/** Closed by a person, or by its closing time having come (the job writes that down soon after). */
export function isClosed(poll: { closedAt: Date | null; closesAt: Date | null }, now = new Date()): boolean {
  return poll.closedAt !== null || (poll.closesAt !== null && poll.closesAt.getTime() <= now.getTime());
}
