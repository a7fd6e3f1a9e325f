import type { z } from 'zod';

export type Unsubscribe = () => Promise<void>;

/**
 * Events between the processes of one site, by channel ("thread:42"). Payloads travel as JSON and
 * are checked with the subscriber's zod schema when they arrive, so a listener only ever sees what
 * it expects. Delivery is best effort: an event lost while Redis restarts costs a live notice,
 * never data, so publishing never throws.
 */
export interface Bus {
  publish(channel: string, payload: unknown): Promise<void>;
  /** Resolves once events published from now on, by any process, will reach the listener. */
  subscribe<T>(channel: string, schema: z.ZodType<T>, listener: (payload: T) => void): Promise<Unsubscribe>;
  close(): Promise<void>;
}

export type ReportBusError = (error: Error, channel: string) => void;

export { createMemoryBus } from './memory.js';
export { createRedisBus } from './redis.js';
