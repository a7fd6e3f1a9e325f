import type { z } from 'zod';
import type { ReportBusError } from './index.js';

interface Listener {
  schema: z.ZodType;
  listener: (payload: never) => void;
}

/**
 * The listeners of one channel, grouped by the schema they check events with (almost always
 * one), each group kept as an array too, taken afresh only when a listener comes or goes.
 */
class Channel {
  readonly bySchema = new Map<z.ZodType, { entries: Set<Listener>; snapshot: Listener[] | null }>();
  size = 0;
}

/**
 * The listeners of each channel in this process, and the checked delivery of a raw event to them.
 * However many listeners a channel has here, an event is parsed once and checked once per schema,
 * and every listener of that schema is given the same result, frozen so that none can change what
 * the others see.
 */
export class Listeners {
  private readonly byChannel = new Map<string, Channel>();

  constructor(private readonly report: ReportBusError) {}

  /** Adds a listener; returns true when it is the channel's first. */
  add(channel: string, entry: Listener): boolean {
    let found = this.byChannel.get(channel);
    const first = !found;
    if (!found) {
      found = new Channel();
      this.byChannel.set(channel, found);
    }
    let group = found.bySchema.get(entry.schema);
    if (!group) {
      group = { entries: new Set(), snapshot: null };
      found.bySchema.set(entry.schema, group);
    }
    if (!group.entries.has(entry)) {
      group.entries.add(entry);
      group.snapshot = null;
      found.size += 1;
    }
    return first;
  }

  /** Removes a listener; returns true when the channel has none left. */
  remove(channel: string, entry: Listener): boolean {
    const found = this.byChannel.get(channel);
    const group = found?.bySchema.get(entry.schema);
    if (!found || !group?.entries.delete(entry)) return false;
    group.snapshot = null;
    if (group.entries.size === 0) found.bySchema.delete(entry.schema);
    found.size -= 1;
    if (found.size > 0) return false;
    this.byChannel.delete(channel);
    return true;
  }

  has(channel: string): boolean {
    return this.byChannel.has(channel);
  }

  /** How many listeners a channel has in this process. */
  count(channel: string): number {
    return this.byChannel.get(channel)?.size ?? 0;
  }

  deliver(channel: string, raw: string): void {
    const found = this.byChannel.get(channel);
    if (!found) return;
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch (error) {
      this.report(error as Error, channel);
      return;
    }
    // The listeners as they were when the event came: one added by a listener waits for the next.
    const groups = [...found.bySchema];
    for (const [schema, group] of groups) {
      const parsed = schema.safeParse(data);
      if (!parsed.success) {
        this.report(new Error(`an event did not match its schema: ${parsed.error.message}`), channel);
        continue;
      }
      const payload = deepFreeze(parsed.data);
      group.snapshot ??= [...group.entries];
      for (const entry of group.snapshot) {
        // One removed by an earlier listener of this same event hears no more.
        if (!group.entries.has(entry)) continue;
        try {
          (entry.listener as (payload: unknown) => void)(payload);
        } catch (error) {
          this.report(error as Error, channel);
        }
      }
    }
  }

  clear(): void {
    this.byChannel.clear();
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const inner of Object.values(value)) deepFreeze(inner);
  return value;
}
