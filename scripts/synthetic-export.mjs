// Synthetic API Gateway OAS 3.0 exports for the benchmark and the large-export test: `routes` methods spread
// evenly over the four authorizer kinds (Cognito with and without scopes, Lambda TOKEN, Lambda REQUEST, IAM),
// plus a public /health route. `padBytes` adds a realistic amount of non-authorization content per route
// (integration blocks, descriptions), the bulk of a real export.
// `syntheticMixedExport(routes)` is issue 11's measurement mix: 80% of the routes protected across the four kinds,
// 20% public, and one distinct Cognito scope set per ten routes (500 at 5,000 routes), as resource-scoped APIs have.

const KINDS = ['CognitoAuth', 'TokenAuth', 'RequestAuth', 'sigv4'];

/** Route `index`'s resource and method; every index gets its own (resource, method) pair. */
function routeAt(index) {
  return {
    resource: `/r${Math.floor(index / 2)}${index % 2 === 0 ? '' : '/{itemId}'}`,
    method: index % 3 === 0 ? 'post' : 'get',
  };
}

/**
 * @param {number} routes
 * @param {{ padBytes?: number }} [options]
 */
export function syntheticExport(routes, options = {}) {
  const securities = [];
  for (let index = 0; index < routes; index += 1) {
    const kind = KINDS[index % KINDS.length];
    securities.push(
      kind === 'CognitoAuth' ? [{ CognitoAuth: index % 8 === 0 ? [] : ['pets/read'] }] : [{ [kind]: [] }],
    );
  }
  return exportOf(`synthetic-${routes}`, securities, options.padBytes ?? 0);
}

/** How many distinct Cognito scope sets the mixed synthetic has: one per ten routes (500 at 5,000). */
export function mixedScopeSetCount(routes) {
  return Math.max(1, Math.round(routes / 10));
}

/**
 * Issue 11's mix: every fifth route public (listed in `syntheticMixedConfig(routes).publicRoutes`), the others
 * across the four kinds in turn. Every eighth Cognito route has no scopes (ID token); the others cycle through
 * `mixedScopeSetCount(routes)` distinct scope sets of one or two scopes each, so each set is used.
 *
 * @param {number} routes
 */
export function syntheticMixedExport(routes) {
  const scopeSets = mixedScopeSetCount(routes);
  const securities = [];
  let protectedCount = 0;
  let cognitoCount = 0;
  let scopedCount = 0;
  for (let index = 0; index < routes; index += 1) {
    if (index % 5 === 4) {
      securities.push(undefined);
      continue;
    }
    const kind = KINDS[protectedCount % KINDS.length];
    protectedCount += 1;
    if (kind !== 'CognitoAuth') {
      securities.push([{ [kind]: [] }]);
      continue;
    }
    cognitoCount += 1;
    if ((cognitoCount - 1) % 8 === 0) {
      securities.push([{ CognitoAuth: [] }]);
      continue;
    }
    const set = scopedCount % scopeSets;
    scopedCount += 1;
    const scopes = [`api/res${set}.read`, ...(set % 2 === 1 ? [`api/res${set}.write`] : [])];
    securities.push([{ CognitoAuth: scopes }]);
  }
  return exportOf(`synthetic-mixed-${routes}`, securities, 0);
}

/** The config that goes with `syntheticMixedExport(routes)`: its public routes listed. */
export function syntheticMixedConfig(routes) {
  const publicRoutes = ['GET /health'];
  for (let index = 4; index < routes; index += 5) {
    const { resource, method } = routeAt(index);
    publicRoutes.push(`${method.toUpperCase()} ${resource}`);
  }
  return { ...syntheticConfig, publicRoutes };
}

/** An export named `title` with one route per entry of `securities` (undefined: no security, a public route). */
function exportOf(title, securities, padBytes) {
  const paths = {
    '/health': { get: { responses: { 200: { description: 'ok' } } } },
  };
  for (let index = 0; index < securities.length; index += 1) {
    const { resource, method } = routeAt(index);
    const security = securities[index];
    const operation = {
      ...(resource.includes('{itemId}')
        ? { parameters: [{ name: 'itemId', in: 'path', required: true, schema: { type: 'string' } }] }
        : {}),
      ...(security ? { security } : {}),
      responses: { 200: { description: '200 response' } },
      'x-amazon-apigateway-integration': {
        type: 'http_proxy',
        httpMethod: method.toUpperCase(),
        uri: `https://backend.example.com${resource}`,
        ...(padBytes > 0 ? { description: 'x'.repeat(padBytes) } : {}),
      },
    };
    paths[resource] = { ...(paths[resource] ?? {}), [method]: operation };
  }
  return {
    openapi: '3.0.1',
    info: { title, version: '1' },
    servers: [
      {
        url: 'https://abcde12345.execute-api.us-east-1.amazonaws.com/{basePath}',
        variables: { basePath: { default: 'prod' } },
      },
    ],
    paths,
    components: {
      securitySchemes: {
        CognitoAuth: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authtype': 'cognito_user_pools',
          'x-amazon-apigateway-authorizer': {
            type: 'cognito_user_pools',
            providerARNs: ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_PetStore1'],
          },
        },
        TokenAuth: {
          type: 'apiKey',
          name: 'X-Auth-Token',
          in: 'header',
          'x-amazon-apigateway-authtype': 'custom',
          'x-amazon-apigateway-authorizer': {
            type: 'token',
            identitySource: 'method.request.header.X-Auth-Token',
            identityValidationExpression: '^[a-z][a-z0-9-]{3,63}$',
            authorizerUri:
              'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:token/invocations',
            authorizerResultTtlInSeconds: 300,
          },
        },
        RequestAuth: {
          type: 'apiKey',
          name: 'Unused',
          in: 'header',
          'x-amazon-apigateway-authtype': 'custom',
          'x-amazon-apigateway-authorizer': {
            type: 'request',
            identitySource: 'method.request.header.X-Tenant-Id, method.request.querystring.apiVersion',
            authorizerUri:
              'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:request/invocations',
            authorizerResultTtlInSeconds: 300,
          },
        },
        sigv4: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authtype': 'awsSigv4',
        },
      },
    },
    'x-amazon-apigateway-gateway-responses': {
      DEFAULT_4XX: {
        responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" },
        responseTemplates: { 'application/json': '{"message":$context.error.messageString}' },
      },
    },
  };
}

/** The config that goes with a synthetic export. */
export const syntheticConfig = {
  publicRoutes: ['GET /health'],
  depth: 'standard',
  authorizers: {
    TokenAuth: { validToken: 'allow-alice', denyToken: 'deny-mallory' },
    RequestAuth: {
      validIdentity: {
        'method.request.header.X-Tenant-Id': 'tenant-1',
        'method.request.querystring.apiVersion': '2024-01-01',
      },
    },
    CognitoAuth: {
      cognito: {
        clientId: '4e2x8mple5cl1ent6id7abc890',
        domain: 'https://petstore-authz.auth.us-east-1.amazoncognito.com',
        tokenFlow: 'password',
        accessTokenFlow: 'client_credentials',
        accessTokenClientId: '7m2m8mple5cl1ent6id7abc890',
      },
    },
  },
};
