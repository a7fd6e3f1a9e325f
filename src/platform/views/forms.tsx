import type { ComponentChildren } from 'preact';
import type { PageContext } from '../http/page.js';
import { timeZoneNames } from '../text/zoned-time.js';
import type { MessageKey } from './i18n.js';

/**
 * Field errors as i18n keys, keyed by field name; '' holds an error for the whole form. A key may
 * carry the message's values as a query string ("watchedWords.blocked?word=…"), made with `withValues`.
 */
export type FieldErrors = Record<string, string>;

/** An error key with the values its message names, for `Invalid`. */
export function withValues(key: MessageKey, values: Record<string, string | number>): string {
  return `${key}?${new URLSearchParams(Object.entries(values).map(([k, v]) => [k, String(v)])).toString()}`;
}

/** The readable message for a field error (a key, perhaps with values). */
export function errorMessage(ctx: PageContext, error: string): string {
  const at = error.indexOf('?');
  if (at < 0) return ctx.t(error as MessageKey);
  const values = Object.fromEntries(new URLSearchParams(error.slice(at + 1)));
  return ctx.t(error.slice(0, at) as MessageKey, values);
}

export function CsrfField({ ctx }: { ctx: PageContext }) {
  return <input type="hidden" name="_csrf" value={ctx.csrfToken} />;
}

export function FormErrors({ ctx, errors }: { ctx: PageContext; errors: FieldErrors }) {
  const count = Object.keys(errors).length;
  if (count === 0) return null;
  return (
    <div class="form-errors" role="alert" id="form-errors" tabIndex={-1}>
      <p>{ctx.t('forms.problems', { count })}</p>
      {errors[''] ? <p>{errorMessage(ctx, errors[''])}</p> : null}
    </div>
  );
}

interface FieldProps {
  ctx: PageContext;
  name: string;
  label: string;
  hint?: string | undefined;
  errors: FieldErrors;
  value?: string | undefined;
  type?: 'text' | 'email' | 'password' | 'search';
  autocomplete?: string;
  required?: boolean;
  maxLength?: number;
  minLength?: number;
  multiline?: boolean;
  rows?: number;
}

/** A labelled input whose hint and error are tied to it for screen readers. */
export function Field(p: FieldProps) {
  const id = `field-${p.name}`;
  const error = p.errors[p.name];
  const describedBy = [p.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const common = {
    id,
    name: p.name,
    required: p.required,
    maxLength: p.maxLength,
    minLength: p.minLength,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': describedBy || undefined,
  };
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>{p.label}</label>
      {p.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      ) : null}
      {error ? (
        <p class="error" id={`${id}-error`}>
          {errorMessage(p.ctx, error)}
        </p>
      ) : null}
      {p.multiline ? (
        <textarea {...common} rows={p.rows ?? 8}>
          {p.value ?? ''}
        </textarea>
      ) : (
        <input {...common} type={p.type ?? 'text'} value={p.value ?? ''} autocomplete={p.autocomplete} />
      )}
    </div>
  );
}

interface PostButtonProps {
  ctx: PageContext;
  action: string;
  label: ComponentChildren;
  className?: string;
  confirm?: boolean;
}

/** A button that posts to an action, so state changes never happen on a GET. */
export function PostButton({ ctx, action, label, className }: PostButtonProps) {
  return (
    <form method="post" action={action} class="inline-form">
      <CsrfField ctx={ctx} />
      <button type="submit" class={className ?? 'button button-secondary'}>
        {label}
      </button>
    </form>
  );
}

interface WallClockProps {
  ctx: PageContext;
  legend: string;
  /** Says whose clock the date and time are read on ("in your time zone, Europe/Paris"). */
  hint: string;
  /** The id the hint and the error are named from ("event" → event-hint, event-error). */
  id: string;
  date: { name: string; label: string };
  time: { name: string; label: string };
  /** A choice of IANA zone beside them, for times read on another clock than the writer's. */
  zone?: { name: string; label: string } | undefined;
  values: Record<string, string>;
  errors: FieldErrors;
}

/**
 * A date and a time on someone's own clock (a newsletter's sending time, a campaign's event, a
 * meeting's start), with one hint and one error for the pair; services read them with
 * wallClockToUtc in the writer's zone, or in the zone chosen here.
 */
export function WallClockFields({ ctx, legend, hint, id, date, time, zone, values, errors }: WallClockProps) {
  const error = errors[date.name] ?? errors[time.name] ?? (zone ? errors[zone.name] : undefined);
  const describedBy = error ? `${id}-hint ${id}-error` : `${id}-hint`;
  const invalid = error ? ('true' as const) : undefined;
  const chosen = zone ? (values[zone.name] ?? ctx.timeZone) : undefined;
  return (
    <fieldset class={error ? 'field field-error' : 'field'}>
      <legend>{legend}</legend>
      <p class="hint" id={`${id}-hint`}>
        {hint}
      </p>
      {error ? (
        <p class="error" id={`${id}-error`}>
          {errorMessage(ctx, error)}
        </p>
      ) : null}
      <label for={`field-${date.name}`}>{date.label}</label>
      <input
        id={`field-${date.name}`}
        type="date"
        name={date.name}
        value={values[date.name] ?? ''}
        aria-describedby={describedBy}
        aria-invalid={invalid}
      />
      <label for={`field-${time.name}`}>{time.label}</label>
      <input
        id={`field-${time.name}`}
        type="time"
        name={time.name}
        value={values[time.name] ?? ''}
        aria-describedby={describedBy}
        aria-invalid={invalid}
      />
      {zone ? (
        <>
          <label for={`field-${zone.name}`}>{zone.label}</label>
          <select id={`field-${zone.name}`} name={zone.name} aria-describedby={describedBy} aria-invalid={invalid}>
            {/* A zone this runtime does not know, sent back after an error, stays chosen so it can be seen. */}
            {chosen && !timeZoneNames.includes(chosen) ? (
              <option value={chosen} selected>
                {chosen}
              </option>
            ) : null}
            {timeZoneNames.map((name) => (
              <option key={name} value={name} selected={name === chosen}>
                {name}
              </option>
            ))}
          </select>
        </>
      ) : null}
    </fieldset>
  );
}
