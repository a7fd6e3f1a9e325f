import type { ComponentChildren } from 'preact';
import type { PageContext } from '../../platform/http/page.js';
import {
  CsrfField,
  errorMessage,
  Field,
  FormErrors,
  WallClockFields,
  type FieldErrors,
} from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { formatDateTime } from '../../platform/views/time.js';
import type { GroupAccess } from '../groups/index.js';
import { FIRST_TIME_ROWS, MAX_OPTIONS, MAX_TIMES } from './input.js';
import type { PollAccess } from './policy.js';
import type { OptionView } from './reading.js';

/** Radio buttons with one legend and one error, as the meetings form has them. */
function Choice<T extends string>({
  ctx,
  name,
  legend,
  choices,
  chosen,
  label,
  errors,
}: {
  ctx: PageContext;
  name: string;
  legend: string;
  choices: readonly T[];
  chosen: string;
  label: (c: T) => string;
  errors: FieldErrors;
}) {
  const error = errors[name];
  return (
    <fieldset
      class={error ? 'field field-error' : 'field'}
      aria-describedby={error ? `field-${name}-error` : undefined}
    >
      <legend>{legend}</legend>
      {error ? (
        <p class="error" id={`field-${name}-error`}>
          {errorMessage(ctx, error)}
        </p>
      ) : null}
      {choices.map((c) => (
        <div key={c} class="choice">
          <input type="radio" id={`field-${name}-${c}`} name={name} value={c} checked={chosen === c} />{' '}
          <label for={`field-${name}-${c}`}>{label(c)}</label>
        </div>
      ))}
    </fieldset>
  );
}

/** The optional closing time, on the writer's clock. */
function ClosingFields({
  ctx,
  values,
  errors,
}: {
  ctx: PageContext;
  values: Record<string, string>;
  errors: FieldErrors;
}) {
  const { t } = ctx;
  return (
    <WallClockFields
      ctx={ctx}
      id="closes"
      legend={t('polls.form.closes')}
      hint={t('polls.form.closesHint', { zone: ctx.timeZone })}
      date={{ name: 'closeDate', label: t('polls.form.date') }}
      time={{ name: 'closeTime', label: t('polls.form.time') }}
      values={values}
      errors={errors}
    />
  );
}

function VotesChoice({
  ctx,
  values,
  errors,
}: {
  ctx: PageContext;
  values: Record<string, string>;
  errors: FieldErrors;
}) {
  const { t } = ctx;
  return (
    <Choice
      ctx={ctx}
      name="votes"
      legend={t('polls.form.votes')}
      choices={['named', 'anonymous'] as const}
      chosen={values.votes ?? 'named'}
      label={(c) => t(`polls.form.votesChoice.${c}`)}
      errors={errors}
    />
  );
}

function FormPage({
  ctx,
  access,
  title,
  intro,
  errors,
  children,
}: {
  ctx: PageContext;
  access: GroupAccess;
  title: string;
  intro: string;
  errors: FieldErrors;
  children: ComponentChildren;
}) {
  const { group } = access;
  return (
    <Layout ctx={ctx} title={`${title} · ${group.name}`}>
      <p class="breadcrumb">
        <a href={`/g/${group.slug}`}>{group.name}</a>
      </p>
      <section class="panel">
        <h1>{title}</h1>
        <p class="lede">{intro}</p>
        <FormErrors ctx={ctx} errors={errors} />
        {children}
      </section>
    </Layout>
  );
}

