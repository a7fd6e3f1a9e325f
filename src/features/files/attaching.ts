/**
 * The part of the files feature that features taking attachments use (the forum, chat, private
 * messages). It is index.ts's too; those features import it from here because index.ts also
 * brings the files routes, whose policy asks those same features who may read a file: through
 * index.ts, each would import the other while it is being loaded.
 */
export {
  attachmentsSql,
  assertAttachmentsReady,
  groupUploadLimitsSql,
  limitsFor,
  listsAttachments,
  noAttachments,
  readAttachments,
  receiveAttachments,
  sendsAttachments,
  uploadLimitsFrom,
  type PendingAttachment,
  type ReceivedAttachments,
} from './attachments.js';
export { attachFiles, filesOf, fileUrl, replaceAttachments, type FileView } from './service.js';
export { deleteDetachedFiles } from './work.js';
export type { UploadLimits } from './processing.js';
export { AttachmentFields, Attachments } from './views.js';
