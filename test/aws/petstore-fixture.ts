/**
 * The bundled example API (examples/petstore-authz.openapi.yaml) as the control plane describes it: the
 * authorizers, resources (with embedded methods) and gateway responses GetAuthorizers / GetResources /
 * GetGatewayResponses return for it, and the example document itself (as JSON) as its stage's GetExport.
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { FakeMethod, FakeResource, FakeRestApi } from './fake-apigateway.js';

export const EXAMPLE_FILE = fileURLToPath(
  new URL('../../examples/petstore-authz.openapi.yaml', import.meta.url),
);
export const PETSTORE_ID = 'a1b2c3d4e5';
export const PETSTORE_NAME = 'petstore-authz';
export const PETSTORE_STAGE = 'prod';
export const PETSTORE_DEPLOYMENT = 'dep1a2';

const LAMBDA = (fn: string): string =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${fn}/invocations`;

const ACAO = 'method.response.header.Access-Control-Allow-Origin';

const cognito = (scopes?: string[]): FakeMethod => ({
  httpMethod: 'GET',
  authorizationType: 'COGNITO_USER_POOLS',
  authorizerId: 'cog111',
  ...(scopes ? { authorizationScopes: scopes } : {}),
  apiKeyRequired: false,
  methodIntegration: { type: 'HTTP_PROXY' },
});
const custom = (verb: string, authorizerId: string): FakeMethod => ({
  httpMethod: verb,
  authorizationType: 'CUSTOM',
  authorizerId,
  apiKeyRequired: false,
  methodIntegration: { type: 'HTTP_PROXY' },
});
const none = (verb: string): FakeMethod => ({
  httpMethod: verb,
  authorizationType: 'NONE',
  apiKeyRequired: false,
  methodIntegration: { type: 'MOCK' },
});

/** The example API, freshly built (tests may mutate their copy). */
export function petstoreApi(): FakeRestApi {
  const resources: FakeResource[] = [
    { id: 'root00', path: '/' },
    {
      id: 'hlth01',
      parentId: 'root00',
      pathPart: 'health',
      path: '/health',
      resourceMethods: { GET: none('GET') },
    },
    {
      id: 'pets02',
      parentId: 'root00',
      pathPart: 'pets',
      path: '/pets',
      resourceMethods: {
        GET: {
          ...cognito(),
          methodResponses: { '200': { statusCode: '200', responseParameters: { [ACAO]: false } } },
        },
        POST: { ...cognito(['pets/write']), httpMethod: 'POST' },
        OPTIONS: {
          ...none('OPTIONS'),
          methodResponses: {
            '200': {
              statusCode: '200',
              responseParameters: {
                [ACAO]: false,
                'method.response.header.Access-Control-Allow-Methods': false,
                'method.response.header.Access-Control-Allow-Headers': false,
              },
            },
          },
          methodIntegration: {
            type: 'MOCK',
            integrationResponses: {
              '200': {
                statusCode: '200',
                responseParameters: {
                  'method.response.header.Access-Control-Allow-Methods': "'GET,POST,OPTIONS'",
                  'method.response.header.Access-Control-Allow-Headers':
                    "'Content-Type,Authorization,X-Auth-Token,X-Tenant-Id'",
                  [ACAO]: "'*'",
                },
              },
            },
          },
        },
      },
    },
    {
      id: 'petid3',
      parentId: 'pets02',
      pathPart: '{petId}',
      path: '/pets/{petId}',
      resourceMethods: { GET: cognito(['pets/read']) },
    },
    {
      id: 'ordr04',
      parentId: 'root00',
      pathPart: 'orders',
      path: '/orders',
      resourceMethods: { GET: custom('GET', 'tok222') },
    },
    {
      id: 'ordi05',
      parentId: 'ordr04',
      pathPart: '{orderId}',
      path: '/orders/{orderId}',
      // the example's one API-key method (the `api_key` scheme in the export)
      resourceMethods: { DELETE: { ...custom('DELETE', 'tok222'), apiKeyRequired: true } },
    },
    { id: 'file06', parentId: 'root00', pathPart: 'files', path: '/files' },
    {
      id: 'filp07',
      parentId: 'file06',
      pathPart: '{proxy+}',
      path: '/files/{proxy+}',
      resourceMethods: { ANY: custom('ANY', 'tok222') },
    },
    {
      id: 'rept08',
      parentId: 'root00',
      pathPart: 'reports',
      path: '/reports',
      resourceMethods: { GET: custom('GET', 'req333') },
    },
    {
      id: 'repi09',
      parentId: 'rept08',
      pathPart: '{reportId}',
      path: '/reports/{reportId}',
      resourceMethods: { GET: custom('GET', 'req333') },
    },
    { id: 'admn10', parentId: 'root00', pathPart: 'admin', path: '/admin' },
    {
      id: 'admp11',
      parentId: 'admn10',
      pathPart: '{proxy+}',
      path: '/admin/{proxy+}',
      resourceMethods: { ANY: { httpMethod: 'ANY', authorizationType: 'AWS_IAM', apiKeyRequired: false } },
    },
  ];
  return {
    id: PETSTORE_ID,
    name: PETSTORE_NAME,
    authorizers: [
      {
        id: 'cog111',
        name: 'CognitoAuth',
        type: 'COGNITO_USER_POOLS',
        providerARNs: ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_PetStore1'],
        authType: 'cognito_user_pools',
        identitySource: 'method.request.header.Authorization',
        authorizerResultTtlInSeconds: 300,
      },
      {
        id: 'tok222',
        name: 'TokenAuth',
        type: 'TOKEN',
        authType: 'custom',
        authorizerUri: LAMBDA('petstore-token-authorizer'),
        identitySource: 'method.request.header.X-Auth-Token',
        identityValidationExpression: '^[a-z][a-z0-9-]{3,63}$',
        authorizerResultTtlInSeconds: 300,
      },
      {
        id: 'req333',
        name: 'RequestAuth',
        type: 'REQUEST',
        authType: 'custom',
        authorizerUri: LAMBDA('petstore-request-authorizer'),
        identitySource:
          'method.request.header.X-Tenant-Id, method.request.querystring.apiVersion, stageVariables.authStage',
        authorizerResultTtlInSeconds: 300,
      },
    ],
    resources,
    gatewayResponses: [
      {
        responseType: 'DEFAULT_4XX',
        responseParameters: {
          'gatewayresponse.header.Access-Control-Allow-Origin': "'*'",
          'gatewayresponse.header.Access-Control-Allow-Headers':
            "'Content-Type,Authorization,X-Auth-Token,X-Tenant-Id'",
        },
        responseTemplates: { 'application/json': '{"message":$context.error.messageString}' },
      },
      {
        responseType: 'DEFAULT_5XX',
        responseTemplates: { 'application/json': '{"message":$context.error.messageString}' },
      },
    ],
    stages: {
      [PETSTORE_STAGE]: {
        deploymentId: PETSTORE_DEPLOYMENT,
        variables: {},
        exportDocument: exampleDocument(),
      },
    },
    lambdas: {
      // The example config's test values: allow-alice / deny-mallory; tenant-1 + 2024-01-01 + prod-auth.
      tok222: (event) =>
        event.authorizationToken === 'allow-alice'
          ? 'Allow'
          : event.authorizationToken === 'deny-mallory'
            ? 'Deny'
            : 'Unauthorized',
      req333: (event) =>
        event.headers['x-tenant-id'] === 'tenant-1' &&
        event.queryStringParameters.apiVersion === '2024-01-01' &&
        event.stageVariables.authStage === 'prod-auth'
          ? 'Allow'
          : 'Unauthorized',
    },
  };
}

/** The example export, parsed (GetExport serves it as JSON). */
export function exampleDocument(): unknown {
  return parse(readFileSync(EXAMPLE_FILE, 'utf8')) as unknown;
}

export function exampleText(): string {
  return readFileSync(EXAMPLE_FILE, 'utf8');
}