/** "Start a poll": a new thread whose opening is a question with 2 to 20 answers. */
export function NewPollPage({
  ctx,
  access,
  values = {},
  errors = {},
}: {
  ctx: PageContext;
  access: GroupAccess;
  values?: Record<string, string>;
  errors?: FieldErrors;
}) {
  const { t } = ctx;
  return (
    <FormPage ctx={ctx} access={access} title={t('polls.start.title')} intro={t('polls.start.intro')} errors={errors}>
      <form method="post" action={`/g/${access.group.slug}/polls/new`} novalidate>
        <CsrfField ctx={ctx} />
        <Field
          ctx={ctx}
          name="question"
          label={t('polls.form.question')}
          hint={t('polls.form.questionHint')}
          errors={errors}
          value={values.question}
          maxLength={200}
        />
        <Field
          ctx={ctx}
          name="options"
          label={t('polls.form.options')}
          hint={t('polls.form.optionsHint', { max: MAX_OPTIONS })}
          errors={errors}
          value={values.options}
          multiline
          rows={6}
        />
        <fieldset class="field">
          <legend>{t('polls.form.answers')}</legend>
          <div class="choice">
            <input type="checkbox" id="field-multiple" name="multiple" checked={values.multiple !== undefined} />{' '}
            <label for="field-multiple">{t('polls.form.multiple')}</label>
          </div>
        </fieldset>
        <VotesChoice ctx={ctx} values={values} errors={errors} />
        <Choice
          ctx={ctx}
          name="results"
          legend={t('polls.form.results')}
          choices={['after_vote', 'after_close'] as const}
          chosen={values.results ?? 'after_vote'}
          label={(c) => t(`polls.form.resultsChoice.${c}`)}
          errors={errors}
        />
        <ClosingFields ctx={ctx} values={values} errors={errors} />
        <Field
          ctx={ctx}
          name="body"
          label={t('polls.form.body')}
          hint={t('polls.form.bodyHint')}
          errors={errors}
          value={values.body}
          multiline
          rows={4}
        />
        <button type="submit" class="button">
          {t('polls.start.submit')}
        </button>
      </form>
    </FormPage>
  );
}

const durations = [30, 45, 60, 75, 90, 120, 150, 180];

/**
 * "Find a time": a meeting's title and length, and 2 to 10 times on the writer's clock. Without
 * JavaScript, "Add another time" sends the form back with one more row.
 */
export function TimePollPage({
  ctx,
  access,
  rows = FIRST_TIME_ROWS,
  values = {},
  errors = {},
}: {
  ctx: PageContext;
  access: GroupAccess;
  rows?: number;
  values?: Record<string, string>;
  errors?: FieldErrors;
}) {
  const { t } = ctx;
  const duration = values.duration ?? '60';
  return (
    <FormPage ctx={ctx} access={access} title={t('polls.time.title')} intro={t('polls.time.intro')} errors={errors}>
      <form method="post" action={`/g/${access.group.slug}/polls/find-a-time`} novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="rows" value={String(rows)} />
        <Field
          ctx={ctx}
          name="title"
          label={t('polls.time.meetingTitle')}
          hint={t('polls.time.meetingTitleHint')}
          errors={errors}
          value={values.title}
          maxLength={120}
        />
        <div class={errors.duration ? 'field field-error' : 'field'}>
          <label for="field-duration">{t('polls.time.duration')}</label>
          {errors.duration ? (
            <p class="error" id="field-duration-error">
              {errorMessage(ctx, errors.duration)}
            </p>
          ) : null}
          <select
            id="field-duration"
            name="duration"
            aria-invalid={errors.duration ? 'true' : undefined}
            aria-describedby={errors.duration ? 'field-duration-error' : undefined}
          >
            {durations.map((d) => (
              <option key={d} value={String(d)} selected={String(d) === duration}>
                {t('polls.block.length', { count: d })}
              </option>
            ))}
          </select>
        </div>
        {Array.from({ length: rows }, (_, i) => (
          <WallClockFields
            key={i}
            ctx={ctx}
            id={`when-${i}`}
            legend={t('polls.time.option', { n: i + 1 })}
            hint={t('polls.time.optionHint', { zone: ctx.timeZone })}
            date={{ name: `date_${i}`, label: t('polls.form.date') }}
            time={{ name: `time_${i}`, label: t('polls.form.time') }}
            values={values}
            errors={errors}
          />
        ))}
        {rows < MAX_TIMES ? (
          <p>
            <button type="submit" name="more" value="1" class="button button-secondary" formnovalidate>
              {t('polls.time.more')}
            </button>
          </p>
        ) : null}
        <VotesChoice ctx={ctx} values={values} errors={errors} />
        <ClosingFields ctx={ctx} values={values} errors={errors} />
        <Field
          ctx={ctx}
          name="body"
          label={t('polls.form.body')}
          hint={t('polls.form.bodyHint')}
          errors={errors}
          value={values.body}
          multiline
          rows={4}
        />
        <button type="submit" class="button">
          {t('polls.time.submit')}
        </button>
      </form>
    </FormPage>
  );
}

