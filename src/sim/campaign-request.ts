import type { RequestSpec, TurnSpec } from './exchange-spec.js';
import { baseRequest } from './exchange-spec.js';
import { TEXT_CAMPAIGN_TASKS, CAMPAIGN_TASKS, type CampaignTask } from './scenario-schema.js';
import { mix32 } from './seeded-rng.js';
import type { SessionRequest } from './task-kit.js';
import type { CampaignRuntime } from './world-model.js';

/**
 * The request settings every campaign task shares: the account's token habits, maxed limits,
 * thinking and samples as the campaign sets them, and the campaign's rotated system prompts.
 */
/** The text task families' count: the stride accounts' usual prompts were first numbered with, kept so that they stay the same. */
const TASK_STRIDE = TEXT_CAMPAIGN_TASKS.length;

export function campaignRequest(request: SessionRequest, runtime: CampaignRuntime, messages: TurnSpec[], extra: Partial<RequestSpec>): RequestSpec {
  const { rng, account, api } = request;
  const content = runtime.config.content;
  const reasoning = rng.chance(content.thinking_share) ? 'high' : null;
  return baseRequest({
    messages,
    maxTokens: account.habits.maxTokens,
    maxedTokens: rng.chance(content.maxed_tokens_share),
    temperature: account.habits.temperature,
    stream: rng.chance(account.habits.stream),
    reasoning,
    thinkingBudget: reasoning === null ? null : rng.pick([12000, 16000, 24000, 32000]),
    n: api === 'openai.chat_completions' && rng.chance(content.multi_sample_share) ? rng.range(2, 3) : 1,
    ...extra,
  });
}

/**
 * The system prompt of a request when the campaign composes its own: most requests of an
 * account use its usual one, the rest any of the campaign's. `undefined` keeps the sketch's.
 */
export function composedSystem(request: SessionRequest, runtime: CampaignRuntime, task: CampaignTask): string | null | undefined {
  if (runtime.systemPrompts === null) return undefined;
  const prompts = runtime.systemPrompts[task];
  if (prompts === undefined || prompts.length === 0) return null;
  const { rng, account } = request;
  return rng.chance(0.6) ? prompts[mix32(account.index * TASK_STRIDE + CAMPAIGN_TASKS.indexOf(task)) % prompts.length]! : rng.pick(prompts);
}
