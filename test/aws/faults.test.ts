import { describe, expect, it } from 'vitest';
import { AwsRequestError } from '../../src/errors.js';
import { loadRestApi } from '../../src/sources/aws-rest/reader.js';
import { FakeApiGateway } from './fake-apigateway.js';
import { fakeClient, startFakeForSuite } from './helpers.js';
import { PETSTORE_ID, PETSTORE_STAGE, petstoreApi } from './petstore-fixture.js';

describe('retries on faults (the SDK retry strategy, not a mock)', () => {
  let fake: FakeApiGateway;
  startFakeForSuite(
    async () =>
      (fake = await FakeApiGateway.start({ apis: [petstoreApi()], quotas: false, retryAfterSeconds: 1 })),
  );

  const read = (options: Parameters<typeof fakeClient>[1] = {}) =>
    loadRestApi({ restApi: PETSTORE_ID, stage: PETSTORE_STAGE, client: fakeClient(fake, options) });

  it('429 TooManyRequestsException with Retry-After once: waits as told and succeeds', async () => {
    fake.inject({ kind: 'throttle', operation: 'GetResources' });
    const before = fake.calls.length;
    const live = await read();
    expect(live.model.routes.length).toBeGreaterThan(0);
    expect(fake.statusesOf('GetResources', before)).toEqual([429, 200]);
    const attempts = fake.calls.slice(before).filter((call) => call.operation === 'GetResources');
    const [first, second] = attempts;
    // Retry-After: 1 is honoured (the SDK's own throttling backoff alone may be shorter).
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('500 then success', async () => {
    fake.inject({ kind: 'server-error', operation: 'GetAuthorizers' });
    const before = fake.calls.length;
    const live = await read();
    expect(live.model.authorizers.map((a) => a.name)).toContain('TokenAuth');
    expect(fake.statusesOf('GetAuthorizers', before)).toEqual([500, 200]);
  });

  it('a request that hangs past the socket timeout is retried', async () => {
    fake.inject({ kind: 'timeout', operation: 'GetStage', delayMs: 3000 });
    const before = fake.calls.length;
    const started = performance.now();
    const live = await read({ requestTimeoutMs: 300 });
    expect(live.model.stage.name).toBe(PETSTORE_STAGE);
    expect(fake.calls.slice(before).filter((call) => call.operation === 'GetStage')).toHaveLength(2);
    expect(performance.now() - started).toBeLessThan(2500);
  });

  it('a call that keeps timing out ends in one AwsRequestError line naming the call', async () => {
    fake.inject({ kind: 'timeout', operation: 'GetStage', delayMs: 3000, times: 2 });
    const error = await read({ requestTimeoutMs: 200, maxAttempts: 2 }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(AwsRequestError);
    const line = (error as AwsRequestError).toLine();
    expect(line).toMatch(/^GetStage \(REST API a1b2c3d4e5, stage prod, us-east-1\) timed out/);
    expect(line).not.toContain('\n');
  });
});
