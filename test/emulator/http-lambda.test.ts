import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  callFromRequest,
  createGatewayCore,
  startGateway,
  type DescribedRequest,
  type GatewayCore,
  type RunningGateway,
} from '../../src/emulator/index.js';
import type { AuthModel, Authorizer, IdentitySource } from '../../src/model/types.js';
import { ACCOUNT, API_ID, REGION, config, httpLambdaAuthorizer, model, route } from '../support/models.js';
import { FIXTURES, call, type Reply } from './helpers.js';

const HANDLER = path.join(FIXTURES, 'http-behaviour.mjs');
const NOW_MS = 1_800_000_000_000;
const HOST = `${API_ID}.execute-api.${REGION}.amazonaws.com`;
const ARN = `arn:aws:execute-api:${REGION}:${ACCOUNT}:${API_ID}/$default`;
const FORBIDDEN = { status: 403, body: '{"message":"Forbidden"}', errorType: null };
const UNAUTHORIZED_HTTP = { status: 401, body: '{"message":"Unauthorized"}', errorType: null };
const INTERNAL = { status: 500, body: '{"message":"Internal Server Error"}', errorType: null };

declare global {
  var __httpAuthorizerEvents: unknown[] | undefined;
}

function lambda(name: string, extra: Partial<Authorizer> = {}): Authorizer {
  return httpLambdaAuthorizer(name, extra);
}

function labModel(): AuthModel {
  const contextSource: IdentitySource = {
    location: 'context',
    name: 'routeKey',
    expression: '$context.routeKey',
  };
  return model({
    api: { kind: 'HTTP', id: API_ID, name: 'lambda-lab', region: REGION },
    stage: { name: '$default', baseUrl: `https://${HOST}`, variables: {} },
    authorizers: [
      lambda('Simple'),
      lambda('V1', { httpLambda: { payloadFormat: '1.0', simpleResponses: false } }),
      lambda('V2Policy', { httpLambda: { payloadFormat: '2.0', simpleResponses: false } }),
      lambda('NoCache', { ttlSeconds: 0 }),
      lambda('Sample'),
      lambda('PerRoute', {
        identitySources: [
          { location: 'header', name: 'X-Api-Token', expression: '$request.header.X-Api-Token' },
          contextSource,
        ],
      }),
    ],
    routes: [
      route('GET', '/reports', 'Simple'),
      route('ANY', '/inventory/{proxy+}', 'Simple'),
      route('GET', '/v1/items/{id}', 'V1'),
      route('GET', '/v2/items/{id}', 'V2Policy'),
      route('GET', '/v2/other', 'V2Policy'),
      route('GET', '/nocache', 'NoCache'),
      route('GET', '/sample', 'Sample'),
      route('GET', '/per-route/a', 'PerRoute'),
      route('GET', '/per-route/b', 'PerRoute'),
    ],
  });
}

function labConfig() {
  const handler = { handler: HANDLER };
  return config({
    Simple: handler,
    V1: handler,
    V2Policy: handler,
    NoCache: handler,
    PerRoute: handler,
    Sample: {
      validIdentity: {
        '$request.header.X-Api-Token': 'orders-token-1',
        '$request.querystring.tenant': 'tenant-1',
      },
    },
  });
}

const events = (): unknown[] => globalThis.__httpAuthorizerEvents ?? [];
beforeEach(() => {
  globalThis.__httpAuthorizerEvents = [];
});

