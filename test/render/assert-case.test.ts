import { describe, expect, it } from 'vitest';

import { renderCollection } from '../../src/render/index.js';
import { assertScriptCode, itemFor, prerequestCode } from './collection-helpers.js';
import { handPlan } from './plans.js';
import { failures, runScript } from './sandbox.js';
import type { StubResponse } from './sandbox.js';

const collection = renderCollection(handPlan());
const assertCode = assertScriptCode(collection);

/** Runs the item's pre-request logic, then the collection-level assertions against `response`. */
function judge(method: string, path: string, label: string, response: StubResponse, requestName?: string) {
  const item = itemFor(collection, method, path, label);
  const pre = runScript(prerequestCode(item), { requestName: item.name });
  return runScript(assertCode, {
    requestName: requestName ?? item.name,
    description: item.request.description,
    variables: Object.fromEntries(pre.locals),
    response,
  });
}

const CORS = { 'Access-Control-Allow-Origin': '*' };
const UNAUTHORIZED: StubResponse = {
  code: 401,
  body: '{"message":"Unauthorized"}',
  headers: { ...CORS, 'x-amzn-ErrorType': 'UnauthorizedException' },
};

describe('assert-case.js: authorized', () => {
  it.each<[string, StubResponse]>([
    ['200', { code: 200, body: '[]' }],
    ['404 from the backend', { code: 404, body: '{"message":"Not Found"}' }],
    ['400 for a dummy body', { code: 400, body: 'bad body' }],
  ])('passes on %s', (_label, response) => {
    const run = judge('GET', '/health', 'public route', response);
    expect(run.tests).toHaveLength(1);
    expect(failures(run)).toEqual([]);
  });

  it.each<[string, StubResponse, string]>([
    ['401', UNAUTHORIZED, 'got 401'],
    ['403', { code: 403, body: '{"Message":"User is not authorized"}' }, 'got 403'],
    [
      'an auth error type',
      { code: 200, body: '', headers: { 'x-amzn-ErrorType': 'AccessDeniedException' } },
      'error type',
    ],
    [
      'AuthorizerConfigurationException',
      {
        code: 500,
        body: '{"message":null}',
        headers: { 'x-amzn-ErrorType': 'AuthorizerConfigurationException' },
      },
      'AuthorizerConfiguration',
    ],
  ])('fails on %s, naming the case, the response and the hint', (_label, response, detail) => {
    const run = judge('GET', '/health', 'public route', response);
    const [failure, ...rest] = failures(run);
    expect(rest).toEqual([]);
    expect(failure).toContain('[[GET] /health - allow: public route]');
    expect(failure).toContain(detail);
    expect(failure).toContain('Hint for public: check the public authorizer');
  });
});

