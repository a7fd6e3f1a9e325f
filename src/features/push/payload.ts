import type { Translate } from '../../platform/views/i18n.js';
import type { defaultChannels } from '../notifications/index.js';

type NotificationKind = keyof typeof defaultChannels;

/** A notification waiting to be pushed, with what its details may show. */
export interface Pending {
  id: number;
  kind: NotificationKind;
  /** The group's name, for details only. */
  group: string | null;
  /** The discussion's title while members may read it, for details only. */
  thread: string | null;
}

/** What the service worker shows (src/client/sw.js): a title, one line, and where a tap leads. */
export interface PushPayload {
  title: string;
  body: string;
  url: string;
}

const MAX_TITLE = 80;
const clip = (text: string) => (text.length > MAX_TITLE ? `${text.slice(0, MAX_TITLE - 1)}…` : text);

/**
 * One push for everything a person was told since the last one. A lock screen is seen by whoever
 * is beside the phone, so by default it says only what kind of thing happened, or how many:
 * "You have a new reply on Mutual", "You have 3 new notifications on Mutual". With details on
 * (notification_settings.push_details) it names the group and the discussion, never a person and
 * never the words of a post: the notification page, behind the login, has those.
 */
export function pushPayloadFor(t: Translate, pending: Pending[], details: boolean): PushPayload {
  const site = t('site.name');
  const first = pending[0];
  if (!first) throw new Error('nothing to push');
  if (pending.length > 1) {
    const count = pending.length;
    const groups = [...new Set(pending.map((p) => p.group).filter((g): g is string => g !== null))];
    if (details && groups.length > 0) {
      const named = groups.slice(0, 3).map(clip).join(', ') + (groups.length > 3 ? ', …' : '');
      return { title: site, body: t('push.payload.details.summary', { count, groups: named }), url: '/notifications' };
    }
    return { title: site, body: t('push.payload.summary', { count, site }), url: '/notifications' };
  }
  const url = `/notifications/${first.id}`;
  if (details && first.group) return { title: clip(first.group), body: detailsLine(t, first), url };
  return { title: site, body: discreetLine(t, first.kind, site), url };
}

function discreetLine(t: Translate, kind: NotificationKind, site: string): string {
  switch (kind) {
    case 'reply':
      return t('push.payload.reply', { site });
    case 'mention':
      return t('push.payload.mention', { site });
    case 'private_message':
      return t('push.payload.privateMessage', { site });
    case 'message_request':
      return t('push.payload.messageRequest', { site });
    default:
      return t('push.payload.other', { site });
  }
}

function detailsLine(t: Translate, n: Pending): string {
  const thread = n.thread === null ? null : clip(n.thread);
  switch (n.kind) {
    case 'private_message':
      return t('push.payload.details.privateMessage');
    case 'message_request':
      return t('push.payload.details.messageRequest');
  }
  if (thread !== null) {
    switch (n.kind) {
      case 'reply':
        return t('push.payload.details.reply', { thread });
      case 'mention':
        return t('push.payload.details.mention', { thread });
      case 'watched_post':
        return t('push.payload.details.watchedPost', { thread });
      case 'reactions':
        return t('push.payload.details.reactions', { thread });
    }
  }
  return t('push.payload.details.inGroup', { group: clip(n.group ?? '') });
}

/** The test a person sends themselves from /account/push. */
export function testPayload(t: Translate): PushPayload {
  const site = t('site.name');
  return { title: site, body: t('push.payload.test', { site }), url: '/account/push' };
}
