import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Bus } from '../../platform/bus/index.js';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import type { EventSink, PostingLimits } from '../../platform/deps.js';
import { Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import { withValues } from '../../platform/views/forms.js';
import { renderMarkdown } from '../../platform/views/markdown.js';
import {
  accessGroup,
  accessGroupById,
  activeMemberSql,
  memberIdByNameSql,
  type Actor,
  type GroupAccess,
} from '../groups/index.js';
import { attachFiles } from '../files/attaching.js';
import { announceMessage } from './live.js';
import {
  assertMayAnswerRequest,
  assertMayLeave,
  assertMayMessageIn,
  assertMayRead,
  assertMaySend,
  decideStart,
  MAX_PEOPLE,
  type RecipientFacts,
  type Standing,
} from './policy.js';
import {
  conversationMembers,
  conversations,
  privateMessages,
  type ConversationMemberStatus,
  type MessagePolicy,
} from './schema.js';
import { screenMessage } from './screening.js';

/**
 * What happens once a message is committed: the people in the conversation told live (`bus`) and
 * by the notification job (`events`); what the author may send by trust level (`postingLimits`,
 * production's when absent). Routes pass their Deps.
 */
export interface MessageEffects {
  bus?: Bus | undefined;
  events?: EventSink | undefined;
  postingLimits?: PostingLimits | undefined;
}

/** What sending told its author beyond the message itself. */
export interface Sent {
  conversationId: number;
  messageId: number;
  /** 'sent': someone in the conversation reads it now; 'requested': it waits for them to accept. */
  outcome: 'sent' | 'requested';
  /** Crisis language was found: the author is shown help (no alert goes to anyone; see sendMessage). */
  atRisk: boolean;
}

export const bodySchema = z
  .string('messages.errors.bodyRequired')
  .trim()
  .min(1, 'messages.errors.bodyRequired')
  .max(5000, 'messages.errors.bodyLength');

export const messageInput = z.object({ body: bodySchema });

/** "Ana, Bo": the names of the people to write to, as the group knows them. */
const names = z
  .string('messages.errors.toRequired')
  .max(500, 'messages.errors.tooMany')
  .transform((v) => {
    const byKey = new Map<string, string>();
    for (const name of v.split(',').map((n) => n.trim())) {
      if (name && !byKey.has(name.toLowerCase())) byKey.set(name.toLowerCase(), name);
    }
    return [...byKey.values()];
  })
  .refine((list) => list.length > 0, 'messages.errors.toRequired')
  .refine((list) => list.length < MAX_PEOPLE, 'messages.errors.tooMany');

export const startInput = z.object({
  group: z.string('messages.errors.groupRequired').trim().min(1, 'messages.errors.groupRequired').max(200),
  to: names,
  body: bodySchema,
});

interface FoundRecipient extends RecipientFacts {
  name: string;
  /** A conversation of two in the group between them, which the sender is still in. */
  existing: number | null;
}

/** What the policy needs to know of the person going by `name` in the group; null when nobody does. */
async function findRecipient(
  tx: DbOrTx,
  access: GroupAccess,
  senderId: number,
  name: string,
  now: Date,
): Promise<FoundRecipient | null> {
  const groupId = access.group.id;
  const result = (await tx.execute(sql`
    select r.id as "userId",
      ${activeMemberSql(sql`${groupId}::int`, sql.raw('r.id'), now)} as member,
      coalesce((select ms.who_may_message::text from message_settings ms where ms.user_id = r.id),
        'shared_groups') as "whoMayMessage",
      exists (select 1 from blocks b where (b.blocker_id = ${senderId} and b.blocked_id = r.id)
        or (b.blocker_id = r.id and b.blocked_id = ${senderId})) as blocked,
      exists (select 1 from conversation_members d join conversations dc on dc.id = d.conversation_id
        where d.user_id = r.id and d.status = 'declined' and dc.created_by = ${senderId}) as "declinedBefore",
      exists (select 1 from conversation_members k
        join conversation_members s on s.conversation_id = k.conversation_id
        join conversations kc on kc.id = k.conversation_id
        where kc.group_id = ${groupId} and k.user_id = r.id and k.status = 'active'
          and s.user_id = ${senderId} and s.status = 'active') as known,
      (select c.id from conversations c
        join conversation_members s on s.conversation_id = c.id and s.user_id = ${senderId} and s.status = 'active'
        join conversation_members o on o.conversation_id = c.id and o.user_id = r.id and o.status <> 'left'
        where c.group_id = ${groupId}
          and (select count(*) from conversation_members x where x.conversation_id = c.id) = 2
        order by c.last_message_at desc, c.id desc limit 1) as existing
    from (select ${memberIdByNameSql(groupId, name)} as id) r where r.id is not null`)) as unknown as {
    rows: (Omit<FoundRecipient, 'name' | 'userId' | 'existing'> & {
      userId: number | string;
      existing: number | string | null;
    })[];
  };
  const row = result.rows[0];
  if (!row) return null;
  return {
    ...row,
    name,
    userId: Number(row.userId),
    whoMayMessage: row.whoMayMessage as MessagePolicy,
    existing: row.existing === null ? null : Number(row.existing),
  };
}

/** A conversation's group and where each person in it stands; null when there is no such conversation. */
async function loadStanding(
  tx: DbOrTx,
  viewerId: number,
  conversationId: number,
): Promise<{ groupId: number; standing: Standing | null } | null> {
  const rows = await tx
    .select({ groupId: conversations.groupId, userId: conversationMembers.userId, status: conversationMembers.status })
    .from(conversations)
    .innerJoin(conversationMembers, eq(conversationMembers.conversationId, conversations.id))
    .where(eq(conversations.id, conversationId));
  const groupId = rows[0]?.groupId;
  if (groupId === undefined || groupId === null) return null;
  const mine = rows.find((r) => r.userId === viewerId);
  const others = rows.filter((r) => r.userId !== viewerId).map((r) => r.status);
  return {
    groupId,
    standing: mine ? { mine: mine.status, others } : null,
  };
}

/** The message itself, once screened: written, and the conversation marked active and read by its author. */
async function writeMessage(
  tx: DbOrTx,
  conversationId: number,
  authorId: number,
  body: string,
  now: Date,
): Promise<number> {
  const [message] = await tx
    .insert(privateMessages)
    .values({ conversationId, authorId, body, bodyHtml: renderMarkdown(body), createdAt: now })
    .returning({ id: privateMessages.id });
  await tx.update(conversations).set({ lastMessageAt: now }).where(eq(conversations.id, conversationId));
  await tx
    .update(conversationMembers)
    .set({ lastReadAt: now })
    .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, authorId)));
  return message!.id;
}

