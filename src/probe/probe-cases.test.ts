import { describe, expect, it } from 'vitest';
import type { ProjectConfig } from '../config/types.js';
import type { AuthModel } from '../model/types.js';
import { classify } from './probe.js';
import { deriveProbeCases, UNKNOWN_VALUE } from './probe-cases.js';

const model: AuthModel = {
  api: { name: 'api' },
  stage: { name: 'prod', baseUrl: 'https://x/prod', variables: { env: 'prod' } },
  authorizers: [
    {
      name: 'Req',
      kind: 'REQUEST',
      identitySources: [
        { location: 'header', name: 'X-Tenant', expression: 'method.request.header.X-Tenant' },
        { location: 'querystring', name: 'v', expression: 'method.request.querystring.v' },
        { location: 'stageVariable', name: 'env', expression: 'stageVariables.env' },
      ],
      ttlSeconds: 0,
      userPools: [],
    },
    {
      name: 'Tok',
      kind: 'TOKEN',
      identitySources: [{ location: 'header', name: 'Auth', expression: 'method.request.header.Auth' }],
      ttlSeconds: 300,
      userPools: [],
    },
  ],
  routes: [
    {
      method: 'GET',
      path: '/r/{id}',
      authorization: { type: 'AUTHORIZER', authorizer: 'Req', scopes: [] },
      apiKeyRequired: false,
    },
  ],
  gatewayResponses: [],
};

const config: ProjectConfig = {
  baseDir: '/',
  publicRoutes: [],
  depth: 'standard',
  pathParameters: { id: '7' },
  stageVariables: {},
  authorizers: {
    Req: {
      tokenFormat: 'opaque',
      validIdentity: { 'method.request.header.X-Tenant': 't1', 'method.request.querystring.v': '2' },
    },
    Tok: { tokenFormat: 'opaque', validIdentity: {}, validToken: '{{Tok.validToken}}' },
  },
};

describe('deriveProbeCases', () => {
  const cases = deriveProbeCases(model, config);

  it('REQUEST: valid, each client source missing in turn (TTL 0: the Lambda decides), unknown values', () => {
    const req = cases.filter((c) => c.authorizer === 'Req');
    expect(req.map((c) => [c.case, c.expected, c.request?.headers, c.request?.pathWithQueryString])).toEqual([
      ['valid', 'allow', { 'X-Tenant': 't1' }, '/r/7?v=2'],
      ['missing', 'not-allowed', {}, '/r/7?v=2'],
      ['missing', 'not-allowed', { 'X-Tenant': 't1' }, '/r/7'],
      ['unknown', 'not-allowed', { 'X-Tenant': UNKNOWN_VALUE }, `/r/7?v=${UNKNOWN_VALUE}`],
    ]);
    // The stage variable comes from the stage (the config gives no literal for it).
    expect(req[0]?.request?.stageVariables).toEqual({ env: 'prod' });
  });

  it('TOKEN: a {{variable}} valid token is not sent; the case is skipped with the reason', () => {
    const tok = cases.filter((c) => c.authorizer === 'Tok');
    expect(tok.map((c) => [c.case, c.skipped === undefined])).toEqual([
      ['valid', false],
      ['missing', true],
      ['unknown', true],
    ]);
    expect(tok[0]?.skipped).toMatch(/no literal authorizers\.Tok\.validToken/);
    expect(tok[1]?.request).toEqual({
      headers: {},
      pathWithQueryString: '/',
      stageVariables: { env: 'prod' },
    });
  });
});

describe('classify', () => {
  const policy = (...effects: string[]) => ({
    Statement: effects.map((Effect) => ({ Effect, Action: 'execute-api:Invoke' })),
  });
  it.each([
    [0, policy('Allow'), 'allow'],
    [0, policy('Allow', 'Deny'), 'deny'],
    [0, policy(), 'deny'],
    [401, undefined, 'unauthorized'],
    [403, undefined, 'deny'],
    [500, undefined, 'error'],
    [0, undefined, 'error'],
  ] as const)('clientStatus %s with %j -> %s', (status, doc, expected) => {
    expect(classify(status, doc)).toBe(expected);
  });
});
