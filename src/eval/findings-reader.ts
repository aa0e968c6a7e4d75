import { z } from 'zod';
import type { AccountFinding, ClusterFinding, Findings } from '../model/findings.js';
import { InputError } from '../util/errors.js';

/**
 * The part of a findings document that evaluation reads. A full `Findings` fits it, so tests and
 * the detection code can pass what `analyze` produced; the CLI validates only these fields so an
 * evaluation keeps working while the rest of the document grows.
 */
export interface FindingsForEvaluation {
  generated_at?: string;
  thresholds?: Findings['thresholds'];
  accounts: readonly (Pick<AccountFinding, 'account_id' | 'score' | 'flagged' | 'cluster_id'> & { linked_cluster_id?: string | null; volume?: { exchanges: number } })[];
  clusters: readonly Pick<ClusterFinding, 'cluster_id' | 'flagged' | 'accounts'>[];
}

const score = z.number({ invalid_type_error: 'expected a number from 0 to 1' }).min(0, 'expected a number from 0 to 1').max(1, 'expected a number from 0 to 1');

const findingsSchema = z.object({
  generated_at: z.string().optional(),
  thresholds: z.object({ account: z.number(), cluster: z.number() }).optional(),
  accounts: z.array(
    z.object({
      account_id: z.string().min(1),
      score,
      flagged: z.boolean(),
      cluster_id: z.string().nullable(),
      linked_cluster_id: z.string().nullable().optional(),
      volume: z.object({ exchanges: z.number().int().min(0) }).passthrough().optional(),
    }),
  ),
  clusters: z.array(
    z.object({
      cluster_id: z.string().min(1),
      flagged: z.boolean(),
      accounts: z.array(z.string()),
    }),
  ),
});

const MAX_LISTED_ISSUES = 5;

/** Parses and checks the findings JSON text that `distillguard analyze --json` wrote. */
export function parseFindingsForEvaluation(text: string, source: string): FindingsForEvaluation {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${source}: not valid JSON (${(error as Error).message}); expected the findings document that \`distillguard analyze --json\` writes`);
  }
  const result = findingsSchema.safeParse(document);
  if (!result.success) {
    const issues = result.error.issues;
    const listed = issues.slice(0, MAX_LISTED_ISSUES).map((issue) => `  ${source}: ${formatPath(issue.path)}: ${issue.message}`);
    const more = issues.length > MAX_LISTED_ISSUES ? [`  … and ${issues.length - MAX_LISTED_ISSUES} more`] : [];
    throw new InputError([`${source}: not a findings document (${issues.length} problem${issues.length === 1 ? '' : 's'})`, ...listed, ...more].join('\n'));
  }
  const seen = new Set<string>();
  for (const [index, account] of result.data.accounts.entries()) {
    if (seen.has(account.account_id)) throw new InputError(`${source}: accounts[${index}].account_id: account ${JSON.stringify(account.account_id)} appears twice; expected one entry per account`);
    seen.add(account.account_id);
  }
  return result.data;
}

function formatPath(path: (string | number)[]): string {
  if (path.length === 0) return '(document)';
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');
}
