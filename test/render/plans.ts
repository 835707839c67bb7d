/**
 * Hand-built TestPlans for the renderer's tests: one authorizer of each kind and every Credential kind
 * (none, cognito-token for each token use, forged-token from a Cognito and from a value source with every
 * forgery, raw headers and query, sigv4 valid and wrong-secret), plus an optional expired-token case.
 */

import type {
  AuthCase,
  Credential,
  Expectation,
  Forgery,
  NameValue,
  TestPlan,
} from '../../src/cases/types.js';
import type { CognitoSettings } from '../../src/config/types.js';
import type { AuthModel, HttpMethod, Route } from '../../src/model/types.js';
import {
  cognitoAuthorizer,
  config as buildConfig,
  headerSource,
  iamAuthorizer,
  requestAuthorizer,
  route,
  tokenAuthorizer,
} from '../support/models.js';

export const POOL_ID = 'us-east-1_PetStore1';
export const CLIENT_ID = 'test-client-id';
export const CC_CLIENT_ID = 'test-cc-client-id';
export const ACCESS_KEY_ID = 'AKIDAPIGWAUTHZTEST';

const CORS: NameValue[] = [{ name: 'Access-Control-Allow-Origin', value: '*' }];
const UNAUTHORIZED: Expectation = {
  outcome: 'rejected',
  statuses: [401],
  messages: ['Unauthorized'],
  errorType: 'UnauthorizedException',
  headers: CORS,
};
const AUTHORIZED: Expectation = { outcome: 'authorized' };

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
/** A JWT-shaped value for the value-source forgery (the signature is not checked by anyone). */
export const LAMBDA_JWT = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: 'alice', iss: 'https://issuer.example.com/tenant_one' })}.c2lnbmF0dXJl`;

export const MODEL: AuthModel = {
  api: { id: 'a1b2c3d4e5', name: 'Petstore Authz (render tests)', region: 'us-east-1' },
  stage: {
    name: 'prod',
    baseUrl: 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod',
    variables: {},
  },
  authorizers: [
    cognitoAuthorizer('CognitoAuth', [POOL_ID]),
    requestAuthorizer('RequestAuth', {
      identitySources: [
        headerSource('X-Tenant-Id'),
        { location: 'querystring', name: 'apiVersion', expression: 'method.request.querystring.apiVersion' },
      ],
    }),
    iamAuthorizer(),
    tokenAuthorizer('TokenAuth', { validationExpression: '^[a-z][a-z0-9-]{3,63}$' }),
  ],
  routes: [],
  gatewayResponses: [],
  cors: { allowOrigin: '*' },
};

const ROUTES = {
  health: route('GET', '/health'),
  listPets: route('GET', '/pets', 'CognitoAuth'),
  addPet: route('POST', '/pets', 'CognitoAuth', ['pets/write']),
  getPet: route('GET', '/pets/{petId}', 'CognitoAuth', ['pets/read']),
  orders: route('GET', '/orders', 'TokenAuth'),
  reports: route('GET', '/reports', 'RequestAuth'),
  admin: route('ANY', '/admin/{proxy+}', 'sigv4'),
} satisfies Record<string, Route>;

interface CaseSpec {
  route: keyof typeof ROUTES;
  slug: string;
  label: string;
  credential: Credential;
  expect: Expectation;
  path?: string;
  method?: HttpMethod;
  skipUnlessVariable?: string;
}

function toCase(s: CaseSpec): AuthCase {
  const route: Route = ROUTES[s.route];
  const method = s.method ?? (route.method === 'ANY' ? 'GET' : route.method);
  const path = s.path ?? route.path;
  const authorizer = route.authorization.type === 'AUTHORIZER' ? route.authorization.authorizer : undefined;
  const kind = authorizer === undefined ? 'NONE' : MODEL.authorizers.find((a) => a.name === authorizer)!.kind;
  const scopes = route.authorization.type === 'AUTHORIZER' ? route.authorization.scopes : [];
  const positive = s.expect.outcome === 'authorized';
  return {
    key: `${route.method} ${route.path}#${s.slug}`,
    name: `[${method}] ${path} - ${positive ? 'allow' : 'deny'}: ${s.label}`,
    ...(authorizer === undefined ? {} : { authorizer }),
    kind,
    group: {
      title: authorizer ?? 'Public routes',
      ...(kind === 'COGNITO_USER_POOLS' ? { scopes } : {}),
    },
    route,
    method,
    path,
    headers: [],
    credential: s.credential,
    expect: s.expect,
    hint: `Hint for ${s.slug}: check the ${authorizer ?? 'public'} authorizer (it's "quoted" \\ escaped).`,
    polarity: positive ? 'positive' : 'negative',
    ...(s.skipUnlessVariable === undefined ? {} : { skipUnlessVariable: s.skipUnlessVariable }),
  };
}

