import { describe, expect, it } from 'vitest';
import type { Route, RouteMethod } from '../model/types.js';
import { buildMethodArn, matchRoute, splitPath } from './routing.js';

const route = (method: RouteMethod, path: string): Route => ({
  method,
  path,
  authorization: { type: 'NONE' },
  apiKeyRequired: false,
});

const routes: Route[] = [
  route('GET', '/'),
  route('GET', '/pets'),
  route('GET', '/pets/{petId}'),
  route('GET', '/pets/mine'),
  route('ANY', '/files/{proxy+}'),
  route('GET', '/files/{proxy+}'),
  route('ANY', '/{proxy+}'),
  route('DELETE', '/orders/{orderId}'),
];

describe('matchRoute', () => {
  it.each([
    ['GET', '/', 'GET /', {}],
    ['GET', '/pets', 'GET /pets', {}],
    ['GET', '/pets/', 'GET /pets', {}],
    ['GET', '/pets/mine', 'GET /pets/mine', {}],
    ['GET', '/pets/42', 'GET /pets/{petId}', { petId: '42' }],
    ['GET', '/pets/a%20b', 'GET /pets/{petId}', { petId: 'a b' }],
    ['GET', '/files/docs/readme.txt', 'GET /files/{proxy+}', { proxy: 'docs/readme.txt' }],
    ['PUT', '/files/a', 'ANY /files/{proxy+}', { proxy: 'a' }],
    ['POST', '/anything/else', 'ANY /{proxy+}', { proxy: 'anything/else' }],
    ['DELETE', '/orders/7', 'DELETE /orders/{orderId}', { orderId: '7' }],
  ])('%s %s -> %s', (method, path, expected, params) => {
    const match = matchRoute(routes, method, path);
    expect(match && `${match.route.method} ${match.route.path}`).toBe(expected);
    expect(match?.pathParameters).toEqual(params);
  });

  it.each([
    ['POST', '/pets', 'method missing on the most specific resource: no fallback to /{proxy+}'],
    ['GET', '/orders/7', 'method missing'],
    ['GET', '/pets/42/toys', 'too many segments and no greedy resource below /pets'],
  ])('%s %s -> no route (%s)', (method, path) => {
    const withoutRootProxy = routes.filter((r) => r.path !== '/{proxy+}');
    expect(matchRoute(method === 'POST' ? routes : withoutRootProxy, method, path)).toBeUndefined();
  });

  it('needs at least one segment for {proxy+}', () => {
    expect(matchRoute([route('ANY', '/files/{proxy+}')], 'GET', '/files')).toBeUndefined();
    expect(matchRoute([route('ANY', '/files/{proxy+}')], 'GET', '/files/')).toBeUndefined();
  });

  it('splits paths into segments', () => {
    expect(splitPath('/')).toEqual([]);
    expect(splitPath('/a/b/')).toEqual(['a', 'b']);
  });
});

describe('buildMethodArn', () => {
  const base = { region: 'us-east-1', accountId: '123456789012', apiId: 'abc123', stage: 'prod' };
  it.each([
    ['GET', '/', 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/'],
    ['DELETE', '/orders/7', 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/DELETE/orders/7'],
  ])('%s %s', (method, path, arn) => {
    expect(buildMethodArn({ ...base, method, path })).toBe(arn);
  });
});
