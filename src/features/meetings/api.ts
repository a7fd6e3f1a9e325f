import type { ApiRoutes } from '../../platform/http/api.js';

/** Meetings through the JSON API: listing a group's meetings and their dates, and answering (RSVP). */
export const meetingApiRoutes: ApiRoutes = async () => {};
