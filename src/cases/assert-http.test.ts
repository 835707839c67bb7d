/**
 * templates/assert-case.js on the HTTP API expectations derived here: `www-authenticate` on JWT rejections,
 * body values (authorizer context) and headers (API Gateway's preflight answer) on authorized cases, and the
 * hints chosen from HTTP answers. Each expectation comes from a real plan, and each check is shown to fail
 * against the answer of a gateway that gets it wrong.
 */

import { describe, expect, it } from 'vitest';
import { templateLines } from '../render/templates.js';
import { failures, runScript } from '../../test/render/sandbox.js';
import type { StubResponse } from '../../test/render/sandbox.js';
import { config, httpExampleCheckConfig, httpExampleModel } from '../../test/support/models.js';
import { derivePlan } from './index.js';
import type { AuthCase } from './types.js';

const ASSERT = templateLines('assert-case.js').join('\n');

const PLAN = derivePlan(httpExampleModel(), httpExampleCheckConfig());

function caseOf(key: string): AuthCase {
  const found = PLAN.cases.find((c) => c.key === key);
  if (!found) throw new Error(`no case ${key}`);
  return found;
}

/** Runs the assertions of plan case `key` against `response` (no token checks: the variables hold the token). */
function judge(key: string, response: StubResponse, category = 'other') {
  const c = caseOf(key);
  const data = { key: c.key, expect: c.expect, hint: c.hint, category };
  return runScript(ASSERT, { requestName: c.name, variables: { _case: JSON.stringify(data) }, response });
}

const unauthorized = (www: string): StubResponse => ({
  code: 401,
  body: '{"message":"Unauthorized"}',
  headers: { 'www-authenticate': www },
});

describe('www-authenticate on HTTP API JWT rejections', () => {
  it.each([
    ['GET /orders#missing-credentials', 'Bearer'],
    [
      'GET /orders#not-a-jwt',
      'Bearer scope="orders/read" error="invalid_token" error_description="token contains an invalid number of segments"',
    ],
    [
      'GET /orders#expired',
      'Bearer scope="orders/read" error="invalid_token" error_description="the token has expired"',
    ],
    [
      'GET /orders#other-audience',
      'Bearer scope="orders/read" error="invalid_token" error_description="the token does not have a valid audience"',
    ],
    [
      'GET /orders#forged-unknown-kid',
      'Bearer scope="orders/read" error="invalid_token" error_description="x"',
    ],
  ])("%s passes on AWS's answer", (key, www) => {
    expect(failures(judge(key, unauthorized(www)))).toEqual([]);
  });

  it('the scope denial: 403 Forbidden with insufficient_scope naming the scopes', () => {
    const www =
      'Bearer scope="orders/read" error="insufficient_scope" error_description="expected scopes: [orders/read]"';
    const forbidden = { code: 403, body: '{"message":"Forbidden"}', headers: { 'www-authenticate': www } };
    expect(failures(judge('GET /orders#missing-scope', forbidden))).toEqual([]);
    // REST's habit (401 for a missing scope) and a header naming other scopes both fail
    expect(failures(judge('GET /orders#missing-scope', unauthorized(www)))).toHaveLength(2);
    const other = {
      ...forbidden,
      headers: { 'www-authenticate': www.replace('[orders/read]', '[orders/write]') },
    };
    const [failure, ...rest] = failures(judge('GET /orders#missing-scope', other));
    expect(rest).toEqual([]);
    expect(failure).toContain('www-authenticate');
    expect(failure).toContain('error_description="expected scopes: [orders/read]"');
  });

  it.each<[string, string, StubResponse]>([
    [
      'no header at all (an emulator without it)',
      'GET /orders#missing-credentials',
      { code: 401, body: '{"message":"Unauthorized"}' },
    ],
    ['a Basic challenge', 'GET /orders#missing-credentials', unauthorized('Basic realm="x"')],
    [
      'another error',
      'GET /orders#expired',
      unauthorized('Bearer error="invalid_request" error_description="the token has expired"'),
    ],
    [
      'another description',
      'GET /orders#expired',
      unauthorized('Bearer error="invalid_token" error_description="signature is invalid"'),
    ],
    [
      'only error_ description prefix',
      'GET /orders#forged-alg-none',
      unauthorized('Bearer error_description="invalid_token"'),
    ],
  ])('fails exactly the www-authenticate check on %s', (_label, key, response) => {
    const failed = judge(key, response).tests.filter((t) => t.error !== undefined);
    expect(failed.map((t) => t.name)).toEqual([`${caseOf(key).name}: www-authenticate`]);
  });

  it('names the header in what came back and picks the hint from it', () => {
    const [failure] = failures(
      judge(
        'GET /orders#allow',
        unauthorized(
          'Bearer scope="orders/read" error="invalid_token" error_description="the token has expired"',
        ),
      ),
    );
    expect(failure).toContain('(www-authenticate: Bearer scope="orders/read"');
    expect(failure).toContain('Hint: The JWT has expired');
    const [scope] = failures(
      judge('GET /orders#allow', {
        code: 403,
        body: '{"message":"Forbidden"}',
        headers: { 'www-authenticate': 'Bearer error="insufficient_scope"' },
      }),
    );
    expect(scope).toContain("Hint: The JWT is valid but carries none of the route's scopes");
  });

  it('a let-through of a claims case names the missing check', () => {
    const [failure] = failures(judge('GET /orders#issuer-slash', { code: 200, body: '{}' }));
    expect(failure).toContain('Hint: A token of another issuer');
    const [audience] = failures(judge('GET /orders#other-audience', { code: 200, body: '{}' }));
    expect(audience).toContain('Hint: A token for another audience got through');
  });
});

