import { describe, expect, it } from 'vitest';
import type { AuthorizerSettings, CognitoSettings, Depth, OidcSettings } from '../config/types.js';
import type { AuthModel, Route } from '../model/types.js';
import {
  cognitoIssuer,
  config,
  headerSource,
  httpExampleModel,
  jwtAuthorizer,
  model,
  route,
} from '../../test/support/models.js';
import { derivePlan } from './index.js';
import { HINTS } from './hints.js';
import type { AuthCase, Expectation } from './types.js';

const CLIENT = '4e2x8mple5cl1ent6id7abc890';
const M2M = '7m2m8mple5cl1ent6id7abc890';
const COGNITO: CognitoSettings = {
  clientId: CLIENT,
  callbackUrl: 'https://oauth.pstmn.io/v1/callback',
  tokenFlow: 'password',
  accessTokenFlow: 'client_credentials',
  accessTokenClientId: M2M,
  idpEndpoint: 'https://cognito-idp.us-east-1.amazonaws.com/',
};
const OIDC: OidcSettings = {
  clientId: 'partner-client',
  scopes: [],
  callbackUrl: 'https://oauth.pstmn.io/v1/callback',
  tokenFlow: 'client_credentials',
};

/** The HTTP example's config as far as the cases read it. */
function httpSettings(extra: Record<string, Partial<AuthorizerSettings>> = {}) {
  return {
    CognitoJwt: { cognito: COGNITO },
    PartnerJwt: { oidc: OIDC },
    LambdaAuth: { validIdentity: { '$request.header.X-Api-Token': 'allow-alice' } },
    ...extra,
  };
}

function httpPlan(depth: Depth = 'standard', extra: Record<string, Partial<AuthorizerSettings>> = {}) {
  return derivePlan(
    httpExampleModel(),
    config(httpSettings(extra), { depth, publicRoutes: ['GET /health'] }),
  );
}

function byKey(cases: AuthCase[], key: string): AuthCase {
  const found = cases.find((c) => c.key === key);
  if (!found) throw new Error(`no case ${key}; have ${cases.map((c) => c.key).join(', ')}`);
  return found;
}

const HTTP_401 = (wwwAuthenticate: object): Expectation =>
  ({
    outcome: 'rejected',
    statuses: [401],
    messages: ['Unauthorized'],
    headers: [],
    wwwAuthenticate,
  }) as Expectation;

