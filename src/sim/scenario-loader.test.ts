import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../util/errors.js';
import { BUILT_IN_SCENARIOS, loadScenario, parseScenarioText, validateScenario } from './scenario-loader.js';
import { CAMPAIGN_KINDS, IMAGE_CAMPAIGN_KINDS, LATER_CAMPAIGN_KINDS } from './scenario-schema.js';

const minimal = { name: 'mini', campaigns: [{ kind: 'stealth', name: 'quiet', accounts: 4 }] };

function problemOf(raw: unknown): string {
  try {
    validateScenario(raw, 'my.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('scenario loader', () => {
  it('loads every built-in scenario with every campaign kind (smoke: the first four, whose detection its floors test)', () => {
    const laterKinds: readonly string[] = [...IMAGE_CAMPAIGN_KINDS, ...LATER_CAMPAIGN_KINDS];
    for (const name of BUILT_IN_SCENARIOS) {
      const { scenario } = loadScenario(name);
      expect(scenario.name).toBe(name);
      const kinds = name === 'smoke' ? CAMPAIGN_KINDS.filter((kind) => !laterKinds.includes(kind)) : CAMPAIGN_KINDS;
      expect(new Set(scenario.campaigns.map((campaign) => campaign.kind))).toEqual(new Set(kinds));
      if (name === 'smoke') {
        const { accessibility_app, document_pipeline, browser_automation, tutoring_app, translation_agency, synthetic_data_team } = scenario.personas;
        expect([accessibility_app.apps, document_pipeline.pipelines, browser_automation.platforms, tutoring_app.apps, translation_agency.agencies, synthetic_data_team.teams]).toEqual([0, 0, 0, 0, 0, 0]);
      }
    }
  });

  it('fills every knob a file leaves out with its documented default', () => {
    const scenario = validateScenario(minimal);
    expect(scenario.window.days).toBe(14);
    expect(scenario.personas.chat_user.turns).toEqual([1, 3]);
    const campaign = scenario.campaigns[0]!;
    expect(campaign.infrastructure.network).toBe('distinct_residential');
    expect(campaign.schedule).toBe('diurnal');
    expect(campaign.content.tasks.cot).toBeGreaterThan(0);
  });

  it('reads YAML and JSON files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dg-scenario-'));
    writeFileSync(join(dir, 's.json'), JSON.stringify(minimal));
    writeFileSync(join(dir, 's.yaml'), 'name: mini\ncampaigns:\n  - { kind: stealth, name: quiet, accounts: 4 }\n');
    expect(loadScenario(join(dir, 's.json')).scenario.campaigns).toHaveLength(1);
    expect(loadScenario(join(dir, 's.yaml')).scenario.name).toBe('mini');
  });

  it('names the file, the field and what was expected for a bad value', () => {
    const message = problemOf({ ...minimal, personas: { chat_user: { sessions_per_day: -1 } } });
    expect(message).toContain('my.yaml');
    expect(message).toContain('personas.chat_user.sessions_per_day');
    expect(message).toContain('expected > 0');
  });

  it('rejects unknown fields, so typos do not silently fall back to defaults', () => {
    expect(problemOf({ ...minimal, personas: { chat_user: { acounts: 5 } } })).toMatch(/personas\.chat_user: unknown field "acounts"/);
  });

  it('rejects an unknown campaign kind and lists the kinds', () => {
    expect(problemOf({ name: 'x', campaigns: [{ kind: 'hydra', name: 'h', accounts: 1 }] })).toMatch(/campaigns\[0\]\.kind: expected kind to be one of "cot_extraction"/);
  });

  it('checks fields against each other', () => {
    expect(problemOf({ ...minimal, window: { days: 5 }, release: { at_day: 6 } })).toMatch(/release\.at_day: expected a day inside the window/);
    expect(problemOf({ name: 'x', campaigns: [{ kind: 'stealth', name: 'a', accounts: 1 }, { kind: 'cot_extraction', name: 'a', accounts: 1 }] })).toMatch(/campaigns\[1\]\.name: expected a unique name/);
    expect(problemOf({ name: 'x', campaigns: [{ kind: 'stealth', name: 'a', accounts: 1, schedule: 'shifts', shifts_per_day: 4, shift_hours: 7 }] })).toMatch(/campaigns\[0\]\.shift_hours: expected shifts_per_day × shift_hours <= 24/);
    expect(problemOf({ name: 'x', campaigns: [{ kind: 'stealth', name: 'a', accounts: 1, schedule: 'bursts', bursts_per_day: 30, burst_minutes: 60 }] })).toMatch(/campaigns\[0\]\.burst_minutes/);
    expect(problemOf({ name: 'x', campaigns: [{ kind: 'cot_extraction', name: 'a', accounts: 1, infrastructure: { exit_provider: 'nobody' } }] })).toMatch(
      /campaigns\[0\]\.infrastructure\.exit_provider: expected the name of an exit_providers entry \(none defined\), found "nobody"/,
    );
    expect(problemOf({ ...minimal, exit_providers: [{ name: 'p', network: 'mixed', pool_size: 5 }], campaigns: [{ kind: 'stealth', name: 'a', accounts: 1, infrastructure: { exit_provider: 'p' } }] })).toMatch(/distinct_residential/);
    expect(problemOf({ ...minimal, personas: { chat_user: { vpn_provider: 'p' } } })).toMatch(/personas\.chat_user\.vpn_provider/);
    expect(problemOf({ name: 'x', campaigns: [{ kind: 'stealth', name: 'a', accounts: 1, start_day: 9, end_day: 3 }] })).toMatch(/campaigns\[0\]\.start_day/);
    expect(problemOf({ ...minimal, personas: { chat_user: { turns: [4, 2] } } })).toMatch(/personas\.chat_user\.turns: expected \[min, max\] with min <= max/);
  });

  it('reports the line of a YAML syntax error', () => {
    expect(() => parseScenarioText('name: x\ncampaigns: [\n', 'bad.yaml')).toThrow(/bad\.yaml \(line \d+\): not valid YAML/);
  });

  it('says which names are built in when neither a name nor a file matches', () => {
    expect(() => loadScenario('nope')).toThrow(/built-ins: smoke, default, seed-scale/);
  });
});
