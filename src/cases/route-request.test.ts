import { describe, expect, it } from 'vitest';
import { compareRoutes, concretePath, concreteRequest } from './route-request.js';
import { petstoreConfig, route } from '../../test/support/models.js';

describe('concretePath', () => {
  it.each([
    ['/pets', {}, '/pets'],
    ['/pets/{petId}', { petId: '42' }, '/pets/42'],
    ['/pets/{petId}', {}, '/pets/1'],
    ['/files/{proxy+}', { proxy: 'docs/readme.txt' }, '/files/docs/readme.txt'],
    ['/files/{proxy+}', {}, '/files/apigw-authz/probe'],
    ['/a/{x}/b/{y}', { y: '{{yValue}}' }, '/a/1/b/{{yValue}}'],
    ['/', {}, '/'],
  ])('%s with %j -> %s', (template, parameters: Record<string, string>, expected) => {
    expect(concretePath(template, parameters)).toBe(expected);
  });
});

describe('concreteRequest', () => {
  it('ANY becomes GET; API-key routes carry x-api-key', () => {
    expect(
      concreteRequest({ ...route('ANY', '/files/{proxy+}'), apiKeyRequired: true }, petstoreConfig()),
    ).toEqual({
      method: 'GET',
      path: '/files/docs/readme.txt',
      headers: [{ name: 'x-api-key', value: '{{apiKey}}' }],
    });
    expect(concreteRequest(route('DELETE', '/orders/{orderId}'), petstoreConfig())).toEqual({
      method: 'DELETE',
      path: '/orders/1001',
      headers: [],
    });
  });
});

describe('compareRoutes', () => {
  it('sorts by path, then method, in code-unit order', () => {
    const routes = [
      route('POST', '/pets'),
      route('GET', '/pets/{petId}'),
      route('GET', '/pets'),
      route('ANY', '/Z'),
    ];
    expect(routes.sort(compareRoutes).map((r) => `${r.method} ${r.path}`)).toEqual([
      'ANY /Z',
      'GET /pets',
      'POST /pets',
      'GET /pets/{petId}',
    ]);
  });
});
