import { afterEach, describe, expect, it } from 'vitest';
import { validExchangeLine } from '../../ingest/test-support/exchange-lines.js';
import { createTestService, type TestService } from '../test-support/service-fixture.js';
import { createWorkbenchData } from './workbench-data.js';

const services: TestService[] = [];
afterEach(async () => {
  for (const service of services.splice(0)) await service.close();
});

async function post(service: TestService, lines: string[]): Promise<void> {
  const response = await service.app.inject({ method: 'POST', url: '/v1/exchanges', headers: { ...service.auth('ingest'), 'content-type': 'application/x-ndjson' }, payload: lines.join('\n') });
  expect(response.statusCode).toBe(202);
  await service.core.scoringIdle();
  await service.core.relink.runNow();
}

describe('the workbench queue data', () => {
  it('keeps each account’s volume, first seen and main capability current from the rows added since the last read', async () => {
    const service = await createTestService();
    services.push(service);
    let clock = 0;
    const data = createWorkbenchData(service.core, { maxAgeMs: 0, trafficMaxAgeMs: 0, now: () => (clock += 1000) });
    await post(service, [validExchangeLine({ id: 'a-0', accountId: 'acct_a', ts: '2026-02-11T09:00:00.000Z' }), validExchangeLine({ id: 'b-0', accountId: 'acct_b' })]);
    let index = await data.refresh();
    expect(index.accountById.get('acct_a')).toMatchObject({ exchanges: 1, first_seen: '2026-02-11T09:00:00.000Z' });

    await post(service, [
      validExchangeLine({ id: 'a-1', accountId: 'acct_a', ts: '2026-02-10T08:00:00.000Z', fixtureIndex: 1 }),
      validExchangeLine({ id: 'a-2', accountId: 'acct_a', ts: '2026-02-12T08:00:00.000Z', fixtureIndex: 2 }),
      validExchangeLine({ id: 'c-0', accountId: 'acct_c' }),
    ]);
    index = await data.refresh();
    expect(index.accountById.get('acct_a')).toMatchObject({ exchanges: 3, first_seen: '2026-02-10T08:00:00.000Z', last_seen: '2026-02-12T08:00:00.000Z', capability: expect.any(String) });
    expect(index.accountById.get('acct_b')).toMatchObject({ exchanges: 1 });
    expect(index.accountById.get('acct_c')).toMatchObject({ exchanges: 1 });
  });

  it('keeps the index while nothing it is made from changed, and rebuilds it when a score does', async () => {
    const service = await createTestService();
    services.push(service);
    const data = createWorkbenchData(service.core, { maxAgeMs: 0, trafficMaxAgeMs: 3_600_000 });
    await post(service, [validExchangeLine({ id: 'a-0', accountId: 'acct_a' }), validExchangeLine({ id: 'b-0', accountId: 'acct_b' })]);
    const first = await data.refresh();
    const again = await data.refresh();
    expect(again.accounts).toBe(first.accounts);
    expect(again.builtAt).toBeGreaterThanOrEqual(first.builtAt);
    service.core.book.setAccount('acct_a', { score: 0.9, flagged: true, clusterId: null, evidence: [] });
    const changed = await data.refresh();
    expect(changed.accounts).not.toBe(first.accounts);
    expect(changed.accountById.get('acct_a')).toMatchObject({ score: 0.9, flagged: true });
  });
});
