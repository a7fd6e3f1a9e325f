import { bigint, boolean, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema.js';
import { groups } from '../groups/schema.js';
import { meetingOccurrences } from '../meetings/schema.js';

export const circleKindEnum = pgEnum('circle_kind', ['voice', 'video']);
/** How media flows: browser to browser (a small circle), or through the Janus media server. */
export const circleMediaEnum = pgEnum('circle_media', ['mesh', 'janus']);
/** Open: everyone may speak. Stick: only the holder of the talking stick (and leaders). */
export const circleModeEnum = pgEnum('circle_mode', ['open', 'stick']);
export const circleParticipantStatusEnum = pgEnum('circle_participant_status', ['waiting', 'admitted', 'removed']);

/**
 * A voice or video circle: one per online meeting's occurrence, opened from its live room by a
 * leader and ended by one (or reopened). Nothing said in it is recorded anywhere: these rows hold
 * who is in it and how it is run, never media.
 */
export const circles = pgTable(
  'circles',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    occurrenceId: integer('occurrence_id')
      .notNull()
      .references(() => meetingOccurrences.id, { onDelete: 'cascade' }),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    kind: circleKindEnum('kind').notNull(),
    media: circleMediaEnum('media').notNull().default('mesh'),
    openedBy: integer('opened_by').references(() => users.id, { onDelete: 'set null' }),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    /** Locked: nobody new may join (leaders, and people let in before, still may). */
    lockedAt: timestamp('locked_at', { withTimezone: true }),
    /** Joiners wait until a leader lets them in. */
    waitingRoom: boolean('waiting_room').notNull(),
    mode: circleModeEnum('mode').notNull().default('open'),
    /** The participant (circle_participants.id) holding the talking stick. */
    stickHolder: integer('stick_holder'),
    /** The share timer: seconds a share may take (null: off), and when the current share began. */
    shareSeconds: integer('share_seconds'),
    shareStartedAt: timestamp('share_started_at', { withTimezone: true }),
    /** The Janus room and its secret, when the circle runs through Janus; never sent to a browser. */
    janusRoom: bigint('janus_room', { mode: 'number' }),
    janusSecret: text('janus_secret'),
  },
  (t) => [uniqueIndex('circles_occurrence_key').on(t.occurrenceId), index('circles_group_idx').on(t.groupId)],
);

/**
 * Someone in a circle. Its id ("pid") is the only id of a person that live frames and addresses
 * carry; the account behind it never leaves the server.
 */
export const circleParticipants = pgTable(
  'circle_participants',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    circleId: integer('circle_id')
      .notNull()
      .references(() => circles.id, { onDelete: 'cascade' }),
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: circleParticipantStatusEnum('status').notNull(),
    /** A leader of the group when they joined (shown as such; what they may do is asked afresh each time). */
    leader: boolean('leader').notNull().default(false),
    /** Their media goes through the TURN relay only, so nobody learns their network address. */
    hideAddress: boolean('hide_address').notNull(),
    /** Muted by a leader: they cannot unmute until a leader allows it. */
    mutedByLeaderAt: timestamp('muted_by_leader_at', { withTimezone: true }),
    selfMuted: boolean('self_muted').notNull().default(false),
    cameraOn: boolean('camera_on').notNull().default(false),
    handRaisedAt: timestamp('hand_raised_at', { withTimezone: true }),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow(),
    /** Refreshed while their page follows the circle; someone not seen for 75 seconds is not counted as here. */
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    leftAt: timestamp('left_at', { withTimezone: true }),
    /** The Janus path's own: their token in the room's allowed list, and the session and handle held for them. */
    janusToken: text('janus_token'),
    janusSession: bigint('janus_session', { mode: 'number' }),
    janusHandle: bigint('janus_handle', { mode: 'number' }),
  },
  (t) => [
    uniqueIndex('circle_participants_person_key').on(t.circleId, t.userId),
    index('circle_participants_user_idx').on(t.userId),
  ],
);

/**
 * A group's circle settings, set by those who manage it. Absent: addresses are not forced hidden,
 * and the waiting room follows the group's leadership (on for professionally run groups).
 */
export const circleSettings = pgTable('circle_settings', {
  groupId: integer('group_id')
    .primaryKey()
    .references(() => groups.id, { onDelete: 'cascade' }),
  hideAddressesForced: boolean('hide_addresses_forced').notNull().default(false),
  /** null: by leadership (on for professionally run groups, off for peer-led ones). */
  waitingRoomDefault: boolean('waiting_room_default'),
});

export type Circle = typeof circles.$inferSelect;
export type CircleParticipant = typeof circleParticipants.$inferSelect;
export type CircleKind = (typeof circleKindEnum.enumValues)[number];
export type CircleMode = (typeof circleModeEnum.enumValues)[number];
export type CircleMediaKind = (typeof circleMediaEnum.enumValues)[number];
export type ParticipantStatus = (typeof circleParticipantStatusEnum.enumValues)[number];
