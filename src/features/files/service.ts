import { randomBytes } from 'node:crypto';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import type { Deps } from '../../platform/deps.js';
import { Invalid } from '../../platform/errors.js';
import { processUpload, type UploadLimits } from './processing.js';
import { files, groupFileSettings, type FileRow, type FileVariant } from './schema.js';

/** What a page needs to show a file: never who uploaded it. */
export interface FileView {
  publicId: string;
  kind: 'image' | 'file';
  name: string;
  altText: string;
  contentType: string;
  byteSize: number;
  width: number | null;
  height: number | null;
  /** The names of its other stored versions ('large.webp', 'thumb.webp'…). */
  variants: string[];
}

/** The site's limits on uploads (config FILES_*), which each group may only lower. */
export interface SiteUploadLimits {
  maxBytes: number;
  maxEdge: number;
  maxPixels: number;
}

export const MAX_ALT_TEXT = 1000;

/** A file's address: `variant` is 'main' or one of its variants' names. */
export function fileUrl(publicId: string, variant: string): string {
  return `/files/${encodeURIComponent(publicId)}/${encodeURIComponent(variant)}`;
}

/** What may be uploaded in a group (its settings within the site's limits), or outside any group. */
export async function uploadLimitsFor(
  db: DbOrTx,
  site: SiteUploadLimits,
  groupId: number | null,
): Promise<UploadLimits> {
  const base = { maxBytes: site.maxBytes, images: true, files: true, maxEdge: site.maxEdge, maxPixels: site.maxPixels };
  if (groupId === null) return base;
  const [settings] = await db.select().from(groupFileSettings).where(eq(groupFileSettings.groupId, groupId));
  if (!settings) return base;
  return {
    ...base,
    images: settings.imagesAllowed,
    files: settings.filesAllowed,
    maxBytes: Math.min(site.maxBytes, settings.maxBytes ?? site.maxBytes),
  };
}

/** Every storage key of a file: its main version and each variant. */
export function storageKeysOf(row: Pick<FileRow, 'storageKey' | 'variants'>): string[] {
  return [row.storageKey, ...row.variants.map((v) => v.key)];
}

/** Processes and stores an upload as the person's pending file (attached_at null); returns its row. */
export async function storeUpload(
  deps: Pick<Deps, 'db' | 'files'>,
  input: { uploaderId: number; groupId: number | null; name: string; bytes: Buffer; altText?: string },
  limits: UploadLimits,
): Promise<FileRow> {
  const altText = (input.altText ?? '').trim();
  if (altText.length > MAX_ALT_TEXT) throw new Invalid({ altText: 'files.errors.altTextTooLong' });
  const processed = await processUpload(input.bytes, input.name, limits);
  const publicId = randomBytes(16).toString('base64url');
  // Spread over folders by the first characters, so no folder holds millions of entries.
  const folder = `${publicId.slice(0, 2)}/${publicId.slice(2, 4)}/${publicId}`;
  const mainKey = `${folder}/main`;
  const variants: FileVariant[] = processed.variants.map((v) => ({
    name: v.name,
    contentType: v.contentType,
    key: `${folder}/${v.name}`,
    width: v.width,
    height: v.height,
    bytes: v.bytes.length,
  }));
  const keys = [mainKey, ...variants.map((v) => v.key)];
  try {
    await deps.files.put(mainKey, processed.main, processed.contentType);
    await Promise.all(processed.variants.map((v, i) => deps.files.put(variants[i]!.key, v.bytes, v.contentType)));
    const [row] = await deps.db
      .insert(files)
      .values({
        publicId,
        groupId: input.groupId,
        uploaderId: input.uploaderId,
        kind: processed.kind,
        contentType: processed.contentType,
        byteSize: processed.byteSize,
        name: processed.name,
        altText,
        width: processed.width,
        height: processed.height,
        storageKey: mainKey,
        variants,
      })
      .returning();
    return row!;
  } catch (error) {
    await deps.files.delete(keys).catch(() => undefined);
    throw error;
  }
}

