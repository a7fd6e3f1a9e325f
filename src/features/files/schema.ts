import { bigint, boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema.js';
import { groups } from '../groups/schema.js';
import { posts } from '../forum/schema.js';
import { chatMessages } from '../chat/schema.js';
import { privateMessages } from '../messages/schema.js';

export const fileKindEnum = pgEnum('file_kind', ['image', 'file']);

/** A stored version of an image: the re-encoded original at most its maximum size, and thumbnails. */
export interface FileVariant {
  /** 'large' | 'thumb', with a format: 'large.webp', 'large.avif', 'large.jpeg', 'thumb.webp'… */
  name: string;
  contentType: string;
  key: string;
  width: number;
  height: number;
  bytes: number;
}

/**
 * An uploaded image or file. Images are re-encoded without their metadata before anything is
 * stored; files are typed by their content. It belongs to at most one post, chat message or
 * private message; until then (attached_at null) only its uploader can see it, and unattached
 * uploads are swept after a day. When what it belonged to is deleted, the reference is set null
 * and the sweep deletes the stored bytes as well as the row.
 */
export const files = pgTable(
  'files',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    /** Random and unguessable: the only id in a file's address. */
    publicId: text('public_id').notNull().unique(),
    groupId: integer('group_id').references(() => groups.id, { onDelete: 'set null' }),
    uploaderId: integer('uploader_id').references(() => users.id, { onDelete: 'set null' }),
    kind: fileKindEnum('kind').notNull(),
    /** The type read from the content (file-type), never the name's. */
    contentType: text('content_type').notNull(),
    byteSize: integer('byte_size').notNull(),
    /** The name it was uploaded with, cleaned, for downloads ("diet-plan.pdf"). */
    name: text('name').notNull(),
    altText: text('alt_text').notNull().default(''),
    width: integer('width'),
    height: integer('height'),
    /** Where the bytes are, in the storage (a folder in the data directory, or S3). */
    storageKey: text('storage_key').notNull(),
    variants: jsonb('variants').$type<FileVariant[]>().notNull().default([]),
    postId: integer('post_id').references(() => posts.id, { onDelete: 'set null' }),
    chatMessageId: bigint('chat_message_id', { mode: 'number' }).references(() => chatMessages.id, {
      onDelete: 'set null',
    }),
    privateMessageId: bigint('private_message_id', { mode: 'number' }).references(() => privateMessages.id, {
      onDelete: 'set null',
    }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    attachedAt: timestamp('attached_at', { withTimezone: true }),
  },
  (t) => [
    index('files_post_idx').on(t.postId),
    index('files_chat_message_idx').on(t.chatMessageId),
    index('files_private_message_idx').on(t.privateMessageId),
    index('files_uploader_idx').on(t.uploaderId),
    index('files_group_idx').on(t.groupId),
  ],
);

/** What a group lets its members attach, within the site's limits (config). No row: the site's defaults. */
export const groupFileSettings = pgTable('group_file_settings', {
  groupId: integer('group_id')
    .primaryKey()
    .references(() => groups.id, { onDelete: 'cascade' }),
  imagesAllowed: boolean('images_allowed').notNull().default(true),
  filesAllowed: boolean('files_allowed').notNull().default(true),
  /** At most the site's limit; null follows the site. */
  maxBytes: integer('max_bytes'),
});

export type FileRow = typeof files.$inferSelect;
