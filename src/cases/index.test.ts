import { describe, expect, it } from 'vitest';
import type { Depth } from '../config/types.js';
import { InternalError } from '../errors.js';
import type { AuthModel } from '../model/types.js';
import { derivePlan } from './index.js';
import { HINTS } from './hints.js';
import {
  iamAuthorizer,
  petstoreAuthorizer,
  petstoreConfig,
  petstoreModel,
  route,
  syntheticModel,
} from '../../test/support/models.js';
import type { AuthCase, Credential, Expectation, TestPlan } from './types.js';

const CORS = [{ name: 'Access-Control-Allow-Origin', value: '*' }];
const ALLOW: Expectation = { outcome: 'authorized' };
const UNAUTHORIZED: Expectation = {
  outcome: 'rejected',
  statuses: [401],
  messages: ['Unauthorized'],
  errorType: 'UnauthorizedException',
  headers: [],
};
const EXPIRED: Expectation = { ...UNAUTHORIZED, messages: ['The incoming token has expired'] };
const EXPLICIT_TEXTS = [
  'User is not authorized to access this resource with an explicit deny in an identity-based policy',
  'User is not authorized to access this resource with an explicit deny',
];
const IMPLICIT_TEXTS = [
  'User is not authorized to access this resource because no identity-based policy allows the execute-api:Invoke action',
  'User is not authorized to access this resource',
];
const LAMBDA_REJECTS: Expectation = {
  outcome: 'rejected',
  statuses: [401, 403],
  messages: ['Unauthorized', ...IMPLICIT_TEXTS, ...EXPLICIT_TEXTS],
  headers: [],
};
const EXPLICIT_DENY: Expectation = {
  outcome: 'rejected',
  statuses: [403],
  messages: EXPLICIT_TEXTS,
  errorType: 'AccessDeniedException',
  headers: [],
};
const MISSING_TOKEN: Expectation = {
  outcome: 'rejected',
  statuses: [403],
  messages: ['Missing Authentication Token'],
  errorType: 'MissingAuthenticationTokenException',
  headers: [],
};
const SIGNATURE_PREFIX = 'The request signature we calculated does not match the signature you provided';
const SIGNATURE_MISMATCH: Expectation = {
  outcome: 'rejected',
  statuses: [403],
  messages: [
    `${SIGNATURE_PREFIX}. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.`,
  ],
  messagePrefix: SIGNATURE_PREFIX,
  headers: [],
};
const CORS_CASE: Expectation = { outcome: 'rejected', statuses: [], messages: [], headers: CORS };

const NONE: Credential = { kind: 'none' };
const cognito = (tokenUse: 'id' | 'access' | 'unscoped-access'): Credential => ({
  kind: 'cognito-token',
  authorizer: 'CognitoAuth',
  tokenUse,
  header: 'Authorization',
});
const forged = (tokenUse: 'id' | 'access', forgery: string): Credential =>
  ({
    kind: 'forged-token',
    source: { kind: 'cognito', authorizer: 'CognitoAuth', tokenUse },
    forgery,
    header: 'Authorization',
  }) as Credential;
const header = (name: string, value: string): Credential => ({
  kind: 'raw',
  headers: [{ name, value }],
  query: [],
});
const token = (value: string) => header('X-Auth-Token', value);
const identity = (tenant?: string, apiVersion?: string): Credential => ({
  kind: 'raw',
  headers: tenant === undefined ? [] : [{ name: 'X-Tenant-Id', value: tenant }],
  query: apiVersion === undefined ? [] : [{ name: 'apiVersion', value: apiVersion }],
});
const EXPIRED_TOKEN = header('Authorization', '{{CognitoAuth.expiredToken}}');

