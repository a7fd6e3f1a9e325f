import { signMailToken, verifyMailToken } from '../../platform/mail/tokens.js';
import type { MailContext } from './context.js';

/*
 * Every address Mutual's mail uses, at MAIL_DOMAIN. Group slugs have no "+", so the tagged
 * addresses below can never be a group's.
 *   caregivers@domain               the group: new discussions by email (List-Post)
 *   reply+<member>-<thread>-<mac>   one member's replies to one thread (Reply-To of list mail)
 *   unsubscribe+<member>-<group>-<mac>  one-click unsubscribe by mail (List-Unsubscribe)
 *   bounce+<member>-<mac>           the envelope sender (VERP): bounces name the member
 *   notifications+<member>-<mac>    one-click unsubscribe from notification emails
 */
type Ctx = Pick<MailContext, 'domain' | 'secret' | 'baseUrl'>;

export function groupAddress(ctx: Ctx, slug: string): string {
  return `${slug}@${ctx.domain}`;
}

export function replyAddress(ctx: Ctx, userId: number, threadId: number): string {
  return `reply+${signMailToken(ctx.secret, 'reply', [userId, threadId])}@${ctx.domain}`;
}

/** The token of a member's unsubscribe link and address for one group's list mail. */
export function unsubscribeToken(ctx: Ctx, userId: number, groupId: number): string {
  return signMailToken(ctx.secret, 'unsubscribe', [userId, groupId]);
}

export function unsubscribeAddress(ctx: Ctx, userId: number, groupId: number): string {
  return `unsubscribe+${unsubscribeToken(ctx, userId, groupId)}@${ctx.domain}`;
}

/** The page (GET: a confirm button; POST: RFC 8058 one-click) that stops a group's list mail. */
export function unsubscribeUrl(ctx: Ctx, userId: number, groupId: number): string {
  return `${ctx.baseUrl}/mail/unsubscribe/${unsubscribeToken(ctx, userId, groupId)}`;
}

export function bounceAddress(ctx: Ctx, userId: number): string {
  return `bounce+${signMailToken(ctx.secret, 'bounce', [userId])}@${ctx.domain}`;
}

/** What an address at MAIL_DOMAIN is for, with the numbers its token carries (checked). */
export type InboundAddress =
  | { kind: 'group'; slug: string }
  | { kind: 'reply'; userId: number; threadId: number }
  | { kind: 'unsubscribe'; userId: number; groupId: number }
  | { kind: 'bounce'; userId: number }
  /** notifications+<member>-<mac>: one-click unsubscribe from notification emails (src/features/notifications). */
  | { kind: 'notificationsOff'; userId: number }
  /** A tagged address whose token is malformed or forged. */
  | { kind: 'forged' }
  /** Not at MAIL_DOMAIN, or not an address Mutual gives out. */
  | { kind: 'unknown' };

export function parseInboundAddress(ctx: Ctx, address: string): InboundAddress {
  const at = address.lastIndexOf('@');
  if (at < 1 || address.slice(at + 1).toLowerCase() !== ctx.domain.toLowerCase()) return { kind: 'unknown' };
  const local = address.slice(0, at).toLowerCase();
  const plus = local.indexOf('+');
  if (plus < 0) return /^[a-z0-9][a-z0-9-]*$/.test(local) ? { kind: 'group', slug: local } : { kind: 'unknown' };
  const tag = local.slice(0, plus);
  const token = local.slice(plus + 1);
  if (tag === 'reply') {
    const n = verifyMailToken(ctx.secret, 'reply', token, 2);
    return n ? { kind: 'reply', userId: n[0]!, threadId: n[1]! } : { kind: 'forged' };
  }
  if (tag === 'unsubscribe') {
    const n = verifyMailToken(ctx.secret, 'unsubscribe', token, 2);
    return n ? { kind: 'unsubscribe', userId: n[0]!, groupId: n[1]! } : { kind: 'forged' };
  }
  if (tag === 'notifications') {
    const n = verifyMailToken(ctx.secret, 'notifications', token, 1);
    return n ? { kind: 'notificationsOff', userId: n[0]! } : { kind: 'forged' };
  }
  if (tag === 'bounce') {
    const n = verifyMailToken(ctx.secret, 'bounce', token, 1);
    return n ? { kind: 'bounce', userId: n[0]! } : { kind: 'forged' };
  }
  return { kind: 'unknown' };
}
