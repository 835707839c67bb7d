/**
 * SAM translator behaviours (issue 8 point 3), one fixture template each: what the expanded template's REST API
 * body means once read into the AuthModel (route authorization, scopes, authorizer kind, identity and TTL).
 */

import { describe, expect, it } from 'vitest';

import type { Authorizer, Route } from '../../../src/model/types.js';

import { bodyOf, expand, loadFixture, resourcesOfType, samModel } from './helpers.js';

type Json = Record<string, unknown>;

function route(routes: Route[], key: string): Route {
  const found = routes.find((r) => `${r.method} ${r.path}` === key);
  if (!found) throw new Error(`no route ${key} in ${routes.map((r) => `${r.method} ${r.path}`).join(', ')}`);
  return found;
}

function authorizer(authorizers: Authorizer[], name: string): Authorizer {
  const found = authorizers.find((a) => a.name === name);
  if (!found) throw new Error(`no authorizer ${name}`);
  return found;
}

function authorizedBy(name: string, scopes: string[] = []): Route['authorization'] {
  return { type: 'AUTHORIZER', authorizer: name, scopes };
}

function operation(body: Json, path: string, method: string): Json {
  return ((body.paths as Json)[path] as Json)[method] as Json;
}

describe('DefaultAuthorizer', () => {
  const { model, body } = samModel('default-authorizer.yaml', 'OrdersApi');

  it('protects every event without its own Auth with the default authorizer', () => {
    expect(route(model.routes, 'GET /orders').authorization).toEqual(authorizedBy('OrdersTokenAuth'));
    expect(operation(body, '/orders', 'get').security).toEqual([{ OrdersTokenAuth: [] }]);
  });

  it("keeps an event's own authorizer, with that authorizer's AuthorizationScopes by default", () => {
    expect(route(model.routes, 'GET /pets').authorization).toEqual(
      authorizedBy('PetsCognitoAuth', ['pets/read']),
    );
  });

  it("lets the event's AuthorizationScopes replace the authorizer's", () => {
    expect(route(model.routes, 'POST /pets').authorization).toEqual(
      authorizedBy('PetsCognitoAuth', ['pets/write']),
    );
  });

  it('writes the authorizers as security schemes, not as AWS::ApiGateway::Authorizer resources', () => {
    expect(Object.keys(body.securityDefinitions as Json)).toEqual(['OrdersTokenAuth', 'PetsCognitoAuth']);
    const { template } = expand(loadFixture('default-authorizer.yaml'));
    expect(resourcesOfType(template, 'AWS::ApiGateway::Authorizer')).toEqual({});
    expect(model.authorizers.map((a) => [a.name, a.kind])).toEqual([
      ['OrdersTokenAuth', 'TOKEN'],
      ['PetsCognitoAuth', 'COGNITO_USER_POOLS'],
    ]);
  });

  it('keeps the Lambda ARN an intrinsic for the evaluator: never invented', () => {
    const scheme = (body.securityDefinitions as Json).OrdersTokenAuth as Json;
    const uri = (scheme['x-amazon-apigateway-authorizer'] as Json).authorizerUri;
    expect(uri).toEqual({
      'Fn::Sub': [
        'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${__FunctionArn__}/invocations',
        { __FunctionArn__: { 'Fn::GetAtt': ['TokenAuthorizerFunction', 'Arn'] } },
      ],
    });
    expect(authorizer(model.authorizers, 'OrdersTokenAuth').lambdaUri).toContain(
      '${TokenAuthorizerFunction.Arn}',
    );
  });
});