describe('authorizer context in the body (expectContext)', () => {
  const echo = (lambda: unknown): StubResponse => ({
    code: 200,
    body: JSON.stringify({ route: 'ANY /inventory/{proxy+}', authorizer: { lambda } }),
  });

  it('passes when every value deep-equals, whatever the key order', () => {
    const run = judge(
      'ANY /inventory/{proxy+}#authorizer-context',
      echo({ roles: ['a', 'b'], n: 1, tier: 'gold', extra: 'x' }),
    );
    expect(run.tests.map((t) => t.name.split(': ').pop())).toEqual(['authorized', 'body values']);
    expect(failures(run)).toEqual([]);
  });

  it.each<[string, unknown]>([
    ['a number stringified (REST Cognito style)', { roles: ['a', 'b'], n: '1', tier: 'gold' }],
    ['an array flattened', { roles: '[a b]', n: 1, tier: 'gold' }],
    ['a missing key', { roles: ['a', 'b'], tier: 'gold' }],
    ['no context at all', {}],
  ])('fails on %s', (_label, lambda) => {
    const [failure, ...rest] = failures(judge('ANY /inventory/{proxy+}#authorizer-context', echo(lambda)));
    expect(rest).toEqual([]);
    expect(failure).toContain('authorizer.lambda.');
    expect(failure).toContain('Hint: The integration did not receive the expected authorizer context');
  });

  it('fails on a body that is not JSON', () => {
    expect(
      failures(judge('ANY /inventory/{proxy+}#authorizer-context', { code: 200, body: 'ok' }))[0],
    ).toContain('expected a JSON body');
  });
});

