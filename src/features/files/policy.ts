import type { DbOrTx } from '../../platform/db/client.js';
import { NotFound } from '../../platform/errors.js';
import { accessChatMessage } from '../chat/index.js';
import { accessPost } from '../forum/index.js';
import type { Actor } from '../groups/index.js';
import { accessPrivateMessage } from '../messages/index.js';
import { findFile } from './service.js';
import type { FileRow } from './schema.js';

/*
 * Who may read a file: whoever may read what it belongs to, asked of that feature's own policy,
 * so a file can never be more visible than its post. An upload not attached yet is its uploader's
 * alone; a file whose post, message or group is gone is nobody's (the sweep deletes it). To
 * everyone else a file does not exist: the same 404 as for an address that was never used.
 */

/** A stored version of a file: where its bytes are and what they are. */
export interface FileVersion {
  key: string;
  contentType: string;
  /** The name a download is saved under. */
  name: string;
}

export async function accessFile(db: DbOrTx, actor: Actor, publicId: string): Promise<FileRow> {
  const file = await findFile(db, publicId);
  if (!file) throw new NotFound();
  if (file.postId !== null) await accessPost(db, actor, file.postId);
  else if (file.chatMessageId !== null) await accessChatMessage(db, actor, file.chatMessageId);
  else if (file.privateMessageId !== null) await accessPrivateMessage(db, actor, file.privateMessageId);
  else if (file.attachedAt !== null) throw new NotFound();
  else if (!actor || file.uploaderId !== actor.id) throw new NotFound();
  return file;
}

/** 'main' or one of the file's variants ('thumb.webp'); null when it has no such version. */
export function versionOf(file: FileRow, variant: string): FileVersion | null {
  const base = file.name.replace(/\.[^.]+$/, '');
  if (variant === 'main') return { key: file.storageKey, contentType: file.contentType, name: file.name };
  const found = file.variants.find((v) => v.name === variant);
  if (!found) return null;
  const ext = found.name.split('.').pop() ?? 'bin';
  return { key: found.key, contentType: found.contentType, name: `${base}.${ext}` };
}
