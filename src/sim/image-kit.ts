import type { ImageDetail, ImageFormat, ImageSpec } from './exchange-spec.js';
import { BASE62, HEX, createRng, type Rng } from './seeded-rng.js';

/**
 * Drawing images for requests: what kind of picture (phone photo, scanned page, screenshot,
 * chart), its dimensions and file size, and where it is hosted when sent as a link. An image is
 * a function of its seed and its profile, so sending the same seed again re-sends the same
 * image (same bytes, same link).
 */
export type ImageKind = 'photo' | 'scan' | 'screen' | 'figure';

export interface ImageProfile {
  kind: ImageKind;
  /** Share of images that are JPEG; the rest PNG. */
  jpegShare: number;
  kilobytes: readonly [number, number];
  urlShare: number;
  /** Link prefix (scheme, host and path) for images sent as links. */
  urlBase: string;
  /** Appended to a link (a pre-signed URL's query), empty for none. */
  urlQuery?: (rng: Rng, urlBase: string) => string;
  detail: ImageDetail | null;
}

const PHOTO_SIZES: ReadonlyArray<readonly [number, number]> = [
  [4032, 3024], [1024, 768], [1280, 960], [1536, 2048], [768, 1024], [1170, 2532], [1080, 1920], [2048, 1536], [1600, 1200],
];
const SCAN_SIZES: ReadonlyArray<readonly [number, number]> = [[1700, 2200], [1275, 1650], [2480, 3508], [1240, 1754], [2550, 3300]];
const SCREEN_SIZES: ReadonlyArray<readonly [number, number]> = [[1920, 1080], [1440, 900], [1366, 768], [1280, 800], [2560, 1440], [1024, 768]];
const FIGURE_SIZES: ReadonlyArray<readonly [number, number]> = [[800, 600], [1200, 800], [1000, 700], [640, 480], [1600, 900], [900, 900]];

const SIZES: Record<ImageKind, ReadonlyArray<readonly [number, number]>> = { photo: PHOTO_SIZES, scan: SCAN_SIZES, screen: SCREEN_SIZES, figure: FIGURE_SIZES };

/** A value drawn log-uniform from [low, high]: file sizes spread over an order of magnitude. */
export function logUniform(rng: Rng, low: number, high: number): number {
  return Math.exp(rng.uniform(Math.log(low), Math.log(Math.max(low, high))));
}

/** The image of `seed` under `profile`; `size` fixes the dimensions (a screenshot of a known display). */
export function imageOf(seed: number, profile: ImageProfile, size?: readonly [number, number]): ImageSpec {
  const rng = createRng(seed, 0x1a6e);
  const format: ImageFormat = rng.chance(profile.jpegShare) ? 'jpeg' : 'png';
  const [width, height] = size ?? rng.pick(SIZES[profile.kind]);
  const bytes = Math.round(logUniform(rng, profile.kilobytes[0], profile.kilobytes[1]) * 1024);
  const linked = rng.chance(profile.urlShare);
  const name = rng.chars(rng.pick([16, 22, 32]), rng.chance(0.5) ? HEX : BASE62);
  const url = linked ? `${profile.urlBase}${name}.${format === 'jpeg' ? rng.pick(['jpg', 'jpg', 'jpeg']) : 'png'}${profile.urlQuery?.(rng, profile.urlBase) ?? ''}` : null;
  return { format, width, height, bytes, seed, url, detail: profile.detail };
}

const BUCKET_WORDS = ['assets', 'media', 'img', 'data', 'uploads', 'files', 'store', 'static', 'content', 'cdn'];

/** A storage bucket link prefix (S3, GCS, Azure, R2), as clients link images they host themselves. */
export function bucketUrlBase(rng: Rng): string {
  const bucket = `${rng.pick(BUCKET_WORDS)}-${rng.chars(rng.range(4, 9), 'abcdefghijklmnopqrstuvwxyz0123456789')}`;
  const folder = rng.pick(['', 'images/', 'i/', 'raw/', 'batch/', 'up/']);
  switch (rng.int(4)) {
    case 0:
      return `https://${bucket}.s3.${rng.pick(['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-1'])}.amazonaws.com/${folder}`;
    case 1:
      return `https://storage.googleapis.com/${bucket}/${folder}`;
    case 2:
      return `https://${bucket}.blob.core.windows.net/${folder || 'images/'}`;
    default:
      return `https://pub-${rng.chars(32, HEX)}.r2.dev/${folder}`;
  }
}

/** The query of a pre-signed link (S3 or GCS signing, by the host), valid for a few minutes. */
export function presignedQuery(rng: Rng, urlBase: string): string {
  const two = (low: number, high: number) => String(rng.range(low, high)).padStart(2, '0');
  const stamp = `2026${two(1, 3)}${two(1, 28)}T${two(0, 23)}${two(0, 59)}${two(0, 59)}Z`;
  const expires = rng.pick([300, 900, 3600]);
  if (urlBase.includes('amazonaws.com')) return `?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=${stamp}&X-Amz-Expires=${expires}&X-Amz-SignedHeaders=host&X-Amz-Signature=${rng.chars(64, HEX)}`;
  if (urlBase.includes('googleapis.com')) return `?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Date=${stamp}&X-Goog-Expires=${expires}&X-Goog-SignedHeaders=host&X-Goog-Signature=${rng.chars(256, HEX)}`;
  if (urlBase.includes('windows.net')) return `?sv=2024-11-04&se=${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}&sr=b&sp=r&sig=${rng.chars(43, BASE62)}%3D`;
  return '';
}
