import type { Db } from '../../platform/db/client.js';
import type { PeriodicWork } from '../../platform/jobs/periodic.js';
import { closeDuePolls } from './service.js';

/** Every minute, polls whose closing time has come are closed and their voters told. */
export function definePollWork(ctx: { db: Db }): PeriodicWork[] {
  return [
    {
      name: 'polls:close',
      everySeconds: 60,
      run: async (now) => {
        await closeDuePolls(ctx.db, now);
      },
    },
  ];
}
