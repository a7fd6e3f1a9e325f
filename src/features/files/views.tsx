import type { PageContext } from '../../platform/http/page.js';
import { MAX_FILES_PER_REQUEST } from '../../platform/http/server.js';
import { assetUrl } from '../../platform/views/assets.js';
import { errorMessage, type FieldErrors } from '../../platform/views/forms.js';
import { allowedFileTypes, allowedImageTypes, THUMB_EDGE, type UploadLimits } from './processing.js';
import { fileUrl, type FileView } from './service.js';
import type { PendingAttachment } from './attachments.js';

/** "2.4 MB", "830 KB": a size as people read it, in their language. */
export function formatSize(ctx: PageContext, bytes: number): string {
  const [value, unit] =
    bytes >= 1024 * 1024 ? [bytes / (1024 * 1024), 'megabyte'] : [Math.max(1, Math.round(bytes / 1024)), 'kilobyte'];
  return new Intl.NumberFormat(ctx.locale, { style: 'unit', unit, maximumFractionDigits: 1 }).format(value);
}

/** The width of an image's thumbnail: it fits in a THUMB_EDGE square, never enlarged. */
function thumbWidth(view: FileView): number {
  const w = view.width ?? THUMB_EDGE;
  const h = view.height ?? THUMB_EDGE;
  const scale = Math.min(1, THUMB_EDGE / Math.max(w, h));
  return Math.max(1, Math.round(w * scale));
}

/** Of an image's stored versions, those in one format, as a srcset ("…/thumb.webp 400w, …/large.webp 2048w"). */
function srcset(view: FileView, format: string): string | null {
  const width = view.width ?? THUMB_EDGE;
  const entries: string[] = [];
  if (view.variants.includes(`thumb.${format}`))
    entries.push(`${fileUrl(view.publicId, `thumb.${format}`)} ${thumbWidth(view)}w`);
  if (view.variants.includes(`large.${format}`)) entries.push(`${fileUrl(view.publicId, `large.${format}`)} ${width}w`);
  // A format without a thumbnail would send phones the large image: left to the others.
  if (!view.variants.includes(`thumb.${format}`)) return null;
  return entries.join(', ');
}

/** A phone shows an image the width of the screen; anything wider, at most the column's 36rem. */
const imageSizes = '(max-width: 40rem) 100vw, 36rem';

/**
 * An attached image: AVIF or WebP where the browser takes them, JPEG or PNG otherwise, the size
 * fit for the screen (a thumbnail on a phone), loaded only when scrolled near. It links to the
 * full image; its description is its alt text, and can be read under it too.
 */
export function AttachedImage({ ctx, view }: { ctx: PageContext; view: FileView }) {
  const { t } = ctx;
  const fallback = view.contentType.split(';')[0]!.replace('image/', '');
  const thumbFallback = view.variants.includes(`thumb.${fallback}`) ? `thumb.${fallback}` : 'main';
  const width = view.width ?? THUMB_EDGE;
  const height = view.height ?? THUMB_EDGE;
  return (
    <figure class="attachment-image">
      <a href={fileUrl(view.publicId, 'main')}>
        <picture>
          {['avif', 'webp'].map((format) => {
            const set = srcset(view, format);
            return set ? <source type={`image/${format}`} srcset={set} sizes={imageSizes} /> : null;
          })}
          <img
            src={fileUrl(view.publicId, thumbFallback)}
            srcset={`${fileUrl(view.publicId, thumbFallback)} ${thumbWidth(view)}w, ${fileUrl(view.publicId, 'main')} ${width}w`}
            sizes={imageSizes}
            alt={view.altText}
            width={width}
            height={height}
            loading="lazy"
            decoding="async"
          />
        </picture>
      </a>
      {view.altText ? (
        <details class="attachment-alt">
          <summary>{t('files.view.description')}</summary>
          <p>{view.altText}</p>
        </details>
      ) : null}
    </figure>
  );
}

/** An attached file: its name and size, downloaded (never opened in the page). */
export function AttachedFile({ ctx, view }: { ctx: PageContext; view: FileView }) {
  return (
    <p class="attachment-file">
      <a href={fileUrl(view.publicId, 'main')} download={view.name}>
        {view.name}
      </a>{' '}
      <span class="meta">({formatSize(ctx, view.byteSize)})</span>
    </p>
  );
}

/** The images and files of a post or message, images first. */
export function Attachments({ ctx, files }: { ctx: PageContext; files: FileView[] | undefined }) {
  if (!files || files.length === 0) return null;
  const images = files.filter((f) => f.kind === 'image');
  const others = files.filter((f) => f.kind !== 'image');
  return (
    <div class="attachments">
      {images.map((view) => (
        <AttachedImage ctx={ctx} view={view} />
      ))}
      {others.map((view) => (
        <AttachedFile ctx={ctx} view={view} />
      ))}
    </div>
  );
}

/** The types a file input offers, from what the place allows. */
export function acceptedTypes(limits: UploadLimits): string {
  return [...(limits.images ? allowedImageTypes : []), ...(limits.files ? allowedFileTypes : [])].join(',');
}

/** The field an edit form's attachments send to say they list every file it has (listsAttachments). */
export const LISTED_FIELD = 'attachmentsListed';

