import { InputError } from '../util/errors.js';
import type { AccountLabel, LabelProblem } from './labels-parser.js';

/** Labelled sets of other detectors whose ground truth can be turned into account labels. */
export const PEER_LABEL_FORMATS = ['glasswally'] as const;
export type PeerLabelFormat = (typeof PEER_LABEL_FORMATS)[number];

/** Personas of the labels read from a Glasswally set: it has two traffic classes and no finer personas. */
export const GLASSWALLY_PERSONAS = { attack: 'glasswally_campaign', benign: 'glasswally_benign' } as const;

export interface PeerLabelReader {
  /** Reads one line of the set: its text, file and 1-based line number. Blank lines are skipped. */
  add(line: string, source: string, lineNumber: number): void;
  /** The labels, one per account in order of first appearance; throws when any line was bad. */
  finish(): AccountLabel[];
}

const MAX_LISTED_PROBLEMS = 10;

/**
 * Turns a Glasswally labelled set (events with `account_id` and `campaign_label`) into account
 * labels for `eval`: an account whose events carry a campaign is an attack account of that
 * campaign, one whose events all carry null is benign. An account whose events disagree, or a
 * line that is not an event, makes the whole set refused: metrics over partly-read truth would
 * be quietly wrong.
 *
 * @example
 * const reader = createGlasswallyLabelReader();
 * reader.add('{"account_id": "sk-1", "campaign_label": "campaign_0001"}', 'set.jsonl', 1);
 * reader.finish(); // [{ account_id: 'sk-1', label: 'attack', campaign: 'campaign_0001', persona: 'glasswally_campaign' }]
 */
export function createGlasswallyLabelReader(): PeerLabelReader {
  const campaigns = new Map<string, { campaign: string | null; where: string }>();
  const problems: (LabelProblem & { source: string })[] = [];
  return {
    add(line, source, lineNumber) {
      if (line.trim() === '') return;
      const problem = (field: string | null, message: string): void => void problems.push({ source, line: lineNumber, field, message });
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch (error) {
        problem(null, `not valid JSON (${(error as Error).message}); expected one event per line`);
        return;
      }
      if (record === null || typeof record !== 'object' || Array.isArray(record)) {
        problem(null, 'expected a JSON object (a Glasswally event)');
        return;
      }
      const { account_id: accountId, campaign_label: campaign } = record as Record<string, unknown>;
      if (typeof accountId !== 'string' || accountId === '') {
        problem('account_id', 'expected a non-empty string');
        return;
      }
      if (campaign === undefined || (campaign !== null && (typeof campaign !== 'string' || campaign === ''))) {
        problem('campaign_label', 'expected a campaign name, or null for legitimate traffic');
        return;
      }
      const seen = campaigns.get(accountId);
      if (seen === undefined) {
        campaigns.set(accountId, { campaign, where: `${source}:${lineNumber}` });
      } else if (seen.campaign !== campaign) {
        problem('campaign_label', `account ${JSON.stringify(accountId)} is ${describe(campaign)} here but ${describe(seen.campaign)} at ${seen.where}; one account has one label`);
      }
    },
    finish() {
      if (problems.length > 0) {
        const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map((found) => `  ${found.source}:${found.line}${found.field === null ? '' : `: ${found.field}`}: ${found.message}`);
        const more = problems.length > MAX_LISTED_PROBLEMS ? [`  … and ${problems.length - MAX_LISTED_PROBLEMS} more`] : [];
        throw new InputError([`${problems.length} bad line${problems.length === 1 ? '' : 's'} in the Glasswally labelled set`, ...listed, ...more].join('\n'));
      }
      if (campaigns.size === 0) throw new InputError('no events found; expected Glasswally events with account_id and campaign_label');
      return [...campaigns].map(([accountId, { campaign }]) =>
        campaign === null
          ? { account_id: accountId, label: 'benign', campaign: null, persona: GLASSWALLY_PERSONAS.benign }
          : { account_id: accountId, label: 'attack', campaign, persona: GLASSWALLY_PERSONAS.attack },
      );
    },
  };
}

export function createPeerLabelReader(format: PeerLabelFormat): PeerLabelReader {
  switch (format) {
    case 'glasswally':
      return createGlasswallyLabelReader();
  }
}

function describe(campaign: string | null): string {
  return campaign === null ? 'legitimate (null)' : `in ${JSON.stringify(campaign)}`;
}