describe('assert-case.js: rejected', () => {
  it('passes when status, message, error type and CORS header match', () => {
    const run = judge('GET', '/pets', 'no Authorization header', UNAUTHORIZED);
    expect(run.tests.map((t) => t.name)).toEqual([
      '[GET] /pets - deny: no Authorization header: status 401',
      '[GET] /pets - deny: no Authorization header: message',
      '[GET] /pets - deny: no Authorization header: x-amzn-ErrorType UnauthorizedException',
      '[GET] /pets - deny: no Authorization header: header Access-Control-Allow-Origin',
    ]);
    expect(failures(run)).toEqual([]);
  });

  it('compares the message key case-insensitively', () => {
    const run = judge('GET', '/pets', 'no Authorization header', {
      ...UNAUTHORIZED,
      body: '{"MESSAGE":"Unauthorized"}',
    });
    expect(failures(run)).toEqual([]);
  });

  it.each<[string, StubResponse, string]>([
    ['a wrong status', { ...UNAUTHORIZED, code: 403 }, 'status 401'],
    ['a wrong message', { ...UNAUTHORIZED, body: '{"message":"Forbidden"}' }, 'message'],
    ['a body without message', { ...UNAUTHORIZED, body: 'plain text' }, 'message'],
    ['no error type', { ...UNAUTHORIZED, headers: CORS }, 'x-amzn-ErrorType'],
    [
      'no CORS header',
      { ...UNAUTHORIZED, headers: { 'x-amzn-ErrorType': 'UnauthorizedException' } },
      'header',
    ],
  ])('fails exactly one assertion on %s', (_label, response, testSuffix) => {
    const run = judge('GET', '/pets', 'no Authorization header', response);
    const failed = run.tests.filter((t) => t.error !== undefined);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.name).toContain(testSuffix);
    expect(failed[0]!.error).toContain('[[GET] /pets - deny: no Authorization header]');
    expect(failed[0]!.error).toContain(`got ${response.code}`);
    expect(failed[0]!.error).toContain('Hint for missing-credentials');
  });

  it('accepts any of several statuses and messages', () => {
    for (const [code, message] of [
      [401, 'Unauthorized'],
      [403, 'User is not authorized to access this resource'],
    ] as const) {
      const run = judge('GET', '/orders', 'unknown token', {
        code,
        body: JSON.stringify({ Message: message }),
        headers: CORS,
      });
      expect(failures(run)).toEqual([]);
    }
  });

  it('accepts a message prefix (SigV4 mismatch messages carry request details)', () => {
    const response: StubResponse = {
      code: 403,
      body: JSON.stringify({
        message:
          'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
      }),
      headers: { ...CORS, 'x-amzn-ErrorType': 'InvalidSignatureException' },
    };
    expect(
      failures(judge('GET', '/admin/docs/readme.txt', 'signed with a wrong secret key', response)),
    ).toEqual([]);
    const other = { ...response, body: '{"message":"Missing Authentication Token"}' };
    expect(
      failures(judge('GET', '/admin/docs/readme.txt', 'signed with a wrong secret key', other)),
    ).toHaveLength(1);
  });

  it('truncates long bodies in failure messages', () => {
    const run = judge('GET', '/pets', 'no Authorization header', { code: 200, body: 'x'.repeat(5000) });
    const failure = failures(run)[0]!;
    expect(failure).toContain(`${'x'.repeat(300)}...`);
    expect(failure).not.toContain('x'.repeat(301));
  });
});

describe('assert-case.js: case data', () => {
  it('names the case after its request', () => {
    const run = judge('GET', '/pets', 'no Authorization header', UNAUTHORIZED, 'renamed by hand');
    expect(run.tests.map((t) => t.name)[0]).toMatch(/^renamed by hand: /);
    expect(failures(run)).toEqual([]);
  });

  it('fails loudly when there is no case data', () => {
    const run = runScript(assertCode, { requestName: 'hand-made', response: { code: 200, body: '' } });
    expect(failures(run)).toEqual([
      expect.stringContaining('[hand-made] no case data for this request (none in its description)'),
    ]);
  });
});

describe('assert-case.js: blocked cases', () => {
  const item = () => itemFor(collection, 'GET', '/pets', 'ID token, alg-none');

  it('reports one "blocked by" failure, with the recorded fetch error, when the token could not be fetched', () => {
    const error = {
      summary:
        'CognitoAuth token fetch: InitiateAuth USER_PASSWORD_AUTH at http://idp/ failed: ECONNREFUSED.',
    };
    const run = runScript(assertCode, {
      requestName: item().name,
      description: item().request.description,
      variables: { '_apigwAuthz.tokenError.CognitoAuth': JSON.stringify(error) },
      response: UNAUTHORIZED,
    });
    expect(failures(run)).toEqual([
      `${item().name}: blocked: [${item().name}] blocked by the CognitoAuth id token: ${error.summary}`,
    ]);
  });

  it('is not blocked when the token is there', () => {
    const run = runScript(assertCode, {
      requestName: item().name,
      description: item().request.description,
      variables: { '_CognitoAuth.idToken': 'eyJ.x.y' },
      response: UNAUTHORIZED,
    });
    expect(failures(run)).toEqual([]);
  });
});

