import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../src/emulator/index.js';
import {
  CONFIG_ERROR,
  EXAMPLE_HANDLERS,
  EXPLICIT_DENY,
  FIXTURES,
  IMPLICIT_DENY,
  UNAUTHORIZED,
  call,
  outcome,
} from './helpers.js';
import { ARN_PREFIX, config, model, route, tokenAuthorizer } from '../support/models.js';

const REGEX = '^[a-z][a-z0-9-]{3,63}$';

describe('Lambda TOKEN authorizer with the example handler', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startGateway({
      model: model({
        authorizers: [tokenAuthorizer('TokenAuth', { validationExpression: REGEX })],
        routes: [route('GET', '/orders', 'TokenAuth'), route('DELETE', '/orders/{orderId}', 'TokenAuth')],
      }),
      config: config({ TokenAuth: { handler: path.join(EXAMPLE_HANDLERS, 'token.mjs') } }),
    });
  });
  afterAll(() => gw.stop());

  it('allows allow-alice and hands the context to the integration', async () => {
    const reply = await call(`${gw.url}/orders`, { headers: { 'X-Auth-Token': 'allow-alice' } });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      route: 'GET /orders',
      path: '/orders',
      method: 'GET',
      pathParameters: {},
      principalId: 'alice',
      authorizer: { user: 'alice' },
    });
  });

  it('answers an explicit deny for deny-mallory', async () => {
    const reply = await call(`${gw.url}/orders`, { headers: { 'x-auth-token': 'deny-mallory' } });
    expect(outcome(reply)).toEqual(EXPLICIT_DENY);
  });

  it('answers 401 for an unknown token (the handler throws Unauthorized)', async () => {
    const before = gw.stats().authorizers.TokenAuth?.invocations ?? 0;
    const reply = await call(`${gw.url}/orders`, { headers: { 'X-Auth-Token': 'nobody-here' } });
    expect(outcome(reply)).toEqual(UNAUTHORIZED);
    expect(gw.stats().authorizers.TokenAuth?.invocations).toBe(before + 1);
  });

  it.each([
    ['no header', {}],
    ['an empty header', { 'X-Auth-Token': '' }],
    ['a token failing the validation regex', { 'X-Auth-Token': 'Allow-Alice' }],
    ['a too-short token', { 'X-Auth-Token': 'ab' }],
  ])('answers 401 for %s before the Lambda runs', async (_name, headers: Record<string, string>) => {
    const before = gw.stats().authorizers.TokenAuth;
    const reply = await call(`${gw.url}/orders`, { headers });
    expect(outcome(reply)).toEqual(UNAUTHORIZED);
    const after = gw.stats().authorizers.TokenAuth;
    expect(after?.invocations).toBe(before?.invocations);
    expect(after?.rejectedBeforeInvoke).toBe((before?.rejectedBeforeInvoke ?? 0) + 1);
  });

  it('serves the second route from the cache with the same token', async () => {
    await call(`${gw.url}/orders`, { headers: { 'X-Auth-Token': 'allow-alice' } });
    const before = gw.stats().authorizers.TokenAuth;
    const reply = await call(`${gw.url}/orders/7`, {
      method: 'DELETE',
      headers: { 'X-Auth-Token': 'allow-alice' },
    });
    expect(reply.status).toBe(200);
    expect(reply.body?.authorizer).toEqual({ user: 'alice' });
    const after = gw.stats().authorizers.TokenAuth;
    expect(after?.invocations).toBe(before?.invocations);
    expect(after?.cacheHits).toBe((before?.cacheHits ?? 0) + 1);
  });
});

