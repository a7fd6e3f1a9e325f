/** Privacy-safe previews of links in posts, fetched by the server. */
export { linkPreviewRoutes } from './routes.js';
export { defineLinkPreviews, type LinkPreviewOptions } from './work.js';
