import { describe, expect, it } from 'vitest';
import { AUTHORIZER_RULES, diagnose, formatFindings, type Finding } from '../../src/doctor/index.js';
import { AUTHORIZER_KINDS, type AuthModel, type Authorizer, type Route } from '../../src/model/types.js';
import {
  config,
  httpExampleModel,
  httpHeaderSource,
  httpLambdaAuthorizer,
  iamAuthorizer,
  jwtAuthorizer,
  model,
  requestAuthorizer,
  route,
  PARTNER_ISSUER,
} from '../support/models.js';

const CORS = { allowOrigin: 'https://app.example.com', allowHeaders: ['authorization'] };
const JWT = jwtAuthorizer('Jwt', 'https://login.partner.example/', ['api']);

function httpApi(authorizers: Authorizer[], routes: Route[], extra: Partial<AuthModel> = {}): AuthModel {
  return model({
    api: { kind: 'HTTP', id: 'h1t2p3a4p5', name: 'orders-http', region: 'us-east-1' },
    authorizers,
    routes,
    ...extra,
  });
}

const only = (findings: Finding[], rule: string) => findings.filter((f) => f.rule === rule);

describe('doctor: the authorizer-kind table', () => {
  it('lists rules for every authorizer kind (a missing kind does not compile; this pins the runtime table)', () => {
    expect(Object.keys(AUTHORIZER_RULES).sort()).toEqual([...AUTHORIZER_KINDS].sort());
  });
});

