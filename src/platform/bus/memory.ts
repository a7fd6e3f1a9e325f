import type { Bus, ReportBusError } from './index.js';
import { Listeners } from './listeners.js';

/**
 * The bus of a single process: events go through JSON as they would through Redis, and arrive
 * on a later turn of the event loop, so code cannot come to rely on anything Redis would not give.
 */
export function createMemoryBus(report: ReportBusError): Bus {
  const listeners = new Listeners(report);
  return {
    async publish(channel, payload) {
      const raw = JSON.stringify(payload);
      setImmediate(() => listeners.deliver(channel, raw));
    },
    async subscribe(channel, schema, listener) {
      const entry = { schema, listener };
      listeners.add(channel, entry);
      return async () => {
        listeners.remove(channel, entry);
      };
    },
    async close() {
      listeners.clear();
    },
  };
}
