import { Redis } from 'ioredis';

/** What a process says when Redis misbehaves; the caller decides where it goes (the app's log). */
export type ReportError = (error: Error, what: string) => void;

/**
 * One connection to Redis for commands (rate-limit counters, publishing). A command waits for at
 * most one reconnection before it fails, so a Redis outage slows nothing down for long.
 */
export function connectRedis(url: string, report: ReportError): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, connectionName: 'mutual' });
  redis.on('error', (error: Error) => report(error, 'redis connection'));
  return redis;
}

/** Fails start-up with a plain message when Redis cannot be reached, rather than running without it. */
export async function checkRedis(redis: Redis, url: string): Promise<void> {
  try {
    await redis.ping();
  } catch (error) {
    const where = new URL(url);
    throw new Error(`Cannot reach Redis at ${where.host} (REDIS_URL): ${(error as Error).message}`);
  }
}
