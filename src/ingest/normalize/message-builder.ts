import type { Message, MessageRole, ToolCall, ToolResult } from '../../model/exchange.js';

/**
 * Collects the parts of one message while its content blocks are walked, and joins the texts
 * once at the end rather than concatenating per block.
 */
export class MessageBuilder {
  readonly role: MessageRole;
  readonly toolCalls: ToolCall[] = [];
  readonly toolResults: ToolResult[] = [];
  imageCount = 0;
  imageKey: number | undefined = undefined;
  /** Non-empty texts only, so that the join leaves no stray separators. */
  readonly reasoningParts: string[] = [];
  private readonly textParts: string[] = [];

  constructor(role: MessageRole) {
    this.role = role;
  }

  /** Empty and non-string parts are skipped. */
  addText(text: unknown): void {
    if (typeof text === 'string' && text.length > 0) this.textParts.push(text);
  }

  addReasoning(text: unknown): void {
    if (typeof text === 'string' && text.length > 0) this.reasoningParts.push(text);
  }

  build(): Message {
    const message: Message = {
      role: this.role,
      text: this.textParts.join('\n'),
      toolCalls: this.toolCalls,
      toolResults: this.toolResults,
      imageCount: this.imageCount,
      reasoningText: this.reasoningParts.join('\n'),
    };
    if (this.imageKey !== undefined) message.imageKey = this.imageKey;
    return message;
  }
}
