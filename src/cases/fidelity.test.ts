/**
 * Issue 7 on the case side: config-pinned AWS texts, the optional Bearer case, API key cases (HEADER and
 * AUTHORIZER key sources, the key header as an identity source, API-key-only routes) and API Gateway's routing
 * fallback.
 */

import { describe, expect, it } from 'vitest';
import { AWS_RESPONSE_TEXTS } from '../aws-responses.js';
import type { ProjectConfig } from '../config/types.js';
import type { AuthModel, Route } from '../model/types.js';
import { HINTS } from './hints.js';
import { derivePlan } from './index.js';
import { answeringRoute, templateMatches } from './routing-fallback.js';
import { petstoreAuthorizer, petstoreConfig, petstoreModel, route } from '../../test/support/models.js';
import type { AuthCase, TestPlan } from './types.js';

function plan(model: AuthModel = petstoreModel(), overrides: Partial<ProjectConfig> = {}): TestPlan {
  return derivePlan(model, petstoreConfig(overrides));
}

function byKey(cases: AuthCase[], key: string): AuthCase {
  const found = cases.find((testCase) => testCase.key === key);
  if (!found) throw new Error(`no case ${key}; have ${cases.map((c) => c.key).join(', ')}`);
  return found;
}

function withKey(model: AuthModel, method: string, path: string): AuthModel {
  return {
    ...model,
    routes: model.routes.map((r) =>
      r.method === method && r.path === path ? { ...r, apiKeyRequired: true } : r,
    ),
  };
}

describe('config expectations: pin what a region answers', () => {
  it('messages replace the variants; status and error type are pinned; other entries keep the table', () => {
    const pinned = plan(petstoreModel(), {
      expectations: {
        explicitDeny: { messages: ['Denied here'], status: 401 },
        unauthorized: { errorType: 'Custom401' },
      },
    });
    expect(byKey(pinned.cases, 'ANY /files/{proxy+}#deny-token').expect).toEqual({
      outcome: 'rejected',
      statuses: [401],
      messages: ['Denied here'],
      errorType: 'AccessDeniedException',
      headers: [],
    });
    expect(byKey(pinned.cases, 'GET /pets#missing-credentials').expect).toMatchObject({
      messages: ['Unauthorized'],
      errorType: 'Custom401',
    });
    const unknown = byKey(pinned.cases, 'ANY /files/{proxy+}#unknown-token').expect;
    expect(unknown).toMatchObject({ statuses: [401, 403] });
    expect(unknown.outcome === 'rejected' && unknown.messages).toEqual([
      'Unauthorized',
      ...AWS_RESPONSE_TEXTS.implicitDeny.variants,
      'Denied here',
    ]);
  });
});

describe('Cognito: the optional Bearer case', () => {
  function withBearer(on: boolean | undefined): TestPlan {
    const config = petstoreConfig();
    const settings = config.authorizers.CognitoAuth;
    if (!settings?.cognito) throw new Error('the example config has Cognito settings');
    if (on !== undefined) settings.cognito.bearerPrefixCase = on;
    return derivePlan(petstoreModel(), config);
  }

  it('is absent unless the config asks for it', () => {
    for (const on of [undefined, false]) {
      expect(withBearer(on).cases.some((c) => c.key.endsWith('#bearer-prefix'))).toBe(false);
    }
  });

  it('runs once per scope set, right after the first valid token, with "Bearer " before the real token', () => {
    const cases = withBearer(true).cases.filter((c) => c.authorizer === 'CognitoAuth');
    const bearer = cases.filter((c) => c.key.endsWith('#bearer-prefix'));
    expect(bearer.map((c) => c.key)).toEqual([
      'GET /pets#bearer-prefix',
      'GET /pets/{petId}#bearer-prefix',
      'POST /pets#bearer-prefix',
    ]);
    const first = byKey(cases, 'GET /pets#bearer-prefix');
    expect(cases.indexOf(first)).toBe(cases.findIndex((c) => c.key === 'GET /pets#allow') + 1);
    expect(first).toMatchObject({
      name: '[GET] /pets - allow: valid ID token with a "Bearer " prefix (CognitoAuth)',
      credential: {
        kind: 'cognito-token',
        authorizer: 'CognitoAuth',
        tokenUse: 'id',
        header: 'Authorization',
        prefix: 'Bearer ',
      },
      expect: { outcome: 'authorized' },
      polarity: 'positive',
    });
    expect(first.hint).toContain(HINTS.bearerPrefix);
    expect(byKey(cases, 'POST /pets#bearer-prefix').credential).toMatchObject({ tokenUse: 'access' });
  });

  it('no hint says the prefix breaks a Cognito token', () => {
    for (const text of Object.values(HINTS)) expect(text).not.toMatch(/stray prefix|send the raw token/i);
  });
});

