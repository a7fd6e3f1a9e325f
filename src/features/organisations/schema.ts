import { index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema.js';

export const organisationKindEnum = pgEnum('organisation_kind', [
  'hospital',
  'rehabilitation',
  'correctional',
  'charity',
  'other',
]);

/** A hospital, rehabilitation centre, correctional facility or charity that runs groups. */
export const organisations = pgTable(
  'organisations',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    kind: organisationKindEnum('kind').notNull().default('other'),
    description: text('description').notNull().default(''),
    website: text('website'),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('organisations_slug_key').on(t.slug)],
);

export const organisationAdmins = pgTable(
  'organisation_admins',
  {
    organisationId: integer('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.userId] }), index('organisation_admins_user_idx').on(t.userId)],
);

export type Organisation = typeof organisations.$inferSelect;
