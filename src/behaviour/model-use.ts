import { BlockSlabs } from './block-slabs.js';
import type { ObservedExchange } from './account-state.js';

const DAY_MS = 86_400_000;

/** Where each real-valued field of a model use sits in its block of the model slab. */
const USE_FIRST_TS = 0;
const USE_MAX_TOKENS_LOG = 1;
const USE_MAX_TOKENS_LOG_SQUARES = 2;
const USE_OUTPUT_LOG = 3;
const USE_OUTPUT_LOG_SQUARES = 4;
const USE_LENGTH = 5;
const USE_SLABS = new BlockSlabs((length) => new Float64Array(length), USE_LENGTH);

/**
 * An account's use of one model. Its times and sums of logs live in a block of a shared slab (as
 * the account's own do, see `AccountState`): boxed numbers of their own would be five more
 * objects per account for the collector to trace.
 */
export class ModelUse {
  count = 0;
  /** Exchanges sent within 24 hours of the model's first appearance in the traffic. */
  early = 0;
  maxTokensCount = 0;
  outputCount = 0;
  private readonly values: Float64Array;
  private readonly at: number;

  constructor(
    /** The model's index in the tracker. */
    readonly model: number,
    firstTs: number,
  ) {
    this.at = USE_SLABS.take();
    this.values = USE_SLABS.current;
    this.values[this.at + USE_FIRST_TS] = firstTs;
  }

  get firstTs(): number {
    return this.values[this.at + USE_FIRST_TS]!;
  }

  /**
   * log2 of `max_tokens` over the successful requests that set it (sum, sum of squares, count),
   * and the same of 1 + output tokens over the successful responses that report them: compared
   * with the model's typical account when the account is summarised, since "a large budget" or
   * "a long answer" means something different for every model.
   */
  get maxTokensLog(): number {
    return this.values[this.at + USE_MAX_TOKENS_LOG]!;
  }

  get maxTokensLogSquares(): number {
    return this.values[this.at + USE_MAX_TOKENS_LOG_SQUARES]!;
  }

  get outputLog(): number {
    return this.values[this.at + USE_OUTPUT_LOG]!;
  }

  get outputLogSquares(): number {
    return this.values[this.at + USE_OUTPUT_LOG_SQUARES]!;
  }

  /** Adds one exchange with this model. */
  observe(x: ObservedExchange): void {
    const { values, at } = this;
    this.count++;
    if (x.ts < values[at + USE_FIRST_TS]!) values[at + USE_FIRST_TS] = x.ts;
    if (x.modelAgeMs <= DAY_MS) this.early++;
    // Refused and failed requests say nothing about what an account takes from the model.
    if (x.status >= 400) return;
    if (x.maxTokens > 0) {
      const log = Math.log2(x.maxTokens);
      values[at + USE_MAX_TOKENS_LOG]! += log;
      values[at + USE_MAX_TOKENS_LOG_SQUARES]! += log * log;
      this.maxTokensCount++;
    }
    if (x.outputTokens > 0) {
      const log = Math.log2(1 + x.outputTokens);
      values[at + USE_OUTPUT_LOG]! += log;
      values[at + USE_OUTPUT_LOG_SQUARES]! += log * log;
      this.outputCount++;
    }
  }

  /** Adds another account's use of the same model. */
  merge(other: ModelUse): void {
    const { values, at } = this;
    this.count += other.count;
    this.early += other.early;
    this.maxTokensCount += other.maxTokensCount;
    this.outputCount += other.outputCount;
    values[at + USE_FIRST_TS] = Math.min(values[at + USE_FIRST_TS]!, other.firstTs);
    for (let i = USE_MAX_TOKENS_LOG; i < USE_LENGTH; i++) values[at + i]! += other.values[other.at + i]!;
  }
}