function cognitoDeeper(
  prefix: string,
  use: 'id' | 'access',
  wrongUse: [string, Credential],
  scope?: string,
): [string, string, Credential, Expectation][] {
  return [
    [`${prefix}#not-a-jwt`, 'deny: not a JWT', header('Authorization', 'not-a-jwt'), UNAUTHORIZED],
    [
      `${prefix}#forged-space-inside`,
      'deny: token with a space inside',
      forged(use, 'space-inside'),
      UNAUTHORIZED,
    ],
    [
      `${prefix}#forged-tampered-payload`,
      'deny: tampered payload (original signature)',
      forged(use, 'tampered-payload'),
      UNAUTHORIZED,
    ],
    [
      `${prefix}#forged-stripped-signature`,
      'deny: signature stripped',
      forged(use, 'stripped-signature'),
      UNAUTHORIZED,
    ],
    [`${prefix}#forged-alg-none`, 'deny: alg none (unsigned)', forged(use, 'alg-none'), UNAUTHORIZED],
    [
      `${prefix}#forged-foreign-key`,
      'deny: signed by a foreign key',
      forged(use, 'foreign-key'),
      UNAUTHORIZED,
    ],
    [
      `${prefix}#forged-other-issuer`,
      'deny: issuer of another user pool',
      forged(use, 'other-issuer'),
      UNAUTHORIZED,
    ],
    [`${prefix}#wrong-token-use`, wrongUse[0], wrongUse[1], UNAUTHORIZED],
    ...(scope
      ? ([
          [
            `${prefix}#missing-scope`,
            `deny: access token without scope ${scope}`,
            cognito('unscoped-access'),
            UNAUTHORIZED,
          ],
        ] as [string, string, Credential, Expectation][])
      : []),
    [`${prefix}#expired`, 'deny: expired token', EXPIRED_TOKEN, EXPIRED],
  ];
}

/** Every case of the bundled example at `standard`, in run order: key, name after the route, credential, expectation. */
const EXAMPLE_STANDARD: [string, string, Credential, Expectation][] = [
  ['GET /health#public', 'public: reachable without credentials', NONE, ALLOW],
  // CognitoAuth, no scopes (ID token)
  ['GET /pets#allow', 'allow: valid ID token', cognito('id'), ALLOW],
  ['GET /pets#missing-credentials', 'deny: missing Authorization header', NONE, UNAUTHORIZED],
  ...cognitoDeeper('GET /pets', 'id', [
    'deny: access token where an ID token is expected',
    cognito('unscoped-access'),
  ]),
  // CognitoAuth, [pets/read]
  ['GET /pets/{petId}#allow', 'allow: valid access token with scope pets/read', cognito('access'), ALLOW],
  ['GET /pets/{petId}#missing-credentials', 'deny: missing Authorization header', NONE, UNAUTHORIZED],
  ...cognitoDeeper(
    'GET /pets/{petId}',
    'access',
    ['deny: ID token where an access token is expected', cognito('id')],
    'pets/read',
  ),
  // CognitoAuth, [pets/write]
  ['POST /pets#allow', 'allow: valid access token with scope pets/write', cognito('access'), ALLOW],
  ['POST /pets#missing-credentials', 'deny: missing Authorization header', NONE, UNAUTHORIZED],
  ...cognitoDeeper(
    'POST /pets',
    'access',
    ['deny: ID token where an access token is expected', cognito('id')],
    'pets/write',
  ),
  // RequestAuth
  ['GET /reports#allow', 'allow: all identity sources valid', identity('tenant-1', '2024-01-01'), ALLOW],
  [
    'GET /reports/{reportId}#cache-bleed',
    'cache: valid identity cached on [GET] /reports still authorized on a second route',
    identity('tenant-1', '2024-01-01'),
    ALLOW,
  ],
  [
    'GET /reports/{reportId}#allow',
    'allow: all identity sources valid',
    identity('tenant-1', '2024-01-01'),
    ALLOW,
  ],
  ['GET /reports#missing-credentials', 'deny: missing identity sources', NONE, UNAUTHORIZED],
  [
    'GET /reports#missing-header-X-Tenant-Id',
    'deny: missing header X-Tenant-Id',
    identity(undefined, '2024-01-01'),
    UNAUTHORIZED,
  ],
  [
    'GET /reports#missing-query-apiVersion',
    'deny: missing query string apiVersion',
    identity('tenant-1'),
    UNAUTHORIZED,
  ],
  [
    'GET /reports#unknown-identity',
    'deny: unknown identity values',
    identity('apigw-authz-unknown', 'apigw-authz-unknown'),
    LAMBDA_REJECTS,
  ],
  ['GET /reports/{reportId}#missing-credentials', 'deny: missing identity sources', NONE, UNAUTHORIZED],
  // TokenAuth
  ['ANY /files/{proxy+}#allow', 'allow: valid token', token('allow-alice'), ALLOW],
  [
    'GET /orders#cache-bleed',
    'cache: valid token cached on [ANY] /files/{proxy+} still authorized on a second route',
    token('allow-alice'),
    ALLOW,
  ],
  ['GET /orders#allow', 'allow: valid token', token('allow-alice'), ALLOW],
  ['DELETE /orders/{orderId}#allow', 'allow: valid token', token('allow-alice'), ALLOW],
  ['ANY /files/{proxy+}#missing-credentials', 'deny: missing X-Auth-Token header', NONE, UNAUTHORIZED],
  [
    'ANY /files/{proxy+}#regex-mismatch',
    'deny: token failing the validation expression',
    token('!'),
    UNAUTHORIZED,
  ],
  ['ANY /files/{proxy+}#unknown-token', 'deny: unknown well-formed token', token('aaaa'), LAMBDA_REJECTS],
  [
    'ANY /files/{proxy+}#deny-token',
    'deny: deny token (explicit deny)',
    token('deny-mallory'),
    EXPLICIT_DENY,
  ],
  ['GET /orders#missing-credentials', 'deny: missing X-Auth-Token header', NONE, UNAUTHORIZED],
  ['DELETE /orders/{orderId}#missing-credentials', 'deny: missing X-Auth-Token header', NONE, UNAUTHORIZED],
  // sigv4
  ['ANY /admin/{proxy+}#allow', 'allow: SigV4-signed request', { kind: 'sigv4', variant: 'valid' }, ALLOW],
  ['ANY /admin/{proxy+}#missing-credentials', 'deny: unsigned request', NONE, MISSING_TOKEN],
  [
    'ANY /admin/{proxy+}#wrong-secret',
    'deny: signed with a wrong secret key',
    { kind: 'sigv4', variant: 'wrong-secret' },
    SIGNATURE_MISMATCH,
  ],
  // CORS on errors: one per gateway response type, a copy of its first rejection
  [
    'GET /pets#cors-unauthorized',
    'cors: UNAUTHORIZED answer carries Access-Control-Allow-Origin',
    NONE,
    CORS_CASE,
  ],
  [
    'ANY /files/{proxy+}#cors-access-denied',
    'cors: ACCESS_DENIED answer carries Access-Control-Allow-Origin',
    token('deny-mallory'),
    CORS_CASE,
  ],
  [
    'ANY /admin/{proxy+}#cors-missing-authentication-token',
    'cors: MISSING_AUTHENTICATION_TOKEN answer carries Access-Control-Allow-Origin',
    NONE,
    CORS_CASE,
  ],
  [
    'ANY /admin/{proxy+}#cors-invalid-signature',
    'cors: INVALID_SIGNATURE answer carries Access-Control-Allow-Origin',
    { kind: 'sigv4', variant: 'wrong-secret' },
    CORS_CASE,
  ],
];

