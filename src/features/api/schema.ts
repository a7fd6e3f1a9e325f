import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema.js';
import { organisations } from '../organisations/schema.js';

/**
 * A personal access token for the JSON API (/api/v1). It acts as the person who made it, never
 * as more: its scopes ('read', 'write', 'moderate', 'admin') only narrow what that person may do.
 * An organisation token (organisation_id set, made by one of its admins) reaches only that
 * organisation's groups. Only the SHA-256 of the token is kept; the token is shown once.
 */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    organisationId: integer('organisation_id').references(() => organisations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    /** The token's first characters ("mutual_Ab3d"), so a person can tell their tokens apart. */
    prefix: text('prefix').notNull(),
    scopes: text('scopes').array().notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('api_tokens_user_idx').on(t.userId), index('api_tokens_organisation_idx').on(t.organisationId)],
);

export type ApiTokenRow = typeof apiTokens.$inferSelect;
