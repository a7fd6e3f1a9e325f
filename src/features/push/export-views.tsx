import type { Translate } from '../../platform/views/i18n.js';
import type { PushExport } from './personal-data.js';

const when = (d: Date) => `${d.toISOString().replace('T', ' ').slice(0, 16)} UTC`;

/** The devices a member gets push notifications on, in their data archive's readable page. */
export function PushExportSection({ t, data }: { t: Translate; data: PushExport }) {
  if (data.devices.length === 0) return null;
  return (
    <>
      <h2>{t('push.export.heading')}</h2>
      <ul>
        {data.devices.map((d) => (
          <li>
            {d.label || t('push.account.unknownDevice')} · {t('push.account.since', { date: when(d.createdAt) })}
            {d.lastSuccessAt ? ` · ${t('push.account.lastSent', { when: when(d.lastSuccessAt) })}` : ''}
          </li>
        ))}
      </ul>
    </>
  );
}
