import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../src/emulator/index.js';
import { MISSING_TOKEN, call, outcome } from './helpers.js';
import { config, model, route, tokenAuthorizer } from '../support/models.js';

describe('the front door: stage prefix, routing, public routes, preflight, stats', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startGateway({
      model: model({
        authorizers: [tokenAuthorizer('TokenAuth')],
        routes: [
          route('GET', '/health'),
          route('GET', '/pets', 'TokenAuth'),
          route('POST', '/pets', 'TokenAuth'),
          route('OPTIONS', '/pets'),
          route('GET', '/pets/{petId}', 'TokenAuth'),
          route('GET', '/pets/mine'),
          route('ANY', '/files/{proxy+}', 'TokenAuth'),
        ],
        cors: { allowOrigin: 'https://app.example.com' },
      }),
      config: config(),
    });
  });
  afterAll(() => gw.stop());

  it('listens on 127.0.0.1 with the stage in the URL', () => {
    expect(gw.url).toBe(`http://127.0.0.1:${gw.port}/prod`);
  });

  it('answers public routes with a null principal and CORS on the integration response', async () => {
    const reply = await call(`${gw.url}/health`);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      route: 'GET /health',
      path: '/health',
      method: 'GET',
      pathParameters: {},
      principalId: null,
      authorizer: {},
    });
    expect(reply.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(reply.headers.get('x-amzn-requestid')).toMatch(/^00000000-0000-4000-8000-[0-9a-f]{12}$/);
  });

  it.each([
    ['outside the stage prefix', '/health', 'GET'],
    ['another stage', '/dev/health', 'GET'],
    ['an unknown path', '/prod/nothing', 'GET'],
    ['a method the resource lacks', '/prod/health', 'DELETE'],
    ['the stage root without a root resource', '/prod', 'GET'],
  ])('answers Missing Authentication Token for %s', async (_name, p, method) => {
    const reply = await call(`http://127.0.0.1:${gw.port}${p}`, { method });
    expect(outcome(reply)).toEqual(MISSING_TOKEN);
    expect(reply.headers.get('content-type')).toBe('application/json');
  });

  it('prefers an exact resource over a path parameter', async () => {
    expect((await call(`${gw.url}/pets/mine`)).body?.route).toBe('GET /pets/mine');
    // /pets/{petId} needs the authorizer: without a token it is a 401, not the public exact route.
    expect((await call(`${gw.url}/pets/42`)).status).toBe(401);
  });

  it('routes every verb to ANY /files/{proxy+}, and protects it', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const reply = await call(`${gw.url}/files/a/b.txt`, { method, headers: { 'X-Auth-Token': 'allow' } });
      expect(reply.body).toMatchObject({
        route: 'ANY /files/{proxy+}',
        method,
        pathParameters: { proxy: 'a/b.txt' },
      });
    }
    expect((await call(`${gw.url}/files/a`, { method: 'OPTIONS' })).status).toBe(401);
  });

  it('answers a CORS preflight on an OPTIONS route without authorization', async () => {
    const reply = await call(`${gw.url}/pets`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'POST' },
    });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(reply.headers.get('access-control-allow-methods')).toBe('GET,OPTIONS,POST');
    expect(reply.headers.get('access-control-allow-headers')).toContain('Authorization');
  });

  it('serves the counters outside the stage, equal to stats(), without counting itself', async () => {
    const first = await call(`http://127.0.0.1:${gw.port}/__apigw-authz/stats`);
    const second = await call(`http://127.0.0.1:${gw.port}/__apigw-authz/stats`);
    expect(first.body).toEqual(second.body);
    expect(second.body).toEqual(gw.stats());
    expect(Object.keys(gw.stats().authorizers)).toEqual(['TokenAuth']);
    const before = gw.stats().requests;
    await call(`${gw.url}/health`);
    expect(gw.stats().requests).toBe(before + 1);
  });
});
