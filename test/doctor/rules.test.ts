import { describe, expect, it } from 'vitest';
import { defaultAuthorizerSettings, type ProjectConfig } from '../../src/config/types.js';
import type { DriftFinding } from '../../src/drift/types.js';
import { diagnose, formatFindings, type Finding, type HandlerCheck } from '../../src/doctor/index.js';
import type { AuthModel, Authorizer, Route } from '../../src/model/types.js';
import * as builders from '../support/models.js';

const { headerSource: header, route } = builders;
const POOL = builders.userPool('us-east-1_Pool1');

const token = builders.tokenAuthorizer('TokenAuth', {
  validationExpression: '^[a-z]{4,}$',
  ttlSeconds: 0,
  lambdaUri: 'arn:aws:apigateway:us-east-1:lambda:path/fn',
});
const request = builders.requestAuthorizer('RequestAuth', { identitySources: [header('X-Tenant')] });
const cognito = builders.cognitoAuthorizer('CognitoAuth', [POOL.userPoolId]);

/** A model no rule complains about. */
function cleanModel(): AuthModel {
  return {
    api: { name: 'clean', id: 'abc123defg', region: 'us-east-1' },
    stage: {
      name: 'prod',
      baseUrl: 'https://abc123defg.execute-api.us-east-1.amazonaws.com/prod',
      variables: {},
    },
    authorizers: [cognito, request, token],
    routes: [
      route('GET', '/health'),
      route('OPTIONS', '/pets'),
      route('GET', '/pets', 'CognitoAuth', ['pets/read']),
      route('GET', '/orders', 'TokenAuth'),
      route('GET', '/reports', 'RequestAuth'),
    ],
    gatewayResponses: [
      { type: 'DEFAULT_4XX', headers: [{ name: 'Access-Control-Allow-Origin', value: '*' }], templates: {} },
    ],
    cors: { allowOrigin: '*' },
  };
}

function cleanConfig(): ProjectConfig {
  return {
    baseDir: '/',
    publicRoutes: ['GET /health'],
    depth: 'standard',
    pathParameters: {},
    stageVariables: {},
    authorizers: {
      CognitoAuth: {
        tokenFormat: 'opaque',
        validIdentity: {},
        cognito: {
          domain: 'https://example.auth.us-east-1.amazoncognito.com',
          callbackUrl: 'https://oauth.pstmn.io/v1/callback',
          tokenFlow: 'password',
          idpEndpoint: 'https://cognito-idp.us-east-1.amazonaws.com/',
        },
      },
    },
  };
}

const withAuthorizer = (model: AuthModel, name: string, patch: Partial<Authorizer>): AuthModel => ({
  ...model,
  authorizers: model.authorizers.map((a) => (a.name === name ? { ...a, ...patch } : a)),
});
const withRoutes = (model: AuthModel, ...routes: Route[]): AuthModel => ({
  ...model,
  routes: [...model.routes, ...routes],
});

const rulesOf = (findings: Finding[]) => findings.map((f) => `${f.rule} ${f.subject}`);

