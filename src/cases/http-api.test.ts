import { describe, expect, it } from 'vitest';
import type { AuthorizerSettings, Depth } from '../config/types.js';
import type { AuthModel, Route } from '../model/types.js';
import {
  config,
  httpExampleModel,
  httpLambdaAuthorizer,
  iamAuthorizer,
  jwtAuthorizer,
  model,
  route,
} from '../../test/support/models.js';
import { derivePlan } from './index.js';
import { RouteIndex, answeringRoute } from './routing-fallback.js';
import type { AuthCase } from './types.js';

const VALID = { '$request.header.X-Api-Token': 'allow-alice', '$request.querystring.tenant': 'tenant-1' };

function httpModel(parts: Partial<AuthModel> & Pick<AuthModel, 'authorizers' | 'routes'>): AuthModel {
  return model({ api: { name: 'h', kind: 'HTTP' }, ...parts });
}

function plan(
  m: AuthModel,
  settings: Record<string, Partial<AuthorizerSettings>> = {},
  depth: Depth = 'standard',
) {
  return derivePlan(m, config(settings, { depth, publicRoutes: ['GET /health'] }));
}

function byKey(cases: AuthCase[], key: string): AuthCase {
  const found = cases.find((c) => c.key === key);
  if (!found) throw new Error(`no case ${key}; have ${cases.map((c) => c.key).join(', ')}`);
  return found;
}

const STATUS_ONLY = (status: number) => ({
  outcome: 'rejected',
  statuses: [status],
  messages: [],
  headers: [],
});

describe('HTTP Lambda authorizer cases (reference §B.4)', () => {
  const lambdaModel = (ttlSeconds = 300, routes?: Route[]) =>
    httpModel({
      authorizers: [httpLambdaAuthorizer('L', { ttlSeconds })],
      routes: routes ?? [route('GET', '/a', 'L'), route('POST', '/b', 'L')],
    });
  const cases = plan(lambdaModel(), { L: { validIdentity: VALID } }).cases;

  it('in run order: warm-up, cache checks, positives, then negatives', () => {
    expect(cases.map((c) => c.key)).toEqual([
      'GET /a#allow',
      'POST /b#cache-bleed',
      'POST /b#cache-bleed-partial-identity',
      'POST /b#allow',
      'GET /a#missing-credentials',
      'GET /a#missing-header-X-Api-Token',
      'GET /a#missing-query-tenant',
      'GET /a#unknown-identity',
      'POST /b#missing-credentials',
    ]);
  });

  it('missing sources: 401 by status only; unknown values and partial identities: 403 by status only', () => {
    for (const id of ['missing-credentials', 'missing-header-X-Api-Token', 'missing-query-tenant']) {
      expect(byKey(cases, `GET /a#${id}`).expect).toEqual(STATUS_ONLY(401));
    }
    expect(byKey(cases, 'GET /a#unknown-identity').expect).toEqual(STATUS_ONLY(403));
    expect(byKey(cases, 'POST /b#cache-bleed-partial-identity').expect).toEqual(STATUS_ONLY(403));
  });

  it('sends header and query sources; each missing case withholds exactly one', () => {
    expect(byKey(cases, 'GET /a#allow').credential).toEqual({
      kind: 'raw',
      headers: [{ name: 'X-Api-Token', value: 'allow-alice' }],
      query: [{ name: 'tenant', value: 'tenant-1' }],
    });
    expect(byKey(cases, 'GET /a#missing-header-X-Api-Token').credential).toEqual({
      kind: 'raw',
      headers: [],
      query: [{ name: 'tenant', value: 'tenant-1' }],
    });
    // the partial identity keeps the first source valid: a cache keyed on it alone reuses the allow
    expect(byKey(cases, 'POST /b#cache-bleed-partial-identity').credential).toEqual({
      kind: 'raw',
      headers: [{ name: 'X-Api-Token', value: 'allow-alice' }],
      query: [{ name: 'tenant', value: 'apigw-authz-unknown' }],
    });
  });

  it('TTL 0: no cache cases; smoke: none either', () => {
    const uncached = plan(lambdaModel(0), { L: { validIdentity: VALID } }).cases;
    expect(uncached.some((c) => c.key.includes('#cache-'))).toBe(false);
    expect(byKey(uncached, 'GET /a#missing-credentials').expect).toEqual(STATUS_ONLY(401));
    const smoke = plan(lambdaModel(), { L: { validIdentity: VALID } }, 'smoke').cases;
    expect(smoke.map((c) => c.key)).toEqual([
      'GET /a#allow',
      'POST /b#allow',
      'GET /a#missing-credentials',
      'POST /b#missing-credentials',
    ]);
  });

  it('one identity source: no partial-identity case; a single route checks the cache on itself', () => {
    const one = httpModel({
      authorizers: [
        httpLambdaAuthorizer('L', { identitySources: [httpLambdaAuthorizer('x').identitySources[0]!] }),
      ],
      routes: [route('GET', '/a', 'L'), route('GET', '/b', 'L')],
    });
    expect(plan(one).cases.some((c) => c.key.endsWith('#cache-bleed-partial-identity'))).toBe(false);
    const single = plan(lambdaModel(300, [route('GET', '/a', 'L')])).cases;
    expect(byKey(single, 'GET /a#cache-bleed-partial-identity').polarity).toBe('negative');
  });

  it('unconfigured sources become {{NAME.<expression>}} secrets; $context and stage variables are never sent', () => {
    const m = httpModel({
      authorizers: [
        httpLambdaAuthorizer('L', {
          identitySources: [
            ...httpLambdaAuthorizer('x').identitySources,
            { location: 'context', name: 'routeKey', expression: '$context.routeKey' },
          ],
        }),
      ],
      routes: [route('GET', '/a', 'L')],
    });
    const p = plan(m);
    expect(byKey(p.cases, 'GET /a#allow').credential).toEqual({
      kind: 'raw',
      headers: [{ name: 'X-Api-Token', value: '{{L.$request.header.X-Api-Token}}' }],
      query: [{ name: 'tenant', value: '{{L.$request.querystring.tenant}}' }],
    });
    expect(p.variables.map((v) => [v.key, v.secret, v.required])).toEqual([
      ['L.$request.header.X-Api-Token', true, true],
      ['L.$request.querystring.tenant', true, true],
    ]);
    expect(p.variables[0]?.description).toContain('HTTP API Lambda authorizer L');
  });

  it('expectContext: one case reading requestContext.authorizer.lambda with JSON types', () => {
    const p = plan(lambdaModel(), {
      L: { validIdentity: VALID, expectContext: { tier: 'gold', n: 1, ok: true } },
    });
    expect(byKey(p.cases, 'GET /a#authorizer-context').expect).toEqual({
      outcome: 'authorized',
      bodyJson: [
        { path: ['authorizer', 'lambda', 'n'], value: 1 },
        { path: ['authorizer', 'lambda', 'ok'], value: true },
        { path: ['authorizer', 'lambda', 'tier'], value: 'gold' },
      ],
    });
  });

  it('config expectations can pin the undocumented bodies', () => {
    const cfg = config(
      { L: { validIdentity: VALID } },
      {
        expectations: {
          httpLambdaUnauthorized: { messages: ['Unauthorized'] },
          httpLambdaForbidden: { messages: ['Forbidden'] },
        },
      },
    );
    const pinned = derivePlan(lambdaModel(), cfg).cases;
    expect(byKey(pinned, 'GET /a#missing-credentials').expect).toMatchObject({ messages: ['Unauthorized'] });
    expect(byKey(pinned, 'GET /a#unknown-identity').expect).toMatchObject({ messages: ['Forbidden'] });
  });
});

