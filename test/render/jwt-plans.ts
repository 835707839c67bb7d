/**
 * Hand-built TestPlans for JWT authorizers (HTTP API): a generic OIDC issuer (`oidc:`) and a Cognito issuer, with
 * the credentials the JWT deriver uses (real tokens of each use, forgeries including `hs256-public-key` and
 * `unknown-kid`, supplied tokens). Built by hand so that the renderer's tests do not depend on the case deriver.
 */

import type { AuthCase, Credential, Expectation, Forgery, TestPlan } from '../../src/cases/types.js';
import type { OidcSettings } from '../../src/config/types.js';
import type { AuthModel, HttpMethod, Route } from '../../src/model/types.js';
import { DEFAULT_ROUTE_PATH } from '../../src/model/types.js';
import {
  PARTNER_ISSUER,
  cognitoIssuer,
  config as buildConfig,
  jwtAuthorizer,
  route,
} from '../support/models.js';

export const PARTNER_CLIENT_ID = 'orders-partner-m2m';
export const COGNITO_CLIENT_ID = '4e2x8mple5cl1ent6id7abc890';

const UNAUTHORIZED: Expectation = {
  outcome: 'rejected',
  statuses: [401],
  messages: ['Unauthorized'],
  wwwAuthenticate: { error: 'invalid_token' },
  headers: [],
};
const FORBIDDEN: Expectation = {
  outcome: 'rejected',
  statuses: [403],
  messages: ['Forbidden'],
  wwwAuthenticate: { error: 'insufficient_scope' },
  headers: [],
};
const AUTHORIZED: Expectation = { outcome: 'authorized' };

export function jwtModel(): AuthModel {
  return {
    api: { kind: 'HTTP', id: 'h1t2p3a4p5', name: 'orders-jwt (render tests)', region: 'us-east-1' },
    stage: {
      name: '$default',
      baseUrl: 'https://h1t2p3a4p5.execute-api.us-east-1.amazonaws.com',
      variables: {},
    },
    authorizers: [
      jwtAuthorizer('CognitoJwt', cognitoIssuer('us-east-1_PetStore1'), [COGNITO_CLIENT_ID]),
      jwtAuthorizer('PartnerJwt', PARTNER_ISSUER, ['https://orders.example.com/api']),
    ],
    routes: Object.values(ROUTES),
    gatewayResponses: [],
  };
}

const ROUTES = {
  fallback: route('ANY', DEFAULT_ROUTE_PATH, 'CognitoJwt'),
  order: route('GET', '/orders/{orderId}', 'CognitoJwt'),
  partner: route('GET', '/partner/orders', 'PartnerJwt', ['orders:read']),
  partnerWrite: route('POST', '/partner/orders', 'PartnerJwt', ['orders:write']),
} satisfies Record<string, Route>;

interface Spec {
  route: keyof typeof ROUTES;
  slug: string;
  label: string;
  credential: Credential;
  expect: Expectation;
  path?: string;
  skipUnlessVariable?: string;
}

function toCase(s: Spec): AuthCase {
  const r: Route = ROUTES[s.route];
  const method: HttpMethod = r.method === 'ANY' ? 'GET' : r.method;
  const path = s.path ?? r.path;
  const authorizer = r.authorization.type === 'AUTHORIZER' ? r.authorization.authorizer : 'none';
  const scopes = r.authorization.type === 'AUTHORIZER' ? r.authorization.scopes : [];
  const positive = s.expect.outcome === 'authorized';
  return {
    key: `${r.method} ${r.path}#${s.slug}`,
    name: `[${method}] ${path} - ${positive ? 'allow' : 'deny'}: ${s.label}`,
    authorizer,
    kind: 'JWT',
    group: { title: authorizer, scopes: [...scopes].sort() },
    route: r,
    method,
    path,
    headers: [],
    credential: s.credential,
    expect: s.expect,
    hint: `Hint for ${s.slug}.`,
    polarity: positive ? 'positive' : 'negative',
    ...(s.skipUnlessVariable === undefined ? {} : { skipUnlessVariable: s.skipUnlessVariable }),
  };
}

const token = (
  authorizer: string,
  tokenUse: 'id' | 'access' | 'unscoped-access',
  prefix?: string,
): Credential => ({
  kind: 'cognito-token',
  authorizer,
  tokenUse,
  header: 'Authorization',
  ...(prefix === undefined ? {} : { prefix }),
});