describe('doctor', () => {
  it('finds nothing in a clean model', () => {
    expect(diagnose(cleanModel(), cleanConfig())).toEqual([]);
  });

  type Case = [
    rule: string,
    triggers: {
      model?: (m: AuthModel) => AuthModel;
      config?: (c: ProjectConfig) => ProjectConfig;
      drift?: DriftFinding[];
      handlerChecks?: HandlerCheck[];
    },
    expected: { subject: string; severity: Finding['severity']; message: RegExp; fix: RegExp },
  ];
  const drift: DriftFinding = {
    route: 'GET /orders',
    stage: 'prod',
    current: 'NONE',
    deployed: 'TokenAuth (TOKEN)',
    changes: ['authorization TokenAuth -> NONE'],
    message:
      'GET /orders: authorization changed but not redeployed (authorization TokenAuth -> NONE): redeploy the API to stage prod.',
  };
  const cases: Case[] = [
    [
      'regex-invalid',
      { model: (m) => withAuthorizer(m, 'TokenAuth', { validationExpression: '^[a-z$' }) },
      {
        subject: 'TokenAuth',
        severity: 'error',
        message: /does not compile/,
        fix: /Fix the regular expression/,
      },
    ],
    [
      'regex-escaped-space',
      { model: (m) => withAuthorizer(m, 'TokenAuth', { validationExpression: '^\\ w{5}$' }) },
      { subject: 'TokenAuth', severity: 'error', message: /escaped space/, fix: /\\w\{5\}/ },
    ],
    [
      'regex-unanchored',
      { model: (m) => withAuthorizer(m, 'TokenAuth', { validationExpression: '^x-[a-z]+' }) },
      { subject: 'TokenAuth', severity: 'warning', message: /not anchored/, fix: /\^\.\.\.\$/ },
    ],
    [
      'regex-backtracking',
      { model: (m) => withAuthorizer(m, 'TokenAuth', { validationExpression: '^(\\w+)+$' }) },
      {
        subject: 'TokenAuth',
        severity: 'warning',
        message: /catastrophic backtracking in "\(\\\\w\+\)\+"/,
        fix: /repetition inside a repetition/,
      },
    ],
    [
      'token-source-not-header',
      {
        model: (m) =>
          withAuthorizer(m, 'TokenAuth', {
            identitySources: [
              { location: 'querystring', name: 'token', expression: 'method.request.querystring.token' },
            ],
          }),
      },
      {
        subject: 'TokenAuth',
        severity: 'error',
        message: /reads exactly one request header/,
        fix: /method\.request\.header/,
      },
    ],
    [
      'request-cache-without-sources',
      { model: (m) => withAuthorizer(m, 'RequestAuth', { identitySources: [] }) },
      { subject: 'RequestAuth', severity: 'error', message: /no identity sources/, fix: /TTL to 0/ },
    ],
    [
      'lambda-cache-policy-scope',
      {
        model: (m) =>
          withRoutes(
            withAuthorizer(m, 'TokenAuth', { ttlSeconds: 300 }),
            route('ANY', '/files/{proxy+}', 'TokenAuth'),
          ),
      },
      {
        subject: 'TokenAuth',
        severity: 'info',
        message: /\{proxy\+\} route .*cached policy is reused.*Configure authorizers\.TokenAuth\.handler/,
        fix: /Resource covers every method/,
      },
    ],
    [
      'lambda-cache-policy-uncovered',
      {
        model: (m) => withAuthorizer(m, 'TokenAuth', { ttlSeconds: 300 }),
        handlerChecks: [
          {
            authorizer: 'TokenAuth',
            handler: '/app/authorizers/token.mjs',
            outcome: 'uncovered',
            firstCall: 'GET /orders',
            mismatches: [{ call: 'POST /orders', cached: 'implicit-deny', fresh: 'allow' }],
            calls: 2,
          },
        ],
      },
      {
        subject: 'TokenAuth',
        severity: 'error',
        message:
          /token\.mjs, invoked locally .*for GET \/orders a policy that API Gateway caches \(TTL 300 s\).*POST \/orders \(403 implicit deny from the cache; allowed when called first\)/,
        fix: /Resource covers every method and path/,
      },
    ],
    [
      'lambda-handler-rejects-valid',
      {
        handlerChecks: [
          {
            authorizer: 'RequestAuth',
            handler: '/app/authorizers/request.mjs',
            outcome: 'rejected',
            firstCall: 'GET /reports',
            reason: 'it failed with "Unauthorized" (401)',
          },
        ],
      },
      {
        subject: 'RequestAuth',
        severity: 'warning',
        message: /configured validIdentity .*allowed none \(GET \/reports: it failed with "Unauthorized"/,
        fix: /authorizers\.RequestAuth\.validIdentity/,
      },
    ],
    [
      'lambda-handler-failed',
      {
        handlerChecks: [
          {
            authorizer: 'RequestAuth',
            handler: '/app/authorizers/request.mjs',
            outcome: 'failed',
            reason: 'it does not load ("Cannot find module")',
          },
        ],
      },
      {
        subject: 'RequestAuth',
        severity: 'warning',
        message: /request\.mjs could not be invoked locally: it does not load/,
        fix: /authorizers\.RequestAuth\.handler/,
      },
    ],
    [
      'api-key-without-authorizer',
      { model: (m) => withRoutes(m, { ...route('POST', '/keys'), apiKeyRequired: true }) },
      {
        subject: 'POST /keys',
        severity: 'warning',
        message: /requires an API key but has no authorizer: API keys identify callers/,
        fix: /Attach an authorizer/,
      },
    ],
    [
      'config-unknown-authorizer',
      {
        config: (c) => ({
          ...c,
          authorizers: { ...c.authorizers, TokenAuht: { ...defaultAuthorizerSettings(), validToken: 'a' } },
        }),
      },
      {
        subject: 'TokenAuht',
        severity: 'error',
        message:
          /authorizers\.TokenAuht, but the API has no authorizer "TokenAuht".*Did you mean "TokenAuth"\?/,
        fix: /security scheme name/,
      },
    ],
    [
      'config-unknown-identity-source',
      {
        config: (c) => ({
          ...c,
          authorizers: {
            ...c.authorizers,
            RequestAuth: {
              ...defaultAuthorizerSettings(),
              validIdentity: { 'method.request.header.X-Tenantt': 'acme' },
            },
          },
        }),
      },
      {
        subject: 'RequestAuth',
        severity: 'error',
        message:
          /"method\.request\.header\.X-Tenantt", which is not an identity source of "RequestAuth".*Did you mean "method\.request\.header\.X-Tenant"\?/,
        fix: /identity source expressions/,
      },
    ],
    [
      'config-unknown-route',
      { config: (c) => ({ ...c, publicRoutes: [...c.publicRoutes, 'GET /healthz'] }) },
      {
        subject: 'GET /healthz',
        severity: 'error',
        message:
          /lists "GET \/healthz" in publicRoutes, but the API has no such route\. Did you mean "GET \/health"\?/,
        fix: /"ANY \/path" for every method/,
      },
    ],
    [
      'cognito-scopes-with-validation',
      { model: (m) => withAuthorizer(m, 'CognitoAuth', { validationExpression: '^client123$' }) },
      {
        subject: 'CognitoAuth',
        severity: 'error',
        message: /access tokens carry no aud/,
        fix: /Remove the identityValidationExpression/,
      },
    ],
    [
      'unprotected-route',
      { model: (m) => withRoutes(m, route('DELETE', '/pets')) },
      {
        subject: 'DELETE /pets',
        severity: 'error',
        message: /no authorization and is not listed as public/,
        fix: /publicRoutes/,
      },
    ],
    [
      'cors-missing-on-auth-errors',
      { model: (m) => ({ ...m, gatewayResponses: [] }) },
      {
        subject: 'DEFAULT_4XX',
        severity: 'warning',
        message: /401 \(UNAUTHORIZED\) and 403 \(ACCESS_DENIED\)/,
        fix: /Access-Control-Allow-Origin: '\*'/,
      },
    ],
    [
      'cognito-domain-region',
      {
        config: (c) => ({
          ...c,
          authorizers: {
            CognitoAuth: {
              ...c.authorizers.CognitoAuth!,
              cognito: {
                ...c.authorizers.CognitoAuth!.cognito!,
                domain: 'https://example.auth.eu-west-1.amazoncognito.com',
              },
            },
          },
        }),
      },
      {
        subject: 'CognitoAuth',
        severity: 'error',
        message: /eu-west-1.*us-east-1_Pool1 is in us-east-1/,
        fix: /auth\.us-east-1\.amazoncognito\.com/,
      },
    ],
    [
      'undeployed-changes',
      { drift: [drift] },
      {
        subject: 'GET /orders',
        severity: 'warning',
        message: /changed but not redeployed/,
        fix: /Redeploy the API to stage prod/,
      },
    ],
  ];

  it.each(cases)('%s: triggers', (rule, trigger, expected) => {
    const model = trigger.model ? trigger.model(cleanModel()) : cleanModel();
    const config = trigger.config ? trigger.config(cleanConfig()) : cleanConfig();
    const findings = diagnose(model, config, {
      drift: trigger.drift ?? [],
      handlerChecks: trigger.handlerChecks ?? [],
    });
    expect(findings.filter((f) => f.rule === rule)).toEqual([
      {
        rule,
        severity: expected.severity,
        subject: expected.subject,
        message: expect.stringMatching(expected.message),
        fix: expect.stringMatching(expected.fix),
      },
    ]);
  });

  // The near misses: each is close to its rule's trigger and must not fire.
  const nearMisses: [
    string,
    {
      model?: (m: AuthModel) => AuthModel;
      config?: (c: ProjectConfig) => ProjectConfig;
      handlerChecks?: HandlerCheck[];
    },
  ][] = [
    [
      'regex-invalid',
      { model: (m) => withAuthorizer(m, 'TokenAuth', { validationExpression: '^[a-z$]+$' }) },
    ],
    [
      'regex-escaped-space',
      { model: (m) => withAuthorizer(m, 'TokenAuth', { validationExpression: '^\\\\ \\w{5}$' }) },
    ],
    [
      'regex-unanchored',
      { model: (m) => withAuthorizer(m, 'TokenAuth', { validationExpression: '^x-[a-z]+$|^y$' }) },
    ],
    [
      'regex-backtracking',
      { model: (m) => withAuthorizer(m, 'TokenAuth', { validationExpression: '^[a-z]+(?:\\.[a-z]+)*$' }) },
    ],
    [
      'token-source-not-header',
      { model: (m) => withAuthorizer(m, 'TokenAuth', { identitySources: [header('Authorization')] }) },
    ],
    [
      'request-cache-without-sources',
      { model: (m) => withAuthorizer(m, 'RequestAuth', { identitySources: [], ttlSeconds: 0 }) },
    ],
    [
      'lambda-cache-policy-scope',
      { model: (m) => withRoutes(m, route('ANY', '/files/{proxy+}', 'TokenAuth')) },
    ],
    [
      'cognito-scopes-with-validation',
      {
        model: (m) => ({
          ...withAuthorizer(m, 'CognitoAuth', { validationExpression: '^client123$' }),
          routes: m.routes
            .filter((r) => r.path !== '/pets' || r.method !== 'GET')
            .concat(route('GET', '/pets', 'CognitoAuth')),
        }),
      },
    ],
    [
      'unprotected-route',
      {
        model: (m) => withRoutes(m, route('OPTIONS', '/orders'), route('GET', '/status')),
        config: (c) => ({ ...c, publicRoutes: [...c.publicRoutes, 'any /status'] }),
      },
    ],
    [
      'cors-missing-on-auth-errors',
      {
        model: (m) => ({
          ...m,
          gatewayResponses: [
            {
              type: 'UNAUTHORIZED',
              headers: [{ name: 'access-control-allow-origin', value: '*' }],
              templates: {},
            },
            {
              type: 'ACCESS_DENIED',
              headers: [{ name: 'Access-Control-Allow-Origin', value: '*' }],
              templates: {},
            },
          ],
        }),
      },
    ],
    [
      'cognito-domain-region',
      {
        config: (c) => ({
          ...c,
          authorizers: {
            CognitoAuth: {
              ...c.authorizers.CognitoAuth!,
              cognito: { ...c.authorizers.CognitoAuth!.cognito!, domain: 'https://auth.example.com' },
            },
          },
        }),
      },
    ],
    [
      // a template's user pool ARN whose region is unknown before deploy: nothing to compare the domain with
      'cognito-domain-region',
      {
        model: (m) =>
          withAuthorizer(m, 'CognitoAuth', {
            userPools: [{ ...POOL, arn: '${UserPool.Arn}', region: '${AWS::Region}' }],
          }),
        config: (c) => ({
          ...c,
          authorizers: {
            CognitoAuth: {
              ...c.authorizers.CognitoAuth!,
              cognito: {
                ...c.authorizers.CognitoAuth!.cognito!,
                domain: 'https://example.auth.eu-west-1.amazoncognito.com',
              },
            },
          },
        }),
      },
    ],
    ['undeployed-changes', {}],
    [
      // caching off: a handler's method-scoped policy is never reused
      'lambda-cache-policy-uncovered',
      {
        model: (m) => withRoutes(m, route('POST', '/orders', 'TokenAuth')),
        handlerChecks: [
          {
            authorizer: 'TokenAuth',
            handler: '/app/authorizers/token.mjs',
            outcome: 'uncovered',
            firstCall: 'GET /orders',
            mismatches: [{ call: 'POST /orders', cached: 'implicit-deny', fresh: 'allow' }],
            calls: 2,
          },
        ],
      },
    ],
    [
      'lambda-handler-rejects-valid',
      {
        model: (m) => withAuthorizer(m, 'RequestAuth', { ttlSeconds: 0 }),
        handlerChecks: [
          {
            authorizer: 'RequestAuth',
            handler: '/app/authorizers/request.mjs',
            outcome: 'rejected',
            firstCall: 'GET /reports',
            reason: 'it failed with "Unauthorized" (401)',
          },
        ],
      },
    ],
    [
      'api-key-without-authorizer',
      {
        model: (m) =>
          withRoutes(
            m,
            { ...route('POST', '/orders', 'TokenAuth'), apiKeyRequired: true },
            { ...route('POST', '/keys'), apiKeyRequired: true },
          ),
        config: (c) => ({ ...c, publicRoutes: [...c.publicRoutes, 'POST /keys'] }),
      },
    ],
    [
      'config-unknown-authorizer',
      {
        config: (c) => ({
          ...c,
          authorizers: { ...c.authorizers, TokenAuth: { ...defaultAuthorizerSettings(), validToken: 'a' } },
        }),
      },
    ],
    [
      'config-unknown-identity-source',
      {
        config: (c) => ({
          ...c,
          authorizers: {
            ...c.authorizers,
            RequestAuth: {
              ...defaultAuthorizerSettings(),
              validIdentity: { 'method.request.header.X-Tenant': 'acme' },
            },
          },
        }),
      },
    ],
    [
      'config-unknown-route',
      {
        model: (m) => withRoutes(m, route('ANY', '/files/{proxy+}', 'TokenAuth')),
        config: (c) => ({ ...c, publicRoutes: ['ANY /health', 'get /health', 'ANY /files/{proxy+}'] }),
      },
    ],
  ];

  it.each(nearMisses)('%s: does not trigger on a near miss', (rule, variant) => {
    const model = variant.model ? variant.model(cleanModel()) : cleanModel();
    const config = variant.config ? variant.config(cleanConfig()) : cleanConfig();
    const options = { drift: [], handlerChecks: variant.handlerChecks ?? [] };
    expect(rulesOf(diagnose(model, config, options)).filter((r) => r.startsWith(`${rule} `))).toEqual([]);
  });

  it('a customized UNAUTHORIZED without the header is reported on its own', () => {
    const model: AuthModel = {
      ...cleanModel(),
      gatewayResponses: [
        ...cleanModel().gatewayResponses,
        { type: 'UNAUTHORIZED', statusCode: 401, headers: [], templates: {} },
      ],
    };
    expect(rulesOf(diagnose(model, cleanConfig()))).toEqual(['cors-missing-on-auth-errors UNAUTHORIZED']);
  });

  it('counts several methods (without a proxy) as the caching pitfall too', () => {
    const model = withRoutes(
      withAuthorizer(cleanModel(), 'TokenAuth', { ttlSeconds: 300 }),
      route('POST', '/orders', 'TokenAuth'),
    );
    const finding = diagnose(model, cleanConfig()).find((f) => f.rule === 'lambda-cache-policy-scope');
    expect(finding?.message).toMatch(/several methods \(GET \/orders, POST \/orders\)/);
  });

  it('an API-key-only route is "API key but no authorizer", not unprotected', () => {
    const model = withRoutes(cleanModel(), { ...route('POST', '/keys'), apiKeyRequired: true });
    expect(rulesOf(diagnose(model, cleanConfig()))).toEqual(['api-key-without-authorizer POST /keys']);
    // without the key it is unprotected, an error
    const open = withRoutes(cleanModel(), route('POST', '/keys'));
    expect(diagnose(open, cleanConfig()).map((f) => [f.rule, f.severity])).toEqual([
      ['unprotected-route', 'error'],
    ]);
  });

  it('a handler check that proves the policy covers every call clears the cache-scope note', () => {
    const model = withRoutes(
      withAuthorizer(cleanModel(), 'TokenAuth', { ttlSeconds: 300 }),
      route('ANY', '/files/{proxy+}', 'TokenAuth'),
    );
    expect(rulesOf(diagnose(model, cleanConfig()))).toEqual(['lambda-cache-policy-scope TokenAuth']);
    const covered: HandlerCheck = {
      authorizer: 'TokenAuth',
      handler: '/app/authorizers/token.mjs',
      outcome: 'covered',
      calls: 15,
    };
    expect(diagnose(model, cleanConfig(), { handlerChecks: [covered] })).toEqual([]);
  });

  it('sorts errors first, then by subject, and formats text with a count line', () => {
    const model = withRoutes(
      withAuthorizer(cleanModel(), 'TokenAuth', { validationExpression: 'abc' }),
      route('GET', '/zzz'),
    );
    const findings = diagnose(model, cleanConfig());
    expect(rulesOf(findings)).toEqual(['unprotected-route GET /zzz', 'regex-unanchored TokenAuth']);
    const text = formatFindings(findings);
    expect(text).toContain('ERROR GET /zzz [unprotected-route]');
    expect(text).toContain('  fix: Attach an authorizer');
    expect(text.trimEnd().split('\n').at(-1)).toBe('doctor: 1 error, 1 warning, 0 notes.');
    expect(formatFindings([])).toBe('doctor: no findings.\n');
  });
});

describe('doctor and root-level security', () => {
  // An export's root-level `security` reaches the model as each operation's own authorization (the reader applies
  // it); doctor follows the model. Built by hand, so this does not depend on the reader.
  const inherited = builders.model({
    authorizers: [builders.tokenAuthorizer('RootAuth', { ttlSeconds: 0 })],
    routes: [
      builders.route('GET', '/pets', 'RootAuth'), // inherits the root-level security
      builders.route('POST', '/pets', 'RootAuth'), // inherits it too
      builders.route('GET', '/health'), // `security: []` opts out
    ],
  });

  it('does not report a route that inherits the root-level security as unprotected', () => {
    const config = builders.config({}, { publicRoutes: ['GET /health'] });
    expect(diagnose(inherited, config)).toEqual([]);
  });

  it('reports the route that opts out with `security: []` unless it is listed as public', () => {
    expect(rulesOf(diagnose(inherited, builders.config()))).toEqual(['unprotected-route GET /health']);
  });
});
