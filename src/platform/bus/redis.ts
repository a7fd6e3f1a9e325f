import type { Redis } from 'ioredis';
import type { Bus, ReportBusError } from './index.js';
import { Listeners } from './listeners.js';

/**
 * Redis pub/sub: an event published by any process reaches the listeners of every process.
 * Each process subscribes in Redis only to the channels its own listeners follow, on one
 * connection of its own (a subscribed connection can do nothing else); it publishes on `redis`.
 */
export function createRedisBus(redis: Redis, prefix: string, report: ReportBusError): Bus {
  const listeners = new Listeners(report);
  const subscriber = redis.duplicate({ connectionName: 'mutual-bus' });
  subscriber.on('error', (error: Error) => report(error, 'redis subscriber'));
  const channelPrefix = `${prefix}bus:`;
  // A channel's SUBSCRIBE in flight, so that a second listener also waits until it holds.
  const subscribing = new Map<string, Promise<unknown>>();

  subscriber.on('message', (redisChannel: string, raw: string) => {
    if (redisChannel.startsWith(channelPrefix)) listeners.deliver(redisChannel.slice(channelPrefix.length), raw);
  });

  return {
    async publish(channel, payload) {
      try {
        await redis.publish(channelPrefix + channel, JSON.stringify(payload));
      } catch (error) {
        report(error as Error, channel);
      }
    },
    async subscribe(channel, schema, listener) {
      const entry = { schema, listener };
      if (listeners.add(channel, entry)) {
        const done = subscriber.subscribe(channelPrefix + channel);
        subscribing.set(channel, done);
        try {
          await done;
        } catch (error) {
          listeners.remove(channel, entry);
          throw error;
        } finally {
          if (subscribing.get(channel) === done) subscribing.delete(channel);
        }
      } else {
        await subscribing.get(channel);
      }
      return async () => {
        if (!listeners.remove(channel, entry)) return;
        try {
          await subscriber.unsubscribe(channelPrefix + channel);
        } catch (error) {
          report(error as Error, channel);
        }
      };
    },
    async close() {
      listeners.clear();
      subscriber.disconnect();
    },
  };
}
