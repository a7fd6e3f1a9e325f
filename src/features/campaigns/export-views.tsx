import type { Translate } from '../../platform/views/i18n.js';
import type { CampaignExport } from './personal-data.js';

type Named<T> = Omit<T, 'groupId'> & { group: string };

/** The campaigns a member signed, in their data archive's readable page. */
export function CampaignsExportSection({
  t,
  signatures,
}: {
  t: Translate;
  signatures: Named<CampaignExport['signatures'][number]>[];
}) {
  if (signatures.length === 0) return null;
  return (
    <>
      <h2>{t('campaigns.export.heading')}</h2>
      <ul>
        {signatures.map((s) => (
          <li>
            {s.campaign} ({s.group}) · {s.public ? t('campaigns.export.public') : t('campaigns.export.anonymous')} ·{' '}
            {s.signedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC · {s.address}
          </li>
        ))}
      </ul>
    </>
  );
}
