/** The directory's public face: finding groups (directory, search, guided flow, listings, search engines). */
export { directorySearchRoutes } from './search-routes.js';
export { refreshDirectoryStats, scheduleDirectoryStats } from './stats.js';
export { directoryHref, emptyDirectoryQuery, matchTopics, parseDirectoryQuery, searchDirectory } from './search.js';
export { directorySettingsRoutes } from './settings-routes.js';
export {
  groupEntryId,
  loadEntryProfile,
  loadGroupProfile,
  saveGroupListing,
  type EntryProfileView,
} from './profile.js';
export { EntryProfileSummary } from './profile-views.js';
export { describeMeetingTime } from './schedule.js';
export { listingRoutes } from './listing-routes.js';
export { listingSummarySql, submitListing } from './listings.js';
export { approveListing } from './listing-review.js';
export { exportDirectoryData, type DirectoryExport } from './personal-data.js';
export { ListingNotification } from './listing-review-views.js';
export { seoRoutes } from './seo-routes.js';
export { groupSearchPresence, notIndexed, type SearchPresence } from './seo.js';
export { guidedRoutes } from './guided-routes.js';
export { directoryApiRoutes } from './api.js';
