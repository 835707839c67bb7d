/**
 * The one home of the hand-built models and configs the tests use: building blocks with explicit parameters
 * (authorizers of each kind, routes, a model, a config) and the bundled example (examples/petstore-authz.openapi.yaml
 * with examples/apigw-authz.config.yaml) built from them. Built by hand so that tests of the case engine, the
 * emulator, doctor and the renderer do not depend on the model builder they would otherwise be testing through.
 */

import { fileURLToPath } from 'node:url';
import type { AuthorizerSettings, ProjectConfig } from '../../src/config/types.js';
import { defaultAuthorizerSettings } from '../../src/config/types.js';
import {
  DEFAULT_ROUTE_PATH,
  HTTP_JWT_ALGORITHMS,
  type AuthModel,
  type Authorizer,
  type IdentitySource,
  type Route,
  type RouteMethod,
  type UserPoolRef,
} from '../../src/model/types.js';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const API_ID = 'a1b2c3d4e5';
/** The execute-api ARN of the `prod` stage of {@link model}: methodArns start with it. */
export const ARN_PREFIX = `arn:aws:execute-api:${REGION}:${ACCOUNT}:${API_ID}/prod`;

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The integration URI API Gateway stores for a Lambda authorizer named `functionName` in {@link ACCOUNT}. */
export function lambdaUri(functionName: string): string {
  return `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/arn:aws:lambda:${REGION}:${ACCOUNT}:function:${functionName}/invocations`;
}

/** `method.request.header.<name>` as an identity source. */
export function headerSource(name: string): IdentitySource {
  return { location: 'header', name, expression: `method.request.header.${name}` };
}

/** A user pool reference; the region is the id's prefix, as in every real pool id. */
export function userPool(userPoolId: string, accountId = ACCOUNT): UserPoolRef {
  const region = userPoolId.split('_')[0] ?? REGION;
  return {
    arn: `arn:aws:cognito-idp:${region}:${accountId}:userpool/${userPoolId}`,
    region,
    accountId,
    userPoolId,
  };
}

/** A Cognito authorizer reading `Authorization`, over the pools `userPoolIds` (see {@link userPool}). */
export function cognitoAuthorizer(
  name: string,
  userPoolIds: string[],
  extra: Partial<Authorizer> = {},
): Authorizer {
  return {
    name,
    kind: 'COGNITO_USER_POOLS',
    identitySources: [headerSource('Authorization')],
    ttlSeconds: 0,
    userPools: userPoolIds.map((id) => userPool(id)),
    ...extra,
  };
}

/** A TOKEN authorizer reading `X-Auth-Token`, TTL 300 s, whose Lambda function is named after it. */
export function tokenAuthorizer(name: string, extra: Partial<Authorizer> = {}): Authorizer {
  return {
    name,
    kind: 'TOKEN',
    identitySources: [headerSource('X-Auth-Token')],
    ttlSeconds: 300,
    userPools: [],
    lambdaUri: lambdaUri(name),
    ...extra,
  };
}

/**
 * A REQUEST authorizer over a header, a query parameter and a stage variable (one source of each client-side and
 * server-side kind), TTL 300 s, without a lambdaUri unless `extra` gives one.
 */
export function requestAuthorizer(name: string, extra: Partial<Authorizer> = {}): Authorizer {
  return {
    name,
    kind: 'REQUEST',
    identitySources: [
      headerSource('X-Tenant-Id'),
      { location: 'querystring', name: 'apiVersion', expression: 'method.request.querystring.apiVersion' },
      { location: 'stageVariable', name: 'authStage', expression: 'stageVariables.authStage' },
    ],
    ttlSeconds: 300,
    userPools: [],
    ...extra,
  };
}

/** The IAM (SigV4) authorizer; API Gateway exports always name it `sigv4`. */
export function iamAuthorizer(name = 'sigv4'): Authorizer {
  return { name, kind: 'AWS_IAM', identitySources: [], ttlSeconds: 0, userPools: [] };
}

/** `$request.header.<name>` as an HTTP API identity source. */
export function httpHeaderSource(name: string): IdentitySource {
  return { location: 'header', name, expression: `$request.header.${name}` };
}