const ALL_FORGERIES: Forgery[] = [
  'tampered-payload',
  'stripped-signature',
  'alg-none',
  'foreign-key',
  'other-issuer',
  'space-inside',
];

const SPECS: CaseSpec[] = [
  {
    route: 'health',
    slug: 'public',
    label: 'public route',
    credential: { kind: 'none' },
    expect: AUTHORIZED,
  },
  {
    route: 'listPets',
    slug: 'valid-id-token',
    label: 'valid ID token (CognitoAuth)',
    credential: { kind: 'cognito-token', authorizer: 'CognitoAuth', tokenUse: 'id', header: 'Authorization' },
    expect: AUTHORIZED,
  },
  {
    route: 'listPets',
    slug: 'missing-credentials',
    label: 'no Authorization header',
    credential: { kind: 'none' },
    expect: UNAUTHORIZED,
  },
  {
    route: 'listPets',
    slug: 'not-a-jwt',
    label: 'not a JWT',
    credential: { kind: 'raw', headers: [{ name: 'Authorization', value: 'not-a-jwt' }], query: [] },
    expect: UNAUTHORIZED,
  },
  ...ALL_FORGERIES.map((forgery): CaseSpec => ({
    route: 'listPets',
    slug: `forged-${forgery}`,
    label: `ID token, ${forgery}`,
    credential: {
      kind: 'forged-token',
      source: { kind: 'cognito', authorizer: 'CognitoAuth', tokenUse: 'id' },
      forgery,
      header: 'Authorization',
    },
    expect: UNAUTHORIZED,
  })),
  {
    route: 'listPets',
    slug: 'access-token-for-id',
    label: 'access token where an ID token is expected',
    credential: {
      kind: 'cognito-token',
      authorizer: 'CognitoAuth',
      tokenUse: 'unscoped-access',
      header: 'Authorization',
    },
    expect: UNAUTHORIZED,
  },
  {
    route: 'listPets',
    slug: 'expired-token',
    label: 'expired token',
    credential: {
      kind: 'raw',
      headers: [{ name: 'Authorization', value: '{{CognitoAuth.expiredToken}}' }],
      query: [],
    },
    expect: { ...UNAUTHORIZED, messages: ['The incoming token has expired'] },
    skipUnlessVariable: 'CognitoAuth.expiredToken',
  },
  {
    route: 'getPet',
    path: '/pets/42',
    slug: 'valid-access-token',
    label: 'valid access token with pets/read',
    credential: {
      kind: 'cognito-token',
      authorizer: 'CognitoAuth',
      tokenUse: 'access',
      header: 'Authorization',
    },
    expect: AUTHORIZED,
  },
  {
    route: 'getPet',
    path: '/pets/42',
    slug: 'id-token-for-access',
    label: 'ID token where an access token is expected',
    credential: { kind: 'cognito-token', authorizer: 'CognitoAuth', tokenUse: 'id', header: 'Authorization' },
    expect: UNAUTHORIZED,
  },
  {
    route: 'getPet',
    path: '/pets/42',
    slug: 'missing-scope',
    label: 'access token without pets/read',
    credential: {
      kind: 'cognito-token',
      authorizer: 'CognitoAuth',
      tokenUse: 'unscoped-access',
      header: 'Authorization',
    },
    expect: UNAUTHORIZED,
  },
  {
    route: 'addPet',
    slug: 'valid-access-token',
    label: 'valid access token with pets/write',
    credential: {
      kind: 'cognito-token',
      authorizer: 'CognitoAuth',
      tokenUse: 'access',
      header: 'Authorization',
    },
    expect: AUTHORIZED,
  },
  {
    route: 'addPet',
    slug: 'forged-foreign-key',
    label: 'access token signed by a foreign key',
    credential: {
      kind: 'forged-token',
      source: { kind: 'cognito', authorizer: 'CognitoAuth', tokenUse: 'access' },
      forgery: 'foreign-key',
      header: 'Authorization',
    },
    expect: UNAUTHORIZED,
  },
  {
    route: 'reports',
    slug: 'valid-identity',
    label: 'all identity sources valid',
    credential: {
      kind: 'raw',
      headers: [{ name: 'X-Tenant-Id', value: 'tenant-1' }],
      query: [{ name: 'apiVersion', value: '{{RequestAuth.method.request.querystring.apiVersion}}' }],
    },
    expect: AUTHORIZED,
  },
  {
    route: 'reports',
    slug: 'missing-header',
    label: 'X-Tenant-Id missing',
    credential: {
      kind: 'raw',
      headers: [],
      query: [{ name: 'apiVersion', value: '{{RequestAuth.method.request.querystring.apiVersion}}' }],
    },
    expect: UNAUTHORIZED,
  },
  {
    route: 'reports',
    slug: 'missing-query',
    label: 'apiVersion missing',
    credential: { kind: 'raw', headers: [{ name: 'X-Tenant-Id', value: 'tenant-1' }], query: [] },
    expect: UNAUTHORIZED,
  },
  {
    route: 'admin',
    path: '/admin/docs/readme.txt',
    slug: 'signed',
    label: 'SigV4-signed request',
    credential: { kind: 'sigv4', variant: 'valid' },
    expect: AUTHORIZED,
  },
  {
    route: 'admin',
    path: '/admin/docs/readme.txt',
    slug: 'unsigned',
    label: 'unsigned request',
    credential: { kind: 'none' },
    expect: {
      outcome: 'rejected',
      statuses: [403],
      messages: ['Missing Authentication Token'],
      errorType: 'MissingAuthenticationTokenException',
      headers: CORS,
    },
  },
  {
    route: 'admin',
    path: '/admin/docs/readme.txt',
    slug: 'wrong-secret',
    label: 'signed with a wrong secret key',
    credential: { kind: 'sigv4', variant: 'wrong-secret' },
    expect: {
      outcome: 'rejected',
      statuses: [403],
      messages: [],
      messagePrefix: 'The request signature we calculated does not match the signature you provided.',
      errorType: 'InvalidSignatureException',
      headers: CORS,
    },
  },
  {
    route: 'orders',
    slug: 'valid-token',
    label: 'valid token',
    credential: {
      kind: 'raw',
      headers: [{ name: 'X-Auth-Token', value: '{{TokenAuth.validToken}}' }],
      query: [],
    },
    expect: AUTHORIZED,
  },
  {
    route: 'orders',
    slug: 'missing-credentials',
    label: 'no X-Auth-Token header',
    credential: { kind: 'none' },
    expect: UNAUTHORIZED,
  },
  {
    route: 'orders',
    slug: 'regex-mismatch',
    label: 'token failing the validation regex',
    credential: { kind: 'raw', headers: [{ name: 'X-Auth-Token', value: 'X!' }], query: [] },
    expect: UNAUTHORIZED,
  },
  {
    route: 'orders',
    slug: 'unknown-token',
    label: 'unknown token',
    credential: { kind: 'raw', headers: [{ name: 'X-Auth-Token', value: 'unknown-token-1' }], query: [] },
    expect: {
      outcome: 'rejected',
      statuses: [401, 403],
      messages: ['Unauthorized', 'User is not authorized to access this resource'],
      headers: CORS,
    },
  },
  {
    route: 'orders',
    slug: 'deny-token',
    label: 'explicit deny token',
    credential: { kind: 'raw', headers: [{ name: 'X-Auth-Token', value: 'deny-mallory' }], query: [] },
    expect: {
      outcome: 'rejected',
      statuses: [403],
      messages: ['User is not authorized to access this resource with an explicit deny'],
      errorType: 'AccessDeniedException',
      headers: CORS,
    },
  },
  {
    route: 'orders',
    slug: 'forged-alg-none',
    label: 'JWT with alg none',
    credential: {
      kind: 'forged-token',
      source: { kind: 'value', value: '{{TokenAuth.jwt}}' },
      forgery: 'alg-none',
      header: 'X-Auth-Token',
    },
    expect: UNAUTHORIZED,
  },
];

