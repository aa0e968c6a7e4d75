import type { ApiKind } from '../model/exchange.js';
import type { ExchangeSpec } from './exchange-spec.js';
import type { ModelSpec } from './scenario-schema.js';
import type { Rng } from './seeded-rng.js';
import { HOUR_MS } from './activity-sampler.js';
import { batchSession, chatSession, classroomSession, developerSession, evalSession, resellerSession } from './benign-tasks.js';
import { campaignSession } from './campaign-tasks.js';
import { fleetSession, labSession, platformSession, samplingSession } from './hard-negative-tasks.js';
import { browserAgentSession, describerSession, documentSession } from './image-customer-tasks.js';
import { probingSession } from './probing-tasks.js';
import { multilingualSession } from './multilingual-tasks.js';
import { syntheticSession, translationSession, tutoringSession } from './product-customer-tasks.js';
import type { SessionRequest } from './task-kit.js';
import { decodeEvalTag, type SimAccount, type World } from './world-model.js';

/** The exchanges of one session, by the account's persona or campaign. */
export function generateSession(request: SessionRequest): ExchangeSpec[] {
  const content = request.account.habits.content;
  switch (content.kind) {
    case 'chat':
      return chatSession(request, content);
    case 'developer':
      return developerSession(request, content);
    case 'batch':
      return batchSession(request, content);
    case 'eval':
      return evalSession(request, content);
    case 'reseller':
      return resellerSession(request, content);
    case 'classroom':
      return classroomSession(request, content);
    case 'campaign': {
      const kind = request.world.campaigns[content.campaign]!.config.kind;
      if (kind === 'conversational_probing') return probingSession(request, content);
      if (kind === 'multilingual_harvest') return multilingualSession(request, content);
      return campaignSession(request, content);
    }
    case 'lab':
      return labSession(request, content);
    case 'platform':
      return platformSession(request, content);
    case 'fleet':
      return fleetSession(request, content);
    case 'sampling':
      return samplingSession(request, content);
    case 'describer':
      return describerSession(request, content);
    case 'documents':
      return documentSession(request, content);
    case 'browser_agent':
      return browserAgentSession(request, content);
    case 'tutoring':
      return tutoringSession(request, content);
    case 'translation':
      return translationSession(request, content);
    case 'synthetic':
      return syntheticSession(request, content);
  }
}

export function apiOf(world: World, account: SimAccount): ApiKind {
  return world.forcedApi ?? account.api;
}

/**
 * The model a session uses: the account's usual one before the release; afterwards the new
 * model with the probability its adoption policy has reached by then. Evaluation runs carry
 * their model in the window tag (re-runs on the new model, comparisons on the old).
 */
export function chooseModel(world: World, account: SimAccount, api: ApiKind, tag: number, startMs: number, rng: Rng): { model: ModelSpec; isNew: boolean } {
  const current = world.scenario.models[api];
  const released = world.scenario.release.models[api];
  let usual = current[account.modelIndex % current.length]!;
  // People try other models now and then; pipelines stay pinned.
  if (account.habits.content.kind !== 'batch' && rng.chance(0.08)) usual = rng.pick(current);
  if (startMs < world.releaseMs) return { model: usual, isNew: false };
  if (account.habits.content.kind === 'eval' && tag >= 0) {
    return decodeEvalTag(tag).onNewModel ? { model: released, isNew: true } : { model: usual, isNew: false };
  }
  const policy = account.newModel;
  const since = startMs - world.releaseMs - policy.delay_hours * HOUR_MS;
  if (since <= 0 || policy.share <= 0) return { model: usual, isNew: false };
  const share = policy.share * Math.min(1, since / (policy.within_hours * HOUR_MS));
  return rng.chance(share) ? { model: released, isNew: true } : { model: usual, isNew: false };
}