describe('Authorizer: NONE on an event', () => {
  const { model, body, warnings } = samModel('none-override.yaml', 'ShopApi');

  it('opens that route while the others keep the default authorizer', () => {
    expect(route(model.routes, 'GET /health').authorization).toEqual({ type: 'NONE' });
    expect(route(model.routes, 'GET /cart').authorization).toEqual(authorizedBy('ShopCognito'));
  });

  it('keeps the NONE marker in the body, with no NONE scheme, as the translator does', () => {
    expect(operation(body, '/health', 'get').security).toEqual([{ NONE: [] }]);
    expect(Object.keys(body.securityDefinitions as Json)).toEqual(['ShopCognito']);
    expect(warnings.some((w) => w.includes('NONE'))).toBe(true);
  });
});

describe('the CORS preflight and the default authorizer', () => {
  it('puts the default authorizer on OPTIONS by default: an unauthenticated preflight is rejected', () => {
    const { model, body } = samModel('cors-preflight.yaml', 'PreflightAuthApi');
    expect(route(model.routes, 'OPTIONS /profile').authorization).toEqual(authorizedBy('SessionAuth'));
    const options = operation(body, '/profile', 'options');
    expect(options.security).toEqual([{ SessionAuth: [] }]);
    const integration = options['x-amazon-apigateway-integration'] as Json;
    expect(integration.type).toBe('mock');
    const parameters = ((integration.responses as Json).default as Json).responseParameters as Json;
    expect(parameters).toEqual({
      'method.response.header.Access-Control-Allow-Origin': "'https://app.example.com'",
      'method.response.header.Access-Control-Allow-Headers': "'Content-Type,Authorization'",
      'method.response.header.Access-Control-Allow-Methods': "'GET,OPTIONS,PUT'",
    });
    expect(model.cors).toEqual({ allowOrigin: 'https://app.example.com' });
  });

  it('leaves OPTIONS open with AddDefaultAuthorizerToCorsPreflight: false', () => {
    const { model, body } = samModel('cors-preflight.yaml', 'PreflightOpenApi');
    expect(route(model.routes, 'OPTIONS /profile').authorization).toEqual({ type: 'NONE' });
    expect(operation(body, '/profile', 'options').security).toBeUndefined();
    expect(route(model.routes, 'GET /profile').authorization).toEqual(authorizedBy('SessionAuth'));
  });
});

describe('Identity defaults', () => {
  const { model } = samModel('identity-defaults.yaml', 'IdentityApi');

  it('reads the token from Authorization when Identity.Header is not set, for TOKEN and Cognito', () => {
    for (const name of ['PlainToken', 'PlainCognito']) {
      expect(authorizer(model.authorizers, name).identitySources).toEqual([
        { location: 'header', name: 'Authorization', expression: 'method.request.header.Authorization' },
      ]);
    }
  });

  it('caches for 300 s when ReauthorizeEvery is not set (SAM writes no TTL)', () => {
    expect(authorizer(model.authorizers, 'PlainToken').ttlSeconds).toBe(300);
    expect(authorizer(model.authorizers, 'TenantRequest').ttlSeconds).toBe(300);
  });

  it('takes Identity.Header, ValidationExpression and ReauthorizeEvery of a TOKEN authorizer', () => {
    const token = authorizer(model.authorizers, 'HeaderToken');
    expect(token.identitySources.map((s) => s.expression)).toEqual(['method.request.header.X-Api-Token']);
    expect(token.validationExpression).toBe('^tok-[0-9a-f]{8}$');
    expect(token.ttlSeconds).toBe(60);
  });

  it('orders REQUEST sources as Headers, QueryStrings, StageVariables, Context whatever the template order', () => {
    expect(authorizer(model.authorizers, 'TenantRequest').identitySources.map((s) => s.expression)).toEqual([
      'method.request.header.X-Tenant',
      'method.request.querystring.tenant',
      'stageVariables.authMode',
      'context.sourceIp',
    ]);
  });
});