export interface PlanOptions {
  cognito?: Partial<CognitoSettings>;
  baseUrl?: string;
}

/** A plan with every Credential kind; `cognito` overrides the CognitoAuth settings (defaults: password flow). */
export function handPlan(options: PlanOptions = {}): TestPlan {
  const cognito: CognitoSettings = {
    clientId: CLIENT_ID,
    domain: 'https://petstore-authz.auth.us-east-1.amazoncognito.com',
    callbackUrl: 'https://oauth.pstmn.io/v1/callback',
    tokenFlow: 'password',
    idpEndpoint: 'https://cognito-idp.us-east-1.amazonaws.com/',
    ...options.cognito,
  };
  const config = buildConfig(
    {
      CognitoAuth: { cognito },
      TokenAuth: { tokenFormat: 'jwt', validToken: '{{TokenAuth.validToken}}' },
      RequestAuth: { validIdentity: { 'method.request.header.X-Tenant-Id': 'tenant-1' } },
    },
    {
      baseDir: '/tmp',
      ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
      publicRoutes: ['GET /health'],
      pathParameters: { petId: '42', proxy: 'docs/readme.txt' },
    },
  );
  return {
    model: { ...MODEL, routes: Object.values(ROUTES) },
    config,
    cases: SPECS.map(toCase),
    variables: [
      {
        key: 'TokenAuth.validToken',
        value: '',
        secret: true,
        required: true,
        description: 'A token TokenAuth allows.',
      },
      {
        key: 'TokenAuth.jwt',
        value: LAMBDA_JWT,
        secret: false,
        required: false,
        description: 'A JWT-shaped token.',
      },
      {
        key: 'RequestAuth.method.request.querystring.apiVersion',
        value: '2024-01-01',
        secret: false,
        required: false,
        description: 'Query string apiVersion.',
      },
    ],
    unprotectedRoutes: [],
    warnings: [],
  };
}
