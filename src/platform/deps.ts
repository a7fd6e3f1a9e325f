import type { Bus } from './bus/index.js';
import type { Db } from './db/client.js';
import type { LiveTopics } from './live/hub.js';
import type { Mailer } from './mail/mailer.js';

/** Per-route request limits; tests lower them to prove they hold. */
export interface RateLimits {
  signUp: { max: number; timeWindow: number };
  logIn: { max: number; timeWindow: number };
  post: { max: number; timeWindow: number };
  passwordReset: { max: number; timeWindow: number };
}

export const defaultRateLimits: RateLimits = {
  signUp: { max: 5, timeWindow: 60 * 60 * 1000 },
  logIn: { max: 10, timeWindow: 15 * 60 * 1000 },
  post: { max: 30, timeWindow: 60 * 1000 },
  passwordReset: { max: 5, timeWindow: 60 * 60 * 1000 },
};

/** What every feature's routes are given by app.ts. */
export interface Deps {
  db: Db;
  mailer: Mailer;
  baseUrl: string;
  secureCookies: boolean;
  limits: RateLimits;
  /** Events to every web process (in memory, or Redis pub/sub). */
  bus: Bus;
  /** What pages can follow live over /live; features add their topics. */
  live: LiveTopics;
  /** Card payments through Stripe; absent when STRIPE_SECRET_KEY is not set. */
  stripe?: StripeSettings | undefined;
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
  };
}
