import { boolean, date, integer, pgTable, smallint, timestamp } from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema.js';

/**
 * What a person's trust level is earned from that no other table keeps (the days they came to
 * read), and a level a site admin set by hand. Site-wide, one row per account, made on first visit.
 */
export const userTrust = pgTable('user_trust', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** Distinct days (UTC) on which the person was signed in and used the site. */
  daysVisited: integer('days_visited').notNull().default(0),
  lastVisitOn: date('last_visit_on', { mode: 'string' }),
  /**
   * A level a site admin set by hand. Unlocked, it is a floor the person can still rise above;
   * locked, the person stays at exactly this level whatever they do.
   */
  manualLevel: smallint('manual_level'),
  locked: boolean('locked').notNull().default(false),
  setBy: integer('set_by').references(() => users.id, { onDelete: 'set null' }),
  setAt: timestamp('set_at', { withTimezone: true }),
});

export type UserTrust = typeof userTrust.$inferSelect;
