/**
 * Errors a service throws so that people can read them. One Fastify error handler maps them to
 * status codes and pages (src/platform/http/errors-plugin.ts). A 500 is always a bug.
 */
export class NotFound extends Error {
  constructor(what = 'not found') {
    super(what);
  }
}

/** A way forward the refusal page offers: a link, with the refused page's address as ?next=. */
export interface NextStep {
  href: string;
  /** An i18n key. */
  label: string;
}

export class Forbidden extends Error {
  constructor(
    /** An i18n key explaining, kindly, why the action is not allowed. */
    public readonly reason = 'errors.notAllowed',
    public readonly nextStep?: NextStep,
    /** Values for the message ("until {until}"); dates are written out in the reader's time zone. */
    public readonly vars?: Record<string, string | number | Date>,
  ) {
    super(reason);
  }
}

/** Field errors are i18n keys, keyed by field name ('' for the form as a whole). */
export class Invalid extends Error {
  constructor(public readonly fieldErrors: Record<string, string>) {
    super(`invalid: ${Object.keys(fieldErrors).join(', ')}`);
  }
}

export class RateLimited extends Error {
  constructor() {
    super('rate limited');
  }
}