const forged = (authorizer: string, tokenUse: 'id' | 'access', forgery: Forgery): Credential => ({
  kind: 'forged-token',
  source: { kind: 'cognito', authorizer, tokenUse },
  forgery,
  header: 'Authorization',
});

const SPECS: Spec[] = [
  {
    route: 'order',
    path: '/orders/1001',
    slug: 'allow',
    label: 'valid ID token',
    credential: token('CognitoJwt', 'id'),
    expect: AUTHORIZED,
  },
  {
    route: 'order',
    path: '/orders/1001',
    slug: 'missing-credentials',
    label: 'missing Authorization header',
    credential: { kind: 'none' },
    expect: { ...UNAUTHORIZED, wwwAuthenticate: {} },
  },
  {
    route: 'order',
    path: '/orders/1001',
    slug: 'forged-hs256-public-key',
    label: 'HS256 signed with the issuer public key',
    credential: forged('CognitoJwt', 'id', 'hs256-public-key'),
    expect: UNAUTHORIZED,
  },
  {
    route: 'fallback',
    path: '/apigw-authz-unmatched',
    slug: 'allow',
    label: 'valid ID token',
    credential: token('CognitoJwt', 'id'),
    expect: AUTHORIZED,
  },
  {
    route: 'partner',
    slug: 'allow',
    label: 'valid access token with scope orders:read',
    credential: token('PartnerJwt', 'access'),
    expect: AUTHORIZED,
  },
  {
    route: 'partner',
    slug: 'bearer-prefix',
    label: 'valid access token with a "Bearer " prefix',
    credential: token('PartnerJwt', 'access', 'Bearer '),
    expect: AUTHORIZED,
  },
  {
    route: 'partner',
    slug: 'missing-scope',
    label: 'access token without scope orders:read',
    credential: token('PartnerJwt', 'unscoped-access'),
    expect: FORBIDDEN,
  },
  {
    route: 'partner',
    slug: 'forged-hs256-public-key',
    label: 'HS256 signed with the issuer public key',
    credential: forged('PartnerJwt', 'access', 'hs256-public-key'),
    expect: UNAUTHORIZED,
  },
  {
    route: 'partner',
    slug: 'forged-unknown-kid',
    label: 'unknown kid',
    credential: forged('PartnerJwt', 'access', 'unknown-kid'),
    expect: UNAUTHORIZED,
  },
  {
    route: 'partner',
    slug: 'expired-token',
    label: 'expired token',
    credential: {
      kind: 'raw',
      headers: [{ name: 'Authorization', value: '{{PartnerJwt.expiredToken}}' }],
      query: [],
    },
    expect: {
      ...UNAUTHORIZED,
      wwwAuthenticate: { error: 'invalid_token', description: 'the token has expired' },
    },
    skipUnlessVariable: 'PartnerJwt.expiredToken',
  },
  {
    route: 'partnerWrite',
    slug: 'allow',
    label: 'valid access token with scope orders:write',
    credential: token('PartnerJwt', 'access'),
    expect: AUTHORIZED,
  },
];

export interface JwtPlanOptions {
  oidc?: Partial<OidcSettings> | null;
  /** Only the PartnerJwt cases. */
  partnerOnly?: boolean;
}

/** The JWT plan: CognitoJwt with default Cognito settings, PartnerJwt with `oidc` (client_credentials by default). */
export function jwtPlan(options: JwtPlanOptions = {}): TestPlan {
  const oidc: OidcSettings = {
    issuer: PARTNER_ISSUER,
    clientId: PARTNER_CLIENT_ID,
    tokenUrl: 'https://login.partner.example/oauth/token',
    authUrl: 'https://login.partner.example/authorize',
    scopes: [],
    callbackUrl: 'https://oauth.pstmn.io/v1/callback',
    tokenFlow: 'client_credentials',
    ...options.oidc,
  };
  const specs = options.partnerOnly ? SPECS.filter((s) => s.route.startsWith('partner')) : SPECS;
  return {
    model: jwtModel(),
    config: buildConfig(
      {
        CognitoJwt: {
          cognito: {
            clientId: COGNITO_CLIENT_ID,
            callbackUrl: 'https://oauth.pstmn.io/v1/callback',
            tokenFlow: 'password',
            idpEndpoint: '',
          },
        },
        ...(options.oidc === null ? {} : { PartnerJwt: { oidc } }),
      },
      { baseDir: '/tmp', pathParameters: { orderId: '1001' } },
    ),
    cases: specs.map(toCase),
    variables: [],
    unprotectedRoutes: [],
    warnings: [],
  };
}
