import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadRestApi } from '../../src/sources/aws-rest/reader.js';
import { FakeApiGateway } from './fake-apigateway.js';
import type { RecordedCall } from './fake-control-plane.js';
import { fakeClient, useFakeCredentials } from './helpers.js';
import { syntheticApi } from './synthetic-fixture.js';

// The real quotas with shorter windows (5 GetResources per second, 10 calls per 100 ms), on both sides. The GetResources
// window must stay longer than five pages take to fetch and parse, or the quota never bites.
const QUOTAS = { getResources: { limit: 5, windowMs: 1000 }, overall: { limit: 10, windowMs: 100 } };
const PACING = {
  rules: [
    { operation: 'GetResources', limit: 5, windowMs: 1000 },
    { limit: 10, windowMs: 100 },
  ],
  marginMs: 100,
};

function maxInWindow(calls: RecordedCall[], windowMs: number): number {
  let max = 0;
  for (const call of calls) {
    max = Math.max(max, calls.filter((other) => other.at >= call.at && other.at < call.at + windowMs).length);
  }
  return max;
}

describe('client-side pacing against a fake that enforces the quotas', () => {
  let fake: FakeApiGateway | undefined;
  const restoreEnv = useFakeCredentials();
  afterEach(async () => {
    await fake?.stop();
    fake = undefined;
  });
  afterAll(() => restoreEnv());

  it('never sends more than 5 GetResources per window: no 429 across 12 pages', async () => {
    fake = await FakeApiGateway.start({ apis: [syntheticApi(5800)], quotas: QUOTAS });
    const live = await loadRestApi({
      restApi: 'big0000001',
      stage: 'prod',
      client: fakeClient(fake, { pacing: PACING }),
    });
    expect(live.model.routes).toHaveLength(5800);
    const pages = fake.callsOf('GetResources');
    expect(pages).toHaveLength(12);
    expect(fake.calls.filter((call) => call.status === 429)).toEqual([]);
    expect(maxInWindow(pages, 1000)).toBeLessThanOrEqual(5);
    // Pacing had to wait: 12 pages at 5 per second take at least two full windows.
    const last = pages[pages.length - 1];
    expect(last && pages[0] ? last.at - pages[0].at : 0).toBeGreaterThanOrEqual(2000);
  });

  it('without pacing the same read gets 429s (the fake enforces), and the SDK retries still succeed', async () => {
    // A tighter GetResources quota, so that the 3rd page hits it however slowly a loaded machine parses pages.
    const tight = { ...QUOTAS, getResources: { limit: 2, windowMs: 1000 } };
    fake = await FakeApiGateway.start({ apis: [syntheticApi(2300)], quotas: tight, retryAfterSeconds: 0 });
    const live = await loadRestApi({
      restApi: 'big0000001',
      stage: 'prod',
      client: fakeClient(fake, { pacing: false }),
    });
    expect(live.model.routes).toHaveLength(2300);
    expect(fake.callsOf('GetResources').filter((call) => call.status === 429).length).toBeGreaterThan(0);
  });
});
