import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { Invalid } from '../../platform/errors.js';
import { exifOf, exifOfAll, leftovers, phonePhoto } from '../../../test/helpers/photos.js';
import { processUpload, type UploadLimits } from './processing.js';

const limits: UploadLimits = { maxBytes: 10 * 1024 * 1024, images: true, files: true };

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG with tEXt and iTXt chunks (author, location) written by hand after its header. */
async function pngWithText(alpha: boolean): Promise<Buffer> {
  const png = await sharp({
    create: { width: 50, height: 40, channels: alpha ? 4 : 3, background: { r: 0, g: 90, b: 200, alpha: 0.5 } },
  })
    .png()
    .toBuffer();
  const ihdrEnd = 8 + 4 + 4 + 13 + 4;
  const text = pngChunk('tEXt', Buffer.from('Author\0Jane Png', 'latin1'));
  const itxt = pngChunk('iTXt', Buffer.from('Location\0\0\0\0\0Home Street 12', 'utf8'));
  return Buffer.concat([png.subarray(0, ihdrEnd), text, itxt, png.subarray(ihdrEnd)]);
}

async function refusal(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Invalid) return error.fieldErrors.file;
    throw error;
  }
  return undefined;
}

// exiftool and libvips are slow on a busy 2-core machine: a minute per test at most.
describe('image processing', { timeout: 120_000 }, () => {
  it('keeps nothing of a phone photo but its pixels, in every version, as exiftool reads them', async () => {
    const photo = await phonePhoto();
    const before = await exifOf(photo);
    // The test photo does carry what must go.
    expect(before['GPS:GPSLatitude']).toBeDefined();
    expect(before['IFD0:Artist']).toBe('Jane Real Name');
    expect(before['XMP-dc:Creator']).toBe('Jane Xmp');
    expect(before['IPTC:By-line']).toBe('Jane Iptc');
    expect(before['ICC-header:ProfileDescription'] ?? before['ICC_Profile:ProfileDescription']).toBeDefined();

    const out = await processUpload(photo, 'IMG_2041.JPG', limits);
    expect(out.kind).toBe('image');
    expect(out.contentType).toBe('image/jpeg');
    expect(out.name).toBe('IMG_2041.jpeg');
    expect(out.variants.map((v) => v.name)).toEqual(['large.webp', 'large.avif', 'thumb.webp', 'thumb.jpeg']);
    const versions = [{ name: 'main', bytes: out.main, contentType: out.contentType }, ...out.variants];
    const read = await exifOfAll(versions.map((v) => v.bytes));
    for (const [i, version] of versions.entries()) {
      const tags = read[i]!;
      expect(tags['File:MIMEType'], version.name).toBe(version.contentType);
      expect(leftovers(tags), version.name).toEqual([]);
      expect(JSON.stringify(tags), version.name).not.toMatch(/Jane|Hometown|Home Street|PhoneCo|Secret 9/);
    }
  });

  it('turns a sideways photo upright (EXIF orientation 6) and keeps it within the largest edge', async () => {
    const out = await processUpload(await phonePhoto(600, 300), 'sideways.jpg', { ...limits, maxEdge: 200 });
    // Stored 600 wide and 300 high, shown turned: 300 wide and 600 high, then made to fit 200.
    expect([out.width, out.height]).toEqual([100, 200]);
    const thumb = out.variants.find((v) => v.name === 'thumb.webp')!;
    const meta = await sharp(thumb.bytes).metadata();
    expect([meta.width, meta.height]).toEqual([100, 200]);
    expect(meta.orientation).toBeUndefined();
  });

  it('drops the text chunks of a PNG, and keeps its transparency as PNG', async () => {
    const png = await pngWithText(true);
    const before = await exifOf(png);
    expect(before['PNG:Author']).toBe('Jane Png');
    const out = await processUpload(png, 'drawing.png', limits);
    expect(out.contentType).toBe('image/png');
    expect(out.variants.map((v) => v.name)).toContain('thumb.png');
    for (const tags of await exifOfAll([out.main, ...out.variants.map((v) => v.bytes)])) {
      expect(leftovers(tags)).toEqual([]);
      expect(JSON.stringify(tags)).not.toMatch(/Jane|Home Street/);
    }
    expect((await sharp(out.main).metadata()).hasAlpha).toBe(true);
  });

  it('stores an opaque PNG as JPEG, without its text chunks', async () => {
    const out = await processUpload(await pngWithText(false), 'screenshot.png', limits);
    expect(out.contentType).toBe('image/jpeg');
    expect(JSON.stringify(await exifOf(out.main))).not.toMatch(/Jane|Home Street/);
  });

  it('keeps the first frame of an animated GIF', async () => {
    const frame = (background: string) =>
      sharp({ create: { width: 30, height: 30, channels: 3, background } })
        .png()
        .toBuffer();
    const gif = await sharp([await frame('#00ff00'), await frame('#ff0000'), await frame('#0000ff')], {
      join: { animated: true },
    })
      .gif()
      .toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(3);
    const out = await processUpload(gif, 'wave.gif', limits);
    expect([out.width, out.height]).toEqual([30, 30]);
    expect((await sharp(out.main).metadata()).pages ?? 1).toBe(1);
    const { dominant } = await sharp(out.main).stats();
    expect(dominant.g).toBeGreaterThan(200);
    expect(dominant.r).toBeLessThan(60);
  });

  it('refuses an image with more pixels than the site allows, before decoding it', async () => {
    const big = await sharp({ create: { width: 3000, height: 3000, channels: 3, background: '#fff' } })
      .jpeg()
      .toBuffer();
    expect(await refusal(processUpload(big, 'huge.jpg', { ...limits, maxPixels: 1_000_000 }))).toBe(
      'files.errors.tooManyPixels',
    );
  });

  it('refuses a damaged image', async () => {
    const photo = await phonePhoto();
    const cut = photo.subarray(0, Math.floor(photo.length / 2));
    expect(await refusal(processUpload(cut, 'cut.jpg', limits))).toBe('files.errors.unreadable');
  });
});

