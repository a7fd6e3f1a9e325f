import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';

/** Photos that carry what phones put in them, and an independent reader (exiftool) to look for it afterwards. */

const run = promisify(execFile);

/** What exiftool (an independent reader) finds in each of some files' bytes, by group:tag; one exiftool run for all. */
export async function exifOfAll(files: Buffer[]): Promise<Record<string, unknown>[]> {
  const dir = await mkdtemp(join(tmpdir(), 'mutual-exif-'));
  const paths = files.map((_, i) => join(dir, `f${i}`));
  await Promise.all(files.map((bytes, i) => writeFile(paths[i]!, bytes)));
  try {
    const { stdout } = await run('/usr/bin/exiftool', ['-j', '-G1', '-a', '-b', ...paths], {
      maxBuffer: 64 * 1024 * 1024,
    });
    const found = JSON.parse(stdout) as Record<string, unknown>[];
    return paths.map((path) => found.find((tags) => tags.SourceFile === path)!);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function exifOf(bytes: Buffer): Promise<Record<string, unknown>> {
  return (await exifOfAll([bytes]))[0]!;
}

/** The metadata exiftool finds beyond what describes the pixels themselves. */
export function leftovers(tags: Record<string, unknown>): string[] {
  const groups = /^(IFD0|IFD1|ExifIFD|GPS|XMP|IPTC|ICC|Photoshop|MakerNotes|File:Comment)/;
  // A PNG's own header (size, depth, colour type, resolution) describes the pixels; any other of its chunks is metadata.
  const pngHeader =
    /^PNG(-pHYs)?:(ImageWidth|ImageHeight|BitDepth|ColorType|Compression|Filter|Interlace|PixelsPerUnit[XY]|PixelUnits)$/;
  return Object.keys(tags).filter(
    (k) =>
      groups.test(k) ||
      (k.startsWith('PNG') && !pngHeader.test(k)) ||
      /GPS|Artist|Creator|Author|Make|Model|By-line/i.test(k),
  );
}

const xmp =
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Jane Xmp</dc:creator>' +
  '</rdf:Description></rdf:RDF></x:xmpmeta>';

/**
 * A phone photo as phones make them: GPS position, camera, owner's name (EXIF), XMP, IPTC, a
 * Display P3 colour profile, a comment, and stored sideways (orientation 6: turn 90° to view).
 */
export async function phonePhoto(width = 600, height = 300): Promise<Buffer> {
  const jpeg = await sharp({ create: { width, height, channels: 3, background: '#c04040' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'PhoneCo', Model: 'Secret 9', Artist: 'Jane Real Name' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 0/1' },
    })
    .withXmp(xmp)
    .withIccProfile('p3')
    .withMetadata({ orientation: 6 })
    .toBuffer();
  // IPTC and a JPEG comment, which sharp does not write: added by exiftool.
  const dir = await mkdtemp(join(tmpdir(), 'mutual-photo-'));
  await writeFile(join(dir, 'in.jpg'), jpeg);
  await run('/usr/bin/exiftool', [
    '-q',
    '-IPTC:By-line=Jane Iptc',
    '-IPTC:City=Hometown',
    '-Comment=taken at 12 Home Street',
    '-o',
    join(dir, 'out.jpg'),
    join(dir, 'in.jpg'),
  ]);
  const photo = await readFile(join(dir, 'out.jpg'));
  await rm(dir, { recursive: true, force: true });
  return photo;
}