describe('ReauthorizeEvery: 0', () => {
  const { model, body, warnings } = samModel('reauthorize-zero.yaml', 'NoCacheApi');

  it('turns caching off for Lambda authorizers (TTL 0 in the body)', () => {
    expect(authorizer(model.authorizers, 'UncachedToken').ttlSeconds).toBe(0);
    const scheme = (body.securityDefinitions as Json).UncachedToken as Json;
    expect((scheme['x-amazon-apigateway-authorizer'] as Json).authorizerResultTtlInSeconds).toBe(0);
  });

  it('accepts a REQUEST authorizer with no identity sources when the TTL is 0', () => {
    const request = authorizer(model.authorizers, 'UncachedRequest');
    expect(request).toMatchObject({ kind: 'REQUEST', ttlSeconds: 0, identitySources: [] });
    expect(route(model.routes, 'GET /events').authorization).toEqual(authorizedBy('UncachedRequest'));
  });

  it('is ignored for Cognito, with a warning naming the place', () => {
    const scheme = (body.securityDefinitions as Json).PoolAuth as Json;
    expect(scheme['x-amazon-apigateway-authorizer']).toEqual({
      type: 'cognito_user_pools',
      providerARNs: ['arn:aws:cognito-idp:us-west-2:777788889999:userpool/us-west-2_NoCache01'],
    });
    expect(warnings).toContainEqual(
      expect.stringContaining(
        '#/Resources/NoCacheApi/Properties/Auth/Authorizers/PoolAuth/Identity/ReauthorizeEvery: ReauthorizeEvery is ignored',
      ),
    );
  });
});

describe('the implicit API', () => {
  const { template } = expand(loadFixture('implicit-api.yaml'));

  it('creates ServerlessRestApi for events without RestApiId, with the stage Prod', () => {
    expect(resourcesOfType(template, 'AWS::ApiGateway::RestApi')).toHaveProperty('ServerlessRestApi');
    const stages = resourcesOfType(template, 'AWS::ApiGateway::Stage');
    expect(Object.keys(stages)).toEqual(['ServerlessRestApiProdStage']);
    expect((stages.ServerlessRestApiProdStage?.Properties as Json).StageName).toBe('Prod');
  });

  it("writes the translator's stray Stage stage on the Deployment", () => {
    const deployments = Object.values(resourcesOfType(template, 'AWS::ApiGateway::Deployment'));
    expect(deployments).toHaveLength(1);
    expect(deployments[0]?.Properties).toMatchObject({
      RestApiId: { Ref: 'ServerlessRestApi' },
      StageName: 'Stage',
    });
  });

  it('applies Globals.Api.Auth to it: DefaultAuthorizer AWS_IAM on every route, ANY included', () => {
    const { model } = samModel('implicit-api.yaml', 'ServerlessRestApi');
    expect(model.routes.map((r) => [r.method, r.path, r.authorization])).toEqual([
      ['GET', '/hello', authorizedBy('sigv4')],
      ['ANY', '/hello/{proxy+}', authorizedBy('sigv4')],
    ]);
    expect(model.authorizers.map((a) => a.kind)).toEqual(['AWS_IAM']);
  });

  it('turns functions into Lambda functions with their Globals, and drops Globals and the transform', () => {
    expect(template.Globals).toBeUndefined();
    expect(template.Transform).toBeUndefined();
    expect(template.Resources).toMatchObject({
      HelloFunction: {
        Type: 'AWS::Lambda::Function',
        Properties: { Runtime: 'nodejs20.x', Timeout: 10, Handler: 'app.handler' },
      },
    });
    expect((template.Resources as Record<string, Json>).HelloFunction?.Properties).not.toHaveProperty(
      'Events',
    );
  });

  it('is not created when no event needs it', () => {
    const { template: explicit } = expand(loadFixture('none-override.yaml'));
    expect(explicit.Resources).not.toHaveProperty('ServerlessRestApi');
    expect(Object.keys(resourcesOfType(explicit, 'AWS::ApiGateway::RestApi'))).toEqual(['ShopApi']);
    expect(bodyOf(explicit, 'ShopApi').swagger).toBe('2.0');
  });
});
