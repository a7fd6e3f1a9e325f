import type { PageContext } from '../../platform/http/page.js';
import { wallClockFields } from '../../platform/text/zoned-time.js';
import {
  CsrfField,
  errorMessage,
  Field,
  FormErrors,
  WallClockFields,
  type FieldErrors,
} from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import type { GroupAccess } from '../groups/index.js';
import { repeatChoiceOf, repeatChoices } from './occurrences.js';
import type { OccurrenceAccess } from './policy.js';
import { meetingKindEnum, type Meeting } from './schema.js';
import { formatStart } from './time-views.js';
import { meetingsUrl, occurrenceUrl } from './views.js';

const durations = [30, 45, 60, 75, 90, 120, 150, 180];

/** A meeting as the form's values, its first date on its own clock: for the edit form. */
export function meetingFormValues(meeting: Meeting): Record<string, string> {
  const { date, time } = wallClockFields(meeting.startsAt, meeting.timeZone);
  const repeat = repeatChoiceOf(meeting.rrule, meeting.startsAt, meeting.timeZone);
  return {
    title: meeting.title,
    description: meeting.description,
    kind: meeting.kind,
    date,
    time,
    timeZone: meeting.timeZone,
    duration: String(meeting.durationMinutes),
    repeat,
    rrule: repeat === 'custom' ? (meeting.rrule ?? '') : '',
    address: meeting.address ?? '',
    directions: meeting.directions ?? '',
    accessibilityNotes: meeting.accessibilityNotes ?? '',
    dialIn: meeting.dialIn ?? '',
    dialInPin: meeting.dialInPin ?? '',
    capacity: meeting.capacity === null ? '' : String(meeting.capacity),
    ...(meeting.waitlist ? { waitlist: 'on' } : {}),
  };
}

/** A set of radio buttons with a legend, a hint per choice and the field's error. */
function Choices<T extends string>({
  ctx,
  name,
  legend,
  choices,
  chosen,
  label,
  hint,
  errors,
}: {
  ctx: PageContext;
  name: string;
  legend: string;
  choices: readonly T[];
  chosen: string | undefined;
  label: (choice: T) => string;
  hint?: (choice: T) => string;
  errors: FieldErrors;
}) {
  const error = errors[name];
  return (
    <fieldset class={error ? 'field field-error' : 'field'} aria-describedby={error ? `${name}-error` : undefined}>
      <legend>{legend}</legend>
      {error ? (
        <p class="error" id={`${name}-error`}>
          {errorMessage(ctx, error)}
        </p>
      ) : null}
      {choices.map((choice) => (
        <div class="choice" key={choice}>
          <input
            type="radio"
            id={`${name}-${choice}`}
            name={name}
            value={choice}
            checked={chosen === choice}
            aria-describedby={hint ? `${name}-${choice}-hint` : undefined}
          />
          <label for={`${name}-${choice}`}>{label(choice)}</label>
          {hint ? (
            <p class="hint" id={`${name}-${choice}-hint`}>
              {hint(choice)}
            </p>
          ) : null}
        </div>
      ))}
    </fieldset>
  );
}