describe('AWS_IAM on HTTP APIs (reference §B.5)', () => {
  it('unsigned and wrong-secret: 403 by status only', () => {
    const cases = plan(
      httpModel({ authorizers: [iamAuthorizer()], routes: [route('POST', '/admin', 'sigv4')] }),
    ).cases;
    expect(byKey(cases, 'POST /admin#missing-credentials').expect).toEqual(STATUS_ONLY(403));
    expect(byKey(cases, 'POST /admin#wrong-secret').expect).toEqual(STATUS_ONLY(403));
    expect(byKey(cases, 'POST /admin#wrong-secret').credential).toEqual({
      kind: 'sigv4',
      variant: 'wrong-secret',
    });
  });

  it('REST IAM answers are unchanged', () => {
    const cases = plan(
      model({ authorizers: [iamAuthorizer()], routes: [route('POST', '/admin', 'sigv4')] }),
    ).cases;
    expect(byKey(cases, 'POST /admin#missing-credentials').expect).toMatchObject({
      messages: ['Missing Authentication Token'],
      errorType: 'MissingAuthenticationTokenException',
    });
  });

  it('no API key cases on HTTP APIs', () => {
    const keyed = { ...route('GET', '/k', 'sigv4'), apiKeyRequired: true };
    const cases = plan(httpModel({ authorizers: [iamAuthorizer()], routes: [keyed] })).cases;
    expect(cases.some((c) => c.key.includes('#api-key'))).toBe(false);
  });
});

