import { BlockList } from 'node:net';
import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseIp } from '../../ingest/index.js';
import { UsageError } from '../../util/errors.js';

/** What a gateway is told to do with an account's next request, mildest first. */
export const DECISION_ACTIONS = ['allow', 'throttle', 'step_up', 'block'] as const;
export type DecisionAction = (typeof DECISION_ACTIONS)[number];

export function actionSeverity(action: DecisionAction): number {
  return DECISION_ACTIONS.indexOf(action);
}

const action = z.enum(DECISION_ACTIONS);
const cidr = z.string().refine((text) => parseCidr(text) !== null, { message: 'expected an IP address or CIDR block such as 203.0.113.0/24' });
const idList = z.array(z.string().min(1)).default([]);
const list = z
  .object({ accounts: idList, orgs: idList, ips: z.array(cidr).default([]) })
  .strict()
  .default({});

const band = z.object({ min_score: z.number().min(0).max(1), action }).strict();

const rule = z
  .object({
    name: z.string().min(1),
    /** Evidence signal that must be present (e.g. `cot_elicitation`). */
    signal: z.string().min(1).optional(),
    /** Smallest weight (log-odds) that evidence must carry. */
    min_weight: z.number().min(0).default(0),
    min_score: z.number().min(0).max(1).optional(),
    /** The model flags the account: its score is at least the engine's operating threshold. */
    flagged: z.boolean().optional(),
    /** The account belongs to a cluster the model flagged. */
    in_flagged_cluster: z.boolean().optional(),
    action,
  })
  .strict()
  .refine((r) => r.signal !== undefined || r.min_score !== undefined || r.flagged !== undefined || r.in_flagged_cluster !== undefined, {
    message: 'a rule needs at least one condition: signal, min_score, flagged or in_flagged_cluster',
  });

export const policySchema = z
  .object({
    version: z.literal(1),
    bands: z.array(band).default([]),
    rules: z.array(rule).default([]),
    allow: list,
    deny: list,
    verdicts: z.object({ confirmed: action.default('block'), dismissed: action.default('allow') }).strict().default({}),
  })
  .strict()
  .superRefine((policy, context) => {
    const both = policy.allow.accounts.filter((id) => policy.deny.accounts.includes(id));
    if (both.length > 0) context.addIssue({ code: 'custom', path: ['deny', 'accounts'], message: `on both the allow- and the deny-list: ${both.slice(0, 5).join(', ')}` });
  });

export type PolicyDocument = z.infer<typeof policySchema>;

/** A validated policy, with the lookups the decision path needs built once. */
export interface DecisionPolicy {
  readonly document: PolicyDocument;
  /** Short content hash, to tell in logs and /healthz which policy is in force. */
  readonly version: string;
  /** Bands, highest min_score first. */
  readonly bands: readonly { min_score: number; action: DecisionAction }[];
  readonly allowAccounts: ReadonlySet<string>;
  readonly denyAccounts: ReadonlySet<string>;
  readonly allowOrgs: ReadonlySet<string>;
  readonly denyOrgs: ReadonlySet<string>;
  readonly allowIps: BlockList | null;
  readonly denyIps: BlockList | null;
}

/**
 * The policy used when no file is given: step up every account the model flags and block the
 * clearest cases. Acting on the model's own flag, rather than on a second copy of its threshold,
 * keeps the decisions in step with the findings when the detection config moves the threshold.
 */
export const DEFAULT_POLICY_DOCUMENT: PolicyDocument = {
  version: 1,
  bands: [{ min_score: 0.9, action: 'block' }],
  rules: [{ name: 'flagged by the model', flagged: true, min_weight: 0, action: 'step_up' }],
  allow: { accounts: [], orgs: [], ips: [] },
  deny: { accounts: [], orgs: [], ips: [] },
  verdicts: { confirmed: 'block', dismissed: 'allow' },
};

export function compilePolicy(document: PolicyDocument, version = hashOf(JSON.stringify(document))): DecisionPolicy {
  return {
    document,
    version,
    bands: [...document.bands].sort((a, b) => b.min_score - a.min_score),
    allowAccounts: new Set(document.allow.accounts),
    denyAccounts: new Set(document.deny.accounts),
    allowOrgs: new Set(document.allow.orgs),
    denyOrgs: new Set(document.deny.orgs),
    allowIps: blockListOf(document.allow.ips),
    denyIps: blockListOf(document.deny.ips),
  };
}

/** Parses and validates policy YAML; throws a UsageError naming the first problem. */
export function parsePolicy(text: string, source = 'policy'): DecisionPolicy {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new UsageError(`${source}: not valid YAML: ${(error as Error).message}`);
  }
  const parsed = policySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    throw new UsageError(`${source}: ${path}: ${issue.message}`);
  }
  return compilePolicy(parsed.data, hashOf(text));
}

/** Whether an address falls in a list's CIDR blocks; unparsable addresses match nothing. */
export function ipListed(list: BlockList | null, ip: string | null): boolean {
  if (list === null || ip === null) return false;
  const parsed = parseIp(ip);
  if (parsed === null) return false;
  return list.check(parsed.address, parsed.version === 4 ? 'ipv4' : 'ipv6');
}

function blockListOf(entries: readonly string[]): BlockList | null {
  if (entries.length === 0) return null;
  const list = new BlockList();
  for (const entry of entries) {
    const block = parseCidr(entry)!;
    list.addSubnet(block.address, block.prefix, block.version === 4 ? 'ipv4' : 'ipv6');
  }
  return list;
}

function parseCidr(text: string): { address: string; prefix: number; version: 4 | 6 } | null {
  const [addressText = '', prefixText, extra] = text.split('/');
  if (extra !== undefined) return null;
  const parsed = parseIp(addressText);
  if (parsed === null) return null;
  const max = parsed.version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return null;
  return { address: parsed.address, prefix, version: parsed.version };
}

function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}
