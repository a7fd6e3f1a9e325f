import { availableParallelism } from 'node:os';
import { fileTypeFromBuffer } from 'file-type';
import sharp, { type OutputInfo, type Sharp } from 'sharp';
import { Invalid } from '../../platform/errors.js';

/*
 * What happens to an upload before anything is stored. Its type is read from its content, never
 * its name. Images are decoded and encoded again, so nothing of the original file survives but
 * its pixels: no EXIF (with its GPS position, camera serial and time), XMP, IPTC, comments or PNG
 * text chunks, and no colour profile (pixels are converted to sRGB). Other files are kept as they
 * are, but only of a few types no browser runs; they are always served as downloads.
 */

export interface UploadLimits {
  maxBytes: number;
  images: boolean;
  files: boolean;
  /** The longest edge of a stored image, in pixels; larger ones are made smaller. */
  maxEdge?: number;
  /** Images with more pixels than this are refused before they are decoded (decompression bombs). */
  maxPixels?: number;
}

export interface ProcessedUpload {
  kind: 'image' | 'file';
  /** Of the stored main version (images: the fallback format). */
  contentType: string;
  /** Of the stored main version. */
  byteSize: number;
  width: number | null;
  height: number | null;
  /** Images: re-encoded fallback (JPEG, or PNG when it has transparency); files: the bytes. */
  main: Buffer;
  /** Images: 'large.webp', 'large.avif', 'thumb.webp', 'thumb.jpeg' (or 'thumb.png'). */
  variants: { name: string; contentType: string; bytes: Buffer; width: number; height: number }[];
  /** The uploaded name made safe, with the extension of the type it really is ("photo.jpeg"). */
  name: string;
}

export const DEFAULT_MAX_EDGE = 2048;
export const DEFAULT_MAX_PIXELS = 50_000_000;
/** Thumbnails fit in a square this size: big enough for a post's preview on a phone at 2x. */
export const THUMB_EDGE = 400;

/** Images we decode (sharp's name for each). AVIF is read by libheif, so sharp calls it heif. */
const imageFormats: Record<string, string> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/avif': 'heif',
};

/**
 * Files kept as they are: documents and audio, none of which a browser runs, and all of them served
 * as downloads. Not archives (zip, gzip): they can carry anything, and nobody can see inside them.
 */
const fileTypes: Record<string, string> = {
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  'application/vnd.oasis.opendocument.presentation': 'odp',
  'application/epub+zip': 'epub',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/x-m4a': 'm4a',
  'audio/ogg': 'ogg',
  'audio/ogg; codecs=opus': 'opus',
  'text/plain': 'txt',
};

const heicTypes = new Set(['image/heic', 'image/heif', 'image/heic-sequence', 'image/heif-sequence']);

/** The types an upload may be, for operators' docs and the upload form's `accept`. */
export const allowedImageTypes = Object.keys(imageFormats);
export const allowedFileTypes = [...new Set(Object.keys(fileTypes).map((t) => t.split(';')[0]!))];

/** Throws Invalid({ file: 'files.errors.<reason>' }) for a type not allowed, too big, not readable. */
export async function processUpload(bytes: Buffer, name: string, limits: UploadLimits): Promise<ProcessedUpload> {
  if (bytes.length === 0) throw new Invalid({ file: 'files.errors.empty' });
  if (bytes.length > limits.maxBytes) throw new Invalid({ file: 'files.errors.tooBig' });
  const type = await typeOf(bytes);
  if (type && imageFormats[type]) {
    if (!limits.images) throw new Invalid({ file: 'files.errors.imagesOff' });
    const image = await withImageSlot(() => reencode(bytes, imageFormats[type]!, limits));
    return { ...image, name: cleanName(name, image.contentType) };
  }
  if (type && heicTypes.has(type)) throw new Invalid({ file: 'files.errors.heic' });
  if (!type || !fileTypes[type]) throw new Invalid({ file: 'files.errors.type' });
  if (!limits.files) throw new Invalid({ file: 'files.errors.filesOff' });
  const contentType = type === 'text/plain' ? 'text/plain; charset=utf-8' : type;
  return {
    kind: 'file',
    contentType,
    byteSize: bytes.length,
    width: null,
    height: null,
    main: bytes,
    variants: [],
    name: cleanName(name, type),
  };
}

/** The type the content says it is; plain text only when it is UTF-8 that no browser would run. */
async function typeOf(bytes: Buffer): Promise<string | undefined> {
  const found = await fileTypeFromBuffer(bytes);
  // Two bytes make an MPEG layer 1 or 2 audio frame, which almost any binary can start with: of
  // MPEG audio only MP3 (an ID3 tag or a layer 3 frame) is taken.
  if (found?.mime === 'audio/mpeg' && found.ext !== 'mp3') return undefined;
  if (found) return found.mime;
  return isPlainText(bytes) ? 'text/plain' : undefined;
}

const markup = /<\s*(!doctype|html|head|body|script|svg|iframe|object|embed|meta|link|style|img|a\s|\?xml|xsl)/i;

