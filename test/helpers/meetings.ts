import { sql } from 'drizzle-orm';
import {
  meetingOccurrences,
  meetingRsvps,
  meetings,
  type MeetingKind,
  type RsvpStatus,
} from '../../src/features/meetings/schema.js';
import type { TestWorld } from './app.js';

/*
 * Meetings written straight to the tables, for tests of what follows from them (reminders, feeds)
 * rather than of scheduling itself, which the meetings feature's own tests drive through its pages.
 */

export interface MeetingFixture {
  meetingId: number;
  /** One id per start given, in the same order. */
  occurrenceIds: number[];
}

export async function makeMeeting(
  world: TestWorld,
  group: { id: number },
  opts: {
    starts: Date[];
    title?: string;
    kind?: MeetingKind;
    timeZone?: string;
    durationMinutes?: number;
    description?: string;
    address?: string | null;
    directions?: string | null;
    accessibilityNotes?: string | null;
    dialIn?: string | null;
    dialInPin?: string | null;
    createdBy?: number | null;
  },
): Promise<MeetingFixture> {
  const db = world.database.db;
  const duration = opts.durationMinutes ?? 60;
  const [meeting] = await db
    .insert(meetings)
    .values({
      groupId: group.id,
      title: opts.title ?? 'Tuesday circle',
      description: opts.description ?? '',
      kind: opts.kind ?? 'in_person',
      timeZone: opts.timeZone ?? 'Europe/London',
      startsAt: opts.starts[0]!,
      durationMinutes: duration,
      address: opts.address ?? null,
      directions: opts.directions ?? null,
      accessibilityNotes: opts.accessibilityNotes ?? null,
      dialIn: opts.dialIn ?? null,
      dialInPin: opts.dialInPin ?? null,
      createdBy: opts.createdBy ?? null,
    })
    .returning({ id: meetings.id });
  const occurrenceIds: number[] = [];
  for (const start of opts.starts) {
    const [row] = await db
      .insert(meetingOccurrences)
      .values({
        meetingId: meeting!.id,
        groupId: group.id,
        originalStartsAt: start,
        startsAt: start,
        endsAt: new Date(start.getTime() + duration * 60_000),
      })
      .returning({ id: meetingOccurrences.id });
    occurrenceIds.push(row!.id);
  }
  return { meetingId: meeting!.id, occurrenceIds };
}

/** A member's answer for one occurrence, given at `respondedAt` (now when absent). */
export async function answer(
  world: TestWorld,
  occurrenceId: number,
  userId: number,
  status: RsvpStatus,
  respondedAt = new Date(),
): Promise<void> {
  await world.database.db
    .insert(meetingRsvps)
    .values({
      occurrenceId,
      userId,
      status,
      respondedAt,
      groupId: sql`(select group_id from meeting_occurrences where id = ${occurrenceId})`,
    })
    .onConflictDoUpdate({
      target: [meetingRsvps.occurrenceId, meetingRsvps.userId],
      set: { status, respondedAt },
    });
}

/** Cancels one occurrence, as a leader would, and notes when (the feeds' SEQUENCE grows with it). */
export async function cancelOccurrenceRow(world: TestWorld, occurrenceId: number, note: string | null = null) {
  await world.database.db.execute(
    sql`update meeting_occurrences set cancelled_at = now(), cancel_note = ${note} where id = ${occurrenceId}`,
  );
}
