/**
 * Work a worker process repeats every `everySeconds` (and tests run on demand): find what has become
 * due (new posts to mail, digests whose hour has come, threads a day without a reply) and queue its
 * jobs. Running it twice, or in two processes at once, must queue nothing twice.
 */
export interface PeriodicWork {
  name: string;
  everySeconds: number;
  run(now: Date): Promise<void>;
}

/**
 * Runs each piece of work every so often in this process (the worker role); returns a function
 * that stops them. A run still going when its time comes again is not started twice.
 */
export function schedulePeriodicWork(work: PeriodicWork[], report: (error: Error, what: string) => void): () => void {
  const timers = work.map((w) => {
    let running = false;
    const tick = () => {
      if (running) return;
      running = true;
      w.run(new Date())
        .catch((error: unknown) => report(error as Error, w.name))
        .finally(() => {
          running = false;
        });
    };
    return setInterval(tick, w.everySeconds * 1000);
  });
  return () => {
    for (const t of timers) clearInterval(t);
  };
}
