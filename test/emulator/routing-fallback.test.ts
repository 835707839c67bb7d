import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../src/emulator/index.js';
import { MISSING_TOKEN, UNAUTHORIZED, call, outcome } from './helpers.js';
import { config, model, route, tokenAuthorizer } from '../support/models.js';

const INCOMPLETE_BEARER = {
  status: 403,
  body: `{"message":"'<token>' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer <token>'."}`,
  errorType: 'IncompleteSignatureException',
};

describe('routing falls back to a {param} or {proxy+} resource that has the method', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startGateway({
      model: model({
        authorizers: [tokenAuthorizer('TokenAuth', { ttlSeconds: 0 })],
        routes: [
          route('GET', '/pets', 'TokenAuth'),
          route('GET', '/pets/mine', 'TokenAuth'),
          route('DELETE', '/pets/{petId}'),
          route('GET', '/orders/special'),
          route('POST', '/orders/{orderId}', 'TokenAuth'),
          route('ANY', '/{proxy+}'),
        ],
      }),
      config: config(),
    });
  });
  afterAll(() => gw.stop());

  it('sends a method the exact resource lacks to an open {proxy+} sibling: no authorizer runs', async () => {
    const before = gw.stats().authorizers.TokenAuth;
    const reply = await call(`${gw.url}/pets`, { method: 'POST' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      route: 'ANY /{proxy+}',
      principalId: null,
      pathParameters: { proxy: 'pets' },
    });
    expect(gw.stats().authorizers.TokenAuth).toEqual(before);
    // the exact resource keeps its own method, and its authorizer
    expect(outcome(await call(`${gw.url}/pets`))).toEqual(UNAUTHORIZED);
  });

  it('prefers an open {param} sibling over {proxy+}', async () => {
    const reply = await call(`${gw.url}/pets/mine`, { method: 'DELETE' });
    expect(reply.body).toMatchObject({ route: 'DELETE /pets/{petId}', pathParameters: { petId: 'mine' } });
    expect(outcome(await call(`${gw.url}/pets/mine`))).toEqual(UNAUTHORIZED);
  });

  it("runs the fallback resource's own authorizer when it has one", async () => {
    // /orders/special is open for GET only; POST goes to /orders/{orderId}, which is protected
    expect((await call(`${gw.url}/orders/special`)).status).toBe(200);
    expect(outcome(await call(`${gw.url}/orders/special`, { method: 'POST' }))).toEqual(UNAUTHORIZED);
    const allowed = await call(`${gw.url}/orders/special`, {
      method: 'POST',
      headers: { 'X-Auth-Token': 'allow' },
    });
    expect(allowed.body).toMatchObject({ route: 'POST /orders/{orderId}', principalId: 'sample-user' });
  });
});

describe('a request no route takes', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startGateway({
      model: model({ authorizers: [], routes: [route('GET', '/health')] }),
      config: config(),
    });
  });
  afterAll(() => gw.stop());

  const get = (p: string, headers: Record<string, string> = {}, method = 'GET') =>
    call(`http://127.0.0.1:${gw.port}${p}`, { method, headers });

  it('answers Missing Authentication Token without an Authorization header', async () => {
    expect(outcome(await get('/prod/nothing'))).toEqual(MISSING_TOKEN);
  });

  it.each([
    ['an unknown path', '/prod/nothing', 'GET'],
    ['a method the resource lacks', '/prod/health', 'DELETE'],
    ['another stage', '/dev/health', 'GET'],
  ])('answers 403 IncompleteSignatureException for a Bearer token on %s', async (_name, p, method) => {
    const reply = await get(p, { Authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln' }, method);
    expect(outcome(reply)).toEqual(INCOMPLETE_BEARER);
    expect(reply.text).not.toContain('eyJ');
  });

  it('answers IncompleteSignatureException for a raw JWT and for key=value pairs that are not SigV4', async () => {
    const raw = await get('/prod/nothing', { Authorization: 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln' });
    expect(outcome(raw)).toEqual({
      ...INCOMPLETE_BEARER,
      body: `{"message":"'<token>' not a valid key=value pair (missing equal-sign) in Authorization header: '<token>'."}`,
    });
    const pairs = await get('/prod/nothing', { Authorization: 'Basic dXNlcjpwYXNzd29yZA==' });
    expect(pairs.headers.get('x-amzn-errortype')).toBe('IncompleteSignatureException');
    expect(pairs.body?.message).toMatch(/^Authorization header requires 'Credential' parameter\./);
  });

  it('keeps Missing Authentication Token for a complete SigV4 header', async () => {
    const sigv4 =
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240501/us-east-1/execute-api/aws4_request, ' +
      'SignedHeaders=host;x-amz-date, Signature=0123abcd';
    expect(outcome(await get('/prod/nothing', { Authorization: sigv4 }))).toEqual(MISSING_TOKEN);
  });
});
