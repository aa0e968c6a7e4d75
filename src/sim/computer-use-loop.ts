import type { ExchangeSpec, ImageSpec, RequestSpec, ResponseSpec, ToolCallSpec, TurnSpec } from './exchange-spec.js';
import type { ToolSpec } from './tool-catalog.js';
import { imageOf, type ImageProfile } from './image-kit.js';
import { COMPUTER_NARRATION, KEY_PRESSES, TYPED_TEXTS } from './vision-prompt-bank.js';
import { narrationText, reasoningText, topicOf, type ResponseStyle } from './response-synthesizer.js';
import { outputLength, responseOf, toolCallId, type SessionRequest } from './task-kit.js';
import type { Rng } from './seeded-rng.js';

/**
 * Computer-use agent loops: the model acts on a screen (click at x,y, type, press keys, scroll,
 * take a screenshot) and every action is answered with a screenshot. On the Anthropic API the
 * client defines Anthropic's computer tool for its display; elsewhere it defines its own
 * function tools, as OpenAI chat and function-tool clients do.
 */
const obj = (properties: Record<string, unknown>, required: string[]) => ({ type: 'object', properties, required });
const integer = { type: 'integer' };
const string = { type: 'string' };

const noArgs = () => ({});
const ok = () => 'ok';

/** Function tools for screens: what agent frameworks define when they bring their own computer tool. */
export const SCREEN_FUNCTION_TOOLS: readonly ToolSpec[] = [
  { name: 'click', description: 'Click at a screen position.', parameters: obj({ x: integer, y: integer, button: { type: 'string', enum: ['left', 'right', 'middle'] } }, ['x', 'y']), args: noArgs, result: ok },
  { name: 'double_click', description: 'Double-click at a screen position.', parameters: obj({ x: integer, y: integer }, ['x', 'y']), args: noArgs, result: ok },
  { name: 'type_text', description: 'Type text at the cursor.', parameters: obj({ text: string }, ['text']), args: noArgs, result: ok },
  { name: 'press_key', description: 'Press a key or key combination.', parameters: obj({ keys: string }, ['keys']), args: noArgs, result: ok },
  { name: 'scroll', description: 'Scroll at a screen position.', parameters: obj({ x: integer, y: integer, direction: { type: 'string', enum: ['up', 'down', 'left', 'right'] }, amount: integer }, ['x', 'y', 'direction']), args: noArgs, result: ok },
  { name: 'screenshot', description: 'Take a screenshot of the screen.', parameters: obj({}, []), args: noArgs, result: ok },
];

const computerTools = new Map<string, ToolSpec>();

/**
 * Anthropic's computer tool for a display (one object per display size, so that tool sets
 * repeat and are serialised once). The API adds about 735 input tokens for its definition.
 */
export function anthropicComputerTool(width: number, height: number): ToolSpec {
  const key = `${width}x${height}`;
  let tool = computerTools.get(key);
  if (tool === undefined) {
    tool = {
      name: 'computer',
      description: '',
      parameters: {},
      args: noArgs,
      result: () => '',
      anthropicBuiltin: { definition: { type: 'computer_20250124', name: 'computer', display_width_px: width, display_height_px: height, display_number: 1 }, tokens: 735 },
    };
    computerTools.set(key, tool);
  }
  return tool;
}

type Action = 'click' | 'double_click' | 'type' | 'key' | 'scroll' | 'screenshot';
const ACTIONS: readonly Action[] = ['click', 'click', 'click', 'click', 'type', 'type', 'key', 'scroll', 'scroll', 'screenshot', 'double_click'];

