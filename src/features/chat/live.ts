import { z } from 'zod';
import type { Bus } from '../../platform/bus/index.js';
import type { FileView } from '../files/attaching.js';

/*
 * What a chat room's followers are told over /live (topic "chat", id = the room's id). Events
 * travel between processes with the author's account id, so that each follower's socket can leave
 * out the messages of someone they blocked; the frame a page receives never carries it.
 */

const id = z.number().int().positive();

/** A photo or file attached to a message, as pages show it: never who uploaded it. */
const chatFileView = z.object({
  publicId: z.string(),
  kind: z.enum(['image', 'file']),
  name: z.string(),
  altText: z.string(),
  contentType: z.string(),
  byteSize: z.number(),
  width: z.number().nullable(),
  height: z.number().nullable(),
  variants: z.array(z.string()),
}) satisfies z.ZodType<FileView>;

/**
 * A message as pages show it: under the author's name in the group (null once they deleted their
 * account), with its photos and files when it has any (a message without leaves the key out).
 */
export const chatMessageView = z.object({
  id,
  authorName: z.string().nullable(),
  body: z.string(),
  createdAt: z.string(),
  attachments: z.array(chatFileView).max(10).optional(),
});
export type ChatMessageView = z.infer<typeof chatMessageView>;

export const chatEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('chat.message'), roomId: id, message: chatMessageView, authorId: id.nullable() }),
  z.object({ type: z.literal('chat.removed'), roomId: id, messageId: id }),
  z.object({ type: z.literal('chat.presence'), roomId: id, present: z.array(z.string()).max(1000) }),
  z.object({ type: z.literal('chat.state'), roomId: id, paused: z.boolean(), ended: z.boolean() }),
  /** To one person only (their other followers never see it): a facilitator muted or unmuted them. */
  z.object({ type: z.literal('chat.you'), roomId: id, userId: id, muted: z.boolean() }),
]);
export type ChatEvent = z.infer<typeof chatEvent>;

export const chatChannel = (roomId: number): string => `chat:${roomId}`;

/** The frame a page receives: the event without any account id. */
export function chatFrame(event: ChatEvent): unknown {
  switch (event.type) {
    case 'chat.message':
      return { type: event.type, roomId: event.roomId, message: event.message };
    case 'chat.you':
      return { type: event.type, roomId: event.roomId, muted: event.muted };
    default:
      return event;
  }
}

/** Tells a room's followers, in every process; called after the change commits. */
export async function announce(bus: Bus | undefined, event: ChatEvent): Promise<void> {
  await bus?.publish(chatChannel(event.roomId), event);
}
