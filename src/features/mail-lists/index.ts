/** The mailing lists feature's public face: every group is also a mailing list. (The leaf module comes first: accounts imports it.) */
export { mailPausedSql } from './paused.js';
export type { MailContext, MailWork } from './context.js';
export { defineMailLists } from './jobs.js';
export { startInboundServer, type InboundServer, type InboundOptions } from './inbound-server.js';
export { mailListRoutes } from './routes.js';
export {
  EmailPage,
  footerText,
  listHeaders,
  listIdentifier,
  postMessageId,
  renderEmail,
  viaName,
  type Footer,
  type ListGroup,
} from './compose.js';
export { bounceAddress, groupAddress, parseInboundAddress, type InboundAddress } from './addresses.js';
export { listModes, type ListMode } from './schema.js';
export { unsubscribeFromList } from './unsubscribe.js';
export { exportMailListData, type MailListExport } from './personal-data.js';
