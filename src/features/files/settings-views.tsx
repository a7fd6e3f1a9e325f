import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, Field, FormErrors, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { GroupHeader, type GroupAccess } from '../groups/index.js';
import type { GroupFileChoices } from './settings.js';
import { formatSize } from './views.js';

/** /g/:slug/settings/files: what members may attach in the group, for its managers. */
export function FileSettingsPage({
  ctx,
  access,
  choices,
  siteMaxBytes,
  errors = {},
  values,
}: {
  ctx: PageContext;
  access: GroupAccess;
  choices: GroupFileChoices;
  siteMaxBytes: number;
  errors?: FieldErrors;
  values?: Record<string, string>;
}) {
  const { t } = ctx;
  const { group } = access;
  const v = values ?? {
    imagesAllowed: choices.imagesAllowed ? 'on' : '',
    filesAllowed: choices.filesAllowed ? 'on' : '',
    maxMegabytes: choices.maxMegabytes === null ? '' : String(choices.maxMegabytes),
  };
  const check = (name: 'imagesAllowed' | 'filesAllowed', label: string) => (
    <div class="choice">
      <input type="checkbox" id={`field-${name}`} name={name} checked={v[name] === 'on'} />
      <label for={`field-${name}`}>{label}</label>
    </div>
  );
  return (
    <Layout ctx={ctx} title={t('files.settings.heading', { name: group.name })}>
      <GroupHeader ctx={ctx} access={access} />
      <section class="panel">
        <h2>{t('files.settings.title')}</h2>
        <p class="lede">{t('files.settings.intro')}</p>
        <FormErrors ctx={ctx} errors={errors} />
        <form method="post" action={`/g/${group.slug}/settings/files`} novalidate>
          <CsrfField ctx={ctx} />
          {check('imagesAllowed', t('files.settings.images'))}
          {check('filesAllowed', t('files.settings.files'))}
          <Field
            ctx={ctx}
            name="maxMegabytes"
            label={t('files.settings.maxMegabytes')}
            hint={t('files.settings.maxHint', { size: formatSize(ctx, siteMaxBytes) })}
            errors={errors}
            value={v.maxMegabytes}
          />
          <button type="submit" class="button">
            {t('files.settings.submit')}
          </button>
        </form>
      </section>
    </Layout>
  );
}
