import type { PageContext } from '../../platform/http/page.js';
import { CsrfField, FormErrors, type FieldErrors } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { GroupHeader, type GroupAccess } from '../groups/index.js';
import { EntryProfileFields } from './profile-views.js';
import { mayUseSearchEngines, type EntryProfileValues } from './profile.js';
import type { TopicNode } from './topics.js';
import type { Place } from './types.js';

/** "How people find this group": the group's profile for the directory, and search engines. */
export function GroupListingPage({
  ctx,
  access,
  topics,
  values,
  searchEngines,
  errors = {},
}: {
  ctx: PageContext;
  access: GroupAccess;
  topics: TopicNode[];
  values: EntryProfileValues;
  searchEngines: boolean;
  errors?: FieldErrors;
}) {
  const { t } = ctx;
  const { group } = access;
  const allowed = mayUseSearchEngines(group);
  return (
    <Layout ctx={ctx} title={t('directorySettings.listing.title')}>
      <GroupHeader ctx={ctx} access={access} />
      <section class="panel" aria-labelledby="listing-heading">
        <h2 id="listing-heading">{t('directorySettings.listing.title')}</h2>
        <p>{t('directorySettings.listing.intro')}</p>
        <FormErrors ctx={ctx} errors={errors} />
        <form method="post" action={`/g/${group.slug}/listing`} novalidate>
          <CsrfField ctx={ctx} />
          <EntryProfileFields ctx={ctx} topics={topics} values={values} errors={errors} />
          <fieldset class="field">
            <legend>{t('directorySettings.listing.searchEnginesHeading')}</legend>
            {allowed ? (
              <div class="choice">
                <input
                  type="checkbox"
                  id="field-searchEngines"
                  name="searchEngines"
                  value="on"
                  checked={searchEngines}
                  aria-describedby="field-searchEngines-hint"
                />
                <label for="field-searchEngines">{t('directorySettings.listing.searchEngines')}</label>
                <p class="hint" id="field-searchEngines-hint">
                  {t('directorySettings.listing.searchEnginesHint')}
                </p>
              </div>
            ) : (
              <p>{t('directorySettings.listing.searchEnginesUnavailable')}</p>
            )}
          </fieldset>
          <button type="submit" class="button">
            {t('directorySettings.listing.save')}
          </button>
        </form>
      </section>
    </Layout>
  );
}

/** Places for a place field's <datalist>, swapped in by htmx as the person types. */
export function PlaceOptions({ places }: { places: Place[] }) {
  return (
    <>
      {places.map((p) => (
        <option key={p.label} value={p.label} />
      ))}
    </>
  );
}