function actionCall(request: SessionRequest, builtin: boolean, action: Action, width: number, height: number): ToolCallSpec {
  const { rng, api } = request;
  const x = rng.range(8, width - 8);
  const y = rng.range(8, height - 8);
  let name: string;
  let args: Record<string, unknown>;
  if (builtin) {
    name = 'computer';
    if (action === 'click') args = { action: 'left_click', coordinate: [x, y] };
    else if (action === 'double_click') args = { action: 'double_click', coordinate: [x, y] };
    else if (action === 'type') args = { action: 'type', text: rng.pick(TYPED_TEXTS) };
    else if (action === 'key') args = { action: 'key', text: rng.pick(KEY_PRESSES) };
    else if (action === 'scroll') args = { action: 'scroll', coordinate: [x, y], scroll_direction: rng.pick(['down', 'down', 'up']), scroll_amount: rng.range(2, 10) };
    else args = { action: 'screenshot' };
  } else {
    name = action === 'type' ? 'type_text' : action === 'key' ? 'press_key' : action;
    if (action === 'click') args = { x, y, button: 'left' };
    else if (action === 'double_click') args = { x, y };
    else if (action === 'type') args = { text: rng.pick(TYPED_TEXTS) };
    else if (action === 'key') args = { keys: rng.pick(KEY_PRESSES) };
    else if (action === 'scroll') args = { x, y, direction: rng.pick(['down', 'down', 'up']), amount: rng.range(2, 10) };
    else args = {};
  }
  return { id: toolCallId(api, rng), name, args, argsJson: JSON.stringify(args) };
}

export interface ComputerUseOptions {
  task: string;
  display: readonly [number, number];
  /** Anthropic's computer tool (on the Anthropic API) rather than function tools. */
  builtin: boolean;
  /** The screenshots' format and sizes. */
  screenshots: ImageProfile;
  /** Whether the task message comes with a first screenshot. */
  openingScreenshot: boolean;
  makeSpec: (messages: TurnSpec[], tools: readonly ToolSpec[]) => RequestSpec;
  narration: 'short' | readonly [number, number];
  finalStyle: ResponseStyle;
  finalLength: number;
}

function screenshot(rng: Rng, options: ComputerUseOptions): ImageSpec {
  return imageOf(rng.u32(), options.screenshots, options.display);
}

/**
 * `request.turns` steps of a computer-use agent. Older steps are folded into a summary and their
 * screenshots dropped, as computer-use clients keep only the latest screenshots, so each request
 * carries the task, the last action and the screenshot that answered it.
 */
export function computerUseLoop(request: SessionRequest, options: ComputerUseOptions): ExchangeSpec[] {
  const { rng, api } = request;
  const builtin = options.builtin && api === 'anthropic.messages';
  const [width, height] = options.display;
  const tools = builtin ? [anthropicComputerTool(width, height)] : SCREEN_FUNCTION_TOOLS;
  const topic = topicOf(options.task);
  const opening = options.openingScreenshot ? [screenshot(rng, options)] : undefined;
  const steps: { narration: string; call: ToolCallSpec; result: ImageSpec; thinking: string }[] = [];
  const out: ExchangeSpec[] = [];
  for (let k = 0; k < request.turns; k++) {
    const messages: TurnSpec[] = [];
    let task = options.task;
    const done = steps.length - 1;
    if (done > 0) task += `\n\n(${done} earlier action${done > 1 ? 's' : ''} done; older screenshots omitted.)`;
    messages.push(opening !== undefined && done <= 0 ? { role: 'user', text: task, images: opening } : { role: 'user', text: task });
    const last = steps.at(-1);
    if (last !== undefined) {
      messages.push({ role: 'assistant', text: last.narration, toolCalls: [last.call], thinking: last.thinking });
      messages.push({ role: 'user', text: '', toolResults: [{ id: last.call.id, text: builtin ? '' : 'ok', images: [last.result] }] });
    }
    const spec = options.makeSpec(messages, tools);
    if (k === request.turns - 1) {
      out.push({ request: spec, response: responseOf(request, spec, options.finalStyle, topic, options.finalLength) });
      break;
    }
    const call = actionCall(request, builtin, k === 0 && options.openingScreenshot === false ? 'screenshot' : rng.pick(ACTIONS), width, height);
    const narration = options.narration === 'short' ? rng.pick(COMPUTER_NARRATION) : narrationText(rng, outputLength(rng, options.narration));
    const thinking = spec.reasoning === null ? '' : reasoningText(rng, Math.round(rng.uniform(80, 260)), topic);
    const response: ResponseSpec = { texts: [narration], reasoning: thinking, toolCalls: [call] };
    out.push({ request: spec, response });
    steps.push({ narration, call, result: screenshot(rng, options), thinking });
  }
  return out;
}
