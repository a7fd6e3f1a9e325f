import { sql } from 'drizzle-orm';
import { index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema.js';
import { groups } from '../groups/schema.js';

export const paymentProviderEnum = pgEnum('payment_provider', ['manual', 'stripe']);
export const hardshipStatusEnum = pgEnum('hardship_status', ['pending', 'granted', 'declined']);

/**
 * Membership fees received: recorded by a treasurer (manual) or confirmed by a provider's signed
 * webhook. Each payment buys one period of access, from period_start to period_end.
 */
export const payments = pgTable(
  'payments',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    /** Kept when the account is deleted (set null), so the group's accounts still add up. */
    userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
    provider: paymentProviderEnum('provider').notNull(),
    /** In the currency's minor unit (pence, cents). */
    amountCents: integer('amount_cents').notNull(),
    currency: text('currency').notNull(),
    /** When the money arrived: the date the treasurer entered, or when the provider confirmed it. */
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    periodStart: timestamp('period_start', { withTimezone: true }).notNull(),
    periodEnd: timestamp('period_end', { withTimezone: true }).notNull(),
    /** The provider's id for the payment (a Stripe Checkout Session id); unique, so a webhook delivered twice records once. */
    externalId: text('external_id'),
    recordedBy: integer('recorded_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('payments_external_id_key').on(t.externalId),
    index('payments_group_created_idx').on(t.groupId, t.createdAt),
    index('payments_user_idx').on(t.userId),
  ],
);

/** A member's request to have the fee waived; the group's owner grants or declines it. */
export const hardshipRequests = pgTable(
  'hardship_requests',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Seen only by the people who manage the group. */
    message: text('message').notNull(),
    status: hardshipStatusEnum('status').notNull().default('pending'),
    decidedBy: integer('decided_by').references(() => users.id, { onDelete: 'set null' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('hardship_requests_group_status_idx').on(t.groupId, t.status, t.createdAt),
    // One open request per person and group: asking twice changes nothing.
    uniqueIndex('hardship_requests_one_pending_key')
      .on(t.groupId, t.userId)
      .where(sql`${t.status} = 'pending'`),
  ],
);

export type Payment = typeof payments.$inferSelect;
export type PaymentProviderName = (typeof paymentProviderEnum.enumValues)[number];
export type HardshipRequest = typeof hardshipRequests.$inferSelect;
