import { loadPromptCorpora, defaultCorporaDir, type PromptCorpora } from '../corpus-loader.js';
import { loadScenario, packageRoot } from '../scenario-loader.js';
import { PERSONA_NAMES, type PersonaName, type Scenario } from '../scenario-schema.js';
import { MESSAGE_OVERHEAD_TOKENS, tokensOf } from '../token-estimator.js';

export const CORPORA_DIR = defaultCorporaDir(packageRoot());

let corpora: PromptCorpora | undefined;

/** The real corpora, loaded once per test file. */
export function testCorpora(): PromptCorpora {
  corpora ??= loadPromptCorpora(CORPORA_DIR);
  return corpora;
}

export function smokeScenario(): Scenario {
  return loadScenario('smoke').scenario;
}

/** The personas a scenario holds: every one, except product customers it sets to 0. */
export function personasOf(scenario: Scenario): PersonaName[] {
  const { tutoring_app, translation_agency, synthetic_data_team, accessibility_app, document_pipeline, browser_automation } = scenario.personas;
  const none: string[] = [];
  if (accessibility_app.apps === 0) none.push('accessibility_app');
  if (document_pipeline.pipelines === 0) none.push('document_pipeline');
  if (browser_automation.platforms === 0) none.push('browser_automation');
  if (tutoring_app.apps === 0) none.push('tutoring_app');
  if (translation_agency.agencies === 0) none.push('translation_agency');
  if (synthetic_data_team.teams === 0) none.push('synthetic_data_team');
  return PERSONA_NAMES.filter((persona) => !none.includes(persona));
}

type Json = Record<string, unknown>;

const asList = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * Usage as the token rule predicts it from the bodies alone, next to what the response reports.
 * Written independently of the renderer, from the API shapes.
 */
export function usageAgreement(api: string, request: Json, response: Json): { expectedInput: number; reportedInput: number; expectedOutput: number; reportedOutput: number } {
  const usage = (response.usage ?? {}) as Record<string, number>;
  let input = 0;
  let output = 0;
  const tools = asList(request.tools);
  for (const tool of tools) input += tokensOf(JSON.stringify(tool));
  if (api === 'anthropic.messages') {
    const system = request.system;
    input += typeof system === 'string' ? tokensOf(system) : asList(system).reduce((sum, block) => sum + tokensOf(text(block.text)), 0);
    for (const message of asList(request.messages)) {
      input += MESSAGE_OVERHEAD_TOKENS;
      if (typeof message.content === 'string') {
        input += tokensOf(message.content);
        continue;
      }
      for (const block of asList(message.content)) {
        if (block.type === 'text') input += tokensOf(text(block.text));
        if (block.type === 'thinking') input += tokensOf(text(block.thinking));
        if (block.type === 'tool_use') input += tokensOf(JSON.stringify(block.input));
        if (block.type === 'tool_result') input += tokensOf(text(block.content));
      }
    }
    for (const block of asList(response.content)) {
      if (block.type === 'text') output += tokensOf(text(block.text));
      if (block.type === 'thinking') output += tokensOf(text(block.thinking));
      if (block.type === 'tool_use') output += tokensOf(JSON.stringify(block.input));
    }
    return {
      expectedInput: input,
      reportedInput: (usage.input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0),
      expectedOutput: output,
      reportedOutput: usage.output_tokens ?? -1,
    };
  }
  if (api === 'openai.chat_completions') {
    for (const message of asList(request.messages)) {
      input += MESSAGE_OVERHEAD_TOKENS + tokensOf(text(message.content));
      for (const call of asList(message.tool_calls)) input += tokensOf(text((call.function as Json).arguments));
    }
    for (const choice of asList(response.choices)) {
      const message = choice.message as Json;
      output += tokensOf(text(message.content));
      for (const call of asList(message.tool_calls)) output += tokensOf(text((call.function as Json).arguments));
    }
    output += ((usage as unknown as { completion_tokens_details?: { reasoning_tokens?: number } }).completion_tokens_details?.reasoning_tokens ?? 0);
    return { expectedInput: input, reportedInput: usage.prompt_tokens ?? -1, expectedOutput: output, reportedOutput: usage.completion_tokens ?? -1 };
  }
  input += tokensOf(text(request.instructions));
  if (typeof request.input === 'string') {
    input += MESSAGE_OVERHEAD_TOKENS + tokensOf(request.input);
  } else {
    for (const item of asList(request.input)) {
      input += MESSAGE_OVERHEAD_TOKENS;
      if (item.type === 'function_call_output') input += tokensOf(text(item.output));
      else if (item.type === 'function_call') input += tokensOf(text(item.arguments));
      else for (const part of asList(item.content)) input += tokensOf(text(part.text));
    }
  }
  for (const item of asList(response.output)) {
    if (item.type === 'message') for (const part of asList(item.content)) output += tokensOf(text(part.text));
    if (item.type === 'function_call') output += tokensOf(text(item.arguments));
  }
  output += ((usage as unknown as { output_tokens_details?: { reasoning_tokens?: number } }).output_tokens_details?.reasoning_tokens ?? 0);
  return { expectedInput: input, reportedInput: usage.input_tokens ?? -1, expectedOutput: output, reportedOutput: usage.output_tokens ?? -1 };
}
