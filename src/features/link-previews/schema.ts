import { index, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const previewStatusEnum = pgEnum('link_preview_status', ['ok', 'failed']);

/**
 * Previews of links in posts, fetched by the server (never the reader's browser, which would tell
 * the other site who is reading), cached by address. Only text is kept: no images.
 */
export const linkPreviews = pgTable(
  'link_previews',
  {
    /** The normalised address (http or https, no fragment). */
    url: text('url').primaryKey(),
    status: previewStatusEnum('status').notNull(),
    title: text('title'),
    description: text('description'),
    siteName: text('site_name'),
    fetchedAt: timestamp('fetched_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('link_previews_fetched_at_idx').on(t.fetchedAt)],
);

export type LinkPreview = typeof linkPreviews.$inferSelect;