const meetingKinds = ['online', 'in_person', 'phone'] as const;

/**
 * "Schedule this time": the time (the most chosen first picked), the meeting's title and kind, and
 * its place for an in-person or phone meeting. One form, one step: it makes the meeting.
 */
export function SchedulePage({
  ctx,
  found,
  options,
  values = {},
  errors = {},
}: {
  ctx: PageContext;
  found: PollAccess;
  options: OptionView[];
  values?: Record<string, string>;
  errors?: FieldErrors;
}) {
  const { t } = ctx;
  const { access, poll, thread } = found;
  const most = [...options].sort((a, b) => b.votes - a.votes)[0];
  const chosen = values.option ?? (most ? String(most.id) : '');
  const optionError = errors.option;
  return (
    <FormPage
      ctx={ctx}
      access={access}
      title={t('polls.schedule.title')}
      intro={t('polls.schedule.intro', { title: thread.title })}
      errors={errors}
    >
      <p>
        <a href={`/g/${access.group.slug}/t/${thread.id}#poll-${poll.id}`}>{t('polls.schedule.back')}</a>
      </p>
      <form method="post" action={`/polls/${poll.id}/schedule`} novalidate>
        <CsrfField ctx={ctx} />
        <fieldset
          class={optionError ? 'field field-error' : 'field'}
          aria-describedby={optionError ? 'field-option-error' : undefined}
        >
          <legend>{t('polls.schedule.which')}</legend>
          {optionError ? (
            <p class="error" id="field-option-error">
              {errorMessage(ctx, optionError)}
            </p>
          ) : null}
          {options.map((o) => (
            <div key={o.id} class="choice">
              <input
                type="radio"
                id={`field-option-${o.id}`}
                name="option"
                value={String(o.id)}
                checked={chosen === String(o.id)}
              />{' '}
              <label for={`field-option-${o.id}`}>
                {o.startsAt ? formatDateTime(ctx, o.startsAt) : o.label} ({t('polls.results.votes', { count: o.votes })}
                )
              </label>
            </div>
          ))}
        </fieldset>
        <Field
          ctx={ctx}
          name="title"
          label={t('meetings.form.title')}
          errors={errors}
          value={values.title ?? poll.question}
          maxLength={120}
        />
        <Field
          ctx={ctx}
          name="description"
          label={t('meetings.form.description')}
          hint={t('meetings.form.descriptionHint')}
          errors={errors}
          value={values.description}
          multiline
          rows={4}
        />
        <Choice
          ctx={ctx}
          name="kind"
          legend={t('meetings.form.kind')}
          choices={meetingKinds}
          chosen={values.kind ?? 'online'}
          label={(k) => t(`meetings.kind.${k}`)}
          errors={errors}
        />
        <Field
          ctx={ctx}
          name="address"
          label={t('meetings.form.address')}
          hint={t('polls.schedule.addressHint')}
          errors={errors}
          value={values.address}
          maxLength={300}
        />
        <Field
          ctx={ctx}
          name="dialIn"
          label={t('meetings.form.dialIn')}
          hint={t('polls.schedule.dialInHint')}
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
        <button type="submit" class="button">
          {t('polls.schedule.submit')}
        </button>
      </form>
    </FormPage>
  );
}