describe('HTTP Lambda authorizer events (payload 1.0 and 2.0)', () => {
  let core: GatewayCore;
  beforeAll(() => {
    core = createGatewayCore({ model: labModel(), config: labConfig(), now: () => NOW_MS });
  });

  async function decide(request: DescribedRequest) {
    const { call: incoming, fullPath } = callFromRequest(request, '$default');
    return core.decide(incoming, fullPath);
  }

  it('builds the 2.0 event: lower-case headers, identitySource list, routeArn, routeKey, cookies, joined query', async () => {
    const decision = await decide({
      method: 'GET',
      path: '/v2/items/42?tenant=t1&tenant=t2&x=1',
      headers: { Host: HOST, 'X-Api-Token': 'policy-allow', Cookie: 'a=1; b=2', 'User-Agent': 'lab/1.0' },
      requestId: 'req-2',
    });
    expect(decision.status).toBe(200);
    expect(decision.methodArn).toBe(`${ARN}/GET/v2/items/42`);
    expect(events()).toEqual([
      {
        version: '2.0',
        type: 'REQUEST',
        routeArn: `${ARN}/GET/v2/items/42`,
        identitySource: ['policy-allow', 't1,t2'],
        routeKey: 'GET /v2/items/{id}',
        rawPath: '/v2/items/42',
        rawQueryString: 'tenant=t1&tenant=t2&x=1',
        cookies: ['a=1', 'b=2'],
        headers: { host: HOST, 'x-api-token': 'policy-allow', 'user-agent': 'lab/1.0' },
        queryStringParameters: { tenant: 't1,t2', x: '1' },
        requestContext: {
          accountId: ACCOUNT,
          apiId: API_ID,
          domainName: HOST,
          domainPrefix: API_ID,
          http: {
            method: 'GET',
            path: '/v2/items/42',
            protocol: 'HTTP/1.1',
            sourceIp: '127.0.0.1',
            userAgent: 'lab/1.0',
          },
          requestId: 'req-2',
          routeKey: 'GET /v2/items/{id}',
          stage: '$default',
          time: '15/Jan/2027:08:00:00 +0000',
          timeEpoch: NOW_MS,
        },
        pathParameters: { id: '42' },
      },
    ]);
  });

  it('builds the 1.0 event: REST-shaped, identity values comma-joined, methodArn, headers as sent', async () => {
    const decision = await decide({
      method: 'GET',
      path: '/v1/items/42?tenant=t1',
      headers: { Host: HOST, 'X-Api-Token': 'policy-allow' },
      requestId: 'req-1',
    });
    expect(decision.status).toBe(200);
    expect(events()).toEqual([
      {
        version: '1.0',
        type: 'REQUEST',
        methodArn: `${ARN}/GET/v1/items/42`,
        identitySource: 'policy-allow,t1',
        authorizationToken: 'policy-allow,t1',
        resource: '/v1/items/{id}',
        path: '/v1/items/42',
        httpMethod: 'GET',
        headers: { Host: HOST, 'X-Api-Token': 'policy-allow' },
        queryStringParameters: { tenant: 't1' },
        pathParameters: { id: '42' },
        stageVariables: {},
        requestContext: {
          path: '/v1/items/42',
          accountId: ACCOUNT,
          resourceId: expect.stringMatching(/^[0-9a-f]{6}$/) as unknown,
          stage: '$default',
          requestId: 'req-1',
          identity: { apiKey: null, sourceIp: '127.0.0.1', clientCert: null },
          resourcePath: '/v1/items/{id}',
          httpMethod: 'GET',
          apiId: API_ID,
        },
      },
    ]);
  });
});

