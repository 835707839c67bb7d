import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { ProjectConfig } from '../../src/config/types.js';
import { AwsAccessDeniedError } from '../../src/errors.js';
import { formatProbeResults, probeAuthorizers } from '../../src/probe/index.js';
import { loadRestApi } from '../../src/sources/aws-rest/reader.js';
import type { AuthModel } from '../../src/model/types.js';
import { FakeApiGateway } from './fake-apigateway.js';
import { fakeClient, startFakeForSuite } from './helpers.js';
import { PETSTORE_ID, PETSTORE_STAGE, petstoreApi } from './petstore-fixture.js';

const CONFIG_FILE = fileURLToPath(new URL('../../examples/apigw-authz.config.yaml', import.meta.url));

describe('probe: TestInvokeAuthorizer against the fake', () => {
  let fake: FakeApiGateway;
  let model: AuthModel;
  let config: ProjectConfig;
  startFakeForSuite(
    async () => (fake = await FakeApiGateway.start({ apis: [petstoreApi()], quotas: false })),
  );
  beforeAll(async () => {
    config = await loadConfig(CONFIG_FILE, process.cwd());
    model = (await loadRestApi({ restApi: PETSTORE_ID, stage: PETSTORE_STAGE, client: fakeClient(fake) }))
      .model;
  });

  it('runs the TOKEN and REQUEST cases and reports status, outcome, policy and latency', async () => {
    const before = fake.calls.length;
    const results = await probeAuthorizers({
      client: fakeClient(fake),
      restApiId: PETSTORE_ID,
      model,
      config,
    });
    expect(
      results.map((r) => [r.authorizer, r.case, r.description, r.expected, r.outcome, r.clientStatus, r.ok]),
    ).toEqual([
      ['RequestAuth', 'valid', 'every identity source valid', 'allow', 'allow', 0, true],
      ['RequestAuth', 'missing', 'missing header X-Tenant-Id', 'unauthorized', 'unauthorized', 401, true],
      [
        'RequestAuth',
        'missing',
        'missing query string apiVersion',
        'unauthorized',
        'unauthorized',
        401,
        true,
      ],
      [
        'RequestAuth',
        'unknown',
        'unknown header and query string values',
        'not-allowed',
        'unauthorized',
        401,
        true,
      ],
      ['TokenAuth', 'valid', 'valid token in X-Auth-Token', 'allow', 'allow', 0, true],
      ['TokenAuth', 'deny', 'deny token in X-Auth-Token', 'deny', 'deny', 0, true],
      ['TokenAuth', 'missing', 'no X-Auth-Token header', 'unauthorized', 'unauthorized', 401, true],
      [
        'TokenAuth',
        'regex-mismatch',
        'token failing ^[a-z][a-z0-9-]{3,63}$',
        'unauthorized',
        'unauthorized',
        401,
        true,
      ],
      ['TokenAuth', 'unknown', 'unknown token', 'not-allowed', 'unauthorized', 401, true],
    ]);
    const valid = results.find((r) => r.authorizer === 'TokenAuth' && r.case === 'valid');
    expect(valid?.latencyMs).toBe(14);
    expect(valid?.principalId).toBe('user');
    expect(valid?.policy).toMatchObject({ Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke' }] });

    const calls = fake.calls.slice(before);
    expect(calls.map((call) => call.operation)).toEqual([
      'GetAuthorizers',
      ...results.map(() => 'TestInvokeAuthorizer'),
    ]);
    expect(calls.filter((c) => c.operation === 'TestInvokeAuthorizer').map((c) => c.path)).toContain(
      `/restapis/${PETSTORE_ID}/authorizers/tok222`,
    );

    const text = formatProbeResults(results);
    expect(text).toContain('probe: 9 run, 0 unexpected, 0 skipped.');
    // Token values are never echoed.
    expect(text).not.toContain('allow-alice');
    expect(JSON.stringify(results)).not.toContain('allow-alice');
  });

  it('flags an authorizer that lets an unknown token through, and skips cases without test values', async () => {
    const api = fake.api(PETSTORE_ID);
    const saved = api.lambdas;
    api.lambdas = { ...saved, tok222: () => 'Allow' };
    try {
      const noTokens: ProjectConfig = {
        ...config,
        authorizers: { ...config.authorizers, TokenAuth: { tokenFormat: 'opaque', validIdentity: {} } },
      };
      const results = await probeAuthorizers({
        client: fakeClient(fake),
        restApiId: PETSTORE_ID,
        model,
        config: noTokens,
      });
      const token = results.filter((r) => r.authorizer === 'TokenAuth');
      expect(token.find((r) => r.case === 'valid')?.skipped).toMatch(
        /no literal authorizers\.TokenAuth\.validToken/,
      );
      expect(token.find((r) => r.case === 'unknown')).toMatchObject({ outcome: 'allow', ok: false });
      expect(formatProbeResults(results)).toMatch(/1 unexpected, 1 skipped/);
    } finally {
      api.lambdas = saved;
    }
  });

  it('access denied on TestInvokeAuthorizer -> AwsAccessDeniedError naming the call', async () => {
    fake.inject({ kind: 'access-denied', operation: 'TestInvokeAuthorizer' });
    const error = await probeAuthorizers({
      client: fakeClient(fake),
      restApiId: PETSTORE_ID,
      model,
      config,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsAccessDeniedError);
    expect((error as AwsAccessDeniedError).toLine()).toMatch(
      /^TestInvokeAuthorizer \(REST API a1b2c3d4e5\) was denied/,
    );
  });
});
