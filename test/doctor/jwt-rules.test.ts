import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CognitoSettings, ProjectConfig } from '../../src/config/types.js';
import {
  diagnose,
  readDiscoveryDocuments,
  type DiagnoseOptions,
  type DiscoveryDocument,
  type Finding,
} from '../../src/doctor/index.js';
import type { AuthModel, Authorizer, Route } from '../../src/model/types.js';
import { cognitoIssuer, config, headerSource, jwtAuthorizer, model, route } from '../support/models.js';

const POOL = 'us-east-1_Pool1';
const ISSUER = cognitoIssuer(POOL);
const CLIENT = '1example23456789client';
const M2M = '2m2m2mple23456789client';
const PARTNER = 'https://login.partner.example/';

const COGNITO: CognitoSettings = {
  clientId: CLIENT,
  callbackUrl: 'https://oauth.pstmn.io/v1/callback',
  tokenFlow: 'password',
  idpEndpoint: 'https://cognito-idp.us-east-1.amazonaws.com/',
};

/** An HTTP API whose routes are all behind `authorizers[0]`, every route scoped unless `routes` says otherwise. */
function httpApi(authorizer: Authorizer, routes?: Route[]): AuthModel {
  return model({
    api: { kind: 'HTTP', id: 'h1t2p3a4p5', name: 'orders-http', region: 'us-east-1' },
    authorizers: [authorizer],
    routes: routes ?? [route('GET', '/orders', authorizer.name, ['orders/read'])],
  });
}

/** The same on a REST API: the authorizer reads `method.request.header.Authorization`. */
function restApi(authorizer: Authorizer, routes?: Route[]): AuthModel {
  return model({
    authorizers: [{ ...authorizer, identitySources: [headerSource('Authorization')] }],
    routes: routes ?? [route('GET', '/orders', authorizer.name, ['orders/read'])],
  });
}

const cognitoJwt = (audiences = [CLIENT], issuer = ISSUER) => jwtAuthorizer('Jwt', issuer, audiences);
const withCognito = (extra: Partial<CognitoSettings> = {}): ProjectConfig =>
  config({ Jwt: { cognito: { ...COGNITO, ...extra } } });

const findingsOf = (m: AuthModel, c: ProjectConfig = config(), options: DiagnoseOptions = {}): Finding[] =>
  diagnose(m, c, options);
const only = (findings: Finding[], rule: string) => findings.filter((f) => f.rule === rule);

