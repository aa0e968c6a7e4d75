import type { ExchangeSpec } from './exchange-spec.js';
import { fillProbe } from './probe-bank.js';
import { campaignTaskSession, drawCampaignSession, seedRequest } from './campaign-tasks.js';
import { campaignRequest } from './campaign-request.js';
import { conversation, outputLength, type SessionRequest } from './task-kit.js';
import type { ContentHabits } from './world-model.js';

/**
 * What a conversational probing campaign sends: a seed question (a reasoning problem, or an
 * answer to grade), then generic follow-up probes from the sketch's wordings that make the
 * model explain, justify, re-derive and vary its reasoning. Every follow-up carries the whole
 * conversation so far, the model's answers included, as multi-turn API calls do. Other task
 * families are sent as the first kinds send them.
 */
export function probingSession(request: SessionRequest, habits: Extract<ContentHabits, { kind: 'campaign' }>): ExchangeSpec[] {
  const drawn = drawCampaignSession(request, habits);
  if (drawn.kind === 'customer') return drawn.exchanges;
  const { runtime, sketch, task } = drawn;
  if (task !== 'cot' && task !== 'rubric') return campaignTaskSession(request, runtime, sketch, task);
  const { rng, account } = request;
  const seed = seedRequest(request, runtime, sketch, task);
  // A script runs through its probes in an order of its own per conversation, repeating one only
  // when the conversation outlasts them; what-if probes get their change once per conversation.
  const probes = (sketch.probes !== null && sketch.probes.length > 0 ? sketch.probes : ['Why?']).map((probe) => fillProbe(probe, rng));
  for (let i = probes.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [probes[i], probes[j]] = [probes[j]!, probes[i]!];
  }
  const temperature = task === 'rubric' ? { temperature: 0 } : {};
  return conversation(
    request,
    seed.text,
    seed.style,
    (turn) => probes[(turn - 1) % probes.length]!,
    (messages) => campaignRequest(request, runtime, messages, { system: seed.system, ...temperature }),
    () => outputLength(rng, account.habits.outputChars),
    undefined,
    'whole',
  );
}
