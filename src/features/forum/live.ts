import { z } from 'zod';
import type { Bus } from '../../platform/bus/index.js';

/**
 * What followers of a thread are told when it gets a reply: how many replies it now has. Never
 * who wrote it, nor what: a person sees that only by loading the page, through the forum's checks.
 */
export const threadReplies = z.object({
  type: z.literal('thread.reply'),
  threadId: z.number().int().positive(),
  replies: z.number().int().min(0),
});
export type ThreadReplies = z.infer<typeof threadReplies>;

export const threadChannel = (threadId: number): string => `thread:${threadId}`;

/** Called after the reply's transaction commits, so that a follower who reloads finds it there. */
export async function announceReplies(bus: Bus | undefined, threadId: number, replies: number): Promise<void> {
  if (!bus) return;
  const event: ThreadReplies = { type: 'thread.reply', threadId, replies };
  await bus.publish(threadChannel(threadId), event);
}