describe('doctor: JWT authorizers', () => {
  it('finds nothing when every route is scoped, the issuer is exact and the client is an audience', () => {
    expect(findingsOf(httpApi(cognitoJwt()), withCognito())).toEqual([]);
    expect(findingsOf(restApi(cognitoJwt()), config())).toEqual([]);
  });

  describe('jwt-route-without-scopes', () => {
    const unscoped = (name = 'Jwt') => [
      route('ANY', '$default', name),
      route('GET', '/orders', name, ['orders/read']),
      route('GET', '/orders/{orderId}', name),
    ];

    it('HTTP, Cognito issuer: a warning naming the routes by route key; scopes are the only fix', () => {
      const [finding, ...rest] = only(
        findingsOf(httpApi(cognitoJwt(), unscoped())),
        'jwt-route-without-scopes',
      );
      expect(rest).toEqual([]);
      expect(finding).toMatchObject({ severity: 'warning', subject: 'Jwt' });
      expect(finding?.message).toContain('guards $default, GET /orders/{orderId} without scopes');
      expect(finding?.message).toMatch(/ID tokens included/);
      expect(finding?.message).not.toContain('GET /orders,');
      expect(finding?.fix).toMatch(/Add authorizationScopes.*audiences cannot tell them apart/);
    });

    it('HTTP, another issuer: the fix also offers access-token-only audiences', () => {
      const m = httpApi(jwtAuthorizer('Jwt', PARTNER, ['https://orders.example.com/api']), unscoped());
      const [finding] = only(findingsOf(m), 'jwt-route-without-scopes');
      expect(finding?.fix).toMatch(/accept only audiences that appear in access tokens/);
    });

    it('REST: the fix names the token_use = access claim rule; with that rule there is no finding', () => {
      const [finding] = only(findingsOf(restApi(cognitoJwt(), unscoped())), 'jwt-route-without-scopes');
      expect(finding?.message).toMatch(/with an accepted audience passes, ID tokens included/);
      expect(finding?.fix).toMatch(/token_use = access \(SINGLE_STRING, required\)/);
      const accessOnly = cognitoJwt();
      accessOnly.jwt = {
        algorithms: ['RS256'],
        issuers: [
          {
            issuer: ISSUER,
            audiences: [CLIENT],
            claims: [{ name: 'token_use', values: ['access'], required: true }],
          },
        ],
      };
      expect(only(findingsOf(restApi(accessOnly, unscoped())), 'jwt-route-without-scopes')).toEqual([]);
    });
  });

  describe('jwt-issuer-trailing-slash', () => {
    it('a Cognito issuer written with a trailing slash: Cognito tokens carry none', () => {
      const [finding] = only(
        findingsOf(httpApi(cognitoJwt([CLIENT], `${ISSUER}/`))),
        'jwt-issuer-trailing-slash',
      );
      expect(finding).toMatchObject({ severity: 'error', subject: 'Jwt' });
      expect(finding?.message).toContain(`trusts the issuer "${ISSUER}/" (with a trailing slash)`);
      expect(finding?.message).toMatch(/Cognito \(user pool us-east-1_Pool1 writes iss without/);
      expect(finding?.message).toMatch(/401 Unauthorized \(error="invalid_token"\)/);
    });

    it.each([
      ['oidc.issuer', config({ Jwt: { oidc: oidc('https://login.partner.example') } }), /oidc\.issuer gives/],
      [
        'serve.issuers',
        config(
          {},
          {
            serve: {
              requestWithoutCacheMissingSource: 'reject',
              issuers: { 'https://login.partner.example': { issuer: 'http://127.0.0.1:9400' } },
            },
          },
        ),
        /but serve\.issuers gives "https:\/\/login\.partner\.example"/,
      ],
    ] as const)('the config documents the issuer without the slash (%s): an error', (_, c, where) => {
      const m = httpApi(jwtAuthorizer('Jwt', PARTNER, ['api']));
      const [finding] = only(findingsOf(m, c), 'jwt-issuer-trailing-slash');
      expect(finding?.message).toMatch(where);
      expect(finding?.message).toContain(`"${PARTNER}" (with a trailing slash)`);
    });

    it('the discovery document names the issuer with the slash the authorizer lacks: an error', () => {
      const m = httpApi(jwtAuthorizer('Jwt', 'https://login.partner.example', ['api']));
      const discovery: DiscoveryDocument[] = [{ authorizer: 'Jwt', file: 'partner.json', issuer: PARTNER }];
      const [finding] = only(findingsOf(m, config(), { discovery }), 'jwt-issuer-trailing-slash');
      expect(finding?.message).toMatch(
        /\(without a trailing slash\), but the discovery document partner\.json gives/,
      );
    });

    it('no finding when the documented issuers are spelled as the API spells it (or are other issuers)', () => {
      const m = httpApi(jwtAuthorizer('Jwt', PARTNER, ['api']));
      const c = config(
        { Jwt: { oidc: oidc(PARTNER) } },
        {
          serve: {
            requestWithoutCacheMissingSource: 'reject',
            issuers: {
              [PARTNER]: { issuer: 'http://127.0.0.1:9400' },
              'https://other.example': { issuer: 'x' },
            },
          },
        },
      );
      const discovery: DiscoveryDocument[] = [{ authorizer: 'Jwt', file: 'partner.json', issuer: PARTNER }];
      expect(findingsOf(m, c, { discovery })).toEqual([]);
    });
  });

  it("a template's Cognito issuer (region placeholder) is still a Cognito issuer; the URL check skips it", () => {
    const templated = 'https://cognito-idp.${AWS::Region}.amazonaws.com/us-east-1_Pool1';
    const routes = [route('GET', '/me', 'Jwt')];
    const http = findingsOf(httpApi(cognitoJwt([CLIENT], templated), routes));
    expect(http.map((f) => f.rule)).toEqual(['jwt-route-without-scopes']);
    expect(http[0]?.fix).toMatch(/audiences cannot tell them apart/);
    const rest = findingsOf(restApi(cognitoJwt([CLIENT], `${templated}/`)), config());
    expect(rest.map((f) => f.rule)).toEqual(['jwt-issuer-trailing-slash']);
  });

  describe('jwt-issuer-invalid (REST)', () => {
    it.each([
      ['http://login.partner.example/', /uses http, not https/],
      ['https://login.partner.example/?tenant=1', /has a query string/],
      ['https://login.partner.example/#x', /has a fragment/],
      ['login.partner.example', /is not an absolute URL/],
    ])('%s: an error', (issuer, why) => {
      const [finding] = only(
        findingsOf(restApi(jwtAuthorizer('Jwt', issuer, ['api']))),
        'jwt-issuer-invalid',
      );
      expect(finding).toMatchObject({ severity: 'error', subject: 'Jwt' });
      expect(finding?.message).toMatch(why);
    });

    it('an https issuer, or any issuer on an HTTP API: no finding', () => {
      expect(findingsOf(restApi(jwtAuthorizer('Jwt', PARTNER, ['api'])))).toEqual([]);
      expect(findingsOf(httpApi(jwtAuthorizer('Jwt', 'http://login.partner.example/', ['api'])))).toEqual([]);
    });
  });

  describe('jwt-audience-mismatch', () => {
    it('the configured client is no audience: its ID and access tokens get 401; the pool id is called out', () => {
      const [finding, ...rest] = only(
        findingsOf(httpApi(cognitoJwt([POOL])), withCognito()),
        'jwt-audience-mismatch',
      );
      expect(rest).toEqual([]);
      expect(finding).toMatchObject({ severity: 'error', subject: 'Jwt' });
      expect(finding?.message).toContain(
        `the configured app client ${CLIENT} (authorizers.Jwt.cognito.clientId)`,
      );
      expect(finding?.message).toMatch(/its ID tokens \(aud\) and access tokens \(client_id\) get 401/);
      expect(finding?.message).toMatch(/the token does not have a valid audience/);
      expect(finding?.message).toMatch(/never carry us-east-1_Pool1 as aud or client_id/);
      expect(finding?.fix).toContain(
        `Add ${CLIENT} to the authorizer's audiences (JwtConfiguration.Audience)`,
      );
    });

    it('the access-token client (client_credentials) is no audience: an error about its access tokens', () => {
      const findings = only(
        findingsOf(httpApi(cognitoJwt([CLIENT])), withCognito({ accessTokenClientId: M2M })),
        'jwt-audience-mismatch',
      );
      expect(findings.map((f) => f.message)).toEqual([
        expect.stringMatching(new RegExp(`app client ${M2M} .*its access tokens \\(client_id\\) get 401`)),
      ]);
      expect(
        only(
          findingsOf(httpApi(cognitoJwt([CLIENT, M2M])), withCognito({ accessTokenClientId: M2M })),
          'jwt-audience-mismatch',
        ),
      ).toEqual([]);
    });

    it('REST with scoped methods: a warning that the client_id fallback is undocumented', () => {
      const [finding, ...rest] = only(
        findingsOf(restApi(cognitoJwt()), withCognito()),
        'jwt-audience-mismatch',
      );
      expect(rest).toEqual([]);
      expect(finding).toMatchObject({ severity: 'warning', subject: 'Jwt' });
      expect(finding?.message).toMatch(/client_id fallback for HTTP APIs only/);
      const unscoped = restApi(cognitoJwt(), [route('GET', '/me', 'Jwt')]);
      expect(only(findingsOf(unscoped, withCognito()), 'jwt-audience-mismatch')).toEqual([]);
    });

    it('no cognito settings, another issuer, or another pool: no finding', () => {
      expect(only(findingsOf(httpApi(cognitoJwt([POOL]))), 'jwt-audience-mismatch')).toEqual([]);
      const partner = httpApi(jwtAuthorizer('Jwt', PARTNER, ['api']));
      expect(only(findingsOf(partner, withCognito()), 'jwt-audience-mismatch')).toEqual([]);
      const otherPool = withCognito({ userPoolId: 'us-east-1_Other' });
      expect(only(findingsOf(httpApi(cognitoJwt([POOL])), otherPool), 'jwt-audience-mismatch')).toEqual([]);
    });
  });

  describe('jwt-algorithms', () => {
    const es256Only = (m: AuthModel) => ({ ...m, authorizers: m.authorizers.map(restAlgorithms(['ES256'])) });

    it('REST: an allow-list with none of the algorithms the discovery document lists: an error', () => {
      const discovery: DiscoveryDocument[] = [{ authorizer: 'Jwt', file: 'd.json', algorithms: ['RS256'] }];
      const [finding] = only(
        findingsOf(es256Only(restApi(cognitoJwt())), config(), { discovery }),
        'jwt-algorithms',
      );
      expect(finding).toMatchObject({ severity: 'error', subject: 'Jwt' });
      expect(finding?.message).toMatch(/allows ES256 \(defaultAlgorithms\).*signs with RS256/);
      expect(finding?.fix).toMatch(/Add the issuer's algorithm \(RS256\)/);
      const both: DiscoveryDocument[] = [
        { authorizer: 'Jwt', file: 'd.json', algorithms: ['RS256', 'ES256'] },
      ];
      expect(findingsOf(es256Only(restApi(cognitoJwt())), config(), { discovery: both })).toEqual([]);
    });

    it('HTTP: a discovery document listing only non-RSA algorithms is a note; RS256 among them is fine', () => {
      const ec: DiscoveryDocument[] = [{ authorizer: 'Jwt', file: 'd.json', algorithms: ['ES256', 'none'] }];
      const [finding] = only(
        findingsOf(httpApi(cognitoJwt()), config(), { discovery: ec }),
        'jwt-algorithms',
      );
      expect(finding).toMatchObject({ severity: 'info', subject: 'Jwt' });
      expect(finding?.message).toMatch(/signing method ES256 is invalid/);
      const rsa: DiscoveryDocument[] = [
        { authorizer: 'Jwt', file: 'd.json', algorithms: ['ES256', 'RS256'] },
      ];
      expect(findingsOf(httpApi(cognitoJwt()), config(), { discovery: rsa })).toEqual([]);
      expect(findingsOf(httpApi(cognitoJwt()), config(), { discovery: [] })).toEqual([]);
    });
  });

  describe('discovery documents', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'apigw-authz-doctor-oidc-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('reads issuer and algorithms relative to the config; unreadable or non-JSON files are findings', async () => {
      writeFileSync(
        path.join(dir, 'partner.json'),
        JSON.stringify({ issuer: PARTNER, id_token_signing_alg_values_supported: ['ES256'] }),
      );
      writeFileSync(path.join(dir, 'broken.json'), '<html>');
      const c = config(
        {
          Jwt: { oidc: oidc(PARTNER, 'partner.json') },
          Broken: { oidc: oidc(PARTNER, 'broken.json') },
          Missing: { oidc: oidc(PARTNER, 'missing.json') },
        },
        { baseDir: dir },
      );
      const discovery = await readDiscoveryDocuments(c);
      expect(discovery).toEqual([
        { authorizer: 'Broken', file: 'broken.json', error: 'it is not JSON' },
        { authorizer: 'Jwt', file: 'partner.json', issuer: PARTNER, algorithms: ['ES256'] },
        { authorizer: 'Missing', file: 'missing.json', error: 'it cannot be read' },
      ]);
      const m = httpApi(jwtAuthorizer('Jwt', 'https://login.partner.example', ['api']));
      const found = diagnose(m, c, { discovery }).map((f) => `${f.severity} ${f.rule} ${f.subject}`);
      expect(found.sort()).toEqual([
        // the authorizers the API lacks are configNamesRule's findings
        'error config-discovery-invalid Broken',
        'error config-discovery-invalid Missing',
        'error config-unknown-authorizer Broken',
        'error config-unknown-authorizer Missing',
        'error jwt-issuer-trailing-slash Jwt',
        'info jwt-algorithms Jwt',
      ]);
    });
  });
});

function oidc(issuer: string, discoveryDocument?: string) {
  return {
    issuer,
    scopes: [],
    callbackUrl: 'https://oauth.pstmn.io/v1/callback',
    tokenFlow: 'client_credentials' as const,
    ...(discoveryDocument === undefined ? {} : { discoveryDocument }),
  };
}

function restAlgorithms(algorithms: Array<'RS256' | 'ES256'>) {
  return (authorizer: Authorizer): Authorizer =>
    authorizer.jwt ? { ...authorizer, jwt: { ...authorizer.jwt, algorithms } } : authorizer;
}