describe('HTTP Lambda authorizer answers', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startGateway({ model: labModel(), config: labConfig(), handlerTimeoutMs: 300 });
  });
  afterAll(() => gw.stop());

  const get = (p: string, token?: string, method = 'GET') =>
    call(`${gw.url}${p}`, { method, headers: token === undefined ? {} : { 'X-Api-Token': token } });
  const answer = (reply: Reply) => ({
    status: reply.status,
    body: reply.text,
    errorType: reply.headers.get('x-amzn-errortype'),
  });
  const cause = (reply: Reply) => reply.headers.get('x-apigw-authz-cause');

  it('answers a missing or empty identity source 401 without invoking the Lambda', async () => {
    const before = gw.stats().authorizers.Simple;
    for (const [p, token] of [
      ['/reports?tenant=t1', undefined],
      ['/reports', 'allow'],
      ['/reports?tenant=', 'allow'],
      ['/reports?tenant=t1', ''],
    ] as const) {
      const reply = await get(p, token);
      expect(answer(reply)).toEqual(UNAUTHORIZED_HTTP);
      expect([cause(reply), reply.headers.get('x-apigw-authz-authorizer-invoked')]).toEqual([
        'identity-source-missing',
        'false',
      ]);
    }
    expect(events()).toEqual([]);
    expect(gw.stats().authorizers.Simple).toEqual({
      ...before,
      rejectedBeforeInvoke: (before?.rejectedBeforeInvoke ?? 0) + 4,
    });
  });

  it('lets an allow through and hands the integration the context JSON-typed under lambda', async () => {
    const reply = await get('/reports?tenant=allow-1', 'allow');
    expect(reply.status).toBe(200);
    expect(reply.body?.authorizer).toEqual({
      lambda: { tenant: 't1', seats: 25, admin: false, roles: ['a', 'b'], limits: { daily: 10 } },
    });
  });

  it('answers isAuthorized: false, a Deny policy and an unmatched policy 403 {"message":"Forbidden"}', async () => {
    const denied = await get('/reports?tenant=deny-1', 'deny');
    expect([answer(denied), cause(denied)]).toEqual([FORBIDDEN, 'simple-response-denied']);
    const policyDeny = await get('/v2/other?tenant=deny-2', 'policy-deny');
    expect([answer(policyDeny), cause(policyDeny)]).toEqual([FORBIDDEN, 'policy-explicit-deny']);
    const unmatched = await get('/v2/other?tenant=deny-3', 'policy-unknown');
    expect([answer(unmatched), cause(unmatched)]).toEqual([FORBIDDEN, 'policy-implicit-deny']);
  });

  it('answers every Lambda failure 500 {"message":"Internal Server Error"} (a thrown Unauthorized too)', async () => {
    for (const [token, expected] of [
      ['throw', 'lambda-error'],
      ['unauthorized', 'lambda-error'],
      ['bad', 'lambda-invalid-result'],
      ['policy-allow', 'lambda-invalid-result'], // a policy where simple responses are on
      ['slow', 'lambda-timeout'],
    ] as const) {
      const reply = await get(`/nocache?tenant=${token}`, token);
      expect([answer(reply), cause(reply)]).toEqual([INTERNAL, expected]);
    }
    // And the reverse: isAuthorized where a policy is expected.
    const reverse = await get('/v2/other?tenant=x', 'allow');
    expect([answer(reverse), cause(reverse)]).toEqual([INTERNAL, 'lambda-invalid-result']);
  });

  it('shares a cached result across routes, keyed by every identity value', async () => {
    const before = gw.stats().authorizers.Simple;
    expect((await get('/reports?tenant=cache-1', 'allow')).status).toBe(200);
    const reused = await get('/inventory/sku-1?tenant=cache-1', 'allow', 'POST');
    expect([reused.status, reused.headers.get('x-apigw-authz-authorizer-invoked')]).toEqual([200, 'false']);
    // Another value of the second source is another cache entry: the Lambda runs again.
    expect((await get('/inventory/sku-1?tenant=cache-2', 'allow')).status).toBe(200);
    expect(gw.stats().authorizers.Simple).toMatchObject({
      invocations: (before?.invocations ?? 0) + 2,
      cacheHits: (before?.cacheHits ?? 0) + 1,
    });
    expect(events()).toHaveLength(2);
  });

  it('reuses a cached policy on another route, where it may not allow (AWS caches across routes)', async () => {
    expect((await get('/v2/items/1?tenant=scoped', 'policy-this-route-only')).status).toBe(200);
    const other = await get('/v2/other?tenant=scoped', 'policy-this-route-only');
    expect([answer(other), cause(other)]).toEqual([FORBIDDEN, 'cached-policy-implicit-deny']);
    expect(events()).toHaveLength(1);
  });

  it('does not cache with TTL 0, and caches per route with $context.routeKey as a source', async () => {
    await get('/nocache?tenant=n', 'allow');
    await get('/nocache?tenant=n', 'allow');
    expect(events()).toHaveLength(2);
    globalThis.__httpAuthorizerEvents = [];
    await get('/per-route/a', 'allow');
    await get('/per-route/a', 'allow');
    await get('/per-route/b', 'allow');
    expect(events().map((e) => (e as { identitySource: string[] }).identitySource)).toEqual([
      ['allow', 'GET /per-route/a'],
      ['allow', 'GET /per-route/b'],
    ]);
  });

  it('uses the built-in sample handler from validIdentity when no handler is configured', async () => {
    const allowed = await get('/sample?tenant=tenant-1', 'orders-token-1');
    expect([allowed.status, allowed.body?.authorizer]).toEqual([
      200,
      { lambda: { sample: true, identities: 2 } },
    ]);
    const refused = await get('/sample?tenant=tenant-2', 'orders-token-1');
    expect([answer(refused), cause(refused)]).toEqual([FORBIDDEN, 'simple-response-denied']);
  });
});