describe('doctor: HTTP APIs', () => {
  describe('cors-preflight-behind-authorizer', () => {
    it('$default behind an authorizer: every unmatched preflight runs it, including the routes without OPTIONS', () => {
      const m = httpApi(
        [JWT],
        [
          route('ANY', '$default', 'Jwt', ['orders:read']),
          route('GET', '/orders', 'Jwt', ['orders:read']),
          route('ANY', '/files', 'Jwt', ['orders:read']),
          route('OPTIONS', '/files'),
        ],
        { cors: CORS },
      );
      const [finding, ...rest] = only(diagnose(m, config()), 'cors-preflight-behind-authorizer');
      expect(rest).toEqual([]);
      expect(finding).toMatchObject({ severity: 'warning', subject: '$default' });
      expect(finding?.message).toContain('the $default route is behind the authorizer Jwt');
      expect(finding?.message).toContain('(the preflights of GET /orders too)');
      expect(finding?.fix).toMatch(/OPTIONS \/\{proxy\+\} route with no authorization/);
    });

    it('ANY and OPTIONS routes behind an authorizer: one warning each, with the route-specific fix', () => {
      const m = httpApi(
        [JWT, iamAuthorizer()],
        [route('ANY', '/inventory/{proxy+}', 'Jwt'), route('OPTIONS', '/admin', 'sigv4')],
        { cors: CORS },
      );
      const findings = only(diagnose(m, config()), 'cors-preflight-behind-authorizer');
      expect(findings.map((f) => [f.subject, f.fix.split(' (')[0]])).toEqual([
        ['ANY /inventory/{proxy+}', 'Add an OPTIONS /inventory/{proxy+} route with no authorization'],
        [
          'OPTIONS /admin',
          'Set the authorization of OPTIONS /admin to NONE, or delete the route and let API Gateway answer preflights from the CORS configuration; then redeploy.',
        ],
      ]);
      expect(findings[0]?.message).toMatch(
        /matches OPTIONS too: the browser's preflight for \/inventory\/\{proxy\+\} runs the authorizer/,
      );
    });

    it('no finding with a public OPTIONS route in front, without CORS, or on a REST API', () => {
      const guarded = [route('ANY', '$default', 'Jwt', ['s']), route('ANY', '/files', 'Jwt', ['s'])];
      const publicOptions = [route('OPTIONS', '/{proxy+}'), route('OPTIONS', '/files')];
      const fixed = httpApi([JWT], [...guarded, ...publicOptions], { cors: CORS });
      expect(only(diagnose(fixed, config()), 'cors-preflight-behind-authorizer')).toEqual([]);
      expect(only(diagnose(httpApi([JWT], guarded), config()), 'cors-preflight-behind-authorizer')).toEqual(
        [],
      );
      const rest = model({
        authorizers: [requestAuthorizer('Req', { ttlSeconds: 0 })],
        routes: [route('ANY', '/files', 'Req')],
        cors: { allowOrigin: '*' },
      });
      expect(only(diagnose(rest, config()), 'cors-preflight-behind-authorizer')).toEqual([]);
    });

    it("REST's DEFAULT_4XX rule does not fire on HTTP APIs (they have no gateway responses)", () => {
      const m = httpApi([JWT], [route('GET', '/orders', 'Jwt', ['s'])], { cors: CORS });
      expect(diagnose(m, config())).toEqual([]);
      const asRest: AuthModel = { ...m, api: { ...m.api, kind: undefined } };
      expect(diagnose(asRest, config()).map((f) => f.rule)).toContain('cors-missing-on-auth-errors');
    });
  });

  describe('Lambda authorizer caching', () => {
    const lambda = (extra: Partial<Authorizer>) => httpLambdaAuthorizer('Lambda', extra);
    const routes = [route('GET', '/reports', 'Lambda')];

    it('lambda-cache-without-identity-source: caching on and no identity source is an error; TTL 0 is fine', () => {
      const [finding] = diagnose(httpApi([lambda({ identitySources: [] })], routes), config());
      expect(finding).toMatchObject({
        rule: 'lambda-cache-without-identity-source',
        severity: 'error',
        subject: 'Lambda',
      });
      expect(finding?.message).toMatch(/caches results \(TTL 300 s\) but has no identity source/);
      expect(finding?.fix).toMatch(
        /\$context\.routeKey to cache per route.*authorizerResultTtlInSeconds to 0/,
      );
      const off = httpApi([lambda({ identitySources: [], ttlSeconds: 0 })], routes);
      expect(only(diagnose(off, config()), 'lambda-cache-without-identity-source')).toEqual([]);
    });

    it('the REST equivalent keeps its own rule id', () => {
      const rest = model({
        authorizers: [requestAuthorizer('Req', { identitySources: [] })],
        routes: [route('GET', '/reports', 'Req')],
      });
      expect(diagnose(rest, config()).map((f) => f.rule)).toEqual(['request-cache-without-sources']);
    });

    it('lambda-cache-shared-across-callers: a cache key no caller sends is shared by everybody', () => {
      const routeKeyOnly = lambda({
        identitySources: [{ location: 'context', name: 'routeKey', expression: '$context.routeKey' }],
      });
      const [finding] = only(
        diagnose(httpApi([routeKeyOnly], routes), config()),
        'lambda-cache-shared-across-callers',
      );
      expect(finding).toMatchObject({ severity: 'error', subject: 'Lambda' });
      expect(finding?.message).toMatch(/keyed only on \$context\.routeKey, which no caller sends/);
      const withHeader = lambda({
        identitySources: [
          httpHeaderSource('X-Api-Token'),
          { location: 'context', name: 'routeKey', expression: '$context.routeKey' },
        ],
      });
      expect(
        only(diagnose(httpApi([withHeader], routes), config()), 'lambda-cache-shared-across-callers'),
      ).toEqual([]);
      const sourceIp = lambda({
        identitySources: [
          { location: 'context', name: 'identity.sourceIp', expression: '$context.identity.sourceIp' },
        ],
      });
      expect(
        only(diagnose(httpApi([sourceIp], routes), config()), 'lambda-cache-shared-across-callers'),
      ).toEqual([]);
    });
  });

  describe('http-lambda-response-format without a handler', () => {
    it.each([
      [
        '2.0',
        true,
        /must return \{"isAuthorized": true\|false, "context": \{\.\.\.\}\}; an IAM policy is an invalid response/,
      ],
      [
        '2.0',
        false,
        /\(payload 2\.0, simple responses off\) must return an IAM policy .*a simple \{"isAuthorized"\} response is an invalid response/,
      ],
      ['1.0', false, /\(payload 1\.0\) must return an IAM policy/],
    ] as const)(
      'payload %s, simple responses %s: a note that says how to prove it',
      (payloadFormat, simpleResponses, what) => {
        const m = httpApi(
          [httpLambdaAuthorizer('Lambda', { httpLambda: { payloadFormat, simpleResponses } })],
          [route('GET', '/reports', 'Lambda')],
        );
        const [finding, ...rest] = diagnose(m, config());
        expect(rest).toEqual([]);
        expect(finding).toMatchObject({
          rule: 'http-lambda-response-format',
          severity: 'info',
          subject: 'Lambda',
        });
        expect(finding?.message).toMatch(what);
        expect(finding?.message).toMatch(
          /Configure authorizers\.Lambda\.handler and literal validIdentity values/,
        );
      },
    );
  });

  it('names routes by route key ($default) in subjects and in the text output', () => {
    const m = httpApi([JWT], [route('ANY', '$default'), route('GET', '/health')]);
    const findings = diagnose(m, config({}, { publicRoutes: ['GET /health'] }));
    expect(findings.map((f) => [f.rule, f.subject])).toEqual([['unprotected-route', '$default']]);
    expect(findings[0]?.fix).toMatch(
      /^Attach an authorizer \(JWT, Lambda or AWS_IAM\) to the route and deploy/,
    );
    expect(formatFindings(findings)).toContain(
      'ERROR $default [unprotected-route]\n  $default has no authorization',
    );
  });

  it('the bundled HTTP example: the findings its design invites, nothing else', () => {
    const c = config(
      {
        CognitoJwt: {
          cognito: {
            clientId: '4e2x8mple5cl1ent6id7abc890',
            accessTokenClientId: '7m2m8mple5cl1ent6id7abc890',
            callbackUrl: 'https://oauth.pstmn.io/v1/callback',
            tokenFlow: 'password',
            idpEndpoint: 'https://cognito-idp.us-east-1.amazonaws.com/',
          },
        },
        PartnerJwt: {
          oidc: {
            issuer: PARTNER_ISSUER,
            scopes: [],
            callbackUrl: 'https://oauth.pstmn.io/v1/callback',
            tokenFlow: 'client_credentials',
          },
        },
      },
      { publicRoutes: ['GET /health'] },
    );
    const findings = diagnose(httpExampleModel(), c);
    expect(findings.map((f) => `${f.severity} ${f.rule} ${f.subject}`)).toEqual([
      'warning cors-preflight-behind-authorizer $default',
      'warning cors-preflight-behind-authorizer ANY /inventory/{proxy+}',
      'warning jwt-route-without-scopes CognitoJwt',
      'info http-lambda-response-format LambdaAuth',
    ]);
    expect(findings[2]?.message).toContain('guards $default, GET /orders/{orderId} without scopes');
  });
});