describe('file typing', () => {
  it('refuses a file larger than the limit', async () => {
    expect(await refusal(processUpload(Buffer.alloc(2000, 'a'), 'notes.txt', { ...limits, maxBytes: 1000 }))).toBe(
      'files.errors.tooBig',
    );
  });

  it('refuses HTML whose name says .jpg', async () => {
    const html = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
    expect(await refusal(processUpload(html, 'holiday.jpg', limits))).toBe('files.errors.type');
    const lateScript = Buffer.from(`Some words first.\n${'x'.repeat(100)}\n<script>alert(1)</script>`);
    expect(await refusal(processUpload(lateScript, 'notes.txt', limits))).toBe('files.errors.type');
  });

  it('refuses SVG, XML, scripts and executables, whatever their names', async () => {
    const svg = Buffer.from(
      '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9" height="9"/></svg>',
    );
    expect(await refusal(processUpload(svg, 'logo.png', limits))).toBe('files.errors.type');
    expect(await refusal(processUpload(Buffer.from('<svg><script>alert(1)</script></svg>'), 'a.txt', limits))).toBe(
      'files.errors.type',
    );
    expect(await refusal(processUpload(Buffer.from('#!/bin/sh\nrm -rf ~\n'), 'readme.txt', limits))).toBe(
      'files.errors.type',
    );
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(120)]);
    expect(await refusal(processUpload(elf, 'photo.jpg', limits))).toBe('files.errors.type');
    const zip = Buffer.from('504b0304140000000000000000000000000000000000000000000000000000', 'hex');
    expect(await refusal(processUpload(zip, 'stuff.zip', limits))).toBe('files.errors.type');
  });

  it('refuses HEIC photos with a message that says what to do', async () => {
    const heic = Buffer.concat([
      Buffer.from([0, 0, 0, 0x18]),
      Buffer.from('ftypheic'),
      Buffer.from([0, 0, 0, 0]),
      Buffer.from('mif1heic'),
      Buffer.alloc(64),
    ]);
    expect(await refusal(processUpload(heic, 'IMG_1.HEIC', limits))).toBe('files.errors.heic');
  });

  it('takes plain UTF-8 text and a PDF as they are, named by what they are', async () => {
    const text = Buffer.from('Meds: 8am and 8pm.\nCall Sam on Tuesday — ask about the clinic.\n');
    const out = await processUpload(text, 'notes.exe', limits);
    expect(out).toMatchObject({ kind: 'file', contentType: 'text/plain; charset=utf-8', name: 'notes.txt' });
    expect(out.main.equals(text)).toBe(true);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    expect(await processUpload(pdf, '../../etc/diet plan.jpg', limits)).toMatchObject({
      kind: 'file',
      contentType: 'application/pdf',
      name: 'diet plan.pdf',
    });
  });

  it('refuses binary that is not text, and what a group does not take', async () => {
    for (const binary of [
      [0xff, 0xfe, 0, 1, 2, 3],
      [0x01, 0x02, 0x00, 0x9f, 0x33],
    ]) {
      expect(await refusal(processUpload(Buffer.from(binary), 'a.txt', limits))).toBe('files.errors.type');
    }
    const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
    expect(await refusal(processUpload(pdf, 'a.pdf', { ...limits, files: false }))).toBe('files.errors.filesOff');
    expect(await refusal(processUpload(await phonePhoto(), 'a.jpg', { ...limits, images: false }))).toBe(
      'files.errors.imagesOff',
    );
  });
});
