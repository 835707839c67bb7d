import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Route } from '../../src/model/types.js';
import { API_KEYS_ENV, startGateway, type RunningGateway } from '../../src/emulator/index.js';
import { EXPLICIT_DENY, FIXTURES, UNAUTHORIZED, call, outcome } from './helpers.js';
import { config, model, route, tokenAuthorizer } from '../support/models.js';

const FORBIDDEN = { status: 403, body: '{"message":"Forbidden"}', errorType: 'ForbiddenException' };
const KEYS = { [API_KEYS_ENV]: 'key-one, key-two,,' };

const keyed = (r: Route): Route => ({ ...r, apiKeyRequired: true });

describe('API keys with apiKeySource HEADER (x-api-key)', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startGateway({
      model: model({
        authorizers: [tokenAuthorizer('TokenAuth', { ttlSeconds: 0 })],
        routes: [
          keyed(route('GET', '/catalog')),
          keyed(route('GET', '/orders', 'TokenAuth')),
          route('GET', '/open'),
        ],
      }),
      config: config(),
      env: KEYS,
    });
  });
  afterAll(() => gw.stop());

  const get = (p: string, headers: Record<string, string> = {}) => call(`${gw.url}${p}`, { headers });

  it.each([
    ['no x-api-key', {}],
    ['a wrong key', { 'x-api-key': 'key-three' }],
    ['an empty key', { 'x-api-key': '' }],
    ['a key that differs only in case', { 'x-api-key': 'KEY-ONE' }],
  ])('answers 403 Forbidden (INVALID_API_KEY) for %s', async (_name, headers: Record<string, string>) => {
    expect(outcome(await get('/catalog', headers))).toEqual(FORBIDDEN);
  });

  it('accepts every configured key (comma-separated, trimmed), under any header-name case', async () => {
    expect((await get('/catalog', { 'x-api-key': 'key-one' })).status).toBe(200);
    expect((await get('/catalog', { 'X-API-Key': 'key-two' })).status).toBe(200);
  });

  it('leaves methods without apiKeyRequired alone', async () => {
    expect((await get('/open')).status).toBe(200);
  });

  it('runs the authorizer first: no token is 401 even without a key', async () => {
    expect(outcome(await get('/orders'))).toEqual(UNAUTHORIZED);
    expect(outcome(await get('/orders', { 'X-Auth-Token': 'deny' }))).toEqual(EXPLICIT_DENY);
  });

  it('then checks the key: an allowed token without a valid key is 403 Forbidden', async () => {
    expect(outcome(await get('/orders', { 'X-Auth-Token': 'allow' }))).toEqual(FORBIDDEN);
    expect(outcome(await get('/orders', { 'X-Auth-Token': 'allow', 'x-api-key': 'nope' }))).toEqual(
      FORBIDDEN,
    );
    const reply = await get('/orders', { 'X-Auth-Token': 'allow', 'x-api-key': 'key-one' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ route: 'GET /orders', principalId: 'sample-user' });
  });

  it('has nothing to warn about when keys are configured', () => {
    expect(gw.warnings).toEqual([]);
  });
});

describe('API keys with apiKeySource AUTHORIZER (usageIdentifierKey)', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    const base = model({
      authorizers: [tokenAuthorizer('KeyAuth')],
      routes: [keyed(route('GET', '/reports', 'KeyAuth')), keyed(route('GET', '/public'))],
    });
    gw = await startGateway({
      model: { ...base, api: { ...base.api, apiKeySource: 'AUTHORIZER' } },
      config: config({ KeyAuth: { handler: path.join(FIXTURES, 'usage-key.mjs') } }),
      env: KEYS,
    });
  });
  afterAll(() => gw.stop());

  const get = (p: string, headers: Record<string, string> = {}) => call(`${gw.url}${p}`, { headers });

  it('allows when the Lambda returns a configured key as usageIdentifierKey', async () => {
    expect((await get('/reports', { 'X-Auth-Token': 'key:key-two' })).status).toBe(200);
  });

  it.each([
    ['an unknown usageIdentifierKey', 'key:key-three'],
    ['no usageIdentifierKey', 'nokey'],
  ])('answers 403 Forbidden for %s', async (_name, token) => {
    expect(outcome(await get('/reports', { 'X-Auth-Token': token }))).toEqual(FORBIDDEN);
  });

  it('ignores the x-api-key header: the key must come from the authorizer', async () => {
    expect(outcome(await get('/reports', { 'X-Auth-Token': 'nokey', 'x-api-key': 'key-one' }))).toEqual(
      FORBIDDEN,
    );
    // a method without an authorizer has no usageIdentifierKey to offer
    expect(outcome(await get('/public', { 'x-api-key': 'key-one' }))).toEqual(FORBIDDEN);
  });

  it('keeps the authorizer outcome for rejected tokens', async () => {
    expect(outcome(await get('/reports', { 'X-Auth-Token': 'deny' }))).toEqual(EXPLICIT_DENY);
    expect(outcome(await get('/reports', { 'X-Auth-Token': 'who' }))).toEqual(UNAUTHORIZED);
  });

  it('caches usageIdentifierKey with the policy (TTL 300)', async () => {
    const before = gw.stats().authorizers.KeyAuth;
    expect((await get('/reports', { 'X-Auth-Token': 'key:key-one' })).status).toBe(200);
    expect((await get('/reports', { 'X-Auth-Token': 'key:key-one' })).status).toBe(200);
    expect(gw.stats().authorizers.KeyAuth?.cacheHits).toBe((before?.cacheHits ?? 0) + 1);
  });
});

describe('API keys without any configured key', () => {
  it('rejects every keyed request and warns at start-up', async () => {
    const gw = await startGateway({
      model: model({ authorizers: [], routes: [keyed(route('GET', '/catalog')), route('GET', '/open')] }),
      config: config(),
      env: {},
    });
    try {
      expect(outcome(await call(`${gw.url}/catalog`, { headers: { 'x-api-key': 'anything' } }))).toEqual(
        FORBIDDEN,
      );
      expect((await call(`${gw.url}/open`)).status).toBe(200);
      expect(gw.warnings).toEqual([
        expect.stringContaining(`1 route(s) require an API key but ${API_KEYS_ENV}`),
      ]);
    } finally {
      await gw.stop();
    }
  });
});
