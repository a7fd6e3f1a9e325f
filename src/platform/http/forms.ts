import type { z } from 'zod';
import { Invalid } from '../errors.js';
import type { FieldErrors } from '../views/forms.js';

/**
 * zod messages in our schemas are i18n keys ('accounts.errors.pseudonymLength'); anything else
 * (a wrong type from a hand-made request) becomes the generic "check this field" message.
 */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '');
    if (errors[field]) continue;
    errors[field] = /^[a-z][a-zA-Z]*\.[\w.]+$/.test(issue.message) ? issue.message : 'forms.invalid';
  }
  return errors;
}

/** Parses input with a schema, throwing Invalid with field errors a form can show. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) throw new Invalid(fieldErrorsOf(result.error));
  return result.data;
}

/** The submitted values as strings, to put back into a form that has errors (never passwords). */
export function formValues(body: unknown, omit: string[] = []): Record<string, string> {
  const values: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body)) {
      if (omit.includes(k) || k === '_csrf') continue;
      if (typeof v === 'string') values[k] = v;
      else if (Array.isArray(v)) values[k] = v.filter((x) => typeof x === 'string').join(', ');
    }
  }
  return values;
}
