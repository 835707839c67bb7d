import { describe, expect, it } from 'vitest';
import type { Route } from '../model/types.js';
import { route } from '../../test/support/models.js';
import { buildMethodArn, matchRoute, splitPath } from './routing.js';

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
    // The most specific resource lacks the method: the next resource that has it takes the request.
    ['POST', '/pets', 'ANY /{proxy+}', { proxy: 'pets' }],
    ['DELETE', '/pets/mine', 'ANY /{proxy+}', { proxy: 'pets/mine' }],
  ])('%s %s -> %s', (method, path, expected, params) => {
    const match = matchRoute(routes, method, path);
    expect(match && `${match.route.method} ${match.route.path}`).toBe(expected);
    expect(match?.pathParameters).toEqual(params);
  });

  it.each([
    ['POST', '/pets', 'no resource matching the path has the method'],
    ['GET', '/orders/7', 'method missing'],
    ['GET', '/pets/42/toys', 'too many segments and no greedy resource below /pets'],
  ])('%s %s -> no route without /{proxy+} (%s)', (method, path) => {
    const withoutRootProxy = routes.filter((r) => r.path !== '/{proxy+}');
    expect(matchRoute(withoutRootProxy, method, path)).toBeUndefined();
  });

  it('falls back from an exact resource to a {param} sibling that has the method, with its parameters', () => {
    const siblings = [
      route('GET', '/pets/mine'),
      route('DELETE', '/pets/{petId}'),
      route('GET', '/pets/{petId}'),
    ];
    const match = matchRoute(siblings, 'DELETE', '/pets/mine');
    expect(match && `${match.route.method} ${match.route.path}`).toBe('DELETE /pets/{petId}');
    expect(match?.pathParameters).toEqual({ petId: 'mine' });
    // the exact resource still wins for the method it has
    expect(matchRoute(siblings, 'GET', '/pets/mine')?.route.path).toBe('/pets/mine');
  });

  it('falls back from a {param} resource to a {proxy+} sibling, exact verb before ANY on each resource', () => {
    const nested = [
      route('GET', '/files/{name}'),
      route('ANY', '/files/{proxy+}'),
      route('PUT', '/files/{proxy+}'),
    ];
    expect(matchRoute(nested, 'PUT', '/files/a')?.route.method).toBe('PUT');
    expect(matchRoute(nested, 'POST', '/files/a')?.route.method).toBe('ANY');
    expect(matchRoute(nested, 'GET', '/files/a')?.route.path).toBe('/files/{name}');
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
