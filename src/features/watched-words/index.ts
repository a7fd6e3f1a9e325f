/** The watched-words feature's public face: site-wide words that block, hold or flag a post. */
export { screenWatchedWords, type WordScreening } from './service.js';
export { watchedWordRoutes } from './routes.js';
