import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { Forbidden } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import type { Actor } from '../groups/index.js';
import { messagePolicyEnum, messageSettings, type MessagePolicy } from './schema.js';

/** Until a person chooses, members of the groups they are in may ask to talk with them. */
export const DEFAULT_POLICY: MessagePolicy = 'shared_groups';

export const messageSettingsInput = z.object({
  whoMayMessage: z.enum(messagePolicyEnum.enumValues, 'messages.errors.whoMayMessage'),
});

/** The person's choice of who may start a conversation with them. */
export async function readMessageSettings(db: Db, actor: Actor): Promise<MessagePolicy> {
  if (!actor) throw new Forbidden('groups.errors.logInFirst');
  const [row] = await db
    .select({ whoMayMessage: messageSettings.whoMayMessage })
    .from(messageSettings)
    .where(eq(messageSettings.userId, actor.id));
  return row?.whoMayMessage ?? DEFAULT_POLICY;
}

/**
 * Changes who may start a conversation with the person. Conversations they are already in go on;
 * requests already waiting stay for them to answer.
 */
export async function saveMessageSettings(db: Db, actor: Actor, input: unknown): Promise<void> {
  if (!actor) throw new Forbidden('groups.errors.logInFirst');
  const { whoMayMessage } = parseInput(messageSettingsInput, input);
  await db
    .insert(messageSettings)
    .values({ userId: actor.id, whoMayMessage })
    .onConflictDoUpdate({ target: messageSettings.userId, set: { whoMayMessage } });
}
