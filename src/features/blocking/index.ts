/** The blocking feature's public face. (The leaf modules come first: the forum imports them.) */
export {
  blockedBetweenSql,
  blockedIdsSql,
  mutedThreadsSql,
  postBlockedSql,
  postHiddenForViewerSql,
} from './visibility.js';
export {
  assertMayReplyTo,
  blockAuthorOf,
  blockedEitherWay,
  blockMemberByName,
  listBlocked,
  setHiddenForMe,
  setThreadMuted,
  unblock,
  writeThreadMute,
  type BlockedPerson,
} from './service.js';
export { BlockButton, HideForMeButton, HiddenForMe, MuteButton } from './views.js';
export { blockingRoutes } from './routes.js';
export { exportBlockingData, type BlockingExport } from './personal-data.js';
