import { deflateSync } from 'node:zlib';

/*
 * The app's icons, drawn here rather than kept as image files: two linked rings (people holding
 * each other up) in the page's colours, as PNGs at the sizes phones ask for. Each is drawn once
 * per process, the first time it is asked for, and is the same in every process.
 */

/** The stylesheet's colours (src/client/styles.css: --brand and --paper). */
export const themeColour = '#2f5d62';
export const backgroundColour = '#fbfaf7';

export const icons = {
  'icon-192.png': { size: 192, maskable: false },
  'icon-512.png': { size: 512, maskable: false },
  'icon-maskable-512.png': { size: 512, maskable: true },
} as const;
export type IconName = keyof typeof icons;

export function isIcon(name: string): name is IconName {
  return Object.hasOwn(icons, name);
}

const drawn = new Map<IconName, Buffer>();

export function iconPng(name: IconName): Buffer {
  let png = drawn.get(name);
  if (!png) {
    const { size, maskable } = icons[name];
    png = encodePng(size, draw(size, maskable));
    drawn.set(name, png);
  }
  return png;
}

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];

/**
 * RGBA pixels. A maskable icon fills its square (the phone cuts its own shape out of it) and keeps
 * the rings inside the middle 80%; the other has rounded corners and is transparent outside them.
 */
function draw(size: number, maskable: boolean): Uint8Array {
  const pixels = new Uint8Array(size * size * 4);
  const [br, bg, bb] = rgb(themeColour);
  const [fr, fg, fb] = rgb(backgroundColour);
  const corner = maskable ? 0 : 0.22;
  const rings = [
    { x: 0.4, y: 0.5 },
    { x: 0.6, y: 0.5 },
  ];
  const radius = 0.19;
  const stroke = 0.035;
  const onRing = (x: number, y: number) => rings.some((c) => Math.abs(Math.hypot(x - c.x, y - c.y) - radius) <= stroke);
  // Four by four samples a pixel near an edge, for smooth edges; one elsewhere.
  const n = 4;
  const pixel = 1 / size;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const cx = (px + 0.5) * pixel;
      const cy = (py + 0.5) * pixel;
      const edge = Math.min(...rings.map((c) => Math.abs(Math.abs(Math.hypot(cx - c.x, cy - c.y) - radius) - stroke)));
      const nearCorner = corner > 0 && Math.min(cx, 1 - cx) < corner + pixel && Math.min(cy, 1 - cy) < corner + pixel;
      const o = (py * size + px) * 4;
      if (edge > pixel && !nearCorner) {
        const c = onRing(cx, cy) ? [fr, fg, fb] : [br, bg, bb];
        pixels.set([c[0]!, c[1]!, c[2]!, 255], o);
        continue;
      }
      let inside = 0;
      let ring = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = (px + (sx + 0.5) / n) / size;
          const y = (py + (sy + 0.5) / n) / size;
          if (!inRoundedSquare(x, y, corner)) continue;
          inside += 1;
          if (onRing(x, y)) ring += 1;
        }
      }
      const share = inside === 0 ? 0 : ring / inside;
      pixels[o] = Math.round(br + (fr - br) * share);
      pixels[o + 1] = Math.round(bg + (fg - bg) * share);
      pixels[o + 2] = Math.round(bb + (fb - bb) * share);
      pixels[o + 3] = Math.round((255 * inside) / (n * n));
    }
  }
  return pixels;
}

function inRoundedSquare(x: number, y: number, r: number): boolean {
  if (r === 0) return true;
  const dx = Math.max(r - x, 0, x - (1 - r));
  const dy = Math.max(r - y, 0, y - (1 - r));
  return dx * dx + dy * dy <= r * r;
}

/** A PNG of 8-bit RGBA pixels (https://www.w3.org/TR/png/): signature, IHDR, one IDAT, IEND. */
function encodePng(size: number, pixels: Uint8Array): Buffer {
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    // Each row starts with its filter type: 0, none.
    rows[y * (size * 4 + 1)] = 0;
    Buffer.from(pixels.buffer, pixels.byteOffset + y * size * 4, size * 4).copy(rows, y * (size * 4 + 1) + 1);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // colour type: RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
