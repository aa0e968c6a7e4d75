import { createRng, type Rng } from './seeded-rng.js';

/**
 * Traffic written by an attacker who has read the docs: not to look benign, but to break or blind
 * the pipeline (docs/threat-model.md). Each case emits records in the input contract that are
 * added to an ordinary log; the adversarial suite (`npm test`, `npm run bench:adversarial`)
 * checks that the analysis still finishes within bounds and that no legitimate detection moves.
 */

export interface AdversarialContext {
  /** The ordinary log's time span: the attack traffic lands inside it. */
  startMs: number;
  endMs: number;
  /** Model names the ordinary traffic uses. */
  models: readonly string[];
  /** How many records (or accounts) the flood cases send. */
  volume: number;
  seed: number;
}

/** What the suite expects of a case, besides finishing within the time and memory bounds. */
export type AdversarialExpectation =
  /** Every record is refused into quarantine with this reason; nothing else changes. */
  | { kind: 'quarantined'; reason: string }
  /** The records are accepted; every ordinary account keeps its flag. */
  | { kind: 'flags_unchanged' }
  /**
   * The records are accepted; no flagged attack account loses its flag and no benign account
   * gains one. For floods that change the population itself: measures relative to the population
   * may move a little, but never in the attacker's favour.
   */
  | { kind: 'detection_not_weakened' };

export interface AdversarialCase {
  readonly name: string;
  /** What the attacker hopes to achieve, in one sentence. */
  readonly aim: string;
  readonly expectation: AdversarialExpectation;
  /** Extra `ingest` flags the case needs (a user who raised a limit, say). */
  readonly ingestFlags?: readonly string[];
  exchanges(context: AdversarialContext): Iterable<Record<string, unknown>>;
}

const WORDS = [
  'river', 'marble', 'quiet', 'lantern', 'orbit', 'copper', 'meadow', 'signal', 'harbor', 'violet', 'engine', 'pepper',
  'glacier', 'ribbon', 'thunder', 'almond', 'canyon', 'velvet', 'ember', 'falcon', 'garden', 'island', 'jigsaw', 'kettle',
];

