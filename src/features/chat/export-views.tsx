import type { Translate } from '../../platform/views/i18n.js';
import type { ChatExport } from './personal-data.js';

type Named<T> = Omit<T, 'groupId'> & { group: string };

const when = (d: Date) => `${d.toISOString().replace('T', ' ').slice(0, 16)} UTC`;

/** What the member said in live rooms, in the archive's readable page. */
export function ChatExportSection({
  t,
  messages,
}: {
  t: Translate;
  messages: Named<ChatExport['messages'][number]>[];
}) {
  if (messages.length === 0) return null;
  return (
    <>
      <h2>{t('chat.export.heading')}</h2>
      <ul>
        {messages.map((m) => (
          <li>
            {m.meetingOccurrenceId === null
              ? t('chat.export.groupRoom', { group: m.group })
              : t('chat.export.meetingRoom', { group: m.group })}{' '}
            · {when(m.createdAt)}
            {m.removedAt ? ` · ${t('chat.export.removed')}` : ''}: {m.body}
          </li>
        ))}
      </ul>
    </>
  );
}