function isPlainText(bytes: Buffer): boolean {
  if (bytes.includes(0)) return false;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  const start = text.replace(/^\uFEFF/, '').trimStart();
  // Markup or a script, whatever its name says: a browser that sniffed it would run it.
  if (start.startsWith('<') || start.startsWith('#!')) return false;
  return !markup.test(text.slice(0, 64 * 1024));
}

/** A name safe for a download: no folders, no control characters, and the extension of its real type. */
export function cleanName(name: string, contentType: string): string {
  const ext = extensionOf(contentType);
  const base =
    (name.split(/[/\\]/).pop() ?? '')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '')
      .replace(/\.[^.]{1,8}$/, '')
      .replace(/^\.+/, '')
      .trim()
      .slice(0, 120) || 'file';
  return `${base}.${ext}`;
}

function extensionOf(contentType: string): string {
  const type = contentType.split(';')[0]!;
  if (type === 'image/jpeg') return 'jpeg';
  if (type === 'image/png') return 'png';
  if (type === 'image/webp') return 'webp';
  if (type === 'image/avif') return 'avif';
  if (type === 'image/gif') return 'gif';
  return fileTypes[contentType] ?? fileTypes[type] ?? 'bin';
}

/*
 * At most a few images are decoded at once, each on one libvips thread: a 12-megapixel photo
 * takes about 50 MB while it is decoded, and ten phones uploading at once must not take the
 * server past its memory. The rest wait their turn (bench/uploads.ts measures both).
 */
sharp.concurrency(1);
sharp.cache(false);

let imageSlots = Math.max(1, Math.min(2, availableParallelism()));
let running = 0;
const waiting: (() => void)[] = [];

/** How many images may be processed at once in this process (bench and tests). */
export function setImageConcurrency(n: number): void {
  imageSlots = Math.max(1, n);
}

async function withImageSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= imageSlots) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await work();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

type Encoded = ProcessedUpload['variants'][number];

async function reencode(bytes: Buffer, format: string, limits: UploadLimits): Promise<Omit<ProcessedUpload, 'name'>> {
  const maxEdge = limits.maxEdge ?? DEFAULT_MAX_EDGE;
  const maxPixels = limits.maxPixels ?? DEFAULT_MAX_PIXELS;
  let raw: { data: Buffer; info: OutputInfo };
  try {
    const input = sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error' });
    const meta = await input.metadata();
    // The content must be what it was typed as; sharp would read other formats (SVG among them).
    if (meta.format !== format) throw new Invalid({ file: 'files.errors.type' });
    if ((meta.width ?? 0) * (meta.height ?? 0) > maxPixels) throw new Invalid({ file: 'files.errors.tooManyPixels' });
    // Decoded once, turned upright (EXIF orientation), made small enough and converted to sRGB;
    // every variant is encoded from these pixels, so none can carry anything of the original file.
    // An animated GIF keeps its first frame only.
    raw = await input
      .rotate()
      .resize({ width: maxEdge, height: maxEdge, fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    if (error instanceof Invalid) throw error;
    const message = (error as Error).message;
    if (/pixel limit/i.test(message)) throw new Invalid({ file: 'files.errors.tooManyPixels' });
    throw new Invalid({ file: 'files.errors.unreadable' });
  }
  const { width, height, channels } = raw.info;
  const transparent = channels === 4 && !(await sharp(raw.data, { raw: { width, height, channels } }).stats()).isOpaque;
  const pixels = () => sharp(raw.data, { raw: { width, height, channels } });
  const fallback = transparent ? 'png' : 'jpeg';

  const encode = async (name: string, image: Sharp, type: 'webp' | 'avif' | 'jpeg' | 'png'): Promise<Encoded> => {
    const encoder =
      type === 'webp'
        ? image.webp({ quality: 80 })
        : type === 'avif'
          ? image.avif({ quality: 55, effort: 2 })
          : type === 'jpeg'
            ? image.flatten({ background: '#ffffff' }).jpeg({ quality: 82, mozjpeg: true })
            : image.png({ compressionLevel: 8 });
    const { data, info } = await encoder.toBuffer({ resolveWithObject: true });
    return { name, contentType: `image/${type}`, bytes: data, width: info.width, height: info.height };
  };
  const thumb = () =>
    pixels().resize({ width: THUMB_EDGE, height: THUMB_EDGE, fit: 'inside', withoutEnlargement: true });

  const main = await encode(`large.${fallback}`, pixels(), fallback);
  const variants = [
    await encode('large.webp', pixels(), 'webp'),
    await encode('large.avif', pixels(), 'avif'),
    await encode('thumb.webp', thumb(), 'webp'),
    await encode(`thumb.${fallback}`, thumb(), fallback),
  ];
  return {
    kind: 'image',
    contentType: main.contentType,
    byteSize: main.bytes.length,
    width,
    height,
    main: main.bytes,
    variants,
  };
}
