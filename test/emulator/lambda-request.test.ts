import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../src/emulator/index.js';
import { EXAMPLE_HANDLERS, FIXTURES, UNAUTHORIZED, call, outcome } from './helpers.js';
import { ACCOUNT, API_ID, ARN_PREFIX, config, model, requestAuthorizer, route } from '../support/models.js';

const VALID = { headers: { 'X-Tenant-Id': 'tenant-1' }, query: '?apiVersion=2024-01-01' };

describe('Lambda REQUEST authorizer with the example handler (caching on)', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startGateway({
      model: model({
        authorizers: [requestAuthorizer('RequestAuth')],
        routes: [route('GET', '/reports', 'RequestAuth'), route('GET', '/reports/{reportId}', 'RequestAuth')],
      }),
      config: config(
        { RequestAuth: { handler: path.join(EXAMPLE_HANDLERS, 'request.mjs') } },
        { stageVariables: { authStage: 'prod-auth' } },
      ),
    });
  });
  afterAll(() => gw.stop());

  it('allows when every identity source is valid', async () => {
    const reply = await call(`${gw.url}/reports${VALID.query}`, { headers: VALID.headers });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ principalId: 'tenant:tenant-1', authorizer: { tenant: 'tenant-1' } });
  });

  it.each([
    ['the header missing', {}, VALID.query],
    ['the header empty', { 'X-Tenant-Id': '' }, VALID.query],
    ['the query string missing', VALID.headers, ''],
    ['the query string empty', VALID.headers, '?apiVersion='],
  ])('answers 401 with %s, before the Lambda runs', async (_name, headers: Record<string, string>, query) => {
    const before = gw.stats().authorizers.RequestAuth;
    expect(outcome(await call(`${gw.url}/reports${query}`, { headers }))).toEqual(UNAUTHORIZED);
    const after = gw.stats().authorizers.RequestAuth;
    expect(after?.invocations).toBe(before?.invocations);
    expect(after?.rejectedBeforeInvoke).toBe((before?.rejectedBeforeInvoke ?? 0) + 1);
  });

  it('calls the Lambda for unknown values, which answers 401', async () => {
    const before = gw.stats().authorizers.RequestAuth?.invocations ?? 0;
    const reply = await call(`${gw.url}/reports?apiVersion=1999-01-01`, { headers: VALID.headers });
    expect(outcome(reply)).toEqual(UNAUTHORIZED);
    expect(gw.stats().authorizers.RequestAuth?.invocations).toBe(before + 1);
  });

  it('keys the cache on all identity sources together', async () => {
    await call(`${gw.url}/reports${VALID.query}`, { headers: VALID.headers });
    const before = gw.stats().authorizers.RequestAuth;
    expect((await call(`${gw.url}/reports/7${VALID.query}`, { headers: VALID.headers })).status).toBe(200);
    expect(gw.stats().authorizers.RequestAuth?.cacheHits).toBe((before?.cacheHits ?? 0) + 1);
    // Another header value is another key: the Lambda runs again.
    await call(`${gw.url}/reports/7${VALID.query}`, { headers: { 'X-Tenant-Id': 'tenant-2' } });
    expect(gw.stats().authorizers.RequestAuth?.invocations).toBe((before?.invocations ?? 0) + 1);
  });
});