/** Attaches the person's own pending uploads (by public id) to what they just wrote, in its transaction. */
export async function attachFiles(
  tx: DbOrTx,
  uploaderId: number,
  publicIds: string[],
  to: { postId: number } | { chatMessageId: number } | { privateMessageId: number },
  altTexts?: Record<string, string>,
): Promise<void> {
  const ids = [...new Set(publicIds)];
  if (ids.length === 0) return;
  for (const text of Object.values(altTexts ?? {})) {
    if (text.trim().length > MAX_ALT_TEXT) throw new Invalid({ altText: 'files.errors.altTextTooLong' });
  }
  const now = new Date();
  const attached = await tx
    .update(files)
    .set({ ...to, attachedAt: now })
    .where(and(eq(files.uploaderId, uploaderId), inArray(files.publicId, ids), isNull(files.attachedAt)))
    .returning({ id: files.id, publicId: files.publicId });
  // An upload swept meanwhile, or someone else's: the writer is told rather than losing it silently.
  if (attached.length !== ids.length) throw new Invalid({ file: 'files.errors.gone' });
  for (const row of attached) {
    const text = altTexts?.[row.publicId];
    if (text !== undefined) await tx.update(files).set({ altText: text.trim() }).where(eq(files.id, row.id));
  }
}

/**
 * Makes a post's attachments exactly `publicIds`, as its edit form left them: files it has that
 * are not named are detached (nobody can read them from then on), the named ones it has take their
 * new alt texts, and the person's own new uploads are attached. Returns the detached files' ids,
 * for deleteDetachedFiles (work.ts) once the transaction has committed.
 */
export async function replaceAttachments(
  tx: DbOrTx,
  uploaderId: number,
  to: { postId: number },
  publicIds: string[],
  altTexts: Record<string, string> = {},
): Promise<number[]> {
  for (const text of Object.values(altTexts)) {
    if (text.trim().length > MAX_ALT_TEXT) throw new Invalid({ altText: 'files.errors.altTextTooLong' });
  }
  const wanted = new Set(publicIds);
  const current = await tx
    .select({ id: files.id, publicId: files.publicId, altText: files.altText })
    .from(files)
    .where(eq(files.postId, to.postId));
  const detached = current.filter((f) => !wanted.has(f.publicId)).map((f) => f.id);
  // attached_at stays set: a file attached once and now belonging to nothing is the sweep's too.
  if (detached.length > 0) await tx.update(files).set({ postId: null }).where(inArray(files.id, detached));
  for (const f of current) {
    const text = altTexts[f.publicId]?.trim();
    if (wanted.has(f.publicId) && text !== undefined && text !== f.altText) {
      await tx.update(files).set({ altText: text }).where(eq(files.id, f.id));
    }
  }
  const had = new Set(current.map((f) => f.publicId));
  const added = [...wanted].filter((id) => !had.has(id));
  await attachFiles(tx, uploaderId, added, to, altTexts);
  return detached;
}

const ownerColumn = {
  post: files.postId,
  chatMessage: files.chatMessageId,
  privateMessage: files.privateMessageId,
} as const;

/** The files of many posts / chat messages / private messages at once (one query), for a page. */
export async function filesOf(
  db: DbOrTx,
  of: 'post' | 'chatMessage' | 'privateMessage',
  ids: number[],
): Promise<Map<number, FileView[]>> {
  const found = new Map<number, FileView[]>();
  if (ids.length === 0) return found;
  const column = ownerColumn[of];
  const rows = await db
    .select({
      ownerId: sql<number>`${column}`.mapWith(Number),
      publicId: files.publicId,
      kind: files.kind,
      name: files.name,
      altText: files.altText,
      contentType: files.contentType,
      byteSize: files.byteSize,
      width: files.width,
      height: files.height,
      variants: files.variants,
    })
    .from(files)
    .where(inArray(column, [...new Set(ids)]))
    .orderBy(files.id);
  for (const { ownerId, variants, ...view } of rows) {
    const list = found.get(ownerId) ?? [];
    list.push({ ...view, variants: variants.map((v) => v.name) });
    found.set(ownerId, list);
  }
  return found;
}

/** A file by its public id, with what it belongs to (for the serving route's policy). */
export async function findFile(db: DbOrTx, publicId: string): Promise<FileRow | null> {
  if (!/^[A-Za-z0-9_-]{10,64}$/.test(publicId)) return null;
  const [row] = await db.select().from(files).where(eq(files.publicId, publicId));
  return row ?? null;
}
