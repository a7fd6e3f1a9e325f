import type { PageContext } from '../../platform/http/page.js';
import { errorMessage, type FieldErrors } from '../../platform/views/forms.js';
import { maxTopics, meetingRows, type EntryProfileValues, type EntryProfileView } from './profile.js';
import { describeMeetingTime, weekdayKeys } from './schedule.js';
import { directoryAudiences, directoryFormats, meetingPlaces } from './schema.js';
import type { TopicNode } from './topics.js';

/** Every time zone Intl knows, for the meeting rows' suggestions (made once). */
let zones: string[] | null = null;
const timeZones = () => (zones ??= ['UTC', ...Intl.supportedValuesOf('timeZone')]);

function ErrorText({ ctx, id, error }: { ctx: PageContext; id: string; error: string | undefined }) {
  return error ? (
    <p class="error" id={id}>
      {errorMessage(ctx, error)}
    </p>
  ) : null;
}

/** A fieldset of checkboxes whose error is read out with each box. */
function Checkboxes({
  ctx,
  name,
  legend,
  options,
  chosen,
  errors,
}: {
  ctx: PageContext;
  name: string;
  legend: string;
  options: { value: string; label: string }[];
  chosen: string[];
  errors: FieldErrors;
}) {
  const error = errors[name];
  return (
    <fieldset class={error ? 'field field-error' : 'field'}>
      <legend>{legend}</legend>
      <ErrorText ctx={ctx} id={`${name}-error`} error={error} />
      {options.map((o) => (
        <div class="choice" key={o.value}>
          <input
            type="checkbox"
            id={`${name}-${o.value}`}
            name={name}
            value={o.value}
            checked={chosen.includes(o.value)}
            aria-describedby={error ? `${name}-error` : undefined}
          />
          <label for={`${name}-${o.value}`}>{o.label}</label>
        </div>
      ))}
    </fieldset>
  );
}

function TopicChoices({
  ctx,
  topics,
  chosen,
  errors,
}: {
  ctx: PageContext;
  topics: TopicNode[];
  chosen: string[];
  errors: FieldErrors;
}) {
  const { t } = ctx;
  const error = errors.topics;
  const describedBy = ['topics-hint', error ? 'topics-error' : ''].filter(Boolean).join(' ');
  const box = (topic: TopicNode) => (
    <div class="choice" key={topic.slug}>
      <input
        type="checkbox"
        id={`topic-${topic.slug}`}
        name="topics"
        value={topic.slug}
        checked={chosen.includes(topic.slug)}
        aria-describedby={describedBy}
      />
      <label for={`topic-${topic.slug}`}>{topic.name}</label>
    </div>
  );
  return (
    <fieldset class={error ? 'field field-error' : 'field'}>
      <legend>{t('directorySettings.fields.topics')}</legend>
      <p class="hint" id="topics-hint">
        {t('directorySettings.fields.topicsHint', { max: maxTopics })}
      </p>
      <ErrorText ctx={ctx} id="topics-error" error={error} />
      {topics.map((category) => {
        const inside = [category, ...category.children];
        const count = inside.filter((x) => chosen.includes(x.slug)).length;
        return (
          <details key={category.slug} open={count > 0}>
            <summary>
              {category.name}
              {count > 0 ? ` (${t('directorySettings.fields.topicsChosen', { count })})` : null}
            </summary>
            {inside.map(box)}
          </details>
        );
      })}
    </fieldset>
  );
}

type MeetingRow = EntryProfileValues['meetings'][number];

function MeetingRowFields({
  ctx,
  index,
  row,
  errors,
}: {
  ctx: PageContext;
  index: number;
  row: MeetingRow;
  errors: FieldErrors;
}) {
  const { t } = ctx;
  const id = (k: string) => `meeting${k}${index}`;
  const input = (k: string) => {
    const error = errors[id(k)];
    return {
      id: `field-${id(k)}`,
      name: id(k),
      'aria-invalid': error ? ('true' as const) : undefined,
      'aria-describedby': error ? `${id(k)}-error` : undefined,
    };
  };
  const wrap = (k: string) => (errors[id(k)] ? 'field field-error' : 'field');
  return (
    <fieldset class="field meeting-row">
      <legend>{t('directorySettings.fields.meeting', { number: index + 1 })}</legend>
      <div class={wrap('Day')}>
        <label for={`field-${id('Day')}`}>{t('directorySettings.fields.day')}</label>
        <ErrorText ctx={ctx} id={`${id('Day')}-error`} error={errors[id('Day')]} />
        <select {...input('Day')}>
          <option value="">{t('directorySettings.fields.noDay')}</option>
          {weekdayKeys.map((key, day) => (
            <option key={key} value={String(day)} selected={row.day === String(day)}>
              {t(`directorySettings.weekdays.${key}`)}
            </option>
          ))}
        </select>
      </div>
      <div class={wrap('Start')}>
        <label for={`field-${id('Start')}`}>{t('directorySettings.fields.start')}</label>
        <ErrorText ctx={ctx} id={`${id('Start')}-error`} error={errors[id('Start')]} />
        <input {...input('Start')} type="time" value={row.start} />
      </div>
      <div class={wrap('Length')}>
        <label for={`field-${id('Length')}`}>{t('directorySettings.fields.duration')}</label>
        <ErrorText ctx={ctx} id={`${id('Length')}-error`} error={errors[id('Length')]} />
        <input {...input('Length')} type="text" inputMode="numeric" maxLength={3} value={row.length || '60'} />
      </div>
      <div class={wrap('Zone')}>
        <label for={`field-${id('Zone')}`}>{t('directorySettings.fields.timeZone')}</label>
        <ErrorText ctx={ctx} id={`${id('Zone')}-error`} error={errors[id('Zone')]} />
        <input {...input('Zone')} type="text" list="time-zones" maxLength={64} value={row.zone} autocomplete="off" />
      </div>
      <div class={wrap('Place')}>
        <label for={`field-${id('Place')}`}>{t('directorySettings.fields.meetingPlace')}</label>
        <ErrorText ctx={ctx} id={`${id('Place')}-error`} error={errors[id('Place')]} />
        <select {...input('Place')}>
          {meetingPlaces.map((p) => (
            <option key={p} value={p} selected={(row.place || 'online') === p}>
              {t(`directorySettings.meetingPlaces.${p}`)}
            </option>
          ))}
        </select>
      </div>
    </fieldset>
  );
}

