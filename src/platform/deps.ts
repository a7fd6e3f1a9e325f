import type { Bus } from './bus/index.js';
import type { Db } from './db/client.js';
import type { LiveTopics } from './live/hub.js';
import type { Mailer } from './mail/mailer.js';
import type { JanusSettings } from './media/janus.js';
import type { TurnSettings } from './media/turn.js';
import type { FileStorage } from './storage/index.js';

/**
 * Where requests send what happened ("post.created") once their transaction commits, for the
 * jobs that tell people about it (src/features/notifications/pipeline.ts).
 */
export interface EventSink {
  send(event: { type: string } & Record<string, unknown>): Promise<void>;
}

/**
 * Sends what happened once the transaction committed. A queue that cannot take it costs people a
 * notification or a webhook, never the person their request: it is logged, not thrown.
 */
export async function sendAfterCommit(
  events: EventSink | undefined,
  event: { type: string } & Record<string, unknown>,
): Promise<void> {
  if (!events) return;
  try {
    await events.send(event);
  } catch (error) {
    console.error(`event lost (${event.type}):`, error);
  }
}

/**
 * One sink that sends each event to every sink given (the notification jobs, the webhooks' job),
 * each whatever the others do; it fails, after trying them all, when any of them failed.
 */
export function fanOut(...sinks: EventSink[]): EventSink {
  return {
    async send(event) {
      const results = await Promise.allSettled(sinks.map((sink) => sink.send(event)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}

/** Per-route request limits; tests lower them to prove they hold. */
export interface RateLimits {
  signUp: { max: number; timeWindow: number };
  logIn: { max: number; timeWindow: number };
  post: { max: number; timeWindow: number };
  passwordReset: { max: number; timeWindow: number };
  /** JSON API requests per token (or per address without one). */
  api: { max: number; timeWindow: number };
}

export const defaultRateLimits: RateLimits = {
  signUp: { max: 5, timeWindow: 60 * 60 * 1000 },
  logIn: { max: 10, timeWindow: 15 * 60 * 1000 },
  post: { max: 30, timeWindow: 60 * 1000 },
  passwordReset: { max: 5, timeWindow: 60 * 60 * 1000 },
  api: { max: 300, timeWindow: 60 * 1000 },
};

/**
 * What an account may post, by its trust level (index 0 new, 1 basic, 2 member, 3 regular; see
 * docs/safety.md). Group leaders are not held to them in their own groups. The test world relaxes
 * them, as it does the rate limits, and tests of the limits set them back.
 */
export interface PostingLimits {
  /** Posts (new discussions and replies) in the last hour, and the last 24 hours. */
  perHour: readonly number[];
  perDay: readonly number[];
  /** New discussions in the last 24 hours. */
  threadsPerDay: readonly number[];
  /** Links and images in one post. */
  links: readonly number[];
  /** The same words from the same person again within this many hours are refused; 0 is off. */
  duplicateHours: number;
}

const any = Number.POSITIVE_INFINITY;

export const defaultPostingLimits: PostingLimits = {
  perHour: [10, 30, 60, any],
  perDay: [30, 100, 300, any],
  threadsPerDay: [3, 10, 30, any],
  links: [0, 3, 10, any],
  duplicateHours: 6,
};

/** No limits at all: for the test world and the demo, whose members post a week's talk in seconds. */
export const unlimitedPosting: PostingLimits = {
  perHour: [any, any, any, any],
  perDay: [any, any, any, any],
  threadsPerDay: [any, any, any, any],
  links: [any, any, any, any],
  duplicateHours: 0,
};

/**
 * The posting limits with every count multiplied by a factor (config RATE_LIMIT_FACTOR), as the
 * rate limits are, for load tests that post far faster than any person.
 */
export function scaledPostingLimits(factor: number): PostingLimits {
  const scale = (counts: readonly number[]) => counts.map((n) => Math.ceil(n * factor));
  return {
    perHour: scale(defaultPostingLimits.perHour),
    perDay: scale(defaultPostingLimits.perDay),
    threadsPerDay: scale(defaultPostingLimits.threadsPerDay),
    links: defaultPostingLimits.links,
    duplicateHours: defaultPostingLimits.duplicateHours,
  };
}

/** What every feature's routes are given by app.ts. */
export interface Deps {
  db: Db;
  mailer: Mailer;
  baseUrl: string;
  secureCookies: boolean;
  limits: RateLimits;
  /** What accounts may post, by trust level. */
  postingLimits: PostingLimits;
  /** Events to every web process (in memory, or Redis pub/sub). */
  bus: Bus;
  /** What pages can follow live over /live; features add their topics. */
  live: LiveTopics;
  /** Card payments through Stripe; absent when STRIPE_SECRET_KEY is not set. */
  stripe?: StripeSettings | undefined;
  /**
   * How long this process may answer the same directory search from memory, in milliseconds (0:
   * never). Directory results hold only what anyone may see, so one answer serves every visitor.
   */
  searchCacheMs: number;
  /** Mail addresses and signed mail links: MAIL_DOMAIN and the key of the tokens in them. */
  mail: { domain: string; secret: Buffer };
  /** What happened, for the notification jobs; send only after the transaction commits. */
  events: EventSink;
  /** Web Push (src/features/push); absent, the site offers no push notifications. */
  push?: PushOptions | undefined;
  /** Where uploaded images' and files' bytes are kept (src/platform/storage). */
  files: FileStorage;
  /** The site's limits on uploads (config FILES_*); groups may only lower them. */
  uploads: UploadSettings;
  /** Webhooks (src/features/webhooks); absent, only public https addresses may be registered. */
  webhooks?: WebhookOptions | undefined;
  /** Voice and video circles (src/features/circles). */
  circles: CircleOptions;
}

/** Circles: how many a mesh holds (CIRCLE_MESH_LIMIT), and the TURN and Janus servers when configured. */
export interface CircleOptions {
  meshLimit: number;
  /** Absent: no relay, so nobody can hide their network address (joining hidden is refused). */
  turn?: TurnSettings | undefined;
  /** Absent: a circle is full at meshLimit people. */
  janus?: JanusSettings | undefined;
}

export const defaultCircles: CircleOptions = { meshLimit: 6 };

/** What the webhook pages need to know of the operator's settings. */
export interface WebhookOptions {
  /** WEBHOOKS_ALLOW_PRIVATE_ADDRESSES: http, and private or loopback hosts, may be registered and reached. */
  allowPrivateAddresses: boolean;
}

/** The site's limits on uploads (src/features/files, docs/files.md). */
export interface UploadSettings {
  /** The largest upload, in bytes. */
  maxBytes: number;
  /** Images are made at most this many pixels on their longest edge. */
  maxEdge: number;
  /** Images with more pixels are refused before they are decoded. */
  maxPixels: number;
}

export const defaultUploads: UploadSettings = { maxBytes: 10 * 1024 * 1024, maxEdge: 2048, maxPixels: 50_000_000 };

/** What the push routes need; the worker's side (keys, sending) is set up in main.ts. */
export interface PushOptions {
  /** The VAPID public key (base64url) browsers subscribe with. */
  publicKey: string;
  /** Subscriptions may point at private or loopback addresses, over http (tests, a push service on the operator's own network). */
  allowPrivateEndpoints: boolean;
  /** Queues a test notification to every device the person turned push on for. */
  sendTest(userId: number): Promise<void>;
}

export interface StripeSettings {
  secretKey: string;
  webhookSecret: string;
}

/** Every limit multiplied by a factor (config RATE_LIMIT_FACTOR), for load tests. */
export function scaledRateLimits(factor: number): RateLimits {
  const scale = (l: { max: number; timeWindow: number }) => ({ ...l, max: Math.ceil(l.max * factor) });
  return {
    signUp: scale(defaultRateLimits.signUp),
    logIn: scale(defaultRateLimits.logIn),
    post: scale(defaultRateLimits.post),
    passwordReset: scale(defaultRateLimits.passwordReset),
    api: scale(defaultRateLimits.api),
  };
}
