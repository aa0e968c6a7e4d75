import type { ImageFormat, ImageSpec } from './exchange-spec.js';
import { mix32 } from './seeded-rng.js';

/**
 * The bytes of a simulated image, as base64: a real PNG or JPEG header (signature, dimensions)
 * followed by a seeded byte pattern, no real encoding. Consumers that sniff the format or read
 * the dimensions see a PNG or JPEG of the stated size; everything past the header repeats a
 * short seeded block, so an image costs little to build and its gzip member stays small while
 * the line keeps the image's real length.
 */
const PATTERN_BYTES = 768;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const PNG_IEND = [0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];

export const MEDIA_TYPES: Record<ImageFormat, string> = { png: 'image/png', jpeg: 'image/jpeg' };

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: readonly number[]): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const u32 = (value: number) => [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
const u16 = (value: number) => [(value >>> 8) & 0xff, value & 0xff];

function pngHeader(image: ImageSpec, bodyLength: number): number[] {
  const ihdr = [0x49, 0x48, 0x44, 0x52, ...u32(image.width), ...u32(image.height), 8, 2, 0, 0, 0];
  // The IDAT chunk opens with a zlib header, as every PNG's does.
  return [...PNG_SIGNATURE, ...u32(13), ...ihdr, ...u32(crc32(ihdr)), ...u32(bodyLength + 2), 0x49, 0x44, 0x41, 0x54, 0x78, 0x01];
}

function jpegHeader(image: ImageSpec): number[] {
  const app0 = [0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x48, 0x00, 0x48, 0x00, 0x00];
  const sof0 = [0xff, 0xc0, 0x00, 0x11, 0x08, ...u16(image.height), ...u16(image.width), 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01];
  const sos = [0xff, 0xda, 0x00, 0x0c, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3f, 0x00];
  return [0xff, 0xd8, ...app0, ...sof0, ...sos];
}

function patternOf(seed: number, format: ImageFormat): Uint8Array {
  const out = new Uint8Array(PATTERN_BYTES);
  let state = seed >>> 0;
  for (let i = 0; i < PATTERN_BYTES; i += 4) {
    state = mix32(state + 0x9e3779b9);
    out[i] = state & 0xff;
    out[i + 1] = (state >>> 8) & 0xff;
    out[i + 2] = (state >>> 16) & 0xff;
    out[i + 3] = state >>> 24;
  }
  // JPEG entropy-coded data never holds a bare 0xFF (it would read as a marker).
  if (format === 'jpeg') for (let i = 0; i < PATTERN_BYTES; i++) if (out[i] === 0xff) out[i] = 0xfe;
  return out;
}

function encode(image: ImageSpec): string {
  const trailerOf = (pattern: Uint8Array) => (image.format === 'png' ? [pattern[0]!, pattern[1]!, pattern[2]!, pattern[3]!, ...PNG_IEND] : [0xff, 0xd9]);
  const pattern = patternOf(image.seed, image.format);
  const trailer = trailerOf(pattern);
  const headerLength = image.format === 'png' ? pngHeader(image, 0).length : jpegHeader(image).length;
  const bodyLength = Math.max(PATTERN_BYTES, image.bytes - headerLength - trailer.length);
  const header = image.format === 'png' ? pngHeader(image, bodyLength) : jpegHeader(image);
  // Base64 of a concatenation is the concatenation of base64s when every piece but the last is
  // a multiple of three bytes long: the header takes the body's first bytes to get there, the
  // body's periodic middle is one encoded period repeated, the rest ends the file.
  const lead = (3 - (header.length % 3)) % 3;
  const body = (offset: number) => pattern[offset % PATTERN_BYTES]!;
  const head = Buffer.from([...header, ...Array.from({ length: lead }, (_, i) => body(i))]);
  const periods = Math.floor((bodyLength - lead) / PATTERN_BYTES);
  const period = Buffer.from(Array.from({ length: PATTERN_BYTES }, (_, i) => body(lead + i)));
  const restFrom = lead + periods * PATTERN_BYTES;
  const tail = Buffer.from([...Array.from({ length: bodyLength - restFrom }, (_, i) => body(restFrom + i)), ...trailer]);
  return head.toString('base64') + period.toString('base64').repeat(periods) + tail.toString('base64');
}

const recent = new Map<string, string>();
const RECENT_LIMIT = 16;

/** The image file as base64 (no data-URL prefix). Re-sent images are served from a small cache. */
export function imageBase64(image: ImageSpec): string {
  const key = `${image.seed}/${image.format}/${image.bytes}/${image.width}x${image.height}`;
  let data = recent.get(key);
  if (data === undefined) {
    data = encode(image);
    if (recent.size >= RECENT_LIMIT) recent.delete(recent.keys().next().value!);
    recent.set(key, data);
  }
  return data;
}

/** What OpenAI's `image_url` carries: the link, or the bytes as a data URL. */
export function imageUrlOf(image: ImageSpec): string {
  return image.url ?? `data:${MEDIA_TYPES[image.format]};base64,${imageBase64(image)}`;
}
