/**
 * HTTP APIs for the v2 fake, written in the wire shape GetApis / GetAuthorizers / GetRoutes / GetStages return:
 * the bundled HTTP example (what `httpExampleModel()` describes, built here by hand so the test compares two
 * independent descriptions), and a synthetic API of N routes for paging.
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HTTP_API_ID, PARTNER_ISSUER } from '../support/models.js';
import { httpExportDocumentOf, type FakeHttpApi } from './fake-apigatewayv2.js';

export const HTTP_EXAMPLE_FILE = fileURLToPath(
  new URL('../../examples/orders-http.openapi.json', import.meta.url),
);
export const HTTP_EXAMPLE_NAME = 'orders-http';
export const HTTP_EXAMPLE_DEPLOYMENT = 'dep1a2';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';

function functionUri(name: string): string {
  return `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}/invocations`;
}

/** The bundled example's current configuration, as the v2 control plane returns it. */
export function httpExampleApi(): FakeHttpApi {
  const api: FakeHttpApi = {
    api: {
      apiId: HTTP_API_ID,
      name: HTTP_EXAMPLE_NAME,
      protocolType: 'HTTP',
      corsConfiguration: {
        allowCredentials: false,
        allowHeaders: ['authorization', 'content-type', 'x-api-token'],
        allowMethods: ['GET', 'POST'],
        allowOrigins: ['https://app.example.com'],
        maxAge: 300,
      },
    },
    authorizers: [
      {
        authorizerId: 'cog4jw',
        name: 'CognitoJwt',
        authorizerType: 'JWT',
        identitySource: ['$request.header.Authorization'],
        jwtConfiguration: {
          audience: ['4e2x8mple5cl1ent6id7abc890', '7m2m8mple5cl1ent6id7abc890'],
          issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_PetStore1',
        },
      },
      {
        authorizerId: 'lam8da',
        name: 'LambdaAuth',
        authorizerType: 'REQUEST',
        identitySource: ['$request.header.X-Api-Token', '$request.querystring.tenant'],
        authorizerUri: functionUri('orders-http-authorizer'),
        authorizerPayloadFormatVersion: '2.0',
        enableSimpleResponses: true,
        authorizerResultTtlInSeconds: 300,
      },
      {
        authorizerId: 'par7nr',
        name: 'PartnerJwt',
        authorizerType: 'JWT',
        identitySource: ['$request.header.Authorization'],
        jwtConfiguration: { audience: ['https://orders.example.com/api'], issuer: PARTNER_ISSUER },
      },
    ],
    // In GetRoutes' order (by id), not the model's.
    routes: [
      {
        routeId: 'r01',
        routeKey: 'GET /orders',
        authorizationType: 'JWT',
        authorizerId: 'cog4jw',
        authorizationScopes: ['orders/read'],
      },
      {
        routeId: 'r02',
        routeKey: 'POST /orders',
        authorizationType: 'JWT',
        authorizerId: 'cog4jw',
        authorizationScopes: ['orders/write'],
      },
      { routeId: 'r03', routeKey: 'GET /orders/{orderId}', authorizationType: 'JWT', authorizerId: 'cog4jw' },
      { routeId: 'r04', routeKey: '$default', authorizationType: 'JWT', authorizerId: 'cog4jw' },
      {
        routeId: 'r05',
        routeKey: 'GET /partner/orders',
        authorizationType: 'JWT',
        authorizerId: 'par7nr',
        authorizationScopes: ['orders:read'],
      },
      {
        routeId: 'r06',
        routeKey: 'ANY /inventory/{proxy+}',
        authorizationType: 'CUSTOM',
        authorizerId: 'lam8da',
      },
      { routeId: 'r07', routeKey: 'GET /reports', authorizationType: 'CUSTOM', authorizerId: 'lam8da' },
      { routeId: 'r08', routeKey: 'POST /admin/reindex', authorizationType: 'AWS_IAM' },
      { routeId: 'r09', routeKey: 'GET /health', authorizationType: 'NONE' },
    ].map((route) => ({ ...route, target: 'integrations/int0001' }) as FakeHttpApi['routes'][number]),
    stages: {},
  };
  api.stages.$default = {
    deploymentId: HTTP_EXAMPLE_DEPLOYMENT,
    autoDeploy: true,
    exportDocument: httpExportDocumentOf(api, '$default'),
  };
  return api;
}

/** The example with its stage exporting the bundled export file (examples/orders-http.openapi.json), byte for byte. */
export function httpExampleApiWithExampleExport(): FakeHttpApi {
  const api = httpExampleApi();
  const stage = api.stages.$default;
  if (stage) stage.exportDocument = readFileSync(HTTP_EXAMPLE_FILE, 'utf8');
  return api;
}

/**
 * An HTTP API of `routeCount` routes (`GET /r0000/{id}`, ...) over a JWT and a Lambda authorizer, deployed to
 * stage `prod` (and `$default` when `withDefaultStage`).
 */
export function syntheticHttpApi(
  routeCount: number,
  apiId = 'httpbig001',
  name = 'big-http-api',
): FakeHttpApi {
  const api: FakeHttpApi = {
    api: { apiId, name, protocolType: 'HTTP' },
    authorizers: [
      {
        authorizerId: 'jwt001',
        name: 'Jwt',
        authorizerType: 'JWT',
        identitySource: ['$request.header.Authorization'],
        jwtConfiguration: { audience: ['client-1'], issuer: 'https://issuer.example.com' },
      },
      {
        authorizerId: 'lam001',
        name: 'Lambda',
        authorizerType: 'REQUEST',
        identitySource: ['$request.header.X-Api-Token'],
        authorizerUri: functionUri('big-authorizer'),
        authorizerPayloadFormatVersion: '2.0',
        enableSimpleResponses: true,
        authorizerResultTtlInSeconds: 0,
      },
    ],
    routes: Array.from({ length: routeCount }, (_, i) => {
      const key = `GET /r${String(i).padStart(4, '0')}/{id}`;
      const routeId = `rt${String(i).padStart(5, '0')}`;
      if (i % 3 === 0)
        return {
          routeId,
          routeKey: key,
          authorizationType: 'JWT' as const,
          authorizerId: 'jwt001',
          authorizationScopes: ['items/read'],
        };
      if (i % 3 === 1)
        return { routeId, routeKey: key, authorizationType: 'CUSTOM' as const, authorizerId: 'lam001' };
      return { routeId, routeKey: key, authorizationType: 'AWS_IAM' as const };
    }),
    stages: {},
  };
  api.stages.prod = {
    deploymentId: 'depbig',
    stageVariables: { tier: 'prod' },
    exportDocument: httpExportDocumentOf(api, 'prod'),
  };
  return api;
}