/** Uploads to attach to a message, by public id, with their descriptions (src/features/files). */
export interface MessageAttachments {
  publicIds: string[];
  altTexts: Record<string, string>;
}

/** The author's own uploads attached to the message just written, in its transaction. */
async function attachTo(
  tx: DbOrTx,
  authorId: number,
  messageId: number,
  attachments: MessageAttachments | undefined,
): Promise<void> {
  if (!attachments) return;
  await attachFiles(tx, authorId, attachments.publicIds, { privateMessageId: messageId }, attachments.altTexts);
}

/** The events and live notice of a written message, after its transaction commits. */
async function afterCommit(
  effects: MessageEffects,
  sent: Sent & { authorId: number; requested: number[] },
): Promise<void> {
  if (sent.outcome === 'sent') await effects.events?.send({ type: 'message.sent', messageId: sent.messageId });
  for (const userId of sent.requested) {
    await effects.events?.send({ type: 'message.requested', conversationId: sent.conversationId, userId });
  }
  await announceMessage(effects.bus, sent.conversationId, sent.authorId);
}

/**
 * Writes in a conversation, in one transaction: may this person write here now (policy), then the
 * same screening as a post, then the message.
 *
 * Crisis language in a private message shows its author help at once, and raises no alert for
 * the group's leaders: a private message is shared with the people in the conversation only, and
 * an alert would put what was said in confidence in front of leaders the author did not write to.
 * The people it was written to are there to read it, and can report it if they are worried.
 */
export async function sendMessage(
  db: Db,
  actor: Actor,
  conversationId: number,
  input: unknown,
  effects: MessageEffects = {},
  attachments?: MessageAttachments,
): Promise<Sent> {
  if (!actor) throw new Forbidden('groups.errors.logInFirst');
  const { body } = parseInput(messageInput, input);
  const sent = await db.transaction(async (tx) => {
    const found = await loadStanding(tx, actor.id, conversationId);
    if (!found?.standing) throw new NotFound();
    const access = await accessGroupById(tx, actor, found.groupId);
    assertMaySend(access, found.standing);
    const now = new Date();
    const files = attachments?.publicIds.length ?? 0;
    const { risk } = await screenMessage(tx, access, actor.id, body, now, effects.postingLimits, files);
    const messageId = await writeMessage(tx, conversationId, actor.id, body, now);
    await attachTo(tx, actor.id, messageId, attachments);
    return { conversationId, messageId, outcome: 'sent' as const, atRisk: risk.atRisk };
  });
  await afterCommit(effects, { ...sent, authorId: actor.id, requested: [] });
  return sent;
}

/**
 * Starts a conversation in a group with one or a few of its members, by their names there. Each
 * person is asked as the policy says: joined at once, sent a request, or (blocked, or declined
 * before) never shown it, the sender not told. A conversation of two that already exists takes
 * the message instead, under its own rules. Attachments go with the first message, as a reply's do.
 */