describe('API keys', () => {
  const FORBIDDEN = {
    outcome: 'rejected',
    statuses: [403],
    messages: ['Forbidden'],
    errorType: 'ForbiddenException',
    headers: [],
  };

  it('HEADER: valid credentials without the key, and (deep) with a wrong key, get 403 Forbidden', () => {
    const derived = plan(withKey(petstoreModel(), 'DELETE', '/orders/{orderId}'));
    const token = byKey(derived.cases, 'DELETE /orders/{orderId}#allow').credential;
    const missing = byKey(derived.cases, 'DELETE /orders/{orderId}#api-key-missing');
    expect(missing).toMatchObject({
      name: '[DELETE] /orders/{orderId} - apikey: valid credentials, no x-api-key (TokenAuth)',
      credential: token,
      headers: [],
      expect: FORBIDDEN,
      polarity: 'negative',
    });
    expect(missing.hint).toContain(HINTS.apiKey);
    expect(byKey(derived.cases, 'DELETE /orders/{orderId}#api-key-wrong')).toMatchObject({
      credential: token,
      headers: [{ name: 'x-api-key', value: 'apigw-authz-wrong-api-key' }],
      expect: FORBIDDEN,
    });
    // every other case of the route sends the key from the secret variable
    for (const c of derived.cases.filter(
      (c) =>
        c.route.path === '/orders/{orderId}' &&
        !c.key.includes('#api-key-') &&
        c.group.title !== 'CORS on errors',
    )) {
      expect(c.headers).toEqual([{ name: 'x-api-key', value: '{{apiKey}}' }]);
    }
    expect(derived.variables.find((v) => v.key === 'apiKey')).toMatchObject({ secret: true, value: '' });
    // the INVALID_API_KEY answer gets its CORS case
    expect(byKey(derived.cases, 'DELETE /orders/{orderId}#cors-invalid-api-key').headers).toEqual([
      { name: 'Origin', value: 'https://app.apigw-authz.example' },
    ]);
  });

  it('smoke: the missing-key case only', () => {
    const keys = derivePlan(withKey(petstoreModel(), 'GET', '/pets'), petstoreConfig({ depth: 'smoke' }))
      .cases.map((c) => c.key)
      .filter((key) => key.includes('#api-key'));
    expect(keys).toEqual(['GET /pets#api-key-missing']);
  });

  it('AUTHORIZER: no x-api-key is sent and there are no key cases', () => {
    const model = withKey(petstoreModel(), 'DELETE', '/orders/{orderId}');
    model.api = { ...model.api, apiKeySource: 'AUTHORIZER' };
    const derived = plan(model);
    expect(derived.cases.some((c) => c.key.includes('#api-key'))).toBe(false);
    expect(derived.cases.every((c) => c.headers.every((h) => h.name !== 'x-api-key'))).toBe(true);
    expect(derived.variables.some((v) => v.key === 'apiKey')).toBe(false);
    // the description says where the key comes from
    for (const c of derived.cases.filter((c) => c.route.path === '/orders/{orderId}')) {
      expect(c.hint).toContain(HINTS.apiKeyFromAuthorizer);
    }
    expect(byKey(derived.cases, 'GET /orders#allow').hint).not.toContain(HINTS.apiKeyFromAuthorizer);
  });

  it('x-api-key as a REQUEST identity source: sent once, as the key; the missing case removes it entirely', () => {
    const model = withKey(petstoreModel(), 'GET', '/reports');
    const base = petstoreAuthorizer('RequestAuth');
    model.authorizers = model.authorizers.map((a) =>
      a.name === 'RequestAuth'
        ? {
            ...base,
            identitySources: [
              { location: 'header', name: 'x-api-key', expression: 'method.request.header.x-api-key' },
              ...base.identitySources.slice(1),
            ],
          }
        : a,
    );
    const config = petstoreConfig();
    config.authorizers.RequestAuth = { tokenFormat: 'opaque', validIdentity: {} };
    const derived = derivePlan(model, config);
    const allow = byKey(derived.cases, 'GET /reports#allow');
    expect(allow.headers).toEqual([]);
    expect(allow.credential).toMatchObject({ headers: [{ name: 'x-api-key', value: '{{apiKey}}' }] });
    const missing = byKey(derived.cases, 'GET /reports#missing-header-x-api-key');
    expect(missing.headers).toEqual([]);
    expect(missing.credential).toMatchObject({ headers: [] });
    expect(byKey(derived.cases, 'GET /reports#missing-credentials').headers).toEqual([]);
    expect(derived.cases.some((c) => c.key.includes('#api-key-'))).toBe(false);
  });

  it('an API-key-only route is not unprotected: it gets key cases and is counted apart', () => {
    const model = petstoreModel();
    const keyOnly: Route = { ...route('GET', '/status'), apiKeyRequired: true };
    model.routes = [...model.routes, keyOnly];
    const derived = plan(model);
    expect(derived.unprotectedRoutes).toEqual([]);
    expect(derived.apiKeyOnlyRoutes).toEqual([keyOnly]);
    const own = derived.cases.filter((c) => c.route.path === '/status' && c.group.title !== 'CORS on errors');
    expect(own.map((c) => [c.key, c.group.title, c.expect.outcome])).toEqual([
      ['GET /status#api-key', 'API key only routes', 'authorized'],
      ['GET /status#api-key-missing', 'API key only routes', 'rejected'],
      ['GET /status#api-key-wrong', 'API key only routes', 'rejected'],
    ]);
    expect(own[0]?.headers).toEqual([{ name: 'x-api-key', value: '{{apiKey}}' }]);
    expect(derived.warnings).toEqual([expect.stringContaining('GET /status') as unknown as string]);
  });
});

