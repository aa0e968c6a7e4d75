import { fmix32, murmur32 } from '../../util/hash64.js';
import { isRecord } from './json-value-reader.js';

/** Whatever counts the images met while reading content, usually a `MessageBuilder`. */
export interface ImageTally {
  imageCount: number;
  /** The images' identities combined in order (`combineImageKeys`); absent while none is known. */
  imageKey?: number;
}

/** Counts an image part onto `tally` and folds its identity into the tally's key. */
export function tallyImage(tally: ImageTally, part: Record<string, unknown>): void {
  tally.imageCount++;
  const key = imageSourceKey(part);
  if (key !== 0) tally.imageKey = combineImageKeys(tally.imageKey ?? 0, key);
}

/**
 * A 32-bit key of the image a part carries: a hash of its whole base64 data, URL or file id (0
 * when the part names none). Two requests with the same text but different images are different
 * prompts, and the same screenshot or photo sent again is the same one; the data is hashed whole,
 * since images that differ in a few bytes are still different images to the model.
 */
export function imageSourceKey(part: Record<string, unknown>): number {
  const source = part.source;
  let text: unknown;
  if (isRecord(source)) text = source.data ?? source.url ?? source.file_id;
  else {
    const url = part.image_url;
    text = isRecord(url) ? url.url : (url ?? part.file_id);
  }
  if (typeof text !== 'string' || text.length === 0) return 0;
  // A data URL carries the same base64 as an Anthropic source: key the data alone, so that one
  // image has one key through every API (gateways translate between them).
  const data = text.startsWith('data:') ? text.slice(text.indexOf(',') + 1) : text;
  return murmur32(data, IMAGE_SEED) >>> 0 || 1;
}

/** Order-dependent: the same images in another order make another request. */
export function combineImageKeys(combined: number, key: number): number {
  return fmix32((Math.imul(combined, 0x9e3779b1) ^ key) >>> 0) || 1;
}

const IMAGE_SEED = 0x696d6167;

/**
 * The text of a `content` value given either as a string or as an array of parts, the shape
 * shared by Anthropic system prompts and tool results, OpenAI chat message content and Responses
 * message content and tool outputs. Text parts are `text` (Anthropic, chat) or `input_text` /
 * `output_text` (Responses); accepting all three everywhere costs nothing and survives gateways
 * that translate between the APIs. Image parts are counted onto `images` when given, so that a
 * screenshot returned inside a tool result counts as an image of that message; documents and
 * files are not images.
 */
export function readContentText(content: unknown, separator: string, images: ImageTally | null): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let first: string | null = null;
  let parts: string[] | null = null;
  for (let i = 0; i < content.length; i++) {
    const part: unknown = content[i];
    if (!isRecord(part)) continue;
    const type = part.type;
    if (type === 'text' || type === 'input_text' || type === 'output_text') {
      const text = part.text;
      if (typeof text !== 'string' || text.length === 0) continue;
      // Most content arrays hold a single text part: return it without allocating an array.
      if (first === null) first = text;
      else if (parts === null) parts = [first, text];
      else parts.push(text);
    } else if (images !== null && isImagePartType(type)) {
      tallyImage(images, part);
    }
  }
  if (parts !== null) return parts.join(separator);
  return first ?? '';
}

export function isImagePartType(type: unknown): boolean {
  return type === 'image' || type === 'image_url' || type === 'input_image' || type === 'computer_screenshot';
}