export async function startConversation(
  db: Db,
  actor: Actor,
  input: unknown,
  effects: MessageEffects = {},
  attachments?: MessageAttachments,
): Promise<Sent> {
  if (!actor) throw new Forbidden('groups.errors.logInFirst');
  const data = parseInput(startInput, input);
  const files = attachments?.publicIds.length ?? 0;
  const result = await db.transaction(async (tx) => {
    const access = await accessGroup(tx, actor, data.group);
    assertMayMessageIn(access);
    const now = new Date();
    const recipients: { facts: FoundRecipient; status: ConversationMemberStatus }[] = [];
    for (const name of data.to) {
      const facts = await findRecipient(tx, access, actor.id, name, now);
      if (!facts) throw new Invalid({ to: withValues('messages.errors.notInGroup', { name }) });
      const decision = decideStart(access, facts);
      if (decision.outcome === 'refused') throw new Invalid({ to: withValues(decision.reason, { name }) });
      if (recipients.some((r) => r.facts.userId === facts.userId)) continue;
      const status =
        decision.outcome === 'direct' ? 'active' : decision.outcome === 'request' ? 'requested' : 'declined';
      recipients.push({ facts, status });
    }
    const only = recipients.length === 1 ? recipients[0]!.facts : null;
    if (only?.existing) {
      const existing = await loadStanding(tx, actor.id, only.existing);
      assertMaySend(access, existing!.standing!);
      const { risk } = await screenMessage(tx, access, actor.id, data.body, now, effects.postingLimits, files);
      const messageId = await writeMessage(tx, only.existing, actor.id, data.body, now);
      await attachTo(tx, actor.id, messageId, attachments);
      const sent: Sent = { conversationId: only.existing, messageId, outcome: 'sent', atRisk: risk.atRisk };
      return { ...sent, requested: [] };
    }
    const { risk } = await screenMessage(tx, access, actor.id, data.body, now, effects.postingLimits, files);
    const [conversation] = await tx
      .insert(conversations)
      .values({ groupId: access.group.id, createdBy: actor.id, createdAt: now, lastMessageAt: now })
      .returning({ id: conversations.id });
    const conversationId = conversation!.id;
    await tx
      .insert(conversationMembers)
      .values([
        { conversationId, userId: actor.id, status: 'active', joinedAt: now, lastReadAt: now },
        ...recipients.map((r) => ({ conversationId, userId: r.facts.userId, status: r.status, joinedAt: now })),
      ]);
    const messageId = await writeMessage(tx, conversationId, actor.id, data.body, now);
    await attachTo(tx, actor.id, messageId, attachments);
    const outcome: Sent['outcome'] = recipients.some((r) => r.status === 'active') ? 'sent' : 'requested';
    const requested = recipients.filter((r) => r.status === 'requested').map((r) => r.facts.userId);
    return { conversationId, messageId, outcome, atRisk: risk.atRisk, requested };
  });
  const { requested, ...sent } = result;
  await afterCommit(effects, { ...sent, authorId: actor.id, requested });
  return sent;
}

/** Changes the viewer's own place in a conversation, as the policy allows. */
async function changeMyStatus(
  db: Db,
  actor: Actor,
  conversationId: number,
  assert: (s: Standing | null) => void,
  status: ConversationMemberStatus,
): Promise<void> {
  if (!actor) throw new Forbidden('groups.errors.logInFirst');
  await db.transaction(async (tx) => {
    const found = await loadStanding(tx, actor.id, conversationId);
    assert(found?.standing ?? null);
    await tx
      .update(conversationMembers)
      .set({ status, ...(status === 'active' ? { joinedAt: new Date() } : {}) })
      .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, actor.id)));
  });
}

/** Accepting a message request: the person joins the conversation and can read and write in it. */
export function acceptRequest(db: Db, actor: Actor, conversationId: number): Promise<void> {
  return changeMyStatus(db, actor, conversationId, assertMayAnswerRequest, 'active');
}

/**
 * Declining a message request: the conversation leaves the person's list, and whoever asked is not
 * told (they see their request still waiting), and cannot ask them again.
 */
export function declineRequest(db: Db, actor: Actor, conversationId: number): Promise<void> {
  return changeMyStatus(db, actor, conversationId, assertMayAnswerRequest, 'declined');
}

/** Leaving a conversation: it leaves the person's list; the others see that they left. */
export function leaveConversation(db: Db, actor: Actor, conversationId: number): Promise<void> {
  return changeMyStatus(db, actor, conversationId, assertMayLeave, 'left');
}

/**
 * A private message, for someone who may read its conversation (its attachments, served by
 * src/features/files); NotFound for anyone else and for a message a moderator removed.
 */
export async function accessPrivateMessage(db: DbOrTx, actor: Actor, messageId: number): Promise<void> {
  if (!actor) throw new NotFound();
  const [message] = await db
    .select({ conversationId: privateMessages.conversationId, removedAt: privateMessages.removedAt })
    .from(privateMessages)
    .where(eq(privateMessages.id, messageId));
  if (!message || message.removedAt) throw new NotFound();
  const found = await loadStanding(db, actor.id, message.conversationId);
  assertMayRead(found?.standing ?? null);
}
