// Test images made on the fly (no binary fixtures in the repository): sharp-generated JPEG/PNG/GIF/WebP,
// a JPEG with an EXIF orientation tag, and a hand-made PNG header declaring a huge size (pixel bomb).
import { deflateSync } from "node:zlib";
import sharp from "sharp";

type Rgb = { r: number; g: number; b: number };

/** A width × height image: left half `left`, right half `right` (so a rotation is visible). */
export async function twoToneImage(
  width: number,
  height: number,
  format: "jpeg" | "png" | "webp" | "gif",
  options: { left?: Rgb; right?: Rgb; orientation?: number } = {},
): Promise<Buffer> {
  const left = options.left ?? { r: 220, g: 20, b: 20 };
  const right = options.right ?? { r: 20, g: 20, b: 220 };
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = x < width / 2 ? left : right;
      const i = (y * width + x) * 3;
      raw[i] = c.r;
      raw[i + 1] = c.g;
      raw[i + 2] = c.b;
    }
  }
  let image = sharp(raw, { raw: { width, height, channels: 3 } });
  if (options.orientation) image = image.withMetadata({ orientation: options.orientation });
  switch (format) {
    case "jpeg":
      return image.jpeg({ quality: 90 }).toBuffer();
    case "png":
      return image.png().toBuffer();
    case "webp":
      return image.webp({ quality: 90 }).toBuffer();
    case "gif":
      return image.gif().toBuffer();
  }
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/**
 * A small PNG whose header declares width × height (default 50000 × 50000 = 2.5 gigapixels) with a
 * few rows of real, highly compressible pixel data: a decompression bomb's shape, a few KB on disk.
 */
export function pixelBombPng(width = 50_000, height = 50_000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grayscale
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  // 16 rows of zeros (filter byte + width bytes each): compresses to almost nothing.
  const rows = deflateSync(Buffer.alloc((width + 1) * 16));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", rows), chunk("IEND", Buffer.alloc(0))]);
}

/** The average colour of a small square around (x, y). */
export async function colourAt(image: Buffer, x: number, y: number): Promise<Rgb> {
  const { data } = await sharp(image).extract({ left: Math.max(0, x - 2), top: Math.max(0, y - 2), width: 4, height: 4 }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let r = 0;
  let g = 0;
  let b = 0;
  for (let i = 0; i < data.length; i += 3) {
    r += data[i]!;
    g += data[i + 1]!;
    b += data[i + 2]!;
  }
  const n = data.length / 3;
  return { r: r / n, g: g / n, b: b / n };
}
