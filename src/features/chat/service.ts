import { z } from 'zod';
import type { Bus } from '../../platform/bus/index.js';
import type { Db } from '../../platform/db/client.js';
import type { PostingLimits } from '../../platform/deps.js';
import { Invalid } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import { attachFiles, filesOf } from '../files/attaching.js';
import { nameInGroup, type Actor } from '../groups/index.js';
import { assertNotSilenced } from '../moderation/index.js';
import { detectRisk, mailNewCrisisAlerts, raiseCrisisAlert, type AfterWrite } from '../safety/index.js';
import { assertMayPost } from '../trust/index.js';
import { screenWatchedWords } from '../watched-words/index.js';
import { announce, type ChatMessageView } from './live.js';
import { accessRoom, assertMayPostIn, roomMeeting, roomState, type RoomAccess } from './policy.js';
import { chatMessages, chatParticipants } from './schema.js';

/**
 * What happens once a message is committed: the room told live (`bus`), leaders emailed about a
 * crisis alert (`mailer`, `baseUrl`); what the author may post by trust level (`postingLimits`).
 * Routes pass their Deps; a test may leave them out.
 */
export type ChatEffects = { bus?: Bus | undefined; postingLimits?: PostingLimits | undefined } & AfterWrite;

export const messageInput = z.object({
  body: z
    .string('chat.errors.bodyRequired')
    .trim()
    .min(1, 'chat.errors.bodyRequired')
    .max(2000, 'chat.errors.bodyLength'),
});

/** Uploads to attach to a message, by public id, with their descriptions (src/features/files). */
export interface MessageAttachments {
  publicIds: string[];
  altTexts: Record<string, string>;
}

export interface Sent {
  message: ChatMessageView;
  room: RoomAccess;
  /** Crisis language was found: the author is shown help, and this alert went to the group's leaders. */
  crisisAlertId: number | null;
}

/**
 * Writes a message in a room: the one path for every message, through the same rules as a post,
 * in this order: may this person write here now (their part in the group and the room, the room
 * paused, ended or not open yet), paused from posting by a moderator, trust-level limits (links
 * from new accounts), watched words, then crisis language, which never stops a message but puts
 * help in front of its author and tells the group's leaders. Then the room is told, live.
 * A message always has words, photos or not, as a post in the forum does.
 */
export async function postMessage(
  db: Db,
  actor: Actor,
  roomId: number,
  input: unknown,
  effects: ChatEffects = {},
  attachments?: MessageAttachments,
): Promise<Sent> {
  const attaching = attachments?.publicIds.length ?? 0;
  const { body } = parseInput(messageInput, input);
  const sent = await db.transaction(async (tx) => {
    const ra = await accessRoom(tx, actor, roomId);
    const now = new Date();
    assertMayPostIn(ra, roomState(ra.room, await roomMeeting(tx, actor, ra.room), now));
    const { access } = ra;
    await assertNotSilenced(tx, access, now);
    await assertMayPost(
      tx,
      access,
      actor!,
      { kind: 'reply', body, attachments: attaching },
      now,
      effects.postingLimits,
    );
    const words = await screenWatchedWords(tx, body);
    // A word that holds a post for a leader's approval cannot wait in a live conversation, where
    // a message held back would arrive after the moment it answers: it is refused, saying why,
    // and the text stays in the box. (A flagging word lets the message through: the review queue
    // is for posts, and a crisis word raises its own alert below.)
    if (words.needsApproval) throw new Invalid({ body: 'chat.errors.heldWord' });
    const [message] = await tx
      .insert(chatMessages)
      .values({ roomId, groupId: ra.room.groupId, authorId: actor!.id, body, createdAt: now })
      .returning();
    await tx
      .insert(chatParticipants)
      .values({ roomId, userId: actor!.id, groupId: ra.room.groupId })
      .onConflictDoNothing();
    if (attaching > 0)
      await attachFiles(tx, actor!.id, attachments!.publicIds, { chatMessageId: message!.id }, attachments!.altTexts);
    const files = attaching > 0 ? ((await filesOf(tx, 'chatMessage', [message!.id])).get(message!.id) ?? []) : [];
    const risk = detectRisk(body);
    const crisisAlertId = risk.atRisk
      ? await raiseCrisisAlert(
          tx,
          access,
          { chatMessageId: message!.id, groupId: message!.groupId, authorId: actor!.id },
          risk,
        )
      : null;
    const view: ChatMessageView = {
      id: message!.id,
      authorName: nameInGroup(access),
      body: message!.body,
      createdAt: message!.createdAt.toISOString(),
      ...(files.length > 0 ? { attachments: files } : {}),
    };
    return { message: view, room: ra, crisisAlertId };
  });
  await announce(effects.bus, {
    type: 'chat.message',
    roomId,
    message: sent.message,
    authorId: actor!.id,
  });
  if (sent.crisisAlertId !== null) await mailNewCrisisAlerts(db, effects);
  return sent;
}
