import type { PeriodicWork } from '../../platform/jobs/periodic.js';
import type { Bus } from '../../platform/bus/index.js';
import type { Db } from '../../platform/db/client.js';
import type { EventSink, PostingLimits } from '../../platform/deps.js';
import type { Mailer, MailTransport } from '../../platform/mail/mailer.js';

/**
 * What list mail, digests, newsletters and the inbound server work with. main.ts builds one per
 * process (tests build theirs in test/helpers/app.ts).
 */
export interface MailContext {
  db: Db;
  /** The site's public address without a trailing slash (BASE_URL), for links in mail. */
  baseUrl: string;
  /** MAIL_DOMAIN: group addresses are slug@domain; reply, bounce and unsubscribe addresses too. */
  domain: string;
  /** Signs the tokens in reply, unsubscribe and bounce addresses (platform/mail/tokens.ts). */
  secret: Buffer;
  /** Hands a message to the mail server (or the outbox) now: used inside jobs, with deliverOnce. */
  transport: MailTransport;
  /** Queues one message (a confirmation, a bounce notice) as its own job. */
  mailer: Mailer;
  /** Posts made by email reach live readers as web posts do. */
  bus?: Bus | undefined;
  postingLimits?: PostingLimits | undefined;
  /** Posts made by email tell people (replies, mentions) as web posts do. */
  events?: EventSink | undefined;
}

/** Periodic work of the mailing lists: new posts to mail, digests and newsletters that are due. */
export type MailWork = PeriodicWork;