/**
 * The fields that describe a group or listing for the directory: topics, formats, audiences,
 * place and weekly meetings. Put inside a form that carries its own CSRF field and button.
 * Works without JavaScript; with htmx the place offers matching towns as the person types.
 */
export function EntryProfileFields({
  ctx,
  topics,
  values,
  errors = {},
}: {
  ctx: PageContext;
  topics: TopicNode[];
  values: EntryProfileValues;
  errors?: FieldErrors;
}) {
  const { t } = ctx;
  const defaultZone = ctx.viewer?.timeZone ?? 'UTC';
  const rows = meetingRows(values.meetings.length);
  const placeError = errors.place;
  return (
    <>
      <TopicChoices ctx={ctx} topics={topics} chosen={values.topics} errors={errors} />
      <Checkboxes
        ctx={ctx}
        name="formats"
        legend={t('directorySettings.fields.formats')}
        options={directoryFormats.map((f) => ({ value: f, label: t(`directorySettings.formats.${f}`) }))}
        chosen={values.formats}
        errors={errors}
      />
      <Checkboxes
        ctx={ctx}
        name="audiences"
        legend={t('directorySettings.fields.audiences')}
        options={directoryAudiences.map((a) => ({ value: a, label: t(`directorySettings.audiences.${a}`) }))}
        chosen={values.audiences}
        errors={errors}
      />
      <div class={placeError ? 'field field-error' : 'field'}>
        <label for="field-place">{t('directorySettings.fields.place')}</label>
        <p class="hint" id="field-place-hint">
          {t('directorySettings.fields.placeHint')}
        </p>
        <ErrorText ctx={ctx} id="field-place-error" error={placeError} />
        <input
          id="field-place"
          name="place"
          type="text"
          value={values.place}
          maxLength={200}
          autocomplete="off"
          list="places-list"
          aria-invalid={placeError ? 'true' : undefined}
          aria-describedby={placeError ? 'field-place-hint field-place-error' : 'field-place-hint'}
          hx-get="/places"
          hx-trigger="input changed delay:300ms"
          hx-target="#places-list"
          hx-swap="innerHTML"
          hx-sync="this:replace"
        />
        <datalist id="places-list"></datalist>
        <p class="hint">{t('directorySettings.credit')}</p>
      </div>
      <fieldset class="field">
        <legend>{t('directorySettings.fields.meetings')}</legend>
        <p class="hint">{t('directorySettings.fields.meetingsHint')}</p>
        {Array.from({ length: rows }, (_, i) => (
          <MeetingRowFields
            key={i}
            ctx={ctx}
            index={i}
            row={values.meetings[i] ?? { day: '', start: '', length: '', zone: defaultZone, place: '' }}
            errors={errors}
          />
        ))}
        <datalist id="time-zones">
          {timeZones().map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
      </fieldset>
    </>
  );
}

/**
 * A group's or listing's profile for its public page: topics, ways to take part, who it is for,
 * when it meets (in the viewer's own time zone when they are signed in) and where.
 */
export function EntryProfileSummary({ ctx, profile }: { ctx: PageContext; profile: EntryProfileView }) {
  const { t } = ctx;
  const viewerZone = ctx.viewer?.timeZone ?? null;
  return (
    <dl class="entry-profile">
      {profile.topics.length > 0 ? (
        <>
          <dt>{t('directorySettings.about.topics')}</dt>
          <dd>
            {profile.topics.map((topic, i) => (
              <span key={topic.slug}>
                {i > 0 ? ', ' : null}
                <a href={`/groups?topic=${encodeURIComponent(topic.slug)}`}>{topic.name}</a>
              </span>
            ))}
          </dd>
        </>
      ) : null}
      <dt>{t('directorySettings.about.formats')}</dt>
      <dd>{profile.formats.map((f) => t(`directorySettings.formats.${f}`)).join(', ')}</dd>
      <dt>{t('directorySettings.about.audiences')}</dt>
      <dd>{profile.audiences.map((a) => t(`directorySettings.audiences.${a}`)).join('; ')}</dd>
      {profile.meetings.length > 0 ? (
        <>
          <dt>{t('directorySettings.about.meetings')}</dt>
          <dd>
            <ul class="plain-list">
              {profile.meetings.map((m, i) => (
                <li key={i}>{describeMeetingTime(m, viewerZone, t)}</li>
              ))}
            </ul>
            {viewerZone ? null : <p class="hint">{t('directorySettings.about.timesNoteVisitor')}</p>}
          </dd>
        </>
      ) : null}
      {profile.place ? (
        <>
          <dt>{t('directorySettings.about.place')}</dt>
          <dd>{profile.place.label}</dd>
        </>
      ) : null}
    </dl>
  );
}
