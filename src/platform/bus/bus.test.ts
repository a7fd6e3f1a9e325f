import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createMemoryBus, createRedisBus, type Bus } from './index.js';

const reply = z.object({ type: z.literal('thread.reply'), threadId: z.number(), replies: z.number() });
type Reply = z.infer<typeof reply>;

/** Resolves with the next event a listener receives, for a test to await (never a sleep). */
function inbox<T>() {
  const got: T[] = [];
  let wake: (() => void) | undefined;
  return {
    got,
    listener: (event: T) => {
      got.push(event);
      wake?.();
    },
    async until(count: number) {
      while (got.length < count) await new Promise<void>((resolve) => (wake = resolve));
    },
  };
}

interface Setup {
  /** Two buses that stand for two processes of one site. */
  pair(): Promise<[Bus, Bus]>;
  errors: Error[];
}

function busBehaviour(name: string, setup: () => Setup) {
  describe(name, () => {
    it('delivers a published event, as checked JSON, to every listener of its channel and no other', async () => {
      const { pair } = setup();
      const [a, b] = await pair();
      const first = inbox<Reply>();
      const second = inbox<Reply>();
      const elsewhere = inbox<Reply>();
      await b.subscribe('thread:1', reply, first.listener);
      await b.subscribe('thread:1', reply, second.listener);
      await b.subscribe('thread:2', reply, elsewhere.listener);
      await a.publish('thread:1', { type: 'thread.reply', threadId: 1, replies: 3, author: 'Ash' });
      await a.publish('thread:2', { type: 'thread.reply', threadId: 2, replies: 1 });
      await Promise.all([first.until(1), second.until(1), elsewhere.until(1)]);
      // Fields the schema does not name are dropped on arrival.
      expect(first.got).toEqual([{ type: 'thread.reply', threadId: 1, replies: 3 }]);
      expect(second.got).toEqual(first.got);
      expect(elsewhere.got).toEqual([{ type: 'thread.reply', threadId: 2, replies: 1 }]);
    });

    it('stops delivering after unsubscribing, and reports an event that does not match its schema', async () => {
      const { pair, errors } = setup();
      const [a, b] = await pair();
      const gone = inbox<Reply>();
      const marker = inbox<Reply>();
      const unsubscribe = await b.subscribe('thread:3', reply, gone.listener);
      await b.subscribe('thread:4', reply, marker.listener);
      await unsubscribe();
      await a.publish('thread:3', { type: 'thread.reply', threadId: 3, replies: 1 });
      await a.publish('thread:4', { type: 'thread.reply', threadId: 4, replies: 'many' });
      await a.publish('thread:4', { type: 'thread.reply', threadId: 4, replies: 2 });
      // Events on one connection arrive in order: once the last one is here, the others have come and gone.
      await marker.until(1);
      expect(gone.got).toEqual([]);
      expect(marker.got).toEqual([{ type: 'thread.reply', threadId: 4, replies: 2 }]);
      expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('did not match its schema')]);
      errors.length = 0;
    });

    it('checks an event once for all the listeners of a channel, and gives each the same frozen result', async () => {
      const { pair } = setup();
      const [a, b] = await pair();
      let checks = 0;
      const counted = reply.transform((event) => {
        checks += 1;
        return event;
      });
      const listeners = [inbox<Reply>(), inbox<Reply>(), inbox<Reply>()];
      const unsubscribes = [];
      for (const listener of listeners) unsubscribes.push(await b.subscribe('thread:5', counted, listener.listener));
      await a.publish('thread:5', { type: 'thread.reply', threadId: 5, replies: 1 });
      await Promise.all(listeners.map((l) => l.until(1)));
      expect(checks).toBe(1);
      const [first, second, third] = listeners.map((l) => l.got[0]);
      expect(first).toEqual({ type: 'thread.reply', threadId: 5, replies: 1 });
      expect(second).toBe(first);
      expect(third).toBe(first);
      expect(Object.isFrozen(first)).toBe(true);

      // One of the three lets go: the other two still hear, each once, still checked once.
      await unsubscribes[1]!();
      await a.publish('thread:5', { type: 'thread.reply', threadId: 5, replies: 2 });
      await Promise.all([listeners[0]!.until(2), listeners[2]!.until(2)]);
      expect(checks).toBe(2);
      expect(listeners.map((l) => l.got.map((e) => e.replies))).toEqual([[1, 2], [1], [1, 2]]);

      // The last two go too, and a listener that comes later hears only what comes after it.
      await unsubscribes[0]!();
      await unsubscribes[2]!();
      const later = inbox<Reply>();
      await b.subscribe('thread:5', counted, later.listener);
      await a.publish('thread:5', { type: 'thread.reply', threadId: 5, replies: 3 });
      await later.until(1);
      expect(later.got).toEqual([{ type: 'thread.reply', threadId: 5, replies: 3 }]);
      expect(listeners.map((l) => l.got.length)).toEqual([2, 1, 2]);
    });

    it('checks an event with each schema its channel is listened to with', async () => {
      const { pair } = setup();
      const [a, b] = await pair();
      const count = z.object({ replies: z.number() });
      const whole = inbox<Reply>();
      const counts = inbox<{ replies: number }>();
      await b.subscribe('thread:6', reply, whole.listener);
      await b.subscribe('thread:6', count, counts.listener);
      await a.publish('thread:6', { type: 'thread.reply', threadId: 6, replies: 4 });
      await Promise.all([whole.until(1), counts.until(1)]);
      expect(whole.got).toEqual([{ type: 'thread.reply', threadId: 6, replies: 4 }]);
      expect(counts.got).toEqual([{ replies: 4 }]);
    });

    it('keeps delivering to the others when a listener throws, and reports it', async () => {
      const { pair, errors } = setup();
      const [a, b] = await pair();
      const after = inbox<Reply>();
      await b.subscribe('thread:7', reply, () => {
        throw new Error('a listener failed');
      });
      await b.subscribe('thread:7', reply, after.listener);
      await a.publish('thread:7', { type: 'thread.reply', threadId: 7, replies: 1 });
      await after.until(1);
      expect(errors.map((e) => e.message)).toEqual(['a listener failed']);
      errors.length = 0;
    });
  });
}

