// A synthetic HTTP API export (`aws apigatewayv2 export-api --specification OAS30 --include-extensions`) for the
// benchmark: `routes` routes, issue 11's mix carried over to HTTP APIs. Every fifth route is public (listed in
// `syntheticHttpConfig(routes).publicRoutes`); the others go in turn to a JWT authorizer on a Cognito issuer, a
// JWT authorizer on a generic OIDC issuer, a payload-2.0 simple-response Lambda authorizer and IAM. Every eighth
// Cognito-issuer route has no scopes; the others cycle through one scope set per ten routes (200 at 2,000).

const KINDS = ['CognitoJwt', 'PartnerJwt', 'LambdaAuth', 'sigv4'];
const LAMBDA_ARN = 'arn:aws:lambda:us-east-1:123456789012:function';

/** Route `index`'s path and method; every index gets its own (path, method) pair. */
function routeAt(index) {
  return {
    path: `/r${Math.floor(index / 2)}${index % 2 === 0 ? '' : '/{itemId}'}`,
    method: index % 3 === 0 ? 'post' : 'get',
  };
}

function integration(name) {
  return {
    payloadFormatVersion: '2.0',
    type: 'aws_proxy',
    httpMethod: 'POST',
    uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${LAMBDA_ARN}:${name}/invocations`,
    connectionType: 'INTERNET',
  };
}

/** @param {number} routes */
export function syntheticHttpExport(routes) {
  const scopeSets = Math.max(1, Math.round(routes / 10));
  const paths = {
    '/health': {
      get: {
        responses: { default: { description: 'Default response for GET /health' } },
        'x-amazon-apigateway-integration': integration('health'),
      },
    },
  };
  let protectedCount = 0;
  let cognitoCount = 0;
  let scopedCount = 0;
  for (let index = 0; index < routes; index += 1) {
    const { path, method } = routeAt(index);
    let security;
    if (index % 5 !== 4) {
      const kind = KINDS[protectedCount % KINDS.length];
      protectedCount += 1;
      if (kind === 'CognitoJwt') {
        cognitoCount += 1;
        if ((cognitoCount - 1) % 8 === 0) security = [{ CognitoJwt: [] }];
        else {
          const set = scopedCount % scopeSets;
          scopedCount += 1;
          security = [
            { CognitoJwt: [`api/res${set}.read`, ...(set % 2 === 1 ? [`api/res${set}.write`] : [])] },
          ];
        }
      } else if (kind === 'PartnerJwt') security = [{ PartnerJwt: ['orders:read'] }];
      else security = [{ [kind]: [] }];
    }
    const operation = {
      ...(path.includes('{itemId}')
        ? {
            parameters: [
              {
                name: 'itemId',
                in: 'path',
                description: 'Generated path parameter for itemId',
                required: true,
                schema: { type: 'string' },
              },
            ],
          }
        : {}),
      responses: { default: { description: `Default response for ${method.toUpperCase()} ${path}` } },
      ...(security ? { security } : {}),
      'x-amazon-apigateway-integration': integration('synthetic-backend'),
    };
    paths[path] = { ...(paths[path] ?? {}), [method]: operation };
  }
  return {
    openapi: '3.0.1',
    info: { title: `synthetic-http-${routes}`, version: '2026-11-30 03:00:00UTC' },
    servers: [
      {
        url: 'https://s1y2n3t4h5.execute-api.us-east-1.amazonaws.com/{basePath}',
        variables: { basePath: { default: '' } },
      },
    ],
    paths,
    components: {
      securitySchemes: {
        CognitoJwt: {
          type: 'oauth2',
          flows: {},
          'x-amazon-apigateway-authorizer': {
            identitySource: '$request.header.Authorization',
            jwtConfiguration: {
              audience: ['4e2x8mple5cl1ent6id7abc890', '7m2m8mple5cl1ent6id7abc890'],
              issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_PetStore1',
            },
            type: 'jwt',
          },
        },
        PartnerJwt: {
          type: 'oauth2',
          flows: {},
          'x-amazon-apigateway-authorizer': {
            identitySource: '$request.header.Authorization',
            jwtConfiguration: {
              audience: ['https://orders.example.com/api'],
              issuer: 'https://login.partner.example/',
            },
            type: 'jwt',
          },
        },
        LambdaAuth: {
          type: 'apiKey',
          name: 'X-Api-Token',
          in: 'header',
          'x-amazon-apigateway-authorizer': {
            identitySource: '$request.header.X-Api-Token,$request.querystring.tenant',
            authorizerUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${LAMBDA_ARN}:authorizer/invocations`,
            authorizerPayloadFormatVersion: '2.0',
            authorizerResultTtlInSeconds: 300,
            type: 'request',
            enableSimpleResponses: true,
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
    'x-amazon-apigateway-importexport-version': '1.0',
  };
}

/** The config that goes with `syntheticHttpExport(routes)`: the HTTP example's authorizer settings, public routes. */
export function syntheticHttpConfig(routes) {
  const publicRoutes = ['GET /health'];
  for (let index = 4; index < routes; index += 5) {
    const { path, method } = routeAt(index);
    publicRoutes.push(`${method.toUpperCase()} ${path}`);
  }
  return {
    publicRoutes,
    depth: 'standard',
    authorizers: {
      CognitoJwt: {
        cognito: {
          clientId: '4e2x8mple5cl1ent6id7abc890',
          domain: 'https://petstore-authz.auth.us-east-1.amazoncognito.com',
          tokenFlow: 'password',
          accessTokenFlow: 'client_credentials',
          accessTokenClientId: '7m2m8mple5cl1ent6id7abc890',
        },
      },
      PartnerJwt: {
        oidc: {
          tokenUrl: 'https://login.partner.example/oauth2/token',
          clientId: 'partner-orders-m2m',
          audience: 'https://orders.example.com/api',
          tokenFlow: 'client_credentials',
        },
      },
      LambdaAuth: {
        validIdentity: {
          '$request.header.X-Api-Token': 'orders-token-1',
          '$request.querystring.tenant': 'tenant-1',
        },
      },
    },
  };
}