/**
 * The attachment fields of a form (which must be sent as multipart/form-data): uploads kept from
 * an earlier try, each with its description and a "remove" box; a plain file input; a description
 * for new photos. With JavaScript (attach.js), files are uploaded as soon as they are chosen,
 * dropped or pasted, to `/uploads?place=…`, and each shows here with its own description. A post
 * being edited lists the files it has as kept ones, which stay removable even where nothing new
 * may be added any more.
 */
export function AttachmentFields({
  ctx,
  limits,
  place,
  pending = [],
  errors = {},
  values = {},
  idPrefix = 'attach',
  editing = false,
}: {
  ctx: PageContext;
  limits: UploadLimits;
  /** Where uploads go, for /uploads: 'g:<slug>' for a group, 'pm' for a private message. */
  place: string;
  pending?: PendingAttachment[] | undefined;
  errors?: FieldErrors | undefined;
  values?: Record<string, string> | undefined;
  /** Ids unique in the page, when it holds more than one such form. */
  idPrefix?: string;
  /** The form edits what it belongs to: `pending` holds the files it has already. */
  editing?: boolean;
}) {
  const { t } = ctx;
  const adding = limits.images || limits.files;
  if (!adding && pending.length === 0) return null;
  const fileError = errors.file;
  const hintId = `${idPrefix}-file-hint`;
  const errorId = `${idPrefix}-file-error`;
  const what = !adding ? 'kept' : limits.images && limits.files ? 'both' : limits.images ? 'images' : 'files';
  return (
    <fieldset
      class="attach-fields"
      data-attach={`/uploads?place=${encodeURIComponent(place)}`}
      data-csrf={ctx.csrfToken}
      data-max={MAX_FILES_PER_REQUEST}
      data-alt-label={t('files.attach.altLabel')}
      data-remove-label={t('files.attach.remove')}
      data-uploading={t('files.attach.uploading')}
      data-failed={t('files.attach.failed')}
      data-drop={t('files.attach.drop')}
    >
      <legend>{t(`files.attach.legend.${what}`)}</legend>
      {editing ? <input type="hidden" name={LISTED_FIELD} value="1" /> : null}
      {editing && pending.length > 0 ? <p class="hint">{t('files.attach.editHint')}</p> : null}
      {adding ? (
        <p class="hint" id={hintId}>
          {t('files.attach.hint', { count: MAX_FILES_PER_REQUEST, size: formatSize(ctx, limits.maxBytes) })}
        </p>
      ) : null}
      {fileError ? (
        <p class="error" id={errorId} role="alert">
          {errorMessage(ctx, fileError)}
        </p>
      ) : null}
      <ul class="attach-list" aria-live="polite">
        {pending.map((p) => (
          <PendingItem ctx={ctx} pending={p} errors={errors} />
        ))}
      </ul>
      {adding ? (
        <div class="field">
          <label for={`${idPrefix}-file`}>{t('files.attach.choose')}</label>
          <input
            type="file"
            id={`${idPrefix}-file`}
            name="file"
            multiple
            accept={acceptedTypes(limits)}
            aria-describedby={fileError ? `${hintId} ${errorId}` : hintId}
            aria-invalid={fileError ? 'true' : undefined}
          />
        </div>
      ) : null}
      {limits.images ? (
        <div class="field attach-new-alt">
          <label for={`${idPrefix}-alt`}>{t('files.attach.altLabel')}</label>
          <p class="hint" id={`${idPrefix}-alt-hint`}>
            {t('files.attach.altHint')}
          </p>
          <input
            type="text"
            id={`${idPrefix}-alt`}
            name="alt"
            maxLength={1000}
            value={values.alt ?? ''}
            aria-describedby={`${idPrefix}-alt-hint`}
          />
        </div>
      ) : null}
      <script src={assetUrl('attach.js')} defer></script>
    </fieldset>
  );
}

/** An upload already kept with the form: its id (hidden), its description, and "remove". */
function PendingItem({ ctx, pending, errors }: { ctx: PageContext; pending: PendingAttachment; errors: FieldErrors }) {
  const { t } = ctx;
  const id = pending.publicId;
  const altError = errors[`alt-${id}`];
  return (
    <li class="attach-item">
      <input type="hidden" name="attachment" value={id} />
      {pending.kind === 'image' ? (
        <img
          src={fileUrl(id, pending.variants.includes('thumb.webp') ? 'thumb.webp' : 'main')}
          alt=""
          width={80}
          height={80}
        />
      ) : null}
      <span>{t('files.attach.attached', { name: pending.name })}</span>
      {pending.kind === 'image' ? (
        <div class={altError ? 'field field-error' : 'field'}>
          <label for={`alt-${id}`}>{t('files.attach.altLabel')}</label>
          {altError ? (
            <p class="error" id={`alt-${id}-error`}>
              {errorMessage(ctx, altError)}
            </p>
          ) : null}
          <input
            type="text"
            id={`alt-${id}`}
            name={`alt-${id}`}
            maxLength={1000}
            value={pending.altText}
            aria-invalid={altError ? 'true' : undefined}
            aria-describedby={altError ? `alt-${id}-error` : undefined}
          />
        </div>
      ) : null}
      <div class="choice">
        <input type="checkbox" id={`remove-${id}`} name="remove" value={id} />
        <label for={`remove-${id}`}>{t('files.attach.remove')}</label>
      </div>
    </li>
  );
}