describe('routing as API Gateway does it', () => {
  it.each([
    ['/pets/{petId}', '/pets/42', true],
    ['/pets/{petId}', '/pets', false],
    ['/files/{proxy+}', '/files/a/b', true],
    ['/files/{proxy+}', '/files', false],
    ['/{proxy+}', '/anything/at/all', true],
    ['/', '/', true],
    ['/pets', '/Pets', false],
  ])('%s matches %s: %s', (template, path, matches) => {
    expect(templateMatches(template, path)).toBe(matches);
  });

  const routes: Route[] = [
    route('GET', '/admin/users', 'TokenAuth'),
    route('ANY', '/admin/{proxy+}'),
    route('GET', '/pets/{petId}', 'CognitoAuth'),
    route('POST', '/pets/mine', 'TokenAuth'),
  ];

  it.each([
    ['GET', '/admin/users', 'GET /admin/users'],
    ['POST', '/admin/users', 'ANY /admin/{proxy+}'],
    ['GET', '/pets/mine', 'GET /pets/{petId}'],
    ['POST', '/pets/mine', 'POST /pets/mine'],
    ['DELETE', '/pets/mine', undefined],
  ] as const)('%s %s is answered by %s', (method, path, expected) => {
    const answer = answeringRoute(routes, method, path);
    expect(answer && `${answer.method} ${answer.path}`).toBe(expected);
  });

  it('warns when an open greedy sibling answers the methods a protected resource lacks', () => {
    const model = { ...petstoreModel(), routes };
    const derived = plan(model, { publicRoutes: ['ANY /admin/{proxy+}'] });
    expect(derived.warnings).toContainEqual(
      expect.stringMatching(
        /^\/admin\/users is protected but has no POST, PUT, PATCH, DELETE, HEAD: .* ANY \/admin\/\{proxy\+\}, which has no authorization/,
      ) as unknown as string,
    );
    expect(derived.warnings.filter((w) => w.startsWith('/pets/mine'))).toEqual([]);
  });

  it("a case whose request another route answers expects that route's outcome, with a warning", () => {
    const model = {
      ...petstoreModel(),
      routes: [route('GET', '/pets/{petId}', 'TokenAuth'), route('GET', '/pets/mine')],
    };
    const derived = plan(model, { pathParameters: { petId: 'mine' }, publicRoutes: ['GET /pets/mine'] });
    const missing = byKey(derived.cases, 'GET /pets/{petId}#missing-credentials');
    expect(missing.path).toBe('/pets/mine');
    expect(missing.expect).toEqual({ outcome: 'authorized' });
    expect(derived.warnings).toContainEqual(
      expect.stringContaining(
        "GET /pets/{petId}: the suite's request GET /pets/mine is answered by GET /pets/mine",
      ) as unknown as string,
    );
    // a route with another authorizer answering: the case is dropped (its credentials are for the wrong one)
    const other = {
      ...petstoreModel(),
      routes: [route('GET', '/pets/{petId}', 'TokenAuth'), route('GET', '/pets/mine', 'CognitoAuth')],
    };
    const dropped = plan(other, { pathParameters: { petId: 'mine' } });
    expect(dropped.cases.some((c) => c.route.path === '/pets/{petId}')).toBe(false);
    expect(
      dropped.warnings.some((w) => w.includes('answered by GET /pets/mine (authorizer CognitoAuth)')),
    ).toBe(true);
  });
});