describe('HTTP status-only rejections and preflights', () => {
  it('a Lambda deny passes on any 403 body, fails on 401 and on a let-through', () => {
    expect(
      failures(
        judge('GET /reports#cache-bleed-partial-identity', { code: 403, body: '{"message":"Forbidden"}' }),
      ),
    ).toEqual([]);
    expect(failures(judge('GET /reports#cache-bleed-partial-identity', { code: 403, body: '' }))).toEqual([]);
    const [letThrough] = failures(
      judge('GET /reports#cache-bleed-partial-identity', { code: 200, body: '{}' }),
    );
    expect(letThrough).toContain('cache key must include every identity source value');
  });

  it('a 403 Forbidden without an error type gets the HTTP hint, not the API key one', () => {
    const [failure] = failures(judge('GET /reports#allow', { code: 403, body: '{"message":"Forbidden"}' }));
    expect(failure).toContain('Hint: HTTP API 403 Forbidden');
  });

  it('a missing identity source answered 403: the hint says the Lambda ran although the source was missing', () => {
    const denied: StubResponse = {
      code: 403,
      body: '{"message":"Forbidden"}',
      headers: {
        'x-apigw-authz-cause': 'simple-response-denied',
        'x-apigw-authz-authorizer-invoked': 'true',
      },
    };
    for (const key of [
      'GET /reports#missing-credentials',
      'ANY /inventory/{proxy+}#missing-header-X-Api-Token',
    ]) {
      const [failure] = failures(judge(key, denied, 'missing'));
      expect(failure).toContain(
        'Hint: API Gateway invoked the Lambda authorizer although an identity source was missing',
      );
      // the case's own hint follows: every identity source must be present
      expect(failure).toContain(`(Also check: ${caseOf(key).hint})`);
    }
    // AWS's answer (no serve headers) gets the same hint; the Lambda's deny of a request with every source does not
    expect(
      failures(
        judge('GET /reports#missing-credentials', { code: 403, body: '{"message":"Forbidden"}' }, 'missing'),
      )[0],
    ).toContain('Hint: API Gateway invoked the Lambda authorizer');
    expect(failures(judge('GET /reports#allow', denied, 'positive'))[0]).toContain(
      'Hint: The HTTP API Lambda authorizer answered {"isAuthorized": false}',
    );
  });

  it('a preflight that runs the authorizer: 401 passes, an automatic CORS answer fails', () => {
    const key = 'ANY $default#cors-preflight';
    expect(failures(judge(key, unauthorized('Bearer')))).toEqual([]);
    expect(
      failures(
        judge(key, {
          code: 204,
          body: '',
          headers: { 'Access-Control-Allow-Origin': 'https://app.example.com' },
        }),
      ),
    ).toHaveLength(3);
  });
});

describe("API Gateway's own preflight answer", () => {
  const m = {
    ...httpExampleModel(),
    routes: httpExampleModel().routes.filter((r) => r.method !== 'ANY'),
  };
  const c = derivePlan(m, config({}, { publicRoutes: ['GET /health'] })).cases.find((x) =>
    x.key.endsWith('#cors-preflight'),
  );

  it('passes on 204 with the allowed origin; fails without CORS headers or with the authorizer answering', () => {
    if (!c) throw new Error('no automatic preflight case');
    expect(c.key).toBe('POST /admin/reindex#cors-preflight');
    const run = (response: StubResponse) =>
      failures(
        runScript(ASSERT, {
          requestName: c.name,
          variables: {
            _case: JSON.stringify({ key: c.key, expect: c.expect, hint: c.hint, category: 'cors' }),
          },
          response,
        }),
      );
    expect(
      run({ code: 204, body: '', headers: { 'Access-Control-Allow-Origin': 'https://app.example.com' } }),
    ).toEqual([]);
    const notAnswered = run({ code: 404, body: '{"message":"Not Found"}' });
    expect(notAnswered).toHaveLength(1);
    expect(notAnswered[0]).toContain('Hint: The preflight was not answered with CORS headers');
    expect(run({ code: 403, body: '{"message":"Forbidden"}' })).toHaveLength(2);
    expect(run({ code: 204, body: '', headers: { 'Access-Control-Allow-Origin': '*' } })[0]).toContain(
      'expected header Access-Control-Allow-Origin: https://app.example.com (was *)',
    );
  });
});
