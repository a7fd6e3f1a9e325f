/** Privacy-safe previews of links in posts, fetched by the server. */
export { linkPreviewRoutes } from './routes.js';
export { defineLinkPreviews, type LinkPreviewOptions } from './work.js';
// The SSRF-safe way to reach another server, for other features that connect out (Web Push).
export {
  isLoopbackLiteral,
  isPublicAddress,
  RefusedAddress,
  resolvePublic,
  type ResolvedAddress,
} from './addresses.js';
export { checkedLookup } from './fetch.js';
