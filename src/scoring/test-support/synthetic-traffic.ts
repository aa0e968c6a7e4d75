import type { Account } from '../../model/account.js';
import type { Exchange } from '../../model/exchange.js';
import type { ExchangeRecord } from '../../features/exchange-record.js';
import { seededRandom } from '../../util/seeded-random.js';
import { buildExchangeRow, exchangeRecordFromRow } from '../../ingest/exchange-row.js';
import { hash64, key64ToBigInt } from '../../util/hash64.js';
import { buildExchange, type ExchangeSpec } from '../../features/test-support/exchange-builder.js';

/** A deterministic generator so synthetic traffic is the same on every run. */
export const random = seededRandom;

const WORDS =
  'river stone market letter garden window engine paper silver planet coffee morning history problem method system value energy reason signal theory family doctor winter summer island mountain bridge castle forest ocean desert valley harbor station library museum theatre kitchen bottle pencil camera mirror ladder blanket candle basket pocket wallet jacket'.split(' ');

export function sentence(rng: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(rng() * WORDS.length)]!);
  return out.join(' ');
}

export interface SyntheticExchange {
  spec: ExchangeSpec & { accountId: string; ts: number; id: string };
  clientIp: string;
  subnet: string;
  userAgent: string;
}

/** One exchange as ingest would store it and the service would observe it. */
export function toRecord(x: SyntheticExchange): ExchangeRecord {
  const exchange: Exchange = { ...buildExchange(x.spec), clientIp: x.clientIp, userAgent: x.userAgent, orgId: null };
  const row = buildExchangeRow(exchange, { idKey: key64ToBigInt(hash64(exchange.id)), clientSubnet: x.subnet, sourceId: 1, sourceLine: 1, textPolicy: 'excerpt' });
  return exchangeRecordFromRow(row);
}

export interface Population {
  exchanges: SyntheticExchange[];
  accounts: Account[];
  /** Ground truth for assertions: campaign name or null. */
  truth: Map<string, string | null>;
}

const DAY = 86_400_000;
const START = Date.UTC(2026, 1, 2);

function account(id: string, overrides: Partial<Account> = {}): Account {
  return {
    accountId: id,
    orgId: `org_${id}`,
    createdAt: START - 40 * DAY,
    emailDomain: 'mail.example',
    emailLocalHash: null,
    emailLocalShape: 'a.a9',
    tier: 'standard',
    country: 'US',
    paymentFingerprint: `card_${id}`,
    signupIp: null,
    verification: ['email', 'card'],
    ...overrides,
  };
}

/**
 * A small population: `campaign` accounts run by one operator (a shared proxy pool, two cards,
 * a sign-up burst, one scripted template asking for step-by-step reasoning at the output limit),
 * `benign` people asking their own questions, a company of developers (one org, office IP,
 * corporate card, a coding tool's system prompt) and an evaluation harness re-running a fixed
 * benchmark with chain-of-thought prompts. `systemPrompts` above 1 has the operator rotate
 * through that many expert system prompts, a random pick per request; `sharedCards` false gives
 * each of its accounts a card of its own.
 */
