import { boolean, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema.js';

/**
 * A member's choice for one kind of content warning: show such posts open, or (the default, with
 * no row) collapsed. The topic is a preset's key, or 'other' for warnings in an author's own words.
 * Account-wide, not group-scoped: what someone can bear to read does not change between groups.
 */
export const contentWarningPreferences = pgTable(
  'content_warning_preferences',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    topic: text('topic').notNull(),
    show: boolean('show').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.userId, t.topic] })],
);
