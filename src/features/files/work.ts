import { and, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import type { PeriodicWork } from '../../platform/jobs/periodic.js';
import type { FileStorage } from '../../platform/storage/index.js';
import { storageKeysOf } from './service.js';
import { files, type FileRow } from './schema.js';

/** Uploads never attached to anything are deleted this long after they were made. */
export const PENDING_UPLOAD_HOURS = 24;
const BATCH = 500;

/**
 * The files that belong to nothing any more, and so must not be kept: their post deleted (or
 * erased with an account), their chat or private message removed, their group or account gone
 * (the references are set null), or an upload left unattached for a day.
 */
function goneSql(now: Date) {
  const pendingBefore = new Date(now.getTime() - PENDING_UPLOAD_HOURS * 3600_000);
  return sql`
    (${files.attachedAt} is not null and ${files.postId} is null and ${files.chatMessageId} is null
      and ${files.privateMessageId} is null)
    or (${files.attachedAt} is null and ${files.createdAt} < ${pendingBefore})
    or exists (select 1 from posts p where p.id = ${files.postId} and p.deleted_at is not null)
    or exists (select 1 from chat_messages m where m.id = ${files.chatMessageId} and m.removed_at is not null)
    or exists (select 1 from private_messages m where m.id = ${files.privateMessageId} and m.removed_at is not null)`;
}

type GoneFile = Pick<FileRow, 'id' | 'storageKey' | 'variants'>;

/** The bytes, then the rows: a storage error leaves the rows for the next sweep to try again. */
async function deleteFiles(ctx: { db: Db; files: FileStorage }, gone: GoneFile[]): Promise<void> {
  await ctx.files.delete(gone.flatMap(storageKeysOf));
  await ctx.db.delete(files).where(
    inArray(
      files.id,
      gone.map((f) => f.id),
    ),
  );
}

/**
 * Deletes now, rather than at the next sweep, files just detached from a post by its author (an
 * edit removed them): call it once the transaction that detached them has committed. Only files
 * that belong to nothing are touched. It never throws: the edit is made, and when the storage
 * fails the error is logged and the sweep tries again.
 */
export async function deleteDetachedFiles(
  ctx: { db: Db; files: FileStorage; log?: { error(details: object, message: string): void } | undefined },
  ids: number[],
): Promise<void> {
  if (ids.length === 0) return;
  try {
    const gone = await ctx.db
      .select({ id: files.id, storageKey: files.storageKey, variants: files.variants })
      .from(files)
      .where(and(inArray(files.id, ids), goneSql(new Date())));
    if (gone.length > 0) await deleteFiles(ctx, gone);
  } catch (error) {
    if (ctx.log) ctx.log.error({ err: error, fileIds: ids }, 'removed files left for the sweep');
    else console.error('removed files left for the sweep:', error);
  }
}

/**
 * Deletes the bytes, then the rows, of files that belong to nothing; returns how many went. The
 * bytes go first: if the storage fails, the rows stay and the next sweep tries again, so nothing
 * is left in storage that no row names.
 */
export async function sweepFiles(ctx: { db: Db; files: FileStorage }, now = new Date()): Promise<number> {
  let total = 0;
  for (;;) {
    const gone = await ctx.db
      .select({ id: files.id, storageKey: files.storageKey, variants: files.variants })
      .from(files)
      .where(goneSql(now))
      .orderBy(files.id)
      .limit(BATCH);
    if (gone.length === 0) return total;
    await deleteFiles(ctx, gone);
    total += gone.length;
    if (gone.length < BATCH) return total;
  }
}

/** What the worker repeats for files: the sweep, every ten minutes. */
export function defineFileWork(ctx: { db: Db; files: FileStorage }): PeriodicWork[] {
  return [
    {
      name: 'files: delete what belongs to nothing',
      everySeconds: 600,
      run: async (now) => {
        await sweepFiles(ctx, now);
      },
    },
  ];
}
