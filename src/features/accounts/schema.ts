import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** Who may see that someone belongs to a group: the group's members, or nobody but its leaders. */
export const membershipVisibilityEnum = pgEnum('membership_visibility', ['members', 'nobody']);

export const users = pgTable(
  'users',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    /** Stored lower-cased; never rendered to anyone but its owner. */
    email: text('email').notNull(),
    /** When the owner followed the link we mailed to the address; null until then. */
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
    pseudonym: text('pseudonym').notNull(),
    passwordHash: text('password_hash').notNull(),
    isAdmin: boolean('is_admin').notNull().default(false),
    /** A supported locale, or 'auto' to follow the browser's language. */
    locale: text('locale').notNull().default('auto'),
    /** An IANA time zone ("Europe/London") for dates and times. */
    timeZone: text('time_zone').notNull().default('UTC'),
    /** ISO 3166-1 alpha-2: whose crisis lines to show; null to go by the browser's language region. */
    country: text('country'),
    membershipVisibility: membershipVisibilityEnum('membership_visibility').notNull().default('members'),
    /** Whether the person appears in a group's "who's online". */
    appearOnline: boolean('appear_online').notNull().default(true),
    /** Email about replies to the person's discussions and posts. */
    emailReplies: boolean('email_replies').notNull().default(true),
    /** Newsletters that groups send to their members. */
    emailNewsletters: boolean('email_newsletters').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_email_key').on(t.email),
    uniqueIndex('users_pseudonym_lower_key').on(sql`lower(${t.pseudonym})`),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    /** SHA-256 of the cookie token; the token itself is never stored. */
    tokenHash: text('token_hash').primaryKey(),
    /** What the owner's list of devices names the session by (the token's hash is never shown). */
    id: integer('id').notNull().generatedAlwaysAsIdentity(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** "Firefox · Android": read from the browser's user agent when the session starts; nothing else of it is kept. */
    device: text('device').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user_id_idx').on(t.userId), uniqueIndex('sessions_id_key').on(t.id)],
);

/** One-time links to choose a new password: single use, for one hour. */
export const passwordResets = pgTable(
  'password_resets',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [index('password_resets_user_id_idx').on(t.userId)],
);

/** One-time links that confirm an account's email address: single use, for one hour. */
export const emailVerifications = pgTable(
  'email_verifications',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [index('email_verifications_user_id_idx').on(t.userId)],
);

/** A person's authenticator app (TOTP). It counts only once enabledAt is set, after a first code is checked. */
export const twoFactor = pgTable('two_factor', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** The shared secret, base32, as the app holds it. */
  secret: text('secret').notNull(),
  enabledAt: timestamp('enabled_at', { withTimezone: true }),
  /** The last time step whose code was accepted: a code works once. */
  lastTimeStep: integer('last_time_step').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Codes that stand in for the app once each, when the phone is lost. Only their hashes are kept. */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [index('recovery_codes_user_id_idx').on(t.userId)],
);

/** A login half done: the password was right, the second step is awaited (a few tries, a few minutes). */
export const loginChallenges = pgTable(
  'login_challenges',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    attempts: integer('attempts').notNull().default(0),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('login_challenges_user_id_idx').on(t.userId)],
);

/** Passkeys (WebAuthn credentials) a person logs in with instead of a password. */
export const passkeys = pgTable(
  'passkeys',
  {
    /** The credential's id, base64url, as the authenticator reports it. */
    id: text('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The random WebAuthn user handle the authenticator keeps for this account (never the email). */
    userHandle: text('user_handle').notNull(),
    /** The COSE public key, base64url. */
    publicKey: text('public_key').notNull(),
    counter: integer('counter').notNull().default(0),
    transports: text('transports')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Where it was added ("Chrome · Windows"), so its owner can tell passkeys apart. */
    device: text('device').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [index('passkeys_user_id_idx').on(t.userId)],
);

export const webauthnPurposeEnum = pgEnum('webauthn_purpose', ['register', 'login']);

/** A WebAuthn challenge awaiting the browser's answer, found by a cookie's token; used once. */
export const webauthnChallenges = pgTable('webauthn_challenges', {
  tokenHash: text('token_hash').primaryKey(),
  purpose: webauthnPurposeEnum('purpose').notNull(),
  /** Set when registering a passkey to a signed-in person. */
  userId: integer('user_id').references(() => users.id, { onDelete: 'cascade' }),
  challenge: text('challenge').notNull(),
  /** Registering: the account's WebAuthn user handle the options carried. */
  userHandle: text('user_handle'),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

export type User = typeof users.$inferSelect;
export type MembershipVisibility = (typeof membershipVisibilityEnum.enumValues)[number];
