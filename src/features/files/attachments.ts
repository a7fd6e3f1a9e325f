import { and, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { DbOrTx } from '../../platform/db/client.js';
import type { Deps, UploadSettings } from '../../platform/deps.js';
import { Invalid } from '../../platform/errors.js';
import { MAX_FILES_PER_REQUEST } from '../../platform/http/server.js';
import type { FieldErrors } from '../../platform/views/forms.js';
import type { UploadLimits } from './processing.js';
import { files, type FileRow } from './schema.js';
import { storeUpload, uploadLimitsFor, type FileView } from './service.js';
import { LISTED_FIELD } from './views.js';

/*
 * Attachments as the forms of posts, chat messages and private messages take them. Without
 * JavaScript, the files come with the form (multipart) and are stored first; with it, they were
 * uploaded already (POST /uploads) and the form carries only their public ids. Either way the
 * writing service attaches the ids in its own transaction, and a refused form is shown again with
 * every upload kept, as hidden fields, so that nothing is lost.
 */

/** An upload kept with a form while it is being written: the person's own, not attached yet. */
export interface PendingAttachment extends FileView {
  /** Ticked "remove": left out when the form is sent again. */
  removed?: boolean;
}

/** What a form's attachments came to: the ids to attach, with their alt texts, and what to show again. */
export interface ReceivedAttachments {
  publicIds: string[];
  altTexts: Record<string, string>;
  /** Every upload the form holds now, to show again if it is refused. */
  pending: PendingAttachment[];
  /** Problems with the attachments ('file', 'alt-<publicId>'): the form is shown again. */
  errors: FieldErrors;
}

export const noAttachments: ReceivedAttachments = { publicIds: [], altTexts: {}, pending: [], errors: {} };

/** Where an upload is going: a group's post or chat (its limits), or a private message (the site's). */
export type UploadPlace = { groupId: number } | { groupId: null };

/** The form sends files or keeps uploads: only then is anything asked of the database. */
export function sendsAttachments(request: FastifyRequest): boolean {
  const body = request.body as Record<string, unknown> | null | undefined;
  return (request.uploads ?? []).length > 0 || (body != null && typeof body === 'object' && 'attachment' in body);
}

/**
 * The form lists every file of what it edits (AttachmentFields with `editing` sends LISTED_FIELD):
 * then a file it does not list is to be removed. A form without it leaves the files as they are.
 */
export function listsAttachments(request: FastifyRequest): boolean {
  const body = request.body as Record<string, unknown> | null | undefined;
  return body != null && typeof body === 'object' && body[LISTED_FIELD] === '1';
}

/** What may be attached in a group (its settings within the site's), or outside any group. */
export function limitsFor(db: DbOrTx, deps: Pick<Deps, 'uploads'>, groupId: number | null): Promise<UploadLimits> {
  return uploadLimitsFor(db, deps.uploads, groupId);
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

const publicIdPattern = /^[A-Za-z0-9_-]{10,64}$/;

/** The form's fields about attachments: ids kept, ids ticked for removal, alt texts. */
function attachmentFields(body: unknown) {
  const values = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const kept = [...new Set(strings(values.attachment).filter((id) => publicIdPattern.test(id)))];
  const removed = new Set(strings(values.remove));
  const altTexts: Record<string, string> = {};
  for (const id of kept) {
    const alt = strings(values[`alt-${id}`])[0];
    if (alt !== undefined) altTexts[id] = alt.trim();
  }
  const newAlt = (strings(values.alt)[0] ?? '').trim();
  return { kept, removed, altTexts, newAlt };
}

/** The person's own uploads not attached yet (or attached to `also`, when editing it), in the place given. */
async function ownPending(
  db: DbOrTx,
  uploaderId: number,
  publicIds: string[],
  place: UploadPlace,
  also?: { postId: number },
): Promise<Map<string, FileView>> {
  if (publicIds.length === 0) return new Map();
  const rows = await db
    .select()
    .from(files)
    .where(
      and(
        eq(files.uploaderId, uploaderId),
        inArray(files.publicId, publicIds),
        place.groupId === null ? isNull(files.groupId) : eq(files.groupId, place.groupId),
        also ? or(isNull(files.attachedAt), eq(files.postId, also.postId)) : isNull(files.attachedAt),
      ),
    );
  return new Map(rows.map((row) => [row.publicId, viewOf(row)]));
}

export function viewOf(row: typeof files.$inferSelect): FileView {
  return {
    publicId: row.publicId,
    kind: row.kind,
    name: row.name,
    altText: row.altText,
    contentType: row.contentType,
    byteSize: row.byteSize,
    width: row.width,
    height: row.height,
    variants: row.variants.map((v) => v.name),
  };
}

/**
 * Stores one upload for a form. A photo's own name ("IMG_0042 Jane at home.jpeg") can say more
 * than its owner meant, anonymous posts above all: every image is named "photo" instead.
 */
export async function storeAttachment(
  deps: Pick<Deps, 'db' | 'files'>,
  input: Parameters<typeof storeUpload>[1],
  limits: UploadLimits,
): Promise<FileRow> {
  const row = await storeUpload(deps, input, limits);
  if (row.kind !== 'image') return row;
  const name = `photo.${row.name.split('.').pop() ?? 'jpeg'}`;
  const [renamed] = await deps.db.update(files).set({ name }).where(eq(files.id, row.id)).returning();
  return renamed ?? row;
}

/**
 * Stores the files sent with a form and gathers the ones it kept, for `place`. Every image must be
 * described (its alt text): one the form does not describe is an error on its own field, and
 * the form is shown again asking for it. When a post is edited (`editing`), the files attached to
 * it already may be kept too.
 */
export async function receiveAttachments(
  deps: Pick<Deps, 'db' | 'files' | 'uploads'>,
  request: FastifyRequest,
  uploaderId: number,
  place: UploadPlace,
  editing?: { postId: number },
): Promise<ReceivedAttachments> {
  const fields = attachmentFields(request.body);
  const uploads = (request.uploads ?? []).filter((u) => u.field === 'file');
  if (fields.kept.length === 0 && uploads.length === 0) return noAttachments;
  const errors: FieldErrors = {};
  const found = await ownPending(deps.db, uploaderId, fields.kept, place, editing);
  const pending: PendingAttachment[] = fields.kept.flatMap((id) => {
    const view = found.get(id);
    return view ? [{ ...view, altText: fields.altTexts[id] ?? view.altText, removed: fields.removed.has(id) }] : [];
  });
  // A kept id that is no longer there (swept after a day, or never the person's) is said, not dropped silently.
  if (pending.length < fields.kept.length) errors.file = 'files.errors.gone';
  const room = MAX_FILES_PER_REQUEST - pending.filter((p) => !p.removed).length;
  if (uploads.length > 0) {
    const limits = await limitsFor(deps.db, deps, place.groupId);
    for (const [i, upload] of uploads.entries()) {
      if (i >= room) {
        errors.file = 'files.attach.tooMany';
        break;
      }
      if (upload.tooLarge) {
        errors.file = 'files.errors.tooBig';
        continue;
      }
      try {
        const row = await storeAttachment(
          deps,
          { uploaderId, groupId: place.groupId, name: upload.filename, bytes: upload.bytes, altText: fields.newAlt },
          limits,
        );
        pending.push(viewOf(row));
      } catch (error) {
        if (!(error instanceof Invalid)) throw error;
        errors.file = error.fieldErrors.file ?? error.fieldErrors.altText ?? 'files.errors.unreadable';
      }
    }
  }
  const attached = pending.filter((p) => !p.removed);
  for (const p of attached) {
    if (p.kind === 'image' && p.altText.trim() === '') errors[`alt-${p.publicId}`] = 'files.attach.altRequired';
  }
  return {
    publicIds: attached.map((p) => p.publicId),
    altTexts: Object.fromEntries(attached.map((p) => [p.publicId, p.altText])),
    pending: pending.filter((p) => !p.removed),
    errors,
  };
}

/** Throws the attachments' errors as a form's, with the rest of the form's own (from `validate`). */
export function assertAttachmentsReady(received: ReceivedAttachments): void {
  if (Object.keys(received.errors).length > 0) throw new Invalid(received.errors);
}

const ownerColumns = { post: 'post_id', chatMessage: 'chat_message_id', privateMessage: 'private_message_id' } as const;

/**
 * The files of each row of a page, as a column of the page's own statement (a JSON array of
 * FileViews, or null), so that showing attachments costs no round trip. `owner` is the SQL of the
 * row's id ("posts.id"); whoever may see the row may see its files (policy.ts says the same).
 */
export function attachmentsSql(of: keyof typeof ownerColumns, owner: SQL): SQL<FileView[] | null> {
  return sql<FileView[] | null>`(select json_agg(json_build_object(
      'publicId', f.public_id, 'kind', f.kind, 'name', f.name, 'altText', f.alt_text,
      'contentType', f.content_type, 'byteSize', f.byte_size, 'width', f.width, 'height', f.height,
      'variants', (select coalesce(json_agg(v->>'name'), '[]'::json) from jsonb_array_elements(f.variants) v)
    ) order by f.id) from files f where f.${sql.raw(ownerColumns[of])} = ${owner})`;
}

/** A JSON column's value as FileViews (PGlite and pg may give JSON as text or parsed). */
export function readAttachments(value: unknown): FileView[] {
  const parsed = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return Array.isArray(parsed) ? (parsed as FileView[]) : [];
}

/** A group's upload settings as a column of a page's own statement (see uploadLimitsFrom). */
export function groupUploadLimitsSql(groupId: SQL): SQL<unknown> {
  return sql`(select json_build_object('images', s.images_allowed, 'files', s.files_allowed, 'maxBytes', s.max_bytes)
    from group_file_settings s where s.group_id = ${groupId})`;
}

/** What may be uploaded, from the site's limits and a groupUploadLimitsSql column's value. */
export function uploadLimitsFrom(site: UploadSettings, value: unknown): UploadLimits {
  const row = (typeof value === 'string' ? JSON.parse(value) : value) as {
    images?: boolean;
    files?: boolean;
    maxBytes?: number | null;
  } | null;
  return {
    maxBytes: Math.min(site.maxBytes, row?.maxBytes ?? site.maxBytes),
    images: row?.images ?? true,
    files: row?.files ?? true,
    maxEdge: site.maxEdge,
    maxPixels: site.maxPixels,
  };
}
