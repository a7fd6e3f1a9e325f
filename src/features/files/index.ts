/** The files feature's public face: what other features may use. */
export { fileRoutes } from './routes.js';
export {
  processUpload,
  allowedFileTypes,
  allowedImageTypes,
  type ProcessedUpload,
  type UploadLimits,
} from './processing.js';
export {
  attachFiles,
  filesOf,
  fileUrl,
  storeUpload,
  uploadLimitsFor,
  type FileView,
  type SiteUploadLimits,
} from './service.js';
export { defineFileWork, sweepFiles } from './work.js';
export { eraseFileData, exportFileData, type FilesExport } from './personal-data.js';
export type { FileRow } from './schema.js';
export {
  attachmentsSql,
  assertAttachmentsReady,
  groupUploadLimitsSql,
  limitsFor,
  noAttachments,
  readAttachments,
  receiveAttachments,
  sendsAttachments,
  uploadLimitsFrom,
  AttachmentFields,
  Attachments,
  type PendingAttachment,
  type ReceivedAttachments,
} from './attaching.js';
