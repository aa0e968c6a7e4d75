import { isRecord } from './json-value-reader.js';

/** Whatever counts the images met while reading content, usually a `MessageBuilder`. */
export interface ImageTally {
  imageCount: number;
}

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
      images.imageCount++;
    }
  }
  if (parts !== null) return parts.join(separator);
  return first ?? '';
}

export function isImagePartType(type: unknown): boolean {
  return type === 'image' || type === 'image_url' || type === 'input_image' || type === 'computer_screenshot';
}