/** The issuer URL of a Cognito user pool, as a JWT authorizer names it. */
export function cognitoIssuer(userPoolId: string): string {
  return `https://cognito-idp.${userPoolId.split('_')[0] ?? REGION}.amazonaws.com/${userPoolId}`;
}

/**
 * A JWT authorizer reading `$request.header.Authorization` (HTTP API syntax; pass `identitySources` for REST),
 * one issuer with `audiences`, HTTP's RSA algorithms; `extra` overrides any field.
 */
export function jwtAuthorizer(
  name: string,
  issuer: string,
  audiences: string[],
  extra: Partial<Authorizer> = {},
): Authorizer {
  return {
    name,
    kind: 'JWT',
    identitySources: [httpHeaderSource('Authorization')],
    ttlSeconds: 0,
    userPools: [],
    jwt: { issuers: [{ issuer, audiences, claims: [] }], algorithms: [...HTTP_JWT_ALGORITHMS] },
    ...extra,
  };
}

/**
 * An HTTP API Lambda authorizer over a header and a query parameter, payload 2.0 with simple responses, TTL 300 s,
 * whose Lambda function is named after it; `extra` overrides any field.
 */
export function httpLambdaAuthorizer(name: string, extra: Partial<Authorizer> = {}): Authorizer {
  return {
    name,
    kind: 'HTTP_LAMBDA',
    identitySources: [
      httpHeaderSource('X-Api-Token'),
      { location: 'querystring', name: 'tenant', expression: '$request.querystring.tenant' },
    ],
    ttlSeconds: 300,
    userPools: [],
    lambdaUri: lambdaUri(name),
    httpLambda: { payloadFormat: '2.0', simpleResponses: true },
    ...extra,
  };
}

/** A route guarded by `authorizer` with `scopes`, or public (`NONE`) without one; no API key. */
export function route(method: RouteMethod, path: string, authorizer?: string, scopes: string[] = []): Route {
  return {
    method,
    path,
    authorization: authorizer ? { type: 'AUTHORIZER', authorizer, scopes } : { type: 'NONE' },
    apiKeyRequired: false,
  };
}

/** A model of API {@link API_ID} (`lab`), stage `prod`, no gateway responses; `parts` overrides any field. */
export function model(parts: Partial<AuthModel> & Pick<AuthModel, 'authorizers' | 'routes'>): AuthModel {
  return {
    api: { id: API_ID, name: 'lab', region: REGION },
    stage: {
      name: 'prod',
      baseUrl: `https://${API_ID}.execute-api.${REGION}.amazonaws.com/prod`,
      variables: {},
    },
    gatewayResponses: [],
    ...parts,
  };
}

/**
 * A config as `loadConfig` returns it: `authorizers` get every default filled in, nothing is public; `extra`
 * overrides any field. `baseDir` is the repository root (only the loader reads it, to resolve handler paths).
 */
