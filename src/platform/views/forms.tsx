import type { ComponentChildren } from 'preact';
import type { PageContext } from '../http/page.js';
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