describe('Lambda TOKEN authorizer outcomes', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startGateway({
      model: model({
        authorizers: [
          tokenAuthorizer('Behaviour', { ttlSeconds: 0 }),
          tokenAuthorizer('CallbackStyle', { ttlSeconds: 0 }),
          tokenAuthorizer('Sample', { ttlSeconds: 0 }),
        ],
        routes: [
          route('GET', '/', 'Behaviour'),
          route('GET', '/b/{id}', 'Behaviour'),
          route('GET', '/cb', 'CallbackStyle'),
          route('GET', '/sample', 'Sample'),
        ],
      }),
      config: config({
        Behaviour: { handler: path.join(FIXTURES, 'behaviour.mjs') },
        CallbackStyle: { handler: path.join(FIXTURES, 'callback-style.cjs') },
      }),
      handlerTimeoutMs: 300,
    });
  });
  afterAll(() => gw.stop());

  const get = (p: string, token: string) => call(`${gw.url}${p}`, { headers: { 'X-Auth-Token': token } });

  it.each([
    ['statement-object', 200],
    ['context', 200],
    ['scoped', 200],
  ])('allows %s', async (token, status) => {
    expect((await get('/b/1', token)).status).toBe(status);
  });

  it.each([
    ['deny-only-other', IMPLICIT_DENY],
    ['allow-and-deny', EXPLICIT_DENY],
    ['throw-string', UNAUTHORIZED],
    ['anything-else', UNAUTHORIZED],
    ['lowercase-unauthorized', CONFIG_ERROR],
    ['other-error', CONFIG_ERROR],
    ['no-principal', CONFIG_ERROR],
    ['no-policy', CONFIG_ERROR],
    ['object-context', CONFIG_ERROR],
    ['array-context', CONFIG_ERROR],
    ['null-result', CONFIG_ERROR],
    ['string-result', CONFIG_ERROR],
    ['slow', CONFIG_ERROR],
  ])('%s -> %o', async (token, expected) => {
    expect(outcome(await get('/b/1', token))).toEqual(expected);
  });

  it('hands the event to the handler with the concrete methodArn (root: /GET/)', async () => {
    expect((await get('/b/a-1', 'echo')).body?.authorizer).toEqual({
      methodArn: `${ARN_PREFIX}/GET/b/a-1`,
      type: 'TOKEN',
      token: 'echo',
    });
    expect((await get('/', 'echo')).body?.authorizer).toMatchObject({ methodArn: `${ARN_PREFIX}/GET/` });
  });

  it('stringifies context values', async () => {
    expect((await get('/b/1', 'context')).body?.authorizer).toEqual({
      user: 'bob',
      count: '3',
      admin: 'false',
    });
  });

  it.each([
    ['good', 200],
    ['legacy-fail', 401],
    ['bad', 401],
  ])('runs CommonJS callback-style handlers: %s -> %i', async (token, status) => {
    const reply = await get('/cb', token);
    expect(reply.status).toBe(status);
    if (status === 200) expect(reply.body?.authorizer).toEqual({ style: 'callback' });
  });

  it.each([
    ['allow', 200, null],
    ['allow-anyone', 200, null],
    ['deny', 403, 'AccessDeniedException'],
    ['deny-me', 403, 'AccessDeniedException'],
    ['unauthorized', 401, 'UnauthorizedException'],
    ['fail', 500, 'AuthorizerConfigurationException'],
    ['whatever', 401, 'UnauthorizedException'],
  ])('built-in sample handler: %s -> %i', async (token, status, errorType) => {
    const reply = await get('/sample', token);
    expect(reply.status).toBe(status);
    expect(reply.headers.get('x-amzn-errortype')).toBe(errorType);
  });

  it('does not cache with TTL 0', async () => {
    const before = gw.stats().authorizers.Behaviour;
    await get('/b/1', 'context');
    await get('/b/2', 'context');
    const after = gw.stats().authorizers.Behaviour;
    expect(after?.invocations).toBe((before?.invocations ?? 0) + 2);
    expect(after?.cacheHits).toBe(before?.cacheHits);
  });
});

describe('the caching pitfall: a method-scoped policy cached across routes', () => {
  let clock = 1_000_000;
  const routes = [route('GET', '/orders', 'Scoped'), route('GET', '/files/{proxy+}', 'Scoped')];
  const handler = path.join(FIXTURES, 'behaviour.mjs');

  it('answers 403 on the second route within the TTL, and passes again after it', async () => {
    const gw = await startGateway({
      model: model({ authorizers: [tokenAuthorizer('Scoped', { ttlSeconds: 300 })], routes }),
      config: config({ Scoped: { handler } }),
      now: () => clock,
    });
    try {
      const headers = { 'X-Auth-Token': 'scoped-token' };
      expect((await call(`${gw.url}/orders`, { headers })).status).toBe(200);
      expect(outcome(await call(`${gw.url}/files/a.txt`, { headers }))).toEqual(IMPLICIT_DENY);
      expect(gw.stats().authorizers.Scoped).toEqual({
        invocations: 1,
        cacheHits: 1,
        rejectedBeforeInvoke: 0,
      });
      clock += 301_000;
      expect((await call(`${gw.url}/files/a.txt`, { headers })).status).toBe(200);
      expect(gw.stats().authorizers.Scoped?.invocations).toBe(2);
    } finally {
      await gw.stop();
    }
  });

  it('passes on both routes with TTL 0 (control)', async () => {
    const gw = await startGateway({
      model: model({ authorizers: [tokenAuthorizer('Scoped', { ttlSeconds: 0 })], routes }),
      config: config({ Scoped: { handler } }),
    });
    try {
      const headers = { 'X-Auth-Token': 'scoped-token' };
      expect((await call(`${gw.url}/orders`, { headers })).status).toBe(200);
      expect((await call(`${gw.url}/files/a.txt`, { headers })).status).toBe(200);
      expect(gw.stats().authorizers.Scoped).toEqual({
        invocations: 2,
        cacheHits: 0,
        rejectedBeforeInvoke: 0,
      });
    } finally {
      await gw.stop();
    }
  });
});
