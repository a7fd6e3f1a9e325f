/** Meetings: in person, by phone, or online in a live room; RSVPs, waitlists, calendar feeds, reminders. */
export { meetingRoutes } from './routes.js';
export { defineMeetingWork } from './work.js';
export {
  accessMeetingsOf,
  accessOccurrence,
  assertCanScheduleMeetings,
  canScheduleMeetings,
  liveRoomState,
  LIVE_ROOM_CLOSES_AFTER_MS,
  LIVE_ROOM_OPENS_BEFORE_MS,
  type LiveRoomState,
  type OccurrenceAccess,
} from './policy.js';
export type { Meeting, MeetingKind, MeetingOccurrence, RsvpStatus } from './schema.js';
