import type { z } from 'zod';
import type { ReportBusError } from './index.js';

interface Listener {
  schema: z.ZodType;
  listener: (payload: never) => void;
}

/** The listeners of each channel in this process, and the checked delivery of a raw event to them. */
export class Listeners {
  private readonly byChannel = new Map<string, Set<Listener>>();

  constructor(private readonly report: ReportBusError) {}

  /** Adds a listener; returns true when it is the channel's first. */
  add(channel: string, entry: Listener): boolean {
    let set = this.byChannel.get(channel);
    const first = !set;
    if (!set) {
      set = new Set();
      this.byChannel.set(channel, set);
    }
    set.add(entry);
    return first;
  }

  /** Removes a listener; returns true when the channel has none left. */
  remove(channel: string, entry: Listener): boolean {
    const set = this.byChannel.get(channel);
    if (!set?.delete(entry)) return false;
    if (set.size > 0) return false;
    this.byChannel.delete(channel);
    return true;
  }

  has(channel: string): boolean {
    return this.byChannel.has(channel);
  }

  deliver(channel: string, raw: string): void {
    const set = this.byChannel.get(channel);
    if (!set) return;
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch (error) {
      this.report(error as Error, channel);
      return;
    }
    for (const { schema, listener } of [...set]) {
      const parsed = schema.safeParse(data);
      if (!parsed.success) {
        this.report(new Error(`an event did not match its schema: ${parsed.error.message}`), channel);
        continue;
      }
      try {
        (listener as (payload: unknown) => void)(parsed.data);
      } catch (error) {
        this.report(error as Error, channel);
      }
    }
  }

  clear(): void {
    this.byChannel.clear();
  }
}
