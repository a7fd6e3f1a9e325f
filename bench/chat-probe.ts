/**
 * Loaded into the Mutual process that `npm run bench:chat` starts (node --expose-gc --import
 * ./bench/chat-probe.ts src/main.ts): answers the bench over the IPC channel it opened with the
 * process's memory after a full garbage collection, and with how late its event loop ran since
 * the last question (and, for --heap-snapshots, with a heap snapshot). Nothing else of Mutual changes. Without --expose-gc or IPC it does nothing.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';

const collect = (globalThis as { gc?: () => void }).gc;

if (process.send && collect) {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  process.on('message', (message: { type?: string }) => {
    if (message?.type === 'memory') {
      // Twice: objects freed by the first collection's finalisers go in the second.
      collect();
      collect();
      const spaces = Object.fromEntries(
        getHeapSpaceStatistics().map((s) => [s.space_name, { size: s.space_size, used: s.space_used_size }]),
      );
      process.send!({ type: 'memory', usage: process.memoryUsage(), spaces });
    } else if (message?.type === 'snapshot') {
      collect();
      process.send!({ type: 'snapshot', file: writeHeapSnapshot((message as { file?: string }).file) });
    } else if (message?.type === 'loop') {
      process.send!({ type: 'loop', p99Ms: loop.percentile(99) / 1e6, maxMs: loop.max / 1e6 });
      loop.reset();
    }
  });
  // The channel must not keep Mutual running once it is asked to stop.
  process.channel?.unref();
}
