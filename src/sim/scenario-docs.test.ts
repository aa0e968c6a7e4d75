import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeScenarioKnobs, scenarioKnobTable } from './scenario-docs.js';
import { packageRoot } from './scenario-loader.js';

const guide = readFileSync(join(packageRoot(), 'docs', 'simulator.md'), 'utf8');

describe('scenario documentation', () => {
  it('describes every knob', () => {
    for (const row of describeScenarioKnobs()) {
      expect(row.description, row.path).not.toBe('');
      expect(row.type, row.path).not.toBe('value');
    }
  });

  it('is what docs/simulator.md shows (regenerate the table with scenarioKnobTable() when the schema changes)', () => {
    expect(guide).toContain(scenarioKnobTable());
  });

  it('is commented in the built-in scenario files for every persona and campaign knob they set', () => {
    const smoke = readFileSync(join(packageRoot(), 'scenarios', 'smoke.yaml'), 'utf8');
    for (const key of ['sessions_per_day', 'coding_agent_share', 'nightly_job_share', 'rerun_after_release_hours', 'end_users', 'students_per_class', 'distillation_share', 'signup_bursts', 'maxed_tokens_share']) {
      expect(smoke).toMatch(new RegExp(`${key}:.*#`));
    }
  });
});
