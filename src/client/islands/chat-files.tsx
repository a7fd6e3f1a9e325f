import type { FileView } from '../../features/files/attaching.js';

/*
 * A chat message's photos and files, drawn the same on the server and in the browser (which gets
 * them in live frames): a photo as a small picture, loaded only when scrolled near, with its
 * description, that opens the whole photo; a file as a link to download it, with its name and size.
 */

/** The longest edge of a stored thumbnail (src/features/files/processing.ts, THUMB_EDGE). */
const THUMB_EDGE = 400;

const fileUrl = (view: FileView, variant: string) =>
  `/files/${encodeURIComponent(view.publicId)}/${encodeURIComponent(variant)}`;

/** "2.4 MB", "830 KB", in the reader's language. */
function formatSize(locale: string, bytes: number): string {
  const [value, unit] =
    bytes >= 1024 * 1024 ? [bytes / (1024 * 1024), 'megabyte'] : [Math.max(1, Math.round(bytes / 1024)), 'kilobyte'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, maximumFractionDigits: 1 }).format(value);
}

function Photo({ view, description }: { view: FileView; description: string }) {
  const w = view.width ?? THUMB_EDGE;
  const h = view.height ?? THUMB_EDGE;
  const scale = Math.min(1, THUMB_EDGE / Math.max(w, h));
  const fallback = `thumb.${view.contentType.split(';')[0]!.replace('image/', '')}`;
  return (
    <figure class="attachment-image">
      <a href={fileUrl(view, 'main')}>
        <picture>
          {view.variants.includes('thumb.webp') ? (
            <source type="image/webp" srcset={fileUrl(view, 'thumb.webp')} />
          ) : null}
          <img
            src={fileUrl(view, view.variants.includes(fallback) ? fallback : 'main')}
            alt={view.altText}
            width={Math.max(1, Math.round(w * scale))}
            height={Math.max(1, Math.round(h * scale))}
            loading="lazy"
            decoding="async"
          />
        </picture>
      </a>
      {view.altText ? (
        <details class="attachment-alt">
          <summary>{description}</summary>
          <p>{view.altText}</p>
        </details>
      ) : null}
    </figure>
  );
}

/** The photos and files of one message, photos first. */
export function ChatFiles(p: { files: FileView[] | undefined; locale: string; description: string }) {
  if (!p.files || p.files.length === 0) return null;
  return (
    <div class="attachments">
      {p.files
        .filter((f) => f.kind === 'image')
        .map((view) => (
          <Photo key={view.publicId} view={view} description={p.description} />
        ))}
      {p.files
        .filter((f) => f.kind !== 'image')
        .map((view) => (
          <p key={view.publicId} class="attachment-file">
            <a href={fileUrl(view, 'main')} download={view.name}>
              {view.name}
            </a>{' '}
            <span class="meta">({formatSize(p.locale, view.byteSize)})</span>
          </p>
        ))}
    </div>
  );
}
