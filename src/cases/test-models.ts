/**
 * Hand-built models and configs for the case tests: the bundled example (examples/petstore-authz.openapi.yaml
 * with examples/apigw-authz.config.yaml) and synthetic APIs of any size. Built by hand so that the case tests
 * do not depend on the model builder.
 */

import type { AuthorizerSettings, ProjectConfig } from '../config/types.js';
import type { AuthModel, Authorizer, Route } from '../model/types.js';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';

function lambdaUri(fn: string): string {
  return `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/arn:aws:lambda:${REGION}:${ACCOUNT}:function:${fn}/invocations`;
}

export function cognitoAuthorizer(name = 'CognitoAuth'): Authorizer {
  return {
    name,
    kind: 'COGNITO_USER_POOLS',
    identitySources: [
      { location: 'header', name: 'Authorization', expression: 'method.request.header.Authorization' },
    ],
    ttlSeconds: 0,
    userPools: [
      {
        arn: `arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/us-east-1_PetStore1`,
        region: REGION,
        accountId: ACCOUNT,
        userPoolId: 'us-east-1_PetStore1',
      },
    ],
  };
}

export function tokenAuthorizer(name = 'TokenAuth', ttlSeconds = 300): Authorizer {
  return {
    name,
    kind: 'TOKEN',
    identitySources: [
      { location: 'header', name: 'X-Auth-Token', expression: 'method.request.header.X-Auth-Token' },
    ],
    validationExpression: '^[a-z][a-z0-9-]{3,63}$',
    ttlSeconds,
    lambdaUri: lambdaUri('petstore-token-authorizer'),
    userPools: [],
  };
}

export function requestAuthorizer(name = 'RequestAuth', ttlSeconds = 300): Authorizer {
  return {
    name,
    kind: 'REQUEST',
    identitySources: [
      { location: 'header', name: 'X-Tenant-Id', expression: 'method.request.header.X-Tenant-Id' },
      { location: 'querystring', name: 'apiVersion', expression: 'method.request.querystring.apiVersion' },
      { location: 'stageVariable', name: 'authStage', expression: 'stageVariables.authStage' },
    ],
    ttlSeconds,
    lambdaUri: lambdaUri('petstore-request-authorizer'),
    userPools: [],
  };
}

export function iamAuthorizer(name = 'sigv4'): Authorizer {
  return { name, kind: 'AWS_IAM', identitySources: [], ttlSeconds: 0, userPools: [] };
}

export function route(
  method: Route['method'],
  path: string,
  authorizer?: string,
  scopes: string[] = [],
): Route {
  return {
    method,
    path,
    authorization: authorizer ? { type: 'AUTHORIZER', authorizer, scopes } : { type: 'NONE' },
    apiKeyRequired: false,
  };
}

/** The bundled example's AuthModel, as the model builder should produce it. */
export function petstoreModel(): AuthModel {
  return {
    api: { id: 'a1b2c3d4e5', name: 'petstore-authz', region: REGION },
    stage: {
      name: 'prod',
      baseUrl: 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod',
      variables: {},
    },
    authorizers: [cognitoAuthorizer(), requestAuthorizer(), tokenAuthorizer(), iamAuthorizer()],
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
  };
}

function settings(extra: Partial<AuthorizerSettings>): AuthorizerSettings {
  return { tokenFormat: 'opaque', validIdentity: {}, ...extra };
}

/** The bundled example's config with every default filled in, as `loadConfig` returns it. */
export function petstoreConfig(overrides: Partial<ProjectConfig> = {}): ProjectConfig {
  return {
    baseDir: '/work/examples',
    publicRoutes: ['GET /health'],
    depth: 'standard',
    pathParameters: { petId: '42', orderId: '1001', reportId: '7', proxy: 'docs/readme.txt' },
    stageVariables: { authStage: 'prod-auth' },
    authorizers: {
      TokenAuth: settings({
        handler: '/work/examples/authorizers/token.mjs',
        validToken: 'allow-alice',
        denyToken: 'deny-mallory',
      }),
      RequestAuth: settings({
        handler: '/work/examples/authorizers/request.mjs',
        validIdentity: {
          'method.request.header.X-Tenant-Id': 'tenant-1',
          'method.request.querystring.apiVersion': '2024-01-01',
          'stageVariables.authStage': 'prod-auth',
        },
      }),
      CognitoAuth: settings({
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
      }),
    },
    ...overrides,
  };
}

/**
 * A model with `routeCount` routes spread over the example's four authorizers (Cognito routes alternate
 * between no scopes and one scope), for growth tests.
 */
export function syntheticModel(routeCount: number): AuthModel {
  const base = petstoreModel();
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
  return { ...base, routes };
}