describe('Lambda REQUEST authorizer event and TTL 0', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startGateway({
      model: model({
        authorizers: [
          requestAuthorizer('Echo', {
            ttlSeconds: 0,
            identitySources: [
              ...requestAuthorizer('x').identitySources,
              { location: 'context', name: 'identity.sourceIp', expression: 'context.identity.sourceIp' },
            ],
          }),
          requestAuthorizer('Sample', { ttlSeconds: 0 }),
        ],
        routes: [route('POST', '/reports/{reportId}', 'Echo'), route('GET', '/sample', 'Sample')],
        stage: {
          name: 'prod',
          baseUrl: 'https://x/prod',
          variables: { authStage: 'from-model', other: 'kept' },
        },
      }),
      config: config(
        {
          Echo: { handler: path.join(FIXTURES, 'request-echo.mjs') },
          Sample: {
            validIdentity: {
              'method.request.header.X-Tenant-Id': 'tenant-1',
              'method.request.querystring.apiVersion': '2024-01-01',
              'stageVariables.authStage': 'prod-auth',
            },
          },
        },
        { stageVariables: { authStage: 'prod-auth' } },
      ),
    });
  });
  afterAll(() => gw.stop());

  it('hands the Lambda the full REQUEST event', async () => {
    const reply = await call(`${gw.url}/reports/7?apiVersion=2024-01-01&x=1`, {
      method: 'POST',
      headers: { 'X-Tenant-Id': 'tenant-1' },
    });
    expect(reply.status).toBe(200);
    const event = JSON.parse(String((reply.body?.authorizer as Record<string, unknown>).event)) as Record<
      string,
      unknown
    >;
    expect(event).toMatchObject({
      type: 'REQUEST',
      methodArn: `${ARN_PREFIX}/POST/reports/7`,
      resource: '/reports/{reportId}',
      path: '/reports/7',
      httpMethod: 'POST',
      headers: { 'X-Tenant-Id': 'tenant-1' },
      queryStringParameters: { apiVersion: '2024-01-01', x: '1' },
      pathParameters: { reportId: '7' },
      stageVariables: { authStage: 'prod-auth', other: 'kept' },
      requestContext: {
        path: '/reports/7',
        accountId: ACCOUNT,
        stage: 'prod',
        resourcePath: '/reports/{reportId}',
        httpMethod: 'POST',
        apiId: API_ID,
        identity: { sourceIp: expect.stringMatching(/127\.0\.0\.1/) },
      },
    });
    const context = event.requestContext as Record<string, unknown>;
    expect(context.requestId).toBe(reply.headers.get('x-amzn-requestid'));
    expect(context.resourceId).toMatch(/^[0-9a-f]{6}$/);
  });

  it.each([
    ['missing', {}],
    ['empty', { 'X-Tenant-Id': '' }],
  ])(
    'answers 401 without calling the Lambda when a source is %s, also with TTL 0 (default reading)',
    async (_name, headers: Record<string, string>) => {
      const before = gw.stats().authorizers.Echo;
      const reply = await call(`${gw.url}/reports/7?apiVersion=2024-01-01`, { method: 'POST', headers });
      expect(outcome(reply)).toEqual(UNAUTHORIZED);
      expect(gw.stats().authorizers.Echo).toEqual({
        invocations: before?.invocations,
        cacheHits: 0,
        rejectedBeforeInvoke: (before?.rejectedBeforeInvoke ?? 0) + 1,
      });
    },
  );

  it.each([
    ['all sources valid', { 'X-Tenant-Id': 'tenant-1' }, '?apiVersion=2024-01-01', 200],
    ['header name in another case', { 'x-tenant-id': 'tenant-1' }, '?apiVersion=2024-01-01', 200],
    ['wrong header value', { 'X-Tenant-Id': 'tenant-2' }, '?apiVersion=2024-01-01', 401],
    ['query name in another case', { 'X-Tenant-Id': 'tenant-1' }, '?APIVERSION=2024-01-01', 401],
  ])('built-in sample handler: %s -> %i', async (_name, headers: Record<string, string>, query, status) => {
    expect((await call(`${gw.url}/sample${query}`, { headers })).status).toBe(status);
  });
});

describe('serve.requestWithoutCacheMissingSource: invoke (REQUEST, TTL 0, a source missing)', () => {
  const start = (ttlSeconds: number) =>
    startGateway({
      model: model({
        authorizers: [requestAuthorizer('Echo', { ttlSeconds })],
        routes: [route('POST', '/reports/{reportId}', 'Echo')],
      }),
      config: config(
        { Echo: { handler: path.join(FIXTURES, 'request-echo.mjs') } },
        { stageVariables: { authStage: 'prod-auth' }, serve: { requestWithoutCacheMissingSource: 'invoke' } },
      ),
    });

  it('calls the Lambda with the source absent when caching is off', async () => {
    const gw = await start(0);
    try {
      const reply = await call(`${gw.url}/reports/7`, { method: 'POST' });
      expect(reply.status).toBe(200);
      const event = (reply.body?.authorizer as Record<string, string>).event;
      expect(JSON.parse(event ?? '{}').headers).not.toHaveProperty('X-Tenant-Id');
      expect(gw.stats().authorizers.Echo).toEqual({ invocations: 1, cacheHits: 0, rejectedBeforeInvoke: 0 });
    } finally {
      await gw.stop();
    }
  });

  it('still answers 401 before the Lambda when caching is on (the documented pre-check)', async () => {
    const gw = await start(300);
    try {
      expect(outcome(await call(`${gw.url}/reports/7`, { method: 'POST' }))).toEqual(UNAUTHORIZED);
      expect(gw.stats().authorizers.Echo).toEqual({ invocations: 0, cacheHits: 0, rejectedBeforeInvoke: 1 });
    } finally {
      await gw.stop();
    }
  });
});
