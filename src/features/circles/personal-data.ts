import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { circleParticipants, circles } from './schema.js';

/**
 * The circles a member was in, for their data export: which meeting, when they joined and left,
 * and what a facilitator did (let in, removed, muted). Never the media server's tokens or sessions.
 * Deleting an account deletes these rows with it (the foreign key cascades).
 */
export interface CircleExport {
  circles: {
    groupId: number;
    meetingOccurrenceId: number;
    kind: 'voice' | 'video';
    status: 'waiting' | 'admitted' | 'removed';
    hideAddress: boolean;
    joinedAt: Date;
    leftAt: Date | null;
    mutedByLeaderAt: Date | null;
  }[];
}

export async function exportCircleData(db: DbOrTx, userId: number): Promise<CircleExport> {
  const rows = await db
    .select({
      groupId: circleParticipants.groupId,
      meetingOccurrenceId: circles.occurrenceId,
      kind: circles.kind,
      status: circleParticipants.status,
      hideAddress: circleParticipants.hideAddress,
      joinedAt: circleParticipants.joinedAt,
      leftAt: circleParticipants.leftAt,
      mutedByLeaderAt: circleParticipants.mutedByLeaderAt,
    })
    .from(circleParticipants)
    .innerJoin(circles, eq(circles.id, circleParticipants.circleId))
    .where(eq(circleParticipants.userId, userId))
    .orderBy(asc(circleParticipants.joinedAt));
  return { circles: rows };
}
