import { describe, expect, it } from 'vitest';
import { loadRestApi } from '../../src/sources/aws-rest/reader.js';
import { FakeApiGateway } from './fake-apigateway.js';
import { fakeClient, startFakeForSuite } from './helpers.js';
import { syntheticApi } from './synthetic-fixture.js';

describe('pagination', () => {
  let fake: FakeApiGateway;
  // Real quotas and the real (default) pacing: a read of this size must fit without a single 429.
  startFakeForSuite(
    async () =>
      (fake = await FakeApiGateway.start({
        apis: [syntheticApi(2000), syntheticApi(600, 'small00001', 'small-api')],
      })),
  );

  it('reads 2,000 methods in pages of 500: calls grow with pages, not with methods', async () => {
    const client = fakeClient(fake);
    const big = await loadRestApi({ restApi: 'big-api', stage: 'prod', client });
    expect(big.model.routes).toHaveLength(2000);
    const bigPages = fake
      .callsOf('GetResources')
      .filter((call) => call.path === '/restapis/big0000001/resources');
    // 2,002 resources (root, /items and 2,000 leaves) -> 5 pages of at most 500.
    expect(bigPages).toHaveLength(5);
    expect(bigPages[0]?.query.position).toBeUndefined();
    expect(bigPages.slice(1).every((call) => call.query.position !== undefined)).toBe(true);
    expect(big.calls).toBe(10); // GetRestApis, GetStage, GetAuthorizers, 5 x GetResources, GetGatewayResponses, GetExport
    expect(fake.calls).toHaveLength(10);

    const before = fake.calls.length;
    const small = await loadRestApi({ restApi: 'small00001', stage: 'prod', client });
    expect(small.model.routes).toHaveLength(600);
    expect(small.calls).toBe(7); // 2 pages of resources
    expect(fake.calls.slice(before).filter((call) => call.operation === 'GetResources')).toHaveLength(2);

    expect(fake.calls.filter((call) => call.status === 429)).toEqual([]);
    expect(big.drift).toEqual([]);
  });
});