describe('JWT on HTTP APIs: exact expectations (reference §B.3, CONTRACT.md)', () => {
  const cases = httpPlan().cases;

  it.each<[string, Expectation]>([
    ['GET /orders#allow', { outcome: 'authorized' }],
    ['GET /orders#bearer-prefix', { outcome: 'authorized' }],
    ['GET /orders#missing-credentials', HTTP_401({})],
    [
      'GET /orders#not-a-jwt',
      HTTP_401({ error: 'invalid_token', description: 'token contains an invalid number of segments' }),
    ],
    ['GET /orders#expired', HTTP_401({ error: 'invalid_token', description: 'the token has expired' })],
    [
      'GET /orders#other-audience',
      HTTP_401({ error: 'invalid_token', description: 'the token does not have a valid audience' }),
    ],
    ['GET /orders#not-yet-valid', HTTP_401({ error: 'invalid_token' })],
    ['GET /orders#other-issuer', HTTP_401({ error: 'invalid_token' })],
    ['GET /orders#issuer-slash', HTTP_401({ error: 'invalid_token' })],
    ['GET /orders#forged-alg-none', HTTP_401({ error: 'invalid_token' })],
    ['GET /orders#forged-hs256-public-key', HTTP_401({ error: 'invalid_token' })],
    ['GET /orders#forged-unknown-kid', HTTP_401({ error: 'invalid_token' })],
    ['GET /orders#forged-foreign-key', HTTP_401({ error: 'invalid_token' })],
    ['GET /orders#forged-tampered-payload', HTTP_401({ error: 'invalid_token' })],
    ['GET /orders#forged-space-inside', HTTP_401({ error: 'invalid_token' })],
    [
      'GET /orders#missing-scope',
      {
        outcome: 'rejected',
        statuses: [403],
        messages: ['Forbidden'],
        headers: [],
        wwwAuthenticate: { error: 'insufficient_scope', description: 'expected scopes: [orders/read]' },
      },
    ],
    [
      'GET /orders#wrong-token-use',
      {
        outcome: 'rejected',
        statuses: [403],
        messages: ['Forbidden'],
        headers: [],
        wwwAuthenticate: { error: 'insufficient_scope', description: 'expected scopes: [orders/read]' },
      },
    ],
  ])('%s', (key, expectation) => {
    const found = byKey(cases, key);
    expect(found.expect).toEqual(expectation);
    // HTTP APIs send no x-amzn-ErrorType: never asserted
    expect(found.expect.outcome === 'rejected' && found.expect.errorType).toBeFalsy();
  });

  it('sends real tokens from the token scripts: access with the scope, ID on unscoped routes, raw and Bearer', () => {
    expect(byKey(cases, 'GET /orders#allow').credential).toEqual({
      kind: 'cognito-token',
      authorizer: 'CognitoJwt',
      tokenUse: 'access',
      header: 'Authorization',
    });
    expect(byKey(cases, 'GET /orders#bearer-prefix').credential).toMatchObject({ prefix: 'Bearer ' });
    expect(byKey(cases, 'GET /orders/{orderId}#allow').credential).toMatchObject({ tokenUse: 'id' });
    expect(byKey(cases, 'GET /orders#missing-scope').credential).toMatchObject({
      tokenUse: 'unscoped-access',
    });
    expect(byKey(cases, 'GET /orders#wrong-token-use').credential).toMatchObject({ tokenUse: 'id' });
    // the client_id fallback: a Cognito access token (no aud) passes an unscoped route
    expect(byKey(cases, 'ANY $default#client-id-fallback')).toMatchObject({
      expect: { outcome: 'authorized' },
      credential: { tokenUse: 'unscoped-access' },
    });
    expect(byKey(cases, 'GET /orders#forged-hs256-public-key').credential).toEqual({
      kind: 'forged-token',
      source: { kind: 'cognito', authorizer: 'CognitoJwt', tokenUse: 'access' },
      forgery: 'hs256-public-key',
      header: 'Authorization',
    });
  });

  it('supplied tokens are optional secrets, each case skipped while its variable is empty', () => {
    const plan = httpPlan();
    const supplied = [
      'expiredToken',
      'notYetValidToken',
      'otherIssuerToken',
      'issuerSlashToken',
      'otherAudienceToken',
    ];
    for (const name of supplied) {
      const key = `PartnerJwt.${name}`;
      const users = plan.cases.filter((c) => c.skipUnlessVariable === key);
      expect(users.length).toBeGreaterThan(0);
      for (const c of users)
        expect(c.credential).toEqual({
          kind: 'raw',
          headers: [{ name: 'Authorization', value: `{{${key}}}` }],
          query: [],
        });
      const variable = plan.variables.find((v) => v.key === key);
      expect(variable).toMatchObject({ secret: true, required: false, value: '' });
      expect(variable?.description).toMatch(/^Optional: .*PartnerJwt/);
    }
    // REST-only claim tokens never appear on HTTP APIs
    expect(plan.variables.some((v) => /ClaimToken$/.test(v.key))).toBe(false);
  });

  it('an OIDC issuer has no ID token: access tokens everywhere, no ID-token cases', () => {
    const partner = httpPlan().cases.filter((c) => c.authorizer === 'PartnerJwt');
    expect(
      partner.some((c) => c.key.endsWith('#wrong-token-use') || c.key.endsWith('#client-id-fallback')),
    ).toBe(false);
    expect(byKey(partner, 'GET /partner/orders#allow').credential).toMatchObject({ tokenUse: 'access' });
    expect(byKey(partner, 'GET /partner/orders#missing-scope').expect).toMatchObject({
      statuses: [403],
      wwwAuthenticate: { error: 'insufficient_scope', description: 'expected scopes: [orders:read]' },
    });
    // an issuer that grants the route's scope anyway cannot give a token without it
    const granted = httpPlan('standard', {
      PartnerJwt: { oidc: { ...OIDC, scopes: ['orders:read'] } },
    }).cases;
    expect(granted.some((c) => c.key === 'GET /partner/orders#missing-scope')).toBe(false);
  });

  it("the scope description lists the route's scopes in its own order", () => {
    const m = model({
      api: { name: 'h', kind: 'HTTP' },
      authorizers: [jwtAuthorizer('J', 'https://issuer.example/', ['aud'])],
      routes: [route('GET', '/a', 'J', ['b:write', 'a:read'])],
    });
    const cases = derivePlan(m, config({ J: { oidc: OIDC } })).cases;
    expect(byKey(cases, 'GET /a#missing-scope').expect).toMatchObject({
      wwwAuthenticate: { description: 'expected scopes: [b:write a:read]' },
    });
    expect(byKey(cases, 'GET /a#allow').name).toBe(
      '[GET] /a - allow: valid access token with scope a:read or b:write (J)',
    );
  });

  it('the $default route is probed on a path no other route matches', () => {
    for (const c of httpPlan().cases.filter(
      (c) => c.route.path === '$default' && c.group.title === 'CognitoJwt',
    )) {
      expect(c.path).toBe('/apigw-authz-unmatched');
      expect(c.method).toBe('GET');
    }
  });

  it('hints carry the reference advice', () => {
    const cases = httpPlan().cases;
    expect(byKey(cases, 'GET /orders#issuer-slash').hint).toBe(HINTS.jwtIssuer);
    expect(byKey(cases, 'GET /orders#other-audience').hint).toContain('client_id');
    expect(byKey(cases, 'GET /orders#missing-scope').hint).toContain('403');
    expect(byKey(cases, 'GET /orders#forged-unknown-kid').hint).toBe(HINTS.jwtKeys);
    expect(byKey(cases, 'GET /orders#forged-hs256-public-key').hint).toContain('RSA only');
    expect(byKey(cases, 'GET /orders#bearer-prefix').hint).toContain('Bearer');
    expect(byKey(cases, 'ANY $default#allow').hint).toContain('accepts ID tokens');
  });

  it('config expectations pin the HTTP texts by their entry ids', () => {
    const cfg = config(httpSettings(), {
      expectations: { httpUnauthorized: { messages: ['Nope'] }, httpForbidden: { status: 401 } },
    });
    const cases = derivePlan(httpExampleModel(), cfg).cases;
    expect(byKey(cases, 'GET /orders#missing-credentials').expect).toMatchObject({
      messages: ['Nope'],
      wwwAuthenticate: {},
    });
    expect(byKey(cases, 'GET /orders#missing-scope').expect).toMatchObject({ statuses: [401] });
  });
});

