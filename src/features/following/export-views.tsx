import type { Translate } from '../../platform/views/i18n.js';
import type { FollowingExport } from './personal-data.js';

type Named<T> = Omit<T, 'groupId'> & { group: string };

/** The levels a member chose and the posts that mentioned them, in the archive's readable page. */
export function FollowingExportSection({
  t,
  data,
}: {
  t: Translate;
  data: { [K in keyof FollowingExport]: Named<FollowingExport[K][number]>[] };
}) {
  if (data.threads.length + data.groups.length + data.mentionedIn.length === 0) return null;
  return (
    <>
      <h2>{t('following.export.heading')}</h2>
      <ul>
        {data.groups.map((g) => (
          <li>{t('following.export.group', { group: g.group, level: t(`following.levels.${g.level}`) })}</li>
        ))}
        {data.threads.map((f) => (
          <li>
            {t('following.export.thread', { group: f.group, id: f.threadId, level: t(`following.levels.${f.level}`) })}
          </li>
        ))}
        {data.mentionedIn.map((m) => (
          <li>{t('following.export.mention', { group: m.group, id: m.postId })}</li>
        ))}
      </ul>
    </>
  );
}