describe('assert-case.js: the first hint follows from the response', () => {
  function firstHint(method: string, path: string, label: string, response: StubResponse): string {
    const item = itemFor(collection, method, path, label);
    const run = runScript(assertCode, {
      requestName: item.name,
      description: item.request.description,
      variables: { '_CognitoAuth.idToken': 'eyJ.x.y', '_CognitoAuth.accessToken': 'eyJ.x.y' },
      response,
    });
    const [failure] = failures(run);
    return (failure ?? '').split(' Hint: ')[1] ?? '';
  }
  const serve = (cause: string, invoked: boolean, reason: string) => ({
    'x-apigw-authz-cause': cause,
    'x-apigw-authz-authorizer-invoked': String(invoked),
    'x-apigw-authz-reason': reason,
  });

  it.each<[string, [string, string, string], StubResponse, RegExp]>([
    [
      '401 with the authorizer not invoked (serve): the token source header',
      ['GET', '/orders', 'valid token'],
      {
        code: 401,
        body: '{"message":"Unauthorized"}',
        headers: serve('token-missing', false, 'no X-Auth-Token header'),
      },
      /^The authorizer was not invoked: the token must be in exactly the header named as the Token Source.*\(serve: no X-Auth-Token header\) \(Also check: /,
    ],
    [
      '401 with the authorizer not invoked (AWS, no serve headers): header or regex',
      ['GET', '/orders', 'valid token'],
      {
        code: 401,
        body: '{"message":"Unauthorized"}',
        headers: { 'x-apigw-authz-authorizer-invoked': 'false' },
      },
      /^The authorizer was not invoked: check the token source header name and the token validation expression/,
    ],
    [
      '403 explicit deny: the policy',
      ['GET', '/orders', 'valid token'],
      {
        code: 403,
        body: '{"Message":"User is not authorized to access this resource with an explicit deny"}',
      },
      /^The authorizer's policy explicitly denies this method/,
    ],
    [
      '401 "The incoming token has expired": expiry',
      ['GET', '/pets', 'valid ID token (CognitoAuth)'],
      { code: 401, body: '{"message":"The incoming token has expired"}' },
      /^The token has expired/,
    ],
    [
      '500 AuthorizerConfigurationException: the Lambda failed',
      ['GET', '/orders', 'valid token'],
      {
        code: 500,
        body: '{"message":null}',
        headers: { 'x-amzn-ErrorType': 'AuthorizerConfigurationException' },
      },
      /^AuthorizerConfigurationException: the Lambda authorizer failed/,
    ],
    [
      'a request without credentials that got through: no authorizer',
      ['GET', '/pets', 'no Authorization header'],
      { code: 200, body: '[]' },
      /^A request without credentials got through: the method has no authorizer/,
    ],
    [
      'a forged token that got through',
      ['GET', '/pets', 'ID token, alg-none'],
      { code: 200, body: '[]' },
      /^A forged or unknown credential got through/,
    ],
  ])('%s', (_label, [method, path, label], response, expected) => {
    expect(firstHint(method, path, label, response)).toMatch(expected);
  });

  it("keeps the case's own hint below the first one", () => {
    const hint = firstHint('GET', '/orders', 'valid token', {
      code: 403,
      body: '{"Message":"User is not authorized to access this resource with an explicit deny"}',
    });
    expect(hint).toMatch(/ \(Also check: Hint for valid-token: /);
  });
});

describe('assert-case.js: CORS cases (no statuses: any 4XX)', () => {
  function corsJudge(response: StubResponse) {
    const name = '[GET] /pets - cors: UNAUTHORIZED answer carries Access-Control-Allow-Origin';
    const data = {
      name,
      key: 'GET /pets#cors-unauthorized',
      expect: {
        outcome: 'rejected',
        statuses: [],
        messages: [],
        headers: [{ name: 'Access-Control-Allow-Origin', value: '*' }],
      },
      hint: 'CORS hint',
    };
    return runScript(assertCode, { requestName: name, variables: { _case: JSON.stringify(data) }, response });
  }

  it('passes on any 4XX answer that carries the header, whatever its message', () => {
    for (const code of [401, 403, 429]) {
      const run = corsJudge({ code, body: '{"message":"anything"}', headers: CORS });
      expect(run.tests.map((t) => t.name)).toEqual([
        '[GET] /pets - cors: UNAUTHORIZED answer carries Access-Control-Allow-Origin: status 4XX',
        '[GET] /pets - cors: UNAUTHORIZED answer carries Access-Control-Allow-Origin: header Access-Control-Allow-Origin',
      ]);
      expect(failures(run)).toEqual([]);
    }
  });

  it('fails without the header, and on an answer that is not a client error', () => {
    expect(failures(corsJudge({ code: 401, body: '{}' }))).toEqual([
      expect.stringContaining('expected header Access-Control-Allow-Origin'),
    ]);
    expect(failures(corsJudge({ code: 200, body: '{}', headers: CORS }))).toEqual([
      expect.stringContaining('expected status 4XX'),
    ]);
  });
});
