import { customType, index, integer, pgEnum, pgTable, timestamp } from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema.js';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

export const exportStatusEnum = pgEnum('data_export_status', ['preparing', 'ready', 'failed']);

/**
 * A member's archive of their data (a zip of JSON and readable HTML), prepared in the background
 * and offered for 7 days; then it is deleted.
 */
export const dataExports = pgTable(
  'data_exports',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: exportStatusEnum('status').notNull().default('preparing'),
    archive: bytea('archive'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    readyAt: timestamp('ready_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('data_exports_user_idx').on(t.userId), index('data_exports_expires_idx').on(t.expiresAt)],
);

export type DataExport = typeof dataExports.$inferSelect;
