import type { Translate } from '../../platform/views/i18n.js';
import type { CircleExport } from './personal-data.js';

type Named<T> = Omit<T, 'groupId'> & { group: string };

const when = (d: Date) => `${d.toISOString().replace('T', ' ').slice(0, 16)} UTC`;

/** The circles a member was in, in the archive's readable page. */
export function CirclesExportSection({
  t,
  circles,
}: {
  t: Translate;
  circles: Named<CircleExport['circles'][number]>[];
}) {
  if (circles.length === 0) return null;
  return (
    <>
      <h2>{t('circles.export.heading')}</h2>
      <ul>
        {circles.map((c) => (
          <li>
            {t(c.kind === 'video' ? 'circles.export.video' : 'circles.export.voice', {
              group: c.group,
              date: when(c.joinedAt),
            })}
            {c.leftAt ? ` · ${t('circles.export.left', { date: when(c.leftAt) })}` : ''}
            {c.status === 'removed' ? ` · ${t('circles.export.removed')}` : ''}
            {c.mutedByLeaderAt ? ` · ${t('circles.export.muted', { date: when(c.mutedByLeaderAt) })}` : ''}
            {c.hideAddress ? ` · ${t('circles.export.hidden')}` : ''}
          </li>
        ))}
      </ul>
    </>
  );
}