function plan(model: AuthModel = petstoreModel(), depth: Depth = 'standard', overrides = {}): TestPlan {
  return derivePlan(model, petstoreConfig({ depth, ...overrides }));
}

function byKey(cases: AuthCase[], key: string): AuthCase {
  const found = cases.find((testCase) => testCase.key === key);
  if (!found) throw new Error(`no case ${key}`);
  return found;
}

describe('derivePlan on the bundled example', () => {
  const example = plan();

  it('has exactly the catalogue, in run order', () => {
    expect(example.cases.map((testCase) => testCase.key)).toEqual(EXAMPLE_STANDARD.map(([key]) => key));
  });

  it.each(EXAMPLE_STANDARD)('%s: %s', (key, label, credential, expectation) => {
    const testCase = byKey(example.cases, key);
    const [method, path] = key.split('#')[0]?.split(' ') ?? [];
    const suffix = testCase.authorizer ? ` (${testCase.authorizer})` : '';
    expect(testCase.name).toBe(`[${method}] ${path} - ${label}${suffix}`);
    expect(testCase.credential).toEqual(credential);
    expect(testCase.expect).toEqual(expectation);
    expect(testCase.polarity).toBe(expectation.outcome === 'authorized' ? 'positive' : 'negative');
    expect(testCase.hint.length).toBeGreaterThan(20);
  });

  it('sends concrete requests: ANY -> GET, path samples, greedy proxy', () => {
    const requests = Object.fromEntries(
      example.cases
        .filter((c) => c.key.endsWith('#allow') || c.key.endsWith('#public'))
        .map((c) => [c.key, `${c.method} ${c.path}`]),
    );
    expect(requests).toEqual({
      'GET /health#public': 'GET /health',
      'GET /pets#allow': 'GET /pets',
      'GET /pets/{petId}#allow': 'GET /pets/42',
      'POST /pets#allow': 'POST /pets',
      'GET /reports#allow': 'GET /reports',
      'GET /reports/{reportId}#allow': 'GET /reports/7',
      'ANY /files/{proxy+}#allow': 'GET /files/docs/readme.txt',
      'GET /orders#allow': 'GET /orders',
      'DELETE /orders/{orderId}#allow': 'DELETE /orders/1001',
      'ANY /admin/{proxy+}#allow': 'GET /admin/docs/readme.txt',
    });
  });

  it('groups folders by authorizer and Cognito scope set', () => {
    const groups = [
      ...new Set(
        example.cases.map((c) => `${c.group.title}${c.group.scopes ? ` [${c.group.scopes.join(',')}]` : ''}`),
      ),
    ];
    expect(groups).toEqual([
      'Public routes',
      'CognitoAuth []',
      'CognitoAuth [pets/read]',
      'CognitoAuth [pets/write]',
      'RequestAuth',
      'TokenAuth',
      'sigv4',
      'CORS on errors',
    ]);
  });

  it('skips the expired-token case unless the token is supplied, and lists it as an optional secret', () => {
    expect(byKey(example.cases, 'GET /pets#expired').skipUnlessVariable).toBe('CognitoAuth.expiredToken');
    expect(example.variables).toEqual([
      {
        key: 'CognitoAuth.expiredToken',
        value: '',
        secret: true,
        required: false,
        description: expect.stringContaining('expired') as unknown as string,
      },
    ]);
  });

  it('OPTIONS preflights get no case and are not unprotected; no warnings', () => {
    expect(example.cases.some((c) => c.route.method === 'OPTIONS')).toBe(false);
    expect(example.unprotectedRoutes).toEqual([]);
    expect(example.warnings).toEqual([]);
  });

  it('hints come from the catalogue', () => {
    expect(byKey(example.cases, 'GET /orders#cache-bleed').hint).toContain(HINTS.caching);
    expect(byKey(example.cases, 'ANY /files/{proxy+}#regex-mismatch').hint).toContain(HINTS.validationRegex);
    expect(byKey(example.cases, 'GET /pets#forged-space-inside').hint).toContain(HINTS.tokenSpaces);
    expect(byKey(example.cases, 'GET /pets#expired').hint).toContain(HINTS.cognitoExpired);
    expect(byKey(example.cases, 'POST /pets#wrong-token-use').hint).toContain(HINTS.cognitoIdVsAccess);
    expect(byKey(example.cases, 'ANY /admin/{proxy+}#wrong-secret').hint).toContain(HINTS.sigv4);
    // authorization cases report authorization only; CORS has its own cases
    expect(byKey(example.cases, 'GET /pets#missing-credentials').hint).not.toContain(HINTS.corsDefault4xx);
    expect(byKey(example.cases, 'GET /pets#cors-unauthorized').hint).toBe(HINTS.corsDefault4xx);
    expect(byKey(example.cases, 'ANY /files/{proxy+}#deny-token').hint).toContain(EXPLICIT_TEXTS[0]);
    expect(byKey(example.cases, 'ANY /files/{proxy+}#deny-token').hint).toContain(EXPLICIT_TEXTS[1]);
  });

  it('is deterministic and leaves its inputs alone', () => {
    const model = petstoreModel();
    const config = petstoreConfig();
    const first = derivePlan(model, config);
    expect(derivePlan(petstoreModel(), petstoreConfig())).toEqual(first);
    expect(model).toEqual(petstoreModel());
    expect(config).toEqual(petstoreConfig());
  });

  it('keys are unique', () => {
    for (const depth of ['smoke', 'standard', 'full'] as const) {
      const keys = plan(petstoreModel(), depth).cases.map((c) => c.key);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });
});

describe('depth and growth', () => {
  it.each([
    ['smoke', 21],
    ['standard', 61],
    ['full', 70],
  ] as const)('the example at %s has %i cases', (depth, count) => {
    const cases = plan(petstoreModel(), depth).cases;
    expect(cases).toHaveLength(count);
    if (depth === 'smoke') {
      expect(cases.every((c) => /#(allow|missing-credentials|public|cors-[a-z-]+)$/.test(c.key))).toBe(true);
    }
  });

  it('smoke: exactly a positive and a missing-credentials case per protected route', () => {
    for (const n of [10, 100]) {
      const cases = plan(syntheticModel(n), 'smoke').cases.filter((c) => c.group.title !== 'CORS on errors');
      expect(cases).toHaveLength(2 * n);
    }
  });

  it('standard: each extra route adds exactly two cases', () => {
    const small = plan(syntheticModel(10), 'standard').cases.length;
    const large = plan(syntheticModel(100), 'standard').cases.length;
    expect(large - small).toBe(2 * 90);
  });

  it('full: the suite grows linearly with routes (per-route cost is fixed per authorizer)', () => {
    // per 5 routes: Cognito unscoped 2+9, Cognito scoped 2+10, TOKEN 2+3, REQUEST 2+3, IAM 2+1 = 36
    const small = plan(syntheticModel(10), 'full').cases.length;
    const large = plan(syntheticModel(100), 'full').cases.length;
    expect(large - small).toBe((90 / 5) * 36);
  });

  it('deeper negatives run on the representative (first) route of each folder at standard', () => {
    const cases = plan(syntheticModel(10), 'standard').cases;
    const deep = cases.filter((c) => !/#(allow|missing-credentials|cache-bleed)$/.test(c.key));
    expect([...new Set(deep.map((c) => c.key.split('#')[0]))]).toEqual([
      'GET /r0000/{id}',
      'GET /r0001/{id}',
      'GET /r0003/{id}',
      'GET /r0002/{id}',
      'GET /r0004/{id}',
    ]);
  });
});

describe('Cognito details', () => {
  it('no missing-scope case unless scoped tokens come from another flow than the plain access token', () => {
    const config = petstoreConfig();
    const cognitoSettings = config.authorizers.CognitoAuth?.cognito;
    if (!cognitoSettings) throw new Error('fixture');
    const { accessTokenFlow: _drop, ...withoutAccessFlow } = cognitoSettings;
    const derived = derivePlan(petstoreModel(), {
      ...config,
      authorizers: {
        ...config.authorizers,
        CognitoAuth: { ...config.authorizers.CognitoAuth!, cognito: withoutAccessFlow },
      },
    });
    expect(derived.cases.some((c) => c.key.endsWith('#missing-scope'))).toBe(false);
    expect(derived.warnings).toEqual([
      expect.stringContaining('pets/read') as unknown as string,
      expect.stringContaining('pets/write') as unknown as string,
    ]);
  });

  it('uses the authorizer token-source header everywhere', () => {
    const model = petstoreModel();
    model.authorizers[0] = {
      ...petstoreAuthorizer('CognitoAuth'),
      identitySources: [
        { location: 'header', name: 'X-Id-Token', expression: 'method.request.header.X-Id-Token' },
      ],
    };
    const cases = plan(model).cases.filter((c) => c.authorizer === 'CognitoAuth');
    expect(byKey(cases, 'GET /pets#missing-credentials').name).toContain('missing X-Id-Token header');
    for (const c of cases) {
      if (c.credential.kind === 'cognito-token' || c.credential.kind === 'forged-token') {
        expect(c.credential.header).toBe('X-Id-Token');
      }
      if (c.credential.kind === 'raw')
        expect(c.credential.headers.map((h) => h.name)).toEqual(['X-Id-Token']);
    }
  });
});

describe('Lambda TOKEN details', () => {
  it('without a config entry uses {{NAME.validToken}}, an unknown token, and no deny case', () => {
    const config = petstoreConfig();
    const { TokenAuth: _drop, ...authorizers } = config.authorizers;
    const derived = derivePlan(petstoreModel(), { ...config, authorizers });
    const cases = derived.cases.filter((c) => c.authorizer === 'TokenAuth');
    expect(byKey(cases, 'GET /orders#allow').credential).toEqual(token('{{TokenAuth.validToken}}'));
    expect(cases.some((c) => c.key.endsWith('#deny-token'))).toBe(false);
    expect(byKey(cases, 'ANY /files/{proxy+}#unknown-token').credential).toEqual(token('aaaa'));
    expect(derived.variables.map((v) => [v.key, v.secret, v.required])).toEqual([
      ['CognitoAuth.expiredToken', true, false],
      ['TokenAuth.validToken', true, true],
    ]);
  });

  it('denyToken given as a variable is listed as a secret variable', () => {
    const config = petstoreConfig();
    const derived = derivePlan(petstoreModel(), {
      ...config,
      authorizers: {
        ...config.authorizers,
        TokenAuth: { tokenFormat: 'opaque', validIdentity: {}, denyToken: '{{TokenAuth.denyToken}}' },
      },
    });
    expect(derived.variables.find((v) => v.key === 'TokenAuth.denyToken')).toMatchObject({
      secret: true,
      required: true,
    });
  });

  it('the unknown token steps around a valid token that would collide', () => {
    const cases = plan(petstoreModel(), 'standard', {
      authorizers: {
        ...petstoreConfig().authorizers,
        TokenAuth: { tokenFormat: 'opaque', validIdentity: {}, validToken: 'aaaa' },
      },
    }).cases;
    const unknown = byKey(cases, 'ANY /files/{proxy+}#unknown-token').credential;
    expect(unknown).toEqual(token('baaaa'));
  });

  it('warns when a literal validToken fails the regex, and still generates the case', () => {
    const derived = plan(petstoreModel(), 'standard', {
      authorizers: {
        ...petstoreConfig().authorizers,
        TokenAuth: { tokenFormat: 'opaque', validIdentity: {}, validToken: 'Bearer abc' },
      },
    });
    expect(derived.warnings).toEqual([
      expect.stringContaining('validToken "Bearer abc" fails') as unknown as string,
    ]);
    expect(byKey(derived.cases, 'GET /orders#allow').credential).toEqual(token('Bearer abc'));
  });

  it('no regex: no regex-mismatch case, a fixed unknown token; a match-everything regex: no regex case, a warning', () => {
    const model = petstoreModel();
    const { validationExpression: _drop, ...noRegex } = petstoreAuthorizer('TokenAuth');
    model.authorizers[2] = noRegex;
    const cases = plan(model).cases;
    expect(cases.some((c) => c.key.endsWith('#regex-mismatch'))).toBe(false);
    expect(byKey(cases, 'ANY /files/{proxy+}#unknown-token').credential).toEqual(
      token('apigw-authz-unknown-token'),
    );

    model.authorizers[2] = { ...petstoreAuthorizer('TokenAuth'), validationExpression: '.*' };
    const everything = plan(model);
    expect(everything.cases.some((c) => c.key.endsWith('#regex-mismatch'))).toBe(false);
    expect(everything.warnings).toEqual([
      expect.stringContaining('no regex-mismatch case') as unknown as string,
    ]);
  });

  it('tokenFormat jwt adds the forged set on the configured token', () => {
    const cases = plan(petstoreModel(), 'standard', {
      authorizers: {
        ...petstoreConfig().authorizers,
        TokenAuth: { tokenFormat: 'jwt', validIdentity: {}, validToken: '{{jwt}}' },
      },
    }).cases;
    const forgedCases = cases.filter(
      (c) => c.authorizer === 'TokenAuth' && c.credential.kind === 'forged-token',
    );
    expect(forgedCases.map((c) => c.key)).toEqual([
      'ANY /files/{proxy+}#forged-space-inside',
      'ANY /files/{proxy+}#forged-tampered-payload',
      'ANY /files/{proxy+}#forged-stripped-signature',
      'ANY /files/{proxy+}#forged-alg-none',
      'ANY /files/{proxy+}#forged-foreign-key',
      'ANY /files/{proxy+}#forged-other-issuer',
    ]);
    for (const c of forgedCases) {
      expect(c.credential).toMatchObject({
        source: { kind: 'value', value: '{{jwt}}' },
        header: 'X-Auth-Token',
      });
      expect(c.expect).toEqual(LAMBDA_REJECTS);
    }
  });
});

describe('Lambda REQUEST details', () => {
  it('TTL 0: missing sources may reach the Lambda (401 or 403), and no cache-bleed case', () => {
    const model = petstoreModel();
    model.authorizers[1] = petstoreAuthorizer('RequestAuth', { ttlSeconds: 0 });
    const cases = plan(model).cases.filter((c) => c.authorizer === 'RequestAuth');
    expect(cases.some((c) => c.key.endsWith('#cache-bleed'))).toBe(false);
    for (const key of ['GET /reports#missing-credentials', 'GET /reports#missing-header-X-Tenant-Id']) {
      expect(byKey(cases, key).expect).toEqual(LAMBDA_REJECTS);
    }
  });

  it('unconfigured sources become {{NAME.<expression>}} secrets; stage variables are never sent', () => {
    const config = petstoreConfig();
    const { RequestAuth: _drop, ...authorizers } = config.authorizers;
    const derived = derivePlan(petstoreModel(), { ...config, authorizers });
    expect(byKey(derived.cases, 'GET /reports#allow').credential).toEqual(
      identity(
        '{{RequestAuth.method.request.header.X-Tenant-Id}}',
        '{{RequestAuth.method.request.querystring.apiVersion}}',
      ),
    );
    expect(
      derived.variables
        .filter((v) => v.key.startsWith('RequestAuth.'))
        .map((v) => [v.key, v.secret, v.required]),
    ).toEqual([
      ['RequestAuth.method.request.header.X-Tenant-Id', true, true],
      ['RequestAuth.method.request.querystring.apiVersion', true, true],
    ]);
  });

  it('a single client source: the missing-credentials case is the only missing case', () => {
    const model = petstoreModel();
    const base = petstoreAuthorizer('RequestAuth');
    model.authorizers[1] = { ...base, identitySources: base.identitySources.slice(0, 1) };
    const cases = plan(model).cases.filter((c) => c.authorizer === 'RequestAuth');
    expect(cases.map((c) => c.key)).toEqual([
      'GET /reports#allow',
      'GET /reports/{reportId}#cache-bleed',
      'GET /reports/{reportId}#allow',
      'GET /reports#missing-credentials',
      'GET /reports#unknown-identity',
      'GET /reports/{reportId}#missing-credentials',
    ]);
    expect(byKey(cases, 'GET /reports#missing-credentials').name).toContain('missing header X-Tenant-Id');
  });
});

describe('cache bleed', () => {
  it('needs a second route with another concrete request', () => {
    const model = petstoreModel();
    model.routes = [route('ANY', '/x', 'TokenAuth'), route('GET', '/x', 'TokenAuth')];
    expect(plan(model).cases.some((c) => c.key.endsWith('#cache-bleed'))).toBe(false);
    model.routes = [route('ANY', '/x', 'TokenAuth'), route('POST', '/x', 'TokenAuth')];
    const bleed = byKey(plan(model).cases, 'POST /x#cache-bleed');
    expect(bleed.expect).toEqual(ALLOW);
    expect(bleed.hint).toContain(HINTS.caching);
  });

  it('is not generated at smoke or with a single route', () => {
    expect(plan(petstoreModel(), 'smoke').cases.some((c) => c.key.endsWith('#cache-bleed'))).toBe(false);
    const model = petstoreModel();
    model.routes = [route('GET', '/orders', 'TokenAuth')];
    expect(plan(model).cases.some((c) => c.key.endsWith('#cache-bleed'))).toBe(false);
  });
});

describe('routes without authorization', () => {
  it.each([
    [['GET /health'], 'GET', true],
    [['ANY /health'], 'GET', true],
    [['any /health'], 'POST', true],
    [['GET /health'], 'POST', false],
    [['GET /health'], 'ANY', false],
    [['ANY /health'], 'ANY', true],
    [[], 'GET', false],
  ] as const)('publicRoutes %j, route %s /health: public %s', (publicRoutes, method, isPublic) => {
    const model = petstoreModel();
    model.routes = [route(method, '/health')];
    const derived = plan(model, 'standard', { publicRoutes: [...publicRoutes] });
    if (isPublic) {
      expect(derived.unprotectedRoutes).toEqual([]);
      expect(derived.cases.map((c) => [c.key, c.name, c.expect, c.group.title])).toEqual([
        [
          `${method} /health#public`,
          `[${method}] /health - public: reachable without credentials`,
          ALLOW,
          'Public routes',
        ],
      ]);
    } else {
      expect(derived.unprotectedRoutes).toEqual(model.routes);
      const [only] = derived.cases;
      expect(derived.cases).toHaveLength(1);
      expect(only?.name).toBe(
        `[${method}] /health - unprotected: route has no authorizer and is not in publicRoutes`,
      );
      expect(only?.expect).toEqual({
        outcome: 'rejected',
        statuses: [401, 403],
        messages: [],
        headers: [],
      });
      expect(only?.group.title).toBe('Unprotected routes');
      expect(only?.hint).toContain(HINTS.publicAllowList);
    }
  });

  it('run order: public first, authorizer folders, unprotected last', () => {
    const model = petstoreModel();
    model.routes.push(route('GET', '/zzz'), route('GET', '/aaa'));
    const titles = [...new Set(plan(model, 'smoke').cases.map((c) => c.group.title))];
    expect(titles).toEqual([
      'Public routes',
      'CognitoAuth',
      'RequestAuth',
      'TokenAuth',
      'sigv4',
      'CORS on errors',
      'Unprotected routes',
    ]);
    expect(plan(model).unprotectedRoutes.map((r) => r.path)).toEqual(['/aaa', '/zzz']);
  });
});

describe('cross-cutting', () => {
  it('API-key routes send x-api-key: {{apiKey}} on every case, and apiKey is a required secret', () => {
    const model = petstoreModel();
    model.routes = model.routes.map((r) => (r.path === '/orders' ? { ...r, apiKeyRequired: true } : r));
    const derived = plan(model, 'full');
    const orders = derived.cases.filter(
      (c) => c.route.path === '/orders' && c.group.title !== 'CORS on errors' && !c.key.includes('#api-key-'),
    );
    expect(orders.length).toBeGreaterThan(2);
    for (const c of orders) expect(c.headers).toEqual([{ name: 'x-api-key', value: '{{apiKey}}' }]);
    const others = derived.cases.filter(
      (c) => c.route.path !== '/orders' && c.group.title !== 'CORS on errors',
    );
    for (const c of others) expect(c.headers).toEqual([]);
    expect(derived.variables.find((v) => v.key === 'apiKey')).toEqual({
      key: 'apiKey',
      value: '',
      secret: true,
      required: true,
      description: expect.stringContaining('x-api-key') as unknown as string,
    });
  });

  it('without gateway-response CORS the CORS cases still expect the header, with the DEFAULT_4XX hint', () => {
    const model = { ...petstoreModel(), gatewayResponses: [] };
    const derived = plan(model);
    const cors = derived.cases.filter((c) => c.group.title === 'CORS on errors');
    expect(cors.map((c) => c.key)).toEqual([
      'GET /pets#cors-unauthorized',
      'ANY /files/{proxy+}#cors-access-denied',
      'ANY /admin/{proxy+}#cors-missing-authentication-token',
      'ANY /admin/{proxy+}#cors-invalid-signature',
    ]);
    for (const c of cors) {
      expect(c.expect).toMatchObject({ headers: CORS, messages: [] });
      expect(c.hint).toContain(HINTS.corsDefault4xx);
      expect(c.hint).toContain('No gateway response');
      expect(c.headers).toContainEqual({ name: 'Origin', value: 'https://app.apigw-authz.example' });
      expect(c.authorizer).toBeUndefined();
    }
    for (const c of derived.cases.filter((c) => c.group.title !== 'CORS on errors')) {
      if (c.expect.outcome === 'rejected') expect(c.expect.headers).toEqual([]);
      expect(c.hint).not.toContain(HINTS.corsDefault4xx);
    }
    const { cors: _drop, ...noCors } = model;
    expect(plan(noCors).cases.filter((c) => c.group.title === 'CORS on errors')).toEqual([]);
  });

  it("a CORS case takes its value from the type's own gateway response and repeats its request", () => {
    const model = petstoreModel();
    model.gatewayResponses.push({
      type: 'ACCESS_DENIED',
      headers: [{ name: 'Access-Control-Allow-Origin', value: 'https://app.example.com' }],
      templates: { 'application/json': '{"message":$context.error.messageString}' },
    });
    const derived = plan(model);
    const denied = byKey(derived.cases, 'ANY /files/{proxy+}#cors-access-denied');
    const source = byKey(derived.cases, 'ANY /files/{proxy+}#deny-token');
    expect(denied.expect).toEqual({
      outcome: 'rejected',
      statuses: [],
      messages: [],
      headers: [{ name: 'Access-Control-Allow-Origin', value: 'https://app.example.com' }],
    });
    expect(denied.credential).toEqual(source.credential);
    expect(denied.method).toBe(source.method);
    expect(denied.path).toBe(source.path);
    expect(denied.name).toBe(
      '[ANY] /files/{proxy+} - cors: ACCESS_DENIED answer carries Access-Control-Allow-Origin',
    );
  });

  it('a customized UNAUTHORIZED with its own body changes statuses and drops message checks', () => {
    const model = petstoreModel();
    model.gatewayResponses.push({
      type: 'UNAUTHORIZED',
      statusCode: 403,
      headers: [{ name: 'Access-Control-Allow-Origin', value: '*' }],
      templates: { 'application/json': '{"error":"unauthorized"}' },
    });
    expect(byKey(plan(model).cases, 'GET /pets#missing-credentials').expect).toEqual({
      outcome: 'rejected',
      statuses: [403],
      messages: [],
      errorType: 'UnauthorizedException',
      headers: [],
    });
  });

  it('a route naming an unknown authorizer is an internal error', () => {
    const model = petstoreModel();
    model.routes.push(route('GET', '/ghost', 'Ghost'));
    expect(() => plan(model)).toThrow(InternalError);
  });

  it('authorizers without routes contribute nothing; every kind has a deriver', () => {
    const model: AuthModel = {
      ...petstoreModel(),
      authorizers: [
        petstoreAuthorizer('CognitoAuth'),
        iamAuthorizer(),
        petstoreAuthorizer('RequestAuth'),
        petstoreAuthorizer('TokenAuth', { name: 'Unused' }),
      ],
      routes: [
        route('GET', '/a', 'CognitoAuth'),
        route('GET', '/b', 'sigv4'),
        route('GET', '/c', 'RequestAuth'),
      ],
    };
    const kinds = new Set(plan(model).cases.map((c) => c.kind));
    expect([...kinds].sort()).toEqual(['AWS_IAM', 'COGNITO_USER_POOLS', 'REQUEST']);
  });
});