busBehaviour('memory bus (one process)', () => {
  const errors: Error[] = [];
  return {
    errors,
    async pair() {
      const bus = createMemoryBus((error) => errors.push(error));
      return [bus, bus];
    },
  };
});

const redisUrl = process.env.TEST_REDIS_URL;
if (!redisUrl) console.warn('\n!!! TEST_REDIS_URL is not set: the Redis bus tests are NOT running.\n');

describe.runIf(redisUrl)('Redis bus', () => {
  const opened: { bus: Bus; redis: Redis }[] = [];
  const prefix = `mutual-test:${randomBytes(6).toString('hex')}:`;
  const open = (p = prefix, errors: Error[] = []) => {
    const redis = new Redis(redisUrl!, { maxRetriesPerRequest: 1 });
    const bus = createRedisBus(redis, p, (error) => errors.push(error));
    opened.push({ bus, redis });
    return bus;
  };
  afterAll(async () => {
    for (const { bus, redis } of opened) {
      await bus.close();
      await redis.quit();
    }
  });

  busBehaviour('between two processes', () => {
    const errors: Error[] = [];
    return { errors, pair: async () => [open(prefix, errors), open(prefix, errors)] };
  });

  it('subscribes to a channel in Redis once per process, however many listen to it there', async () => {
    const probe = new Redis(redisUrl!, { maxRetriesPerRequest: 1 });
    const subscribers = async () => {
      const [, count] = (await probe.pubsub('NUMSUB', `${prefix}bus:thread:8`)) as [string, number];
      return Number(count);
    };
    const [a, b] = [open(), open()];
    const unsubscribes = [];
    for (let i = 0; i < 3; i += 1) unsubscribes.push(await b.subscribe('thread:8', reply, () => undefined));
    unsubscribes.push(await a.subscribe('thread:8', reply, () => undefined));
    expect(await subscribers()).toBe(2);
    await unsubscribes[0]!();
    await unsubscribes[1]!();
    expect(await subscribers()).toBe(2);
    await unsubscribes[2]!();
    expect(await subscribers()).toBe(1);
    await probe.quit();
  });

  it('keeps sites with different prefixes apart on one Redis server', async () => {
    const ours = open();
    const theirs = open(`mutual-test:${randomBytes(6).toString('hex')}:`);
    const mine = inbox<Reply>();
    const other = inbox<Reply>();
    await ours.subscribe('thread:9', reply, mine.listener);
    await theirs.subscribe('thread:9', reply, other.listener);
    await theirs.publish('thread:9', { type: 'thread.reply', threadId: 9, replies: 1 });
    await ours.publish('thread:9', { type: 'thread.reply', threadId: 9, replies: 2 });
    await Promise.all([mine.until(1), other.until(1)]);
    expect(mine.got).toEqual([{ type: 'thread.reply', threadId: 9, replies: 2 }]);
    expect(other.got).toEqual([{ type: 'thread.reply', threadId: 9, replies: 1 }]);
  });
});
