import { z } from 'zod';
import type { Bus } from '../../platform/bus/index.js';

/**
 * What the people in a conversation are told live when a message arrives: that one did, and in
 * which conversation. Never who wrote it, nor what: the page fetches it, through the same checks
 * as the page itself. The author's id travels on the bus only, so that each follower's socket can
 * leave out their own messages and those of someone a block keeps apart from them; it is taken
 * out of the frame (toClient).
 */
export const conversationMessage = z.object({
  type: z.literal('conversation.message'),
  conversationId: z.number().int().positive(),
  authorId: z.number().int().positive(),
});
export type ConversationMessage = z.infer<typeof conversationMessage>;

export const conversationChannel = (conversationId: number): string => `conversation:${conversationId}`;

/** The frame a follower's page receives. */
export function conversationFrame(event: ConversationMessage): { type: string; conversationId: number } {
  return { type: event.type, conversationId: event.conversationId };
}

/** Called after the message's transaction commits, so that the page finds it when it asks. */
export async function announceMessage(bus: Bus | undefined, conversationId: number, authorId: number): Promise<void> {
  if (!bus) return;
  const event: ConversationMessage = { type: 'conversation.message', conversationId, authorId };
  await bus.publish(conversationChannel(conversationId), event);
}
