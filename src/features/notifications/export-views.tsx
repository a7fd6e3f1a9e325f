import type { Translate } from '../../platform/views/i18n.js';
import type { NotificationExport } from './personal-data.js';
import { clockText } from './settings.js';

/** What the archive holds of notifications: each one by kind and group, with a group's name for its id. */
export type NamedNotificationExport = Omit<NotificationExport, 'notifications'> & {
  notifications: (Omit<NotificationExport['notifications'][number], 'groupId'> & { group: string })[];
};

const when = (d: Date | null) => (d ? `${d.toISOString().replace('T', ' ').slice(0, 16)} UTC` : '');

/** A member's notifications, their choices by kind, and their settings, in their data archive's readable page. */
export function NotificationsExportSection({ t, data }: { t: Translate; data: NamedNotificationExport }) {
  const s = data.settings;
  if (data.notifications.length === 0 && data.preferences.length === 0 && !s) return null;
  const on = (v: boolean) => t(v ? 'privacy.archive.on' : 'privacy.archive.off');
  return (
    <>
      <h2>{t('notifications.archive.heading')}</h2>
      {s ? (
        <ul>
          <li>
            {t('notifications.archive.quiet', {
              from: clockText(s.quietFrom) || '–',
              until: clockText(s.quietUntil) || '–',
            })}
          </li>
          <li>{t('notifications.archive.every', { minutes: s.emailEveryMinutes })}</li>
          <li>
            {t('notifications.preferences.privacy.emailDetails')}: {on(s.emailDetails)}
          </li>
          <li>
            {t('notifications.preferences.privacy.pushDetails')}: {on(s.pushDetails)}
          </li>
        </ul>
      ) : null}
      {data.preferences.length > 0 ? (
        <ul>
          {data.preferences.map((p) => (
            <li key={p.kind}>
              {t(`notifications.preferences.kinds.${p.kind}`)} · {t('notifications.preferences.channels.inApp')}:{' '}
              {on(p.inApp)} · {t('notifications.preferences.channels.email')}: {on(p.email)} ·{' '}
              {t('notifications.preferences.channels.push')}: {on(p.push)}
            </li>
          ))}
        </ul>
      ) : null}
      {data.notifications.length > 0 ? (
        <ul>
          {data.notifications.map((n, i) => (
            <li key={i}>
              {t(`notifications.preferences.kinds.${n.kind}`)}
              {n.group ? ` (${n.group})` : ''} · {when(n.createdAt)}
              {n.readAt ? ` · ${t('notifications.read')} ${when(n.readAt)}` : ` · ${t('notifications.unread')}`}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