describe('HTTP CORS preflight cases (reference §B.6)', () => {
  const settings = {
    CognitoJwt: {
      cognito: { clientId: 'c', callbackUrl: 'x', tokenFlow: 'password' as const, idpEndpoint: 'x' },
    },
  };

  it('the example: ANY and $default routes behind an authorizer answer the preflight with their rejection', () => {
    const preflights = plan(httpExampleModel(), settings).cases.filter(
      (c) => c.group.title === 'CORS preflight',
    );
    expect(preflights.map((c) => [c.key, c.method, c.path])).toEqual([
      ['ANY $default#cors-preflight', 'OPTIONS', '/apigw-authz-unmatched'],
      ['ANY /inventory/{proxy+}#cors-preflight', 'OPTIONS', '/inventory/apigw-authz/probe'],
    ]);
    expect(preflights[0]?.expect).toEqual({
      outcome: 'rejected',
      statuses: [401],
      messages: ['Unauthorized'],
      headers: [],
      wwwAuthenticate: {},
    });
    expect(preflights[1]?.expect).toEqual(STATUS_ONLY(401));
    for (const c of preflights) {
      expect(c.credential).toEqual({
        kind: 'raw',
        headers: [
          { name: 'Origin', value: 'https://app.example.com' },
          { name: 'Access-Control-Request-Method', value: 'GET' },
        ],
        query: [],
      });
      expect(c.hint).toContain('OPTIONS /{proxy+}');
    }
  });

  it("without a catch-all, one protected route expects API Gateway's own CORS answer", () => {
    const m = httpModel({
      authorizers: [jwtAuthorizer('J', 'https://issuer.example/', ['a']), iamAuthorizer()],
      routes: [
        route('POST', '/admin', 'sigv4'),
        route('GET', '/orders', 'J'),
        route('ANY', '/x/{proxy+}', 'sigv4'),
      ],
      cors: { allowOrigin: '*' },
    });
    const preflights = plan(m).cases.filter((c) => c.group.title === 'CORS preflight');
    expect(preflights.map((c) => [c.key, c.polarity, c.expect])).toEqual([
      ['ANY /x/{proxy+}#cors-preflight', 'negative', STATUS_ONLY(403)],
      [
        'POST /admin#cors-preflight',
        'positive',
        { outcome: 'authorized', headers: [{ name: 'Access-Control-Allow-Origin', value: '*' }] },
      ],
    ]);
    expect(preflights[1]?.credential).toMatchObject({
      headers: [
        { name: 'Origin', value: 'https://app.apigw-authz.example' },
        { name: 'Access-Control-Request-Method', value: 'POST' },
      ],
    });
  });

  it('an OPTIONS /{proxy+} route without authorization takes the preflights: no rejection case', () => {
    const base = httpExampleModel();
    const m = { ...base, routes: [...base.routes, route('OPTIONS', '/{proxy+}')] };
    const preflights = plan(m, settings).cases.filter((c) => c.group.title === 'CORS preflight');
    expect(preflights).toEqual([]);
  });

  it('no CORS configuration: no preflight cases; REST keeps its CORS-on-errors cases', () => {
    const m = { ...httpExampleModel(), cors: undefined };
    expect(plan(m, settings).cases.some((c) => c.group.title === 'CORS preflight')).toBe(false);
  });
});

describe('HTTP routing in the plan (RouteIndex)', () => {
  // the reference's own example (AGDG http-api-develop-routes)
  const routes = [
    route('GET', '/pets/dog/1', 'A'),
    route('GET', '/pets/dog/{id}', 'A'),
    route('GET', '/pets/{proxy+}', 'A'),
    route('ANY', '/{proxy+}', 'A'),
    route('ANY', '$default', 'A'),
  ];
  it.each([
    ['GET', '/pets/dog/1', 'GET /pets/dog/1'],
    ['GET', '/pets/dog/2', 'GET /pets/dog/{id}'],
    ['GET', '/pets/cat/1', 'GET /pets/{proxy+}'],
    ['POST', '/test/5', 'ANY /{proxy+}'],
    ['POST', '/pets/dog/1', 'ANY /{proxy+}'],
  ] as const)('%s %s -> %s', (method, path, expected) => {
    const answer = answeringRoute(routes, method, path, 'HTTP');
    expect(answer && `${answer.method} ${answer.path}`).toBe(expected);
  });

  it('method on a greedy route outranks ANY; $default takes the rest; nothing: no route', () => {
    const index = new RouteIndex(
      [route('ANY', '/pets', 'A'), route('GET', '/{proxy+}', 'A'), route('ANY', '$default', 'B')],
      'HTTP',
    );
    expect(index.answer('GET', '/pets')?.path).toBe('/{proxy+}');
    expect(index.answer('POST', '/pets')?.path).toBe('/pets');
    expect(index.answer('POST', '/other')?.path).toBe('$default');
    expect(new RouteIndex([route('GET', '/a', 'A')], 'HTTP').answer('GET', '/b')).toBeUndefined();
    // REST knows no $default: a literal resource named so
    expect(new RouteIndex([route('ANY', '$default', 'A')]).answer('GET', '/x')).toBeUndefined();
  });

  it('a greedy route that swallows $default drops its cases with a warning', () => {
    const m = httpModel({
      authorizers: [jwtAuthorizer('J', 'https://issuer.example/', ['a']), iamAuthorizer()],
      routes: [route('ANY', '$default', 'J'), route('ANY', '/{proxy+}', 'sigv4')],
    });
    const p = plan(m, { J: { oidc: { scopes: [], callbackUrl: 'x', tokenFlow: 'client_credentials' } } });
    expect(p.cases.some((c) => c.route.path === '$default')).toBe(false);
    expect(
      p.warnings.some((w) =>
        w.startsWith(
          "ANY $default: the suite's request GET /apigw-authz-unmatched is answered by ANY /{proxy+}",
        ),
      ),
    ).toBe(true);
  });
});