describe('JWT on REST APIs (reference §A.3: open questions answered as CONTRACT.md says)', () => {
  const issuer = cognitoIssuer('us-east-1_Rest1');
  const restJwt = jwtAuthorizer('RestJwt', issuer, [CLIENT, M2M], {
    identitySources: [headerSource('Authorization')],
    jwt: {
      issuers: [
        {
          issuer,
          audiences: [CLIENT, M2M],
          claims: [
            { name: 'token_use', values: ['access'], required: true },
            { name: 'tenant', values: [], required: false },
          ],
        },
      ],
      algorithms: ['RS256', 'ES256'],
    },
  });
  const restModel = (routes: Route[]): AuthModel => model({ authorizers: [restJwt], routes });
  const restCases = derivePlan(
    restModel([route('GET', '/items', 'RestJwt', ['items/read']), route('GET', '/me', 'RestJwt')]),
    config({ RestJwt: { cognito: COGNITO } }),
  ).cases;

  it('401 Unauthorized for invalid tokens, no www-authenticate, no error type', () => {
    for (const id of [
      'missing-credentials',
      'not-a-jwt',
      'forged-alg-none',
      'other-audience',
      'other-issuer',
      'missing-claim',
      'wrong-claim',
    ]) {
      expect(byKey(restCases, `GET /items#${id}`).expect).toEqual({
        outcome: 'rejected',
        statuses: [401],
        messages: ['Unauthorized'],
        headers: [],
      });
    }
  });

  it("expired: 401 with either the generic or Cognito's expired wording", () => {
    expect(byKey(restCases, 'GET /items#expired').expect).toEqual({
      outcome: 'rejected',
      statuses: [401],
      messages: ['Unauthorized', 'The incoming token has expired'],
      headers: [],
    });
  });

  it('a missing scope is 403 with any message', () => {
    for (const id of ['missing-scope', 'wrong-token-use']) {
      expect(byKey(restCases, `GET /items#${id}`).expect).toEqual({
        outcome: 'rejected',
        statuses: [403],
        messages: [],
        headers: [],
      });
    }
  });

  it('claim cases name the rule; no Bearer or client_id cases (undocumented on REST)', () => {
    expect(byKey(restCases, 'GET /items#missing-claim')).toMatchObject({
      skipUnlessVariable: 'RestJwt.missingClaimToken',
      name: expect.stringContaining('required claim token_use'),
    });
    expect(byKey(restCases, 'GET /items#wrong-claim').name).toContain('token_use is none of access');
    expect(restCases.some((c) => /#(bearer-prefix|client-id-fallback)$/.test(c.key))).toBe(false);
    expect(byKey(restCases, 'GET /items#other-audience').hint).toBe(HINTS.jwtAudienceRest);
  });

  it('no claim cases without claim rules', () => {
    const plain = jwtAuthorizer('RestJwt', issuer, [CLIENT], {
      identitySources: [headerSource('Authorization')],
    });
    const cases = derivePlan(
      model({ authorizers: [plain], routes: [route('GET', '/me', 'RestJwt')] }),
      config({ RestJwt: { cognito: COGNITO } }),
    ).cases;
    expect(cases.some((c) => /claim$/.test(c.key))).toBe(false);
  });
});

describe('JWT depth rules', () => {
  /** n unscoped and n scoped routes behind one OIDC JWT authorizer. */
  function grown(n: number): AuthModel {
    const routes: Route[] = [];
    for (let i = 0; i < n; i += 1) {
      routes.push(route('GET', `/u${String(i).padStart(4, '0')}`, 'J'));
      routes.push(route('GET', `/s${String(i).padStart(4, '0')}`, 'J', ['s:read']));
    }
    return model({
      api: { name: 'h', kind: 'HTTP' },
      authorizers: [jwtAuthorizer('J', 'https://issuer.example/', ['aud'])],
      routes,
    });
  }
  const count = (n: number, depth: Depth) =>
    derivePlan(grown(n), config({ J: { oidc: OIDC } }, { depth })).cases.length;

  it('smoke: a positive and a missing case per route', () => {
    const cases = derivePlan(grown(5), config({ J: { oidc: OIDC } }, { depth: 'smoke' })).cases;
    expect(cases).toHaveLength(20);
    expect(cases.every((c) => /#(allow|missing-credentials)$/.test(c.key))).toBe(true);
  });

  it('standard: deeper cases once per scope set, so each route adds two', () => {
    expect(count(50, 'standard') - count(10, 'standard')).toBe(2 * 2 * 40);
  });

  it('full: linear, a fixed number per route', () => {
    const perPair = (count(20, 'full') - count(10, 'full')) / 10;
    expect(count(60, 'full') - count(10, 'full')).toBe(50 * perPair);
    expect(perPair).toBeGreaterThan(20);
  });

  it('is deterministic and keys are unique', () => {
    const a = JSON.stringify(httpPlan('full'));
    const b = JSON.stringify(httpPlan('full'));
    expect(a).toBe(b);
    const keys = httpPlan('full').cases.map((c) => c.key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('expectContext (JWT)', () => {
  it('adds one case checking the claims where a payload-2.0 integration sees them', () => {
    const cases = httpPlan('standard', {
      PartnerJwt: { oidc: OIDC, expectContext: { sub: 'partner-client', tier: 'gold' } },
    }).cases;
    const context = cases.filter((c) => c.key.endsWith('#authorizer-context'));
    expect(context).toHaveLength(1);
    expect(context[0]?.expect).toEqual({
      outcome: 'authorized',
      bodyJson: [
        { path: ['authorizer', 'jwt', 'claims', 'sub'], value: 'partner-client' },
        { path: ['authorizer', 'jwt', 'claims', 'tier'], value: 'gold' },
      ],
    });
    expect(
      cases.filter((c) => c.key.endsWith('#authorizer-context') && c.authorizer === 'CognitoJwt'),
    ).toEqual([]);
  });
});