export function config(
  authorizers: Record<string, Partial<AuthorizerSettings>> = {},
  extra: Partial<ProjectConfig> = {},
): ProjectConfig {
  return {
    baseDir: REPO_ROOT,
    publicRoutes: [],
    depth: 'standard',
    pathParameters: {},
    stageVariables: {},
    authorizers: Object.fromEntries(
      Object.entries(authorizers).map(([name, s]) => [name, { ...defaultAuthorizerSettings(), ...s }]),
    ),
    ...extra,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The bundled example

export type PetstoreAuthorizerName = 'CognitoAuth' | 'TokenAuth' | 'RequestAuth' | 'sigv4';

/** The bundled example's authorizer `name`, as the model builder should produce it; `extra` overrides any field. */
export function petstoreAuthorizer(
  name: PetstoreAuthorizerName,
  extra: Partial<Authorizer> = {},
): Authorizer {
  switch (name) {
    case 'CognitoAuth':
      return cognitoAuthorizer(name, ['us-east-1_PetStore1'], extra);
    case 'TokenAuth':
      return tokenAuthorizer(name, {
        validationExpression: '^[a-z][a-z0-9-]{3,63}$',
        lambdaUri: lambdaUri('petstore-token-authorizer'),
        ...extra,
      });
    case 'RequestAuth':
      return requestAuthorizer(name, { lambdaUri: lambdaUri('petstore-request-authorizer'), ...extra });
    case 'sigv4':
      return { ...iamAuthorizer(), ...extra };
  }
}

/** The bundled example's AuthModel, as the model builder should produce it. */
export function petstoreModel(): AuthModel {
  return model({
    api: { id: API_ID, name: 'petstore-authz', region: REGION },
    authorizers: [
      petstoreAuthorizer('CognitoAuth'),
      petstoreAuthorizer('RequestAuth'),
      petstoreAuthorizer('TokenAuth'),
      petstoreAuthorizer('sigv4'),
    ],
    routes: [
      route('ANY', '/admin/{proxy+}', 'sigv4'),
      route('ANY', '/files/{proxy+}', 'TokenAuth'),
      route('GET', '/health'),
      route('GET', '/orders', 'TokenAuth'),
      route('DELETE', '/orders/{orderId}', 'TokenAuth'),
      route('GET', '/pets', 'CognitoAuth'),
      route('OPTIONS', '/pets'),
      route('POST', '/pets', 'CognitoAuth', ['pets/write']),
      route('GET', '/pets/{petId}', 'CognitoAuth', ['pets/read']),
      route('GET', '/reports', 'RequestAuth'),
      route('GET', '/reports/{reportId}', 'RequestAuth'),
    ],
    gatewayResponses: [
      {
        type: 'DEFAULT_4XX',
        headers: [
          {
            name: 'Access-Control-Allow-Headers',
            value: 'Content-Type,Authorization,X-Auth-Token,X-Tenant-Id',
          },
          { name: 'Access-Control-Allow-Origin', value: '*' },
        ],
        templates: { 'application/json': '{"message":$context.error.messageString}' },
      },
      {
        type: 'DEFAULT_5XX',
        headers: [],
        templates: { 'application/json': '{"message":$context.error.messageString}' },
      },
    ],
    cors: { allowOrigin: '*' },
  });
}

/** The bundled example's config with every default filled in, as `loadConfig` returns it. */
export function petstoreConfig(overrides: Partial<ProjectConfig> = {}): ProjectConfig {
  return config(
    {
      TokenAuth: {
        handler: '/work/examples/authorizers/token.mjs',
        validToken: 'allow-alice',
        denyToken: 'deny-mallory',
      },
      RequestAuth: {
        handler: '/work/examples/authorizers/request.mjs',
        validIdentity: {
          'method.request.header.X-Tenant-Id': 'tenant-1',
          'method.request.querystring.apiVersion': '2024-01-01',
          'stageVariables.authStage': 'prod-auth',
        },
      },
      CognitoAuth: {
        cognito: {
          clientId: '4e2x8mple5cl1ent6id7abc890',
          domain: 'https://petstore-authz.auth.us-east-1.amazoncognito.com',
          callbackUrl: 'https://oauth.pstmn.io/v1/callback',
          tokenFlow: 'password',
          accessTokenFlow: 'client_credentials',
          accessTokenClientId: '7m2m8mple5cl1ent6id7abc890',
          idpEndpoint: 'https://cognito-idp.us-east-1.amazonaws.com/',
          tokenUrl: 'https://petstore-authz.auth.us-east-1.amazoncognito.com/oauth2/token',
        },
      },
    },
    {
      baseDir: '/work/examples',
      publicRoutes: ['GET /health'],
      pathParameters: { petId: '42', orderId: '1001', reportId: '7', proxy: 'docs/readme.txt' },
      stageVariables: { authStage: 'prod-auth' },
      ...overrides,
    },
  );
}

export const HTTP_API_ID = 'h1t2p3a4p5';
export const PARTNER_ISSUER = 'https://login.partner.example/';

/**
 * A REST JWT authorizer as the REST fixtures configure it (the live fake's API, CloudFormation rest-jwt.yaml):
 * `method.request.header.Authorization`, RS256 and ES256, the partner issuer for `partnerAudience` with a required
 * `token_use` of `access`, and the example's Cognito pool for its app client.
 */
export function restJwtAuthorizer(name: string, partnerAudience: string): Authorizer {
  return jwtAuthorizer(name, PARTNER_ISSUER, [partnerAudience], {
    identitySources: [headerSource('Authorization')],
    jwt: {
      algorithms: ['RS256', 'ES256'],
      issuers: [
        {
          issuer: PARTNER_ISSUER,
          audiences: [partnerAudience],
          claims: [{ name: 'token_use', values: ['access'], required: true }],
        },
        {
          issuer: cognitoIssuer('us-east-1_PetStore1'),
          audiences: ['4e2x8mple5cl1ent6id7abc890'],
          claims: [],
        },
      ],
    },
  });
}

/**
 * The bundled HTTP API example (examples/orders-http.*) as every source should read it: stage `$default`, JWT
 * routes on a Cognito issuer (scoped, unscoped and `$default`), a generic OIDC issuer whose `iss` ends in `/`, a
 * payload-2.0 simple-response Lambda authorizer (an `ANY` route among its routes), an IAM route, a public route
 * and CORS.
 */
export function httpExampleModel(): AuthModel {
  return {
    api: { kind: 'HTTP', id: HTTP_API_ID, name: 'orders-http', region: REGION },
    stage: {
      name: '$default',
      baseUrl: `https://${HTTP_API_ID}.execute-api.${REGION}.amazonaws.com`,
      variables: {},
    },
    authorizers: [
      jwtAuthorizer('CognitoJwt', cognitoIssuer('us-east-1_PetStore1'), [
        '4e2x8mple5cl1ent6id7abc890',
        '7m2m8mple5cl1ent6id7abc890',
      ]),
      httpLambdaAuthorizer('LambdaAuth', { lambdaUri: lambdaUri('orders-http-authorizer') }),
      jwtAuthorizer('PartnerJwt', PARTNER_ISSUER, ['https://orders.example.com/api']),
      iamAuthorizer(),
    ],
    routes: [
      route('ANY', DEFAULT_ROUTE_PATH, 'CognitoJwt'),
      route('POST', '/admin/reindex', 'sigv4'),
      route('GET', '/health'),
      route('ANY', '/inventory/{proxy+}', 'LambdaAuth'),
      route('GET', '/orders', 'CognitoJwt', ['orders/read']),
      route('POST', '/orders', 'CognitoJwt', ['orders/write']),
      route('GET', '/orders/{orderId}', 'CognitoJwt'),
      route('GET', '/partner/orders', 'PartnerJwt', ['orders:read']),
      route('GET', '/reports', 'LambdaAuth'),
    ],
    gatewayResponses: [],
    cors: {
      allowOrigin: 'https://app.example.com',
      allowMethods: ['GET', 'POST'],
      allowHeaders: ['authorization', 'content-type', 'x-api-token'],
    },
  };
}

/**
 * A config of the HTTP example's authorizers from which the plan holds every HTTP API check of
 * templates/assert-case.js: token flows with placeholder endpoints (nothing is fetched), a Lambda context to expect,
 * `GET /health` public.
 */
export function httpExampleCheckConfig(): ProjectConfig {
  return config(
    {
      CognitoJwt: {
        cognito: {
          clientId: '4e2x8mple5cl1ent6id7abc890',
          callbackUrl: 'x',
          tokenFlow: 'password',
          accessTokenFlow: 'client_credentials',
          idpEndpoint: 'x',
        },
      },
      PartnerJwt: { oidc: { scopes: [], callbackUrl: 'x', tokenFlow: 'client_credentials' } },
      LambdaAuth: { expectContext: { tier: 'gold', n: 1, roles: ['a', 'b'] } },
    },
    { publicRoutes: ['GET /health'] },
  );
}

/**
 * A model with `routeCount` routes spread over the example's four authorizers (Cognito routes alternate
 * between no scopes and one scope), for growth tests.
 */
export function syntheticModel(routeCount: number): AuthModel {
  const owners: [string, string[]][] = [
    ['CognitoAuth', []],
    ['CognitoAuth', ['pets/read']],
    ['TokenAuth', []],
    ['RequestAuth', []],
    ['sigv4', []],
  ];
  const routes: Route[] = Array.from({ length: routeCount }, (_, i) => {
    const [owner, scopes] = owners[i % owners.length] ?? ['sigv4', []];
    return route('GET', `/r${String(i).padStart(4, '0')}/{id}`, owner, scopes);
  });
  return { ...petstoreModel(), routes };
}