/** Scheduling a meeting, or changing one: every field comes back with the person's text after an error. */
export function MeetingFormPage({
  ctx,
  access,
  meetingId,
  values,
  errors = {},
}: {
  ctx: PageContext;
  access: GroupAccess;
  meetingId?: number | undefined;
  values: Record<string, string>;
  errors?: FieldErrors;
}) {
  const { t } = ctx;
  const base = meetingsUrl(access.group.slug);
  const fresh = meetingId === undefined && values.title === undefined;
  const title = meetingId === undefined ? t('meetings.form.newTitle') : t('meetings.form.editTitle');
  const action = meetingId === undefined ? `${base}/new` : `${base}/${meetingId}/edit`;
  const duration = values.duration ?? '60';
  const durationError = errors.duration;
  // A new form starts with a waitlist; a sent one keeps what was chosen (an unticked box sends nothing).
  const waitlist = values.waitlist !== undefined || fresh;
  const withDefaults = { timeZone: ctx.timeZone, ...values };
  return (
    <Layout ctx={ctx} title={title}>
      <p>
        <a href={base}>{t('meetings.back', { group: access.group.name })}</a>
      </p>
      <h1>{title}</h1>
      <p class="lede">{t('meetings.form.intro')}</p>
      {meetingId !== undefined ? <p>{t('meetings.form.editIntro')}</p> : null}
      <FormErrors ctx={ctx} errors={errors} />
      <form method="post" action={action} novalidate>
        <CsrfField ctx={ctx} />
        <Field
          ctx={ctx}
          name="title"
          label={t('meetings.form.title')}
          hint={t('meetings.form.titleHint')}
          errors={errors}
          value={values.title}
          maxLength={120}
        />
        <Field
          ctx={ctx}
          name="description"
          label={t('meetings.form.description')}
          hint={t('meetings.form.descriptionHint')}
          errors={errors}
          value={values.description}
          maxLength={10_000}
          multiline
          rows={6}
        />
        <Choices
          ctx={ctx}
          name="kind"
          legend={t('meetings.form.kind')}
          choices={meetingKindEnum.enumValues}
          chosen={values.kind ?? 'online'}
          label={(k) => t(`meetings.kind.${k}`)}
          hint={(k) => t(`meetings.form.kindHint.${k}`)}
          errors={errors}
        />
        <WallClockFields
          ctx={ctx}
          id="when"
          legend={t('meetings.form.when')}
          hint={t('meetings.form.whenHint', { zone: ctx.timeZone })}
          date={{ name: 'date', label: t('meetings.form.date') }}
          time={{ name: 'time', label: t('meetings.form.time') }}
          zone={{ name: 'timeZone', label: t('meetings.form.timeZone') }}
          values={withDefaults}
          errors={errors}
        />
        <div class={durationError ? 'field field-error' : 'field'}>
          <label for="field-duration">{t('meetings.form.duration')}</label>
          {durationError ? (
            <p class="error" id="field-duration-error">
              {errorMessage(ctx, durationError)}
            </p>
          ) : null}
          <select
            id="field-duration"
            name="duration"
            aria-invalid={durationError ? 'true' : undefined}
            aria-describedby={durationError ? 'field-duration-error' : undefined}
          >
            {(durations.includes(Number(duration)) ? durations : [...durations, duration]).map((d) => (
              <option key={d} value={String(d)} selected={String(d) === duration}>
                {Number.isFinite(Number(d)) ? t('meetings.form.minutes', { count: Number(d) }) : String(d)}
              </option>
            ))}
          </select>
        </div>
        <Choices
          ctx={ctx}
          name="repeat"
          legend={t('meetings.form.repeat')}
          choices={repeatChoices}
          chosen={values.repeat ?? 'once'}
          label={(c) => t(`meetings.form.repeatChoice.${c}`)}
          errors={errors}
        />
        <Field
          ctx={ctx}
          name="rrule"
          label={t('meetings.form.rrule')}
          hint={t('meetings.form.rruleHint')}
          errors={errors}
          value={values.rrule}
          maxLength={500}
        />
        <fieldset class="field">
          <legend>{t('meetings.form.inPerson')}</legend>
          <Field
            ctx={ctx}
            name="address"
            label={t('meetings.form.address')}
            errors={errors}
            value={values.address}
            maxLength={300}
          />
          <Field
            ctx={ctx}
            name="directions"
            label={t('meetings.form.directions')}
            hint={t('meetings.form.directionsHint')}
            errors={errors}
            value={values.directions}
            maxLength={2000}
            multiline
            rows={3}
          />
          <Field
            ctx={ctx}
            name="accessibilityNotes"
            label={t('meetings.form.accessibilityNotes')}
            hint={t('meetings.form.accessibilityNotesHint')}
            errors={errors}
            value={values.accessibilityNotes}
            maxLength={2000}
            multiline
            rows={3}
          />
        </fieldset>
        <fieldset class="field">
          <legend>{t('meetings.form.phone')}</legend>
          <p class="hint">{t('meetings.form.phoneHint')}</p>
          <Field
            ctx={ctx}
            name="dialIn"
            label={t('meetings.form.dialIn')}
            errors={errors}
            value={values.dialIn}
            maxLength={100}
          />
          <Field
            ctx={ctx}
            name="dialInPin"
            label={t('meetings.form.dialInPin')}
            errors={errors}
            value={values.dialInPin}
            maxLength={40}
          />
        </fieldset>
        <Field
          ctx={ctx}
          name="capacity"
          label={t('meetings.form.capacity')}
          hint={t('meetings.form.capacityHint')}
          errors={errors}
          value={fresh ? '12' : values.capacity}
          maxLength={4}
        />
        <div class="choice">
          <input
            type="checkbox"
            id="field-waitlist"
            name="waitlist"
            checked={waitlist}
            aria-describedby="waitlist-hint"
          />
          <label for="field-waitlist">{t('meetings.form.waitlist')}</label>
          <p class="hint" id="waitlist-hint">
            {t('meetings.form.waitlistHint')}
          </p>
        </div>
        <button type="submit" class="button">
          {meetingId === undefined ? t('meetings.form.schedule') : t('meetings.form.save')}
        </button>
      </form>
    </Layout>
  );
}

/** Moving one date of a meeting to another time; the others stay as they are. */
export function MoveFormPage({
  ctx,
  found,
  values,
  errors = {},
}: {
  ctx: PageContext;
  found: OccurrenceAccess;
  values: Record<string, string>;
  errors?: FieldErrors;
}) {
  const { t } = ctx;
  const { meeting, occurrence } = found;
  const title = t('meetings.move.title', { title: meeting.title });
  const current = wallClockFields(occurrence.startsAt, meeting.timeZone);
  const shown = { date: current.date, time: current.time, timeZone: meeting.timeZone, ...values };
  return (
    <Layout ctx={ctx} title={title}>
      <p>
        <a href={occurrenceUrl(occurrence.id)}>{t('meetings.move.back')}</a>
      </p>
      <h1>{title}</h1>
      <p class="lede">{t('meetings.move.intro', { when: formatStart(ctx, occurrence.startsAt, ctx.timeZone) })}</p>
      <FormErrors ctx={ctx} errors={errors} />
      <form method="post" action={`${occurrenceUrl(occurrence.id)}/move`} novalidate>
        <CsrfField ctx={ctx} />
        <WallClockFields
          ctx={ctx}
          id="when"
          legend={t('meetings.move.when')}
          hint={t('meetings.move.whenHint', { zone: meeting.timeZone })}
          date={{ name: 'date', label: t('meetings.form.date') }}
          time={{ name: 'time', label: t('meetings.form.time') }}
          zone={{ name: 'timeZone', label: t('meetings.form.timeZone') }}
          values={shown}
          errors={errors}
        />
        <button type="submit" class="button">
          {t('meetings.move.submit')}
        </button>
      </form>
    </Layout>
  );
}