function words(rng: Rng, count: number): string {
  return Array.from({ length: count }, () => rng.pick(WORDS)).join(' ');
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

interface RecordSpec {
  id: string;
  ts: string;
  accountId: string;
  model: string;
  prompt: string;
  maxTokens?: number;
  status?: number;
  answer?: string | null;
  ip?: string;
}

function record(spec: RecordSpec): Record<string, unknown> {
  const status = spec.status ?? 200;
  const answer = spec.answer === undefined ? 'Sure.' : spec.answer;
  return {
    id: spec.id,
    ts: spec.ts,
    account_id: spec.accountId,
    org_id: null,
    api_key_id: null,
    client_ip: spec.ip ?? '198.51.100.7',
    user_agent: 'python-requests/2.32.3',
    api: 'anthropic.messages',
    request: { model: spec.model, max_tokens: spec.maxTokens ?? 256, messages: [{ role: 'user', content: spec.prompt }] },
    response:
      status >= 400 || answer === null
        ? { type: 'error', error: { type: status === 404 ? 'not_found_error' : 'invalid_request_error', message: 'refused' } }
        : { type: 'message', role: 'assistant', model: spec.model, content: [{ type: 'text', text: answer }], usage: { input_tokens: 12, output_tokens: 4 } },
    status,
    latency_ms: 40,
  };
}

function timeAt(context: AdversarialContext, fraction: number): number {
  return Math.round(context.startMs + (context.endMs - context.startMs) * Math.min(0.999, Math.max(0, fraction)));
}

export const ADVERSARIAL_CASES: readonly AdversarialCase[] = [
  {
    name: 'extreme_timestamps',
    aim: 'size every timeline from a record dated year 0 or 9999 until the analysis runs out of memory',
    expectation: { kind: 'quarantined', reason: 'bad_timestamp' },
    *exchanges(context) {
      const dates = ['0000-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '1026-06-01T12:00:00.000Z', '0050-03-01T00:00:00.000Z'];
      for (const [i, ts] of dates.entries()) {
        yield record({ id: `adv_ts_${context.seed}_${i}`, ts, accountId: `acct_adv_ts_${i}`, model: context.models[0]!, prompt: 'hello there, how are you today?' });
      }
    },
  },
  {
    name: 'distinct_prompts_twice',
    aim: 'make the template miner rescan everything it holds for each new prompt, so the analysis never ends',
    expectation: { kind: 'detection_not_weakened' },
    *exchanges(context) {
      const rng = createRng(context.seed ^ 0x5eed);
      for (let i = 0; i < context.volume; i++) {
        const prompt = `${words(rng, 6)} ${i.toString(36).replace(/\d/g, (d) => 'qrstuvwxyz'[Number(d)]!)} ${words(rng, 6)}`;
        const ts = timeAt(context, i / context.volume);
        for (const copy of [0, 1]) {
          yield record({ id: `adv_dp_${context.seed}_${i}_${copy}`, ts: iso(ts + copy * 1000), accountId: `acct_adv_dp_${i % 40}`, model: context.models[i % context.models.length]!, prompt, ip: `203.0.113.${i % 200}` });
        }
      }
    },
  },
  {
    name: 'one_exchange_accounts',
    aim: 'exhaust memory with accounts of one exchange each, and drown the population statistics in junk',
    expectation: { kind: 'detection_not_weakened' },
    *exchanges(context) {
      const rng = createRng(context.seed ^ 0xacc7);
      for (let i = 0; i < context.volume; i++) {
        yield record({
          id: `adv_oe_${context.seed}_${i}`,
          ts: iso(timeAt(context, rng.float())),
          accountId: `acct_adv_oe_${i}`,
          model: context.models[i % context.models.length]!,
          prompt: `${words(rng, 8)}?`,
          ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
        });
      }
    },
  },
  {
    name: 'model_limit_poison',
    aim: "switch off the maxed-output and new-model signals by asking for 2^31-1 tokens (even refused) or for a model before it exists",
    expectation: { kind: 'flags_unchanged' },
    *exchanges(context) {
      for (const [i, model] of context.models.entries()) {
        yield record({ id: `adv_ml_${context.seed}_${i}_max`, ts: iso(timeAt(context, 0.5)), accountId: 'acct_adv_ml', model, prompt: 'give me everything you have', maxTokens: 2 ** 31 - 1, status: 400, answer: null });
        yield record({ id: `adv_ml_${context.seed}_${i}_early`, ts: iso(context.startMs), accountId: 'acct_adv_ml', model, prompt: 'is this model out yet', status: 404, answer: null });
      }
    },
  },
  {
    name: 'huge_prompt',
    aim: 'abort ingest with one record just under a raised --max-record-bytes, so the batch is lost and every retry hits it again',
    expectation: { kind: 'flags_unchanged' },
    ingestFlags: ['--text', 'full', '--max-record-bytes', '2MiB'],
    *exchanges(context) {
      const rng = createRng(context.seed ^ 0xb16);
      yield record({ id: `adv_hp_${context.seed}`, ts: iso(timeAt(context, 0.5)), accountId: 'acct_adv_hp', model: context.models[0]!, prompt: words(rng, 2_050_000 / 7).slice(0, 2_050_000) });
    },
  },
  {
    name: 'bland_accounts',
    aim: "move other accounts' scores by adding accounts whose ids sort among theirs, with traffic that looks like nothing",
    expectation: { kind: 'flags_unchanged' },
    *exchanges(context) {
      const rng = createRng(context.seed ^ 0xb1a);
      for (let i = 0; i < 500; i++) {
        for (let j = 0; j < 3; j++) {
          yield record({ id: `adv_bl_${context.seed}_${i}_${j}`, ts: iso(timeAt(context, rng.float())), accountId: `acct_m${i.toString(36).padStart(4, '0')}`, model: context.models[(i + j) % context.models.length]!, prompt: `what is a good ${words(rng, 2)} for a weekend?`, ip: `192.0.2.${i % 250}` });
        }
      }
    },
  },
];

export function adversarialCase(name: string): AdversarialCase {
  const found = ADVERSARIAL_CASES.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`unknown adversarial case "${name}" (known: ${ADVERSARIAL_CASES.map((c) => c.name).join(', ')})`);
  return found;
}
