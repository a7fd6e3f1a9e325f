import type { Translate } from '../../platform/views/i18n.js';
import type { MessagesExport } from './personal-data.js';

type Named<T> = Omit<T, 'groupId'> & { group: string };

const when = (d: Date) => `${d.toISOString().replace('T', ' ').slice(0, 16)} UTC`;

/** A member's private messages in their data archive's readable page: their setting, what they wrote, what they reported. */
export function MessagesExportSection({
  t,
  data,
}: {
  t: Translate;
  data: Omit<MessagesExport, 'messages' | 'conversations'> & {
    conversations: Named<MessagesExport['conversations'][number]>[];
    messages: Named<MessagesExport['messages'][number]>[];
  };
}) {
  if (data.whoMayMessage === null && data.conversations.length === 0 && data.reports.length === 0) return null;
  return (
    <>
      <h2>{t('messages.export.heading')}</h2>
      {data.whoMayMessage ? (
        <p>{t('messages.export.whoMayMessage', { value: t(`messages.settings.${data.whoMayMessage}`) })}</p>
      ) : null}
      {data.conversations.length ? (
        <p>{t('messages.export.conversations', { count: data.conversations.length })}</p>
      ) : null}
      {data.messages.length ? (
        <>
          <h3>{t('messages.export.written')}</h3>
          <ul>
            {data.messages.map((m) => (
              <li>
                {when(m.createdAt)} ({m.group}){m.removedByModerator ? ` · ${t('messages.export.removed')}` : ''}:{' '}
                {m.body}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {data.reports.length ? (
        <>
          <h3>{t('messages.export.reports')}</h3>
          <ul>
            {data.reports.map((r) => (
              <li>
                {when(r.createdAt)} · {r.reason.replace('\n', ': ')}
                {r.outcome ? ` · ${r.outcome}` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
