import { InputError } from '../util/errors.js';

export const LABEL_VALUES = ['attack', 'benign'] as const;
export type LabelValue = (typeof LABEL_VALUES)[number];

/** One line of a labels file (DESIGN.md, "Input contract"): the truth about one account. */
export interface AccountLabel {
  account_id: string;
  label: LabelValue;
  /** The campaign an attack account belongs to; null for benign accounts. */
  campaign: string | null;
  /** The simulated persona or campaign kind, e.g. `chat_user`, `batch_pipeline`, `cot_extraction`. */
  persona: string;
}

export interface LabelProblem {
  line: number;
  field: string | null;
  message: string;
}

/** Problems listed in one error before the rest are only counted. */
const MAX_LISTED_PROBLEMS = 10;

/**
 * Reads a labels file (JSON Lines). Every line is checked; a file with any bad line is rejected
 * as a whole, because metrics over partly-read truth would be quietly wrong. The error names the
 * file, line, field and what was expected for the first few problems.
 *
 * @example parseLabels(readFileSync('labels.jsonl', 'utf8'), 'labels.jsonl')
 */
export function parseLabels(text: string, source: string): AccountLabel[] {
  const labels: AccountLabel[] = [];
  const problems: LabelProblem[] = [];
  const firstLine = new Map<string, number>();
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    let line = lines[index]!;
    if (index === 0 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() === '') continue;
    const lineNumber = index + 1;
    const parsed = parseLabelLine(line);
    if ('problem' in parsed) {
      problems.push({ line: lineNumber, ...parsed.problem });
      continue;
    }
    const seen = firstLine.get(parsed.label.account_id);
    if (seen !== undefined) {
      problems.push({ line: lineNumber, field: 'account_id', message: `account ${JSON.stringify(parsed.label.account_id)} is already labelled on line ${seen}; expected one line per account` });
      continue;
    }
    firstLine.set(parsed.label.account_id, lineNumber);
    labels.push(parsed.label);
  }
  if (problems.length > 0) throw new InputError(describeProblems(source, problems));
  if (labels.length === 0) throw new InputError(`${source}: no labels found; expected one JSON object per line with account_id, label, campaign and persona`);
  return labels;
}

function describeProblems(source: string, problems: LabelProblem[]): string {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map((problem) => `  ${source}:${problem.line}${problem.field === null ? '' : `: ${problem.field}`}: ${problem.message}`);
  const more = problems.length > MAX_LISTED_PROBLEMS ? [`  … and ${problems.length - MAX_LISTED_PROBLEMS} more`] : [];
  return [`${source}: ${problems.length} bad label line${problems.length === 1 ? '' : 's'}`, ...listed, ...more].join('\n');
}

function parseLabelLine(line: string): { label: AccountLabel } | { problem: Omit<LabelProblem, 'line'> } {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch (error) {
    return { problem: { field: null, message: `not valid JSON (${(error as Error).message}); expected one JSON object per line` } };
  }
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    return { problem: { field: null, message: `expected a JSON object, found ${describeValue(record)}` } };
  }
  const r = record as Record<string, unknown>;
  const fail = (field: string, expected: string) => ({ problem: { field, message: `expected ${expected}, found ${describeValue(r[field])}` } });

  if (typeof r.account_id !== 'string' || r.account_id === '') return fail('account_id', 'a non-empty string');
  if (r.label !== 'attack' && r.label !== 'benign') return fail('label', '"attack" or "benign"');
  if (!('campaign' in r)) return { problem: { field: 'campaign', message: 'missing; expected a campaign name for an attack account, null for a benign one' } };
  if (r.label === 'attack' && (typeof r.campaign !== 'string' || r.campaign === '')) return fail('campaign', 'a campaign name (non-empty string) for an attack account');
  if (r.label === 'benign' && r.campaign !== null) return fail('campaign', 'null for a benign account');
  if (typeof r.persona !== 'string' || r.persona === '') return fail('persona', 'a non-empty string');
  return { label: { account_id: r.account_id, label: r.label, campaign: r.campaign as string | null, persona: r.persona } };
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return `${typeof value} ${String(value)}`;
}
