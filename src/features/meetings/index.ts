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
export { markLiveEnded } from './live-room.js';
export { occurrenceSummarySql, type OccurrenceSummary } from './summaries.js';
export { MeetingReminderNotification } from './reminder-mail.js';
export { MeetingNewsNotification } from './notification-views.js';
export { exportMeetingData, forgetMeetingMember, type MeetingExport } from './personal-data.js';
export { MeetingsExportSection } from './export-views.js';
export type { Meeting, MeetingKind, MeetingOccurrence, RsvpStatus } from './schema.js';
export { meetingApiRoutes } from './api.js';
export { announceNewMeeting, scheduleMeeting } from './service.js';
