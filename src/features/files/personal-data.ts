import { asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { files } from './schema.js';

/** A member's uploads, for their data export and for deleting their account. */

export interface FilesExport {
  files: {
    name: string;
    kind: 'image' | 'file';
    contentType: string;
    byteSize: number;
    altText: string;
    createdAt: Date;
    /** What it was attached to, or null while it waits to be attached. */
    attachedTo: 'post' | 'chatMessage' | 'privateMessage' | null;
  }[];
}

export async function exportFileData(db: DbOrTx, userId: number): Promise<FilesExport> {
  const rows = await db
    .select({
      name: files.name,
      kind: files.kind,
      contentType: files.contentType,
      byteSize: files.byteSize,
      altText: files.altText,
      createdAt: files.createdAt,
      attachedTo: sql<FilesExport['files'][number]['attachedTo']>`case
        when ${files.postId} is not null then 'post'
        when ${files.chatMessageId} is not null then 'chatMessage'
        when ${files.privateMessageId} is not null then 'privateMessage'
        else null end`,
    })
    .from(files)
    .where(eq(files.uploaderId, userId))
    .orderBy(asc(files.id));
  return { files: rows };
}

/**
 * Deleting an account deletes everything it uploaded, whether its posts are erased or kept under
 * "Deleted member": a photo says more about a person than their words, and can be recognised. The
 * files are cut loose from their posts and messages at once (so nobody can read them from now on)
 * and the sweep (work.ts) deletes their bytes and rows.
 */
export async function eraseFileData(tx: DbOrTx, userId: number): Promise<void> {
  await tx
    .update(files)
    .set({ postId: null, chatMessageId: null, privateMessageId: null, attachedAt: new Date() })
    .where(eq(files.uploaderId, userId));
}