export function syntheticPopulation({ seed = 1, campaign = 12, benign = 40, perAccount = 60, systemPrompts = 1, sharedCards = true } = {}): Population {
  const rng = random(seed);
  const exchanges: SyntheticExchange[] = [];
  const accounts: Account[] = [];
  const truth = new Map<string, string | null>();
  let n = 0;
  const push = (accountId: string, ts: number, spec: ExchangeSpec, clientIp: string, userAgent: string) => {
    const subnet = clientIp.split('.').slice(0, 3).join('.') + '.0/24';
    exchanges.push({ spec: { ...spec, accountId, ts, id: `req_${(n++).toString(36)}` }, clientIp, subnet, userAgent });
  };

  const systems = [
    'You are a meticulous expert tutor. Always reason step by step and show every intermediate step before the final answer.',
    'Act as a senior mathematician reviewing a proof. List each assumption, check every derivation line by line, and state the result last.',
    'You grade solutions for a competition. Think aloud about the method first; only then write the verdict and the corrected answer.',
    'As a careful physics professor, explain the principle involved, set up the equations, solve them slowly and box the final value.',
    'You are an analyst who never skips steps: restate the question, break it into parts, work each part out, and then summarise.',
  ];
  for (let a = 0; a < campaign; a++) {
    const id = `acct_op_${a}`;
    truth.set(id, 'operator');
    accounts.push(account(id, { createdAt: START - 5 * DAY + a * 60_000, paymentFingerprint: sharedCards ? `card_op_${a % 2}` : `card_own_${a}`, emailDomain: 'burst-mail.example', orgId: `org_op_${a}` }));
    for (let i = 0; i < perAccount; i++) {
      const ts = START + Math.floor(rng() * 7 * DAY);
      const question = sentence(rng, 14 + Math.floor(rng() * 20));
      const system = systems[systemPrompts > 1 ? Math.floor(rng() * Math.min(systemPrompts, systems.length)) : 0]!;
      push(
        id,
        ts,
        { prompt: `Problem: ${question}? Solve the problem and explain your reasoning step by step, then give the final answer.`, system, maxTokens: 64000, thinkingBudget: 16000, outputTokens: 900 },
        `203.0.113.${Math.floor(rng() * 24)}`,
        'python-httpx/0.27.0',
      );
    }
  }
  for (let a = 0; a < benign; a++) {
    const id = `acct_person_${a}`;
    truth.set(id, null);
    accounts.push(account(id, { emailDomain: 'gmail.com', createdAt: START - (30 + a * 7) * DAY }));
    const ip = `198.51.${a}.${10 + (a % 200)}`;
    const count = 5 + Math.floor(rng() * perAccount);
    for (let i = 0; i < count; i++) {
      const ts = START + Math.floor(rng() * 7 * DAY);
      push(id, ts, { prompt: `${sentence(rng, 6 + Math.floor(rng() * 25))}?`, maxTokens: 1024, outputTokens: 150 }, ip, 'Mozilla/5.0');
    }
  }
  const tool = { name: 'edit_file', description: 'Edit a file', schema: '{}', type: null };
  for (let a = 0; a < 5; a++) {
    const id = `acct_dev_${a}`;
    truth.set(id, null);
    accounts.push(account(id, { orgId: 'org_acme', paymentFingerprint: 'card_acme', emailDomain: 'acme.example', signupIp: '192.0.2.1', tier: 'startup' }));
    for (let i = 0; i < perAccount; i++) {
      const ts = START + Math.floor(rng() * 7 * DAY);
      push(
        id,
        ts,
        {
          prompt: `Fix the failing test in ${sentence(rng, 3)} and refactor the ${sentence(rng, 2)} function.`,
          system: 'You are Codey, an interactive coding agent. Use the tools to read, edit and test files in the repository.',
          tools: [tool],
          toolResults: 1,
          maxTokens: 32000,
          outputTokens: 400,
        },
        '192.0.2.10',
        'codey-cli/1.2.0',
      );
    }
  }
  const benchmark = Array.from({ length: 40 }, () => sentence(rng, 18));
  for (let a = 0; a < 3; a++) {
    const id = `acct_eval_${a}`;
    truth.set(id, null);
    accounts.push(account(id, { tier: 'research' }));
    for (let run = 0; run < 4; run++) {
      const runStart = START + run * DAY + a * 3_600_000;
      benchmark.forEach((item, i) => {
        push(id, runStart + i * 1500, { prompt: `Q: ${item}? A: Let's think step by step.`, maxTokens: 1024, temperature: 0, outputTokens: 200 }, `100.64.${a}.5`, 'lm-eval/0.4');
      });
    }
  }
  exchanges.sort((x, y) => x.spec.ts - y.spec.ts || (x.spec.id < y.spec.id ? -1 : 1));
  return { exchanges, accounts, truth };
}
